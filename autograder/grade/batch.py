"""Grading a batch: warm workers in parallel, one result file per submission as it finishes.

A result is written whole or not at all (written beside, then renamed). Running the batch
again skips every submission whose result already records the same sha256, so a grader
killed mid-batch loses nothing; `force` grades everything again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.exercises import AUTOMATIC, AUTOMATIC_POINTS
from autograder.grade.hidden import mask_student_text, run_exercise
from autograder.grade.secret import course_secret, submission_key
from autograder.grade.session import DEFAULT_BUDGET_S, RemoteStudent
from autograder.grade.static import rule_findings
from autograder.grade.tampering import needs_review_text, review_flags
from autograder.grade.submission import Submission, discover, read_submission
from autograder.lateness import late_text, lateness
from autograder.messages import as_text, render
from autograder.results import ExerciseResult, SubmissionResult, TestResult, summarize_exercise
from autograder.run.sandbox import (Limits, SandboxedWorker, UnsafeToGrade, WorkerFailed, sandbox_available,
                                    unsandboxed_refusal, unsandboxed_risks, unsandboxed_warning)


@dataclass(frozen=True)
class GradeSettings:
    workers: int = 2
    timeout_s: float = 30.0
    budget_s: float = DEFAULT_BUDGET_S
    force: bool = False
    lang: str = "en"
    due: str = ""  # the due date, UTC as nbgrader stores it ("" when there is none)
    sandbox: bool | None = None
    unsandboxed: bool = False  # the instructor accepts running untrusted code where no sandbox can be made
    limits: Limits = Limits()
    # The course secret, read where the grading starts (so Dask workers draw the inputs the course does); never shown.
    inputs_secret: bytes = field(default_factory=course_secret, repr=False)


def unanswered(submission: Submission, status: str, message: str, code: str) -> list[TestResult]:
    """Every test at 0 with the same status, for a submission that could not be run at all."""
    from autograder.grade.hidden import collect

    return [TestResult(t.id, t.exercise, 0.0, t.points, status, message, code)
            for exercise in AUTOMATIC for t in collect(exercise)]


def grade_submission(submission: Submission, worker: SandboxedWorker, settings: GradeSettings) -> SubmissionResult:
    """Static checks, then the submission's cells and hidden tests in a sandboxed process."""
    started = time.monotonic()
    tests: list[TestResult] = []
    exercises: dict[str, ExerciseResult] = {}
    problems: list[str] = []
    student = RemoteStudent(worker, submission.cells, "__main__" if submission.kind == "notebook" else "submission",
                            settings.timeout_s, settings.budget_s)
    if submission.problem:
        problems.append(as_text(submission.problem, settings.lang))
        tests = unanswered(submission, "missing", problems[-1], "submission.unreadable")
    else:
        try:
            student._start()
            inputs_key = submission_key(submission.sha256, settings.inputs_secret)
            for exercise in AUTOMATIC:
                findings = rule_findings(exercise, submission.cells)  # parses through structure.parse_cells
                result, exercise_tests = run_exercise(exercise, student, settings.lang, findings, inputs_key,
                                                      submission.cells)
                exercises[exercise.id] = result
                tests += exercise_tests
        finally:
            student.close()
    if not exercises:
        for exercise in AUTOMATIC:
            own = [t for t in tests if t.exercise == exercise.id]
            exercises[exercise.id] = summarize_exercise(exercise.id, float(exercise.points), own)
    cells = [{"index": o.index, "status": o.status,
              "message": as_text(mask_student_text(o.message) if isinstance(o.message, str) else o.message,
                                 settings.lang)}
             for o in sorted(student.outcomes.values(), key=lambda o: o.index) if o.status != "ok"]
    return SubmissionResult(
        student=submission.student, source=str(submission.path),
        score=round(sum(e.score for e in exercises.values()), 6), max_score=float(AUTOMATIC_POINTS),
        exercises=exercises, tests=tests, sha256=submission.sha256,
        duration_s=round(time.monotonic() - started, 3), versions=worker.versions, sandboxed=worker.sandboxed,
        language=settings.lang, cells=cells, manual=submission.manual, problems=problems,
        review=review_flags(submission.cells, tests),
        student_process={"starts": student.starts, "cpu_s": round(student.cpu_s, 3),
                         "peak_rss_kb": student.peak_rss_kb, "memory_bound_hits": student.memory_bound_hits},
        **lateness(submission.timestamp, settings.due))


class WarmWorker:
    """One slot's warm worker, started when first needed and started again after it fails.

    The local batch keeps one per thread; a cluster keeps one per Dask worker.
    """

    def __init__(self, slot: int, sandboxed: bool, limits: Limits):
        self.slot, self.sandboxed, self.limits = slot, sandboxed, limits
        self.worker: SandboxedWorker | None = None

    def start_if_needed(self) -> SandboxedWorker:
        if self.worker is None or not self.worker.alive():
            self.stop()
            self.worker = SandboxedWorker(self.slot, self.sandboxed, self.limits)
            self.worker.start()
        return self.worker

    def grade(self, submission: Submission, settings: GradeSettings) -> dict:
        """The submission's result as JSON data; a worker that fails under it is started again once."""
        try:
            return grade_submission(submission, self.start_if_needed(), settings).to_json()
        except WorkerFailed:
            self.stop()
        return grade_submission(submission, self.start_if_needed(), settings).to_json()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


