"""The static rules through the batch grader: what a broken rule costs, and what it leaves alone.

Scores were worked out from the hidden tests' points: dense_forward_matmul's sigmoid cases
are worth 3 + 2 + 2 = 7 of its 15 points, its relu, tanh and linear cases 8.
"""

from __future__ import annotations

import pytest

from grading import grade, variant, write_submissions

SIGMOID_LINE = "        return 1 / (1 + tf.exp(-z))"
SIGMOID_TESTS = 7


def sigmoid_as(expression: str, prepend: str = "") -> str:
    return variant((SIGMOID_LINE, f"        return {expression}"), prepend=prepend)


DENSE_BY_GETATTR = ("    layer = getattr(tf.keras.layers, \"De\" + \"nse\")(units=W.shape[1], activation=activation)\n"
                    "    layer.build(X.shape)\n    layer.set_weights([np.asarray(W), np.asarray(B)])\n"
                    "    return layer(X)")
DOT_LOOP = "            z = tf.reduce_sum(x * W[:, j]) + B[j]"

SUBMISSIONS = {
    # dense_forward_matmul: the sigmoid must be written out.
    "own_sigmoid_helper.py": variant(
        (SIGMOID_LINE, "        return sigmoid(z)"),
        ("def apply_activation(", "def sigmoid(z):\n    return 1 / (1 + tf.exp(-z))\n\n\ndef apply_activation(")),
    "tf_sigmoid.py": sigmoid_as("tf.sigmoid(z)"),
    "tf_nn_sigmoid.py": sigmoid_as("tf.nn.sigmoid(z)"),
    "tf_math_sigmoid.py": sigmoid_as("tf.math.sigmoid(z)"),
    "keras_sigmoid.py": sigmoid_as("keras.activations.sigmoid(z)", prepend="import keras\n"),
    "keras_get_sigmoid.py": sigmoid_as("keras.activations.get('sigmoid')(z)", prepend="import keras\n"),
    "keras_get_activation.py": variant(("    if activation == \"sigmoid\":\n" + SIGMOID_LINE,
                                        "    return tf.keras.activations.get(activation)(z)")),
    "scipy_expit.py": variant(("    z = tf.linalg.matmul(X, W) + B\n    return apply_activation(z, activation)",
                               "    z = tf.linalg.matmul(X, W) + B\n    if activation == \"sigmoid\":\n"
                               "        from scipy.special import expit\n        return expit(z)\n"
                               "    return apply_activation(z, activation)")),
    "getattr_sigmoid.py": sigmoid_as("getattr(tf.nn, 'sig' + 'moid')(z)"),
    "aliased_sigmoid.py": sigmoid_as("t.math.sigmoid(z)", prepend="import tensorflow as t\n"),
    # A forbidden call and a missing bias in the same function: both named, relu and tanh keep their points.
    "sigmoid_and_missing_bias.py": variant(
        (SIGMOID_LINE, "        return tf.sigmoid(z)"),
        ("    z = tf.linalg.matmul(X, W) + B\n    return apply_activation(z, activation)",
         "    if activation == \"linear\":\n        return tf.linalg.matmul(X, W)\n"
         "    z = tf.linalg.matmul(X, W) + B\n    return apply_activation(z, activation)")),
    # Keras layers reached through getattr.
    "matmul_dense_by_getattr.py": variant(("    z = tf.linalg.matmul(X, W) + B\n    return apply_activation(z, activation)",
                                           DENSE_BY_GETATTR)),
    "cascade_dense_by_getattr.py": variant((
        "    A = tf.identity(X)\n    for W, B in zip(weights, biases):\n"
        "        A = apply_activation(tf.linalg.matmul(A, W) + B, activation)\n    return A",
        "    A = tf.identity(X)\n    for W, B in zip(weights, biases):\n"
        "        layer = getattr(tf.keras.layers, \"De\" + \"nse\")(units=W.shape[1], activation=activation)\n"
        "        layer.build(A.shape)\n        layer.set_weights([np.asarray(W), np.asarray(B)])\n"
        "        A = layer(A)\n    return A")),
    # dense_forward_dot: no matrix product, even inside a helper or a lambda.
    "dot_einsum_helper.py": variant((DOT_LOOP, "            z = product(x, W[:, j]) + B[j]"),
                                    prepend="def product(a, b):\n    return np.einsum('i,i->', np.asarray(a), b)\n"),
    "dot_matmul_lambda.py": variant((DOT_LOOP, "            z = product(x, W[:, j]) + B[j]"),
                                    prepend="product = lambda a, b: np.matmul(np.asarray(a), b)\n"),
    "dot_at_lambda.py": variant((DOT_LOOP, "            z = product(x, W[:, j]) + B[j]"),
                                prepend="product = lambda a, b: np.asarray(a) @ b\n"),
    "dot_tensordot_helper.py": variant((DOT_LOOP, "            z = product(x, W[:, j]) + B[j]"),
                                       prepend="def product(a, b):\n    return np.tensordot(np.asarray(a), b, 1)\n"),
    "dot_honest_helper.py": variant((DOT_LOOP, "            z = product(x, W[:, j]) + B[j]"),
                                    prepend="product = lambda a, b: np.sum(np.asarray(a) * b)\n"),
    # Only the record of what ran shows these.
    "eval_sigmoid.py": sigmoid_as("eval('tf.nn.' + ''.join(reversed('diomgis')))(z)"),
    "numpy_matrix_dot.py": variant((DOT_LOOP, "            z = np.dot(np.asarray(X), W)[i, j] + B[j]")),
    # A lookup by name is judged by what ran: no sigmoid ran, nothing is lost ...
    "getattr_by_name_honest.py": variant(("        return tf.tanh(z)", "        return getattr(tf.nn, activation)(z)")),
    # ... unless the recorder was silenced, and then it costs what a ready-made sigmoid would.
    "silenced_recorder.py": variant(
        ("    if activation == \"sigmoid\":\n" + SIGMOID_LINE,
         "    from tensorflow.python.framework import op_callbacks\n    op_callbacks.clear_op_callbacks()\n"
         "    if activation in (\"sigmoid\", \"tanh\"):\n        return getattr(tf.nn, activation)(z)")),
}
FULL = 15.0
EXPECTED = {
    "own_sigmoid_helper": ("dense_forward_matmul", FULL, None),
    "tf_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "tf_nn_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "tf_math_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "keras_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "keras_get_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "keras_get_activation": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "scipy_expit": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "getattr_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "aliased_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "sigmoid_and_missing_bias": ("dense_forward_matmul", FULL - SIGMOID_TESTS - 2, "forbidden.builtin_sigmoid"),
    "matmul_dense_by_getattr": ("dense_forward_matmul", 0.0, "forbidden.keras_layer"),
    "cascade_dense_by_getattr": ("cascade_forward", 0.0, "forbidden.keras_layer"),
    "dot_einsum_helper": ("dense_forward_dot", 0.0, "forbidden.matrix_product"),
    "dot_matmul_lambda": ("dense_forward_dot", 0.0, "forbidden.matrix_product"),
    "dot_at_lambda": ("dense_forward_dot", 0.0, "forbidden.matrix_product"),
    "dot_tensordot_helper": ("dense_forward_dot", 0.0, "forbidden.matrix_product"),
    "dot_honest_helper": ("dense_forward_dot", FULL, None),
    "eval_sigmoid": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
    "numpy_matrix_dot": ("dense_forward_dot", 0.0, "forbidden.matrix_product"),
    "getattr_by_name_honest": ("dense_forward_matmul", FULL, None),
    "silenced_recorder": ("dense_forward_matmul", FULL - SIGMOID_TESTS, "forbidden.builtin_sigmoid"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    folder = write_submissions(tmp_path_factory.mktemp("rules"), SUBMISSIONS)
    return grade(folder, tmp_path_factory.mktemp("rules_out"))


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_a_rule_costs_what_it_touched(graded, student):
    exercise, score, code = EXPECTED[student]
    result = graded[student]
    data = result["exercises"][exercise]
    assert data["score"] == score, data["messages"]
    assert result["score"] == 95 - (FULL if exercise != "cascade_forward" else 10) + score
    if code is None:
        assert data["status"] == "passed" and not data["codes"], data["messages"]
    else:
        assert data["status"] == "forbidden" and data["codes"][0] == code
        assert data["messages"][0].startswith(f"`{exercise}` ")
        zeroed = [t for t in result["tests"] if t["exercise"] == exercise and t["status"] == "forbidden"]
        assert all(t["points"] == 0 and t["code"] == code for t in zeroed)  # the others failed anyway


def test_a_sigmoid_rule_leaves_the_relu_tanh_and_linear_cases_alone(graded):
    tests = [t for t in graded["tf_sigmoid"]["tests"] if t["exercise"] == "dense_forward_matmul"]
    zeroed = {t["id"] for t in tests if t["status"] == "forbidden"}
    assert zeroed == {t["id"] for t in tests if "sigmoid" in t["id"]}
    assert all(t["status"] == "passed" and t["points"] == t["max_points"] for t in tests if t["id"] not in zeroed)


def test_a_forbidden_call_does_not_hide_a_missing_bias(graded):
    data = graded["sigmoid_and_missing_bias"]["exercises"]["dense_forward_matmul"]
    assert data["codes"][:2] == ["forbidden.builtin_sigmoid", "dense.missing_bias"], data["codes"]
    assert "tf.sigmoid" in data["messages"][0] and "bias" in " ".join(data["messages"][1:])
