"""A timestamp.txt that does not say when a submission was handed in is never taken as on time: nbgrader's
autograde refuses such a student; this grader grades the work, applies no late penalty it cannot know, and
flags the submission for review in its result, grades.csv, the class report and the gradebook's comment."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grading import ASSIGNMENT
from autograder.lateness import TIMESTAMP_FILE, UNREADABLE_TIMESTAMP, HandedIn, read_timestamp

ROOT = Path(__file__).resolve().parents[1]
SOLVED = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
DUE = "2026-12-01 23:59:00 Asia/Seoul"
ON_TIME, LATE = "2026-12-01 22:10:00 Asia/Seoul", "2026-12-02 09:30:00 Asia/Seoul"
LATE_BY = {"en": "late_by (d h min)", "ko": "늦은 시간(일 시간 분)"}


@pytest.mark.parametrize("written, stored", [
    ("2026-12-01 22:10:00 Asia/Seoul\n", "2026-12-01 13:10:00"),
    ("2026-12-01T22:10:00+09:00", "2026-12-01 13:10:00"),
    ("2026-12-01 13:10:00.123456", "2026-12-01 13:10:00.123456"),  # what nbgrader collect writes: UTC
    ("  2026-12-01 13:10:00  \n\n", "2026-12-01 13:10:00"),
])
def test_a_timestamp_nbgrader_reads_is_read_alike(tmp_path, written, stored):
    (tmp_path / TIMESTAMP_FILE).write_text(written)
    assert read_timestamp(tmp_path) == HandedIn(time=stored)


@pytest.mark.parametrize("written, shown", [
    (b"yesterday, honest", "yesterday, honest"),
    (b"", ""),
    (b"   \n", ""),
    (b"2026-13-45 25:61:00", "2026-13-45 25:61:00"),
    (b"\xff\xfe2026", "\\xff\\xfe2026"),
    (b"2026-12-01 13:10:00 " + b"x" * 300, "2026-12-01 13:10:00 " + "x" * 40 + "…"),
    (b"line\x1b[31m", "line\ufffd[31m"),
])
def test_a_timestamp_that_says_no_time_is_unreadable_not_on_time(tmp_path, written, shown):
    (tmp_path / TIMESTAMP_FILE).write_bytes(written)
    assert read_timestamp(tmp_path) == HandedIn(unreadable=shown)


def test_no_timestamp_file_is_no_time_and_a_folder_in_its_place_is_unreadable(tmp_path):
    assert read_timestamp(tmp_path) == HandedIn()
    (tmp_path / TIMESTAMP_FILE).mkdir()
    assert read_timestamp(tmp_path) == HandedIn(unreadable="")


def test_a_link_in_its_place_is_never_followed(tmp_path):
    """A timestamp.txt that links elsewhere could show any file the grader can read in the review flag; even a
    link to a real time is unreadable (nbgrader never writes one), while the same time in a file is read."""
    (tmp_path / "elsewhere.txt").write_text("2026-12-01 13:10:00.123456")
    (tmp_path / TIMESTAMP_FILE).symlink_to(tmp_path / "elsewhere.txt")
    assert read_timestamp(tmp_path) == HandedIn(unreadable="")
    (tmp_path / TIMESTAMP_FILE).unlink()
    shutil.copy(tmp_path / "elsewhere.txt", tmp_path / TIMESTAMP_FILE)
    assert read_timestamp(tmp_path).time and not read_timestamp(tmp_path).unreadable


def test_a_pipe_in_its_place_is_unreadable_and_the_batch_finishes(tmp_path):
    """A FIFO named timestamp.txt (nobody ever writes to it) would block a plain open() forever, and the batch
    with it; the grader grades the work and flags the time as unreadable, as for a folder in its place."""
    folder = tmp_path / "submitted" / "eve" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(SOLVED, folder / f"{ASSIGNMENT}.ipynb")
    os.mkfifo(folder / TIMESTAMP_FILE)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "submitted", "--out", "grades"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "grades" / "eve.json").read_text())
    assert result["score"] == 95 and result["timestamp"] == ""
    assert result["review"] == [{"reason": UNREADABLE_TIMESTAMP, "text": "", "file": TIMESTAMP_FILE}]


def run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    bin_dir = str(Path(sys.executable).parent)
    return subprocess.run(arguments, cwd=cwd, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]})


def hand_in(course: Path, student: str, timestamp: str) -> Path:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOLVED, folder / f"{ASSIGNMENT}.ipynb")
    (folder / TIMESTAMP_FILE).write_text(timestamp)
    return folder


def section(report: str, heading: str) -> str:
    """A section of the class report, as text."""
    part = report.split(f"{heading}</h2>", 1)[1].split("<h2", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course of three students handing in the same right notebook: on time, late, and with a
    timestamp.txt that says no time; graded by `autograder grade --course`."""
    course = tmp_path_factory.mktemp("lateness") / "course"
    done = run([sys.executable, "-m", "autograder", "course", "init", str(course), "--due", DUE], ROOT)
    assert done.returncode == 0, done.stderr
    assert run(["nbgrader", "generate_assignment", ASSIGNMENT], course).returncode == 0
    hand_in(course, "ada", ON_TIME)
    hand_in(course, "bob", "yesterday, honest")
    hand_in(course, "cy", LATE)
    done = run([sys.executable, "-m", "autograder", "grade", "submitted", "--course", ".", "--out", "grades"], course)
    assert done.returncode == 0, done.stderr[-3000:]
    return course


