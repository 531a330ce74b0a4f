"""Helpers shared by the grader's tests: submissions made from the reference solution, and grading them."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.assignments import shipped
from autograder.grade.batch import GradeSettings, grade_batch

ROOT = Path(__file__).resolve().parents[1]
CORPUS_NOTEBOOKS = ROOT / "tests" / "submissions" / "notebooks"
CORPUS_TIMEOUT_S = 5.0  # short, so that the sleeping and hanging cells cost little
SOLUTION = (ROOT / "solutions" / "dense_layers" / "dense_layers.py").read_text()


def variant(*replacements: tuple[str, str], append: str = "", prepend: str = "") -> str:
    """The solution with some lines replaced; every replaced line must exist, so a stale test fails."""
    source = SOLUTION
    for old, new in replacements:
        assert old in source, f"{old!r} is not in the reference solution"
        source = source.replace(old, new)
    return prepend + source + append


def notebook(cells: list[str], test_cells: dict[int, str] | None = None) -> str:
    """A notebook of code cells; `test_cells` maps a position to an nbgrader grade_id for a locked test cell."""
    test_cells = test_cells or {}
    out = []
    for index, source in enumerate(cells):
        metadata = {}
        if index in test_cells:
            metadata = {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": 1,
                                     "grade_id": test_cells[index], "schema_version": 3}}
        out.append({"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [],
                    "source": source})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write_submissions(folder: Path, submissions: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in submissions.items():
        (folder / name).write_text(text)
    return folder


def grade(folder: Path, out: Path, **settings) -> dict[str, dict]:
    results = grade_batch([folder], out, GradeSettings(**{"workers": 2, "timeout_s": 3.0, **settings}))
    return {result["student"]: result for result in results}


def scores(result: dict) -> dict[str, float]:
    return {exercise: data["score"] for exercise, data in result["exercises"].items()}


# The assignment the repository ships, as the tests of the Dense course read it.
DENSE = shipped()
ASSIGNMENT, EXERCISES, AUTOMATIC = DENSE.name, DENSE.exercises, DENSE.automatic
AUTOMATIC_POINTS, BY_ID = DENSE.automatic_points, DENSE.by_id
