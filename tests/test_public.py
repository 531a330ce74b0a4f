"""The public tests as a student meets them: in a real Jupyter kernel, under nbgrader's Validate, beside the grader.

Every notebook here is the release as a student would fill it in, run from a folder holding
only that notebook and the `course_checks` folder that came with it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assign import RELEASE, SOLUTIONS
from autograder.assign.bundle import BUNDLED_GRADING, ENTRY, PACKAGE, module_closure, never_shipped, shipped_grading
from autograder.exercises import CHECK_ALL_CELL
from grading import ASSIGNMENT, AUTOMATIC, BY_ID, DENSE
from autograder.messages import MESSAGES
from tests.grading import grade

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
WRITTEN_ANSWER = ("Each neuron is a filter, a layer is a filter bank, and a deep-learning architecture is a cascade "
                  "of filter banks; the dense layers here are filter banks.")

# A wrong answer per exercise, each one a mistake the grader names; appended after the solution, so they replace it.
WRONG_ANSWERS = {
    "dense_shapes": 'def dense_shapes(N, n_feature, n_neuron):\n'
                    '    return {"X": (N, n_feature), "W": (n_neuron, n_feature), "B": (n_neuron,), "y": (N, n_neuron)}',
    "dense_forward_matmul": 'def dense_forward_matmul(X, W, B, activation="sigmoid"):\n'
                            '    return apply_activation(tf.linalg.matmul(X, W), activation)',
    "dense_forward_dot": 'def dense_forward_dot(X, W, B, activation="sigmoid"):\n'
                         '    y = np.zeros((X.shape[0], W.shape[1]))\n'
                         '    for i in range(X.shape[0]):\n'
                         '        for j in range(W.shape[1]):\n'
                         '            y[i, j] = apply_activation(tf.reduce_sum(X[i] * W[j, :]) + B[j], activation)\n'
                         '    return y',
    "cascade_shapes": 'def cascade_shapes(N, n_feature, n_neurons):\n'
                      '    return [{"W": (n_feature, n), "B": (n,), "A": (N, n)} for n in n_neurons]',
    "build_dense_layers": 'def build_dense_layers(n_neurons, activation="sigmoid"):\n'
                          '    dense = Dense(units=n_neurons[0], activation=activation)\n'
                          '    return [dense for n in n_neurons]',
    "cascade_forward": 'def cascade_forward(X, weights, biases, activation="sigmoid"):\n'
                       '    for W in weights:\n'
                       '        X = apply_activation(tf.linalg.matmul(X, W), activation)\n'
                       '    return X',
    "build_sequential": 'def build_sequential(n_neurons, activation="sigmoid"):\n'
                        '    return Sequential([Dense(units=n, activation="sigmoid") for n in n_neurons])',
    "TestModel": 'class TestModel(Model):\n'
                 '    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):\n'
                 '        super().__init__()\n'
                 '        self.dense_layers = [Dense(units=n, activation=activation) for n in n_neurons]\n'
                 '    def call(self, x):\n'
                 '        return self.dense_layers[-1](x)',
    "HybridModel": 'class HybridModel(Model):\n'
                   '    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):\n'
                   '        super().__init__()\n'
                   '        self.model = Sequential([Dense(units=n, activation=activation) for n in n_neurons])\n'
                   '        self.last = Dense(units=n_neurons[-1], activation=activation)\n'
                   '    def call(self, x):\n'
                   '        return self.last(x)',
    "layer_weight_shapes": 'def layer_weight_shapes(model):\n'
                           '    return [(layer.get_weights()[0].shape,) * 2 for layer in model.layers]',
    "trainable_variable_shapes": 'def trainable_variable_shapes(model):\n'
                                 '    return len(model.trainable_variables)',
}
# What the public test must call the mistakes whose wording the issue asked for.
NAMED = {"dense_forward_matmul": "dense.missing_bias", "cascade_forward": "dense.missing_bias",
         "dense_forward_dot": "dense.incompatible_shapes", "dense_shapes": "shapes.swapped"}
CODES_CELL = ("import json\nfrom course_checks.public import run_public_tests\nfrom course_checks import ASSIGNMENT\n"
              "print(json.dumps({e.id: run_public_tests(ASSIGNMENT, e, globals()).codes for e in ASSIGNMENT.automatic}))")


def grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def student_notebook(wrong: dict[str, str] | None) -> nbformat.NotebookNode:
    """The release as a student fills it in: the reference solution in every answer cell (None: left as
    released), each wrong answer after it, and the written answer."""
    notebook = nbformat.read(RELEASE / NOTEBOOK, as_version=4)
    if wrong is None:
        return notebook
    solved = {grade_id(cell): cell.source for cell in nbformat.read(SOLUTIONS / NOTEBOOK, as_version=4).cells}
    answer_cells = {exercise.solution_cell: exercise.id for exercise in BY_ID.values()}
    for cell in notebook.cells:
        exercise_id = answer_cells.get(grade_id(cell))
        if exercise_id == "architecture_concept":
            cell.source = WRITTEN_ANSWER
        elif exercise_id:
            cell.source = solved[grade_id(cell)] + ("\n\n\n" + wrong[exercise_id] if exercise_id in wrong else "")
    return notebook


def student_folder(folder: Path, notebook: nbformat.NotebookNode) -> Path:
    """A folder holding only the notebook and the course_checks that came with the release."""
    folder.mkdir(parents=True)
    shutil.copytree(RELEASE / PACKAGE, folder / PACKAGE)
    nbformat.write(notebook, folder / NOTEBOOK)
    return folder / NOTEBOOK


def execute(path: Path, extra: str = "") -> nbformat.NotebookNode:
    """Run every cell in a real kernel, as Restart & Run All does, errors and all; `extra` is a last cell."""
    notebook = nbformat.read(path, as_version=4)
    if extra:
        notebook.cells.append(nbformat.v4.new_code_cell(extra))
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def outputs(cell) -> tuple[str, str, list]:
    """A cell's stdout, its stderr, and its errors."""
    stdout = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
    stderr = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
    return stdout, stderr, [o for o in cell.outputs if o.output_type == "error"]


