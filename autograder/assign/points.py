"""The points of the master notebook, stamped from the exercise list, where they are defined once.

An assignment's exercise list (`source/<assignment>/grading/__init__.py`) says what each exercise is worth; the master notebook repeats it where
nbgrader and students read it: each grade cell's `points`, the exercise's heading ("(5 points)"),
its row of the table of points and the table's total. `StampPoints` rewrites all of them from the
exercise list, so `autograder assign` keeps the notebook, the release, nbgrader's gradebook and
the grader in agreement, and `points_differences` names every place that disagreed.
"""

from __future__ import annotations

import copy
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Any

from autograder.assignments import Assignment

# Where a line of Markdown states points: a heading's "(5 points" or "(5점" and a table row's last cell.
POINTS_IN_TEXT = (re.compile(r"(\()(\d+)( points?\b|점)"), re.compile(r"(\|\s*(?:\*\*)?)(\d+)((?:\*\*)?\s*\|\s*)$"))
TOTAL_ROW = re.compile(r"^\|\s*\*\*(Total|합계)\*\*")


def _exercise_named(line: str, assignment: Assignment):
    """The one exercise whose id the line quotes as code, or None."""
    named = [exercise for exercise in assignment.exercises if f"`{exercise.id}`" in line]
    return named[0] if len(named) == 1 else None


def stamped_line(line: str, assignment: Assignment) -> str:
    """The line with the points it states replaced by the exercise list's."""
    if TOTAL_ROW.match(line):
        points = assignment.total_points
    else:
        exercise = _exercise_named(line, assignment)
        if exercise is None:
            return line
        points = exercise.points
    for pattern in POINTS_IN_TEXT:
        line = pattern.sub(lambda match: f"{match[1]}{points}{match[3]}", line)
    return line


class StampPoints(Preprocessor):
    """Each grade cell's points and each statement of points in the Markdown, from the exercise list."""

    assignment = Any()

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        exercise = self.assignment.by_id.get(meta.get("grade_id"))
        if meta.get("grade") and exercise is not None:
            meta["points"] = exercise.points
        if cell.cell_type == "markdown":
            cell.source = "\n".join(stamped_line(line, self.assignment) for line in cell.source.split("\n"))
        return cell, resources


def stamp_points(notebook, assignment: Assignment):
    """A copy of the notebook with its points stamped from the assignment's exercise list."""
    stamped, _ = StampPoints(assignment=assignment).preprocess(copy.deepcopy(notebook), {})
    return stamped


def points_differences(notebook, assignment: Assignment) -> list[str]:
    """Every place where the notebook's points differ from the exercise list's, named."""
    stamped = stamp_points(notebook, assignment)
    where = f"source/{assignment.name}/grading/__init__.py"
    found = []
    for before, after in zip(notebook.cells, stamped.cells):
        grade_id = before.metadata.get("nbgrader", {}).get("grade_id")
        if before.metadata.get("nbgrader", {}).get("points") != after.metadata.get("nbgrader", {}).get("points"):
            found.append(f"{grade_id}: the grade cell gives {before.metadata['nbgrader'].get('points')} points, "
                         f"{where} {after.metadata['nbgrader']['points']}")
        for old, new in zip(before.source.split("\n"), after.source.split("\n")):
            if old != new:
                found.append(f"the text {old.strip()!r} should read {new.strip()!r} ({where})")
    return found
