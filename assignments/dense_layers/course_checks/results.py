"""Plain data between the grader's stages: test results, exercise results, submission results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

STATUSES = ("passed", "failed", "error", "timeout", "crashed", "forbidden", "missing")
# When an exercise's tests end differently, the exercise shows the gravest status.
GRAVITY = ("forbidden", "missing", "crashed", "timeout", "error", "failed", "passed")


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


def summarize_exercise(exercise_id: str, max_score: float, tests: list[TestResult]) -> ExerciseResult:
    """An exercise's score and status from its tests; messages once each, in test order."""
    status = min((t.status for t in tests), key=GRAVITY.index) if tests else "missing"
    messages, codes = [], []
    for test in tests:
        if test.status != "passed" and test.message not in messages:
            messages.append(test.message)
        if test.code and test.code not in codes:
            codes.append(test.code)
    score = round(sum(t.points for t in tests), 6)
    return ExerciseResult(exercise_id, score, max_score, status, messages, codes)


@dataclass
class SubmissionResult:
    student: str
    source: str
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

    def to_json(self) -> dict:
        return asdict(self)
