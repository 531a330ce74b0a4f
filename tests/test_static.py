"""Static rules: what each exercise's function may not use, read before anything runs."""

from __future__ import annotations

import pytest

from autograder.exercises import BY_ID
from autograder.grade.static import check_static_rules

LOOPED = """
def dense_forward_dot(X, W, B, activation="sigmoid"):
    y = np.zeros((X.shape[0], W.shape[1]))
    for i in range(X.shape[0]):
        for j in range(W.shape[1]):
            y[i, j] = {body}
    return y
"""


def rule_broken(exercise_id: str, *cells: str) -> str | None:
    failure = check_static_rules(BY_ID[exercise_id], list(cells))
    return failure.code if failure else None


@pytest.mark.parametrize("body, code", [
    ("np.dot(X[i], W[:, j]) + B[j]", None),
    ("tf.reduce_sum(X[i] * W[:, j]) + B[j]", None),
    ("(X @ W)[i, j] + B[j]", "forbidden.matrix_product"),
    ("tf.matmul(X, W)[i, j] + B[j]", "forbidden.matrix_product"),
    ("np.einsum('k,k->', X[i], W[:, j]) + B[j]", "forbidden.matrix_product"),
    ("tf.keras.layers.Dense(3)(X)[i, j]", "forbidden.keras_layer"),
    ("Dense(3)(X)[i, j]", "forbidden.keras_layer"),
])
def test_dense_forward_dot_rules(body, code):
    assert rule_broken("dense_forward_dot", LOOPED.format(body=body)) == code


def test_a_helper_cannot_hide_a_matrix_product():
    helper = "def product(a, b):\n    return a @ b\n"
    uses = LOOPED.format(body="product(X, W)[i, j] + B[j]")
    assert rule_broken("dense_forward_dot", helper, uses) == "forbidden.matrix_product"


def test_the_dot_exercise_must_loop():
    assert rule_broken("dense_forward_dot", "def dense_forward_dot(X, W, B, activation='sigmoid'):\n"
                                            "    return np.dot(X, W) + B\n") == "forbidden.no_loop"


def test_a_definition_outside_def_is_refused_where_rules_apply():
    assert rule_broken("dense_forward_dot", "dense_forward_dot = lambda X, W, B, a='sigmoid': X") == "forbidden.no_def"


def test_variable_names_are_not_mistaken_for_layers():
    source = ("def cascade_forward(X, weights, biases, activation='sigmoid'):\n"
              "    layers = list(zip(weights, biases))\n    A = X\n    for W, B in layers:\n"
              "        A = tf.matmul(A, W) + B\n    return A\n")
    assert rule_broken("cascade_forward", source) is None
    assert rule_broken("cascade_forward", source.replace("tf.matmul(A, W) + B", "Dense(3)(A)")) == "forbidden.keras_layer"


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


@pytest.mark.parametrize("activation, code", [
    ("1 / (1 + tf.exp(-z))", None),
    ("1 / (1 + np.exp(-z))", None),
    ("tf.sigmoid(z)", "forbidden.builtin_sigmoid"),
    ("tf.nn.sigmoid(z)", "forbidden.builtin_sigmoid"),
    ("tf.keras.activations.sigmoid(z)", "forbidden.builtin_sigmoid"),
    ("scipy.special.expit(z)", "forbidden.builtin_sigmoid"),
])
def test_the_matmul_exercise_writes_the_sigmoid_out_even_in_a_helper(activation, code):
    helper = f"def apply_activation(z, activation='sigmoid'):\n    return {activation}\n"
    matmul = ("def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
              "    return apply_activation(tf.linalg.matmul(X, W) + B, activation)\n")
    assert rule_broken("dense_forward_matmul", helper, matmul) == code
    assert rule_broken("cascade_forward", helper, matmul.replace("dense_forward_matmul", "cascade_forward")) is None
