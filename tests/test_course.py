"""The instructor's course, run as the README writes it: `autograder course init`, nbgrader's release,
two students (one late) copied in with their timestamps, `nbgrader autograde` in the course's kernel,
`autograder grade --course`, `nbgrader generate_feedback` and `nbgrader export`, from an empty folder."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.assign.languages import release_master
from autograder.cli import main as cli
from autograder.course import (KERNEL_NAME, PACKAGE_PARENT, CourseError, apply_late_penalties, check_kernel,
                               init_course, kernel_spec)
from grading import ASSIGNMENT, AUTOMATIC, DENSE
from autograder.gradebook import nbgrader_export_csv, write_gradebook
from autograder.lateness import HandedIn, late_text, lateness, read_timestamp, seconds_late, utc_text

ROOT = Path(__file__).resolve().parents[1]
SOLVED = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
DUE_UTC = "2026-12-01 14:59:00"


def readme_workflow() -> list[str]:
    """The command lines of the README's course block: the fenced sh block that starts a course."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    [block] = [block for block in blocks if "autograder course init" in block]
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def students_inbox(home: Path) -> None:
    """What two students handed in: ada the reference solution, bob the same without the bias."""
    solved = SOLVED.read_text()
    no_bias = solved.replace("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)")
    assert no_bias != solved
    (home / "inbox").mkdir(parents=True)
    (home / "inbox" / "ada.ipynb").write_text(solved)
    (home / "inbox" / "bob.ipynb").write_text(no_bias)


def gradebook_scores(course: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission(ASSIGNMENT, student).score for student in ("ada", "bob")}


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> dict:
    """Each line of the README's block in a shell, in an empty home folder; `cd` moves the next lines."""
    home = tmp_path_factory.mktemp("home")
    students_inbox(home)
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    cwd, logs, after_autograde = home, {}, None
    for line in readme_workflow():
        words = shlex.split(line)
        if words[0] == "cd":
            cwd = Path(os.path.expanduser(words[1]).replace(os.path.expanduser("~"), str(home), 1))
            continue
        done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        logs[" ".join(words[:2])] = done.stdout + done.stderr
        if words[:2] == ["nbgrader", "autograde"]:
            after_autograde = gradebook_scores(cwd)
    return {"course": cwd, "logs": logs, "nbgrader_scores": after_autograde, "env": env}


def test_the_workflow_starts_from_an_empty_folder_outside_the_repository(workflow):
    assert readme_workflow()[0].startswith("autograder course init ~/")
    course = workflow["course"]
    assert PACKAGE_PARENT not in course.parents
    master = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4) == \
        release_master(master, "en"), "the course's master is the repository's, in English (the default --lang)"


def test_the_course_releases_the_committed_student_notebook(workflow):
    released = workflow["course"] / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.read_bytes() == (ROOT / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()


def test_nbgrader_autograde_runs_the_graded_cells_in_the_course_kernel(workflow):
    assert workflow["nbgrader_scores"] == {"ada": 95.0, "bob": 80.0}
    log = workflow["logs"]["nbgrader autograde"]
    # One checksum warning per graded cell and student, as the README explains; and bob is late.
    assert len(re.findall(r"Attribute 'checksum' for cell \w+ has changed", log)) == 2 * len(AUTOMATIC)
    assert "dense_layers for bob> is 34260.0 seconds late" in log
    assert "for ada> is" not in log


def test_the_course_config_points_nbgrader_at_a_kernel_that_imports_this_package(workflow):
    """What nbgrader autograde does with the config: the kernel it names, found where the config says."""
    probe = ("from traitlets.config.loader import PyFileConfigLoader\n"
             "from jupyter_client.kernelspec import KernelSpecManager\n"
             "from nbgrader.preprocessors import Execute\n"
             "config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
             "name = Execute(config=config).kernel_name\n"
             "spec = KernelSpecManager().get_kernel_spec(name)\n"
             "print(name, spec.argv[0], spec.env['PYTHONPATH'], spec.resource_dir)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=workflow["course"], capture_output=True, text=True,
                          env={key: value for key, value in os.environ.items() if key != "JUPYTER_PATH"}, timeout=120)
    assert done.returncode == 0, done.stderr
    name, python, path, folder = done.stdout.split()
    assert (name, path) == (KERNEL_NAME, str(PACKAGE_PARENT)) and Path(python).samefile(sys.executable)
    assert Path(folder) == workflow["course"] / "jupyter" / "kernels" / KERNEL_NAME


def export_rows(course: Path) -> dict[str, dict]:
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO((course / "grades.csv").read_text()))}


