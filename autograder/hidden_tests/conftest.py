"""Run the hidden tests under pytest itself: `pytest autograder/hidden_tests --submission FILE`.

The submission (a notebook or a .py file) is executed in this process, without a sandbox:
this is for instructors checking their own solution or a test they are writing, not for
grading students (use `autograder grade` for that).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.exercises import AUTOMATIC, BY_ID
from autograder.grade.submission import read_submission
from autograder.run.inside.execute import new_namespace, run_cell
from autograder.student import LocalStudent, function_under_test


def pytest_addoption(parser):
    parser.addoption("--submission", type=Path, required=True,
                     help="the notebook or .py file whose functions the hidden tests call")


@pytest.fixture(scope="session")
def student(request) -> LocalStudent:
    submission = read_submission("submission", request.config.getoption("--submission"))
    if submission.problem:
        pytest.exit(str(submission.problem), returncode=2)
    namespace = new_namespace("__main__" if submission.kind == "notebook" else "submission")
    for index, source in enumerate(submission.cells):
        run_cell(namespace, source, index)
    return LocalStudent(namespace)


def _fixture_for(exercise_id: str):
    @pytest.fixture(name=exercise_id)
    def under_test(student):
        return function_under_test(BY_ID[exercise_id], student)
    return under_test


for _exercise in AUTOMATIC:
    globals()[f"_{_exercise.id}_fixture"] = _fixture_for(_exercise.id)
