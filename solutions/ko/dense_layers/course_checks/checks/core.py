"""Comparing a student's answer with the expected one, shapes first, then values."""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from course_checks.messages import phrase

ATOL = 1e-4
RTOL = 1e-4
# How a place in an answer of 0 to 3 dimensions is named (see first_difference).
WHERE = ("where.value", "where.row", "where.row_column", "where.row_column_depth")


class CheckFailure(AssertionError):
    """A wrong answer: a stable message code and the parameters of its message."""

    def __init__(self, code: str, **params):
        from course_checks.messages import render

        self.code = code
        self.params = params
        super().__init__(render(code, params, "en"))


class GraderFailure(RuntimeError):
    """The grader's own computation failed (Keras on the grader's side, on inputs the grader chose): never
    the student's answer's fault, so it fails the submission's grading, not a test."""


def as_array(what: str, value) -> np.ndarray:
    """The student's value as a float array, or a failure that says what came back instead."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure("result.not_numeric", what=what, got=type(value).__name__) from None
    if not np.all(np.isfinite(array)):
        raise CheckFailure("result.not_finite", what=what)
    return array


def shape_text(shape) -> str:
    return str(tuple(int(d) for d in shape))


def check_shape(what: str, got: np.ndarray, expected_shape: tuple) -> None:
    if got.shape == tuple(expected_shape):
        return
    params = dict(what=what, expected=shape_text(expected_shape), got=shape_text(got.shape))
    if len(expected_shape) == 2 and got.shape == tuple(expected_shape)[::-1]:
        raise CheckFailure("shape.transposed", **params)
    if got.size == int(np.prod(expected_shape)) and got.ndim < len(expected_shape):
        raise CheckFailure("shape.squeezed", **params)
    raise CheckFailure("shape.wrong", **params)


def close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, atol=ATOL, rtol=RTOL))


def first_difference(what: str, got: np.ndarray, expected: np.ndarray) -> CheckFailure:
    """Where the first difference is and by how much, without showing the expected value."""
    wrong = ~np.isclose(got, expected, atol=ATOL, rtol=RTOL)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = phrase(WHERE[min(len(index), 3)], **dict(zip(("row", "column", "depth"), index)))
    return CheckFailure("value.mismatch", what=what, index=where, diff=float(abs(got[index] - expected[index])),
                        count=int(wrong.sum()), total=int(wrong.size))


Mistake = tuple[str, dict, Callable[[], np.ndarray]]


def _named_mistake(what: str, got: np.ndarray, mistakes: Iterable[Mistake]) -> None:
    """Fail with the first known mistake whose answer equals the student's, if any."""
    for code, params, compute in mistakes:
        try:
            candidate = np.asarray(compute(), dtype=np.float64)
        except ValueError:
            continue
        if close(got, candidate):
            raise CheckFailure(code, what=what, **params)


def compare_values(what: str, value, expected: np.ndarray, mistakes: Iterable[Mistake] = ()) -> None:
    """Pass, or fail naming the known mistake the answer matches, or where it first differs.

    A mistake may change the shape (a skipped layer), so the mistakes are tried before a
    wrong shape is reported as such.
    """
    mistakes = list(mistakes)
    got = as_array(what, value)
    if got.shape != expected.shape:
        _named_mistake(what, got, mistakes)
        check_shape(what, got, expected.shape)
    if close(got, expected):
        return
    _named_mistake(what, got, mistakes)
    raise first_difference(what, got, expected)
