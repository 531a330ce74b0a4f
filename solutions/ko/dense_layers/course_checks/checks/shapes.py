"""Checks of answers that are shapes (1.1, 2.1, 3.4, 3.5)."""

from __future__ import annotations

from course_checks.checks.core import CheckFailure
from course_checks.messages import phrase

SEED_NUMBERS = {4, 10, 3}


def as_shape(value) -> tuple | None:
    """A shape as a tuple of ints, from a tuple, a list or a TensorShape the student returned."""
    if isinstance(value, (list, tuple)) and all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        return tuple(value)
    return None


def _compare_shape(what: str, key: str, got, expected: tuple) -> None:
    shape = as_shape(got)
    if shape == expected:
        return
    params = dict(what=what, key=key, expected=expected, got=shape if shape is not None else got)
    if shape is not None and len(shape) == 2 and shape == expected[::-1]:
        raise CheckFailure("shapes.swapped", **params)
    if shape is not None and len(expected) == 1 and shape == (1, *expected):
        raise CheckFailure("shapes.bias_row", **params)
    if shape is not None and shape and set(shape) <= SEED_NUMBERS and not set(expected) <= SEED_NUMBERS:
        raise CheckFailure("shapes.hard_coded", **params)
    raise CheckFailure("shapes.wrong", **params)


def _check_dict(what: str, value, expected: dict) -> None:
    keys = sorted(expected)
    if not isinstance(value, dict):
        raise CheckFailure("shapes.not_dict", what=what, keys=keys, got=type(value).__name__)
    if sorted(value) != keys:
        raise CheckFailure("shapes.keys", what=what, keys=keys, got=sorted(value))
    for key in keys:
        _compare_shape(what, key, value[key], expected[key])


def check_dense_shapes(dense_shapes, N: int, n_feature: int, n_neuron: int) -> None:
    what = f"dense_shapes({N}, {n_feature}, {n_neuron})"
    _check_dict(what, dense_shapes(N, n_feature, n_neuron), {
        "X": (N, n_feature), "W": (n_feature, n_neuron), "B": (n_neuron,), "y": (N, n_neuron)})


def _check_list(what: str, value, expected: list) -> list:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CheckFailure("variables.count_not_list", what=what, got=value)
    if not isinstance(value, list):
        raise CheckFailure("shapes.not_list", what=what, got=type(value).__name__)
    if len(value) != len(expected):
        raise CheckFailure("shapes.count", what=what, expected=len(expected), got=len(value))
    return value


def check_cascade_shapes(cascade_shapes, N: int, n_feature: int, n_neurons: list[int]) -> None:
    what = f"cascade_shapes({N}, {n_feature}, {list(n_neurons)})"
    widths = [n_feature, *n_neurons]
    expected = [{"W": (widths[i], units), "B": (units,), "A": (N, units)} for i, units in enumerate(n_neurons)]
    value = _check_list(what, cascade_shapes(N, n_feature, list(n_neurons)), expected)
    for index, (entry, wanted) in enumerate(zip(value, expected)):
        unchained = (n_feature, n_neurons[index])
        if index and widths[index] != n_feature and isinstance(entry, dict) and as_shape(entry.get("W")) == unchained:
            raise CheckFailure("shapes.width_not_chained", what=f"{what}[{index}]", key="W",
                               expected=wanted["W"], got=unchained)
        _check_dict(f"{what}[{index}]", entry, wanted)


def weight_shapes(n_feature: int, n_neurons: list[int]) -> list[tuple]:
    widths = [n_feature, *n_neurons]
    return [((widths[i], units), (units,)) for i, units in enumerate(n_neurons)]


def check_layer_weight_shapes(layer_weight_shapes, n_feature: int, n_neurons: list[int], X, weights: list) -> None:
    what = phrase("context.model_of_layers", name="layer_weight_shapes", n_neurons=list(n_neurons))
    expected = weight_shapes(n_feature, n_neurons)
    value = _check_list(what, layer_weight_shapes(list(n_neurons), X, weights), expected)
    for index, (pair, (w_shape, b_shape)) in enumerate(zip(value, expected)):
        if not isinstance(pair, list) or len(pair) != 2:
            raise CheckFailure("shapes.wrong", what=what, key=phrase("where.entry", index=index), expected=(w_shape, b_shape), got=pair)
        _compare_shape(what, phrase("where.layer_weights", layer=index + 1), pair[0], w_shape)
        _compare_shape(what, phrase("where.layer_bias", layer=index + 1), pair[1], b_shape)


def check_trainable_variable_shapes(trainable_variable_shapes, n_feature: int, n_neurons: list[int], X,
                                    weights: list) -> None:
    what = phrase("context.model_of_layers", name="trainable_variable_shapes", n_neurons=list(n_neurons))
    expected = [shape for pair in weight_shapes(n_feature, n_neurons) for shape in pair]
    value = _check_list(what, trainable_variable_shapes(list(n_neurons), X, weights), expected)
    for index, (got, wanted) in enumerate(zip(value, expected)):
        _compare_shape(what, phrase("where.variable", index=index + 1), got, wanted)
