"""A student, as the hidden tests see it, answered by a sandboxed process.

The notebook's cells run first, in order, each with a deadline. A cell that kills the
process or runs past its deadline is noted and left out when the process is started
again, as a Jupyter user would restart the kernel and skip it; a test that kills the
process costs that test, and the next test gets a fresh process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.run.sandbox import SandboxedWorker, StudentProcess, StudentProcessEnded
from autograder.student import StudentFailure, value_of

SEED = 0
MAX_STARTS = 12


@dataclass
class CellOutcome:
    index: int
    status: str
    message: str = ""


@dataclass
class RemoteStudent:
    worker: SandboxedWorker
    cells: list[str]
    module_name: str
    timeout_s: float
    outcomes: dict[int, CellOutcome] = field(default_factory=dict)
    process: StudentProcess | None = None
    starts: int = 0
    peak_rss_kb: int = 0
    cpu_s: float = 0.0

    def _start(self) -> None:
        """A fresh process with every cell run again but those that ended a process before."""
        while True:
            if self.starts >= MAX_STARTS:
                raise StudentFailure("crashed", f"the grader gave up after {MAX_STARTS} restarts of your code")
            self.starts += 1
            self.process = self.worker.spawn(SEED, self.module_name)
            if self._run_cells():
                return

    def _run_cells(self) -> bool:
        for index, source in enumerate(self.cells):
            outcome = self.outcomes.get(index)
            if outcome is not None and outcome.status in ("crashed", "timeout"):
                continue
            try:
                reply = self.process.ask({"op": "cell", "index": index, "source": source}, self.timeout_s)
            except StudentProcessEnded as ended:
                self.outcomes[index] = CellOutcome(index, ended.status, ended.message)
                self._ended()
                return False
            if index not in self.outcomes:
                self.outcomes[index] = CellOutcome(index, "ok" if reply.get("ok") else "error",
                                                   str(reply.get("error", ""))[:2000])
        return True

    def ask(self, request: dict):
        if self.process is None:
            self._start()
        try:
            return value_of(self.process.ask(request, self.timeout_s))
        except StudentProcessEnded as ended:
            self._ended()
            raise StudentFailure(ended.status, ended.message) from None

    def _ended(self) -> None:
        """Account for the process that just ended, and forget it."""
        report = self.process.stop()
        self.peak_rss_kb = max(self.peak_rss_kb, report.max_rss_kb)
        self.cpu_s += report.cpu_s
        self.process = None

    def close(self) -> None:
        if self.process is not None:
            self._ended()
