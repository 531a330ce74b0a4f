"""Static rules: what each exercise's function may not use, judged by what it finally calls.

Every forbidden variant here has an honest twin that must pass, so a rule that matches a
name instead of a behaviour fails one or the other.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading import BY_ID
from autograder.grade.static import COURSE_NAMES, External, Reader, rule_findings

ROOT = Path(__file__).resolve().parents[1]
SETUP = ("import os\nimport numpy as np\nimport tensorflow as tf\n"
         "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.models import Sequential, Model\n")

LOOPED = """
def dense_forward_dot(X, W, B, activation="sigmoid"):
    y = np.zeros((X.shape[0], W.shape[1]))
    for i in range(X.shape[0]):
        for j in range(W.shape[1]):
            y[i, j] = {body}
    return y
"""
MATMUL = ("def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
          "    z = tf.linalg.matmul(X, W) + B\n    return {activation}\n")


def findings(exercise_id: str, *cells: str, setup: bool = True):
    return rule_findings(BY_ID[exercise_id], [SETUP] * setup + list(cells))


def rule_broken(exercise_id: str, *cells: str, setup: bool = True) -> str | None:
    """The code of the first definite breach, or None."""
    definite = [f for f in findings(exercise_id, *cells, setup=setup) if f.definite]
    return definite[0].code if definite else None


def possibly_broken(exercise_id: str, *cells: str) -> set[str]:
    return {f.code for f in findings(exercise_id, *cells) if not f.definite}


def test_the_course_names_are_what_the_setup_cell_binds():
    notebook = json.loads((ROOT / "source" / "dense_layers" / "dense_layers.ipynb").read_text())
    setup = next("".join(cell["source"]) for cell in notebook["cells"]
                 if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup")
    module = Reader([setup]).module
    bound = {name: sources[-1] for name, sources in module.bindings.items() if isinstance(sources[-1], External)}
    assert {name: value.path for name, value in bound.items() if name != "os"} == COURSE_NAMES


@pytest.mark.parametrize("body, code", [
    ("np.dot(X[i], W[:, j]) + B[j]", None),
    ("tf.reduce_sum(X[i] * W[:, j]) + B[j]", None),
    ("(X @ W)[i, j] + B[j]", "forbidden.matrix_product"),
    ("tf.matmul(X, W)[i, j] + B[j]", "forbidden.matrix_product"),
    ("np.einsum('k,k->', X[i], W[:, j]) + B[j]", "forbidden.matrix_product"),
    ("np.tensordot(X[i], W[:, j], 1) + B[j]", "forbidden.matrix_product"),
    ("tf.keras.layers.Dense(3)(X)[i, j]", "forbidden.keras_layer"),
    ("Dense(3)(X)[i, j]", "forbidden.keras_layer"),
])
def test_dense_forward_dot_rules(body, code):
    assert rule_broken("dense_forward_dot", LOOPED.format(body=body)) == code


@pytest.mark.parametrize("helper, use", [
    ("def product(a, b):\n    return a @ b\n", "product(X, W)[i, j] + B[j]"),
    ("def product(a, b):\n    return np.einsum('ij,jk->ik', a, b)\n", "product(X, W)[i, j] + B[j]"),
    ("def product(a, b):\n    return np.tensordot(a, b, 1)\n", "product(X, W)[i, j] + B[j]"),
    ("def product(a, b):\n    return np.matmul(a, b)\n", "product(X, W)[i, j] + B[j]"),
    ("product = lambda a, b: a @ b\n", "product(X, W)[i, j] + B[j]"),
    ("product = lambda a, b: np.einsum('ij,jk->ik', a, b)\n", "product(X, W)[i, j] + B[j]"),
    ("import numpy\nproduct = numpy.tensordot\n", "product(X, W, 1)[i, j] + B[j]"),
    ("from numpy import matmul as mul\n", "mul(X, W)[i, j] + B[j]"),
    ("import numpy as n\n", "n.einsum('ij,jk->ik', X, W)[i, j] + B[j]"),
    ("class Helper:\n    def product(self, a, b):\n        return a @ b\n", "Helper().product(X, W)[i, j] + B[j]"),
    ("ops = {'mul': np.matmul}\n", "ops['mul'](X, W)[i, j] + B[j]"),
    ("", "getattr(np, 'ein' + 'sum')('ij,jk->ik', X, W)[i, j] + B[j]"),
])
def test_a_helper_or_a_lambda_cannot_hide_a_matrix_product(helper, use):
    assert rule_broken("dense_forward_dot", helper, LOOPED.format(body=use)) == "forbidden.matrix_product"
    honest = LOOPED.format(body="product(X[i], W[:, j]) + B[j]")
    assert rule_broken("dense_forward_dot", "def product(a, b):\n    return np.sum(a * b)\n", honest) is None
    assert rule_broken("dense_forward_dot", "product = lambda a, b: tf.reduce_sum(a * b)\n", honest) is None


def test_a_helper_the_function_never_reaches_is_not_read():
    unused = "def fast(X, W):\n    return X @ W\n"
    assert rule_broken("dense_forward_dot", unused, LOOPED.format(body="np.dot(X[i], W[:, j]) + B[j]")) is None


def test_the_dot_exercise_must_loop():
    assert rule_broken("dense_forward_dot", "def dense_forward_dot(X, W, B, activation='sigmoid'):\n"
                                            "    return np.dot(X, W) + B\n") == "forbidden.no_loop"
    helper_loops = ("def rows(X, W):\n    return [[np.dot(x, w) for w in np.transpose(W)] for x in X]\n")
    assert rule_broken("dense_forward_dot", helper_loops, "def dense_forward_dot(X, W, B, activation='sigmoid'):\n"
                                                          "    return np.array(rows(X, W)) + B\n") is None


def test_a_definition_outside_def_is_refused_where_rules_apply():
    assert rule_broken("dense_forward_dot", "dense_forward_dot = lambda X, W, B, a='sigmoid': X") == "forbidden.no_def"


def test_variable_names_are_not_mistaken_for_layers():
    source = ("def cascade_forward(X, weights, biases, activation='sigmoid'):\n"
              "    layers = list(zip(weights, biases))\n    A = X\n    for W, B in layers:\n"
              "        A = tf.matmul(A, W) + B\n    return A\n")
    assert rule_broken("cascade_forward", source) is None
    assert rule_broken("cascade_forward", source.replace("tf.matmul(A, W) + B", "Dense(3)(A)")) == "forbidden.keras_layer"


@pytest.mark.parametrize("exercise", ["dense_forward_matmul", "cascade_forward"])
@pytest.mark.parametrize("layer", [
    'getattr(tf.keras.layers, "De" + "nse")',
    'getattr(tf.keras.layers, "esneD"[::-1])',
    'getattr(tf.keras.layers, "".join(["De", "nse"]))',
    'getattr(tf.keras.layers, f"{\'De\'}nse")',
    'getattr(keras_layers, "DENSE".title())',
    'vars(tf.keras.layers)["Dense"]',
    'tf.keras.layers.__dict__["De" + "nse"]',
])
def test_a_dense_layer_through_getattr_is_a_keras_layer(exercise, layer):
    signature = "cascade_forward(X, weights, biases" if exercise == "cascade_forward" else f"{exercise}(X, W, B"
    source = (f"keras_layers = tf.keras.layers\n\ndef {signature}, activation='sigmoid'):\n"
              f"    layer = {layer}(units=3, activation=activation)\n    return layer(X)\n")
    assert rule_broken(exercise, source) == "forbidden.keras_layer"
    by_hand = "(lambda units, activation: lambda X: getattr(tf.linalg, 'mat' + 'mul')(X, tf.ones((X.shape[1], units))))"
    assert findings(exercise, source.replace(layer, by_hand)) == []


def test_a_computed_attribute_of_keras_layers_is_a_possible_layer():
    source = ("def cascade_forward(X, weights, biases, activation='sigmoid', kind='Dense'):\n"
              "    return getattr(tf.keras.layers, kind)(3)(X)\n")
    assert rule_broken("cascade_forward", source) is None
    assert possibly_broken("cascade_forward", source) == {"forbidden.keras_layer"}


def test_magics_do_not_hide_a_definition():
    cell = "%matplotlib inline\n" + LOOPED.format(body="(X @ W)[i, j]")
    assert rule_broken("dense_forward_dot", cell) == "forbidden.matrix_product"


def test_the_last_definition_counts():
    assert rule_broken("dense_forward_dot", LOOPED.format(body="(X @ W)[i, j]"),
                       LOOPED.format(body="np.dot(X[i], W[:, j])")) is None


def test_an_unfinished_stub_is_not_a_breach_but_code_before_the_raise_is_read():
    stub = ("def dense_forward_dot(X, W, B, activation='sigmoid'):\n    \"\"\"Loops.\"\"\"\n"
            "    # YOUR CODE HERE\n    raise NotImplementedError()\n")
    assert rule_broken("dense_forward_dot", stub) is None
    started = stub.replace("    raise", "    y = X @ W\n    raise")
    assert rule_broken("dense_forward_dot", started) == "forbidden.matrix_product"


def test_without_the_setup_cell_the_course_names_are_assumed():
    assert rule_broken("dense_forward_dot", LOOPED.format(body="tf.matmul(X, W)[i, j]"), setup=False) == \
        "forbidden.matrix_product"


WRITTEN_OUT = [
    "1 / (1 + tf.exp(-z))",
    "1 / (1 + np.exp(-z))",
    "sigmoid(z)",  # the student's own helper named sigmoid, written out
    "tf.math.reciprocal(1 + tf.math.exp(-z))",
]
READY_MADE = [
    "tf.sigmoid(z)",
    "tf.nn.sigmoid(z)",
    "tf.math.sigmoid(z)",
    "tf.keras.activations.sigmoid(z)",
    "keras.activations.sigmoid(z)",
    "keras.activations.get('sigmoid')(z)",
    "tf.keras.activations.get('sig' + 'moid')(z)",
    "scipy.special.expit(z)",
    "expit(z)",
    "special.expit(z)",
    "getattr(tf.nn, 'sig' + 'moid')(z)",
    "getattr(tf, 'sigmoid')(z)",
    "getattr(tf.math, ''.join(['sig', 'moid']))(z)",
    "getattr(tf.keras.activations, 'SIGMOID'.lower())(z)",
    "getattr(scipy.special, 'ex' + 'pit')(z)",
    "getattr(t.nn, name)(z)",
    "act(z)",
    "pick()(z)",
    "ACTIVATIONS['sigmoid'](z)",
    "ACTIVATIONS.get(activation)(z)",
]
SIGMOID_HELPERS = ("import keras\nimport scipy\nimport scipy.special\nfrom scipy import special\n"
                   "from scipy.special import expit\nimport tensorflow as t\nname = 'sig' + 'moid'\n"
                   "from tensorflow.nn import sigmoid as act\n"
                   "def pick():\n    return tf.keras.activations.sigmoid\n"
                   "ACTIVATIONS = {'sigmoid': tf.nn.sigmoid, 'relu': tf.nn.relu}\n")


@pytest.mark.parametrize("activation", WRITTEN_OUT)
def test_a_sigmoid_written_out_is_accepted_even_in_a_helper_named_sigmoid(activation):
    helper = "def sigmoid(z):\n    return 1 / (1 + tf.exp(-z))\n"
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, helper, MATMUL.format(activation=activation)) is None
    assert possibly_broken("dense_forward_matmul", SIGMOID_HELPERS, helper,
                           MATMUL.format(activation=activation)) == set()


@pytest.mark.parametrize("activation", READY_MADE)
def test_a_ready_made_sigmoid_is_forbidden_however_it_is_reached(activation):
    source = MATMUL.format(activation=activation)
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, source) == "forbidden.builtin_sigmoid"
    through_helper = ("def apply_activation(z, activation='sigmoid'):\n"
                      f"    return {activation}\n")
    uses = MATMUL.format(activation="apply_activation(z, activation)")
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, through_helper, uses) == "forbidden.builtin_sigmoid"
    as_lambda = f"apply_activation = lambda z, activation='sigmoid': {activation}\n"
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, as_lambda, uses) == "forbidden.builtin_sigmoid"
    in_a_method = ("class Layer:\n    def forward(self, z, activation):\n"
                   f"        return {activation}\n")
    uses_method = MATMUL.format(activation="Layer().forward(z, activation)")
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, in_a_method, uses_method) == \
        "forbidden.builtin_sigmoid"


@pytest.mark.parametrize("activation", [
    "tf.keras.activations.get(activation)(z)",
    "keras.activations.get(activation)(z)",
    "getattr(tf.nn, activation)(z)",
    "getattr(tf.math, activation.lower())(z)",
    "eval('tf.sig' + suffix)(z)",
])
def test_a_lookup_the_grader_cannot_work_out_is_a_possible_sigmoid(activation):
    source = MATMUL.format(activation=activation)
    assert rule_broken("dense_forward_matmul", SIGMOID_HELPERS, source) is None
    possible = possibly_broken("dense_forward_matmul", SIGMOID_HELPERS, source)
    if "eval" in activation:  # anything at all
        assert possible == {"forbidden.builtin_sigmoid", "forbidden.keras_layer"}
    else:  # an activation looked up by name is no layer
        assert possible == {"forbidden.builtin_sigmoid"}


def test_a_ready_made_sigmoid_is_allowed_where_no_rule_asks_for_it_written_out():
    helper = "def apply_activation(z, activation='sigmoid'):\n    return tf.sigmoid(z)\n"
    cascade = ("def cascade_forward(X, weights, biases, activation='sigmoid'):\n"
               "    for W, B in zip(weights, biases):\n        X = apply_activation(tf.matmul(X, W) + B)\n"
               "    return X\n")
    assert findings("cascade_forward", helper, cascade) == []


def test_a_finding_says_where_it_is():
    found = findings("dense_forward_matmul", "x = 1\n", MATMUL.format(activation="tf.nn.sigmoid(z)"))
    assert [(f.code, f.found, f.cell, f.line) for f in found] == [
        ("forbidden.builtin_sigmoid", "tf.nn.sigmoid", 2, 3)]


def test_a_lookup_is_a_possible_breach_only_where_the_forbidden_thing_lives():
    looked_up = LOOPED.format(body="getattr(tf.nn, activation)(tf.reduce_sum(X[i] * W[:, j]) + B[j])")
    assert findings("dense_forward_dot", looked_up) == []
    assert possibly_broken("dense_forward_dot", looked_up.replace("tf.nn", "tf.linalg")) == {"forbidden.matrix_product"}
    assert possibly_broken("dense_forward_dot", looked_up.replace("tf.nn", "tf")) == \
        {"forbidden.matrix_product", "forbidden.keras_layer"}


@pytest.mark.parametrize("step", ["f{k}(x) or f{k}(x)", "[f{k}, f{k}][0](x)"])
def test_code_made_to_be_slow_to_read_is_read_quickly_and_still_judged(step):
    helpers = "def f0(x):\n    return tf.sigmoid(x)\n" + "".join(
        f"def f{k + 1}(x):\n    return {step.format(k=k)}\n" for k in range(60))
    names = "n0 = 'ab'\n" + "".join(f"n{k + 1} = n{k} + n{k}\n" for k in range(60))
    found = findings("dense_forward_matmul", helpers, names, MATMUL.format(activation="f60(z)"))  # 2**60 paths
    assert "forbidden.builtin_sigmoid" in {f.code for f in found}
