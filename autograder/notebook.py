"""The hidden tests inside a notebook, for nbgrader's own autograding.

A master notebook's hidden-test cell ends with `grade_exercise("<assignment>", "<id>", globals())`;
the value is the cell's last expression, which nbgrader reads as partial credit. This path
runs in the student's kernel, with no isolation: it exists so that courses that grade
with nbgrader get the same tests and the same points as the batch grader. The course
secret cannot be kept in the student's kernel, so here the hidden inputs are drawn from
the notebook's own content: the same notebook always gets the same inputs.

The assignment is looked for in the `source/` of the course the notebook runs in (nbgrader
runs it in `<course>/autograded/<student>/<assignment>/`), then where the grader looks
(`autograder.assignments.source_roots`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from autograder.assignments import find, roots_around, source_roots
from autograder.grade.hidden import collect, run_exercise
from autograder.grade.secret import content_key
from autograder.grade.static import rule_findings
from autograder.messages import DEFAULT_LANGUAGE, status_label
from autograder.public import notebook_cells
from autograder.student import LocalStudent


def grade_exercise(assignment_name: str, exercise_id: str, namespace: dict, lang: str = DEFAULT_LANGUAGE) -> float:
    """Run the exercise's hidden tests on the namespace's definitions; print feedback; return the points."""
    assignment = find(assignment_name, source_roots(*roots_around(Path.cwd())))
    exercise = assignment.by_id[exercise_id]
    cells = notebook_cells(namespace, exercise.name)
    findings = rule_findings(exercise, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result, tests = run_exercise(exercise, collect(assignment, exercise), LocalStudent(namespace), lang, findings,
                                     content_key("\n".join(cells)), cells)
    print(f"{exercise.id}: {result.score:g} / {result.max_score:g} ({status_label(result.status, lang)})")
    for message in result.messages:
        print(f"  - {message}")
    return result.score
