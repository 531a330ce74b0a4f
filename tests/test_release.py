"""The course as instructors and students get it: the release, the solutions, the public tests, nbgrader's grading."""

from __future__ import annotations

import json
import re
from pathlib import Path

from autograder.assign import ROOT as REPOSITORY, main as assign_main
from autograder.assign.bundle import ENTRY, module_closure, module_file
from grading import ASSIGNMENT, AUTOMATIC, EXERCISES, DENSE
from autograder.nbgrader_run import autograde_with_nbgrader

ROOT = Path(__file__).resolve().parents[1]
SOURCE, RELEASE, SOLUTIONS = (REPOSITORY / folder / ASSIGNMENT for folder in ("source", "assignments", "solutions"))
MASTER = SOURCE / f"{ASSIGNMENT}.ipynb"
RELEASED = RELEASE / f"{ASSIGNMENT}.ipynb"
SOLVED = SOLUTIONS / f"{ASSIGNMENT}.ipynb"


def cells_of(path: Path) -> list[dict]:
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        cell["source"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return cells


def grade_id(cell: dict) -> str:
    return cell["metadata"].get("nbgrader", {}).get("grade_id", "")


REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def secret_lines(master: Path) -> set[str]:
    """The lines of the master notebook's solution and hidden-test regions that it does not also teach openly."""
    lines, taught = set(), set()
    for cell in cells_of(master):
        for _, region in REGION.findall(cell["source"]):
            lines |= {line.strip() for line in region.splitlines() if len(line.strip()) > 8}
        taught |= {line.strip() for line in REGION.sub("", cell["source"]).splitlines()}
    return (lines - taught) | {"### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "grade_exercise"}


def leaks(text: str, secrets: set[str], whole_lines: bool = False) -> list[str]:
    """The secrets found in a text: anywhere in it (a notebook's JSON), or as whole lines (Python source)."""
    found = {line.strip() for line in text.splitlines()} if whole_lines else None
    return sorted(secret for secret in secrets if (secret in found if whole_lines else secret in text))


def shipped_secrets(master: Path) -> set[str]:
    """The secret lines, less the few generic ones the check library (shipped to students by design, as
    `course_checks`) shares with the solution, such as `for W, B in zip(weights, biases):`."""
    secrets = secret_lines(master)
    library = {line.strip() for name in module_closure(ENTRY, DENSE) for line in module_file(name).read_text().splitlines()}
    generic = secrets & library
    assert len(generic) <= 4, f"the check library repeats the solution: {sorted(generic)}"
    return secrets - generic


def test_the_release_and_solutions_are_in_sync_with_the_source():
    assert assign_main(["--check"]) == 0, "run `make release` and commit assignments/ and solutions/"


def test_nothing_hidden_and_no_solution_under_assignments():
    secrets = shipped_secrets(MASTER)
    assert len(secrets) > 40
    files = [path for path in (ROOT / "assignments").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    assert files
    for path in files:
        assert leaks(path.read_text(errors="replace"), secrets, whole_lines=path.suffix == ".py") == [], path


def test_the_leak_check_finds_what_a_careless_release_would_hold():
    secrets = secret_lines(MASTER)
    assert "grade_exercise" in leaks(MASTER.read_text(), secrets)
    assert 'return [tuple(v.shape) for v in model.trainable_variables]' in leaks(SOLVED.read_text(), secrets)
    module = (SOLUTIONS / f"{ASSIGNMENT}.py").read_text()
    assert "z = tf.linalg.matmul(X, W) + B" in leaks(module, shipped_secrets(MASTER), whole_lines=True)


def test_the_release_has_a_stub_and_a_graded_cell_of_public_tests_per_exercise():
    cells = {grade_id(cell): cell for cell in cells_of(RELEASED) if grade_id(cell)}
    for exercise in AUTOMATIC:
        assert "raise NotImplementedError()" in cells[exercise.solution_cell]["source"]
        graded = cells[exercise.id]
        assert graded["metadata"]["nbgrader"]["points"] == exercise.points
        assert graded["source"].endswith(f'check("{exercise.id}", globals())')
        assert "grade_exercise" not in graded["source"]
    assert not [cell_id for cell_id in cells if cell_id.endswith("_visible_tests")]
    assert sum(cell["metadata"]["nbgrader"].get("points", 0) for cell in cells.values()) == \
        sum(exercise.points for exercise in EXERCISES)
    assert cells["architecture_concept"]["source"] == "YOUR ANSWER HERE"


def test_the_solution_module_holds_every_exercise():
    module = (SOLUTIONS / f"{ASSIGNMENT}.py").read_text()
    for exercise in AUTOMATIC:
        assert re.search(rf"^(def|class) {exercise.name}\b", module, re.M), exercise.name


def test_nbgrader_gives_the_solution_every_point_and_the_stub_none(tmp_path):
    _, scores = autograde_with_nbgrader({"solution": SOLVED, "stub": RELEASED}, tmp_path)
    assert scores["solution"] == {e.id: float(e.points) for e in AUTOMATIC}
    assert scores["stub"] == {e.id: 0.0 for e in AUTOMATIC}
