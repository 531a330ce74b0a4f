"""Scores into nbgrader's gradebook, and grades.csv in the layout of `nbgrader export`.

Each automatic exercise is a grade cell named by its exercise id, and its score becomes that
cell's automatic score, so nbgrader's formgrader, the manual grading of the written answer,
`nbgrader export` and `nbgrader generate_feedback` all work from the same database. Only
nbgrader's own API writes to it, so any SQLAlchemy URL nbgrader accepts works. Manual scores
already given are never touched: grading again only replaces automatic scores.

nbgrader is imported only where the gradebook is opened: its import takes seconds (nbformat's
schema checks build a grammar), which every batch would wait for at its end, and the CSV and the
autograded notebooks do without it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.assignments import SHIPPED, Assignment
from autograder.grade.tampering import needs_review_text
from autograder.grade.submission import file_name_of, parse_notebook_json, read_submission_bytes
from autograder.lateness import as_datetime
from autograder.messages import render
from autograder.nbgrader_run import put_alembic_on_path

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

EXPORT_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                  "raw_score", "late_submission_penalty", "score", "max_score")


class GradebookMismatch(ValueError):
    """The gradebook's notebook has grade cells that are not this course's exercises."""


def record_assignment(gradebook: Gradebook, assignment: Assignment) -> None:
    """The assignment, its notebook (named like it), a grade cell and a solution cell per exercise, named as in
    the notebook."""
    name = assignment.name
    gradebook.update_or_create_assignment(name)
    notebook = gradebook.update_or_create_notebook(name, name)
    foreign = sorted({cell.name for cell in notebook.grade_cells} - set(assignment.by_id))
    if foreign:
        raise GradebookMismatch(f"the gradebook's {name} notebook has grade cells that are not exercises: "
                                f"{', '.join(foreign)}; its grade ids must be the exercise ids")
    for exercise in assignment.exercises:
        gradebook.update_or_create_grade_cell(exercise.id, name, name, max_score=float(exercise.points),
                                              cell_type="code" if exercise.automatic else "markdown")
        gradebook.update_or_create_solution_cell(exercise.solution_cell, name, name)


def record_result(gradebook: Gradebook, assignment: Assignment, result: dict) -> None:
    """A student's submission, when it was made (from its timestamp.txt, so nbgrader knows whether it was
    late), and each automatic exercise's score as its grade cell's automatic score."""
    student, name = result["student"], assignment.name
    gradebook.update_or_create_student(student)
    when = {"timestamp": as_datetime(result["timestamp"])} if result.get("timestamp") else {}
    gradebook.update_or_create_submission(name, student, **when)
    complete_submission(gradebook, name, student)
    for exercise in assignment.automatic:
        grade = gradebook.find_grade(exercise.id, name, name, student)
        grade.auto_score = float(result["exercises"][exercise.id]["score"])
        grade.needs_manual_grade = False
    lang = result.get("language", "en")
    review = needs_review_text(result, lang)
    for exercise in assignment.exercises:
        if not exercise.automatic:  # the answer a person grades anyway: where a flag gets seen
            comment = gradebook.find_comment(exercise.solution_cell, name, name, student)
            comment.auto_comment = f"{render('report.review', {}, lang)}: {review}" if review else None
    gradebook.db.commit()


def complete_submission(gradebook: Gradebook, assignment: str, student: str) -> None:
    """The submission's missing notebooks, grades and comments, made as nbgrader's add_submission makes them.

    A submission nbgrader made before the gradebook had these cells (an `nbgrader autograde` that failed
    before `nbgrader generate_assignment`, or an exercise added since) lacks them, and nbgrader never adds them.
    """
    from nbgrader.api import Comment, Grade, SubmittedNotebook

    submission = gradebook.find_submission(assignment, student)
    for notebook in submission.assignment.notebooks:
        submitted = next((nb for nb in submission.notebooks if nb.notebook_id == notebook.id), None)
        if submitted is None:
            submitted = SubmittedNotebook(notebook_id=notebook.id, assignment_id=submission.id)
            gradebook.db.add(submitted)
            gradebook.db.flush()
        graded = {grade.cell_id for grade in submitted.grades}
        commented = {comment.cell_id for comment in submitted.comments}
        gradebook.db.add_all([Grade(cell_id=cell.id, notebook_id=submitted.id)
                              for cell in [*notebook.grade_cells, *notebook.task_cells] if cell.id not in graded])
        gradebook.db.add_all([Comment(cell_id=cell.id, notebook_id=submitted.id)
                              for cell in [*notebook.solution_cells, *notebook.task_cells] if cell.id not in commented])
    gradebook.db.commit()


def due_date(db_url: str, assignment: str) -> str:
    """The assignment's due date in the gradebook, UTC as nbgrader stores it; "" when it has none."""
    from nbgrader.api import Gradebook

    put_alembic_on_path()
    with Gradebook(db_url) as gradebook:
        found = next((a for a in gradebook.assignments if a.name == assignment), None)
        return str(found.duedate) if found is not None and found.duedate else ""


