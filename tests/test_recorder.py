"""The recorder of what ran during a student's call, and how the grader reads its (untrusted) report."""

from __future__ import annotations

import numpy as np
import pytest

from grading import BY_ID
from autograder.grade.rules import Ran, breaches_of, evidence, read_ran
from autograder.grade.static import rule_findings
from autograder.run.inside.execute import new_namespace, run_cell
from autograder.run.inside.probes import answer

SETUP = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.layers import Dense\n"
X = np.ones((2, 3), np.float32)
W = np.ones((3, 4), np.float32)
B = np.ones(4, np.float32)

FUNCTIONS = {
    "own_sigmoid": "return 1 / (1 + tf.exp(-(tf.matmul(X, W) + B)))",
    "getattr_sigmoid": "return getattr(tf.nn, 'sig' + 'moid')(tf.matmul(X, W) + B)",
    "exec_sigmoid": "scope = {}\n    exec('import tensorflow as t\\nf = t.math.sigmoid', scope)\n    return scope['f'](X)",
    "keras_get": "return tf.keras.activations.get(activation)(tf.matmul(X, W) + B)",
    "dense_by_getattr": ("layer = getattr(tf.keras.layers, 'De' + 'nse')(W.shape[1], activation=activation)\n"
                         "    layer.build(X.shape)\n    layer.set_weights([W, B])\n    return layer(X)"),
    "einsum": "return np.einsum('ij,jk->ik', np.asarray(X), W) + B",
    "numpy_matrix_dot": "return np.dot(np.asarray(X), W) + B",
    "dot_of_vectors": ("y = np.zeros((X.shape[0], W.shape[1]))\n    for i in range(X.shape[0]):\n"
                       "        for j in range(W.shape[1]):\n            y[i, j] = np.dot(np.asarray(X[i]), W[:, j]) + B[j]\n"
                       "    return y"),
    "tf_function": "return traced(X, W)",
    "clears_callbacks": ("from tensorflow.python.framework import op_callbacks\n"
                         "    op_callbacks.clear_op_callbacks()\n    return tf.sigmoid(X)"),
    "replaces_layer_call": ("import keras\n    keras.layers.Dense.__call__ = lambda self, x: x\n"
                            "    return np.asarray(X)"),
    "replaces_einsum": "np.einsum = lambda *a, **k: 0\n    return np.asarray(X)",
}
EXPECTED = {  # (what the report must hold, whether it is intact)
    "own_sigmoid": ({"ops": {"Exp", "MatMul"}}, True),
    "getattr_sigmoid": ({"ops": {"Sigmoid", "MatMul"}}, True),
    "exec_sigmoid": ({"ops": {"Sigmoid"}}, True),
    "keras_get": ({"ops": {"Sigmoid"}}, True),
    "dense_by_getattr": ({"layers": {"Dense"}, "ops": {"MatMul", "Sigmoid"}}, True),
    "einsum": ({"calls": {"numpy.einsum"}}, True),
    "numpy_matrix_dot": ({"calls": {"numpy.dot"}}, True),
    "dot_of_vectors": ({}, True),
    "tf_function": ({"ops": {"Sigmoid", "MatMul"}}, True),
    "clears_callbacks": ({}, False),
    "replaces_layer_call": ({}, False),
    "replaces_einsum": ({}, False),
}
FORBIDDEN_BY_RUNNING = {"own_sigmoid": {"no_matrix_product"}, "getattr_sigmoid": {"no_matrix_product", "written_out_sigmoid"},
                        "exec_sigmoid": {"written_out_sigmoid"}, "keras_get": {"written_out_sigmoid",
                                                                             "no_matrix_product"},
                        "dense_by_getattr": {"no_keras_layer", "no_matrix_product", "written_out_sigmoid"},
                        "einsum": {"no_matrix_product"}, "numpy_matrix_dot": {"no_matrix_product"},
                        "dot_of_vectors": set()}


@pytest.fixture(scope="module")
def namespace():
    import keras

    einsum = np.einsum
    yield from _namespace()
    if "__call__" in keras.layers.Dense.__dict__:  # put back what the tampering functions replaced
        del keras.layers.Dense.__call__
    np.einsum = einsum


def _namespace():
    namespace = new_namespace("__main__")
    source = SETUP + "@tf.function\ndef traced(X, W):\n    return tf.sigmoid(tf.matmul(X, W))\n\n"
    for name, body in FUNCTIONS.items():
        source += f"def {name}(X, W, B, activation='sigmoid'):\n    {body}\n\n"
    assert run_cell(namespace, source, 0) == {"ok": True}
    run_cell(namespace, "traced(tf.constant(X), W)", 1)  # traced before the recording: read through its definition
    yield namespace