def test_nbgrader_export_shows_the_due_date_and_who_was_late(workflow):
    rows = export_rows(workflow["course"])
    assert {student: row["duedate"] for student, row in rows.items()} == {"ada": DUE_UTC, "bob": DUE_UTC}
    assert rows["ada"]["timestamp"] == "2026-12-01 13:10:00" and rows["bob"]["timestamp"] == "2026-12-02 00:30:00"
    assert (float(rows["ada"]["raw_score"]), float(rows["bob"]["raw_score"])) == (95.0, 80.0)
    own = {row["student_id"]: row for row in
           csv.DictReader(io.StringIO((workflow["course"] / "grades" / "grades_nbgrader.csv").read_text()))}
    for student in ("ada", "bob"):
        assert {key: own[student][key] for key in ("duedate", "timestamp", "raw_score")} == \
            {key: rows[student][key] for key in ("duedate", "timestamp", "raw_score")}


def test_the_graders_csv_report_and_feedback_say_who_was_late_and_by_how_much(workflow):
    grades = workflow["course"] / "grades"
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO((grades / "grades.csv").read_text()))}
    assert (rows["ada"]["late_by (d h min)"], rows["bob"]["late_by (d h min)"]) == ("", "9 h 31 min")
    assert json.loads((grades / "bob.json").read_text())["seconds_late"] == 34260.0
    report = (grades / "report" / "index.html").read_text()
    late_section = report.split("<h2>Late submissions</h2>", 1)[1].split("<h2>", 1)[0]
    assert "bob" in late_section and "9 h 31 min" in late_section and "ada" not in late_section
    assert "Handed in 9 h 31 min after the due date (2026-12-01 14:59:00 UTC)." in \
        (grades / "report" / "students" / "bob.md").read_text()
    assert "after the due date" not in (grades / "report" / "students" / "ada.md").read_text()
    feedback = workflow["course"] / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "dense_forward_matmul: 0 / 15 (failed)" in feedback.read_text()


