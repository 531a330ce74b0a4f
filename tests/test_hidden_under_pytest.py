"""The hidden tests are real pytest tests: pytest runs them against a submission file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grading import variant

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(submission: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "autograder.grade.under_pytest",
                           "source/dense_layers/grading/hidden_tests",
                           "--submission", str(submission)], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("replacement, outcome", [
    (None, "50 passed"),
    (("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)"), "7 failed, 43 passed"),
])
def test_pytest_runs_the_hidden_tests(tmp_path, replacement, outcome):
    submission = tmp_path / "submission.py"
    submission.write_text(variant(replacement) if replacement else variant())
    finished = run_pytest(submission)
    assert outcome in finished.stdout.splitlines()[-1], finished.stdout[-2000:]
