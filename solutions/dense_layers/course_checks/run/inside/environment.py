"""How TensorFlow is started wherever the grader imports it: as the notebook's setup cell starts it in Jupyter.

TensorFlow reads these variables once, when it is imported. The master notebook's setup cell sets
the same two before its import, so a student process (whose TensorFlow the warm worker imported)
computes as the student's kernel did, with oneDNN's reordered float arithmetic off; and no process
of the grader's, a Dask worker's included, prints TensorFlow's start-up lines.

Keras imports matplotlib's pyplot when it is imported, for one plotting helper
(`keras.visualization.plot_image_gallery`): a quarter of TensorFlow's import, paid by each warm
worker and by the grading side at every batch's start. `import_keras` defers it to that helper's
first use, where it is imported as before; a student's own `import matplotlib.pyplot` imports it then.
"""

from __future__ import annotations

import os
import sys
import threading
import types

TENSORFLOW_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
# The one module of Keras that imports pyplot on import (`plt = None` where matplotlib is missing).
KERAS_PYPLOT_USER = "keras.src.visualization.plot_image_gallery"
_importing = threading.Lock()


def quiet_tensorflow() -> None:
    """Set them in this process, where not set already: before TensorFlow is imported."""
    for name, value in TENSORFLOW_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


class PyplotOnFirstUse(types.ModuleType):
    """Stands for `matplotlib.pyplot` in Keras' plotting helper: imports it on the first attribute asked."""

    def __getattr__(self, name: str):
        import matplotlib.pyplot

        return getattr(matplotlib.pyplot, name)


def import_keras() -> types.ModuleType:
    """Import Keras (and TensorFlow under it, started as the notebook starts it: `quiet_tensorflow`) with its
    import of pyplot deferred to first use; the module
    `keras`, whole: a thread that calls it while another imports Keras waits for that import to end. Other
    threads that import matplotlib while Keras loads find it missing: call it before they start."""
    with _importing:
        if "keras" not in sys.modules:
            quiet_tensorflow()
            deferred = "matplotlib" not in sys.modules
            if deferred:
                sys.modules["matplotlib"] = None  # `import matplotlib...` raises ImportError meanwhile
            try:
                import keras  # noqa: F401
            finally:
                if deferred and sys.modules.get("matplotlib", 0) is None:
                    del sys.modules["matplotlib"]
            helper = sys.modules.get(KERAS_PYPLOT_USER)
            if deferred and helper is not None and getattr(helper, "plt", None) is None:
                helper.plt = PyplotOnFirstUse("matplotlib.pyplot")
    import keras  # waits, as any import does, while another thread is still initialising it

    return keras
