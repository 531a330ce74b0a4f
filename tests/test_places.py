"""Feedback points where the student can look: the notebook's own sections, the answer cell, the line."""

from __future__ import annotations

import json

import nbformat
import pytest

from grading import ASSIGNMENT, BY_ID, DENSE
from autograder.messages import render
from autograder.places import SECTION_HEADING, locate, notebook_places, place_text
from autograder.report.student import feedback_markdown
from autograder.results import TestResult as Outcome, collapsed_messages
from tests.grading import grade
from tests.test_public import grade_id, student_notebook

ANSWERS = {exercise.solution_cell: exercise.id for exercise in BY_ID.values() if exercise.automatic}


def cell(kind: str, source: str, grade_id: str = "") -> dict:
    metadata = {"nbgrader": {"grade_id": grade_id}} if grade_id else {}
    return {"cell_type": kind, "source": source, "metadata": metadata}


def test_a_place_is_a_section_and_an_answer_cell_or_a_code_cell_counted_within_its_section():
    cells = [cell("code", "import numpy"), cell("markdown", "## 2. Cascades\n\n### 2.3 The cascade computed by hand"),
             cell("code", "x = 1"), cell("code", "def cascade_forward(): ...", "cascade_forward_solution"),
             cell("code", "y = 2"), cell("markdown", "Some text, no heading")]
    places = [place for place in notebook_places(cells, ANSWERS) if place]
    assert [place_text(place) for place in places] == [
        "code cell 1 of the top of the notebook",
        "code cell 1 of section 2.3 “The cascade computed by hand”",
        "your answer to `cascade_forward` in section 2.3 “The cascade computed by hand”",
        "code cell 3 of section 2.3 “The cascade computed by hand”"]
    assert locate("ZeroDivisionError: division by zero (in cell 2, line 3)", places) == (
        "ZeroDivisionError: division by zero (in your answer to `cascade_forward` in section 2.3 "
        "“The cascade computed by hand”, line 3)")
    assert locate("a student's text (in cell 99, line 1)", places) == "a student's text (in cell 99, line 1)"
    assert "2.3절" in place_text(places[1], "ko")
    odd = [{"cell_type": "code", "source": ["x", 1], "metadata": ["not", "a", "dict"]},
           {"cell_type": "code", "source": None, "metadata": {"nbgrader": "nor this"}}]
    assert [place["ordinal"] for place in notebook_places(odd, ANSWERS)] == [1, 2]


def test_identical_mistakes_are_said_once_with_the_number_of_cases():
    def failed(index: int, code: str, message: str) -> Outcome:
        return Outcome(f"t{index}", "e", 0.0, 1.0, "failed", message, code)

    tests = [failed(i, "dense.missing_bias", f"case {i}: off by the bias") for i in range(6)]
    tests.append(Outcome("t6", "e", 1.0, 1.0, "passed"))
    assert collapsed_messages(tests) == ["in 6 of 7 cases, the first: case 0: off by the bias"]
    same = [Outcome(f"t{i}", "e", 0.0, 1.0, "forbidden", "uses @", "forbidden.matrix_product") for i in range(3)]
    assert collapsed_messages(same) == ["uses @"]
    errors = [Outcome(f"t{i}", "e", 0.0, 1.0, "error", f"your code raised an error: E{i}", "student.error")
              for i in range(2)]
    assert collapsed_messages(errors) == ["in 1 of 2 cases: your code raised an error: E0",
                                          "in 1 of 2 cases: your code raised an error: E1"]
    assert render("feedback.in_cases", {"count": 6, "total": 7, "message": "m"}, "ko") == "7개 경우 중 6개에서: m"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """A student whose answer to dense_forward_matmul raises, and whose example cell in 2.3 fails."""
    notebook = student_notebook({"dense_forward_matmul": 'def dense_forward_matmul(X, W, B, activation="sigmoid"):\n'
                                                         '    z = tf.linalg.matmul(X, W) + B\n'
                                                         '    return undefined_name'})
    example = next(index for index, c in enumerate(notebook.cells) if "X_cp = X  #" in c.source)
    notebook.cells[example].source += "\nraise RuntimeError('my own example broke')"
    folder = tmp_path_factory.mktemp("places") / "submitted" / "kim" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    out = tmp_path_factory.mktemp("out")
    answer = next(c.source for c in notebook.cells if grade_id(c) == "dense_forward_matmul_solution")
    return {"result": grade(folder.parents[1], out)["kim"], "answer": answer}


def test_an_error_in_an_answer_names_the_exercise_section_and_line(graded):
    messages = graded["result"]["exercises"]["dense_forward_matmul"]["messages"]
    line = next(number for number, text in enumerate(graded["answer"].splitlines(), start=1) if "undefined_name" in text)
    assert messages == [render("student.error", {"error": "NameError: name 'undefined_name' is not defined (in your "
                                                          "answer to `dense_forward_matmul` in section 1.2.2 “With a "
                                                          f"matrix multiplication”, line {line})"})], messages


def test_a_cell_that_failed_is_named_by_its_section_everywhere(graded):
    result = graded["result"]
    failed = [c for c in result["cells"] if "my own example broke" in c["message"]]
    assert [c["place"] for c in failed] == ["code cell 1 of section 2.3 “The cascade computed by hand”"]
    page = feedback_markdown(result, DENSE)
    assert "Code cell 1 of section 2.3 “The cascade computed by hand” did not run to the end" in page
    text = json.dumps(result) + page
    for stale in ("study notes", "Cell 1 of your", "(in cell "):
        assert stale not in text


def test_every_section_feedback_points_to_is_a_heading_of_the_notebook_in_both_languages():
    from tests.test_release import MASTER, cells_of

    headings = {(number, title) for cell in cells_of(MASTER) if cell["cell_type"] == "markdown"
                for number, title in SECTION_HEADING.findall(cell["source"])}
    for exercise in BY_ID.values():
        assert (exercise.section, exercise.section_title) in headings, exercise.id
        assert exercise.section_title_ko, exercise.id
