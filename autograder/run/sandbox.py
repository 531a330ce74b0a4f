"""The process and sandbox machinery: warm workers, student processes, bubblewrap.

A `SandboxedWorker` is one warm zygote (see `inside/zygote.py`), started inside bubblewrap
when it is available: no network, none of the course's files, a private /tmp, and limits
on CPU time, memory, processes and output size for each student process it forks. A
`StudentProcess` is one such fork, reached over its own socket; every reply is read with a
deadline and a size limit, and only as data.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
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
from autograder.messages import Phrase, as_text, phrase, render
from autograder.run.inside import wire
from autograder.run.inside.environment import TENSORFLOW_ENVIRONMENT

PACKAGE_DIR = Path(autograder.__file__).resolve().parent
INSIDE_ROOT = "/opt/autograder-inside"
CGROUP_INSIDE = "/run/autograder-memory"
CGROUP_PREFIX = "autograder"
FIRST_STUDENT_UID = 60000
START_TIMEOUT_S = 180.0
_worker_starts = itertools.count()


@dataclass(frozen=True)
class Limits:
    """Per student. Memory is on top of what the warm worker already maps: one bound for all the
    student's processes and files together where a memory cgroup can be made (and per process,
    through RLIMIT_AS, everywhere); /tmp in the sandbox holds at most as much."""

    cpu_s: int = 60
    memory_bytes: int = 2 * 1024**3
    nproc: int = 512
    output_bytes: int = 1024**2

    def as_dict(self) -> dict:
        return {"cpu_s": self.cpu_s, "memory_bytes": self.memory_bytes, "nproc": self.nproc,
                "output_bytes": self.output_bytes}


class MemoryCgroup:
    """A memory cgroup of one worker, made under the grader's own: every student process of the worker
    is put in it, so all its processes and the files it writes (tmpfs pages are charged to the cgroup
    of their writer) share one bound. Where the machine allows none (no root, cgroup v2 without a
    delegated subtree), `create` returns None and the worker forbids new processes instead."""

    def __init__(self, path: Path, version: int):
        self.path = path
        self.version = version

    @classmethod
    def create(cls, name: str, limit_bytes: int) -> "MemoryCgroup | None":
        for version, parent in _own_memory_cgroups():
            _remove_abandoned(parent)
            path = parent / name
            try:
                path.mkdir()
            except OSError:
                continue
            cgroup = cls(path, version)
            try:
                cgroup._limit(limit_bytes)
            except OSError:
                cgroup.remove()
                continue
            return cgroup
        return None

    def _limit(self, limit_bytes: int) -> None:
        if self.version == 1:
            (self.path / "memory.limit_in_bytes").write_text(str(limit_bytes))
            if (self.path / "memory.memsw.limit_in_bytes").exists():
                (self.path / "memory.memsw.limit_in_bytes").write_text(str(limit_bytes))
        else:
            (self.path / "memory.max").write_text(str(limit_bytes))
            if (self.path / "memory.swap.max").exists():
                (self.path / "memory.swap.max").write_text("0")

    def oom_kills(self) -> int:
        """How many processes the kernel has killed in it for reaching the bound, so far."""
        name = "memory.oom_control" if self.version == 1 else "memory.events"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def usage_bytes(self) -> int:
        try:
            return int((self.path / ("memory.usage_in_bytes" if self.version == 1 else "memory.current")).read_text())
        except (OSError, ValueError):
            return 0

    def remove(self) -> None:
        """Remove it once its last process is gone (the kernel frees a process's memory a moment after it dies)."""
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.05)


