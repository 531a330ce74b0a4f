"""The course as instructors and students get it: the release, the solutions, the public tests, nbgrader's grading."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autograder.assign import RELEASE, SOLUTIONS, SOURCE, main as assign_main
from autograder.exercises import ASSIGNMENT, AUTOMATIC, EXERCISES
from autograder.nbgrader_run import autograde_with_nbgrader

ROOT = Path(__file__).resolve().parents[1]
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


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(secret for secret in secrets if secret in text)


def test_the_release_and_solutions_are_in_sync_with_the_source():
    assert assign_main(["--check"]) == 0, "run `make release` and commit assignments/ and solutions/"


def test_nothing_hidden_and_no_solution_under_assignments():
    secrets = secret_lines(MASTER)
    assert len(secrets) > 40
    files = [path for path in (ROOT / "assignments").rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert leaks(path.read_text(errors="replace"), secrets) == [], path


def test_the_leak_check_finds_what_a_careless_release_would_hold():
    secrets = secret_lines(MASTER)
    assert "grade_exercise" in leaks(MASTER.read_text(), secrets)
    assert 'return [tuple(v.shape) for v in model.trainable_variables]' in leaks(SOLVED.read_text(), secrets)


def test_the_release_has_a_stub_public_tests_and_an_empty_graded_cell_per_exercise():
    cells = {grade_id(cell): cell for cell in cells_of(RELEASED) if grade_id(cell)}
    for exercise in AUTOMATIC:
        assert "raise NotImplementedError()" in cells[exercise.solution_cell]["source"]
        assert f"public_test_{exercise.name}()" in cells[f"{exercise.id}_visible_tests"]["source"]
        graded = cells[exercise.id]
        assert graded["metadata"]["nbgrader"]["points"] == exercise.points
        assert "grade_exercise" not in graded["source"]
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


# Public tests: each one runs in the notebook's namespace after the cells before it, as a student would.

def run_notebook(path: Path, override: str = "") -> tuple[dict, dict[str, BaseException | None]]:
    """Execute the notebook's code cells in order (the public tests last of all), `override` after the solutions."""
    namespace: dict = {"__name__": "__main__"}
    outcomes: dict[str, BaseException | None] = {}
    code = [cell for cell in cells_of(path) if cell["cell_type"] == "code"]
    for cell in code:
        if not grade_id(cell).endswith("_visible_tests"):
            _run(cell["source"], namespace)
    _run(override, namespace)
    for cell in code:
        if grade_id(cell).endswith("_visible_tests"):
            outcomes[grade_id(cell).removesuffix("_visible_tests")] = _run(cell["source"], namespace)
    return namespace, outcomes


def _run(source: str, namespace: dict) -> BaseException | None:
    try:
        exec(compile(source, "<cell>", "exec"), namespace)
    except Exception as error:  # a student's failing cell does not stop the next one
        return error
    return None


WRONG_ANSWERS = {
    "dense_shapes": 'def dense_shapes(N, n_feature, n_neuron):\n'
                    '    return {"X": (N, n_feature), "W": (n_neuron, n_feature), "B": (n_neuron,), "y": (N, n_neuron)}',
    "dense_forward_matmul": 'def dense_forward_matmul(X, W, B, activation="sigmoid"):\n'
                            '    return apply_activation(tf.linalg.matmul(X, W), activation)',
    "dense_forward_dot": 'def dense_forward_dot(X, W, B, activation="sigmoid"):\n'
                         '    return np.array([[1 / (1 + np.exp(-(np.dot(x, w) + b))) for w, b in zip(W.T, B)]'
                         ' for x in X.numpy()])',
    "cascade_shapes": 'def cascade_shapes(N, n_feature, n_neurons):\n'
                      '    return [{"W": (n_feature, n), "B": (n,), "A": (N, n)} for n in n_neurons]',
    "build_dense_layers": 'def build_dense_layers(n_neurons, activation="sigmoid"):\n'
                          '    dense = Dense(units=n_neurons[0], activation=activation)\n'
                          '    return [dense for n in n_neurons]',
    "cascade_forward": 'def cascade_forward(X, weights, biases, activation="sigmoid"):\n'
                       '    for W, B in zip(weights, biases):\n'
                       '        X = tf.linalg.matmul(X, W) + B\n'
                       '    return apply_activation(X, activation)',
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


@pytest.fixture(scope="module")
def public_outcomes() -> dict[str, dict[str, BaseException | None]]:
    return {"solution": run_notebook(SOLVED)[1], "stub": run_notebook(RELEASED)[1]}


def test_the_public_tests_pass_on_the_solution(public_outcomes):
    assert public_outcomes["solution"] == {e.id: None for e in AUTOMATIC}


def test_the_public_tests_fail_on_the_stub_pointing_at_the_unfinished_function(public_outcomes):
    assert sorted(public_outcomes["stub"]) == sorted(e.id for e in AUTOMATIC)
    for exercise_id, error in public_outcomes["stub"].items():
        assert isinstance(error, NotImplementedError), (exercise_id, error)


@pytest.mark.parametrize("exercise_id", sorted(WRONG_ANSWERS))
def test_each_public_test_rejects_a_plausible_wrong_answer(exercise_id):
    _, outcomes = run_notebook(SOLVED, WRONG_ANSWERS[exercise_id])
    assert isinstance(outcomes[exercise_id], AssertionError), outcomes[exercise_id]
    assert str(outcomes[exercise_id]), "the failure must say what is wrong"
    assert [e for e, error in outcomes.items() if error is not None] == [exercise_id]
