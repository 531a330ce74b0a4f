"""pytest's settings for the suite, and the fixtures several test files share."""

import pytest

# The second assignment's hidden tests (tests/assignments/*/grading/hidden_tests) are the grader's to run
# (test_assignments.py runs them under pytest in a process of their own), never the suite's: collected
# here, their package `grading` would take the place of the suite's helper module tests/grading.py.
collect_ignore = ["assignments"]


@pytest.fixture(scope="session")
def corpus_graded(tmp_path_factory):
    """The output folder of the whole corpus graded in one batch, once for the suite: test_corpus.py checks
    its scores and diagnoses, test_cluster.py that a Dask cluster writes the same files."""
    from grading import CORPUS_NOTEBOOKS, CORPUS_TIMEOUT_S

    from autograder.grade.batch import GradeSettings, grade_batch

    out = tmp_path_factory.mktemp("corpus_results")
    grade_batch([CORPUS_NOTEBOOKS], out, GradeSettings(workers=2, timeout_s=CORPUS_TIMEOUT_S))
    return out


@pytest.fixture(params=[True, False], ids=["sandboxed", "unsandboxed"])
def warm_worker(request):
    """A started warm worker (slot 3), in the sandbox and without one; stopped after the test."""
    from autograder.run.sandbox import SandboxedWorker, sandbox_available

    if request.param and not sandbox_available():
        pytest.skip("bubblewrap is not installed (.ci/run installs it)")
    worker = SandboxedWorker(3, request.param)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
