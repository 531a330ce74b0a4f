"""Collecting the hidden tests of an exercise and running them against a student.

The tests are plain pytest modules, one per exercise, in the assignment's
`grading/hidden_tests/` (see `autograder.assignments`); this runner does what pytest would for
them (fixtures by name, `pytest.mark.parametrize`) without pytest's start-up cost per submission.
A test receives the function under test as a fixture named after its exercise. A test's worth is
its `worth` parameter where it is parametrized with one (each parameter set is one test),
otherwise what `@points(n)` says; it is a share, not points: the exercise's points, defined once
in the assignment's exercise list, are split among its tests in proportion to their worth.
`pytest -p autograder.grade.under_pytest source/<assignment>/grading/hidden_tests --submission FILE`
runs the same tests under pytest itself.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from course_checks.assignments import Assignment
from course_checks.checks.cases import submission_inputs
from course_checks.checks.core import CheckFailure, GraderFailure
from course_checks.checks.mistakes import error_mistake, plain_error
from course_checks.exercises import Exercise
from course_checks.grade.rules import breaches_of, read_ran
from course_checks.grade.static import CHECKING_CODE, NO_CHECKING_CODE, Finding, is_checking_code
from course_checks.grade.structure import check_structure
from course_checks.messages import ASSIGNMENT_CODES, phrase, render, section_pointer
from course_checks.results import ExerciseResult, TestResult, summarize_exercise
from course_checks.student import Student, StudentFailure, function_under_test

# Messages about the course's content send the student back to the exercise's section.
SECTION_POINTER_PREFIXES = ("dense.", "cascade.", "model.", "layers.", "shapes.", "variables.", "structure.")
# Parameters of a message that the grader wrote itself; every other one may hold the student's text.
GRADER_PARAMS = frozenset({"what", "expected", "index", "diff", "count", "total", "keys", "asked", "layer", "layers", "name",
                           "status"})
# What may carry the grader's numbers out: decimals, long integers, long runs of hex or base64.
GRADER_VALUE_PATTERN = re.compile(
    r"[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d{5,}"
    r"|(?=[A-Za-z0-9+/=]*\d)(?=[A-Za-z0-9+/=]*[A-Za-z])[A-Za-z0-9+/=]{20,}")
MASK = "…"


def points(value: float):
    """A hidden test's share of its exercise's points (each parameter set counts once)."""
    def mark(test):
        test.points = value
        return test
    return mark


def mask_student_text(text: str) -> str:
    """Text the student's code produced, with anything that could be the grader's numbers masked.

    A student's error message or returned string could repeat the grader's hidden inputs or
    expected values; shapes, line numbers and names survive.
    """
    return GRADER_VALUE_PATTERN.sub(MASK, str(text))


def _masked_params(params: dict) -> dict:
    return {key: value if key in GRADER_PARAMS else mask_student_text(value) for key, value in params.items()}


@dataclass(frozen=True)
class HiddenTest:
    id: str
    exercise: str
    points: float
    function: Callable
    params: tuple[tuple[str, object], ...]


def _parameter_sets(function) -> list[tuple[str, dict]]:
    """(case name, parameters) of each parameter set; a case is named by its `pytest.param` id."""
    sets = [("", {})]
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = []
        for row in values:
            case = getattr(row, "id", None)
            row = getattr(row, "values", row) if case is not None else row
            if not case:
                raise ValueError(f"{function.__name__}: every case needs a name (pytest.param(..., id=...)), "
                                 "so that a test id never shows the case's numbers")
            rows.append((case, dict(zip(names, row if len(names) > 1 else (row,)))))
        sets = [("-".join(filter(None, (left_id, right_id))), {**left, **right})
                for (left_id, left), (right_id, right) in itertools.product(sets, rows)]
    return sets


def _test_id(name: str, case: str) -> str:
    return f"{name}[{case}]" if case else name


@lru_cache(maxsize=None)
def collect(assignment: Assignment, exercise: Exercise) -> tuple[HiddenTest, ...]:
    """The exercise's hidden tests, in file order, sharing the exercise's points in proportion to their worth."""
    module = assignment.hidden_tests(exercise)
    found = []
    for name, function in vars(module).items():
        if not (name.startswith("test_") and callable(function)):
            continue
        for case, params in _parameter_sets(function):
            worth = params.get("worth", getattr(function, "points", None))
            if worth is None:
                where = getattr(module, "__file__", module.__name__)
                raise ValueError(f"{where}: {name} says nothing of its share of the points")
            found.append((name, case, function, params, float(worth)))
    total = sum(worth for *_, worth in found)
    if total <= 0:
        raise ValueError(f"the hidden tests of {exercise.id} have no worth")
    return tuple(HiddenTest(f"{exercise.id}::{_test_id(name, case)}", exercise.id,
                            round(exercise.points * worth / total, 6), function, tuple(params.items()))
                 for name, case, function, params, worth in found)


def _failure_message(exercise: Exercise, code: str, params: dict, lang: str) -> str:
    text = render(code, params, lang)
    if code.startswith(SECTION_POINTER_PREFIXES) or code in ASSIGNMENT_CODES:
        text += " " + section_pointer(exercise, lang)
    return text


def _student_failure_code(exercise: Exercise, failure: StudentFailure) -> str:
    """student.<status>, student.not_implemented for a stub never filled in, or the known mistake an error shows."""
    if failure.status == "error" and failure.message.startswith("NotImplementedError"):
        return "student.not_implemented"
    if failure.status == "error":
        return error_mistake(exercise.id, failure.message) or "student.error"
    return f"student.{failure.status}"


# How Python says a module is absent: in the grader's sandbox, the checking code always is.
ABSENT_MODULE = re.compile(r"ModuleNotFoundError: No module named '([\w.]{1,100})'")


def checking_code_used(failure: StudentFailure) -> Finding | None:
    """The rule every exercise has, broken at run time: the student's code imported the course's checking
    code, which the grader's sandbox does not hold (and the public tests hide while they call the student's
    code, see autograder.student), however the name was made. Said by the student's process, so it can
    only cost the student."""
    absent = ABSENT_MODULE.match(failure.message) if failure.status == "error" else None
    if absent and is_checking_code(absent.group(1)):
        return Finding(NO_CHECKING_CODE, CHECKING_CODE, f"import {absent.group(1)}", True)
    return None


def run_test(exercise: Exercise, test: HiddenTest, under_test: Callable, lang: str) -> TestResult:
    """One hidden test: passed, failed with a named mistake, or the student's code did not answer."""
    result = TestResult(test.id, test.exercise, 0.0, test.points, "passed")
    try:
        test.function(**{exercise.id: under_test}, **dict(test.params))
        result.points = test.points
    except CheckFailure as failure:
        result.status, result.code = "failed", failure.code
        result.message = _failure_message(exercise, failure.code, _masked_params(failure.params), lang)
    except StudentFailure as failure:
        used = checking_code_used(failure)
        if used:
            result.status, result.code = "forbidden", used.code
            result.message = _forbidden(exercise, used, lang)
            return result
        result.status, result.code = failure.status, _student_failure_code(exercise, failure)
        key = {"missing": "name", "error": "error"}.get(failure.status, "reason")
        said = exercise.name if failure.status == "missing" else mask_student_text(plain_error(failure.message))
        params = {key: said, "name": exercise.name}
        result.message = _failure_message(exercise, result.code, params, lang)
    except GraderFailure:
        raise
    except Exception as error:  # an answer whose form no check expected: it fails this test only
        result.status, result.code = "failed", "student.unreadable"
        result.message = render(result.code, {"what": phrase("context.unexpected_answer",
                                                             error=mask_student_text(error))}, lang)
    return result


