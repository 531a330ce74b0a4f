"""Every submission gets a result and the batch always finishes: grader faults, dead workers, reruns,
bounded parsing of what a student process sends."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import struct
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder.cli import main as cli
from grading import ASSIGNMENT, AUTOMATIC_POINTS
from autograder.grade import batch
from autograder.grade.parsing import MAX_CELL_CHARS, parse_cell
from autograder.grade.submission import file_name_of
from autograder.gradescope.run import main as gradescope_main
from autograder.report.classroom import load_results
from autograder.run.inside import wire
from grading import grade, notebook, variant, write_submissions
from tests.test_gradescope import autograder_zip, gradescope_root, validate  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[1]
SUM_OF_5000 = "total = " + " + ".join(str(k) for k in range(5000)) + "\n"
FORGE = ("import os, struct\n"
         "frame = b'{\"body\": ' + b'[' * 200_000 + b']' * 200_000 + b', \"arrays\": 0}'\n"
         "for fd in range(3, 64):\n"
         "    try:\n        os.write(fd, struct.pack('!I', len(frame)) + frame)\n"
         "    except OSError:\n        pass\n")


def _frame(data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + data


def _npy(header: str, payload: bytes) -> bytes:
    text = header.encode().ljust(117) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + payload


def _read(data: bytes, **bounds):
    return wire.read_message(io.BytesIO(data), **bounds)


def test_ten_notebooks_whose_first_two_crash_the_grader_all_get_results(tmp_path):
    """The issue's case: two crashers that sort first, eight honest notebooks, two workers, one run."""
    exits = notebook([variant(), *["import os\nos._exit(1)"] * 12])
    forges = notebook([variant(), FORGE])
    submissions = {"a_exits.ipynb": exits, "a_forges.ipynb": forges,
                   **{f"honest{k}.ipynb": notebook([variant()]) for k in range(8)}}
    folder = write_submissions(tmp_path / "in", submissions)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out),
                          "--workers", "2", "--timeout", "5"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    results = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    assert sorted(results) == sorted(Path(name).stem for name in submissions)
    assert all(results[f"honest{k}"]["score"] == AUTOMATIC_POINTS for k in range(8))
    assert results["a_forges"]["score"] == AUTOMATIC_POINTS  # the forging cell is skipped, like a crashing one
    assert not any(result["grader_error"] for result in results.values())
    assert len((out / "grades.csv").read_text().splitlines()) == 11
    assert (out / "report" / "index.html").stat().st_size > 0


def test_a_grader_fault_is_that_submissions_result_and_a_rerun_retries_only_it(tmp_path, monkeypatch, capsys):
    folder = write_submissions(tmp_path / "in", {f"{name}.py": variant() for name in ("ann", "bob", "cat")})
    out = tmp_path / "out"
    real = batch.grade_submission
    killed = []

    def faulty(submission, worker, settings):
        if submission.student == "bob":
            raise RuntimeError("a bug in the grader")
        if submission.student == "cat" and not killed:  # the worker dies under cat: replaced, cat graded again
            killed.append(worker.process.pid)
            worker.process.kill()
            worker.process.wait()
        return real(submission, worker, settings)

    monkeypatch.setattr(batch, "grade_submission", faulty)
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5"]) == 1
    err = capsys.readouterr().err
    assert "the grader failed on 1 submission" in err and "bob: RuntimeError: a bug in the grader" in err
    bob = json.loads((out / "bob.json").read_text())
    assert bob["grader_error"].startswith("RuntimeError: a bug in the grader")
    assert {t["status"] for t in bob["tests"]} == {"grader_error"}
    assert all("RuntimeError" not in t["message"] and "grader" in t["message"] for t in bob["tests"])
    assert killed and json.loads((out / "cat.json").read_text())["score"] == AUTOMATIC_POINTS
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert rows["bob"]["total"] == rows["bob"]["dense_shapes"] == "" and rows["bob"]["max_score"] == "95"
    assert rows["ann"]["total"] == "95"
    assert "grader_error" in (out / "report" / "index.html").read_text()

    monkeypatch.setattr(batch, "grade_submission", real)
    kept = {name: (out / f"{name}.json").stat().st_mtime_ns for name in ("ann", "cat")}
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5"]) == 0
    assert json.loads((out / "bob.json").read_text())["score"] == AUTOMATIC_POINTS
    assert {name: (out / f"{name}.json").stat().st_mtime_ns for name in kept} == kept


