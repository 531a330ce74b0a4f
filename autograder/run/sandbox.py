"""The process and sandbox machinery: warm workers, student processes, bubblewrap.

A `SandboxedWorker` is one warm zygote (see `inside/zygote.py`), started inside bubblewrap
when it is available: no network, none of the course's files, a private /tmp, and limits
on CPU time, memory, processes and output size for each student process it forks. A
`StudentProcess` is one such fork, reached over its own socket; every reply is read with a
deadline and a size limit, and only as data.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import autograder
from autograder.messages import Phrase, phrase
from autograder.run.inside import wire

PACKAGE_DIR = Path(autograder.__file__).resolve().parent
INSIDE_ROOT = "/opt/autograder-inside"
FIRST_STUDENT_UID = 60000
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Limits:
    """Per student process. Memory is on top of what the warm worker already maps."""

    cpu_s: int = 60
    memory_bytes: int = 2 * 1024**3
    nproc: int = 512
    output_bytes: int = 1024**2

    def as_dict(self) -> dict:
        return {"cpu_s": self.cpu_s, "memory_bytes": self.memory_bytes, "nproc": self.nproc,
                "output_bytes": self.output_bytes}


class StudentProcessEnded(Exception):
    """The student process is gone: it crashed, exited, or was killed for running too long."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class WorkerFailed(RuntimeError):
    """The warm worker itself could not start or stopped answering."""


def sandbox_available() -> bool:
    """True where bubblewrap exists and can make a sandbox here; AUTOGRADER_SANDBOX=off turns it off."""
    if os.environ.get("AUTOGRADER_SANDBOX", "").lower() in ("0", "off", "no", "false"):
        return False
    if shutil.which("bwrap") is None:
        return False
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "true"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def _python_paths() -> list[Path]:
    """The interpreter and every folder Python imports from, to be mounted read-only."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.base_exec_prefix)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(Path(sysconfig.get_paths()[key]))
    resolved = sorted({path.resolve() for path in paths if path.exists()})
    return [path for path in resolved if not any(other != path and other in path.parents for other in resolved)]


def _readable_by_others(path: Path) -> bool:
    """Whether a user with no special rights can reach and read the folder."""
    folders = [path, *path.parents]
    return all(os.stat(folder).st_mode & stat.S_IXOTH for folder in folders) and bool(
        os.stat(path).st_mode & stat.S_IROTH)


def _parents_with_perms(path: Path, made: set[Path]) -> list[str]:
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_command(python_args: list[str], unshare_user: bool) -> list[str]:
    """The bubblewrap command line: only system libraries, Python, and the inside package."""
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
            "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev", "--perms", "0755", "--tmpfs", "/tmp", "--clearenv"]
    if unshare_user:
        args.append("--unshare-user")
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        if os.path.exists(etc):
            args += ["--ro-bind", etc, etc]
    made: set[Path] = {Path("/tmp")}
    mounted = _python_paths()
    for path in mounted:
        args += _parents_with_perms(path, made) + ["--ro-bind", str(path), str(path)]
    if any(root in PACKAGE_DIR.parents for root in mounted):
        args += ["--tmpfs", str(PACKAGE_DIR)]
    inside = Path(INSIDE_ROOT) / "autograder"
    args += _parents_with_perms(inside / "run" / "inside" / "x", made)
    args += ["--ro-bind", str(PACKAGE_DIR / "__init__.py"), str(inside / "__init__.py"),
             "--ro-bind", str(PACKAGE_DIR / "run" / "__init__.py"), str(inside / "run" / "__init__.py"),
             "--ro-bind", str(PACKAGE_DIR / "run" / "inside"), str(inside / "run" / "inside")]
    for name, value in (("PATH", "/usr/bin:/bin"), ("PYTHONPATH", INSIDE_ROOT), ("HOME", "/tmp"),
                        ("LANG", "C.UTF-8"), ("TF_CPP_MIN_LOG_LEVEL", "3"), ("PYTHONDONTWRITEBYTECODE", "1")):
        args += ["--setenv", name, value]
    return args + ["--chdir", "/tmp", sys.executable, *python_args]


class _DeadlineReader:
    """A binary stream over a socket whose reads fail once a deadline has passed."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock = sock
        self.deadline = deadline

    def read(self, size: int) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        return self.sock.recv(min(size, 1 << 20))


@dataclass
class ExitReport:
    exit_code: int
    cpu_s: float
    max_rss_kb: int
    killed_by_grader: bool

    def describe(self, limits: Limits) -> Phrase:
        if self.killed_by_grader:
            return phrase("process.stopped")
        if self.exit_code < 0:
            signum = -self.exit_code
            if signum == signal.SIGXCPU:
                return phrase("process.cpu_time", seconds=limits.cpu_s)
            if signum == signal.SIGKILL:
                return phrase("process.killed")
            return phrase("process.signal", signal=signal.Signals(signum).name)
        return phrase("process.exit_code", code=self.exit_code)


