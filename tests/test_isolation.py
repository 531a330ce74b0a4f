"""Nothing of one student reaches the next, one bound on a student's memory, and never root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading import AUTOMATIC_POINTS
from autograder.run.sandbox import (CGROUP_PREFIX, Limits, MemoryCgroup, SandboxedWorker, StudentProcessEnded,
                                    sandbox_available, unsandboxed_risks)
from grading import grade, notebook, variant, write_submissions

ROOT = Path(__file__).resolve().parents[1]
BOUND = 512 * 1024**2
needs_bwrap = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not installed (.ci/run installs it)")

SHM = "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.shmat.restype = ctypes.c_void_p\n"
LEAVES_SHARED_MEMORY = SHM + (
    "for key in (0x5eed1, 0x5eed2, 0x5eed3):\n"
    f"    segment = libc.shmget(key, {BOUND // 4}, 0o1666)\n"
    "    address = libc.shmat(segment, None, 0)\n"
    "    assert segment >= 0 and address != ctypes.c_void_p(-1).value, ctypes.get_errno()\n"
    f"    ctypes.memset(address, 1, {BOUND // 4})\n"
    "marker = libc.shmget(0x5eed0, 4096, 0o1666)\n"
    "ctypes.memmove(libc.shmat(marker, None, 0), b'secret', 6)\n")
LOOKS_FOR_THE_MARKER = SHM + (
    "assert libc.shmget(0x5eed0, 0, 0) == -1, 'the marker of the student before is here'\n"
    "assert open('/proc/sysvipc/shm').read().count('\\n') == 1, 'segments of the student before are here'\n")
FILES = "block = b'x' * (512 * 1024)\nfor number in range({files}):\n" \
        "    with open(f'file{{number}}', 'wb') as file:\n        file.write(block)"  # each under RLIMIT_FSIZE
FORKED_CHILDREN = (
    "import os, time\npids = []\nfor _ in range(3):\n    pid = os.fork()\n    if pid == 0:\n"
    "        block = b'x' * {size}\n        time.sleep(5)\n        os._exit(0)\n    pids.append(pid)\n"
    "codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]\n"
    "assert codes == [0, 0, 0], f'children ended with {{codes}}'")
BALLOON = "chunks = []\nwhile True:\n    chunks.append(b'x' * (32 * 1024**2))"


@pytest.fixture(scope="module")
def bounded_worker():
    worker = SandboxedWorker(0, sandbox_available(), Limits(memory_bytes=BOUND))
    worker.start()
    yield worker
    worker.stop()


def run_one(worker: SandboxedWorker, source: str):
    """The reply to one cell, or how the process ended; and its exit report."""
    process = worker.spawn(0, "__main__")
    try:
        outcome = process.ask({"op": "cell", "index": 0, "source": source}, 60)
    except StudentProcessEnded as ended:
        outcome = ended
    return outcome, process.stop()


@needs_bwrap
def test_shared_memory_never_reaches_the_next_student_and_is_freed(bounded_worker):
    left, _ = run_one(bounded_worker, LEAVES_SHARED_MEMORY)
    assert left == {"ok": True, "id": 1}, left
    if bounded_worker.cgroup is not None:  # the kernel frees a dead namespace's segments a moment later
        usage = [bounded_worker.cgroup.usage_bytes() for _ in range(50) if time.sleep(0.1) is None]
        assert min(usage) < 100 * 1024**2, "the segments' memory is freed"
    seen, _ = run_one(bounded_worker, LOOKS_FOR_THE_MARKER)
    assert seen == {"ok": True, "id": 1}, seen


def stopped_at_the_bound(worker: SandboxedWorker, outcome, report) -> bool:
    if worker.cgroup is None:  # no new processes, /tmp capped, and RLIMIT_AS
        error = outcome.get("error", "") if isinstance(outcome, dict) else ""
        return any(words in error for words in ("MemoryError", "No space left on device", "PermissionError"))
    if isinstance(outcome, StudentProcessEnded):
        return outcome.status == "crashed" and "memory bound" in str(outcome.message)
    return "-9" in outcome.get("error", "") and report.memory_bound_hits > 0


@needs_bwrap
@pytest.mark.parametrize("source", [
    FILES.format(files=BOUND * 3 // (512 * 1024)),
    FORKED_CHILDREN.format(size=BOUND * 6 // 10),
    BALLOON,
], ids=["files", "forked_children", "balloon"])
def test_one_bound_for_all_of_a_students_processes_and_files(bounded_worker, source):
    outcome, report = run_one(bounded_worker, source)
    assert stopped_at_the_bound(bounded_worker, outcome, report), (outcome, report)
    after, _ = run_one(bounded_worker, "x = 1")
    assert after == {"ok": True, "id": 1}, "the next student of the worker runs"


@needs_bwrap
def test_the_memory_bound_is_said_in_the_result(tmp_path):
    files = FILES.format(files=BOUND * 3 // (512 * 1024))
    folder = write_submissions(tmp_path / "in", {"files.ipynb": notebook([variant(), files])})
    result = grade(folder, tmp_path / "out", workers=1, limits=Limits(memory_bytes=BOUND))["files"]
    assert result["score"] == AUTOMATIC_POINTS
    [cell] = result["cells"]
    assert cell["status"] in ("crashed", "error") and (
        "memory bound: 0.5 GiB for all its processes and files" in cell["message"]
        or "No space left on device" in cell["message"]), cell


def test_without_a_memory_cgroup_student_code_makes_threads_but_no_processes():
    worker = SandboxedWorker(1, sandbox_available(), use_memory_cgroup=False)
    worker.start()
    try:
        process = worker.spawn(0, "__main__")
        cells = ["import threading\nbox = []\nthread = threading.Thread(target=lambda: box.append(1))\n"
                 "thread.start()\nthread.join()\nassert box == [1]",
                 "import tensorflow as tf\nassert tf.keras.layers.Dense(3)(tf.ones((2, 4))).shape == (2, 3)",
                 "import os\nos.fork()",
                 "import subprocess\nsubprocess.run(['true'])",
                 "import os\nos.execv('/bin/true', ['true'])"]
        replies = [process.ask({"op": "cell", "index": i, "source": cell}, 30) for i, cell in enumerate(cells)]
        process.stop()
    finally:
        worker.stop()
    errors = [reply.get("error", "") for reply in replies]
    assert errors[:2] == ["", ""], errors
    assert all("PermissionError" in error for error in errors[2:]), errors


SUBMISSION_IS_NOT_ROOT = ["import os\nassert os.getuid() != 0 and os.geteuid() != 0, 'running as root'",
                          "open({out!r} + '/forged.json', 'w').write('{{}}')"]


def _grade_unsandboxed(tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / "out"
    cells = [variant()] + [cell.format(out=str(out)) for cell in SUBMISSION_IS_NOT_ROOT]
    folder = write_submissions(tmp_path / "in", {"student.ipynb": notebook(cells)})
    env = {**os.environ, "AUTOGRADER_SANDBOX": "off"}
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--workers", "1",
               "--no-report", *extra]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600), out


def test_without_a_sandbox_student_code_never_runs_as_root(tmp_path):
    finished, out = _grade_unsandboxed(tmp_path, "--unsandboxed")
    assert finished.returncode == 0, finished.stderr
    assert "WITHOUT a sandbox" in finished.stderr
    result = json.loads((out / "student.json").read_text())
    assert result["score"] == AUTOMATIC_POINTS
    assert [(cell["index"], cell["status"]) for cell in result["cells"]] == [(2, "error")], result["cells"]
    assert "PermissionError" in result["cells"][0]["message"]
    assert not (out / "forged.json").exists()


def test_without_a_sandbox_the_grader_refuses_unless_told(tmp_path):
    finished, out = _grade_unsandboxed(tmp_path)
    if not unsandboxed_risks([tmp_path / "in"], out, 1):
        pytest.skip("here student code runs as a user of its own that can reach nothing it must not")
    assert finished.returncode == 2
    assert "refusing to grade" in finished.stderr and "apt-get install bubblewrap" in finished.stderr
    assert "--unsandboxed" in finished.stderr
    assert not (out / "student.json").exists()


def test_the_memory_cgroup_of_a_killed_grader_is_removed_by_the_next():
    abandoned = MemoryCgroup.create(f"{CGROUP_PREFIX}-99999999-0-0", BOUND)  # a pid above any pid_max
    if abandoned is None:
        pytest.skip("no memory cgroup can be made here")
    fresh = MemoryCgroup.create(f"{CGROUP_PREFIX}-{os.getpid()}-0-test", BOUND)
    try:
        assert not abandoned.path.exists() and fresh.path.exists()
    finally:
        fresh.remove()