def write_result(out_dir: Path, result: dict) -> None:
    write_atomically(result_path(out_dir, result["student"]), json.dumps(result, indent=1))


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def result_path(out_dir: Path, student: str) -> Path:
    path = (out_dir / f"{student}.json").resolve()
    if path.parent != out_dir.resolve():
        raise ValueError(f"unsafe student id {student!r}")
    return path


def previous_result(out_dir: Path, student: str, sha256: str) -> dict | None:
    path = result_path(out_dir, student)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("sha256") == sha256 else None


def kept_result(out_dir: Path, student: str, sha256: str, timestamp: str, settings: GradeSettings) -> dict | None:
    """An earlier run's result for the same bytes, late as of today's due date; None when it must be graded."""
    kept = None if settings.force else previous_result(out_dir, student, sha256)
    return None if kept is None else {**kept, **lateness(timestamp, settings.due)}


def grades_csv(results: list[dict]) -> str:
    """One row per student: a column per automatic exercise, the total, when it was submitted (UTC) and how late."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *(e.id for e in AUTOMATIC), "total", "max_score", "timestamp", "late_by",
                     "needs_review"])
    for result in sorted(results, key=lambda r: r["student"]):
        writer.writerow([result["student"], *(_number(result["exercises"][e.id]["score"]) for e in AUTOMATIC),
                         _number(result["score"]), _number(result["max_score"]), result.get("timestamp", ""),
                         late_text(result.get("seconds_late", 0.0)), needs_review_text(result, result.get("language", "en"))])
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{value:g}"


class Progress:
    """A one-line progress bar on a terminal; a line per tenth of the batch otherwise."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.lock = threading.Lock()
        self.started = time.monotonic()

    def step(self, label: str) -> None:
        with self.lock:
            self.done += 1
            width = 30
            filled = width * self.done // max(self.total, 1)
            line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                    f"{time.monotonic() - self.started:.1f}s {label[:30]}")
            if self.stream.isatty():
                self.stream.write("\r" + line.ljust(80) + ("\n" if self.done == self.total else ""))
            elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
                self.stream.write(line + "\n")
            self.stream.flush()


def grade_batch(paths: list[Path], out_dir: Path, settings: GradeSettings,
                progress: Callable[[int], Progress] = Progress) -> list[dict]:
    """Grade every submission under the paths into out_dir; returns every result as JSON data."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pending: queue.Queue = queue.Queue()
    results: dict[str, dict] = {}
    found = discover(paths)
    bar = progress(len(found))
    for student, path in found:
        submission = read_submission(student, path)
        kept = kept_result(out_dir, student, submission.sha256, submission.timestamp, settings)
        if kept is not None:
            results[student] = kept
            bar.step(render("summary.kept", {"student": student}, settings.lang))
        else:
            pending.put(submission)
    sandboxed = sandbox_available() if settings.sandbox is None else settings.sandbox
    if not sandboxed:
        risks = unsandboxed_risks(paths, out_dir, len(found))
        if risks and not settings.unsandboxed:
            raise UnsafeToGrade(unsandboxed_refusal(risks, settings.lang))
        print(unsandboxed_warning(risks, settings.lang), file=sys.stderr)
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work(slot: int) -> None:
        warm = WarmWorker(slot, sandboxed, settings.limits)
        try:
            while True:
                try:
                    submission = pending.get_nowait()
                except queue.Empty:
                    return
                result = warm.grade(submission, settings)
                write_result(out_dir, result)
                with lock:
                    results[submission.student] = result
                bar.step(submission.student)
        except BaseException as error:  # reported after the other workers finish
            failures.append(error)
        finally:
            warm.stop()

    count = min(max(1, settings.workers), max(1, pending.qsize()))
    threads = [threading.Thread(target=work, args=(slot,), daemon=True) for slot in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    ordered = [results[student] for student, _ in found if student in results]
    write_atomically(out_dir / "grades.csv", grades_csv(ordered))
    return ordered


def terminal_width(text: str) -> int:
    """Columns text takes on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """text padded to width terminal columns, so a table with Korean in it stays aligned."""
    fill = " " * max(0, width - terminal_width(text))
    return fill + text if right else text + fill


def summary_table(results: list[dict], lang: str = "en", footer: bool = True) -> str:
    """A fixed-width table: one row per student, a numbered column per exercise (named in a legend), the total."""
    ids = [e.id for e in AUTOMATIC]
    student, total_header = render("summary.student", {}, lang), render("summary.total", {}, lang)
    name_width = max([7, terminal_width(student), *(terminal_width(r["student"]) for r in results)])
    lines = [" ".join([pad(student, name_width), *(f"{n:>4}" for n in range(1, len(ids) + 1)),
                       pad(total_header, 9, right=True)])]
    for result in results:
        cells = [f"{_number(result['exercises'][i]['score']):>4}" for i in ids]
        total = f"{_number(result['score'])}/{_number(result['max_score'])}"
        lines.append(" ".join([pad(result["student"], name_width), *cells, f"{total:>9}"]))
    legend = [f"{n}={exercise_id}" for n, exercise_id in enumerate(ids, 1)]
    lines += ["  " + "  ".join(legend[:6]), "  " + "  ".join(legend[6:])]
    if footer:
        lines.append(render("summary.footer", {"count": len(results)}, lang))
    return "\n".join(lines)
