"""Collecting the hidden tests of an exercise and running them against a student.

The tests are plain pytest modules; this runner does what pytest would for them (fixtures
by name, `pytest.mark.parametrize`) without pytest's start-up cost per submission.
"""

from __future__ import annotations

import importlib
import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from course_checks.checks.core import CheckFailure
from course_checks.checks.mistakes import error_mistake, plain_error
from course_checks.exercises import Exercise
from course_checks.grade.rules import breaches_of, read_ran
from course_checks.grade.static import Finding
from course_checks.messages import phrase, render, section_pointer
from course_checks.results import ExerciseResult, TestResult, summarize_exercise
from course_checks.student import Student, StudentFailure, function_under_test

# Messages about the course's content send the student back to the exercise's section.
SECTION_POINTER_PREFIXES = ("dense.", "cascade.", "model.", "layers.", "shapes.", "variables.")


@dataclass(frozen=True)
class HiddenTest:
    id: str
    exercise: str
    points: float
    function: Callable
    params: tuple[tuple[str, object], ...]


def _parameter_sets(function) -> list[dict]:
    sets = [{}]
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = [dict(zip(names, row if len(names) > 1 else (row,))) for row in values]
        sets = [{**left, **right} for left, right in itertools.product(sets, rows)]
    return sets


def _test_id(name: str, params: dict) -> str:
    return f"{name}[{'-'.join(str(v) for v in params.values())}]" if params else name


@lru_cache(maxsize=None)
def collect(exercise: Exercise) -> tuple[HiddenTest, ...]:
    """The exercise's hidden tests, in file order, sharing the exercise's points in proportion to their worth."""
    module = importlib.import_module(f"autograder.hidden_tests.test_{exercise.id}")
    found = []
    for name, function in vars(module).items():
        if not (name.startswith("test_") and callable(function)):
            continue
        for params in _parameter_sets(function):
            worth = params.get("worth", getattr(function, "points", None))
            if worth is None:
                raise ValueError(f"{module.__name__}.{name} says nothing of its share of the points")
            found.append((name, function, params, float(worth)))
    total = sum(worth for *_, worth in found)
    if total <= 0:
        raise ValueError(f"the hidden tests of {exercise.id} have no worth")
    return tuple(HiddenTest(f"{exercise.id}::{_test_id(name, params)}", exercise.id,
                            round(exercise.points * worth / total, 6), function, tuple(params.items()))
                 for name, function, params, worth in found)


def _failure_message(exercise: Exercise, code: str, params: dict, lang: str) -> str:
    text = render(code, params, lang)
    if code.startswith(SECTION_POINTER_PREFIXES):
        text += " " + section_pointer(exercise, lang)
    return text


def _student_failure_code(exercise: Exercise, failure: StudentFailure) -> str:
    """student.<status>, student.not_implemented for a stub never filled in, or the known mistake an error shows."""
    if failure.status == "error" and failure.message.startswith("NotImplementedError"):
        return "student.not_implemented"
    if failure.status == "error":
        return error_mistake(exercise.id, failure.message) or "student.error"
    return f"student.{failure.status}"


def run_test(exercise: Exercise, test: HiddenTest, under_test: Callable, lang: str) -> TestResult:
    """One hidden test: passed, failed with a named mistake, or the student's code did not answer."""
    result = TestResult(test.id, test.exercise, 0.0, test.points, "passed")
    try:
        test.function(**{exercise.id: under_test}, **dict(test.params))
        result.points = test.points
    except CheckFailure as failure:
        result.status, result.code = "failed", failure.code
        result.message = _failure_message(exercise, failure.code, failure.params, lang)
    except StudentFailure as failure:
        result.status, result.code = failure.status, _student_failure_code(exercise, failure)
        key = {"missing": "name", "error": "error"}.get(failure.status, "reason")
        params = {key: exercise.name if failure.status == "missing" else plain_error(failure.message),
                  "name": exercise.name}
        result.message = _failure_message(exercise, result.code, params, lang)
    except Exception as error:  # an answer whose form no check expected: it fails this test only
        result.status, result.code = "failed", "student.unreadable"
        result.message = render(result.code, {"what": phrase("context.unexpected_answer", error=error)}, lang)
    return result


def _forbidden(exercise: Exercise, finding: Finding, lang: str) -> str:
    return render(finding.code, {"name": exercise.name, "found": finding.found}, lang)


def _zeroed(exercise: Exercise, result: TestResult, breaches: list[Finding], lang: str) -> TestResult:
    """A test a broken rule touched scores 0; one that failed anyway keeps its own diagnosis."""
    if result.status != "passed":
        return result
    return TestResult(result.id, result.exercise, 0.0, result.max_points, "forbidden",
                      _forbidden(exercise, breaches[0], lang), breaches[0].code)


def run_exercise(exercise: Exercise, student: Student, lang: str = "en", findings: list[Finding] = (),
                 tests: tuple[HiddenTest, ...] | None = None) -> tuple[ExerciseResult, list[TestResult]]:
    """All hidden tests of one exercise (or the given tests: the public ones, see `autograder.public`);
    a broken rule zeroes the tests it touched (autograder.grade.rules).

    Every test runs, so the other mistakes of a function that also breaks a rule are still named.
    """
    tests = collect(exercise) if tests is None else tests
    reports: list = []
    recorded = exercise.static_rules and exercise.kind == "function"
    under_test = function_under_test(exercise, student, ran=reports.append if recorded else None)
    results, ended, breached = [], None, []
    for test in tests:
        reports.clear()
        if ended is None:
            result = run_test(exercise, test, under_test, lang)
            if result.status in ("timeout", "crashed"):
                ended = result
        else:
            result = TestResult(test.id, test.exercise, 0.0, test.points, ended.status,
                                render("student.not_run", {"status": phrase(f"status.{ended.status}")}, lang), ended.code)
        breaches = breaches_of(exercise, list(findings), dict(test.params), read_ran(reports))
        if breaches:
            result = _zeroed(exercise, result, breaches, lang)
            breached += [b for b in breaches if b not in breached]
        results.append(result)
    summary = summarize_exercise(exercise.id, float(exercise.points), results, lang)
    if breached:
        messages = list(dict.fromkeys(_forbidden(exercise, finding, lang) for finding in breached))
        # A breach is said first, counted where zeroed tests said it ("in 3 of 7 cases: ..."), once either way.
        said = [next((m for m in summary.messages if m.endswith(breach)), breach) for breach in messages]
        summary.status = "forbidden"
        summary.messages = said + [m for m in summary.messages if m not in said]
        summary.codes = list(dict.fromkeys([f.code for f in breached] + summary.codes))
    return summary, results
