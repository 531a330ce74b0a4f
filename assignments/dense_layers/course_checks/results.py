"""Plain data between the grader's stages: test results, exercise results, submission results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from course_checks.messages import render

GRADER_ERROR = "grader_error"
STATUSES = ("passed", "failed", "error", "timeout", "crashed", "forbidden", "missing", GRADER_ERROR)
# When an exercise's tests end differently, the exercise shows the gravest status.
GRAVITY = (GRADER_ERROR, "forbidden", "missing", "crashed", "timeout", "error", "failed", "passed")
# Codes that say the student's code failed without naming a mistake: their messages differ in substance.
UNNAMED_FAILURES = ("student.error", "student.unreadable")


@dataclass
class TestResult:
    id: str
    exercise: str
    points: float
    max_points: float
    status: str
    message: str = ""
    code: str = ""


@dataclass
class ExerciseResult:
    id: str
    score: float
    max_score: float
    status: str
    messages: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def collapsed_messages(tests: list[TestResult], lang: str = "en") -> list[str]:
    """Each failure once, in test order, with the number of cases it happened in ("in 6 of 7 cases: ...").

    Failures with the same named mistake are one mistake seen in several cases (their messages differ
    only by the case), so the first case's message stands for them; an error no mistake explains
    collapses only with identical ones. A failure of every case with one and the same message needs
    no count.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for test in tests:
        if test.status != "passed":
            named = test.code and test.code not in UNNAMED_FAILURES
            groups.setdefault(("code", test.code) if named else ("text", test.message), []).append(test.message)
    messages = []
    for found in groups.values():
        identical = len(set(found)) == 1
        if len(found) == len(tests) and identical:
            messages.append(found[0])
            continue
        code = ("feedback.in_cases" if identical else
                "feedback.in_all_cases_first" if len(found) == len(tests) else "feedback.in_cases_first")
        messages.append(render(code, {"count": len(found), "total": len(tests), "message": found[0]}, lang))
    return messages


def summarize_exercise(exercise_id: str, max_score: float, tests: list[TestResult], lang: str = "en") -> ExerciseResult:
    """An exercise's score and status from its tests; each failure's message once (see `collapsed_messages`)."""
    status = min((t.status for t in tests), key=GRAVITY.index) if tests else "missing"
    codes = []
    for test in tests:
        if test.code and test.code not in codes:
            codes.append(test.code)
    score = round(sum(t.points for t in tests), 6)
    return ExerciseResult(exercise_id, score, max_score, status, collapsed_messages(tests, lang), codes)


@dataclass
class SubmissionResult:
    student: str
    source: str
    assignment: str  # its name; "" when the submission's assignment could not be told
    score: float
    max_score: float
    exercises: dict[str, ExerciseResult]
    tests: list[TestResult]
    sha256: str
    duration_s: float
    versions: dict
    sandboxed: bool
    language: str = "en"
    student_process: dict = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)
    manual: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    timestamp: str = ""  # when it was submitted, and when it was due: UTC, as nbgrader stores them
    due: str = ""
    seconds_late: float = 0.0
    # "Needs review": lines that reach into the grader's harness or hide code (autograder.grade.tampering).
    review: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # For the instructor only: what failed in the grader (never shown to the student).
    grader_error: str = ""

    def to_json(self) -> dict:
        return encodable(asdict(self))


def encodable(value: Any) -> Any:
    """The value with every string made writable as UTF-8: a lone surrogate (from a file name or a
    student's exception text) becomes its escape, `\\udcff`, so every report and export can be written."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encodable(item) for item in value]
    return value