def _forbidden(exercise: Exercise, finding: Finding, lang: str) -> str:
    return render(finding.code, {"name": exercise.name, "found": finding.found}, lang)


def _zeroed(exercise: Exercise, result: TestResult, breaches: list[Finding], lang: str) -> TestResult:
    """A test a broken rule touched scores 0; one that failed anyway keeps its own diagnosis, except under
    the rule against the checking code: where the grader runs, its absence is why the test failed."""
    if result.status != "passed" and breaches[0].rule != NO_CHECKING_CODE:
        return result
    return TestResult(result.id, result.exercise, 0.0, result.max_points, "forbidden",
                      _forbidden(exercise, breaches[0], lang), breaches[0].code)


def run_exercise(exercise: Exercise, tests: tuple[HiddenTest, ...], student: Student, lang: str = "en",
                 findings: list[Finding] = (), inputs_key: bytes = b"",
                 cells: list[str] | None = None) -> tuple[ExerciseResult, list[TestResult]]:
    """The given tests of one exercise (its hidden tests, `collect`, or its public ones, see `autograder.public`),
    on inputs drawn with `inputs_key` (the submission's key, see `autograder.grade.secret`). A
    structure the source does not show (`cells`, see `autograder.grade.structure`) scores every
    test 0; a broken rule zeroes the tests it touched (autograder.grade.rules).

    Every test runs, so the other mistakes of a function that also breaks a rule are still named.
    """
    structure = check_structure(exercise, cells) if cells is not None else None
    with submission_inputs(inputs_key):
        if structure is not None:
            return _unstructured(exercise, structure, lang, tests)
        return _run_tests(exercise, student, lang, findings, tests)


def _unstructured(exercise: Exercise, structure: CheckFailure, lang: str,
                  tests: tuple[HiddenTest, ...]) -> tuple[ExerciseResult, list[TestResult]]:
    """Every test at 0 for what the source shows: the release's stub, or not the structure asked for."""
    status = "error" if structure.code == "student.not_implemented" else "failed"
    message = _failure_message(exercise, structure.code, structure.params, lang)
    results = [TestResult(t.id, t.exercise, 0.0, t.points, status, message, structure.code)
               for t in tests]
    return summarize_exercise(exercise.id, float(exercise.points), results, lang), results


def _run_tests(exercise: Exercise, student: Student, lang: str, findings: list[Finding],
               tests: tuple[HiddenTest, ...]) -> tuple[ExerciseResult, list[TestResult]]:
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
