"""Run an assignment's hidden tests under pytest itself:

    pytest -p autograder.grade.under_pytest source/<assignment>/grading/hidden_tests --submission FILE

The submission (a notebook or a .py file) is executed in this process, without a sandbox:
this is for instructors checking their own solution or a test they are writing, not for
grading students (use `autograder grade` for that). The assignment is the one whose
`grading/hidden_tests` the paths name (or `--assignment NAME`, looked up like the grader does);
each of its exercises is a fixture of that name, the function under test.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from autograder.assignments import GRADING, Assignment, find, load
from autograder.grade.submission import read_submission
from autograder.run.inside.execute import new_namespace, run_cell
from autograder.student import LocalStudent, function_under_test


def pytest_addoption(parser):
    parser.addoption("--submission", type=Path, required=True,
                     help="the notebook or .py file whose functions the hidden tests call")
    parser.addoption("--assignment", help="the assignment whose hidden tests these are (default: the one the paths "
                                          "name, source/<assignment>/grading/hidden_tests)")


def assignment_of(config) -> Assignment:
    name = config.getoption("--assignment")
    if name:
        return find(name)
    for argument in config.args:
        for folder in Path(argument.split("::")[0]).resolve().parents:
            if folder.name == GRADING and (folder / "__init__.py").is_file():
                return load(folder.parent)
    raise pytest.UsageError("name the hidden tests of an assignment (source/<assignment>/grading/hidden_tests) "
                            "or give --assignment NAME")


def pytest_configure(config):
    assignment = assignment_of(config)
    fixtures = ModuleType("autograder_exercise_fixtures")  # pytest reads a plugin module's fixtures
    for exercise in assignment.automatic:
        setattr(fixtures, f"fixture_{exercise.id}", _fixture_for(assignment, exercise.id))
    config.pluginmanager.register(fixtures, "autograder-exercises")


@pytest.fixture(scope="session")
def student(request) -> LocalStudent:
    submission = read_submission("submission", request.config.getoption("--submission"), assignment_of(request.config))
    if submission.problem:
        pytest.exit(str(submission.problem), returncode=2)
    namespace = new_namespace("__main__" if submission.kind == "notebook" else "submission")
    for index, source in enumerate(submission.cells):
        run_cell(namespace, source, index)
    return LocalStudent(namespace)


def _fixture_for(assignment: Assignment, exercise_id: str):
    @pytest.fixture(name=exercise_id)
    def under_test(student):
        return function_under_test(assignment.by_id[exercise_id], student)
    return under_test
