"""The static rules through the batch grader: what a broken rule costs, and what it leaves alone.

Scores were worked out from the hidden tests' points: dense_forward_matmul's sigmoid cases
are worth 3 + 2 + 2 = 7 of its 15 points, its relu, tanh and linear cases 8.
"""

from __future__ import annotations

import json

import pytest

from grading import SOLUTION, grade, variant, write_submissions

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
        assert f"`{exercise}` " in data["messages"][0]  # after "in 3 of 7 cases: " where it is counted
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


# The same cases in a real Jupyter kernel, through the in-notebook path nbgrader's hidden cells take
# (autograder.notebook): the rules read the cells the kernel ran (IPython's `In`), and the recorder
# watches the kernel's own TensorFlow and NumPy. Each variant is a cell of its own, then its verdict.

KERNEL_VARIANTS = {
    "own_sigmoid_helper": ("dense_forward_matmul", "def sigmoid(z):\n    return 1 / (1 + tf.exp(-z))\n\n"
                           "def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
                           "    z = tf.linalg.matmul(X, W) + B\n"
                           "    return sigmoid(z) if activation == 'sigmoid' else apply_activation(z, activation)\n"),
    **{name: ("dense_forward_matmul", "def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
                                      "    z = tf.linalg.matmul(X, W) + B\n"
                                      f"    return {call} if activation == 'sigmoid' else apply_activation(z, activation)\n")
       for name, call in {
           "tf_sigmoid": "tf.sigmoid(z)", "tf_nn_sigmoid": "tf.nn.sigmoid(z)", "tf_math_sigmoid": "tf.math.sigmoid(z)",
           "keras_sigmoid": "tf.keras.activations.sigmoid(z)",
           "keras_get_sigmoid": "tf.keras.activations.get('sigmoid')(z)",
           "keras_get_activation": "tf.keras.activations.get(activation)(z)",
           "getattr_sigmoid": "getattr(tf.nn, 'sig' + 'moid')(z)",
           "eval_sigmoid": "eval('tf.nn.' + ''.join(reversed('diomgis')))(z)",
       }.items()},
    "matmul_dense_by_getattr": ("dense_forward_matmul", "def dense_forward_matmul(X, W, B, activation='sigmoid'):\n"
                                + DENSE_BY_GETATTR + "\n"),
    "cascade_dense_by_getattr": ("cascade_forward", "def cascade_forward(X, weights, biases, activation='sigmoid'):\n"
                                 "    A = X\n    for W, B in zip(weights, biases):\n"
                                 "        layer = getattr(tf.keras.layers, 'De' + 'nse')(units=W.shape[1], "
                                 "activation=activation)\n"
                                 "        layer.build(A.shape)\n        layer.set_weights([np.asarray(W), np.asarray(B)])\n"
                                 "        A = layer(A)\n    return A\n"),
    **{name: ("dense_forward_dot", helper + "\n\ndef dense_forward_dot(X, W, B, activation='sigmoid'):\n"
                                   "    y = np.zeros((X.shape[0], W.shape[1]))\n"
                                   "    for i in range(X.shape[0]):\n        for j in range(W.shape[1]):\n"
                                   f"            y[i, j] = apply_activation({product} + B[j], activation)\n"
                                   "    return y\n")
       for name, helper, product in (
           ("dot_einsum_helper", "def product(a, b):\n    return np.einsum('i,i->', np.asarray(a), b)",
            "product(X[i], W[:, j])"),
           ("dot_matmul_lambda", "product = lambda a, b: np.matmul(np.asarray(a), b)", "product(X[i], W[:, j])"),
           ("dot_at_lambda", "product = lambda a, b: np.asarray(a) @ b", "product(X[i], W[:, j])"),
           ("dot_tensordot_helper", "def product(a, b):\n    return np.tensordot(np.asarray(a), b, 1)",
            "product(X[i], W[:, j])"),
           ("dot_honest_helper", "product = lambda a, b: np.sum(np.asarray(a) * b)", "product(X[i], W[:, j])"),
           ("numpy_matrix_dot", "", "np.dot(np.asarray(X), W)[i, j]"),
       )},
}
SETUP = SOLUTION[:SOLUTION.index("def dense_shapes(")]
APPLY_ACTIVATION = SOLUTION[SOLUTION.index("def apply_activation("):SOLUTION.index("def dense_forward_matmul(")]
VERDICT = ("import json\nfrom autograder.assignments import shipped\nfrom autograder.grade.hidden import collect, run_exercise\n"
           "from autograder.grade.static import rule_findings\nfrom autograder.student import LocalStudent\n"
           "exercise = shipped().by_id[{exercise!r}]\n"
           "result, _ = run_exercise(exercise, collect(shipped(), exercise), LocalStudent(globals()), 'en', "
           "rule_findings(exercise, [str(c) for c in In]))\n"
           "print(json.dumps({{'score': result.score, 'codes': result.codes, 'messages': result.messages}}))")