def _remove_abandoned(parent: Path) -> None:
    """Remove the empty cgroups of graders that were killed before they could remove their own."""
    for folder in parent.glob(f"{CGROUP_PREFIX}-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            try:
                folder.rmdir()
            except OSError:
                pass


def _own_memory_cgroups() -> list[tuple[int, Path]]:
    """The folders of this process's memory cgroups, v1 first, where a child could be made."""
    try:
        membership = Path("/proc/self/cgroup").read_text().splitlines()
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in membership:
        hierarchy, controllers, cgroup_path = line.split(":", 2)
        version = 2 if hierarchy == "0" else 1
        if version == 1 and "memory" not in controllers.split(","):
            continue
        for mount in mounts:
            fields = mount.split(" ")
            tail = fields[fields.index("-") + 1:]
            fstype, options = tail[0], tail[2].split(",") if len(tail) > 2 else []
            if (version == 1 and fstype == "cgroup" and "memory" in options) or (version == 2 and fstype == "cgroup2"):
                root, mountpoint = fields[3], Path(fields[4])
                if cgroup_path == root or cgroup_path.startswith(root.rstrip("/") + "/"):
                    relative = cgroup_path[len(root):].lstrip("/")
                    folder = mountpoint / relative
                    if version == 1 or "memory" in _read(folder / "cgroup.subtree_control").split():
                        found.append((version, folder))
    return sorted(found)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


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


def _python_readable_by_others() -> bool:
    return all(_readable_by_others(path) for path in _python_paths())


class UnsafeToGrade(Exception):
    """Without bubblewrap, student code could not be kept from what it must not reach here."""


def unsandboxed_risks(paths: list[Path], out_dir: Path, submissions: int) -> list[Phrase]:
    """What student code could do on this machine without bubblewrap, where the grader (as root) runs
    it as a user of its own; empty when that user can do none of it."""
    if os.geteuid() != 0:
        return [phrase("sandbox.risk_own_user")]
    risks = []
    if not _python_readable_by_others():
        closed = next(path for path in _python_paths() if not _readable_by_others(path))
        risks.append(phrase("sandbox.risk_python_closed", path=str(closed)))
    if _readable_by_others(PACKAGE_DIR):
        risks.append(phrase("sandbox.risk_course_readable", path=str(PACKAGE_DIR)))
    if submissions > 1:
        risks += [phrase("sandbox.risk_submissions_readable", path=str(path))
                  for path in paths if _readable_by_others(path.resolve())]
    if out_dir.exists() and os.stat(out_dir).st_mode & stat.S_IWOTH:
        risks.append(phrase("sandbox.risk_results_writable", path=str(out_dir)))
    return risks


def unsandboxed_warning(risks: list[Phrase], lang: str) -> str:
    return render("command.no_sandbox", {"risks": " ".join(as_text(risk, lang) for risk in risks)}, lang).rstrip()


def unsandboxed_refusal(risks: list[Phrase], lang: str) -> str:
    return render("command.unsafe_to_grade", {"risks": " ".join(as_text(risk, lang) for risk in risks)}, lang)


def _parents_with_perms(path: Path, made: set[Path]) -> list[str]:
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_command(python_args: list[str], unshare_user: bool, tmp_bytes: int,
                  cgroup: MemoryCgroup | None = None) -> list[str]:
    """The bubblewrap command line: only system libraries, Python, and the inside package; a /tmp of
    at most `tmp_bytes`; the worker's memory cgroup, for the worker to put its student processes in."""
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
            "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev", "--perms", "0755", "--size", str(tmp_bytes), "--tmpfs", "/tmp",
            "--clearenv"]
    if unshare_user:
        args.append("--unshare-user")
    if cgroup is not None:
        args += ["--bind", str(cgroup.path), CGROUP_INSIDE]
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
                        ("LANG", "C.UTF-8"), ("PYTHONDONTWRITEBYTECODE", "1"), *TENSORFLOW_ENVIRONMENT.items()):
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
    memory_bound_hits: int = 0

    def describe(self, limits: Limits) -> Phrase:
        if self.killed_by_grader:
            return phrase("process.stopped")
        if self.memory_bound_hits and self.exit_code == -signal.SIGKILL:
            return phrase("process.memory_bound", gib=limits.memory_bytes / 1024**3)
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
            reply = wire.read_message(_DeadlineReader(self.sock, time.monotonic() + timeout_s), wire.MAX_REPLY_BYTES)
        except (TimeoutError, socket.timeout):
            self.stop(kill=True)
            raise StudentProcessEnded("timeout", phrase("process.deadline", seconds=timeout_s)) from None
        except (OSError, wire.HungUp):
            report = self.stop()
            raise StudentProcessEnded("crashed", report.describe(self.limits)) from None
        except wire.WireError as error:
            self.stop(kill=True)
            raise StudentProcessEnded("crashed", phrase("process.refused_reply", reason=str(error))) from None
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
    use_memory_cgroup: bool = True
    cgroup: MemoryCgroup | None = None
    _oom_kills_before: int = 0
    # (inputs, units) of the Dense layers the grader's requests have asked for, and those the worker has rehearsed.
    dense_shapes: set = field(default_factory=set)
    _rehearsed: set = field(default_factory=set)

    def start(self) -> None:
        if self.use_memory_cgroup:
            name = f"{CGROUP_PREFIX}-{os.getpid()}-{self.slot}-{next(_worker_starts)}"
            self.cgroup = MemoryCgroup.create(name, self.limits.memory_bytes)
        control, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        python_args = ["-m", "autograder.run.inside.zygote", str(zygote_end.fileno())]
        if self.sandboxed:
            python_args.append("--pid-namespace")
            command = bwrap_command(python_args, os.geteuid() != 0, self.limits.memory_bytes, self.cgroup)
            env = None
        else:
            command = [sys.executable, *python_args]
            env = {**os.environ, **TENSORFLOW_ENVIRONMENT}
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
        except OSError:
            raise WorkerFailed("the worker exited") from None
        if not data:
            raise WorkerFailed("the worker exited")
        return json.loads(data)

    def _send(self, request: dict, fds: tuple[int, ...] = ()) -> None:
        """A request to the worker; one that has died is a WorkerFailed, as when it stops answering."""
        try:
            socket.send_fds(self.control, [json.dumps(request).encode()], list(fds))
        except OSError:
            raise WorkerFailed("the worker exited") from None

    def spawn(self, seed: int, module_name: str) -> StudentProcess:
        grader_end, student_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        request = {"op": "spawn", "seed": seed, "module_name": module_name,
                   "workdir": "/tmp/student" if self.sandboxed else tempfile.mkdtemp(prefix="autograder-student-"),
                   "uid": FIRST_STUDENT_UID + self.slot if os.geteuid() == 0 else None,
                   "read_everything": os.geteuid() == 0 and not self.sandboxed and not _python_readable_by_others(),
                   "limits": self.limits.as_dict(), "memory_cgroup": self._cgroup_inside(),
                   "no_new_processes": self.cgroup is None and platform.machine() == "x86_64",
                   "rehearse": [list(shape) for shape in sorted(self.dense_shapes - self._rehearsed)]}
        self._oom_kills_before = self.cgroup.oom_kills() if self.cgroup else 0
        try:
            self._send(request, (student_end.fileno(),))
        finally:
            student_end.close()
        if self._receive(30.0).get("op") != "spawned":
            raise WorkerFailed("the worker did not fork a student process")
        self._rehearsed |= self.dense_shapes
        return StudentProcess(self, grader_end, self.limits)

    def note_dense_layers(self, weights: list) -> None:
        """The grader's weights for a request ([W1, B1, W2, B2, ...]): the worker rehearses layers of their
        shapes before it forks the next student (see `inside/warm.py`)."""
        self.dense_shapes |= {tuple(int(n) for n in w.shape) for w in weights if getattr(w, "ndim", 0) == 2}

    def _cgroup_inside(self) -> str | None:
        """Where the worker finds its memory cgroup: bound to a fixed path in the sandbox."""
        if self.cgroup is None:
            return None
        return CGROUP_INSIDE if self.sandboxed else str(self.cgroup.path)

    def wait_exited(self, grace_s: float) -> ExitReport:
        try:
            if grace_s <= 0:
                raise WorkerFailed("no grace")
            message = self._receive(grace_s)
        except WorkerFailed:
            self._send({"op": "kill"})
            message = self._receive(30.0)
        hits = self.cgroup.oom_kills() - self._oom_kills_before if self.cgroup else 0
        return ExitReport(message["exit_code"], message["cpu_s"], message["max_rss_kb"],
                          message["killed_by_grader"], hits)

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
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None

