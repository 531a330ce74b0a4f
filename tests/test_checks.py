"""Each exercise's hidden tests pass the solution and reject plausible wrong answers, in-process."""

from __future__ import annotations

import pytest

from grading import AUTOMATIC, BY_ID, DENSE
from autograder.grade.hidden import collect, run_exercise
from autograder.run.inside.execute import new_namespace, run_cell
from autograder.student import LocalStudent
from grading import variant


def namespace_of(source: str) -> dict:
    namespace = new_namespace("submission")
    assert run_cell(namespace, source, 0)["ok"]
    return namespace


@pytest.fixture(scope="module")
def solution() -> LocalStudent:
    return LocalStudent(namespace_of(variant()))


@pytest.mark.parametrize("exercise", AUTOMATIC, ids=lambda e: e.id)
def test_the_solution_passes_every_hidden_test(solution, exercise):
    result, tests = run_exercise(exercise, collect(DENSE, exercise), solution)
    assert result.score == exercise.points, [t.message for t in tests if t.status != "passed"]


@pytest.mark.parametrize("exercise", AUTOMATIC, ids=lambda e: e.id)
def test_points_of_the_hidden_tests_add_up(exercise):
    assert sum(test.points for test in collect(DENSE, exercise)) == exercise.points


WRONG_ANSWERS = [
    ("dense_shapes", "hard-coded shapes", ('"W": (n_feature, n_neuron)', '"W": (10, 3)'), "shapes.hard_coded"),
    ("dense_shapes", "swapped axes", ('"y": (N, n_neuron)', '"y": (n_neuron, N)'), "shapes.swapped"),
    ("dense_forward_matmul", "missing bias", ("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)"),
     "dense.missing_bias"),
    ("dense_forward_matmul", "transposed weights",
     ("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, tf.transpose(W)) + B"), "dense.transposed_weights"),
    ("dense_forward_matmul", "activation ignored", ("    return apply_activation(z, activation)\n\n\ndef dense_forward_dot",
                                                    "    return apply_activation(z, 'sigmoid')\n\n\ndef dense_forward_dot"),
     "dense.wrong_activation"),
    ("dense_forward_matmul", "bias after the activation",
     ("    z = tf.linalg.matmul(X, W) + B\n    return apply_activation(z, activation)",
      "    z = tf.linalg.matmul(X, W)\n    return apply_activation(z, activation) + B"), "dense.bias_after_activation"),
    ("dense_forward_dot", "missing activation", ("y[i, j] = apply_activation(z, activation)", "y[i, j] = z"),
     "dense.missing_activation"),
    ("dense_forward_dot", "missing bias", ("z = tf.reduce_sum(x * W[:, j]) + B[j]", "z = tf.reduce_sum(x * W[:, j])"),
     "dense.missing_bias"),
    ("cascade_shapes", "W not chained", ('out.append({"W": (width, n)', 'out.append({"W": (n_feature, n)'),
     "shapes.width_not_chained"),
    ("cascade_forward", "activation only at the end",
     ("        A = apply_activation(tf.linalg.matmul(A, W) + B, activation)\n    return A",
      "        A = tf.linalg.matmul(A, W) + B\n    return apply_activation(A, activation)"), "cascade.activation_last_only"),
    ("build_dense_layers", "one Dense object reused",
     ("    return [Dense(units=n, activation=activation) for n in n_neurons]",
      "    shared = Dense(units=n_neurons[0], activation=activation)\n    return [shared for n in n_neurons]"),
     "layers.shared_object"),
    ("build_dense_layers", "activation ignored",
     ("    return [Dense(units=n, activation=activation) for n in n_neurons]",
      "    return [Dense(units=n, activation='sigmoid') for n in n_neurons]"), "layers.activation"),
    ("build_sequential", "n_neurons ignored", ("    for n in n_neurons:\n        model.add", "    for n in (10, 20):\n        model.add"),
     "model.ignores_n_neurons"),
    ("TestModel", "weights kept aside at the first call",
     ("        for dense in self.dense_layers:\n            x = dense(x)\n        return x",
      "        if not hasattr(self, 'kept'):\n            for dense in self.dense_layers:\n                x = dense(x)\n"
      "            self.kept = [(*map(tf.constant, dense.get_weights()), dense.activation) for dense in self.dense_layers]\n"
      "            return x\n"
      "        for W, B, act in self.kept:\n            x = act(tf.linalg.matmul(x, W) + B)\n"
      "        return x"), "model.ignores_weights"),
    ("TestModel", "set_weights that ignores its argument",
     ("    def call(self, x):\n        for dense in self.dense_layers:",
      "    def set_weights(self, weights):\n        pass\n\n"
      "    def call(self, x):\n        for dense in self.dense_layers:"), "model.ignores_weights"),
    ("TestModel", "layers called in reverse", ("        for dense in self.dense_layers:\n            x = dense(x)",
                                               "        for dense in self.dense_layers[::-1]:\n            x = dense(x)"),
     "model.wrong_order"),
    ("HybridModel", "Sequential never used",
     ("    def call(self, x):\n        return self.model(x)",
      "        self.extra = [Dense(units=n, activation=activation) for n in n_neurons]\n"
      "    def call(self, x):\n        for dense in self.extra:\n            x = dense(x)\n        return x"),
     "model.sequential_unused"),
    ("layer_weight_shapes", "B shape for W", ("out.append((w.shape, b.shape))", "out.append((w.shape, w.shape))"),
     "shapes.wrong"),
    ("dense_shapes", "bias as a row", ('"B": (n_neuron,)', '"B": (1, n_neuron)'), "shapes.bias_row"),
    ("dense_forward_matmul", "sigmoid without the minus", ("1 / (1 + tf.exp(-z))", "1 / (1 + tf.exp(z))"),
     "dense.sigmoid_sign"),
    ("dense_forward_matmul", "X and W swapped", ("tf.linalg.matmul(X, W)", "tf.linalg.matmul(W, X)"),
     "dense.incompatible_shapes"),
    ("dense_forward_dot", "summed over the whole batch", ("tf.reduce_sum(x * W[:, j])", "tf.reduce_sum(X * W[:, j])"),
     "dense.whole_batch_sum"),
    ("cascade_forward", "X fed to every layer", ("tf.linalg.matmul(A, W)", "tf.linalg.matmul(X, W)"),
     "cascade.incompatible_shapes"),
    ("cascade_forward", "last layer skipped", ("zip(weights, biases)", "zip(weights[:-1], biases[:-1])"),
     "cascade.skips_layer"),
    ("build_sequential", "a list, not a Sequential", ("model = Sequential()\n    for n in n_neurons:\n        model.add(",
                                                       "model = []\n    for n in n_neurons:\n        model.append("),
     "model.not_model"),
    ("TestModel", "the last layer never called", ("        for dense in self.dense_layers:\n            x = dense(x)",
                                                  "        for dense in self.dense_layers[:-1]:\n            x = dense(x)"),
     "model.layer_unused"),
    ("layer_weight_shapes", "weights of layers never built",
     ("for layer in model.layers:", "for layer in [Dense(units=l.units) for l in model.layers]:"), "layers.not_built"),
    ("trainable_variable_shapes", "counted, not listed",
     ("return [tuple(v.shape) for v in model.trainable_variables]", "return len(model.trainable_variables)"),
     "variables.count_not_list"),
]