def write_gradebook(db_url: str, assignment: Assignment, results: list[dict]) -> None:
    """The results of one assignment into the gradebook (a result of another is refused)."""
    others = sorted({result.get("assignment", SHIPPED) for result in results} - {assignment.name})
    if others:
        raise GradebookMismatch(f"results of {', '.join(others) or 'no assignment'} are not {assignment.name}'s")
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    put_alembic_on_path()
    with warnings.catch_warnings(), Gradebook(db_url) as gradebook:
        # nbgrader's add_submission builds its rows in a way SQLAlchemy 2 warns about, harmlessly.
        warnings.simplefilter("ignore", SAWarning)
        record_assignment(gradebook, assignment)
        for result in results:
            if not result.get("grader_error"):  # no grade rather than a false 0; the next run grades it
                record_result(gradebook, assignment, result)


def feedback_output(exercise: dict) -> str:
    """What a graded cell shows in formgrader and in nbgrader's feedback: the score, then the messages."""
    lines = [f"{exercise['id']}: {exercise['score']:g} / {exercise['max_score']:g} ({exercise['status']})"]
    return "\n".join(lines + [f"  - {message}" for message in exercise["messages"]]) + "\n"


def autograded_notebook(submitted: dict, result: dict) -> dict:
    """The submitted notebook as `nbgrader autograde` would leave it, with this grader's feedback as the
    output of each exercise's graded cell; the hidden tests stay out of it."""
    for cell in submitted.get("cells", []):
        grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        if cell.get("cell_type") == "code" and grade_id in result["exercises"]:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": feedback_output(result["exercises"][grade_id])}]
            cell["execution_count"] = None
    return submitted


def write_autograded_notebooks(course: Path, assignment: Assignment, results: list[dict],
                               submissions: dict[str, Path]) -> list[Path]:
    """course/autograded/<student>/<assignment>/<notebook>.ipynb for each notebook submission that is
    readable, so that formgrader and `nbgrader generate_feedback` can show it."""
    written = []
    for result in results:
        path = submissions.get(result["student"])
        if path is None or path.suffix != ".ipynb" or result.get("problems") or result.get("grader_error"):
            continue
        try:
            submitted = parse_notebook_json(read_submission_bytes(path))
        except Exception:  # noqa: BLE001 - grading already said what is wrong with this file
            continue
        target = course / "autograded" / folder_name_of(result["student"]) / assignment.name / assignment.notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".ipynb.partial")
        partial.write_text(json.dumps(autograded_notebook(submitted, result), ensure_ascii=False, indent=1),
                           encoding="utf-8", errors="backslashreplace")
        os.replace(partial, target)
        written.append(target)
    return written


def folder_name_of(student: str) -> str:
    """nbgrader's folder for a student: the id itself, as nbgrader names it, unless it cannot be a folder name."""
    if student in ("", ".", "..") or "/" in student or "\0" in student:
        return file_name_of(student)
    return student


def nbgrader_export_csv(assignment: Assignment, results: list[dict], penalties: dict[str, float] | None = None) -> str:
    """grades.csv as `nbgrader export` writes it, for a gradebook holding just these results and these
    late penalties (none by default).

    The written answer counts in max_score but not yet in score, as in nbgrader before manual grading.
    """
    penalties = penalties or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    max_score, name = float(assignment.total_points), assignment.name
    for result in sorted(results, key=lambda r: r["student"]):
        if result.get("grader_error"):  # not graded yet: no score rather than a false 0
            writer.writerow([name, result.get("due", ""), result.get("timestamp", ""), result["student"],
                             "", "", "", "", "", "", max_score])
            continue
        score, penalty = float(result["score"]), float(penalties.get(result["student"], 0.0))
        writer.writerow([name, result.get("due", ""), result.get("timestamp", ""), result["student"], "", "", "",
                         score, penalty, max(0.0, score - penalty), max_score])
    return buffer.getvalue()
