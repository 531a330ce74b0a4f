"""What Keras computes, on the grader's side, for the inputs the grader made."""

from __future__ import annotations

import contextlib
import threading
from functools import lru_cache

import numpy as np

from course_checks.checks.core import GraderFailure
from course_checks.run.inside.environment import import_keras

_keras_lock = threading.Lock()


def _key(array: np.ndarray) -> tuple:
    return (array.shape, array.tobytes())


@lru_cache(maxsize=64)
def _dense_layer(n_in: int, units: int, activation: str):
    """A built Keras Dense layer of this shape and activation, used for every case of that shape: building
    and initialising a new layer per case cost the grader more than the computation itself."""
    keras = import_keras()
    layer = keras.layers.Dense(units=units, activation=activation, kernel_initializer="zeros")
    layer.build((None, n_in))
    return layer


@lru_cache(maxsize=512)
def _keras_dense_cached(x_key: tuple, w_key: tuple, b_key: tuple, activation: str) -> np.ndarray:
    import_keras()
    import tensorflow as tf

    X = np.frombuffer(x_key[1], dtype=np.float32).reshape(x_key[0])
    W = np.frombuffer(w_key[1], dtype=np.float32).reshape(w_key[0])
    B = np.frombuffer(b_key[1], dtype=np.float32).reshape(b_key[0])
    with _keras_lock:
        layer = _dense_layer(W.shape[0], W.shape[1], activation)
        layer.kernel.assign(W)
        layer.bias.assign(B)
        # `call` is the layer's own computation; `__call__` around it only checks and converts what a
        # notebook passes (a third of the cost here), and the grader's cases are already float32 tensors.
        return np.asarray(layer.call(tf.constant(X)).numpy(), dtype=np.float64)


def keras_dense(X: np.ndarray, W: np.ndarray, B: np.ndarray, activation: str) -> np.ndarray:
    """A Keras Dense layer with these weights, applied to X (cached: the same case is asked often). Every
    caller passes the grader's own cases, so a failure here is the grader's (GraderFailure)."""
    arrays = [np.ascontiguousarray(a, dtype=np.float32) for a in (X, W, B)]
    try:
        return _keras_dense_cached(*(_key(a) for a in arrays), activation)
    except Exception as error:
        raise GraderFailure(f"Keras' Dense layer failed on the grader's case: {type(error).__name__}: {error}") from error


def keras_cascade(X: np.ndarray, weights: list, biases: list, activation: str) -> np.ndarray:
    output = np.asarray(X, dtype=np.float32)
    for W, B in zip(weights, biases):
        output = keras_dense(output, W, B, activation).astype(np.float32)
    return output.astype(np.float64)


ACTIVATIONS_NUMPY = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "linear": lambda z: z,
}


def activate(z: np.ndarray, activation: str) -> np.ndarray:
    return ACTIVATIONS_NUMPY[activation](np.asarray(z, dtype=np.float64))


def keras_loader() -> threading.Thread:
    """A thread (not started) that imports TensorFlow and sets up Keras' Dense layer: a batch runs it while
    its warm workers start (they import their own), rather than after, when its first case needs Keras."""
    def load() -> None:
        with contextlib.suppress(Exception):  # the first case that needs Keras says what is wrong, if anything
            keras_dense(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros(1), "linear")

    return threading.Thread(target=load, name="autograder-keras", daemon=True)
