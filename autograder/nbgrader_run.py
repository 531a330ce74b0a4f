"""Grading with nbgrader itself, in a throwaway course folder: for the demo, the benchmark and the tests.

This is the path courses use today: `nbgrader generate_assignment`, then `nbgrader autograde`,
which runs the hidden-test cells (and `autograder.notebook.grade_exercise`) in each
student's kernel. The scores are read back through nbgrader's Gradebook API.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from autograder.assignments import SHIPPED, Assignment, shipped

ROOT = Path(__file__).resolve().parents[1]


class NbgraderFailed(RuntimeError):
    """An nbgrader command failed; the message carries the end of its output."""


def put_alembic_on_path() -> None:
    """nbgrader runs the `alembic` command from PATH to open a gradebook; it is installed beside this Python."""
    if shutil.which("alembic") is None:
        os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def run_nbgrader(verb: str, course: Path, assignment: str = SHIPPED) -> None:
    """`nbgrader <verb> <assignment> --force` in a course folder, with the folder's own gradebook."""
    put_alembic_on_path()
    finished = subprocess.run(
        [sys.executable, "-m", "nbgrader", verb, assignment, "--force", "--CourseDirectory.root", str(course),
         f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}"],
        cwd=course, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, capture_output=True, text=True)
    if finished.returncode != 0:
        raise NbgraderFailed(f"nbgrader {verb} failed:\n{(finished.stdout + finished.stderr)[-4000:]}")


def new_course(course: Path, lang: str = "en", assignment: Assignment | None = None) -> Path:
    """A scratch nbgrader course folder holding this repository's source folder, the assignment's master notebook
    in one language, and its nbgrader config."""
    import nbformat

    from autograder.assign.languages import release_master

    assignment = assignment or shipped()
    shutil.copytree(ROOT / "source", course / "source")
    master = course / "source" / assignment.name / assignment.notebook
    nbformat.write(release_master(nbformat.read(master, as_version=4), lang), master)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    return course


def stage_submissions(notebooks: dict[str, Path], folder: Path, assignment: Assignment | None = None) -> Path:
    """The notebooks in nbgrader's submitted/<student>/<assignment>/ layout."""
    assignment = assignment or shipped()
    submitted = folder / "submitted"
    for student, notebook in notebooks.items():
        target = submitted / student / assignment.name
        target.mkdir(parents=True)
        shutil.copy(notebook, target / assignment.notebook)
    return submitted


def autograde_with_nbgrader(notebooks: dict[str, Path], course: Path, lang: str = "en",
                            assignment: Assignment | None = None) -> tuple[float, dict[str, dict[str, float]]]:
    """Seconds `nbgrader autograde` took for all the notebooks (released in lang), and each student's score per
    exercise."""
    from nbgrader.api import Gradebook

    assignment = assignment or shipped()
    stage_submissions(notebooks, new_course(course, lang, assignment), assignment)
    run_nbgrader("generate_assignment", course, assignment.name)
    started = time.perf_counter()
    run_nbgrader("autograde", course, assignment.name)
    seconds = time.perf_counter() - started
    put_alembic_on_path()
    name = assignment.name
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: {e.id: gradebook.find_grade(e.id, name, name, student).score
                            for e in assignment.automatic} for student in notebooks}
    return seconds, scores
