"""Checks of a dense layer or a cascade computed by hand (1.2, 2.3)."""

from __future__ import annotations

from course_checks.checks.core import CheckFailure, as_array, compare_values
from course_checks.checks.mistakes import cascade_mistakes, dense_mistakes
from course_checks.checks.reference import keras_cascade, keras_dense


def check_dense_forward(dense_forward, case, activation: str, what: str) -> None:
    """The student's layer output equals Keras' Dense with the same W, B and activation."""
    X, W, B = case.X, case.W, case.B
    got = as_array(what, dense_forward(X, W, B, activation))
    expected = keras_dense(X, W, B, activation)
    if got.shape == (W.shape[0], W.shape[1]) and got.shape != expected.shape:
        raise CheckFailure("dense.wrong_sum_axis", what=what)
    compare_values(what, got, expected, dense_mistakes(X, W, B, activation))


def check_cascade_forward(cascade_forward, X, weights, biases, activation: str, what: str) -> None:
    """The student's cascade equals the same Dense layers applied in turn by Keras."""
    got = cascade_forward(X, list(weights), list(biases), activation)
    compare_values(what, got, keras_cascade(X, weights, biases, activation),
                   cascade_mistakes(X, weights, biases, activation))

