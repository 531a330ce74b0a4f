"""nbgrader's gradebook: a corpus graded with `--gradebook`, then `nbgrader export`, agrees with the
grader's own CSVs; manual grades survive grading again; a gradebook of another shape is refused."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.cli import main as cli
from grading import ASSIGNMENT, AUTOMATIC, EXERCISES, DENSE
from autograder.gradebook import GradebookMismatch, write_gradebook
from autograder.report.classroom import load_results
from tests.grading import variant, write_submissions

ROOT = Path(__file__).resolve().parents[1]
CORPUS = {
    "ada.py": variant(),
    "bob.py": variant(("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)")),
    "cy.py": "import os\nos._exit(3)\n",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, str]:
    """The corpus graded once through the command line into a fresh SQLite gradebook."""
    base = tmp_path_factory.mktemp("gradebook")
    url = f"sqlite:///{base / 'gradebook.db'}"
    folder = write_submissions(base / "submitted", CORPUS)
    assert cli(["grade", str(folder), "--out", str(base / "out"), "--workers", "2", "--timeout", "3",
                "--gradebook", url]) == 0
    return base / "out", url


def nbgrader_export(url: str, folder: Path) -> str:
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run([sys.executable, "-m", "nbgrader", "export", f"--db={url}", "--to=export.csv"],
                          cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]})
    assert done.returncode == 0, done.stderr
    return (folder / "export.csv").read_text()


def rows(text: str, key: str) -> dict[str, dict]:
    return {row[key]: row for row in csv.DictReader(io.StringIO(text))}


def test_nbgrader_export_agrees_with_the_graders_csvs(graded, tmp_path):
    out, url = graded
    exported = nbgrader_export(url, tmp_path)
    own = rows((out / "grades.csv").read_text(), "student")
    assert set(rows(exported, "student_id")) == set(own) == {"ada", "bob", "cy"}
    for student, row in rows(exported, "student_id").items():
        assert float(row["raw_score"]) == float(own[student]["total"])
        assert float(row["max_score"]) == sum(exercise.points for exercise in EXERCISES)
    assert rows(exported, "student_id")["bob"]["raw_score"] != rows(exported, "student_id")["ada"]["raw_score"]
    assert rows(exported, "student_id") == rows((out / "grades_nbgrader.csv").read_text(), "student_id")
    assert (out / "report" / "index.html").exists()


def test_each_grade_cell_holds_its_exercises_score(graded):
    out, url = graded
    with Gradebook(url) as gradebook:
        for result in load_results(out):
            for exercise in AUTOMATIC:
                grade = gradebook.find_grade(exercise.id, ASSIGNMENT, ASSIGNMENT, result["student"])
                assert grade.auto_score == result["exercises"][exercise.id]["score"]
                assert not grade.needs_manual_grade
            written = gradebook.find_grade("architecture_concept", ASSIGNMENT, ASSIGNMENT, result["student"])
            assert written.needs_manual_grade and written.auto_score is None


def copy_of(url: str, folder: Path) -> str:
    """A copy of the graded gradebook, so a test can change it (and skip nbgrader's slow set-up of a new one)."""
    copy = folder / "copy.db"
    shutil.copy(url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def test_grading_again_keeps_manual_grades(tmp_path, graded):
    out, url = graded
    url = copy_of(url, tmp_path)
    results = load_results(out)
    with Gradebook(url) as gradebook:
        written = gradebook.find_grade("architecture_concept", ASSIGNMENT, ASSIGNMENT, "ada")
        written.manual_score, written.needs_manual_grade = 4.0, False
        gradebook.db.commit()
    write_gradebook(url, DENSE, results)
    with Gradebook(url) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "ada").score == results[0]["score"] + 4.0
        assert gradebook.find_submission(ASSIGNMENT, "bob").score == results[1]["score"]


def test_a_gradebook_with_other_grade_cells_is_refused(tmp_path, graded):
    url = copy_of(graded[1], tmp_path)
    with Gradebook(url) as gradebook:
        gradebook.add_grade_cell("cell-1f3a", ASSIGNMENT, ASSIGNMENT, max_score=1.0, cell_type="code")
    with pytest.raises(GradebookMismatch, match="cell-1f3a"):
        write_gradebook(url, DENSE, load_results(graded[0]))


def test_a_course_folder_gets_autograded_notebooks_that_nbgrader_turns_into_feedback(tmp_path):
    solved = (ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    no_bias = solved.replace("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)")
    assert no_bias != solved
    course = tmp_path / "course"
    for student, text in {"ada": solved, "bob": no_bias}.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(text)
    assert cli(["grade", str(course / "submitted"), "--out", str(tmp_path / "out"), "--workers", "2",
                "--course", str(course), "--no-report"]) == 0
    autograded = course / "autograded" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "grade_exercise" not in autograded.read_text()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--force",
                           f"--CourseDirectory.root={course}"], cwd=course, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                                                 f"{os.environ['PATH']}"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    feedback = (course / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "dense_forward_matmul: 0 / 15 (failed)" in feedback and "bias" in feedback
    assert "grade_exercise" not in feedback
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "ada").score == 95