@pytest.fixture(scope="module")
def kernel_runs(tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    scratch = tmp_path_factory.mktemp("public")
    return {name: execute(student_folder(scratch / name, student_notebook(wrong)), CODES_CELL)
            for name, wrong in (("solution", {}), ("wrong", WRONG_ANSWERS))}


def graded_cells(notebook) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(cell): cell for cell in notebook.cells if grade_id(cell) in BY_ID or grade_id(cell) == CHECK_ALL_CELL}


def test_on_the_solution_every_public_test_passes_and_nothing_reaches_stderr(kernel_runs):
    notebook = kernel_runs["solution"]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            _, stderr, errors = outputs(cell)
            assert not stderr and not errors, (index, cell.source[:80], stderr, errors)
    cells = graded_cells(notebook)
    for exercise in AUTOMATIC:
        assert outputs(cells[exercise.id])[0].startswith(f"{exercise.id}: the public tests pass"), exercise.id
    assert "Public tests: 95 / 95 points" in outputs(cells[CHECK_ALL_CELL])[0]


def test_each_wrong_answer_fails_its_own_public_test_naming_the_mistake(kernel_runs):
    notebook = kernel_runs["wrong"]
    cells = graded_cells(notebook)
    codes = json.loads(outputs(notebook.cells[-1])[0])
    for exercise in AUTOMATIC:
        _, stderr, errors = outputs(cells[exercise.id])
        assert not stderr and [error.ename for error in errors] == ["AssertionError"], exercise.id
        assert errors[0].evalue.startswith(f"{exercise.id}: the public tests fail"), errors[0].evalue
        assert "{{function_node" not in errors[0].evalue, "a raw TensorFlow error reached the student"
        assert codes[exercise.id], exercise.id
    for exercise_id, code in NAMED.items():
        assert code in codes[exercise_id], (exercise_id, codes[exercise_id])


def test_the_last_cell_reports_every_exercise_without_stopping(kernel_runs):
    stdout, stderr, errors = outputs(graded_cells(kernel_runs["wrong"])[CHECK_ALL_CELL])
    assert not errors and not stderr
    for exercise in AUTOMATIC:
        assert f"{exercise.id}: the public tests fail" in stdout, exercise.id
    assert re.search(r"Public tests: [\d.]+ / 95 points", stdout)