def test_keras_failing_on_the_grader_side_is_the_graders_error_not_the_students(tmp_path, monkeypatch, capsys):
    """The reference is computed from the grader's own cases: its failure costs the student nothing (it was
    once reported as "an answer of an unexpected form", tests lost, when the grader's Keras was half-imported)."""
    from autograder.checks import reference

    folder = write_submissions(tmp_path / "in", {"ann.py": variant()})
    out = tmp_path / "out"

    def broken(*args):
        raise AttributeError("partially initialized module 'keras' has no attribute 'layers'")

    monkeypatch.setattr(reference, "_keras_dense_cached", broken)
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5"]) == 1
    assert "ann: GraderFailure: Keras' Dense layer failed" in capsys.readouterr().err
    ann = json.loads((out / "ann.json").read_text())
    assert {t["status"] for t in ann["tests"]} == {"grader_error"}
    assert not any("keras" in t["message"] or "unexpected form" in t["message"] for t in ann["tests"])


def test_a_worker_that_cannot_start_gives_grader_errors_not_a_traceback(tmp_path, monkeypatch):
    def broken_start(self):
        raise batch.WorkerFailed("the worker did not start")

    monkeypatch.setattr(batch.SandboxedWorker, "start", broken_start)
    results = grade(write_submissions(tmp_path / "in", {"ann.py": variant(), "bob.py": variant()}), tmp_path / "out")
    assert sorted(results) == ["ann", "bob"]
    assert all("WorkerFailed: the worker did not start" in r["grader_error"] for r in results.values())


def test_a_200000_deep_reply_is_a_clean_wire_error():
    deep = _frame(b'{"body": ' + b"[" * 200_000 + b"]" * 200_000 + b', "arrays": 0}')
    with pytest.raises(wire.WireError, match="nested deeper"):
        _read(deep)
    brackets_in_strings = _frame(json.dumps({"body": "[" * 100_000, "arrays": 0}).encode())
    assert _read(brackets_in_strings) == "[" * 100_000


def test_an_npy_header_is_checked_against_the_bytes_before_anything_is_allocated():
    header = _frame(b'{"body": {"__npy__": 0}, "arrays": 1}')
    claims = "{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000,), }"
    with pytest.raises(wire.WireError, match=r"claims shape \(10000000000000,\)"):
        _read(header + _frame(_npy(claims, bytes(64))))
    for bad in ("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': __import__('os'), }"):
        with pytest.raises(wire.WireError, match="not a plain array"):
            _read(header + _frame(_npy(bad, bytes(8))))
    with pytest.raises(wire.WireError, match="bad array count"):
        _read(_frame(b'{"body": 1, "arrays": 100000}'))
    with pytest.raises(wire.WireError, match="more than"):
        _read(_frame(b'{"body": [' + b"0," * wire.MAX_JSON_ITEMS + b'0], "arrays": 0}'))


def test_honest_messages_round_trip_as_writable_arrays():
    message = {"x": np.arange(12, dtype=np.float32).reshape(3, 4), "f": np.asfortranarray(np.eye(3)[:, :2]),
               "flag": np.array(True), "empty": np.zeros((0, 3), np.int64), "text": "[{\"]}\\", "nan": float("nan")}
    back = _read(wire.encode(message))
    for key in ("x", "f", "flag", "empty"):
        assert np.array_equal(back[key], message[key]) and back[key].dtype == message[key].dtype
        assert back[key].flags.writeable
    assert back["text"] == message["text"] and np.isnan(back["nan"])


