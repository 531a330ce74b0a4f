"""The inputs the grader makes: drawn for each submission, never sent to students in advance.

A test names its case by a seed; the numbers come from that seed mixed with the submission's
key (`submission_inputs`), which the batch grader derives from the course secret and the
submission's sha256 (see `autograder.grade.secret`). The same submission always gets the same
numbers, and numbers leaked by one submission say nothing about another's. Without a key (an
instructor's pytest run, the public tests) the seed alone decides, as before.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

import numpy as np

_submission_key: ContextVar[bytes] = ContextVar("submission_key", default=b"")


@contextmanager
def submission_inputs(key: bytes) -> Iterator[None]:
    """Within the block, every case is drawn for the submission whose key this is."""
    token = _submission_key.set(bytes(key))
    try:
        yield
    finally:
        _submission_key.reset(token)


def _rng(seed: int) -> np.random.Generator:
    key = _submission_key.get()
    if not key:
        return np.random.default_rng(seed)
    words = np.frombuffer(key[:32].ljust(32, b"\0"), dtype="<u4").tolist()
    return np.random.default_rng([*words, seed])


def process_seed() -> int:
    """The random seed the student's process starts from (its own layers' first weights)."""
    return int(_rng(0).integers(2**31 - 1))


@dataclass(frozen=True)
class DenseCase:
    X: np.ndarray
    W: np.ndarray
    B: np.ndarray


def dense_case(seed: int, N: int, n_feature: int, n_neuron: int) -> DenseCase:
    """Random X, W and a bias far enough from zero that leaving it out shows."""
    rng = _rng(seed)
    X = rng.normal(size=(N, n_feature)).astype(np.float32)
    W = (rng.normal(size=(n_feature, n_neuron)) * 0.5).astype(np.float32)
    B = (rng.uniform(0.5, 1.5, size=n_neuron) * rng.choice([-1, 1], size=n_neuron)).astype(np.float32)
    return DenseCase(X, W, B)


def cascade_case(seed: int, N: int, n_feature: int, n_neurons: list[int]) -> tuple[np.ndarray, list, list]:
    """X, and a W and a B per layer, each W reading the previous layer's width."""
    rng = _rng(seed)
    X = rng.normal(size=(N, n_feature)).astype(np.float32)
    weights, biases, width = [], [], n_feature
    for units in n_neurons:
        weights.append((rng.normal(size=(width, units)) * 0.7).astype(np.float32))
        biases.append((rng.uniform(0.3, 1.0, size=units) * rng.choice([-1, 1], size=units)).astype(np.float32))
        width = units
    return X, weights, biases


def model_case(seed: int, N: int, n_feature: int, n_neurons: list[int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """X, and the weights the grader sets into a model of these layers: [W1, B1, W2, B2, ...]."""
    X, weights, biases = cascade_case(seed, N, n_feature, n_neurons)
    return X, [array for pair in zip(weights, biases) for array in pair]


def inputs(seed: int, N: int, n_feature: int) -> np.ndarray:
    return _rng(seed).normal(size=(N, n_feature)).astype(np.float32)
