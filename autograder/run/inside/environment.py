"""How TensorFlow is started wherever the grader imports it: as the notebook's setup cell starts it in Jupyter.

TensorFlow reads these variables once, when it is imported. The master notebook's setup cell sets
the same two before its import, so a student process (whose TensorFlow the warm worker imported)
computes as the student's kernel did, with oneDNN's reordered float arithmetic off; and no process
of the grader's, a Dask worker's included, prints TensorFlow's start-up log lines.
"""

from __future__ import annotations

import os

TENSORFLOW_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet_tensorflow() -> None:
    """Set them in this process, where not set already: before TensorFlow is imported."""
    for name, value in TENSORFLOW_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