def formgrader_call(base: str, token: str, path: str, body: dict | None = None):
    request = urllib.request.Request(base + path, method="PUT" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_formgrader_started_as_the_readme_says_grades_the_written_question(workflow, tmp_path):
    """`jupyter lab` in the course folder; formgrader's own API does what its page does when a grader scores the
    written answer; the gradebook then holds it beside the automatic scores."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token, base = secrets.token_hex(16), f"http://127.0.0.1:{port}"
    with open(tmp_path / "lab.log", "w") as log:
        lab = subprocess.Popen(["jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                                f"--IdentityProvider.token={token}", *(["--allow-root"] if os.geteuid() == 0 else [])],
                               cwd=workflow["course"], env=workflow["env"],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                assignments = formgrader_call(base, token, "/formgrader/api/assignments")
                break
            except OSError:
                assert lab.poll() is None and time.monotonic() < deadline, (tmp_path / "lab.log").read_text()[-3000:]
                time.sleep(2)
        [assignment] = assignments
        assert (assignment["name"], assignment["display_duedate"], assignment["num_submissions"]) == \
            (ASSIGNMENT, f"{DUE_UTC} UTC", 2)
        submissions = formgrader_call(base, token, f"/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}")
        [ada] = [s for s in submissions if s["student"] == "ada"]
        grades = formgrader_call(base, token, f"/formgrader/api/grades?submission_id={ada['id']}")
        [written] = [g for g in grades if g["name"] == "architecture_concept"]
        assert written["needs_manual_grade"] and written["max_score"] == 5
        formgrader_call(base, token, f"/formgrader/api/grade/{written['id']}", {"manual_score": 4})
    finally:
        lab.terminate()
        lab.wait(timeout=60)
    assert gradebook_scores(workflow["course"]) == {"ada": 99.0, "bob": 80.0}


def test_init_refuses_the_repository_a_used_folder_and_a_date_that_is_no_date(tmp_path, capsys):
    with pytest.raises(CourseError, match="inside"):
        init_course(ROOT / "courses" / "fall")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    with pytest.raises(CourseError, match="not empty"):
        init_course(tmp_path / "used")
    assert cli(["course", "init", str(tmp_path / "new"), "--due", "next friday-ish"]) == 2
    assert "--due" in capsys.readouterr().err and not (tmp_path / "new").exists()
    assert not (ROOT / "courses").exists()


def test_due_for_grading_without_a_course_but_not_beside_one(tmp_path, capsys):
    assert cli(["grade", str(SOLVED), "--out", str(tmp_path), "--course", str(tmp_path), "--due", "2026-12-01"]) == 2
    assert "gradebook" in capsys.readouterr().err


# Times, as nbgrader reads them.

def test_times_are_read_as_nbgrader_reads_them():
    assert utc_text("2026-12-01 23:59:00 Asia/Seoul") == DUE_UTC
    assert utc_text("2026-12-01T23:59:00+09:00") == DUE_UTC
    assert utc_text("2026-12-01 14:59:00.000000 UTC") == DUE_UTC  # as `nbgrader collect` writes timestamp.txt
    with pytest.raises(ValueError):
        utc_text("yesterday")


def test_lateness_is_nbgraders_total_seconds_late():
    assert seconds_late("2026-12-01 15:00:10", DUE_UTC) == 70.0
    assert seconds_late("2026-12-01 14:00:00", DUE_UTC) == 0.0
    assert seconds_late("", DUE_UTC) == seconds_late("2026-12-01 15:00:10", "") == 0.0
    assert (late_text(70.0), late_text(10.0), late_text(0.0), late_text(90061.0), late_text(86460.0)) == \
        ("2 min", "1 min", "", "1 d 1 h 2 min", "1 d 0 h 1 min")
    assert late_text(34260.0, "ko") == "9시간 31분"


def test_a_timestamp_file_is_read_within_bounds(tmp_path):
    assert read_timestamp(tmp_path) == HandedIn()
    (tmp_path / "timestamp.txt").write_text("2026-12-02 09:30:00 Asia/Seoul\n")
    assert read_timestamp(tmp_path) == HandedIn(time="2026-12-02 00:30:00")
    for text in ("not a time", "2026-12-02 09:30:00 Asia/Seoul" + " " * 500, "\udcff"):
        (tmp_path / "timestamp.txt").write_text(text, errors="surrogateescape")
        handed = read_timestamp(tmp_path)
        assert handed.time == "" and handed.unreadable is not None  # never on time: see tests/test_lateness.py


def result_for(student: str, score_of: dict[str, float], timestamp: str) -> dict:
    """A graded result as the batch writes it, reduced to what the gradebook reads."""
    exercises = {e.id: {"score": score_of.get(e.id, float(e.points))} for e in AUTOMATIC}
    return {"student": student, "exercises": exercises, "score": sum(e["score"] for e in exercises.values()),
            **lateness(HandedIn(time=timestamp), DUE_UTC)}


def test_the_courses_late_penalty_is_applied_as_nbgrader_applies_it(tmp_path):
    course = init_course(tmp_path / "course", "2026-12-01 23:59:00 Asia/Seoul").folder
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace('penalty_method = "none"', 'penalty_method = "zero"'))
    url = f"sqlite:///{course / 'gradebook.db'}"
    results = [result_for("ada", {}, "2026-12-01 13:10:00"),
               result_for("bob", {"dense_forward_matmul": 0.0}, "2026-12-02 00:30:00")]
    write_gradebook(url, DENSE, results)
    penalties = apply_late_penalties(course, url, ASSIGNMENT, ["ada", "bob"])
    assert penalties == {"ada": 0.0, "bob": 80.0}
    exported = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to=export.csv"], cwd=course,
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    assert exported.returncode == 0, exported.stderr
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO((course / "export.csv").read_text()))}
    assert (rows["bob"]["late_submission_penalty"], rows["bob"]["score"]) == ("80.0", "0.0")
    assert (rows["ada"]["late_submission_penalty"], rows["ada"]["score"]) == ("0.0", "95.0")
    own = {row["student_id"]: row for row in csv.DictReader(io.StringIO(nbgrader_export_csv(DENSE, results, penalties)))}
    assert own == rows


def test_a_kernel_that_imports_another_autograder_is_refused(tmp_path):
    (tmp_path / "autograder").mkdir()
    (tmp_path / "autograder" / "__init__.py").write_text("")
    spec = kernel_spec()
    check_kernel(spec)
    with pytest.raises(CourseError, match="does not import this autograder"):
        check_kernel({**spec, "env": {**spec["env"], "PYTHONPATH": str(tmp_path)}})


def test_grading_after_a_failed_nbgrader_autograde_writes_every_grade(tmp_path):
    """`nbgrader autograde` run before `nbgrader generate_assignment` fails, yet leaves the submission in the
    gradebook without a notebook or a grade; `autograder grade --course` then writes all of its grades."""
    home = tmp_path / "home"
    students_inbox(home)
    env = {**os.environ, "HOME": str(home), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    course = init_course(home / "course", "2026-12-01 23:59:00 Asia/Seoul").folder
    handed_in = course / "submitted" / "ada" / ASSIGNMENT
    handed_in.mkdir(parents=True)
    (handed_in / f"{ASSIGNMENT}.ipynb").write_text((home / "inbox" / "ada.ipynb").read_text())
    (handed_in / "timestamp.txt").write_text("2026-12-01 22:10:00 Asia/Seoul\n")
    failed = subprocess.run(["nbgrader", "autograde", ASSIGNMENT], cwd=course, env=env, capture_output=True,
                            text=True, timeout=600)
    assert "No notebooks found" in failed.stdout + failed.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "ada").notebooks == []
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade", "submitted", "--course", ".", "--out",
                             "grades"], cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "ada")
        scores = {grade.name: grade.auto_score for grade in submission.notebooks[0].grades}
    assert scores == {e.id: float(e.points) for e in AUTOMATIC} | {e.id: None for e in DENSE.exercises
                                                                   if not e.automatic}