@pytest.mark.parametrize("exercise_id, mistake, replacement, code", WRONG_ANSWERS,
                         ids=[f"{e}: {m}" for e, m, _, _ in WRONG_ANSWERS])
def test_a_wrong_answer_loses_points_and_is_named(exercise_id, mistake, replacement, code):
    exercise = BY_ID[exercise_id]
    result, tests = run_exercise(exercise, collect(DENSE, exercise), LocalStudent(namespace_of(variant(replacement))))
    assert result.score < exercise.points, f"{mistake} was not caught"
    assert code in result.codes, (mistake, result.codes, result.messages)


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh", "linear"])
def test_the_reference_is_a_keras_dense_layer_called_as_in_a_notebook_bit_for_bit(activation):
    """The grader reuses one layer per shape and calls its computation directly; a notebook makes a new
    `Dense`, sets its weights and calls it. Both must give the same floats, to the last bit."""
    import numpy as np
    import tensorflow as tf

    from autograder.checks.reference import keras_dense
    from autograder.run.inside.environment import import_keras

    keras = import_keras()
    generator = np.random.default_rng(14)
    for _ in range(100):
        n, n_in, units = (int(k) for k in generator.integers(1, 9, size=3))
        X, W, B = (generator.normal(0, 3, shape).astype(np.float32) for shape in ((n, n_in), (n_in, units), (units,)))
        layer = keras.layers.Dense(units, activation=activation)
        layer.build((None, n_in))
        layer.set_weights([W, B])
        expected = layer(tf.constant(X)).numpy().astype(np.float64)
        np.testing.assert_array_equal(keras_dense(X, W, B, activation), expected)
