"""`autograder grade --cluster` on Dask distributed: the same results as the local grader, on loopback only."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

pytest.importorskip("distributed")
import psutil  # noqa: E402  (a dependency of Dask distributed)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "submissions" / "notebooks"
# A right answer, a named mistake, a cell that ends its process, a file that is no notebook, a forger.
SUBSET = ("reference", "bias_as_row", "os_exit_cell", "not_a_notebook", "fake_result")
# What differs between two gradings of the same bytes: time and the student process's resources.
UNSTABLE = ("duration_s",)
UNSTABLE_PROCESS = ("cpu_s", "peak_rss_kb")


def grade_command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--timeout", "10",
            "--due", "2026-12-01 12:00:00", "--no-report", *extra]


def stable(result: dict) -> dict:
    kept = {key: value for key, value in result.items() if key not in UNSTABLE}
    kept["student_process"] = {k: v for k, v in result["student_process"].items() if k not in UNSTABLE_PROCESS}
    return kept


def assert_same_results(expected: Path, actual: Path, command_only: tuple[str, ...] = (),
                        normalized: Callable[[dict], dict] = stable) -> None:
    """File for file: the same names (but `command_only`, which only the command writes, not the in-process
    batch), the same JSON but timings (`normalized`), the same CSV bytes, nothing left over."""
    assert sorted(p.name for p in actual.iterdir()) == sorted([*(p.name for p in expected.iterdir()), *command_only])
    for path in expected.iterdir():
        other = actual / path.name
        if path.suffix == ".json":
            assert normalized(json.loads(other.read_text())) == normalized(json.loads(path.read_text())), path.name
        else:
            assert other.read_text() == path.read_text(), path.name


@pytest.fixture(scope="module")
def subset(tmp_path_factory) -> Path:
    """nbgrader's submitted/<student>/dense_layers/ layout, one of them handed in late."""
    folder = tmp_path_factory.mktemp("submitted")
    for index, name in enumerate(SUBSET):
        assignment = folder / name / "dense_layers"
        assignment.mkdir(parents=True)
        shutil.copy(CORPUS / f"{name}.ipynb", assignment / "dense_layers.ipynb")
        (assignment / "timestamp.txt").write_text(f"2026-12-0{1 + index % 2} 10:00:00")
    return folder


