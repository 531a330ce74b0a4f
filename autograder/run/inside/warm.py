"""The warm worker's rehearsal: Keras and TensorFlow used once, before any student is forked.

A student process used to pay for everything TensorFlow and Keras do the first time in a
process: modules imported on first use, operations set up (TensorFlow's kernels), Python-side
caches filled. The warm worker now builds, calls and reweights a few Dense models of its own
before it forks (plain Keras, nothing of the course: this folder is visible to students), so
every student process starts with all that done. What Keras keeps about the models it made (the
counters that name layers, its random seed) is then reset as `keras.backend.clear_session`
resets it, except that TensorFlow's set-up operations are kept: a student's first `Dense` is
named `dense`, as in a fresh kernel.
"""

from __future__ import annotations

import gc
import threading

import numpy as np

MAX_REHEARSED_LAYERS = 256
MAX_REHEARSED_UNITS = 4096


def prepare() -> None:
    """All a warm worker does to itself before it forks a student process: Keras' placeholders made
    (`placeholders.install`), then the rehearsal. The benchmark's floor prepares its process the same way."""
    from autograder.run.inside import placeholders

    placeholders.install()
    rehearse()


def rehearse() -> None:
    """Build, call and reweight Dense layers, a Sequential and a Model subclass, the ways student code and
    the grader's requests do; then forget them, as Keras' own `clear_session` does."""
    import keras
    import tensorflow as tf

    from autograder.run.inside import probes

    X = tf.constant(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(3, 4))

    class Rehearsal(keras.Model):
        def __init__(self, activation):
            super().__init__()
            self.held = keras.Sequential([keras.layers.Dense(3, activation=activation)])
            self.last = keras.layers.Dense(2, activation=activation)

        def call(self, x):
            return self.last(self.held(x))

    for activation in ("sigmoid", "relu", "tanh", "linear"):
        for model in (Rehearsal(activation), keras.Sequential([keras.layers.Dense(3, activation=activation)])):
            model(X)
            probes.describe_model(model, X, [np.full(w.shape, 0.5, np.float32) for w in model.get_weights()])
        probes.to_data(tf.nn.sigmoid(tf.linalg.matmul(X, tf.ones((4, 2))) + tf.ones(2)))
    for operation in (tf.exp, tf.sigmoid, tf.nn.relu, tf.tanh, tf.identity, tf.transpose, tf.reduce_sum,
                      lambda x: tf.maximum(x, 0.0), lambda x: 1 / (1 + tf.exp(-x)), lambda x: x * x - x,
                      lambda x: tf.cast(x, tf.float64), lambda x: tf.tensordot(x, tf.ones(4), axes=1)):
        probes.to_data(operation(X))
    forget_keras_state()
    gc.collect()


def rehearse_layers(shapes: list) -> None:
    """A Dense layer of each (inputs, units), built and called once. TensorFlow sets up its variables'
    operations once per shape, so the grader names the shapes its requests have used (shapes only, never
    a number of its cases), and later students of this worker find them set up. Any failure here only
    leaves them to be set up later."""
    import keras
    import tensorflow as tf

    try:
        for inputs, units in shapes[:MAX_REHEARSED_LAYERS]:
            if all(type(n) is int and 0 < n <= MAX_REHEARSED_UNITS for n in (inputs, units)):
                keras.layers.Dense(units)(tf.zeros((1, inputs)))
    except Exception:  # noqa: BLE001 - a rehearsal is worth nothing to fail for
        pass
    forget_keras_state()
    gc.collect()


def forget_keras_state() -> None:
    """What `keras.backend.clear_session()` resets (its thread-local state: layer name counters, seeds,
    settings), without clearing TensorFlow's set-up operations, which it also does."""
    from keras.src.backend.common import global_state

    global_state.GLOBAL_STATE_TRACKER = threading.local()
    global_state.GLOBAL_SETTINGS_TRACKER = threading.local()
