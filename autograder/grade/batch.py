"""Grading a batch: warm workers in parallel, one result file per submission as it finishes.

Every submission gets a result and the batch always finishes: whatever goes wrong while one
submission is graded becomes that submission's result (status `grader_error` when the fault is
the grader's, with the details for the instructor and a neutral message for the student), and a
worker that died is replaced. A result is written whole or not at all (written beside, then
renamed). Running the batch again skips every submission whose result already records the same
sha256, except grader errors, which are graded again; `force` grades everything again. The
grader's own faults (a full disk, a read-only folder) stop the batch cleanly: checked before
grading where possible, otherwise every result finished so far is kept and nothing partial is left.
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import shutil
import sys
import threading
import time
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.assignments import available
from autograder.checks.reference import keras_loader
from autograder.grade.hidden import collect, mask_student_text, run_exercise
from autograder.grade.secret import course_secret, submission_key
from autograder.grade.session import DEFAULT_BUDGET_S, RemoteStudent
from autograder.grade.static import rule_findings
from autograder.grade.tampering import needs_review_text, review_flags
from autograder.grade.submission import Assignments, Found, Submission, discover, file_name_of, submission_of
from autograder.lateness import HandedIn, late_by, lateness, timestamp_flags, with_lateness
from autograder.messages import as_text, render
from autograder.places import locate, place_text
from autograder.results import GRADER_ERROR, ExerciseResult, SubmissionResult, TestResult, summarize_exercise
from autograder.run.sandbox import (Limits, SandboxedWorker, UnsafeToGrade, WorkerFailed, sandbox_available,
                                    unsandboxed_refusal, unsandboxed_risks, unsandboxed_warning)
from autograder.student import StudentFailure
from autograder.writing import write_atomically

# A generous estimate of what one student adds to the output folder (result JSON, two feedback pages).
BYTES_PER_STUDENT = 512 * 1024
WRITE_PROBE_BYTES = 1024 * 1024


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
    # The assignments submissions may be of (each carries its grading folder's bytes, so a Dask worker grades
    # with exactly the client's), and which of them this batch grades: None every one, "" those of none.
    assignments: Assignments = field(default_factory=lambda: Assignments(available()), repr=False)
    only: str | None = None


def found_submissions(paths: list[Path], settings: GradeSettings) -> list[Found]:
    """The submissions under the paths that this batch grades (see `GradeSettings.only`)."""
    found = discover(paths, settings.assignments)
    if settings.only is None:
        return found
    return [item for item in found if (item.assignment.name if item.assignment else "") == settings.only]


def unanswered(submission: Submission, status: str, message: str, code: str) -> list[TestResult]:
    """Every test at 0 with the same status, for a submission that could not be run at all (none when its
    assignment cannot be told)."""
    assignment = submission.assignment
    if assignment is None:
        return []
    return [TestResult(t.id, t.exercise, 0.0, t.points, status, message, code)
            for exercise in assignment.automatic for t in collect(assignment, exercise)]


class GraderFault(Exception):
    """The grader's own machine failed (the output folder cannot be written): the batch stops.
    `code` and `params` are the catalog message that says so."""

    def __init__(self, code: str, **params):
        super().__init__(render(code, params, "en"))
        self.code, self.params = code, params


def _place(submission: Submission, index: int) -> dict | None:
    return submission.places[index] if 0 <= index < len(submission.places) else None


def grade_submission(submission: Submission, worker: SandboxedWorker, settings: GradeSettings) -> SubmissionResult:
    """Static checks, then the submission's cells and hidden tests in a sandboxed process."""
    started = time.monotonic()
    assignment = submission.assignment
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
            for exercise in assignment.automatic:
                findings = rule_findings(exercise, submission.cells)  # parses through structure.parse_cells
                result, exercise_tests = run_exercise(exercise, collect(assignment, exercise), student, settings.lang,
                                                      findings, inputs_key, submission.cells)
                exercises[exercise.id] = result
                tests += exercise_tests
        finally:
            student.close()
    if not exercises:
        for exercise in assignment.automatic:
            own = [t for t in tests if t.exercise == exercise.id]
            exercises[exercise.id] = summarize_exercise(exercise.id, float(exercise.points), own, settings.lang)
    cells = [{"index": o.index, "place": place_text(_place(submission, o.index), settings.lang), "status": o.status,
              "message": locate(as_text(mask_student_text(o.message) if isinstance(o.message, str) else o.message,
                                        settings.lang), submission.places, settings.lang)}
             for o in sorted(student.outcomes.values(), key=lambda o: o.index) if o.status != "ok"]
    for exercise in exercises.values():
        exercise.messages = [locate(message, submission.places, settings.lang) for message in exercise.messages]
    for test in tests:
        test.message = locate(test.message, submission.places, settings.lang)
    return SubmissionResult(
        student=submission.student, source=str(submission.path), assignment=assignment.name,
        score=round(sum(e.score for e in exercises.values()), 6), max_score=float(assignment.automatic_points),
        exercises=exercises, tests=tests, sha256=submission.sha256,
        duration_s=round(time.monotonic() - started, 3), versions=worker.versions, sandboxed=worker.sandboxed,
        language=settings.lang, cells=cells, manual=submission.manual, problems=problems,
        notes=[as_text(note, settings.lang) for note in submission.notes],
        review=review_flags(submission.cells, tests) + timestamp_flags(submission.timestamp),
        student_process={"starts": student.starts, "cpu_s": round(student.cpu_s, 3),
                         "peak_rss_kb": student.peak_rss_kb, "memory_bound_hits": student.memory_bound_hits},
        **lateness(submission.timestamp, settings.due))


