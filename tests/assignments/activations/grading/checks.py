"""The checks of this assignment: a student's activation against TensorFlow's own (`tf.nn`), on the grader's inputs.

Shapes first, then values; a known mistake is named (the sign of the sigmoid's exponent, ReLU
inverted, softmax over the wrong axis or not normalized, softmax overflowing on large inputs).
The inputs come from the shared check library, so each submission gets its own numbers.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.cases import inputs
from autograder.checks.core import CheckFailure, compare_values, shape_text
from autograder.messages import phrase


def activation_input(seed: int, shape: tuple[int, ...], scale: float) -> np.ndarray:
    """The grader's input of this shape, drawn for the submission, scaled (a large scale tests overflow)."""
    size = int(np.prod(shape))
    return (inputs(seed, 1, size).reshape(shape) * np.float32(scale)).astype(np.float32)


def reference(name: str, x: np.ndarray) -> np.ndarray:
    """What TensorFlow's own activation gives (softmax over the last axis)."""
    import tensorflow as tf

    return getattr(tf.nn, name)(tf.constant(x, dtype=tf.float64)).numpy()


def _softmax(x: np.ndarray, axis) -> np.ndarray:
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def known_mistakes(name: str, x: np.ndarray) -> list:
    """(code, parameters, the wrong answer) for the mistakes this exercise names."""
    x = x.astype(np.float64)
    if name == "sigmoid":
        return [("activations.sigmoid_sign", {}, lambda: 1 / (1 + np.exp(x)))]
    if name == "relu":
        return [("activations.relu_inverted", {}, lambda: np.minimum(x, 0.0))]
    mistakes = [("activations.softmax_not_normalized", {}, lambda: np.exp(x))]
    if x.ndim == 2 and x.shape[0] > 1:
        mistakes.insert(0, ("activations.softmax_axis", {}, lambda: _softmax(x, 0)))
        mistakes.insert(1, ("activations.softmax_axis", {}, lambda: _softmax(x, None)))
    return mistakes


def _finite(value) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (TypeError, ValueError):
        return True  # not numbers at all: compare_values says so


def check_activation(name: str, under_test, seed: int, shape: tuple[int, ...], scale: float = 1.0) -> None:
    """The student's `name(x)` equals `tf.nn.<name>(x)` on the grader's input of this shape and scale."""
    x = activation_input(seed, shape, scale)
    what = phrase("activations.context", name=name, shape=shape_text(shape))
    got = under_test(x)
    if name == "softmax" and not _finite(got):
        raise CheckFailure("activations.softmax_overflow", what=what)
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # a known mistake may overflow on the grader's side too
            compare_values(what, got, reference(name, x), known_mistakes(name, x))
    except CheckFailure as failure:
        if failure.code != "value.mismatch":
            raise
        raise CheckFailure("activations.mismatch", name=name, **failure.params) from None
