"""The public tests: the grader's own checks, run in the student's notebook on cases of their own.

Each exercise's graded cell calls `check`, which runs the same rule check, the same checks
and the same diagnosis of mistakes as the grader (`autograder.grade.hidden.run_exercise`),
on the visible cases below instead of the hidden ones, and says what the grader would say.
A failure raises AssertionError, so nbgrader's Validate fails exactly when a public test
does. `check_all` prints every exercise's result and the points it would be worth.

The visible cases are the assignment's own (`source/<assignment>/grading/public.py`). The
release ships this module and everything it imports as the package `course_checks` beside the
notebook, with the assignment's grading package bound to `check` and `check_all` (see
`autograder.assign.bundle`): nothing here may import the hidden tests, the solutions or the
course secret.
"""

from __future__ import annotations

import inspect
import os
import warnings

from course_checks.assignments import Assignment
from course_checks.exercises import Exercise
from course_checks.grade.hidden import HiddenTest, run_exercise
from course_checks.grade.static import rule_findings
from course_checks.messages import DEFAULT_LANGUAGE, render
from course_checks.results import ExerciseResult
from course_checks.student import LocalStudent


def public_tests(assignment: Assignment, exercise: Exercise) -> tuple[HiddenTest, ...]:
    """The exercise's visible cases (its assignment's `grading/public.py`) as tests the grader's runner takes;
    each is worth an equal share."""
    rows = [(check, dict(zip(names, case))) for check, names, cases in assignment.public_cases()[exercise.id]
            for case in cases]
    share = exercise.points / len(rows)
    return tuple(HiddenTest(f"{exercise.id}::public[{index}]", exercise.id, share, check, tuple(params.items()))
                 for index, (check, params) in enumerate(rows, start=1))


def notebook_cells(namespace: dict, name: str) -> list[str]:
    """The cells the kernel ran (IPython's `In`), or the source of the definition itself outside IPython."""
    history = namespace.get("In")
    if isinstance(history, list) and history:
        return [str(cell) for cell in history]
    try:
        return [inspect.getsource(namespace[name])]
    except (KeyError, OSError, TypeError):
        return []


def run_public_tests(assignment: Assignment, exercise: Exercise, namespace: dict,
                     lang: str = DEFAULT_LANGUAGE) -> ExerciseResult:
    """The rule and structure checks and the visible cases of one exercise, exactly as the grader runs its
    hidden ones; the visible cases are the same for everyone (no submission key)."""
    cells = notebook_cells(namespace, exercise.name)
    findings = rule_findings(exercise, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning on stderr would fail the cell under nbgrader
        result, _ = run_exercise(exercise, public_tests(assignment, exercise), LocalStudent(namespace), lang, findings,
                                 b"", cells)
    return result


def _number(value: float) -> str:
    return f"{value:.3g}"


def report(result: ExerciseResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the public tests say: passed, or the grader's messages and the points they leave."""
    params = {"id": result.id, "score": _number(result.score), "max_score": _number(result.max_score)}
    if result.status == "passed":
        return render("public.passed", params, lang)
    return "\n".join([render("public.failed", params, lang), *(f"  - {message}" for message in result.messages)])


def check(assignment: Assignment, exercise_id: str, namespace: dict, lang: str = DEFAULT_LANGUAGE) -> None:
    """An exercise's public tests in its graded cell: print that they pass, or raise what the grader would say.

    Under `nbgrader autograde` the hidden tests that follow in the same cell decide, so nothing runs here.
    """
    __tracebackhide__ = True  # IPython shows the failure without this function's frame
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    result = run_public_tests(assignment, assignment.by_id[exercise_id], namespace, lang)
    if result.status != "passed":
        raise AssertionError(report(result, lang))
    print(report(result, lang))


def check_all(assignment: Assignment, namespace: dict, lang: str = DEFAULT_LANGUAGE) -> None:
    """Every exercise's public tests, never stopping at a failure, and the points each would be worth."""
    total = 0.0
    for exercise in assignment.automatic:
        result = run_public_tests(assignment, exercise, namespace, lang)
        total += result.score
        print(report(result, lang))
    manual = [exercise for exercise in assignment.exercises if not exercise.automatic]
    print(render("public.total", {"score": _number(total), "max_score": _number(assignment.automatic_points),
                                  "manual": sum(exercise.points for exercise in manual)}, lang))
