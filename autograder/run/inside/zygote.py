"""The warm worker: imports TensorFlow once, then forks one fresh student process per request.

It runs inside the sandbox (or, without bubblewrap, as a plain child of the grader). It
talks to the grader over a SOCK_SEQPACKET control socket, one JSON packet per message.
The grader hands it one end of a fresh socket pair per student process; the student
process answers the grader's requests on that socket directly, so whatever a student
does to its own socket cannot touch the next submission. A student process runs in the
worker's memory cgroup (one bound for all its processes and files) or, where there is
none, may make threads but no process; it has a System V IPC namespace of its own. After
it ends, everything it left behind (processes, files, IPC objects) is removed before the
next fork.

Usage: python -m autograder.run.inside.zygote CONTROL_FD [--pid-namespace]
"""

from __future__ import annotations

import ctypes
import errno
import gc
import io
import json
import os
import resource
import selectors
import signal
import socket
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CLONE_NEWIPC = 0x08000000
CLONE_THREAD = 0x00010000
IPC_RMID = 0
PR_SET_KEEPCAPS = 8
CAP_DAC_READ_SEARCH = 2
LINUX_CAPABILITY_VERSION_3 = 0x20080522
TERM_GRACE_S = 1.0


def _prctl(option: int, value: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _no_new_processes_filter() -> list[tuple[int, int, int, int]]:
    """A seccomp program (x86-64) that lets threads be made but no process: clone only with
    CLONE_THREAD, clone3 answered ENOSYS (the C library then falls back to clone), fork, vfork,
    execve and execveat refused, as are the x32 and i386 system calls."""
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, refuse, absent = 0x7FFF0000, 0x00050000 | errno.EPERM, 0x00050000 | errno.ENOSYS
    audit_arch_x86_64 = 0xC000003E
    clone, fork, vfork, execve, execveat, clone3 = 56, 57, 58, 59, 322, 435
    return [                                 # jumps are relative: target = index + 1 + offset
        (load, 0, 0, 4),                     # 0: the architecture
        (jeq, 1, 0, audit_arch_x86_64),      # 1: x86-64 -> 3
        (ret, 0, 0, refuse),                 # 2
        (load, 0, 0, 0),                     # 3: the system call number
        (jge, 10, 0, 0x40000000),            # 4: x32 -> 15
        (jeq, 6, 0, clone),                  # 5: -> 12
        (jeq, 8, 0, fork),                   # 6: -> 15
        (jeq, 7, 0, vfork),                  # 7: -> 15
        (jeq, 6, 0, execve),                 # 8: -> 15
        (jeq, 5, 0, execveat),               # 9: -> 15
        (jeq, 5, 0, clone3),                 # 10: -> 16
        (ret, 0, 0, allow),                  # 11
        (load, 0, 0, 16),                    # 12: clone's flags (their low 32 bits)
        (jset, 0, 1, CLONE_THREAD),          # 13: a thread -> 14, else 15
        (ret, 0, 0, allow),                  # 14
        (ret, 0, 0, refuse),                 # 15
        (ret, 0, 0, absent),                 # 16
    ]


def _forbid_new_processes() -> None:
    """Install the filter for this process and its threads; it cannot be removed (no_new_privs is set)."""
    program = _no_new_processes_filter()
    instructions = (_SockFilter * len(program))(*(_SockFilter(*row) for row in program))
    fprog = _SockFprog(len(program), instructions)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _become(uid: int, read_everything: bool) -> None:
    """Run as `uid` from now on; `read_everything` keeps one capability, to read any file (and nothing
    more), for where Python's own files are closed to other users and there is no sandbox."""
    if read_everything:
        _prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if read_everything:
        header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
        data = (_CapData * 2)()
        data[0].effective = data[0].permitted = 1 << CAP_DAC_READ_SEARCH
        if ctypes.CDLL(None, use_errno=True).capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset refused")


def _private_ipc() -> None:
    """A System V IPC namespace of this student's own, freed with its last process. It needs
    CAP_SYS_ADMIN; without it (bubblewrap run by a user), the worker's clean-up removes what is left."""
    ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWIPC)


