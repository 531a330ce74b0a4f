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

from autograder.exercises import ASSIGNMENT, AUTOMATIC

ROOT = Path(__file__).resolve().parents[1]


def stage_submissions(notebooks: dict[str, Path], folder: Path) -> Path:
    """The notebooks in nbgrader's submitted/<student>/<assignment>/ layout."""
    submitted = folder / "submitted"
    for student, notebook in notebooks.items():
        target = submitted / student / ASSIGNMENT
        target.mkdir(parents=True)
        shutil.copy(notebook, target / f"{ASSIGNMENT}.ipynb")
    return submitted


def autograde_with_nbgrader(notebooks: dict[str, Path], course: Path) -> tuple[float, dict[str, dict[str, float]]]:
    """Seconds `nbgrader autograde` took for all the notebooks, and each student's score per exercise."""
    from nbgrader.api import Gradebook

    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    stage_submissions(notebooks, course)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    nbgrader = [sys.executable, "-m", "nbgrader"]
    root = ["--CourseDirectory.root", str(course), f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}"]
    subprocess.run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force", *root],
                   cwd=course, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([*nbgrader, "autograde", ASSIGNMENT, "--force", *root],
                   cwd=course, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: {e.id: gradebook.find_grade(e.id, ASSIGNMENT, ASSIGNMENT, student).score
                            for e in AUTOMATIC} for student in notebooks}
    return seconds, scores
