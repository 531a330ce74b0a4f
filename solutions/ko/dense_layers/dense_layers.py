"""dense_layers: the reference solution, generated from the master notebook by `make release`."""


import os
# TensorFlow reads these when it is imported; they keep its start-up messages out of the notebook.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"   # no log lines from TensorFlow's C++ side
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # no notice about oneDNN's rounding (results differ by ~1e-7)
os.environ["AUTOGRADER_LANG"] = "ko"       # the language of the test cells' messages

import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential, Model

print("TensorFlow", tf.__version__)


def dense_shapes(N, n_feature, n_neuron):
    """The shapes of X, W, B and y in a dense layer, as a dict of tuples."""
    return {"X": (N, n_feature), "W": (n_feature, n_neuron), "B": (n_neuron,), "y": (N, n_neuron)}


def apply_activation(z, activation="sigmoid"):
    """The activation named by `activation`, applied element by element to z."""
    if activation == "sigmoid":
        return 1 / (1 + tf.exp(-z))
    if activation == "relu":
        return tf.maximum(z, 0.0)
    if activation == "tanh":
        return tf.tanh(z)
    return z


def dense_forward_matmul(X, W, B, activation="sigmoid"):
    """A dense layer's output from one matrix product: activation(X W + B)."""
    z = tf.linalg.matmul(X, W) + B
    return apply_activation(z, activation)


def dense_forward_dot(X, W, B, activation="sigmoid"):
    """A dense layer's output from one dot product per (sample, neuron), in loops."""
    N, n_neuron = X.shape[0], W.shape[1]
    y = np.zeros((N, n_neuron))
    for i in range(N):
        x = X[i]
        for j in range(n_neuron):
            z = tf.reduce_sum(x * W[:, j]) + B[j]
            y[i, j] = apply_activation(z, activation)
    return y


def cascade_shapes(N, n_feature, n_neurons):
    """The shapes of W, B and the output A of each layer in a cascade, one dict per layer."""
    out, width = [], n_feature
    for n in n_neurons:
        out.append({"W": (width, n), "B": (n,), "A": (N, n)})
        width = n
    return out


def build_dense_layers(n_neurons, activation="sigmoid"):
    """A list of new Dense layers, one per entry of n_neurons."""
    return [Dense(units=n, activation=activation) for n in n_neurons]


def cascade_forward(X, weights, biases, activation="sigmoid"):
    """The output of a cascade of dense layers, computed by hand from their weights and biases."""
    A = tf.identity(X)
    for W, B in zip(weights, biases):
        A = apply_activation(tf.linalg.matmul(A, W) + B, activation)
    return A


def build_sequential(n_neurons, activation="sigmoid"):
    """A Sequential model of Dense layers, one per entry of n_neurons."""
    model = Sequential()
    for n in n_neurons:
        model.add(Dense(units=n, activation=activation))
    return model


class TestModel(Model):
    """A model of Dense layers, one per entry of n_neurons, run in order."""

    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):
        super().__init__()
        self.dense_layers = [Dense(units=n, activation=activation) for n in n_neurons]

    def call(self, x):
        for dense in self.dense_layers:
            x = dense(x)
        return x


class HybridModel(Model):
    """A Model subclass that holds a Sequential of Dense layers and calls it."""

    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):
        super().__init__()
        self.model = Sequential([Dense(units=n, activation=activation) for n in n_neurons])

    def call(self, x):
        return self.model(x)


def layer_weight_shapes(model):
    """(W shape, B shape) of each layer of a built model, from model.layers and get_weights()."""
    out = []
    for layer in model.layers:
        w, b = layer.get_weights()
        out.append((w.shape, b.shape))
    return out


def trainable_variable_shapes(model):
    """The shape of each of a built model's trainable variables, in order."""
    return [tuple(v.shape) for v in model.trainable_variables]
