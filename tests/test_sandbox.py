"""What a student process can and cannot do, checked from inside it."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from autograder.run.inside import wire
from autograder.run.sandbox import SandboxedWorker, StudentProcessEnded, sandbox_available

ROOT = Path(__file__).resolve().parents[1]
needs_bwrap = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def worker():
    worker = SandboxedWorker(0, sandbox_available())
    worker.start()
    yield worker
    worker.stop()


def run(worker, *cells: str, timeout_s: float = 10) -> list[dict]:
    process = worker.spawn(0, "__main__")
    try:
        return [process.ask({"op": "cell", "index": i, "source": cell}, timeout_s) for i, cell in enumerate(cells)]
    finally:
        process.stop()


def errors(replies: list[dict]) -> list[str]:
    return [reply.get("error", "") for reply in replies]


@needs_bwrap
@pytest.mark.parametrize("path", [
    ROOT / "solutions" / "dense_layers" / "dense_layers.py",
    ROOT / "source" / "dense_layers" / "dense_layers.ipynb",
    ROOT / "source" / "dense_layers" / "grading" / "hidden_tests" / "test_TestModel.py",
    ROOT / "autograder" / "checks" / "core.py",
    ROOT / "tests",
    ROOT / "pyproject.toml",
])
def test_the_course_files_are_out_of_sight(worker, path):
    assert path.exists()
    replies = run(worker, f"import os\nos.listdir({str(path)!r}) if os.path.isdir({str(path)!r}) "
                          f"else open({str(path)!r}).read()")
    assert "FileNotFoundError" in errors(replies)[0]


@needs_bwrap
def test_the_inside_package_holds_no_checks(worker):
    replies = run(worker, "import autograder.run.inside as inside, os\n"
                          "found = sorted(os.listdir(os.path.dirname(inside.__file__)))\n"
                          "assert 'hidden_tests' not in str(found)\n"
                          "import autograder.checks")
    assert "ModuleNotFoundError" in errors(replies)[0]


@needs_bwrap
def test_no_network(worker):
    replies = run(worker, "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=2)",
                  "import urllib.request\nurllib.request.urlopen('https://pypi.org', timeout=2)")
    assert all(error for error in errors(replies)), replies


@needs_bwrap
def test_writes_only_in_its_own_folder(worker):
    replies = run(worker, f"open({str(ROOT / 'written_by_student.txt')!r}, 'w')",
                  "open('/tmp/outside.txt', 'w')", "open('/usr/lib/x', 'w')",
                  "import os\nopen('mine.txt', 'w').write('ok')\nassert os.getcwd() == '/tmp/student'")
    assert [bool(error) for error in errors(replies)] == [True, True, True, False]
    assert not (ROOT / "written_by_student.txt").exists()


@needs_bwrap
def test_nothing_of_one_student_process_reaches_the_next(worker):
    run(worker, "open('left_behind.txt', 'w').write('secret')\n"
                "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n"
                "import numpy\nnumpy.LEFT_BEHIND = True")
    replies = run(worker, "import os\nassert not os.path.exists('left_behind.txt')",
                  "import numpy\nassert not hasattr(numpy, 'LEFT_BEHIND')",
                  "import os\nothers = [p for p in os.listdir('/proc') if p.isdigit() and int(p) > os.getpid() + 0 "
                  "and open(f'/proc/{p}/cmdline').read().find('sleep') >= 0]\nassert not others")
    assert errors(replies) == ["", "", ""], replies


@needs_bwrap
def test_limits_end_floods_balloons_and_fork_storms(worker):
    replies = run(worker, "while True:\n    print('x' * 1000)", "print('an honest cell after the flood')",
                  "block = bytearray(8 * 1024**3)",
                  "import os, time\nborn = 0\nfor _ in range(2000):\n    try:\n        pid = os.fork()\n"
                  "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(20)\n        os._exit(0)\n"
                  "    born += 1\nassert born < 2000, born",
                  timeout_s=60)  # forking a warm worker hundreds of times is slow on a loaded machine
    assert "output limit reached" in errors(replies)[0]
    assert errors(replies)[1] == ""
    assert "MemoryError" in errors(replies)[2]
    assert errors(replies)[3] == ""


def test_a_process_that_ignores_sigterm_is_killed(worker):
    process = worker.spawn(0, "__main__")
    with pytest.raises(StudentProcessEnded) as ended:
        process.ask({"op": "cell", "index": 0, "source": "import signal, time\n"
                     "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)"}, 2)
    assert ended.value.status == "timeout"
    assert process.exit_report.exit_code == -9


def test_the_wire_refuses_pickles_and_oversized_frames():
    assert wire.read_message(io.BytesIO(wire.encode({"a": np.arange(3)})))["a"].tolist() == [0, 1, 2]
    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    header = b'{"body": {"__npy__": 0}, "arrays": 1}'
    frames = b"".join(wire.LENGTH.pack(len(f)) + f for f in (header, buffer.getvalue()))
    with pytest.raises(wire.WireError):
        wire.read_message(io.BytesIO(frames))
    with pytest.raises(wire.WireError):
        wire.read_message(io.BytesIO(wire.LENGTH.pack(wire.MAX_FRAME_BYTES + 1) + b"x"))


def test_a_student_process_that_sends_garbage_counts_as_crashed(worker):
    process = worker.spawn(0, "__main__")
    with pytest.raises(StudentProcessEnded) as ended:
        process.ask({"op": "cell", "index": 0, "source": "import os\nfor fd in range(3, 64):\n    try:\n"
                     "        os.write(fd, b'\\xff' * 64)\n    except OSError:\n        pass\nimport time\ntime.sleep(30)"}, 5)
    assert ended.value.status == "crashed"
