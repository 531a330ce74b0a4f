"""`autograder grade --cluster` on Dask distributed: the same results as the local grader, on loopback only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

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


def assert_same_results(expected: Path, actual: Path) -> None:
    """File for file: the same names, the same JSON but timings, the same CSV bytes, nothing left over."""
    assert sorted(p.name for p in actual.iterdir()) == sorted(p.name for p in expected.iterdir())
    for path in expected.iterdir():
        other = actual / path.name
        if path.suffix == ".json":
            assert stable(json.loads(other.read_text())) == stable(json.loads(path.read_text())), path.name
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


@pytest.mark.parametrize("address", ["tcp://10.0.0.7:8786", "192.168.1.20:8786", "tcp://example.org:8786"])
def test_an_address_off_this_machine_is_refused_without_insecure(subset, tmp_path, address):
    done = subprocess.run(grade_command(subset, tmp_path / "out", "--cluster", address), cwd=ROOT,
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
    for address in ("local:0", "local:x", "ucx://127.0.0.1:8786"):
        with pytest.raises(ClusterError):
            check_address(address)