def test_nbgrader_refuses_to_autograde_it(course):
    """nbgrader fails that student while reading the file (this nbgrader even fails on its own way of saying so)."""
    done = run(["nbgrader", "autograde", ASSIGNMENT, "--student", "bob"], course)
    said = done.stdout + done.stderr
    assert "get_existing_timestamp" in said and f"error processing assignment '{ASSIGNMENT}' for student 'bob'" in said


def test_the_grader_grades_it_flags_it_and_leaves_its_score_alone(course):
    results = {student: json.loads((course / "grades" / f"{student}.json").read_text()) for student in ("ada", "bob", "cy")}
    assert results["bob"]["score"] == results["ada"]["score"] == results["cy"]["score"] == 95
    assert results["bob"]["review"] == [{"reason": UNREADABLE_TIMESTAMP, "text": "yesterday, honest",
                                         "file": TIMESTAMP_FILE}]
    assert (results["bob"]["timestamp"], results["bob"]["seconds_late"]) == ("", 0.0)
    assert results["ada"]["review"] == results["cy"]["review"] == []
    assert results["cy"]["seconds_late"] == 9 * 3600 + 31 * 60


def test_grades_csv_says_its_lateness_is_not_known_and_why(course):
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((course / "grades" / "grades.csv").read_text()))}
    assert [rows[student][LATE_BY["en"]] for student in ("ada", "bob", "cy")] == \
        ["", "not known (see Needs review)", "9 h 31 min"]
    assert rows["bob"]["needs_review"].startswith("timestamp.txt: does not say when it was handed in")
    assert rows["bob"]["needs_review"].endswith(": yesterday, honest") and rows["bob"]["total"] == "95"
    assert rows["ada"]["needs_review"] == rows["cy"]["needs_review"] == ""


def test_the_class_report_shows_it_as_late_not_known_and_needing_review(course):
    report = (course / "grades" / "report" / "index.html").read_text()
    late = section(report, "Late submissions")
    assert "bob" in late and "not known (see Needs review)" in late and "cy" in late and "ada" not in late
    review = section(report, "Needs review")
    assert "bob timestamp.txt: does not say when it was handed in" in review and "yesterday, honest" in review
    assert "ada" not in review and "cy" not in review


def test_the_gradebook_comment_flags_it_and_nbgrader_export_keeps_the_score(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        comments = {student: [comment.auto_comment for comment in
                              gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).comments
                              if comment.auto_comment] for student in ("ada", "bob", "cy")}
    assert comments["ada"] == comments["cy"] == []
    assert len(comments["bob"]) == 1 and comments["bob"][0].startswith("Needs review: timestamp.txt: does not say")
    assert run(["nbgrader", "export"], course).returncode == 0
    exported = {row["student_id"]: row for row in csv.DictReader(io.StringIO((course / "grades.csv").read_text()))}
    assert (exported["bob"]["timestamp"], exported["bob"]["raw_score"]) == ("", "95.0")


def test_mending_the_file_lifts_the_flag_and_spoiling_it_brings_it_back_without_grading_again(course, tmp_path):
    out = tmp_path / "grades"
    shutil.copytree(course / "grades", out)
    bob = course / "submitted" / "bob" / ASSIGNMENT / TIMESTAMP_FILE
    grade = [sys.executable, "-m", "autograder", "grade", "submitted", "--due", DUE, "--out", str(out)]
    try:
        bob.write_text(LATE)
        assert run(grade, course).returncode == 0
        mended = json.loads((out / "bob.json").read_text())
        assert mended["review"] == [] and mended["seconds_late"] == 9 * 3600 + 31 * 60
        bob.write_text("")
        assert run(grade, course).returncode == 0
        spoiled = json.loads((out / "bob.json").read_text())
        assert spoiled["review"] == [{"reason": UNREADABLE_TIMESTAMP, "text": "", "file": TIMESTAMP_FILE}]
        assert spoiled["seconds_late"] == 0 and spoiled["score"] == mended["score"] == 95
        assert spoiled["duration_s"] == mended["duration_s"]  # kept, not graded again
    finally:
        bob.write_text("yesterday, honest")


def test_in_korean_the_late_column_and_the_flag_are_korean(course, tmp_path):
    out = tmp_path / "grades"
    done = run([sys.executable, "-m", "autograder", "grade", "submitted", "--due", DUE, "--out", str(out),
                "--lang", "ko"], course)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}
    assert [rows[student][LATE_BY["ko"]] for student in ("ada", "bob", "cy")] == \
        ["", "알 수 없음(검토 필요 참고)", "9시간 31분"]
    assert rows["bob"]["needs_review"].startswith("timestamp.txt: 제출 시각이 제대로 적혀 있지 않아")
    late = section((out / "report" / "index.html").read_text(), "늦게 낸 제출물")
    assert "bob" in late and "알 수 없음" in late and "9시간 31분" in late
