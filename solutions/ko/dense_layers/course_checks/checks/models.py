"""Checks of layers and models (2.2, 3.1-3.3), on weights the grader chose.

The student's process builds the student's layers or model on the grader's X, sets the
grader's weights into them with `set_weights` (which fails on the wrong layers or shapes)
and reports the output then. A test passes only when that output equals what Keras computes
from the grader's own weights, so a model cannot pass by describing itself well: it has to
compute the right function of any weights it is given. What the process reports about the
layers (classes, units, activations, their first weights) only ever names a mistake.
"""

from __future__ import annotations

import numpy as np

from course_checks.checks.core import CheckFailure, as_array, close, compare_values
from course_checks.checks.mistakes import model_mistakes
from course_checks.checks.reference import keras_cascade


def _weights(layer: dict) -> tuple[np.ndarray, np.ndarray] | None:
    weights = layer.get("weights") or []
    if len(weights) != 2:
        return None
    return np.asarray(weights[0]), np.asarray(weights[1])


def check_layer_structure(what: str, layers: list[dict], n_feature: int, n_neurons: list[int],
                          activation: str) -> None:
    """The mistake the reported layers show, if any: a count, a class, units, an activation, an order."""
    units = [layer.get("units") for layer in layers]
    if len(layers) != len(n_neurons):
        if sorted(set(units)) != sorted(set(n_neurons)) and units:
            raise CheckFailure("model.ignores_n_neurons", what=what, expected=list(n_neurons), got=units)
        raise CheckFailure("layers.count", what=what, expected=len(n_neurons), got=len(layers))
    for index, layer in enumerate(layers, start=1):
        if not layer.get("is_dense"):
            raise CheckFailure("layers.not_dense", what=what, index=index, got=layer.get("class"))
    if units != list(n_neurons):
        if sorted(units) == sorted(n_neurons):
            raise CheckFailure("model.wrong_order", what=what)
        raise CheckFailure("model.ignores_n_neurons", what=what, expected=list(n_neurons), got=units)
    for index, layer in enumerate(layers, start=1):
        if layer.get("activation") != activation:
            raise CheckFailure("layers.activation", what=what, index=index, got=layer.get("activation"),
                               expected=activation)
    width = n_feature
    for index, layer in enumerate(layers, start=1):
        pair = _weights(layer)
        if pair is None:
            raise CheckFailure("model.layer_unused", what=what, index=index)
        if pair[0].shape != (width, layer["units"]):
            raise CheckFailure("model.wrong_order", what=what)
        width = layer["units"]


def check_behaviour(what: str, report: dict, X: np.ndarray, weights: list, n_neurons: list[int],
                    activation: str) -> None:
    """Pass when the output with the grader's weights is Keras' cascade of them; otherwise name the mistake.

    `weights` is [W1, B1, W2, B2, ...], as the grader sent them.
    """
    kernels, biases = list(weights[0::2]), list(weights[1::2])
    expected = keras_cascade(X, kernels, biases, activation)
    weights_set = report.get("weights_set") or {}
    output = report.get("output")
    if weights_set.get("accepted") is True and output is not None and close(as_array(what, output), expected):
        return
    check_layer_structure(what, report.get("layers") or [], X.shape[1], n_neurons, activation)
    if weights_set.get("accepted") is not True or output is None:
        raise CheckFailure("model.weights_rejected", what=what)
    initial = report.get("output_initial")
    if initial is not None and close(as_array(what, output), as_array(what, initial)) and not close(
            as_array(what, initial), expected):
        raise CheckFailure("model.ignores_weights", what=what)
    compare_values(what, output, expected, model_mistakes(X, kernels, biases, activation))


def check_layer_list(report: dict, X: np.ndarray, weights: list, n_neurons: list[int], activation: str) -> None:
    what = f"build_dense_layers({list(n_neurons)}, {activation!r})"
    if report.get("container") not in ("list", "tuple"):
        raise CheckFailure("layers.not_list", what=what, got=report.get("container"))
    layers = report.get("layers") or []
    if report.get("distinct_objects", len(layers)) < len(layers):
        raise CheckFailure("layers.shared_object", what=what)
    check_behaviour(what, report, X, weights, n_neurons, activation)


def check_model(what: str, report: dict, X: np.ndarray, weights: list, n_neurons: list[int], activation: str,
                expected_class: str) -> None:
    """A Keras model that, given the grader's weights for the layers n_neurons asks for, computes their cascade."""
    wanted = {"Sequential": "is_sequential", "Model": "is_model"}[expected_class]
    if not report.get(wanted):
        raise CheckFailure("model.not_model", what=what, expected=expected_class, got=report.get("class"))
    check_behaviour(what, report, X, weights, n_neurons, activation)


def check_trainable_variables(what: str, report: dict, n_neurons: list[int]) -> None:
    count = len(report.get("trainable_variables") or [])
    if count != 2 * len(n_neurons):
        raise CheckFailure("variables.count", what=what, expected=2 * len(n_neurons), layers=len(n_neurons),
                           got=count)


def check_holds_sequential(what: str, report: dict) -> None:
    """The model holds a Sequential, and its output is that Sequential's output."""
    held = report.get("held_sequential")
    if held is None:
        raise CheckFailure("model.no_sequential", what=what)
    if not held.get("built_by_call"):
        raise CheckFailure("model.sequential_unused", what=what)
    output = np.asarray(report.get("output"), dtype=np.float64)
    if output.shape != np.shape(held.get("output")) or not np.allclose(output, held["output"], atol=1e-5):
        raise CheckFailure("model.sequential_unused", what=what)