@pytest.fixture(scope="module")
def graded_locally(subset, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    done = subprocess.run(grade_command(subset, out, "--workers", "1"), cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def test_a_local_cluster_gives_the_local_graders_results_file_for_file(subset, graded_locally, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(grade_command(subset, out, "--cluster", "local:2"), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Dask cluster at local:2: 2 workers" in done.stderr
    assert_same_results(graded_locally, out)
    reference, late = (json.loads((out / f"{name}.json").read_text()) for name in ("reference", "bias_as_row"))
    assert reference["score"] == 95 and reference["seconds_late"] == 0
    assert late["seconds_late"] == 22 * 3600


# Corpus notebooks whose outcome is a race on a loaded machine: the balloon's cell ends either at the
# 5-second timeout or at the memory bound first, as the two gradings' machine load has it.
RACING = ("memory_balloon",)


def without_race(result: dict) -> dict:
    """`stable`, and for a racing notebook its cells and student process left out, once they are shown to
    have ended as the race allows (timed out or stopped by an error), whichever came first."""
    kept = stable(result)
    if result["student"] in RACING:
        assert {cell["status"] for cell in result["cells"]} <= {"timeout", "error"}, result["cells"]
        kept = {key: value for key, value in kept.items() if key not in ("cells", "student_process")}
    return kept


def test_the_corpus_on_a_local_cluster_gives_the_local_graders_results_file_for_file(corpus_graded, tmp_path):
    from grading import CORPUS_NOTEBOOKS, CORPUS_TIMEOUT_S

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(CORPUS_NOTEBOOKS), "--out", str(out),
                           "--timeout", str(CORPUS_TIMEOUT_S), "--no-report", "--cluster", "local:2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    assert_same_results(corpus_graded, out, command_only=("grades_nbgrader.csv",), normalized=without_race)


def test_an_address_off_this_machine_is_refused_without_insecure(subset, tmp_path):
    done = subprocess.run(grade_command(subset, tmp_path / "out", "--cluster", "tcp://10.0.0.7:8786"), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert "refusing" in done.stderr and "tls://" in done.stderr and "--insecure" in done.stderr
    assert not (tmp_path / "out").exists()


def test_loopback_and_tls_addresses_are_accepted_and_insecure_lifts_the_refusal():
    from autograder.grade.cluster import ClusterError, check_address

    for address in ("tcp://127.0.0.1:8786", "127.0.0.2:8786", "tcp://localhost:8786", "tcp://[::1]:8786",
                    "tls://grader.example.org:8786", "local:2"):
        check_address(address)
    check_address("tcp://10.0.0.7:8786", insecure=True)
    for address in ("tcp://10.0.0.7:8786", "192.168.1.20:8786", "tcp://example.org:8786", "tcp://0.0.0.0:8786",
                    "local:0", "local:x", "ucx://127.0.0.1:8786"):
        with pytest.raises(ClusterError):
            check_address(address)


def dask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1, stopped after the module."""
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    processes = [subprocess.Popen(dask_command("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                               "--scheduler-file", str(address_file)),
                                  cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)]
    deadline = time.monotonic() + 60
    while not address_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(address_file.read_text())["address"]
    assert address.startswith("tcp://127.0.0.1:")
    for _ in range(2):
        processes.append(subprocess.Popen(
            dask_command("worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"),
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
    yield address, processes
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def grading_processes(root: psutil.Process) -> list[tuple[psutil.Process, psutil.Process]]:
    """(Dask worker process, warm worker) pairs under `root` whose warm worker has a student process running."""
    pairs = []
    for process in root.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if (process.name() != "bwrap" and "autograder.run.inside.zygote" in " ".join(process.cmdline())
                    and process.children()):
                holder = process
                while holder.name() == "bwrap" or "zygote" in " ".join(holder.cmdline()):
                    holder = holder.parent()
                pairs.append((holder, process))
    return pairs


def kill_while_grading(roots: list[int], pick: Callable[[tuple], psutil.Process], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for root in roots:
            with contextlib.suppress(psutil.Error):
                pairs = grading_processes(psutil.Process(root))
                if pairs:
                    pick(pairs[0]).send_signal(signal.SIGKILL)
                    return
        time.sleep(0.1)
    raise AssertionError("nothing was being graded")


def assert_every_result_once(expected: Path, out: Path) -> None:
    assert_same_results(expected, out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "a temporary file was left"


def test_real_scheduler_and_workers_survive_a_killed_dask_worker(subset, graded_locally, scheduler, tmp_path):
    address, (_, *workers) = scheduler
    out = tmp_path / "out"
    client = subprocess.Popen(grade_command(subset, out, "--cluster", address), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    kill_while_grading([w.pid for w in workers], pick=lambda pair: pair[0])
    stdout, stderr = client.communicate(timeout=600)
    assert client.returncode == 0, stderr
    assert f"Dask cluster at {address}: 2 workers" in stderr
    assert_every_result_once(graded_locally, out)


def test_a_killed_warm_worker_inside_a_dask_worker_is_started_again(subset, graded_locally, scheduler, tmp_path):
    address, (_, *workers) = scheduler
    out = tmp_path / "out"
    client = subprocess.Popen(grade_command(subset, out, "--cluster", address), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    kill_while_grading([w.pid for w in workers], pick=lambda pair: pair[1])
    stdout, stderr = client.communicate(timeout=600)
    assert client.returncode == 0, stderr
    assert_every_result_once(graded_locally, out)


def test_a_killed_client_leaves_whole_results_and_the_rerun_resumes(subset, graded_locally, scheduler, tmp_path):
    address, _ = scheduler
    out = tmp_path / "out"
    client = subprocess.Popen(grade_command(subset, out, "--cluster", address), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    client.kill()
    client.wait()
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert first and len(first) < len(SUBSET), "the client was killed in the middle"
    rerun = subprocess.run(grade_command(subset, out, "--cluster", address), cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert all((out / name).stat().st_mtime_ns == mtime for name, mtime in first.items())
    assert_every_result_once(graded_locally, out)


def test_a_submission_dask_gives_up_on_is_a_grader_failure_and_the_batch_goes_on(subset, graded_locally, tmp_path):
    out = tmp_path / "out"
    environment = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    client = subprocess.Popen(grade_command(subset, out, "--cluster", "local:2"), cwd=ROOT, env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kill_while_grading([client.pid], pick=lambda pair: pair[0])
    stdout, stderr = client.communicate(timeout=600)
    assert client.returncode == 1, stderr  # some submissions failed the grader: listed, graded again next time
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in graded_locally.iterdir())
    failed = []
    for name in SUBSET:
        result = json.loads((out / f"{name}.json").read_text())
        if result.get("grader_error"):
            failed.append(name)
            assert result["score"] == 0 and "Dask workers grading it died" in result["grader_error"]
            assert {e["status"] for e in result["exercises"].values()} == {"grader_error"}
            assert name in stderr
        else:
            assert stable(result) == stable(json.loads((graded_locally / f"{name}.json").read_text()))
    assert failed


def test_a_lost_scheduler_ends_the_command_with_a_clear_message_and_whole_results(subset, scheduler, tmp_path):
    """Last of the module: it kills the module's scheduler."""
    address, (scheduler_process, *workers) = scheduler
    out = tmp_path / "out"
    client = subprocess.Popen(grade_command(subset, out, "--cluster", address), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    kill_while_grading([w.pid for w in workers], pick=lambda pair: psutil.Process(scheduler_process.pid))
    stdout, stderr = client.communicate(timeout=300)
    assert client.returncode == 3
    assert f"error: lost the Dask scheduler at {address}" in stderr and "running the same command again resumes" in stderr
    assert "Traceback" not in stderr
    assert not (out / "grades.csv").exists()
    for path in out.glob("*.json"):
        assert json.loads(path.read_text())["sha256"]


def test_a_worker_without_a_sandbox_refuses_unless_the_instructor_accepts_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "reference.ipynb", folder)
    environment = {**os.environ, "AUTOGRADER_SANDBOX": "off"}
    refused = subprocess.run(grade_command(folder, tmp_path / "refused", "--cluster", "local:1"), cwd=ROOT,
                             env=environment, capture_output=True, text=True, timeout=600)
    assert refused.returncode == 3
    assert "refusing to grade: the Dask worker tcp://127.0.0.1:" in refused.stderr and "--unsandboxed" in refused.stderr
    assert not list((tmp_path / "refused").glob("*.json"))
    accepted = subprocess.run(grade_command(folder, tmp_path / "accepted", "--cluster", "local:1", "--unsandboxed"),
                              cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert accepted.returncode == 0, accepted.stderr
    assert "student code ran there WITHOUT a sandbox" in accepted.stderr
    result = json.loads((tmp_path / "accepted" / "reference.json").read_text())
    assert result["score"] == 95 and result["sandboxed"] is False
