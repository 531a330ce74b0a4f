"""A student, as the hidden tests see it, answered by a sandboxed process.

The notebook's cells run first, in order, each with a deadline. A cell that kills the
process or runs past its deadline is noted and left out when the process is started
again, as a Jupyter user would restart the kernel and skip it; a test that kills the
process costs that test, and the next test gets a fresh process.

A submission has one time budget for all of it: every cell and every request, restarts
included, draws on it. Once it is spent, or once the process has been restarted too many
times, no process is started again and every later request fails with the reason, so
the rest of the tests get that status instead of an exception out of the session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from autograder.messages import phrase
from autograder.run.sandbox import SandboxedWorker, StudentProcess, StudentProcessEnded
from autograder.student import StudentFailure, value_of

SEED = 0
MAX_STARTS = 12
DEFAULT_BUDGET_S = 180.0
REPLY_STATUSES = ("ok", "missing", "unreadable", "error")


@dataclass
class CellOutcome:
    index: int
    status: str
    message: str = ""


def _well_formed(reply: dict) -> dict:
    """The reply, if its fields have the types the grader reads; the student process may send anything."""
    status, message = reply.get("status"), reply.get("message", "")
    if not (isinstance(status, str) and status in REPLY_STATUSES and isinstance(message, str)):
        raise StudentFailure("crashed", phrase("process.unreadable_reply"))
    return reply


@dataclass
class RemoteStudent:
    worker: SandboxedWorker
    cells: list[str]
    module_name: str
    timeout_s: float
    budget_s: float = DEFAULT_BUDGET_S
    outcomes: dict[int, CellOutcome] = field(default_factory=dict)
    process: StudentProcess | None = None
    starts: int = 0
    peak_rss_kb: int = 0
    cpu_s: float = 0.0
    memory_bound_hits: int = 0
    used_s: float = 0.0
    stopped: StudentFailure | None = None

    def _start(self) -> None:
        """A fresh process with every cell run again but those that ended a process before;
        `stopped` is set instead when none may be started any more."""
        while self.process is None and self.stopped is None:
            if self.starts >= MAX_STARTS:
                self.stopped = StudentFailure("crashed", phrase("process.gave_up", starts=MAX_STARTS))
                return
            if self._budget_left() <= 0:
                self._budget_spent()
                return
            self.starts += 1
            began = time.monotonic()
            self.process = self.worker.spawn(SEED, self.module_name)
            self.used_s += time.monotonic() - began
            self._run_cells()

    def _budget_left(self) -> float:
        return self.budget_s - self.used_s

    def _budget_spent(self) -> None:
        self.stopped = StudentFailure("timeout", phrase("process.budget_spent", seconds=self.budget_s))
        if self.process is not None:
            self._ended()

    def _timed_ask(self, request: dict) -> dict:
        """One request, with the per-request deadline or what is left of the budget, whichever is sooner."""
        deadline = min(self.timeout_s, self._budget_left())
        if deadline <= 0:
            self._budget_spent()
            raise self.stopped
        began = time.monotonic()
        try:
            return self.process.ask(request, deadline)
        except StudentProcessEnded as ended:
            self._ended()
            if ended.status == "timeout" and deadline < self.timeout_s:
                self._budget_spent()
                raise self.stopped from None
            raise
        finally:
            self.used_s += time.monotonic() - began

    def _run_cells(self) -> None:
        for index, source in enumerate(self.cells):
            outcome = self.outcomes.get(index)
            if outcome is not None and outcome.status in ("crashed", "timeout"):
                continue
            try:
                reply = self._timed_ask({"op": "cell", "index": index, "source": source})
            except StudentProcessEnded as ended:
                self.outcomes[index] = CellOutcome(index, ended.status, ended.message)
                return
            except StudentFailure as failure:
                self.outcomes[index] = CellOutcome(index, failure.status, failure.message)
                return
            if index not in self.outcomes:
                error = reply.get("error", "")
                self.outcomes[index] = CellOutcome(index, "ok" if reply.get("ok") is True else "error",
                                                   error[:2000] if isinstance(error, str) else "")

    def ask(self, request: dict):
        self.worker.note_dense_layers(request.get("weights", ()))
        self._start()
        if self.stopped is not None:
            raise self.stopped
        try:
            reply = self._timed_ask(request)
        except StudentProcessEnded as ended:
            raise StudentFailure(ended.status, ended.message) from None
        try:
            return value_of(_well_formed(reply))
        except StudentFailure as failure:
            if failure.status == "crashed":
                self._ended()
            raise

    def _ended(self) -> None:
        """Account for the process that just ended, and forget it."""
        report = self.process.stop()
        self.peak_rss_kb = max(self.peak_rss_kb, report.max_rss_kb)
        self.cpu_s += report.cpu_s
        self.memory_bound_hits += report.memory_bound_hits
        self.process = None

    def close(self) -> None:
        if self.process is not None:
            self._ended()