def test_the_public_tests_say_what_the_grader_says(kernel_runs, tmp_path):
    """The same message codes, exercise by exercise, from the public tests in the kernel and from the batch grader."""
    folder = student_folder(tmp_path / "submitted", student_notebook(WRONG_ANSWERS)).parent
    shutil.rmtree(folder / PACKAGE)
    graded = grade(folder, tmp_path / "out")[ASSIGNMENT]
    public = json.loads(outputs(kernel_runs["wrong"].cells[-1])[0])
    solution = json.loads(outputs(kernel_runs["solution"].cells[-1])[0])
    for exercise in AUTOMATIC:
        assert sorted(public[exercise.id]) == sorted(graded["exercises"][exercise.id]["codes"]), exercise.id
        assert solution[exercise.id] == [], exercise.id


# nbgrader's Validate, from an empty folder, as the student's "Validate" button runs it.

def validate(path: Path) -> str:
    finished = subprocess.run([sys.executable, "-m", "nbgrader", "validate", path.name], cwd=path.parent,
                              capture_output=True, text=True, timeout=900)
    return finished.stdout


@pytest.mark.parametrize("wrong, verdict", [
    (None, "VALIDATION FAILED ON 12 CELL(S)"),  # the stub: every exercise and the unanswered written question
    (WRONG_ANSWERS, "VALIDATION FAILED ON 11 CELL(S)"),  # every public test fails, the written answer is there
    ({}, "Success! Your notebook passes all the tests."),
], ids=["stub", "wrong", "solution"])
def test_nbgrader_validate_fails_exactly_when_a_public_test_fails(tmp_path, wrong, verdict):
    output = validate(student_folder(tmp_path / "student", student_notebook(wrong)))
    assert verdict in output, output[-3000:]


# What ships beside the notebook.

def test_the_release_ships_the_public_tests_package_and_nothing_else_of_the_course():
    shipped = sorted(str(path.relative_to(RELEASE / PACKAGE)) for path in (RELEASE / PACKAGE).rglob("*.py"))
    expected = sorted(str(Path(*name.split(".")[1:], "__init__.py") if (ROOT / Path(*name.split("."))).is_dir()
                          else Path(*name.split(".")[1:]).with_suffix(".py")) for name in module_closure(ENTRY, DENSE))
    expected += [str(Path(BUNDLED_GRADING, relative)) for relative in shipped_grading(DENSE)]
    assert shipped == sorted(expected)
    assert not any(never_shipped(name) for name in module_closure(ENTRY, DENSE))
    assert not [name for name in shipped if "hidden_tests" in name]
    for path in (RELEASE / PACKAGE).rglob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+autograder\b", path.read_text(), re.M), path


def test_the_bundle_refuses_a_module_that_must_not_reach_students():
    with pytest.raises(ValueError, match="must never reach students"):
        module_closure("autograder.notebook")


def test_the_course_secret_never_reaches_the_release():
    from autograder.grade.secret import ensure_course_secret

    secret = ensure_course_secret().read_text().strip()
    assert len(secret) >= 32
    for path in (ROOT / "assignments").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert secret not in path.read_text(errors="replace"), path


def test_no_hidden_test_case_reaches_the_release():
    """The hidden tests' cases (their seeds, sizes, activations and shares) appear in no file under assignments/,
    for every assignment of source/."""
    from autograder.assignments import available

    rows = {found[1] for path in (DENSE.folder / "grading" / "hidden_tests").glob("*.py")
            for found in re.finditer(r"\((\d+, \d+, \d+, [^)\n]*?)(?:, id=|\)\s*,?$)", path.read_text(), re.M)}
    assert len(rows) > 20
    rows |= {line.strip() for assignment in available().values() for relative, data in assignment.files
             if relative.startswith("hidden_tests/") for line in data.decode().splitlines() if "pytest.param(" in line}
    for path in (ROOT / "assignments").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            text = path.read_text(errors="replace")
            assert not [row for row in rows if row in text], path


def test_every_public_message_is_in_the_catalog():
    for code in ("public.passed", "public.failed", "public.total"):
        assert set(MESSAGES[code]) == {"en", "ko"}
