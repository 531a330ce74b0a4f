"""Activation functions: the visible cases of each exercise's public tests (the hidden tests use others).

Each exercise maps to (the check, the names of its parameters, the visible cases). The large
scale of softmax's last case is the one the hidden tests use too: a softmax that overflows fails here first.
"""

from __future__ import annotations

from typing import Callable

from .checks import check_activation

PARAMS = ("seed", "shape", "scale")


def _public_case(name: str) -> Callable:
    def public_case(seed, shape, scale, **under_test):
        check_activation(name, under_test[name], seed, shape, scale)
    return public_case


PUBLIC_CASES: dict[str, list[tuple[Callable, tuple[str, ...], list[tuple]]]] = {
    "sigmoid": [(_public_case("sigmoid"), PARAMS, [(201, (4, 3), 1.0), (202, (5,), 6.0)])],
    "relu": [(_public_case("relu"), PARAMS, [(211, (3, 4), 1.0), (212, (6,), 2.0)])],
    "softmax": [(_public_case("softmax"), PARAMS, [(221, (3, 4), 1.0), (222, (5,), 1.0), (223, (2, 3), 1000.0)])],
}
