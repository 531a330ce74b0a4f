"""The public tests: the grader's own checks, run in the student's notebook on cases of their own.

Each exercise's graded cell calls `check`, which runs the same rule check, the same checks
and the same diagnosis of mistakes as the grader (`autograder.grade.hidden.run_exercise`),
on the visible cases below instead of the hidden ones, and says what the grader would say.
A failure raises AssertionError, so nbgrader's Validate fails exactly when a public test
does. `check_all` prints every exercise's result and the points it would be worth.

The release ships this module and everything it imports as the package `course_checks`
beside the notebook (see `autograder.assign.bundle`): nothing here may import the hidden
tests, the solutions or the course secret.
"""

from __future__ import annotations

import inspect
import os
import warnings
from typing import Callable

from course_checks.checks.cases import cascade_case, dense_case, model_case
from course_checks.checks.dense import check_cascade_forward, check_dense_forward
from course_checks.checks.models import check_holds_sequential, check_layer_list, check_model, check_trainable_variables
from course_checks.checks.shapes import (check_cascade_shapes, check_dense_shapes, check_layer_weight_shapes,
                                      check_trainable_variable_shapes)
from course_checks.exercises import AUTOMATIC, AUTOMATIC_POINTS, BY_ID, EXERCISES, Exercise
from course_checks.grade.hidden import HiddenTest, run_exercise
from course_checks.grade.static import rule_findings
from course_checks.messages import DEFAULT_LANGUAGE, phrase, render
from course_checks.results import ExerciseResult
from course_checks.student import LocalStudent


def _dense_forward(name: str) -> Callable:
    def public_case(seed, N, n_feature, n_neuron, activation, **under_test):
        check_dense_forward(under_test[name], dense_case(seed, N, n_feature, n_neuron), activation,
                            what=phrase("context.dense_forward", name=name, shape=(N, n_feature), n_neuron=n_neuron,
                                        activation=activation))
    return public_case


def _dense_shapes(dense_shapes, N, n_feature, n_neuron):
    check_dense_shapes(dense_shapes, N, n_feature, n_neuron)


def _cascade_shapes(cascade_shapes, N, n_feature, n_neurons):
    check_cascade_shapes(cascade_shapes, N, n_feature, n_neurons)


def _build_dense_layers(build_dense_layers, seed, N, n_feature, n_neurons, activation):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    check_layer_list(build_dense_layers(n_neurons, activation, X, weights), X, weights, n_neurons, activation)


def _cascade_forward(cascade_forward, seed, N, n_feature, n_neurons, activation):
    X, weights, biases = cascade_case(seed, N, n_feature, n_neurons)
    check_cascade_forward(cascade_forward, X, weights, biases, activation,
                          what=phrase("context.cascade_forward", name="cascade_forward", n_neurons=n_neurons,
                                      activation=activation))


def _build_sequential(build_sequential, seed, N, n_feature, n_neurons, activation):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    check_model(f"build_sequential({n_neurons}, {activation!r})", build_sequential(n_neurons, activation, X, weights),
                X, weights, n_neurons, activation, "Sequential")


def _test_model(TestModel, seed, N, n_feature, n_neurons, activation):
    if n_neurons is None:
        X, weights = model_case(seed, N, n_feature, [10, 20])
        check_model("TestModel()", TestModel(X, weights), X, weights, [10, 20], "sigmoid", "Model")
    else:
        X, weights = model_case(seed, N, n_feature, n_neurons)
        check_model(f"TestModel(n_neurons={n_neurons}, activation={activation!r})",
                    TestModel(X, weights, n_neurons, activation), X, weights, n_neurons, activation, "Model")


def _test_model_variables(TestModel, seed, N, n_feature, n_neurons):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    what = f"TestModel(n_neurons={n_neurons})"
    report = TestModel(X, weights, n_neurons, "sigmoid")
    check_model(what, report, X, weights, n_neurons, "sigmoid", "Model")
    check_trainable_variables(what, report, n_neurons)


def _hybrid_model(HybridModel, seed, N, n_feature, n_neurons, activation):
    X, weights = model_case(seed, N, n_feature, n_neurons or [10, 20])
    what = "HybridModel()" if n_neurons is None else f"HybridModel(n_neurons={n_neurons}, activation={activation!r})"
    report = HybridModel(X, weights, n_neurons, activation)
    check_model(what, report, X, weights, n_neurons or [10, 20], activation or "sigmoid", "Model")
    check_holds_sequential(what, report)


def _layer_weight_shapes(layer_weight_shapes, seed, N, n_feature, n_neurons):
    check_layer_weight_shapes(layer_weight_shapes, n_feature, n_neurons, *model_case(seed, N, n_feature, n_neurons))


def _trainable_variable_shapes(trainable_variable_shapes, seed, N, n_feature, n_neurons):
    check_trainable_variable_shapes(trainable_variable_shapes, n_feature, n_neurons,
                                    *model_case(seed, N, n_feature, n_neurons))


DENSE_PARAMS = ("seed", "N", "n_feature", "n_neuron", "activation")
# Each case's bias is at least 0.5 away from zero (see checks.cases), so a missing bias is named
# as such; W is square in one case, so a transposed W gives a value to name, not only an error.
DENSE_CASES = [(101, 4, 10, 3, "sigmoid"), (102, 1, 6, 4, "relu"), (103, 5, 7, 3, "tanh"),
               (104, 3, 5, 5, "linear"), (105, 2, 4, 4, "sigmoid")]