@pytest.fixture(scope="module")
def kernel_verdicts(tmp_path_factory) -> dict[str, dict]:
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(cells=[new_code_cell(SETUP)])
    for exercise_id, source in KERNEL_VARIANTS.values():
        notebook.cells += [new_code_cell(APPLY_ACTIVATION + source), new_code_cell(VERDICT.format(exercise=exercise_id))]
    folder = tmp_path_factory.mktemp("kernel")
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    verdicts = {}
    for name, cell in zip(KERNEL_VARIANTS, notebook.cells[2::2]):
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert not errors, (name, errors)
        verdicts[name] = json.loads("".join(o.text for o in cell.outputs if o.output_type == "stream"
                                            and o.name == "stdout"))
    nbformat.write(notebook, folder / "rules.ipynb")
    return verdicts


@pytest.mark.parametrize("student", sorted(KERNEL_VARIANTS))
def test_a_rule_costs_the_same_in_a_jupyter_kernel(kernel_verdicts, graded, student):
    exercise, score, code = EXPECTED[student]
    verdict = kernel_verdicts[student]
    assert verdict["score"] == score, verdict["messages"]
    assert verdict["codes"][:1] == ([code] if code else []), verdict["messages"]
    assert graded[student]["exercises"][exercise]["codes"][:1] == verdict["codes"][:1]


# The same variants through the public tests of the release (the grader's checks on visible cases, in the
# graded cells a student runs before submitting): the rule is named, and it costs the same cases.

PUBLIC_VERDICT = ("import json\nfrom course_checks import ASSIGNMENT\n"
                  "from course_checks.public import run_public_tests\n"
                  "verdict = run_public_tests(ASSIGNMENT, ASSIGNMENT.by_id[{exercise!r}], globals())\n"
                  "print(json.dumps({{'score': verdict.score, 'codes': verdict.codes, 'messages': verdict.messages}}))")


def public_score(exercise_id: str, score: float) -> float:
    """What the public cases leave: all, none, or (a ready-made sigmoid) the cases that ask for no sigmoid."""
    from grading import BY_ID, DENSE
    from autograder.public import public_tests

    exercise = BY_ID[exercise_id]
    if score in (0.0, float(exercise.points)):
        return score
    return round(sum(t.points for t in public_tests(DENSE, exercise) if dict(t.params)["activation"] != "sigmoid"), 6)


@pytest.fixture(scope="module")
def public_verdicts(tmp_path_factory) -> dict[str, dict]:
    from nbformat.v4 import new_code_cell

    from tests.test_public import execute, outputs, student_folder, student_notebook

    notebook = student_notebook({})
    for exercise_id, source in KERNEL_VARIANTS.values():
        notebook.cells += [new_code_cell(APPLY_ACTIVATION + source),
                           new_code_cell(PUBLIC_VERDICT.format(exercise=exercise_id))]
    executed = execute(student_folder(tmp_path_factory.mktemp("public_rules") / "student", notebook))
    verdicts = {}
    for name, cell in zip(KERNEL_VARIANTS, executed.cells[-2 * len(KERNEL_VARIANTS) + 1::2]):
        stdout, _, errors = outputs(cell)
        assert not errors, (name, errors)
        verdicts[name] = json.loads(stdout)
    return verdicts


@pytest.mark.parametrize("student", sorted(KERNEL_VARIANTS))
def test_the_public_test_names_the_rule_and_costs_the_same_cases(public_verdicts, graded, student):
    exercise, score, code = EXPECTED[student]
    verdict = public_verdicts[student]
    assert verdict["score"] == public_score(exercise, score), verdict["messages"]
    assert verdict["codes"][:1] == ([code] if code else []), verdict["messages"]
    assert graded[student]["exercises"][exercise]["codes"][:1] == verdict["codes"][:1]
