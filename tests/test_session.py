"""A session with a student process: restarts, the time budget, replies that lie, Jupyter's %%writefile."""

from __future__ import annotations

import pytest

from autograder.exercises import AUTOMATIC_POINTS
from autograder.grade.session import MAX_STARTS
from grading import grade, notebook, variant, write_submissions

PATCHED_REPLIES = """
import numpy as np
import autograder.run.inside.wire as wire
_encode = wire.encode
def _lying(message):
    if isinstance(message, dict):
        message = {**message, "ok": np.array([1, 1]), "status": np.array([1, 1]), "message": np.array([1, 1])}
    return _encode(message)
wire.encode = _lying
"""

HELPER = "def dense_shapes(N, n_feature, n_neuron):\n" \
         "    return {'X': (N, n_feature), 'W': (n_feature, n_neuron), 'B': (n_neuron,), 'y': (N, n_neuron)}\n"

SUBMISSIONS = {
    "solution.py": variant(),
    "twelve_exits.ipynb": notebook([variant()] + ["import os\nos._exit(1)"] * MAX_STARTS),
    "patched_replies.ipynb": notebook([variant(), PATCHED_REPLIES]),
    "patched_ids.ipynb": notebook([variant(), PATCHED_REPLIES.replace('"ok": np.array([1, 1]),',
                                                                      '"id": np.array([1, 1]),')]),
    "deep_folders.ipynb": notebook([variant(), "import os\nfor _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')"]),
    "writefile.ipynb": notebook([f"%%writefile helper.py\n{HELPER}",
                                 variant(("def dense_shapes(N, n_feature, n_neuron):", "def _unused(N, n_feature, n_neuron):"),
                                         append="\nfrom helper import dense_shapes\n")]),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    folder = write_submissions(tmp_path_factory.mktemp("submissions"), SUBMISSIONS)
    return grade(folder, tmp_path_factory.mktemp("out"), workers=1)


def test_a_submission_that_is_never_left_running_gets_a_result(graded):
    result = graded["twelve_exits"]
    assert result["student_process"]["starts"] == MAX_STARTS
    assert {test["status"] for test in result["tests"]} == {"crashed"}
    assert all(f"gave up after {MAX_STARTS} restarts" in e["messages"][0] for e in result["exercises"].values())


def test_replies_whose_fields_lie_about_their_type_cost_that_student_only(graded):
    result = graded["patched_replies"]
    assert result["score"] == 0
    assert {test["status"] for test in result["tests"]} == {"crashed"}
    assert "cannot read" in result["exercises"]["dense_shapes"]["messages"][0]
    assert graded["solution"]["score"] == AUTOMATIC_POINTS


def test_a_cell_whose_replies_lie_about_their_turn_is_skipped_like_a_crash(graded):
    result = graded["patched_ids"]
    assert [(cell["index"], cell["status"]) for cell in result["cells"]] == [(1, "crashed")]
    assert result["score"] == AUTOMATIC_POINTS


def test_folders_deeper_than_the_recursion_limit_are_cleaned_up(graded):
    assert graded["deep_folders"]["score"] == AUTOMATIC_POINTS
    assert graded["writefile"]["score"] == AUTOMATIC_POINTS, "the next student of the same worker is graded"


def test_writefile_then_import_works_as_in_jupyter(graded):
    assert graded["writefile"]["cells"] == []


SLOW = {
    "sleeps_per_call.py": variant(("    return {\"X\": (N, n_feature)", "    import time\n    time.sleep(1.5)\n"
                                                                     "    return {\"X\": (N, n_feature)")),
    "slow_cell_then_crashes.ipynb": notebook([variant(), "import time\ntime.sleep(2.5)"]
                                             + ["import os\nos._exit(1)"] * 4),
}


@pytest.fixture(scope="module")
def over_budget(tmp_path_factory) -> dict[str, dict]:
    folder = write_submissions(tmp_path_factory.mktemp("slow"), SLOW)
    return grade(folder, tmp_path_factory.mktemp("out"), workers=1, timeout_s=4.0, budget_s=6.0)


def test_a_slow_function_does_not_pass_past_the_budget(over_budget):
    result = over_budget["sleeps_per_call"]
    assert result["exercises"]["dense_shapes"]["status"] == "timeout"
    assert result["exercises"]["TestModel"]["status"] == "timeout"
    assert "time budget of 6 s" in result["exercises"]["TestModel"]["messages"][0]


def test_restarts_draw_on_the_same_budget(over_budget):
    result = over_budget["slow_cell_then_crashes"]
    assert result["student_process"]["starts"] < 5, "the slow cell is not run again past the budget"
    assert {test["status"] for test in result["tests"]} == {"timeout"}
    assert any("time budget" in cell["message"] for cell in result["cells"])
