"""Checks of layers and models (2.2, 3.1-3.3), from what the student's process reported.

The report (see `probes.describe_model`) holds the model's output on the grader's X, its
layers with their weights, and its trainable variables. The grader recomputes the cascade
from the model's own weights with Keras and compares: a model cannot pass by reporting
one thing and computing another.
"""

from __future__ import annotations

import numpy as np

from course_checks.checks.core import CheckFailure, compare_values
from course_checks.checks.mistakes import model_mistakes
from course_checks.checks.reference import keras_cascade


def _weights(layer: dict) -> tuple[np.ndarray, np.ndarray] | None:
    weights = layer.get("weights") or []
    if len(weights) != 2:
        return None
    return np.asarray(weights[0]), np.asarray(weights[1])


def check_layer_structure(what: str, layers: list[dict], n_feature: int, n_neurons: list[int],
                          activation: str) -> None:
    """One Dense layer per entry of n_neurons, with those units and that activation, chained."""
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


def check_output_is_cascade(what: str, output, layers: list[dict], X: np.ndarray, activation: str) -> None:
    """The output equals the model's own layers applied in order, as Keras computes them."""
    weights = [_weights(layer)[0] for layer in layers]
    biases = [_weights(layer)[1] for layer in layers]
    compare_values(what, output, keras_cascade(X, weights, biases, activation),
                   model_mistakes(X, weights, biases, activation))


def check_layer_list(report: dict, X: np.ndarray, n_neurons: list[int], activation: str) -> None:
    what = f"build_dense_layers({list(n_neurons)}, {activation!r})"
    if report.get("container") not in ("list", "tuple"):
        raise CheckFailure("layers.not_list", what=what, got=report.get("container"))
    layers = report.get("layers") or []
    if report.get("distinct_objects", len(layers)) < len(layers):
        raise CheckFailure("layers.shared_object", what=what)
    check_layer_structure(what, layers, X.shape[1], n_neurons, activation)
    check_output_is_cascade(what, report.get("output"), layers, X, activation)


def check_model(what: str, report: dict, X: np.ndarray, n_neurons: list[int], activation: str,
                expected_class: str) -> None:
    """A Keras model whose layers follow n_neurons and whose output is their cascade."""
    wanted = {"Sequential": "is_sequential", "Model": "is_model"}[expected_class]
    if not report.get(wanted):
        raise CheckFailure("model.not_model", what=what, expected=expected_class, got=report.get("class"))
    check_layer_structure(what, report.get("layers") or [], X.shape[1], n_neurons, activation)
    check_output_is_cascade(what, report.get("output"), report["layers"], X, activation)


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