def recorded(namespace, name):
    reply = answer(namespace, {"op": "call", "name": name, "args": [X, W, B], "tensor_args": [0], "record": True})
    assert reply["status"] == "ok", reply
    return reply["value"]["ran"]


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_the_report_says_what_ran_and_whether_it_can_be_believed(namespace, name):
    ran = recorded(namespace, name)
    must, intact = EXPECTED[name]
    for kind, names in must.items():
        assert names <= set(ran[kind]), (kind, ran)
    assert ran["intact"] is intact, ran
    if name in FORBIDDEN_BY_RUNNING:
        both = set()
        for exercise in ("dense_forward_matmul", "dense_forward_dot"):
            both |= {finding.rule for finding in evidence(BY_ID[exercise], read_ran([ran]))}
        assert both == FORBIDDEN_BY_RUNNING[name], ran


def test_the_recorder_leaves_nothing_behind(namespace):
    import keras

    before = (np.einsum, np.dot, keras.layers.Layer.__call__)
    recorded(namespace, "dense_by_getattr")
    assert (np.einsum, np.dot, keras.layers.Layer.__call__) == before
    from tensorflow.python.eager import context
    assert not context.context().op_callbacks


@pytest.mark.parametrize("raw", [
    None, "intact", [None], [{"ops": "Sigmoid", "intact": "yes"}], [{"ops": [1, 2, {"a": 1}], "intact": 1}],
    [{"ops": ["Sigmoid"] * 10_000 + ["x" * 10_000], "layers": list(range(100)), "intact": True}],
])
def test_a_malformed_report_is_read_within_bounds_and_never_trusted_more(raw):
    ran = read_ran(raw if isinstance(raw, list) else [raw])
    assert ran is None or (len(ran.ops) <= 64 and all(len(name) <= 64 for name in ran.ops))
    if ran is not None and raw and isinstance(raw[0], dict) and raw[0].get("intact") is not True:
        assert not ran.intact


SIGMOID_BY_NAME = ("def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
                   "    return getattr(tf.nn, activation)(tf.matmul(X, W) + B)\n")


@pytest.mark.parametrize("ran, activation, zeroed", [
    (Ran(frozenset({"MatMul", "Relu"}), intact=True), "relu", False),   # the record decides: no sigmoid ran
    (Ran(frozenset({"MatMul", "Sigmoid"}), intact=True), "sigmoid", True),
    (Ran(frozenset({"MatMul"}), intact=False), "sigmoid", True),        # a record not whole: the lookup costs
    (Ran(frozenset({"MatMul"}), intact=False), "relu", False),          # ... but only where a sigmoid could help
    (None, "sigmoid", True),
])
def test_a_lookup_the_grader_cannot_work_out_is_judged_by_the_record(ran, activation, zeroed):
    exercise = BY_ID["dense_forward_matmul"]
    findings = rule_findings(exercise, [SETUP, SIGMOID_BY_NAME])
    assert [f.definite for f in findings] == [False]
    assert bool(breaches_of(exercise, findings, {"activation": activation}, ran)) is zeroed


def test_silencing_the_recorder_gains_nothing_the_source_shows():
    exercise = BY_ID["dense_forward_matmul"]
    findings = rule_findings(exercise, [SETUP, SIGMOID_BY_NAME.replace("getattr(tf.nn, activation)", "tf.sigmoid")])
    silent = Ran(frozenset(), intact=True)
    assert [f.code for f in breaches_of(exercise, findings, {"activation": "sigmoid"}, silent)] == \
        ["forbidden.builtin_sigmoid"]
    assert breaches_of(exercise, findings, {"activation": "relu"}, silent) == []


def test_what_the_student_replaced_before_stays_theirs_and_is_still_watched():
    namespace = new_namespace("__main__")
    original = np.dot
    source = (SETUP + "calls = []\ndef my_dot(a, b):\n    calls.append(1)\n    return original_dot(a, b)\n"
              "original_dot = np.dot\nnp.dot = my_dot\n"
              "def dense_forward_dot(X, W, B, activation='sigmoid'):\n    return np.dot(np.asarray(X), W) + B\n")
    try:
        assert run_cell(namespace, source, 0) == {"ok": True}
        reply = answer(namespace, {"op": "call", "name": "dense_forward_dot", "args": [X, W, B], "tensor_args": [0],
                                   "record": True})
        assert reply["value"]["ran"]["calls"] == ["numpy.dot"] and namespace["calls"] == [1]
        assert np.dot is namespace["my_dot"]
    finally:
        np.dot = original