def test_replies_are_bounded_well_below_the_requests():
    big = wire.encode({"value": np.ones(wire.MAX_REPLY_BYTES, dtype=bool)})
    with pytest.raises(wire.WireError, match="larger than the 4 MB"):
        _read(big, max_bytes=wire.MAX_REPLY_BYTES)
    assert _read(big)["value"].size == wire.MAX_REPLY_BYTES


def test_parse_cell_survives_deep_sums_huge_cells_and_threads():
    assert parse_cell(SUM_OF_5000) is None
    assert parse_cell("x" * (MAX_CELL_CHARS + 1)) is None
    assert parse_cell("def f(:\n") is None
    assert parse_cell("%matplotlib inline\nx = 1\n").body[1].targets[0].id == "x"
    cells = [variant(), SUM_OF_5000, "y = " + "(" * 150 + "1" + ")" * 150, "a = [" + "[1]," * 3000 + "]"]
    failures = []

    def parse_many():
        try:
            for _ in range(20):
                for cell in cells:
                    parse_cell(cell)
        except BaseException as error:  # noqa: BLE001
            failures.append(error)

    threads = [threading.Thread(target=parse_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [type(parse_cell(cell)).__name__ for cell in cells] == ["Module", "NoneType", "Module", "Module"]


HUNDRED_A = "s" * 99 + "a"
HUNDRED_B = "s" * 99 + "b"


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> tuple[Path, Path, dict[str, dict]]:
    """An nbgrader course whose student ids are everything a class list holds, graded through the CLI."""
    base = tmp_path_factory.mktemp("names")
    submitted = base / "course" / "submitted"
    stub = notebook(["x = 1"])
    layout = {"a b": {"dense_layers.ipynb": notebook([variant()])}, "a_b": {"dense_layers.ipynb": stub},
              "kim@uni.edu": {"dense_layers.ipynb": stub}, "김철수": {"dense_layers.ipynb": notebook([variant()])},
              "alice": {"dense_layers.ipynb": notebook([variant()]), "dense_layers-Copy1.ipynb": stub},
              HUNDRED_A: {"dense_layers.ipynb": stub}, HUNDRED_B: {"dense_layers.ipynb": notebook([variant()])},
              "dan": {"a_draft.ipynb": stub, "b_final.ipynb": stub},
              "erin": {"dense_layers (1).ipynb": notebook([variant()]), "helper.py": "x = 1"}}
    for student, files in layout.items():
        write_submissions(submitted / student / "dense_layers", files)
    (submitted / "carol" / "dense_layers" / "dense_layers.ipynb").mkdir(parents=True)
    (submitted / "carol" / "dense_layers" / "dense_layers.ipynb" / "dense_layers.ipynb").write_text(stub)
    (submitted / "frank" / "dense_layers").mkdir(parents=True)
    os.mkfifo(submitted / "frank" / "dense_layers" / "dense_layers.ipynb")
    (submitted / "gus" / "other_assignment").mkdir(parents=True)  # not a submission of this assignment
    (submitted / "gus" / "other_assignment" / "other.ipynb").write_text(stub)
    out = base / "out"
    assert cli(["grade", str(submitted), "--out", str(out), "--workers", "2", "--timeout", "5",
                "--course", str(base / "course")]) == 0
    return base, out, {r["student"]: r for r in load_results(out)}


STUDENTS = {"a b", "a_b", "kim@uni.edu", "김철수", "alice", HUNDRED_A, HUNDRED_B, "dan", "erin", "carol", "frank"}


def test_ids_are_the_folder_names_exactly(named):
    base, out, results = named
    assert set(results) == STUDENTS
    scores = {student: result["score"] for student, result in results.items()}
    assert scores["a b"] == scores["김철수"] == scores["alice"] == scores[HUNDRED_B] == scores["erin"] == AUTOMATIC_POINTS
    assert scores["a_b"] == scores["kim@uni.edu"] == scores[HUNDRED_A] == 0
    assert results["alice"]["source"].endswith("alice/dense_layers/dense_layers.ipynb")
    own = csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8")))
    assert {row["student"]: row["total"] for row in own} == {s: f"{scores[s]:g}" for s in STUDENTS}
    exported = csv.DictReader(io.StringIO((out / "grades_nbgrader.csv").read_text(encoding="utf-8")))
    assert {row["student_id"] for row in exported} == STUDENTS
    with Gradebook(f"sqlite:///{base / 'course' / 'gradebook.db'}") as gradebook:
        assert {student.id for student in gradebook.students} == STUDENTS
        assert gradebook.find_submission(ASSIGNMENT, "a b").score == AUTOMATIC_POINTS
        assert gradebook.find_submission(ASSIGNMENT, "a_b").score == 0
    assert (base / "course" / "autograded" / "김철수" / "dense_layers" / "dense_layers.ipynb").is_file()


def test_file_names_are_made_safe_and_unique_without_merging_anyone(named):
    _, out, results = named
    names = {file_name_of(student) for student in results}
    assert len(names) == len(results)
    assert {p.stem for p in out.glob("*.json")} == names
    assert {p.stem for p in (out / "report" / "students").glob("*.html")} == names
    assert file_name_of("alice") == "alice" and file_name_of("a b") != file_name_of("a_b") == "a_b"
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "kim@uni.edu" in index and "김철수" in index and f'students/{file_name_of("김철수")}.html' in index


@pytest.mark.parametrize("student, words", [
    ("dan", "several candidates (a_draft.ipynb, b_final.ipynb)"),
    ("carol", "dense_layers.ipynb is a folder, not a file"),
    ("frank", "dense_layers.ipynb is a named pipe (FIFO), not a file"),
])
def test_what_cannot_be_graded_is_said_in_that_students_result(named, student, words):
    result = named[2][student]
    assert result["score"] == 0 and words in result["problems"][0]
    page = (named[1] / "report" / "students" / f"{file_name_of(student)}.md").read_text(encoding="utf-8")
    assert words.split(" (")[0] in page


def test_a_lone_notebook_under_another_name_is_graded_with_a_note(named):
    erin = named[2]["erin"]
    assert erin["source"].endswith("dense_layers (1).ipynb") and erin["score"] == AUTOMATIC_POINTS
    assert erin["notes"] == ["dense_layers.ipynb was not found, so dense_layers (1).ipynb was graded"]


def _with_image_outputs(megabytes: int) -> str:
    """The reference solution as one notebook whose cells carry `megabytes` of saved PNG outputs."""
    data = json.loads(notebook([variant(), "print('done')"]))
    image = {"output_type": "display_data", "metadata": {},
             "data": {"image/png": "iVBORw0KGgo" + "A" * (1024 * 1024 - 11), "text/plain": ["<Figure>"]}}
    data["cells"][1]["outputs"] = [image] * megabytes
    return json.dumps(data)


def test_outputs_never_count_and_a_huge_file_is_never_read(tmp_path):
    import resource

    folder = write_submissions(tmp_path / "in", {"pictures.ipynb": _with_image_outputs(50)})
    with open(folder / "sparse.ipynb", "wb") as handle:
        handle.truncate(3 * 1024**3)
    (folder / "folder.ipynb").mkdir()
    os.mkfifo(folder / "pipe.ipynb")
    os.mknod(folder / "device.ipynb", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    (folder / "link.ipynb").symlink_to(folder / "pictures.ipynb")  # a right answer, but not this student's file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = grade(folder, tmp_path / "out")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert results["pictures"]["score"] == AUTOMATIC_POINTS and not results["pictures"]["problems"]
    assert results["sparse"]["problems"] == ["sparse.ipynb is larger than 100 MB (3072 MB), so it was not read"]
    assert grown_mib < 1024, "the sparse file was read"
    assert results["folder"]["problems"] == ["folder.ipynb is a folder, not a file"]
    assert results["pipe"]["problems"] == ["pipe.ipynb is a named pipe (FIFO), not a file"]
    assert results["device"]["problems"] == ["device.ipynb is a device, not a file"]
    assert results["link"]["score"] == 0
    assert results["link"]["problems"] == ["link.ipynb is a symbolic link to another file, so it was not read: "
                                           "hand in the file itself"]


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB file system of its own (needs mount rights: root here)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_read_only_results_folder_is_refused_before_grading(small_disk, tmp_path, capsys):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    folder = write_submissions(tmp_path / "in", {"ann.py": variant()})
    assert cli(["grade", str(folder), "--out", str(small_disk / "out"), "--workers", "1"]) == 3
    err = capsys.readouterr().err
    assert "error: cannot write the results folder" in err and "Read-only file system" in err
    assert "[" not in err, "nothing was graded"


def test_a_full_disk_stops_the_batch_cleanly_keeping_every_finished_result(small_disk, tmp_path, monkeypatch,
                                                                           capsys):
    folder = write_submissions(tmp_path / "in", {f"s{k}.py": variant() for k in range(4)})
    real = batch.WarmWorker.grade
    graded = []

    def then_fill_the_disk(self, submission, settings):
        result = real(self, submission, settings)
        graded.append(submission.student)
        if len(graded) == 2:  # after the second student, something else fills the disk
            with open(small_disk / "ballast", "wb") as ballast:
                try:
                    while True:
                        ballast.write(bytes(64 * 1024))
                        ballast.flush()
                except OSError:
                    pass
        return result

    monkeypatch.setattr(batch.WarmWorker, "grade", then_fill_the_disk)
    out = small_disk / "out"
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5"]) == 3
    err = capsys.readouterr().err
    assert "error: grading stopped: cannot write" in err and "No space left on device" in err
    assert "the 1 results finished are kept" in err
    assert sorted(p.name for p in out.iterdir()) == ["s0.json"], "no temporary or partial file is left"
    assert json.loads((out / "s0.json").read_text())["score"] == AUTOMATIC_POINTS
    (small_disk / "ballast").unlink()
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5", "--no-report"]) == 0
    assert sorted(p.name for p in out.glob("s*.json")) == [f"s{k}.json" for k in range(4)]


def test_reports_survive_any_text(tmp_path, capsys):
    odd = "bad \udcff byte, <script>alert(1)</script>, \x00 and a\u202eb"
    folder = write_submissions(tmp_path / "in", {"ann.py": variant(append=f"\nraise ValueError({odd!r})\n")})
    out = tmp_path / "out"
    (tmp_path / "course").mkdir()
    assert cli(["grade", str(folder), "--out", str(out), "--workers", "1", "--timeout", "5",
                "--course", str(tmp_path / "course")]) == 0
    (out / "broken.json").write_text("{not json")
    capsys.readouterr()
    assert cli(["report", str(out)]) == 0
    assert "skipped broken.json" in capsys.readouterr().err
    result = json.loads((out / "ann.json").read_text())
    assert result["score"] == AUTOMATIC_POINTS and "\\udcff" in result["cells"][0]["message"]
    for page in ("report/students/ann.html", "report/students/ann.md", "report/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text
    assert "\\udcff" in (out / "report" / "students" / "ann.md").read_text(encoding="utf-8")


def test_gradescope_grades_by_the_same_rule_and_writes_any_text(tmp_path, autograder_zip):
    drafts = gradescope_root(tmp_path / "drafts", autograder_zip,
                             {"a_draft.ipynb": notebook(["x = 1"]), "b_final.ipynb": notebook([variant()])})
    assert gradescope_main(["--root", str(drafts)]) == 0
    results = json.loads((drafts / "results" / "results.json").read_text())
    validate(results)
    assert results["score"] == 0 and "several candidates (a_draft.ipynb, b_final.ipynb)" in results["output"]
    odd = gradescope_root(tmp_path / "odd", autograder_zip, {
        "dense_layers.ipynb": notebook([variant(), "raise ValueError('bad ' + chr(0xDCFF) + ' byte')"])})
    assert gradescope_main(["--root", str(odd)]) == 0
    results = json.loads((odd / "results" / "results.json").read_text(encoding="utf-8"))
    validate(results)
    assert results["score"] == AUTOMATIC_POINTS and "bad \\udcff byte" in results["output"]