def unfinished_result(submission: Submission, status: str, student_message: str, code: str,
                      grader_error: str = "", worker: SandboxedWorker | None = None,
                      settings: GradeSettings = GradeSettings(), problems: tuple[str, ...] = ()) -> SubmissionResult:
    """A submission whose grading could not go on: every test at 0 with one status and message."""
    tests = unanswered(submission, status, student_message, code)
    assignment = submission.assignment
    exercises = {exercise.id: summarize_exercise(exercise.id, float(exercise.points),
                                                 [t for t in tests if t.exercise == exercise.id])
                 for exercise in (assignment.automatic if assignment else ())}
    return SubmissionResult(
        student=submission.student, source=str(submission.path), assignment=assignment.name if assignment else "",
        score=0.0, max_score=float(assignment.automatic_points if assignment else 0),
        exercises=exercises, tests=tests, sha256=submission.sha256, duration_s=0.0,
        versions=worker.versions if worker else {}, sandboxed=bool(worker and worker.sandboxed),
        language=settings.lang, manual=submission.manual, problems=list(problems),
        notes=[as_text(note, settings.lang) for note in submission.notes],
        grader_error=grader_error, review=timestamp_flags(submission.timestamp),
        **lateness(submission.timestamp, settings.due))


def grader_error_result(submission: Submission, error: BaseException, worker: SandboxedWorker | None,
                        settings: GradeSettings) -> SubmissionResult:
    """The grader failed on this submission: the details for the instructor, a neutral word for the student."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__)[-6:])
    return unfinished_result(submission, GRADER_ERROR, render("grader.error", {}, settings.lang), "grader.error",
                             grader_error=f"{type(error).__name__}: {str(error)[:500]}\n{details[-4000:]}",
                             worker=worker, settings=settings)


class WarmWorker:
    """One slot's warm worker, started when first needed and replaced when it dies.

    The local batch keeps one per thread; a cluster keeps one per Dask worker.
    """

    def __init__(self, slot: int, sandboxed: bool, limits: Limits):
        self.slot, self.sandboxed, self.limits = slot, sandboxed, limits
        self.worker: SandboxedWorker | None = None

    def start_if_needed(self) -> SandboxedWorker:
        if self.worker is None or not self.worker.alive():
            self.stop()
            worker = SandboxedWorker(self.slot, self.sandboxed, self.limits)
            try:
                worker.start()
            except BaseException:
                worker.stop()
                raise
            self.worker = worker
        return self.worker

    def grade(self, submission: Submission, settings: GradeSettings) -> dict:
        """The submission's result as JSON data, whatever happens: never raises.

        A worker that fails is replaced and the submission tried once more on a fresh one; a failure
        of the student's code as a whole gets that status; anything else is a grader error.
        """
        if submission.problem:  # nothing to run: no worker needed
            problem = as_text(submission.problem, settings.lang)
            code = "submission.unreadable" if submission.assignment else "submission.unknown_assignment"
            return unfinished_result(submission, "missing", problem, code, settings=settings,
                                     problems=(problem,)).to_json()
        for attempt in range(2):
            try:
                return grade_submission(submission, self.start_if_needed(), settings).to_json()
            except StudentFailure as failure:
                code = f"student.{failure.status}"
                reason = as_text(failure.message, settings.lang)
                message = render(code, {"reason": reason, "error": reason}, settings.lang)
                return unfinished_result(submission, failure.status, message, code, worker=self.worker,
                                         settings=settings).to_json()
            except Exception as error:  # noqa: BLE001 - any fault becomes this submission's result
                worker_died = (isinstance(error, (WorkerFailed, OSError)) or self.worker is None
                               or not self.worker.alive())
                worker = self.worker
                self.stop()  # whatever state the worker is in, the next submission gets a fresh one
                if attempt == 0 and worker_died:
                    continue
                return grader_error_result(submission, error, worker, settings).to_json()
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


def write_result(out_dir: Path, result: dict) -> None:
    write_atomically(result_path(out_dir, result["student"]), json.dumps(result, indent=1))


def check_output_folder(out_dir: Path, students: int) -> None:
    """Before grading: the folder can be created and written, and has room for this batch."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".write-probe.{os.getpid()}.tmp"
        try:
            with open(probe, "wb") as handle:
                handle.write(b"\0" * WRITE_PROBE_BYTES)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as error:
        raise GraderFault("command.out_not_writable", out=out_dir, reason=error.strerror or error) from None
    free = shutil.disk_usage(out_dir).free
    needed = students * BYTES_PER_STUDENT
    if free < needed:
        raise GraderFault("command.out_too_small", out=out_dir, free_kib=free // 1024, needed_kib=needed // 1024,
                          count=students)