@dataclass
class StudentProcess:
    """One forked student process, reached over its own socket."""

    worker: "SandboxedWorker"
    sock: socket.socket
    limits: Limits
    next_id: int = 0
    exit_report: ExitReport | None = None

    def ask(self, message: dict, timeout_s: float) -> dict:
        """Send one request and read its reply; raises StudentProcessEnded if the process is gone."""
        self.next_id += 1
        message = {**message, "id": self.next_id}
        try:
            self.sock.settimeout(timeout_s)
            self.sock.sendall(wire.encode(message))
            reply = wire.read_message(_DeadlineReader(self.sock, time.monotonic() + timeout_s))
        except (TimeoutError, socket.timeout):
            self.stop(kill=True)
            raise StudentProcessEnded("timeout", phrase("process.deadline", seconds=timeout_s)) from None
        except (OSError, wire.WireError):
            report = self.stop()
            raise StudentProcessEnded("crashed", report.describe(self.limits)) from None
        if not isinstance(reply, dict) or type(reply.get("id")) is not int or reply["id"] != self.next_id:
            self.stop()
            raise StudentProcessEnded("crashed", phrase("process.out_of_turn"))
        return reply

    def stop(self, kill: bool = False) -> ExitReport:
        """End the process and return how it ended: closing its socket lets it exit by itself;
        `kill` (or a process that does not exit within a second) has it terminated, then killed."""
        if self.exit_report is None:
            self.sock.close()
            self.exit_report = self.worker.wait_exited(grace_s=0.0 if kill else 1.0)
        return self.exit_report


@dataclass
class SandboxedWorker:
    """A warm zygote that forks student processes; `sandboxed` says whether bubblewrap holds it."""

    slot: int
    sandboxed: bool
    limits: Limits = field(default_factory=Limits)
    process: subprocess.Popen | None = None
    control: socket.socket | None = None
    versions: dict = field(default_factory=dict)

    def start(self) -> None:
        control, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        python_args = ["-m", "autograder.run.inside.zygote", str(zygote_end.fileno())]
        if self.sandboxed:
            python_args.append("--pid-namespace")
            command = bwrap_command(python_args, unshare_user=os.geteuid() != 0)
            env = None
        else:
            command = [sys.executable, *python_args]
            env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        self.process = subprocess.Popen(command, pass_fds=[zygote_end.fileno()], env=env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        zygote_end.close()
        self.control = control
        ready = self._receive(START_TIMEOUT_S)
        if ready.get("op") != "ready":
            raise WorkerFailed(f"the worker did not start: {ready}")
        self.versions = ready["versions"]

    def _receive(self, timeout_s: float) -> dict:
        self.control.settimeout(timeout_s)
        try:
            data = self.control.recv(65536)
        except (TimeoutError, socket.timeout):
            raise WorkerFailed("the worker stopped answering") from None
        if not data:
            raise WorkerFailed("the worker exited")
        return json.loads(data)

    def spawn(self, seed: int, module_name: str) -> StudentProcess:
        grader_end, student_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        request = {"op": "spawn", "seed": seed, "module_name": module_name,
                   "workdir": "/tmp/student" if self.sandboxed else tempfile.mkdtemp(prefix="autograder-student-"),
                   "uid": FIRST_STUDENT_UID + self.slot if self._can_drop_privileges() else None,
                   "limits": self.limits.as_dict()}
        socket.send_fds(self.control, [json.dumps(request).encode()], [student_end.fileno()])
        student_end.close()
        if self._receive(30.0).get("op") != "spawned":
            raise WorkerFailed("the worker did not fork a student process")
        return StudentProcess(self, grader_end, self.limits)

    def _can_drop_privileges(self) -> bool:
        """As root, student processes run as a user of their own; outside the sandbox only where
        that user can still read Python's own files."""
        return os.geteuid() == 0 and (self.sandboxed or all(_readable_by_others(p) for p in _python_paths()))

    def wait_exited(self, grace_s: float) -> ExitReport:
        try:
            if grace_s <= 0:
                raise WorkerFailed("no grace")
            message = self._receive(grace_s)
        except WorkerFailed:
            self.control.send(json.dumps({"op": "kill"}).encode())
            message = self._receive(30.0)
        return ExitReport(message["exit_code"], message["cpu_s"], message["max_rss_kb"],
                          message["killed_by_grader"])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.control is not None:
            self.control.close()
        if self.process is not None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

