"""The inputs the grader makes: deterministic for a seed, never sent to students in advance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DenseCase:
    X: np.ndarray
    W: np.ndarray
    B: np.ndarray


def dense_case(seed: int, N: int, n_feature: int, n_neuron: int) -> DenseCase:
    """Random X, W and a bias far enough from zero that leaving it out shows."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, n_feature)).astype(np.float32)
    W = (rng.normal(size=(n_feature, n_neuron)) * 0.5).astype(np.float32)
    B = (rng.uniform(0.5, 1.5, size=n_neuron) * rng.choice([-1, 1], size=n_neuron)).astype(np.float32)
    return DenseCase(X, W, B)


def cascade_case(seed: int, N: int, n_feature: int, n_neurons: list[int]) -> tuple[np.ndarray, list, list]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, n_feature)).astype(np.float32)
    weights, biases, width = [], [], n_feature
    for units in n_neurons:
        weights.append((rng.normal(size=(width, units)) * 0.7).astype(np.float32))
        biases.append((rng.uniform(0.3, 1.0, size=units) * rng.choice([-1, 1], size=units)).astype(np.float32))
        width = units
    return X, weights, biases


def inputs(seed: int, N: int, n_feature: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(N, n_feature)).astype(np.float32)
