"""Points are defined once, in the exercise list: change one exercise's points and every output follows.

The test works on a copy of the repository, as an instructor would: edit the exercise list
(`source/dense_layers/grading/__init__.py`),
see `autograder assign --check` name what disagrees, run the release, then grade the reference
solution with nbgrader's own commands and with `autograder grade --course`, and read every output.
"""

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

import nbformat
import pytest

from autograder.assign.points import points_differences, stamp_points
from grading import ASSIGNMENT, DENSE, EXERCISES

ROOT = Path(__file__).resolve().parents[1]
CHANGED, OLD_POINTS, NEW_POINTS = "dense_shapes", 5, 10
TOTAL = sum(exercise.points for exercise in EXERCISES) - OLD_POINTS + NEW_POINTS
AUTOMATIC_TOTAL = sum(exercise.points for exercise in EXERCISES if exercise.automatic) - OLD_POINTS + NEW_POINTS
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


def run(copy: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(copy), "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run([sys.executable, *args], cwd=cwd or copy, env=env, capture_output=True, text=True,
                          timeout=1800)


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> dict:
    """A copy of the repository with one exercise's points changed, released and graded every way."""
    copy = tmp_path_factory.mktemp("course") / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "out", "__pycache__", "notebooks",
                                                              ".pytest_cache"))
    exercises = copy / "source" / ASSIGNMENT / "grading" / "__init__.py"
    text = exercises.read_text()
    line = f'Exercise("{CHANGED}", "Shapes of a dense layer", {OLD_POINTS}, "function",'
    assert line in text
    exercises.write_text(text.replace(line, line.replace(f", {OLD_POINTS},", f", {NEW_POINTS},")))
    found = {"check_before": run(copy, "-m", "autograder", "assign", "--check")}
    found["release"] = run(copy, "-m", "autograder", "assign")
    found["check_after"] = run(copy, "-m", "autograder", "assign", "--check")
    course = copy / "course"
    script = (f"import json; from pathlib import Path; from autograder.nbgrader_run import autograde_with_nbgrader\n"
              f"_, scores = autograde_with_nbgrader({{'solution': Path('solutions/{ASSIGNMENT}/{NOTEBOOK}')}}, "
              f"Path('{course}'))\nprint(json.dumps(scores))")
    found["autograde"] = run(copy, "-c", script)
    found["grade"] = run(copy, "-m", "autograder", "grade", str(course / "submitted"), "--course", str(course),
                         "--out", str(copy / "graded"), "--workers", "1")
    found["copy"] = copy
    return found


def test_assign_check_names_each_difference_of_points(changed):
    before = changed["check_before"]
    assert before.returncode == 1
    assert (f"points: {CHANGED}: the grade cell gives {OLD_POINTS} points, source/{ASSIGNMENT}/grading/__init__.py "
            f"{NEW_POINTS}") \
        in before.stdout, before.stdout
    assert f"`{CHANGED}` ({OLD_POINTS} points)" in before.stdout  # the exercise's heading
    assert f"| `{CHANGED}` | {OLD_POINTS} |" in before.stdout  # its row in the table of points
    assert "**Total**" in before.stdout
    assert changed["release"].returncode == 0, changed["release"].stderr
    assert changed["check_after"].returncode == 0, changed["check_after"].stdout
    assert "points:" not in changed["check_after"].stdout


def test_the_notebooks_follow_the_new_points(changed):
    copy = changed["copy"]
    for folder in ("source", "assignments", "solutions"):
        notebook = nbformat.read(copy / folder / ASSIGNMENT / NOTEBOOK, as_version=4)
        points = {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
                  for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}
        assert points[CHANGED] == NEW_POINTS and sum(points.values()) == TOTAL, folder
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        assert f"### Exercise: `{CHANGED}` ({NEW_POINTS} points)" in text
        assert f"| **Total** | **{TOTAL}** |" in text


def test_nbgrader_autograde_gives_the_solution_the_new_points(changed):
    assert changed["autograde"].returncode == 0, changed["autograde"].stderr[-3000:]
    scores = json.loads(changed["autograde"].stdout.strip().splitlines()[-1])["solution"]
    assert scores[CHANGED] == NEW_POINTS
    assert sum(scores.values()) == AUTOMATIC_TOTAL


def test_grade_course_the_gradebook_and_both_csvs_follow_the_new_points(changed):
    from nbgrader.api import Gradebook

    grade = changed["grade"]
    assert grade.returncode == 0, grade.stdout[-3000:] + grade.stderr[-3000:]
    graded = changed["copy"] / "graded"
    rows = list(csv.DictReader(io.StringIO((graded / "grades.csv").read_text())))
    assert rows[0][CHANGED] == str(NEW_POINTS) and float(rows[0]["max_score"]) == AUTOMATIC_TOTAL
    assert float(rows[0]["total"]) == AUTOMATIC_TOTAL
    exported = list(csv.DictReader(io.StringIO((graded / "grades_nbgrader.csv").read_text())))
    assert float(exported[0]["max_score"]) == TOTAL and float(exported[0]["score"]) == AUTOMATIC_TOTAL
    result = json.loads((graded / "solution.json").read_text())
    assert result["exercises"][CHANGED]["max_score"] == NEW_POINTS == result["exercises"][CHANGED]["score"]
    assert sum(test["max_points"] for test in result["tests"] if test["exercise"] == CHANGED) == NEW_POINTS
    page = (graded / "report" / "students" / "solution.md").read_text()
    assert re.search(rf"`{CHANGED}`\): {NEW_POINTS} / {NEW_POINTS}", page), page
    with Gradebook(f"sqlite:///{changed['copy'] / 'course' / 'gradebook.db'}") as gradebook:
        assert gradebook.find_grade_cell(CHANGED, ASSIGNMENT, ASSIGNMENT).max_score == NEW_POINTS
        assert gradebook.find_grade(CHANGED, ASSIGNMENT, ASSIGNMENT, "solution").score == NEW_POINTS
        assert gradebook.find_submission(ASSIGNMENT, "solution").max_score == TOTAL


def test_gradescope_results_follow_the_new_points(changed):
    script = ("import json; from pathlib import Path; from autograder.gradescope.results import GradescopeConfig, "
              "gradescope_results\nresult = json.loads(Path('graded/solution.json').read_text())\n"
              "print(json.dumps(gradescope_results(result, GradescopeConfig(), 1.0)))")
    done = run(changed["copy"], "-c", script)
    results = json.loads(done.stdout)
    test = next(test for test in results["tests"] if f"({CHANGED})" in test["name"])
    assert test["max_score"] == NEW_POINTS == test["score"] and results["score"] == AUTOMATIC_TOTAL


def test_stamping_rejects_nothing_it_should_keep():
    """The committed master notebook already follows the exercise list, and stamping it changes nothing."""
    master = nbformat.read(ROOT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    assert points_differences(master, DENSE) == []
    assert nbformat.writes(stamp_points(master, DENSE)) == nbformat.writes(master)
