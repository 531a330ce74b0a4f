"""Dense layers: the visible cases of each exercise's public tests, run by `autograder.public`.

Each exercise maps to (the check, the names of its parameters, the visible cases); the check is
called with the function under test as a keyword named after the exercise, like a hidden test.
The release ships this module as `course_checks.grading.public`: nothing here may import the
hidden tests, the solutions or the course secret.
"""

from __future__ import annotations

from typing import Callable

from autograder.checks.cases import cascade_case, dense_case, model_case
from autograder.checks.dense import check_cascade_forward, check_dense_forward
from autograder.checks.models import check_holds_sequential, check_layer_list, check_model, check_trainable_variables
from autograder.checks.shapes import (check_cascade_shapes, check_dense_shapes, check_layer_weight_shapes,
                                      check_trainable_variable_shapes)
from autograder.messages import phrase


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