MODEL_PARAMS = ("seed", "N", "n_feature", "n_neurons", "activation")

# exercise id -> (the check, the names of its parameters, the visible cases)
PUBLIC_CASES: dict[str, list[tuple[Callable, tuple[str, ...], list[tuple]]]] = {
    "dense_shapes": [(_dense_shapes, ("N", "n_feature", "n_neuron"), [(1, 10, 3), (8, 10, 3), (6, 4, 9)])],
    "dense_forward_matmul": [(_dense_forward("dense_forward_matmul"), DENSE_PARAMS, DENSE_CASES)],
    "dense_forward_dot": [(_dense_forward("dense_forward_dot"), DENSE_PARAMS, DENSE_CASES)],
    "cascade_shapes": [(_cascade_shapes, ("N", "n_feature", "n_neurons"), [(4, 10, [3, 5]), (2, 7, [6, 3, 8])])],
    "build_dense_layers": [(_build_dense_layers, MODEL_PARAMS,
                            [(131, 3, 5, [4, 7, 2], "relu"), (132, 2, 6, [5], "sigmoid")])],
    "cascade_forward": [(_cascade_forward, MODEL_PARAMS,
                         [(121, 4, 6, [5, 3, 4], "sigmoid"), (122, 3, 5, [4, 2], "relu")])],
    "build_sequential": [(_build_sequential, MODEL_PARAMS,
                          [(141, 5, 4, [6, 3], "tanh"), (142, 2, 3, [4], "sigmoid")])],
    "TestModel": [(_test_model, MODEL_PARAMS, [(151, 4, 10, None, None), (152, 3, 6, [3, 4, 5], "relu")]),
                  (_test_model_variables, ("seed", "N", "n_feature", "n_neurons"), [(153, 2, 5, [4, 2, 3])])],
    "HybridModel": [(_hybrid_model, MODEL_PARAMS, [(161, 3, 4, [6, 2], "relu"), (162, 2, 5, None, None)])],
    "layer_weight_shapes": [(_layer_weight_shapes, ("seed", "N", "n_feature", "n_neurons"),
                             [(171, 3, 4, [5, 2, 7])])],
    "trainable_variable_shapes": [(_trainable_variable_shapes, ("seed", "N", "n_feature", "n_neurons"),
                                   [(181, 2, 5, [3, 6])])],
}


def public_tests(exercise: Exercise) -> tuple[HiddenTest, ...]:
    """The exercise's visible cases as tests the grader's runner takes; each is worth an equal share."""
    rows = [(check, dict(zip(names, case))) for check, names, cases in PUBLIC_CASES[exercise.id] for case in cases]
    share = exercise.points / len(rows)
    return tuple(HiddenTest(f"{exercise.id}::public[{index}]", exercise.id, share, check, tuple(params.items()))
                 for index, (check, params) in enumerate(rows, start=1))


def notebook_cells(namespace: dict, name: str) -> list[str]:
    """The cells the kernel ran (IPython's `In`), or the source of the definition itself outside IPython."""
    history = namespace.get("In")
    if isinstance(history, list) and history:
        return [str(cell) for cell in history]
    try:
        return [inspect.getsource(namespace[name])]
    except (KeyError, OSError, TypeError):
        return []


def run_public_tests(exercise: Exercise, namespace: dict, lang: str = DEFAULT_LANGUAGE) -> ExerciseResult:
    """The rule and structure checks and the visible cases of one exercise, exactly as the grader runs its
    hidden ones; the visible cases are the same for everyone (no submission key)."""
    cells = notebook_cells(namespace, exercise.name)
    findings = rule_findings(exercise, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning on stderr would fail the cell under nbgrader
        result, _ = run_exercise(exercise, LocalStudent(namespace), lang, findings, b"", cells,
                                 public_tests(exercise))
    return result


def _number(value: float) -> str:
    return f"{value:.3g}"


def report(result: ExerciseResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the public tests say: passed, or the grader's messages and the points they leave."""
    params = {"id": result.id, "score": _number(result.score), "max_score": _number(result.max_score)}
    if result.status == "passed":
        return render("public.passed", params, lang)
    return "\n".join([render("public.failed", params, lang), *(f"  - {message}" for message in result.messages)])


def check(exercise_id: str, namespace: dict, lang: str = DEFAULT_LANGUAGE) -> None:
    """An exercise's public tests in its graded cell: print that they pass, or raise what the grader would say.

    Under `nbgrader autograde` the hidden tests that follow in the same cell decide, so nothing runs here.
    """
    __tracebackhide__ = True  # IPython shows the failure without this function's frame
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    result = run_public_tests(BY_ID[exercise_id], namespace, lang)
    if result.status != "passed":
        raise AssertionError(report(result, lang))
    print(report(result, lang))


def check_all(namespace: dict, lang: str = DEFAULT_LANGUAGE) -> None:
    """Every exercise's public tests, never stopping at a failure, and the points each would be worth."""
    total = 0.0
    for exercise in AUTOMATIC:
        result = run_public_tests(exercise, namespace, lang)
        total += result.score
        print(report(result, lang))
    manual = [exercise for exercise in EXERCISES if not exercise.automatic]
    print(render("public.total", {"score": _number(total), "max_score": _number(AUTOMATIC_POINTS),
                                  "manual": sum(exercise.points for exercise in manual)}, lang))