def result_path(out_dir: Path, student: str) -> Path:
    path = (out_dir / f"{file_name_of(student)}.json").resolve()
    if path.parent != out_dir.resolve():
        raise ValueError(f"unsafe student id {student!r}")
    return path


def previous_result(out_dir: Path, student: str, sha256: str) -> dict | None:
    """The result of an earlier run for the same file, unless the grader failed on it then."""
    path = result_path(out_dir, student)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if (not isinstance(data, dict) or data.get("student") != student or data.get("sha256") != sha256
            or data.get("grader_error")):
        return None
    return data


def kept_result(out_dir: Path, student: str, sha256: str, timestamp: HandedIn,
                settings: GradeSettings) -> dict | None:
    """An earlier run's result for the same bytes, late as of today's due date and timestamp.txt (its JSON
    rewritten when that changed it); None when it must be graded."""
    kept = None if settings.force else previous_result(out_dir, student, sha256)
    if kept is None:
        return None
    updated = with_lateness(kept, timestamp, settings.due)
    if updated != kept:
        write_result(out_dir, updated)
    return updated


def exercise_ids(results: list[dict]) -> list[str]:
    """The automatic exercises of the results' assignment, in its order (the results' own)."""
    ids: dict[str, None] = {}
    for result in results:
        ids.update(dict.fromkeys(result["exercises"]))
    return list(ids)


