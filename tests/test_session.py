"""A session with a student process: restarts, the time budget, replies that lie, Jupyter's %%writefile."""

from __future__ import annotations

import pytest

from grading import AUTOMATIC_POINTS
from autograder.grade.session import MAX_STARTS
from grading import grade, notebook, variant, write_submissions

FORGE = """
import sys
import numpy as np
from autograder.run.inside import wire

def forge(**fields):  # a reply of one's own, written before the worker's, found through the request loop's frame
    frame = sys._getframe()
    while not {'stream', 'message'} <= set(frame.f_locals):
        frame = frame.f_back
    loop = frame.f_locals
    loop['stream'].write(wire.encode({'id': loop['message']['id'], **fields}))
    loop['stream'].flush()
"""
FORGED_STATUS = FORGE + """
_honest_dense_shapes = dense_shapes

def dense_shapes(*args):
    forge(status=np.array([1, 1]), message=np.array([1, 1]))
    return _honest_dense_shapes(*args)
"""

HELPER = "def dense_shapes(N, n_feature, n_neuron):\n" \
         "    return {'X': (N, n_feature), 'W': (n_feature, n_neuron), 'B': (n_neuron,), 'y': (N, n_neuron)}\n"

SUBMISSIONS = {
    "solution.py": variant(),
    "twelve_exits.ipynb": notebook([variant()] + ["import os\nos._exit(1)"] * MAX_STARTS),
    "forged_ok.ipynb": notebook([variant(), FORGE + "forge(ok=np.array([1, 1]))"]),
    "forged_status.ipynb": notebook([variant(), FORGED_STATUS]),
    "forged_id.ipynb": notebook([variant(), FORGE + "forge(ok=True, id=np.array([1, 1]))"]),
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
    assert [(cell["index"], cell["status"]) for cell in graded["forged_ok"]["cells"]][0] == (1, "error")
    result = graded["forged_status"]
    assert result["exercises"]["dense_shapes"]["status"] == "crashed"
    assert "cannot read" in result["exercises"]["dense_shapes"]["messages"][0]
    assert result["score"] == AUTOMATIC_POINTS - result["exercises"]["dense_shapes"]["max_score"]
    assert graded["solution"]["score"] == AUTOMATIC_POINTS


def test_a_cell_whose_replies_lie_about_their_turn_is_skipped_like_a_crash(graded):
    result = graded["forged_id"]
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