def _remove_ipc_objects() -> None:
    """Remove every System V shared-memory segment, message queue and semaphore set in this IPC
    namespace (the sandbox's own), for where a student could not be given a namespace of its own."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind, remove in (("shm", lambda i: libc.shmctl(i, IPC_RMID, None)),
                         ("msg", lambda i: libc.msgctl(i, IPC_RMID, None)),
                         ("sem", lambda i: libc.semctl(i, 0, IPC_RMID))):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            remove(int(row.split()[1]))


def _send(control: socket.socket, message: dict) -> None:
    control.send(json.dumps(message).encode())


def _apply_limits(limits: dict) -> None:
    def cap(kind: int, value: int) -> None:
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_CPU, int(limits["cpu_s"]))
    cap(resource.RLIMIT_FSIZE, int(limits["output_bytes"]))
    if limits.get("nproc"):
        cap(resource.RLIMIT_NPROC, int(limits["nproc"]))
    if limits.get("memory_bytes"):
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
        cap(resource.RLIMIT_AS, mapped + int(limits["memory_bytes"]))


class CappedOutput(io.TextIOBase):
    """stdout/stderr of a student process: the write that crosses the budget fails once, to stop a flood
    where it happens; later output is dropped, so honest cells that print after it still run.
    RLIMIT_FSIZE stays the hard limit for writes that bypass this stream."""

    def __init__(self, fd: int, shared: dict):
        self._stream = io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), line_buffering=True)
        self._shared = shared

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._shared["left"] <= 0:
            return len(text)
        self._shared["left"] -= len(text)
        if self._shared["left"] <= 0:
            self._stream.write("\n[output limit reached: later output is dropped]\n")
            raise OSError(errno.EFBIG, "output limit reached: your code printed more than the grader keeps; "
                                       "later output is dropped")
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()


def _student_main(student_fd: int, request: dict) -> None:
    """The student process: drop privileges, limit resources, then serve the grader.

    Every function the request loop uses is taken here, before any student code runs, as
    sealed copies that only this loop holds: a submission that patches these modules, their
    functions or `sys.modules` changes nothing.
    """
    from autograder.run.inside import execute, probes, wire
    from autograder.run.inside.execute import new_namespace

    answer = probes.seal(vars(probes))["answer"]
    run_cell = probes.seal(vars(execute))["run_cell"]
    sealed_wire = probes.seal(vars(wire))
    read_message, write_message, WireError = sealed_wire["read_message"], sealed_wire["write_message"], wire.WireError

    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if request.get("memory_cgroup"):
        with open(os.path.join(request["memory_cgroup"], "cgroup.procs"), "w") as procs:
            procs.write("0")
    _private_ipc()
    workdir = request["workdir"]
    os.makedirs(workdir, exist_ok=True)
    uid = request.get("uid")
    if uid is not None:
        os.chown(workdir, uid, uid)
        _become(uid, bool(request.get("read_everything")))
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    os.chdir(workdir)
    os.environ.update(HOME=workdir, TMPDIR=workdir)
    sys.path[0] = workdir  # where `python -m` put the worker's starting folder: importable as in Jupyter
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    output = os.open(os.path.join(workdir, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(output, 1)
    os.dup2(output, 2)
    budget = {"left": int(request["limits"]["output_bytes"]) // 2}
    sys.stdout, sys.stderr = CappedOutput(1, budget), CappedOutput(2, budget)
    _apply_limits(request["limits"])
    if request.get("no_new_processes"):
        _forbid_new_processes()

    probes.reseed(int(request["seed"]))
    stream = socket.socket(fileno=student_fd).makefile("rwb")
    namespace = new_namespace(request["module_name"])
    while True:
        try:
            message = read_message(stream)
        except WireError:
            os._exit(0)
        if message.get("op") == "cell":
            reply = run_cell(namespace, message["source"], message["index"])
        else:
            reply = answer(namespace, message)
        reply["id"] = message.get("id")
        try:
            write_message(stream, reply)
        except (OSError, ValueError):
            os._exit(0)


def _other_pids() -> list[int]:
    me = os.getpid()
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and int(entry) not in (1, me)]


def _empty_folder(folder: str) -> None:
    """Remove everything in the folder, without recursion: a student's folders may nest deeper than
    Python's recursion limit (shutil.rmtree recurses) or than the longest path the kernel accepts, so
    it walks down one folder at a time by file descriptor and comes back up through `..`."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    below: list[str] = []
    try:
        while True:
            with os.scandir(fd) as scan:
                entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in scan]
            child = next((name for name, is_dir in entries if is_dir), None)
            for name, is_dir in entries:
                if not is_dir:
                    os.unlink(name, dir_fd=fd)
            if child is not None:
                inner = os.open(child, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                os.close(fd)
                fd = inner
                below.append(child)
            elif below:
                outer = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = outer
                os.rmdir(below.pop(), dir_fd=fd)
            else:
                return
    finally:
        os.close(fd)


def _kill_adopted_processes() -> None:
    """Without a PID namespace, the worker is a child subreaper: whatever a student process left
    running is adopted by it when its parent dies, and is killed and reaped here."""
    me = str(os.getpid())
    for _ in range(100):
        adopted = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as stat_file:
                    if entry.isdigit() and stat_file.read().rsplit(")", 1)[1].split()[1] == me:
                        adopted.append(int(entry))
            except (OSError, IndexError):
                continue
        if not adopted:
            return
        for pid in adopted:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _clean_up(pid: int, pid_namespace: bool, workdir: str) -> None:
    """Kill whatever the student process left running, and remove the files it wrote."""
    if pid_namespace:
        for _ in range(100):
            if not _other_pids():
                break
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.01)
    else:
        _signal_group(pid, signal.SIGKILL)
        _kill_adopted_processes()
    if pid_namespace:
        _remove_ipc_objects()
        for folder in ("/tmp", "/dev/shm"):
            if os.path.isdir(folder):
                _empty_folder(folder)
    elif os.path.isdir(workdir):
        _empty_folder(workdir)
        os.rmdir(workdir)


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def _supervise(control: socket.socket, pid: int, pid_namespace: bool, workdir: str) -> None:
    """Wait for the student process to end, or end it when the grader says so."""
    pidfd = os.pidfd_open(pid)
    selector = selectors.DefaultSelector()
    selector.register(pidfd, selectors.EVENT_READ, "exited")
    selector.register(control, selectors.EVENT_READ, "control")
    killed_by_grader = False
    term_deadline = None
    while True:
        timeout = None if term_deadline is None else max(0.0, term_deadline - time.monotonic())
        events = selector.select(timeout)
        if not events and term_deadline is not None:
            _signal_group(pid, signal.SIGKILL)
            term_deadline = None
            continue
        kinds = {key.data for key, _ in events}
        if "exited" in kinds:
            break
        if "control" in kinds:
            data = control.recv(65536)
            if not data:
                _signal_group(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                _exit_now()
            if json.loads(data).get("op") == "kill" and not killed_by_grader:
                killed_by_grader = True
                _signal_group(pid, signal.SIGTERM)
                term_deadline = time.monotonic() + TERM_GRACE_S
    selector.close()
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    _clean_up(pid, pid_namespace, workdir)
    _send(control, {
        "op": "exited",
        "exit_code": os.waitstatus_to_exitcode(status),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "max_rss_kb": usage.ru_maxrss,
        "killed_by_grader": killed_by_grader,
    })


def _exit_now() -> None:
    """The grader has closed the control socket: end at once. Python's own ending would first tear down
    TensorFlow's modules (most of a second, which the grader waits for), and this process has nothing to
    flush or remove: its output goes nowhere, and its sandbox goes with it."""
    os._exit(0)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    pid_namespace = "--pid-namespace" in argv
    if not pid_namespace:
        _prctl(PR_SET_CHILD_SUBREAPER, 1)
    from autograder.run.inside.environment import TENSORFLOW_ENVIRONMENT, import_keras

    os.environ.update(TENSORFLOW_ENVIRONMENT)  # as the notebook's setup cell has it, before TensorFlow is imported
    keras = import_keras()
    import numpy
    import numpy.random  # noqa: F401  (warm, and readable before privileges are dropped)
    import tensorflow as tf

    import autograder.run.inside.execute  # noqa: F401  (warm: IPython's transformer)
    import autograder.run.inside.probes  # noqa: F401
    from autograder.run.inside import warm
    from autograder.run.inside.recorder import recorder

    warm.prepare()

    recorder()  # its references are taken here, before any student code runs

    gc.collect()
    gc.freeze()
    _send(control, {"op": "ready", "pid": os.getpid(), "versions": {
        "tensorflow": tf.__version__, "keras": keras.__version__, "numpy": numpy.__version__, "python": sys.version.split()[0]}})
    while True:
        data, fds, _, _ = socket.recv_fds(control, 65536, 1)
        if not data:
            _exit_now()
        request = json.loads(data)
        if request.get("op") != "spawn" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            continue
        if isinstance(request.get("rehearse"), list):
            warm.rehearse_layers(request["rehearse"])
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                _student_main(fds[0], request)
            finally:
                os._exit(70)
        os.close(fds[0])
        _send(control, {"op": "spawned"})
        _supervise(control, pid, pid_namespace, request["workdir"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