def grades_csv(results: list[dict]) -> str:
    """One row per student: a column per automatic exercise, the total, when it was submitted (UTC) and how late
    (its column, like the class report, in the language of the grading: "late_by (d h min)", "9 h 31 min").
    A student the grader failed on has no scores rather than a false 0."""
    from autograder.report.classroom import report_language

    lang = report_language(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = exercise_ids(results)
    writer.writerow(["student", *ids, "total", "max_score", "timestamp", render("report.late_by_column", {}, lang),
                     "needs_review"])
    for result in sorted(results, key=lambda r: r["student"]):
        graded = not result.get("grader_error") and result["exercises"]
        scores = [_number(result["exercises"][i]["score"]) if graded and i in result["exercises"] else "" for i in ids]
        writer.writerow([result["student"], *scores, _number(result["score"]) if graded else "",
                         _number(result["max_score"]), result.get("timestamp", ""),
                         late_by(result, lang), needs_review_text(result, result.get("language", "en"))])
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
    """Grade every submission under the paths into out_dir; returns every result as JSON data.

    Raises GraderFault, before grading or after the results finished so far are kept, when the
    output folder cannot be written.
    """
    found = found_submissions(paths, settings)
    check_output_folder(out_dir, len(found))
    pending: queue.Queue = queue.Queue()
    results: dict[str, dict] = {}
    bar = progress(len(found))
    for item in found:
        submission = submission_of(item)
        kept = kept_result(out_dir, item.student, submission.sha256, submission.timestamp, settings)
        if kept is not None:
            results[item.student] = kept
            bar.step(render("summary.kept", {"student": item.student}, settings.lang))
        else:
            pending.put(submission)
    sandboxed = sandbox_available() if settings.sandbox is None else settings.sandbox
    if not sandboxed:
        risks = unsandboxed_risks(paths, out_dir, len(found))
        if risks and not settings.unsandboxed:
            raise UnsafeToGrade(unsandboxed_refusal(risks, settings.lang))
        print(unsandboxed_warning(risks, settings.lang), file=sys.stderr)
    lock = threading.Lock()
    faults: list[tuple[Path, OSError]] = []

    def work(slot: int) -> None:
        warm = WarmWorker(slot, sandboxed, settings.limits)
        try:
            while not faults:
                try:
                    submission = pending.get_nowait()
                except queue.Empty:
                    return
                result = warm.grade(submission, settings)
                try:
                    write_result(out_dir, result)
                except OSError as error:
                    faults.append((result_path(out_dir, submission.student), error))
                    return
                with lock:
                    results[submission.student] = result
                bar.step(submission.student)
        finally:
            warm.stop()

    count = min(max(1, settings.workers), max(1, pending.qsize()))
    threads = [threading.Thread(target=work, args=(slot,), daemon=True) for slot in range(count)]
    if not pending.empty():
        threads.append(keras_loader())  # while the warm workers start
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = [results[item.student] for item in found if item.student in results]
    try:
        write_atomically(out_dir / "grades.csv", grades_csv(ordered))
    except OSError as error:
        faults.append((out_dir / "grades.csv", error))
    if faults:
        path, error = faults[0]
        raise GraderFault("command.batch_stopped", path=path, reason=error.strerror or error, kept=len(results),
                          out=out_dir)
    return ordered


def terminal_width(text: str) -> int:
    """Columns text takes on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """text padded to width terminal columns, so a table with Korean in it stays aligned."""
    fill = " " * max(0, width - terminal_width(text))
    return fill + text if right else text + fill


def grader_errors(results: list[dict]) -> list[dict]:
    """The results the grader itself could not finish: to be graded again by the next run."""
    return [result for result in results if result.get("grader_error")]


def summary_table(results: list[dict], lang: str = "en", footer: bool = True) -> str:
    """A fixed-width table: one row per student, a numbered column per exercise (named in a legend), the total."""
    ids = exercise_ids(results)
    student, total_header = render("summary.student", {}, lang), render("summary.total", {}, lang)
    name_width = max([7, terminal_width(student), *(terminal_width(r["student"]) for r in results)])
    lines = [" ".join([pad(student, name_width), *(f"{n:>4}" for n in range(1, len(ids) + 1)),
                       pad(total_header, 9, right=True)])]
    for result in results:
        cells = [f"{_number(result['exercises'][i]['score']) if i in result['exercises'] else '-':>4}" for i in ids]
        total = f"{_number(result['score'])}/{_number(result['max_score'])}"
        if result.get("grader_error"):
            cells, total = [f"{'-':>4}" for _ in ids], "error"
        lines.append(" ".join([pad(result["student"], name_width), *cells, f"{total:>9}"]))
    legend = [f"{n}={exercise_id}" for n, exercise_id in enumerate(ids, 1)]
    lines += ["  " + "  ".join(legend[:6]), "  " + "  ".join(legend[6:])]
    if footer:
        lines.append(render("summary.footer", {"count": len(results)}, lang))
    return "\n".join(lines)
