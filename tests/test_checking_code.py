"""The rule every exercise has: the course's checking code (`course_checks`, shipped beside the notebook for
its test cells) is not part of an answer. The grader runs a notebook without it, so the public tests judge
an answer that needs it exactly as the grader does, with the same words, in English and Korean: by what the
code does (an alias, a name built at run time, `__import__`), never by the name alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.assign.bundle import PACKAGE
from grading import ASSIGNMENT, AUTOMATIC, BY_ID
from autograder.grade.static import CHECKING_CODE, CHECKING_PACKAGE, rule_findings
from autograder.messages import render
from autograder.student import without_checking_code
from tests.test_public import execute, grade_id, graded_cells, outputs
from tests.test_release_korean import RELEASED, SOLVED

SHAPES = 'def dense_shapes(N, n_feature, n_neuron):\n' \
         '    return {"X": (N, n_feature), "W": (n_feature, n_neuron), "B": (n_neuron,), "y": (N, n_neuron)}\n'


def with_body_line(line: str) -> str:
    return SHAPES.replace("    return", f"    {line}\n    return")


# Cells of a notebook (as the grader reads them) -> what the rule finds in `dense_shapes`, or None.
STATIC_CASES = {
    "import pasted above the answer": (["from course_checks import check\n" + SHAPES], "from course_checks import check"),
    "alias used in the body": (["import course_checks as cc", with_body_line("cc.public")], "cc.public"),
    "name built from pieces": (["import importlib", with_body_line("importlib.import_module('course_' + 'checks')")],
                               "importlib.import_module('course_' + 'checks')"),
    "__import__": ([with_body_line("__import__('course_checks')")], "__import__('course_checks')"),
    "reversed name": ([with_body_line("__import__('skcehc_esruoc'[::-1])")], "__import__('skcehc_esruoc'[::-1])"),
    "import inside the body": ([with_body_line("import course_checks.public")], "import course_checks.public"),
    "through a helper": (["from course_checks.checks import shapes as s\n\ndef helper():\n    return s",
                          with_body_line("helper()")], "from course_checks.checks import shapes as s"),
    "bound to the name": (["import course_checks.public\ndense_shapes = course_checks.public.check"], "dense_shapes"),
    # Honest variants: the name alone is nothing.
    "a list of one's own named course_checks": ([with_body_line("course_checks = ['X', 'W']")], None),
    "the name in a docstring": ([with_body_line("'''Not course_checks: my own.'''")], None),
    "the test cell after the answer": ([SHAPES, "from course_checks import check\ncheck('dense_shapes', globals())"],
                                       None),
    "an import in a cell the answer never needs": ([SHAPES, "import course_checks\nprint(1)"], None),
    "the import pasted below the answer": ([SHAPES + "from course_checks import check\ncheck('dense_shapes', globals())"],
                                           None),
}


@pytest.mark.parametrize("case", STATIC_CASES)
def test_the_rule_reads_what_the_code_does(case):
    cells, found = STATIC_CASES[case]
    findings = [(f.code, f.found) for f in rule_findings(BY_ID["dense_shapes"], ["import numpy as np", *cells])]
    assert findings == ([(CHECKING_CODE, found)] if found else [])


def test_the_name_of_the_checking_code_is_the_name_it_ships_under():
    assert CHECKING_PACKAGE == PACKAGE


def test_while_the_student_answers_the_checking_code_cannot_be_imported():
    """In this process `course_checks` stands for a loaded package; hidden, then back exactly as it was."""
    import importlib
    import types

    package = types.ModuleType(CHECKING_PACKAGE)
    sys.modules[CHECKING_PACKAGE] = package
    try:
        with without_checking_code():
            for attempt in (lambda: importlib.import_module("course_" + "checks"),
                            lambda: __import__(CHECKING_PACKAGE + ".public")):
                with pytest.raises(ModuleNotFoundError, match="No module named 'course_checks"):
                    attempt()
            assert importlib.import_module("json") is json  # nothing else is touched
        assert sys.modules[CHECKING_PACKAGE] is package
    finally:
        del sys.modules[CHECKING_PACKAGE]


# A released notebook, as a student fills it in, in a real kernel and through `autograder grade`.

def edit(notebook, exercise: str, change, before: str | None = None) -> None:
    for index, cell in enumerate(notebook.cells):
        if grade_id(cell) == f"{exercise}_solution":
            cell.source = change(cell.source)
            if before is not None:
                notebook.cells.insert(index, nbformat.v4.new_code_cell(before))
            return
    raise KeyError(exercise)


# Exercise -> how its (right) answer uses the checking code, and the `found` both sides name; None: honest.
USES = {
    "dense_shapes": "from course_checks import check",  # pasted into the answer cell, above the answer
    "dense_forward_matmul": "cc.checks.reference.activate",  # an alias, imported in a cell of its own
    "cascade_shapes": "importlib.import_module('course_' + 'checks')",
    "layer_weight_shapes": "__import__('course_checks')",
    "trainable_variable_shapes": "import course_checks",  # a name the grader cannot read: what ran decides
    "cascade_forward": None,  # a list of the student's own named course_checks
    "build_sequential": None,  # course_checks in a docstring
}


def uses_course_checks(lang: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(SOLVED[lang], as_version=4)
    edit(notebook, "dense_shapes", lambda s: f"from course_checks import check\n{s}\ncheck('dense_shapes', globals())")
    edit(notebook, "dense_forward_matmul", lambda s: s.replace("return apply_activation(z, activation)",
                                                               "return cc.checks.reference.activate(z, activation)"),
         before="import course_checks as cc")
    edit(notebook, "cascade_shapes", lambda s: s.replace(
        "    out, width", "    importlib.import_module('course_' + 'checks')\n    out, width"), before="import importlib")
    edit(notebook, "layer_weight_shapes", lambda s: s.replace("    out = []", "    __import__('course_checks')\n    out = []"))
    edit(notebook, "trainable_variable_shapes", lambda s: "import base64, importlib\n" + s.replace(
        "    return", "    importlib.import_module(base64.b64decode('Y291cnNlX2NoZWNrcw==').decode())\n    return"))
    edit(notebook, "cascade_forward", lambda s: s.replace(
        "    A = tf.identity(X)", "    course_checks = [W.shape for W in weights]\n    A = tf.identity(X)"))
    edit(notebook, "build_sequential", lambda s: s.replace('"""A Sequential', '"""Not course_checks: a Sequential'))
    return notebook


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_answer_that_needs_the_checking_code_fails_its_test_cell_as_it_fails_in_the_grader(tmp_path, lang):
    folder = tmp_path / "ada"
    folder.mkdir()
    shutil.copytree(RELEASED[lang].parent / PACKAGE, folder / PACKAGE)
    path = folder / f"{ASSIGNMENT}.ipynb"
    nbformat.write(uses_course_checks(lang), path)
    ran = graded_cells(execute(path))
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(path), "--out", str(tmp_path / "grades"),
                           "--lang", lang], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    graded = json.loads((tmp_path / "grades" / f"{ASSIGNMENT}.json").read_text())["exercises"]
    for exercise in AUTOMATIC:
        stdout, _, errors = outputs(ran[exercise.id])
        found = USES.get(exercise.id)
        if found is None:
            assert not errors and graded[exercise.id]["score"] == exercise.points, (exercise.id, errors)
            continue
        said = render(CHECKING_CODE, {"name": exercise.name, "found": found}, lang)
        assert graded[exercise.id]["status"] == "forbidden" and graded[exercise.id]["score"] == 0, graded[exercise.id]
        assert graded[exercise.id]["messages"][0].endswith(said), graded[exercise.id]["messages"]
        assert [error.ename for error in errors] == ["AssertionError"], (exercise.id, stdout)
        assert said in errors[0].evalue, errors[0].evalue

