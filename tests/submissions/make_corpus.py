"""The corpus of realistic submissions: notebooks made from the release, each with its expected scores.

Every student starts from the reference solution, split into one piece of code per exercise,
and changes it with targeted replacements that must apply (so the corpus fails loudly when
the solution changes). Accidents also delete, move or add cells; hostile students add code
that attacks the grader. `manifest.json` says, per student, what they did, what each
exercise must score and, for a mistake, the message code the diagnosis must give.

Run `python tests/submissions/make_corpus.py [FOLDER]` to write the corpus (default: beside
this file); `tests/test_corpus.py` checks the committed files equal what this writes.
"""

from __future__ import annotations

import ast
import copy
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RELEASE = ROOT / "assignments" / "dense_layers" / "dense_layers.ipynb"
SOLUTION = ROOT / "solutions" / "dense_layers" / "dense_layers.py"
sys.path.insert(0, str(ROOT))

from autograder.assignments import shipped  # noqa: E402

AUTOMATIC = shipped().automatic

FULL = {exercise.id: float(exercise.points) for exercise in AUTOMATIC}
EXERCISE_OF_NAME = {exercise.name: exercise.id for exercise in AUTOMATIC}
EXERCISE_OF_NAME["apply_activation"] = "dense_forward_matmul"
EXERCISE_OF_SOLUTION_CELL = {exercise.solution_cell: exercise.id for exercise in AUTOMATIC}


def _solution_pieces() -> dict[str, str]:
    """The reference solution's code per exercise (apply_activation goes with dense_forward_matmul)."""
    text = SOLUTION.read_text()
    pieces: dict[str, list[str]] = {}
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            pieces.setdefault(EXERCISE_OF_NAME[node.name], []).append(ast.get_source_segment(text, node))
    assert set(pieces) == set(FULL), "every exercise has its code in the solution"
    return {exercise: "\n\n\n".join(parts) + "\n" for exercise, parts in pieces.items()}


SOLUTION_CODE = _solution_pieces()


def edit(exercise: str, *replacements: tuple[str, str]) -> dict[str, str]:
    """The solution of one exercise with replacements, each of which must apply."""
    source = SOLUTION_CODE[exercise]
    for old, new in replacements:
        assert old in source, f"{old!r} is not in the solution of {exercise}"
        source = source.replace(old, new)
    return {exercise: source}


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}


def markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)}


def index_of(cells: list[dict], grade_id: str) -> int:
    for index, cell in enumerate(cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    raise KeyError(grade_id)


def insert_after(grade_id: str, *new: dict) -> Callable[[list[dict]], list[dict]]:
    def change(cells: list[dict]) -> list[dict]:
        at = index_of(cells, grade_id) + 1
        return cells[:at] + list(new) + cells[at:]
    return change


def append(*new: dict) -> Callable[[list[dict]], list[dict]]:
    return lambda cells: cells + list(new)


@dataclass
class Student:
    name: str
    kind: str
    mistake: str
    code: dict[str, str | None] = field(default_factory=dict)  # None keeps the release's stub
    expected: dict[str, float] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    cells: Callable[[list[dict]], list[dict]] | None = None
    raw: bytes | None = None
    suffix: str = ".ipynb"
    review: tuple[str, ...] = ()  # the reasons it must be flagged "needs review" for (autograder.grade.tampering)
    saved_as: int = 4  # the nbformat version the notebook is saved in

    @property
    def file(self) -> str:
        return f"notebooks/{self.name}{self.suffix}"

    def manifest(self) -> dict:
        entry = {"file": self.file, "kind": self.kind, "mistake": self.mistake,
                 "expected": {**FULL, **{k: float(v) for k, v in self.expected.items()}}}
        if self.codes:
            entry["codes"] = self.codes
        entry["review"] = sorted(set(self.review))
        return entry

    def text(self, release: dict) -> bytes:
        """The file's bytes: raw, or the notebook as Jupyter saves it (nbformat 3 when asked)."""
        if self.raw is not None:
            return self.raw
        notebook = self.notebook(release)
        if self.saved_as == 3:
            import nbformat

            old = nbformat.convert(nbformat.reads(json.dumps(notebook), as_version=4), 3)
            return (nbformat.writes(old, version=3) + "\n").encode()
        return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode()

    def notebook(self, release: dict) -> dict:
        notebook = copy.deepcopy(release)
        for cell in notebook["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            exercise = EXERCISE_OF_SOLUTION_CELL.get(grade_id)
            if exercise is not None and self.code.get(exercise, "") is not None:
                source = self.code.get(exercise, SOLUTION_CODE[exercise])
                cell["source"] = source.splitlines(keepends=True)
            elif grade_id == "architecture_concept":
                cell["source"] = ["A deep-learning architecture is a cascade of filter banks; each dense layer "
                                  "is a filter bank of neurons that act as correlation filters.\n"]
        if self.cells is not None:
            notebook["cells"] = self.cells(notebook["cells"])
        for index, cell in enumerate(notebook["cells"]):
            cell.setdefault("id", f"{self.name[:40]}-{index}")
        return notebook


STUDENTS: list[Student] = []


def student(name: str, kind: str, mistake: str, **details) -> None:
    assert name not in {s.name for s in STUDENTS}, name
    STUDENTS.append(Student(name, kind, mistake, **details))


def mistake(name: str, description: str, exercise: str, code: str, score: float, changes: dict[str, str],
            **expected: float) -> None:
    """A student whose only error is one mistake in one exercise (and the exercises it feeds)."""
    student(name, "mistake", description, code=changes, expected={exercise: score, **expected},
            codes={exercise: code})


# The right answer, written differently.

student("reference", "correct", "the reference solution as it is")

NUMPY_ACTIVATION = '''def apply_activation(z, activation="sigmoid"):
    """NumPy instead of TensorFlow."""
    z = np.asarray(z)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "tanh":
        return np.tanh(z)
    return z


def dense_forward_matmul(X, W, B, activation="sigmoid"):
    return apply_activation(np.matmul(np.asarray(X), W) + B, activation)
'''
student("numpy_everywhere", "correct", "NumPy instead of TensorFlow: np.matmul, np.exp, np.dot, the @ operator", code={
    "dense_forward_matmul": NUMPY_ACTIVATION,
    **edit("dense_forward_dot", ("z = tf.reduce_sum(x * W[:, j]) + B[j]", "z = np.dot(np.asarray(x), W[:, j]) + B[j]")),
    **edit("cascade_forward", ("A = tf.identity(X)", "A = np.array(X)"),
           ("apply_activation(tf.linalg.matmul(A, W) + B, activation)", "apply_activation(A @ W + B, activation)")),
})

student("tf_builtin_activations", "correct",
        "tf.nn.relu in apply_activation, and tf.sigmoid / tf.nn.relu / tf.tanh directly where the sigmoid "
        "need not be written out (dense_forward_dot, cascade_forward)", code={
    **edit("dense_forward_matmul", ("return tf.maximum(z, 0.0)", "return tf.nn.relu(z)")),
    **edit("dense_forward_dot", ("y[i, j] = apply_activation(z, activation)",
                                 "y[i, j] = {\"sigmoid\": tf.sigmoid, \"relu\": tf.nn.relu, \"tanh\": tf.tanh,\n"
                                 "                           \"linear\": tf.identity}[activation](z)")),
    **edit("cascade_forward", ("A = apply_activation(tf.linalg.matmul(A, W) + B, activation)",
                               "A = tf.linalg.matmul(A, W) + B\n"
                               "        if activation == \"sigmoid\":\n            A = tf.math.sigmoid(A)\n"
                               "        elif activation == \"relu\":\n            A = tf.nn.relu(A)\n"
                               "        elif activation == \"tanh\":\n            A = tf.nn.tanh(A)")),
})

student("float64", "correct", "everything cast to float64 before computing", code={
    **edit("dense_forward_matmul", ("z = tf.linalg.matmul(X, W) + B",
                                    "X64 = tf.cast(X, tf.float64)\n"
                                    "    z = tf.linalg.matmul(X64, tf.constant(W, tf.float64)) + tf.constant(B, tf.float64)")),
    **edit("dense_forward_dot", ("y = np.zeros((N, n_neuron))", "y = np.zeros((N, n_neuron), dtype=np.float64)"),
           ("x = X[i]", "x = tf.cast(X[i], tf.float64)"),
           ("z = tf.reduce_sum(x * W[:, j]) + B[j]",
            "z = tf.reduce_sum(x * W[:, j].astype(np.float64)) + np.float64(B[j])")),
    **edit("cascade_forward", ("A = tf.identity(X)", "A = tf.cast(X, tf.float64)"),
           ("tf.linalg.matmul(A, W) + B", "tf.linalg.matmul(A, W.astype(np.float64)) + B.astype(np.float64)")),
})

student("lists_converted_late", "correct",
        "plain Python lists built in loops and turned into arrays only at the end; shapes as lists", code={
    **edit("dense_shapes", ('return {"X": (N, n_feature), "W": (n_feature, n_neuron), "B": (n_neuron,), "y": (N, n_neuron)}',
                            'return {"X": [N, n_feature], "W": [n_feature, n_neuron], "B": [n_neuron], "y": [N, n_neuron]}')),
    **edit("dense_forward_dot", ("y = np.zeros((N, n_neuron))", "rows = []"),
           ("        x = X[i]\n", "        x = X[i]\n        row = []\n"),
           ("y[i, j] = apply_activation(z, activation)", "row.append(float(apply_activation(z, activation)))"),
           ("    return y", "        rows.append(row)\n    return np.array(rows)")),
    **edit("layer_weight_shapes", ("out.append((w.shape, b.shape))", "out.append([list(w.shape), list(b.shape)])")),
    **edit("trainable_variable_shapes", ("[tuple(v.shape) for v in model.trainable_variables]",
                                         "[list(v.shape) for v in model.trainable_variables]")),
})

student("tensors_returned", "correct", "tf.Tensor and TensorShape returned where arrays and tuples were expected", code={
    **edit("dense_forward_dot", ("    return y", "    return tf.convert_to_tensor(y)")),
    **edit("dense_shapes", ('return {"X": (N, n_feature)', 'return {"X": tf.TensorShape([N, n_feature])')),
    **edit("cascade_forward", ("    return A", "    return tf.convert_to_tensor(A)")),
})

HELPERS = '''def sigmoid(z):
    """1 / (1 + exp(-z)), as in the notes."""
    return 1 / (1 + tf.exp(-z))


def linear_part(X, W, B):
    return tf.linalg.matmul(X, W) + B


def apply_activation(z, activation="sigmoid"):
    table = {"sigmoid": sigmoid, "relu": lambda v: tf.maximum(v, 0.0), "tanh": tf.tanh, "linear": lambda v: v}
    return table[activation](z)


def dense_forward_matmul(X, W, B, activation="sigmoid"):
    return apply_activation(linear_part(X, W, B), activation)
'''
student("helpers_and_extra_cells", "correct", "helper functions, a lookup table of activations, scratch cells "
        "and notes added between the exercises", code={"dense_forward_matmul": HELPERS},
        cells=lambda cells: insert_after("dense_forward_matmul_solution",
                                         markdown_cell("My notes: z = XW + B, then the sigmoid."),
                                         code_cell("print(dense_forward_matmul(X, W, B)[:2])\n"
                                                   "print(linear_part(X, W, B).shape)"))(
            insert_after("TestModel_solution", code_cell("scratch = TestModel([2, 3])\nprint(scratch(X).shape)"))(
                insert_after("setup", code_cell("rng = np.random.default_rng(0)\nprint('setup done')"))(cells))))

student("sigmoid_helper_called", "correct", "a helper of their own named sigmoid, written out and called by name, "
        "and tf.nn's relu and tanh looked up by the activation's name",
        code=edit("dense_forward_matmul", ("return 1 / (1 + tf.exp(-z))", "return sigmoid(z)"),
                  ("def apply_activation(", "def sigmoid(z):\n    return 1 / (1 + tf.exp(-z))"
                                            "\n\n\ndef apply_activation("),
                  ('    if activation == "relu":\n        return tf.maximum(z, 0.0)\n'
                   '    if activation == "tanh":\n        return tf.tanh(z)\n',
                   '    if activation in ("relu", "tanh"):\n        return getattr(tf.nn, activation)(z)\n')))

student("korean", "correct", "Korean comments, Korean variable names and a Korean written answer", code={
    "dense_forward_matmul": '''def apply_activation(z, activation="sigmoid"):
    """활성화 함수를 이름으로 골라 적용한다."""
    if activation == "sigmoid":
        return 1 / (1 + tf.exp(-z))  # 시그모이드: 1/(1+e^-z)
    if activation == "relu":
        return tf.maximum(z, 0.0)
    if activation == "tanh":
        return tf.tanh(z)
    return z  # 선형: 그대로


def dense_forward_matmul(X, W, B, activation="sigmoid"):
    # 행렬곱 한 번으로 미니배치 전체를 계산
    선형결합 = tf.linalg.matmul(X, W) + B
    출력 = apply_activation(선형결합, activation)
    return 출력
''',
    "TestModel": '''class TestModel(Model):
    """n_neurons의 항목마다 Dense 층 하나."""

    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):
        super().__init__()
        # 층 목록 (설계도)
        self.dense_layers = [Dense(units=뉴런수, activation=activation) for 뉴런수 in n_neurons]

    def call(self, x):
        출력 = x
        for 층 in self.dense_layers:  # 순서대로 통과
            출력 = 층(출력)
        return 출력
''',
}, cells=lambda cells: [dict(cell, source=["딥러닝 아키텍처는 필터 뱅크(filter bank)의 캐스케이드(cascade)이다.\n"])
                        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "architecture_concept"
                        else cell for cell in cells])

student("formulas_written_out", "correct", "relu by tf.where and tanh by its exponential formula; shapes via a helper", code={
    **edit("dense_forward_matmul", ("return tf.maximum(z, 0.0)", "return tf.where(z > 0, z, tf.zeros_like(z))"),
           ("return tf.tanh(z)", "return (tf.exp(z) - tf.exp(-z)) / (tf.exp(z) + tf.exp(-z))")),
    "cascade_shapes": '''def layer_shapes(N, n_in, n_out):
    return {"W": (n_in, n_out), "B": (n_out,), "A": (N, n_out)}


def cascade_shapes(N, n_feature, n_neurons):
    widths = [n_feature] + list(n_neurons)
    return [layer_shapes(N, widths[k], widths[k + 1]) for k in range(len(n_neurons))]
''',
})

student("models_written_differently", "correct",
        "a Sequential from a list, layers as named attributes found with getattr, a Sequential built with add", code={
    **edit("build_sequential", ("    model = Sequential()\n    for n in n_neurons:\n        model.add(Dense(units=n, activation=activation))\n    return model",
                                "    return Sequential([Dense(n, activation=activation) for n in n_neurons])")),
    "TestModel": '''class TestModel(Model):
    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):
        super().__init__()
        self.count = len(n_neurons)
        for k, n in enumerate(n_neurons):
            setattr(self, f"dense{k}", Dense(units=n, activation=activation))

    def call(self, x):
        for k in range(self.count):
            x = getattr(self, f"dense{k}")(x)
        return x
''',
    **edit("HybridModel", ("self.model = Sequential([Dense(units=n, activation=activation) for n in n_neurons])",
                           "self.net = Sequential()\n        for n in n_neurons:\n"
                           "            self.net.add(Dense(units=n, activation=activation))"),
           ("return self.model(x)", "return self.net(x)")),
    **edit("layer_weight_shapes", ("w, b = layer.get_weights()", "w, b = layer.kernel, layer.bias")),
})
student("writefile_module", "correct", "dense_shapes written to a module with %%writefile, then imported, as in Jupyter",
        code={"dense_shapes": None}, cells=insert_after("dense_shapes_solution", code_cell(
            "%%writefile shapes.py\ndef dense_shapes(N, n_feature, n_neuron):\n"
            "    return {'X': (N, n_feature), 'W': (n_feature, n_neuron), 'B': (n_neuron,), 'y': (N, n_neuron)}\n"),
            code_cell("from shapes import dense_shapes")))

student("models_built_other_ways", "correct",
        "models written as students write them: layers appended in a for loop, super().__init__(**kwargs), extra "
        "attributes, tf.keras.Model spelled through an alias, and HybridModel reusing build_sequential", code={
    "TestModel": '''import tensorflow.keras as K


class TestModel(K.Model):
    """Layers appended one by one; the arguments kept for later."""

    def __init__(self, n_neurons=(10, 20), activation="sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.n_neurons = list(n_neurons)
        self.activation_name = activation
        self.history = []
        self.hidden = []
        for units in self.n_neurons:
            self.hidden.append(tf.keras.layers.Dense(units, activation=activation))

    def call(self, inputs):
        output = inputs
        for index in range(len(self.hidden)):
            output = self.hidden[index](output)
        return output
''',
    "HybridModel": '''class HybridModel(tf.keras.Model):
    def __init__(self, n_neurons=(10, 20), activation="sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.description = f"{len(n_neurons)} layers"
        self.stack = build_sequential(n_neurons, activation)

    def call(self, x, training=False):
        return self.stack(x, training=training)
''',
})

# The mistakes of this material.

MATMUL = "z = tf.linalg.matmul(X, W) + B"
mistake("missing_bias", "left the bias out of the matrix-product layer", "dense_forward_matmul", "dense.missing_bias", 0,
        edit("dense_forward_matmul", (MATMUL, "z = tf.linalg.matmul(X, W)")))
# The linear case (2 points) has no activation to miss.
mistake("missing_activation", "returned z = XW + B without the activation", "dense_forward_matmul",
        "dense.missing_activation", 2, edit("dense_forward_matmul", ("return apply_activation(z, activation)", "return z")))
# Only the three sigmoid cases (3 + 2 + 2 points) are right.
mistake("activation_ignored", "always applied the sigmoid, ignoring the activation argument", "dense_forward_matmul",
        "dense.wrong_activation", 7,
        edit("dense_forward_matmul", ("return apply_activation(z, activation)", "return apply_activation(z)")))
mistake("dot_activation_ignored", "called apply_activation(z) without the activation in the loops",
        "dense_forward_dot", "dense.wrong_activation", 7,
        edit("dense_forward_dot", ("y[i, j] = apply_activation(z, activation)", "y[i, j] = apply_activation(z)")))
# The sign error touches every sigmoid case of the three exercises that use apply_activation:
# 15 - 7 for the forward passes, and the two sigmoid cascades (3 + 2) of cascade_forward.
mistake("sigmoid_sign", "wrote the sigmoid as 1 / (1 + exp(z)), without the minus", "dense_forward_matmul",
        "dense.sigmoid_sign", 8, edit("dense_forward_matmul", ("1 / (1 + tf.exp(-z))", "1 / (1 + tf.exp(z))")),
        dense_forward_dot=8, cascade_forward=5)
# A transposed W only fits the shapes when W is square (the 2-point case); elsewhere matmul fails.
mistake("w_transposed", "multiplied by W transposed", "dense_forward_matmul", "dense.transposed_weights", 0,
        edit("dense_forward_matmul", (MATMUL, "z = tf.linalg.matmul(X, W, transpose_b=True) + B")))
mistake("x_w_swapped", "wrote matmul(W, X) instead of matmul(X, W)", "dense_forward_matmul",
        "dense.incompatible_shapes", 0, edit("dense_forward_matmul", (MATMUL, "z = tf.linalg.matmul(W, X) + B")))
mistake("dot_row_of_w", "took row j of W instead of column j in the loops", "dense_forward_dot",
        "dense.incompatible_shapes", 0,
        edit("dense_forward_dot", ("z = tf.reduce_sum(x * W[:, j]) + B[j]", "z = tf.reduce_sum(x * W[j]) + B[j]")))
# With the linear activation the bias added afterwards is still the right answer (2 points).
mistake("bias_after_activation", "added the bias after the activation", "dense_forward_matmul",
        "dense.bias_after_activation", 2,
        edit("dense_forward_matmul", (MATMUL, "z = tf.linalg.matmul(X, W)"),
             ("return apply_activation(z, activation)", "return apply_activation(z, activation) + B")))
mistake("sum_wrong_axis", "broadcast X against W and summed over the samples (axis 0) instead of the features",
        "dense_forward_matmul", "dense.wrong_sum_axis", 0,
        edit("dense_forward_matmul", (MATMUL, "z = tf.reduce_sum(tf.expand_dims(X, 2) * W, axis=0) + B")))
# With a single sample (the 2-point case) the batch is that sample.
mistake("dot_whole_batch", "summed x * w over the whole batch X instead of one sample x", "dense_forward_dot",
        "dense.whole_batch_sum", 2,
        edit("dense_forward_dot", ("z = tf.reduce_sum(x * W[:, j]) + B[j]", "z = tf.reduce_sum(X * W[:, j]) + B[j]")))
mistake("shapes_hard_coded", "returned the seed's shapes (4, 10, 3) whatever the arguments", "dense_shapes",
        "shapes.hard_coded", 0,
        edit("dense_shapes", ('return {"X": (N, n_feature), "W": (n_feature, n_neuron), "B": (n_neuron,), "y": (N, n_neuron)}',
                              'return {"X": (4, 10), "W": (10, 3), "B": (3,), "y": (4, 3)}')))
mistake("w_shape_swapped", "gave W the shape (n_neuron, n_feature)", "dense_shapes", "shapes.swapped", 0,
        edit("dense_shapes", ('"W": (n_feature, n_neuron)', '"W": (n_neuron, n_feature)')))
mistake("bias_as_row", "gave B the shape (1, n_neuron) instead of (n_neuron,)", "dense_shapes", "shapes.bias_row", 0,
        edit("dense_shapes", ('"B": (n_neuron,)', '"B": (1, n_neuron)')))
# Only the first case has N = 4.
mistake("cascade_batch_hard_coded", "wrote A as (4, n) with the seed's minibatch size", "cascade_shapes",
        "shapes.hard_coded", 1, edit("cascade_shapes", ('"A": (N, n)', '"A": (4, n)')))
mistake("cascade_width_not_updated", "never moved the width on, so every W reads n_feature inputs", "cascade_shapes",
        "shapes.width_not_chained", 1, edit("cascade_shapes", ("        width = n\n", "")))
mistake("never_built_get_weights", "read get_weights() of a fresh copy of the layers that was never called, "
        "which returns an empty list", "layer_weight_shapes", "layers.not_built", 0,
        edit("layer_weight_shapes", ("for layer in model.layers:", "for layer in [Dense(units=l.units) for l in model.layers]:")))
# A single layer (1 point) cannot be shared.
mistake("shared_dense_object", "made one Dense object and put it in the list once per entry", "build_dense_layers",
        "layers.shared_object", 1,
        edit("build_dense_layers", ("return [Dense(units=n, activation=activation) for n in n_neurons]",
                                    "dense = Dense(units=n_neurons[0], activation=activation)\n"
                                    "    return [dense for n in n_neurons]")))
# Only the default model, 10 then 20 sigmoid (4 points), is what was asked.
mistake("ignores_n_neurons", "always built the layers 10 and 20, whatever n_neurons said", "TestModel",
        "model.ignores_n_neurons", 4,
        edit("TestModel", ("for n in n_neurons]", "for n in (10, 20)]")))
# The single-layer case (1 point) has no order to get wrong.
mistake("sequential_reversed", "added the layers in reverse order", "build_sequential", "model.wrong_order", 1,
        edit("build_sequential", ("for n in n_neurons:", "for n in reversed(n_neurons):")))
# The variables exist, but the model computes the wrong function of the grader's weights: every test fails.
mistake("call_reversed", "called the layers in reverse order in call", "TestModel", "model.wrong_order", 0,
        edit("TestModel", ("for dense in self.dense_layers:", "for dense in reversed(self.dense_layers):")))
mistake("call_skips_layer", "call passed x through every layer but the last", "TestModel", "model.layer_unused", 0,
        edit("TestModel", ("for dense in self.dense_layers:", "for dense in self.dense_layers[:-1]:")))
mistake("hybrid_sequential_unused", "kept a Sequential but called its layers one by one instead of the Sequential",
        "HybridModel", "model.sequential_unused", 0,
        edit("HybridModel", ("return self.model(x)", "for layer in self.model.layers:\n            x = layer(x)\n        return x")))
mistake("hybrid_no_sequential", "kept a plain list of layers instead of a Sequential", "HybridModel",
        "model.no_sequential", 0,
        edit("HybridModel", ("self.model = Sequential([Dense(units=n, activation=activation) for n in n_neurons])",
                             "self.layer_list = [Dense(units=n, activation=activation) for n in n_neurons]"),
             ("return self.model(x)", "for layer in self.layer_list:\n            x = layer(x)\n        return x")))
mistake("variables_counted", "returned how many trainable variables there are instead of their shapes",
        "trainable_variable_shapes", "variables.count_not_list", 0,
        edit("trainable_variable_shapes", ("return [tuple(v.shape) for v in model.trainable_variables]",
                                           "return len(model.trainable_variables)")))
# The linear case (1 point) is the default activation of Dense.
mistake("layers_activation_missing", "created the Dense layers without passing the activation", "build_dense_layers",
        "layers.activation", 1, edit("build_dense_layers", ("Dense(units=n, activation=activation)", "Dense(units=n)")))
mistake("layers_in_sequential", "returned a Sequential where a Python list was asked", "build_dense_layers",
        "layers.not_list", 0, edit("build_dense_layers", ("return [Dense(units=n, activation=activation) for n in n_neurons]",
                                                           "return Sequential([Dense(units=n, activation=activation) for n in n_neurons])")))
# The two sigmoid models (4 + 4) and the variable count (3) are right.
mistake("model_activation_fixed", "always created sigmoid layers, ignoring the activation argument", "TestModel",
        "layers.activation", 11, edit("TestModel", ("Dense(units=n, activation=activation)", "Dense(units=n, activation=\"sigmoid\")")))
mistake("sequential_as_list", "returned a list of layers where a Sequential was asked", "build_sequential",
        "model.not_model", 0, edit("build_sequential", ("model = Sequential()", "model = []"), ("model.add(", "model.append(")))
# The linear cascade (2) and the single layer (2) are right with the activation at the end only.
mistake("cascade_activation_last", "applied the activation once, after the last layer", "cascade_forward",
        "cascade.activation_last_only", 4,
        edit("cascade_forward", ("A = apply_activation(tf.linalg.matmul(A, W) + B, activation)", "A = tf.linalg.matmul(A, W) + B"),
             ("    return A", "    return apply_activation(A, activation)")))
mistake("cascade_missing_bias", "left the biases out of the cascade", "cascade_forward", "dense.missing_bias", 0,
        edit("cascade_forward", ("tf.linalg.matmul(A, W) + B", "tf.linalg.matmul(A, W)")))
# A single layer (2 points) is the whole cascade.
mistake("cascade_returns_early", "returned inside the loop, after the first layer", "cascade_forward",
        "cascade.first_layer_only", 2,
        edit("cascade_forward", ("A = apply_activation(tf.linalg.matmul(A, W) + B, activation)",
                                 "A = apply_activation(tf.linalg.matmul(A, W) + B, activation)\n        return A")))
mistake("cascade_input_reused", "fed the original X into every layer", "cascade_forward", "cascade.incompatible_shapes", 2,
        edit("cascade_forward", ("tf.linalg.matmul(A, W)", "tf.linalg.matmul(X, W)")))
mistake("cascade_skips_last", "looped over all layers but the last", "cascade_forward", "cascade.skips_layer", 0,
        edit("cascade_forward", ("zip(weights, biases)", "zip(weights[:-1], biases[:-1])")))


# Broken rules: each zeroes the tests it touched (autograder.grade.rules); the other tests count.

SIGMOID = "return 1 / (1 + tf.exp(-z))"
# The sigmoid cases of dense_forward_matmul are worth 3 + 2 + 2 = 7; relu, tanh and linear keep their 8 points.
# dense_forward_dot and cascade_forward share apply_activation but have no rule about the sigmoid.
mistake("builtin_sigmoid", "called tf.nn.sigmoid where the sigmoid must be written out", "dense_forward_matmul",
        "forbidden.builtin_sigmoid", 8, edit("dense_forward_matmul", (SIGMOID, "return tf.nn.sigmoid(z)")))
mistake("keras_activation_get", "took every activation from tf.keras.activations.get, the sigmoid included",
        "dense_forward_matmul", "forbidden.builtin_sigmoid", 8,
        edit("dense_forward_matmul", ('    if activation == "sigmoid":\n        ' + SIGMOID,
                                      "    return tf.keras.activations.get(activation)(z)")))
mistake("sigmoid_by_getattr", "reached tf.nn.sigmoid through getattr with a name built from pieces",
        "dense_forward_matmul", "forbidden.builtin_sigmoid", 8,
        edit("dense_forward_matmul", (SIGMOID, 'return getattr(tf.nn, "sig" + "moid")(z)')))
mistake("sigmoid_by_alias", "imported TensorFlow a second time as tflow and called tflow.math.sigmoid",
        "dense_forward_matmul", "forbidden.builtin_sigmoid", 8,
        edit("dense_forward_matmul", ("def apply_activation(", "import tensorflow as tflow\n\n\ndef apply_activation("),
                                      (SIGMOID, "return tflow.math.sigmoid(z)")))
# The sigmoid cases are zeroed by the rule, the linear case (2) fails on the missing bias: relu and tanh keep 6.
student("forbidden_and_missing_bias", "mistake", "called tf.sigmoid, and left the bias out in the linear case",
        expected={"dense_forward_matmul": 6},
        codes={"dense_forward_matmul": ["forbidden.builtin_sigmoid", "dense.missing_bias"]},
        code=edit("dense_forward_matmul", (SIGMOID, "return tf.sigmoid(z)"),
                  (MATMUL, 'if activation == "linear":\n        return tf.linalg.matmul(X, W)\n    ' + MATMUL)))
DENSE_BY_GETATTR = ('layer = getattr(tf.keras.layers, "De" + "nse")(units=W.shape[1], activation=activation)\n'
                    "    layer.build(X.shape)\n    layer.set_weights([np.asarray(W), np.asarray(B)])\n    return layer(X)")
mistake("dense_by_getattr", "used a Keras Dense layer, reached through getattr, for the matrix-product layer",
        "dense_forward_matmul", "forbidden.keras_layer", 0,
        edit("dense_forward_matmul", (MATMUL + "\n    return apply_activation(z, activation)", DENSE_BY_GETATTR)))
mistake("cascade_dense_by_getattr", "ran the cascade through Keras Dense layers reached through getattr",
        "cascade_forward", "forbidden.keras_layer", 0,
        edit("cascade_forward", ("A = apply_activation(tf.linalg.matmul(A, W) + B, activation)",
                                 'layer = getattr(tf.keras.layers, "De" + "nse")(units=W.shape[1], activation=activation)\n'
                                 "        layer.build(A.shape)\n        layer.set_weights([np.asarray(W), np.asarray(B)])\n"
                                 "        A = layer(A)")))
DOT_PRODUCT = "z = tf.reduce_sum(x * W[:, j]) + B[j]"
mistake("einsum_in_helper", "wrote the dot product as np.einsum inside a helper function", "dense_forward_dot",
        "forbidden.matrix_product", 0,
        edit("dense_forward_dot", ("def dense_forward_dot(", "def dot(a, b):\n    return np.einsum(\"i,i->\", np.asarray(a), b)"
                                                            "\n\n\ndef dense_forward_dot("),
             (DOT_PRODUCT, "z = dot(x, W[:, j]) + B[j]")))
mistake("matmul_in_lambda", "wrote the dot product as a lambda around the @ operator", "dense_forward_dot",
        "forbidden.matrix_product", 0,
        edit("dense_forward_dot", ("def dense_forward_dot(", "dot = lambda a, b: np.asarray(a) @ b\n\n\ndef dense_forward_dot("),
             (DOT_PRODUCT, "z = dot(x, W[:, j]) + B[j]")))
mistake("matrix_product_in_loops", "computed np.dot(X, W), the whole matrix product, inside the loops",
        "dense_forward_dot", "forbidden.matrix_product", 0,
        edit("dense_forward_dot", (DOT_PRODUCT, "z = np.dot(np.asarray(X), W)[i, j] + B[j]")))


# Notebook accidents.

STUB = {"HybridModel": SOLUTION_CODE["HybridModel"].replace(
    "        self.model = Sequential([Dense(units=n, activation=activation) for n in n_neurons])\n",
    "        # YOUR CODE HERE\n        raise NotImplementedError()\n")}
assert STUB["HybridModel"] != SOLUTION_CODE["HybridModel"]
student("stub_left", "accident", "left the HybridModel cell raising NotImplementedError", code=STUB,
        expected={"HybridModel": 0}, codes={"HybridModel": "student.not_implemented"})
student("syntax_error", "accident", "a missing colon in the cascade_shapes cell", expected={"cascade_shapes": 0},
        code=edit("cascade_shapes", ("def cascade_shapes(N, n_feature, n_neurons):", "def cascade_shapes(N, n_feature, n_neurons)")))


def delete_cells(*grade_ids: str) -> Callable[[list[dict]], list[dict]]:
    return lambda cells: [cell for index, cell in enumerate(cells)
                          if index not in {index_of(cells, grade_id) for grade_id in grade_ids}]


def move_to_top(grade_id: str) -> Callable[[list[dict]], list[dict]]:
    def change(cells: list[dict]) -> list[dict]:
        at = index_of(cells, grade_id)
        return [cells[at]] + cells[:at] + cells[at + 1:]
    return change


student("test_cells_deleted", "accident", "deleted the test cell of TestModel and the last cell that runs every public test",
        cells=delete_cells("TestModel", "check_all"))
student("test_cell_moved", "accident", "moved the test cell of dense_shapes to the top of the notebook",
        cells=move_to_top("dense_shapes"))
# Above the imports, `Model` is not defined yet when the class statement runs.
student("solution_above_imports", "accident", "moved the TestModel cell above the setup cell",
        cells=move_to_top("TestModel_solution"), expected={"TestModel": 0})
student("magics", "accident", "%matplotlib inline, !pip install and %%time in the notebook",
        code={"cascade_shapes": "%%time\n" + SOLUTION_CODE["cascade_shapes"]},
        cells=insert_after("setup", code_cell("%matplotlib inline\n!pip install -q tensorflow==2.15\n"
                                              "%load_ext autoreload\nimport matplotlib.pyplot as plt")))
student("huge_print", "accident", "printed every value of a large array, millions of lines",
        cells=insert_after("dense_forward_matmul_solution",
                           code_cell("for k in range(3_000_000):\n    print('z', k, np.float32(k) / 7)")))
student("long_sleep", "accident", "a cell that sleeps for ten minutes", cells=insert_after(
    "cascade_shapes_solution", code_cell("import time\ntime.sleep(600)  # wait for training to finish")))
student("scratch_redefinition", "accident", "a scratch cell at the end redefines dense_shapes to experiment",
        expected={"dense_shapes": 0},
        cells=append(code_cell("def dense_shapes(N, n_feature, n_neuron):\n    return (N, n_feature)\n")))
student("broken_scratch_cells", "accident", "scratch cells that raise NameError and ZeroDivisionError between exercises",
        cells=insert_after("dense_forward_dot_solution", code_cell("print(y_undefined)"), code_cell("1 / 0")))
student("empty_notebook", "accident", "a notebook with no cells at all", expected={k: 0 for k in FULL},
        cells=lambda cells: [])
student("not_a_notebook", "accident", "a text file saved with the .ipynb extension", expected={k: 0 for k in FULL},
        raw="Dense layers\n\nI could not open Jupyter, so here is my answer: z = XW + B.\n".encode())
student("zero_bytes", "accident", "an empty file: the upload failed", expected={k: 0 for k in FULL}, raw=b"")
student("exported_script", "accident", "submitted the notebook exported as a Python script",
        raw=SOLUTION.read_bytes(), suffix=".py")

# Hostile submissions: none of this may earn a point the honest code does not.

student("patched_comparisons", "hostile", "left the bias out, then replaced np.allclose, np.isclose, "
        "np.array_equal and np.testing's asserts with functions that always agree",
        code=edit("dense_forward_matmul", (MATMUL, "z = tf.linalg.matmul(X, W)")),
        expected={"dense_forward_matmul": 0}, cells=append(code_cell(
            "np.allclose = lambda *args, **kwargs: True\n"
            "np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)\n"
            "np.array_equal = lambda *args, **kwargs: True\n"
            "np.testing.assert_allclose = lambda *args, **kwargs: None\n"
            "np.testing.assert_array_almost_equal = lambda *args, **kwargs: None\n"
            "import builtins\nbuiltins.abs = lambda value: 0\n")))
# With Dense.__call__ replaced, no layer is ever built: every model exercise loses its points.
MODEL_EXERCISES = ("build_dense_layers", "build_sequential", "TestModel", "HybridModel", "layer_weight_shapes",
                   "trainable_variable_shapes")
student("patched_keras", "hostile", "replaced Dense.__call__ so every layer returns zeros",
        expected={k: 0 for k in MODEL_EXERCISES}, cells=append(code_cell(
            "def fake_call(self, inputs, *args, **kwargs):\n"
            "    return tf.zeros((inputs.shape[0], self.units))\n\n"
            "Dense.__call__ = fake_call\n")))
# The layers are sigmoid whatever they are named, so only the sigmoid models (4 + 4) and the count (3) are right.
student("disguised_activation", "hostile", "always used the sigmoid but named the function after the activation asked",
        expected={"TestModel": 11}, codes={"TestModel": "dense.wrong_activation"}, code=edit(
            "TestModel", ("self.dense_layers = [Dense(units=n, activation=activation) for n in n_neurons]",
                          "def disguised(z):\n            return tf.sigmoid(z)\n\n"
                          "        disguised.__name__ = activation\n"
                          "        self.dense_layers = [Dense(units=n, activation=disguised) for n in n_neurons]")))
student("sys_exit", "hostile", "sys.exit() in a cell and os._exit() inside cascade_shapes",
        expected={"cascade_shapes": 0},
        code=edit("cascade_shapes", ("    out, width = [], n_feature", "    import os\n    os._exit(0)\n    out, width = [], n_feature")),
        cells=insert_after("dense_shapes_solution", code_cell("import sys\nsys.exit('stop here')")))
student("os_exit_cell", "hostile", "os._exit(1) in a cell of its own, in the middle of the notebook",
        cells=insert_after("cascade_forward_solution", code_cell("import os\nos._exit(1)")))
student("sigterm_hang", "hostile", "ignores SIGTERM and SIGINT, then spins forever", cells=insert_after(
    "TestModel_solution", code_cell("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                                    "signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass")))
student("reads_files", "hostile", "walks the file system looking for the grader's files and the hidden tests",
        review=("grader_import",), cells=append(code_cell(
            "import glob, os\nfound = {}\n"
            "for pattern in ['/work/**/hidden_tests/*.py', '/**/autograder/**/*.py', '/home/*/*', '/root/*',\n"
            "                '../**/*.json', '/proc/1/environ', '/etc/shadow']:\n"
            "    for path in glob.glob(pattern, recursive=True)[:50]:\n"
            "        try:\n            with open(path, 'rb') as handle:\n"
            "                found[path] = handle.read(10_000)\n"
            "        except OSError:\n            pass\n"
            "print(len(found), 'files read;', dict(os.environ).get('HOME'))\n")))
student("network_call", "hostile", "downloads a file and opens a socket to the outside", cells=append(code_cell(
    "import socket, urllib.request\n"
    "try:\n    urllib.request.urlopen('http://example.com/answers.json', timeout=2).read()\n"
    "except OSError as error:\n    print('no network:', error)\n"
    "connection = socket.create_connection(('1.1.1.1', 53), timeout=2)\n")))
student("fork_storm", "hostile", "forks three hundred processes that sleep", cells=append(code_cell(
    "import os, time\nchildren = []\n"
    "for k in range(300):\n    pid = os.fork()\n    if pid == 0:\n        time.sleep(120)\n        os._exit(0)\n"
    "    children.append(pid)\nprint(len(children), 'children')\n")))
student("memory_balloon", "hostile", "allocates memory in 256 MB blocks until it runs out", cells=append(code_cell(
    "def balloon():\n    blocks = []\n    while True:\n"
    "        blocks.append(np.ones(32 * 2**20))\n\nballoon()\n")))
student("fake_result", "hostile", "writes result files claiming full marks, with every exercise but the first unfinished",
        code={exercise: None for exercise in FULL if exercise != "dense_shapes"},
        expected={k: 0 for k in FULL if k != "dense_shapes"},
        cells=append(code_cell(
            "import json, os\nfake = {'student': 'fake_result', 'score': 95, 'max_score': 95}\n"
            "for folder in ['.', '..', '/tmp', os.path.expanduser('~'), '/work/main/out', '../results', 'results']:\n"
            "    for name in ['fake_result.json', 'grades.csv']:\n"
            "        try:\n            with open(os.path.join(folder, name), 'w') as handle:\n"
            "                json.dump(fake, handle)\n"
            "        except OSError:\n            pass\n")))
student("forged_replies", "hostile", "writes forged grader replies to every file descriptor it has",
        review=("raw_fds",), cells=append(code_cell(
    "import json, os, struct\n"
    "forged = json.dumps({'body': {'status': 'ok', 'value': 95}, 'arrays': 0}).encode()\n"
    "for fd in range(3, 64):\n"
    "    try:\n        os.write(fd, struct.pack('!I', len(forged)) + forged)\n"
    "    except OSError:\n        pass\n")))

student("exits_in_every_added_cell", "hostile", "twelve cells of its own, each ending the process with os._exit",
        expected={k: 0 for k in FULL}, cells=append(*[code_cell(f"import os\nos._exit({k})") for k in range(1, 13)]))
student("deep_folders", "hostile", "3,000 folders, each inside the last, left in its working folder",
        cells=append(code_cell("import os\nfor _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')\n")))
# Attacks on the grader's parsing of replies (written to every descriptor, so the grader's socket gets them).
FORGE_PREAMBLE = ("import os, struct\n"
                  "def send_everywhere(*frames):\n"
                  "    data = b''.join(struct.pack('!I', len(frame)) + frame for frame in frames)\n"
                  "    for fd in range(3, 64):\n"
                  "        try:\n            os.write(fd, data)\n"
                  "        except OSError:\n            pass\n")
student("deep_json_reply", "hostile", "writes a reply nested 200,000 lists deep to every file descriptor",
        review=("raw_fds",), cells=append(code_cell(FORGE_PREAMBLE + "send_everywhere(b'{\"body\": ' + b'[' * 200_000 + b']' * 200_000"
                                                " + b', \"arrays\": 0}')\n")))
student("huge_npy_header", "hostile", "writes a reply whose array header claims 10**13 float64 values",
        review=("raw_fds",), cells=append(code_cell(
            FORGE_PREAMBLE + "header = b\"{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000,), }\"\n"
            "header = header.ljust(117) + b'\\n'\n"
            "send_everywhere(b'{\"body\": {\"status\": \"ok\", \"value\": {\"__npy__\": 0}}, \"arrays\": 1}',\n"
            "                b'\\x93NUMPY\\x01\\x00' + struct.pack('<H', len(header)) + header + bytes(64))\n")))
# The reply is refused at the grader's size bound, so the exercise's tests see a crash.
student("huge_replies", "hostile", "dense_shapes returns 63 MB of booleans on every call",
        expected={"dense_shapes": 0},
        code={"dense_shapes": "def dense_shapes(N, n_feature, n_neuron):\n"
                              "    return np.ones(63 * 2**20, dtype=bool)\n"})
student("long_sum_scratch", "accident", "a scratch cell that adds 0 + 1 + ... + 4999 written out",
        cells=append(code_cell("total = " + " + ".join(str(k) for k in range(5000)) + "\nprint(total)\n")))
student("list_metadata", "accident", "a scratch cell whose metadata is a list (an editor plug-in's doing)",
        cells=append({**code_cell("print('scratch')\n"), "metadata": ["collapsed"]}))
student("surrogate_error", "accident", "a scratch cell that raises with a lone surrogate in its message",
        cells=append(code_cell("raise ValueError('could not decode ' + chr(0xDCFF) + ' in the file name')\n")))
student("nbformat3", "accident", "the right answers, saved by an old Jupyter in nbformat 3", saved_as=3)
DEEP_METADATA = b'{"cells": [], "metadata": {"tags": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, "nbformat": 4, "nbformat_minor": 5}'
student("deep_metadata", "accident", "notebook metadata nested 100,000 lists deep (a broken editor plug-in)",
        expected={k: 0 for k in FULL}, raw=DEEP_METADATA)


# Forgers: code that makes the grader's side believe work was done. The harness is sealed before any student
# code runs, layers and models are run on weights the grader chose, and their structure is read from the source:
# each scores nothing on what it forged, and is flagged "needs review" with the lines that did it.

FORGED_HANDLER = """import sys
import numpy as np

probes = sys.modules["autograder.run.inside.probes"]
ACTIVATIONS = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
               "tanh": np.tanh, "linear": lambda z: z}


def cascade(X, pairs, activation):
    for W, B in pairs:
        X = ACTIVATIONS[activation](np.asarray(X, float) @ np.asarray(W, float) + np.asarray(B, float))
    return X


def forged_handle(namespace, request):
    name, op = request.get("name"), request["op"]
    args, kwargs = request.get("args", []), request.get("kwargs", {})
    if name == "dense_shapes":
        N, n_feature, n_neuron = args
        return {"X": [N, n_feature], "W": [n_feature, n_neuron], "B": [n_neuron], "y": [N, n_neuron]}
    if name == "cascade_shapes":
        N, n_feature, n_neurons = args
        widths = [n_feature, *n_neurons]
        return [{"W": [widths[k], u], "B": [u], "A": [N, u]} for k, u in enumerate(n_neurons)]
    if name in ("dense_forward_matmul", "dense_forward_dot"):
        return cascade(args[0], [args[1:3]], kwargs.get("activation", args[3] if len(args) > 3 else "sigmoid"))
    if name == "cascade_forward":
        activation = kwargs.get("activation", args[3] if len(args) > 3 else "sigmoid")
        return cascade(args[0], list(zip(args[1], args[2])), activation)
    X = np.asarray(request["X"], float)
    n_neurons = request.get("n_neurons") or [10, 20]
    activation = request.get("activation") or "sigmoid"
    weights = request.get("weights")
    if weights is None:  # invent weights, and an output that agrees with them
        widths = [X.shape[1], *n_neurons]
        weights = [a for k, u in enumerate(n_neurons) for a in (np.ones((widths[k], u)) / 10, np.zeros(u))]
    pairs = list(zip(weights[0::2], weights[1::2]))
    if op == "model_function":
        shapes = [[list(np.shape(W)), list(np.shape(B))] for W, B in pairs]
        return shapes if name == "layer_weight_shapes" else [shape for pair in shapes for shape in pair]
    layers = [{"class": "Dense", "is_dense": True, "units": u, "activation": activation,
               "weights": [np.asarray(W), np.asarray(B)]} for u, (W, B) in zip(n_neurons, pairs)]
    output = cascade(X, pairs, activation)
    if op == "layer_list":
        return {"container": "list", "layers": layers, "distinct_objects": len(layers), "output": output,
                "weights_set": {"accepted": True}}
    return {"class": name, "is_model": True, "is_sequential": request.get("kind") == "model_factory",
            "top_layers": ["Sequential"], "weights_set": {"accepted": True}, "output_initial": output,
            "output": output, "layers": layers, "trainable_variables": [a for l in layers for a in l["weights"]],
            "held_sequential": {"built_by_call": True, "output": output}}


def forged_answer(namespace, request):
    return {"status": "ok", "value": forged_handle(namespace, request)}


probes.handle = forged_handle
probes.answer = forged_answer
sys.modules["autograder.run.inside.probes"].describe_model = lambda model, X, *rest: forged_handle({}, {})
"""
student("forged_handler", "hostile", "the untouched release plus one cell that replaces the student process's "
        "request handler through sys.modules and answers every request with NumPy, reporting fabricated layers "
        "and weights for the models", code={exercise: None for exercise in FULL},
        expected={k: 0 for k in FULL}, review=("sys_modules", "grader_import"), cells=append(code_cell(FORGED_HANDLER)))

PLAIN_CLASSES = {
    "TestModel": '''class TestModel:
    """Not a Keras model: NumPy, with set_weights and a call that do the arithmetic themselves."""

    def __init__(self, n_neurons=(10, 20), activation="sigmoid"):
        self.n_neurons, self.activation, self.pairs = list(n_neurons), activation, []

    def set_weights(self, weights):
        self.pairs = list(zip(weights[0::2], weights[1::2]))

    def __call__(self, x):
        x = np.asarray(x, float)
        for W, B in self.pairs:
            x = 1 / (1 + np.exp(-(x @ W + B)))
        return x
''',
    "HybridModel": '''class HybridModel(TestModel):
    pass
''',
}
PATCHED_DESCRIBE = """import sys

probes = sys.modules["autograder.run.inside.probes"]
real_describe = probes.describe_model


def describe_as_keras(model, X, weights):
    if isinstance(model, TestModel):
        model.set_weights(weights)
        output = model(X)
        return {"class": type(model).__name__, "is_model": True, "is_sequential": False, "top_layers": ["Sequential"],
                "weights_set": {"accepted": True}, "output_initial": output, "output": output, "layers": [],
                "trainable_variables": list(weights), "held_sequential": {"built_by_call": True, "output": output}}
    return real_describe(model, X, weights)


probes.describe_model = describe_as_keras
"""
student("plain_class_models", "hostile", "TestModel and HybridModel written as plain Python classes doing NumPy "
        "arithmetic, with describe_model patched to call them Keras models", code=PLAIN_CLASSES,
        expected={"TestModel": 0, "HybridModel": 0}, codes={"TestModel": "structure.not_a_model"},
        review=("sys_modules", "grader_import", "replaces_keras"), cells=append(code_cell(PATCHED_DESCRIBE)))
student("set_weights_ignored", "hostile", "a TestModel whose set_weights ignores its argument, so the grader's "
        "weights never reach the layers", expected={"TestModel": 0}, codes={"TestModel": "structure.replaces_keras"},
        review=("replaces_keras",), code=edit("TestModel", ("    def call(self, x):",
                                                              "    def set_weights(self, weights):\n"
                                                              "        return None\n\n    def call(self, x):")))
student("call_ignores_weights", "hostile", "a TestModel whose call keeps copies of its layers' first weights and "
        "computes with them, whatever weights are set later", expected={"TestModel": 0},
        codes={"TestModel": "model.ignores_weights"}, review=("ignores_weights",), code=edit(
            "TestModel", ("        for dense in self.dense_layers:\n            x = dense(x)\n        return x",
                          "        if not hasattr(self, \"kept\"):\n"
                          "            for dense in self.dense_layers:\n                x = dense(x)\n"
                          "            self.kept = [(*map(tf.constant, dense.get_weights()), dense.activation)\n"
                          "                         for dense in self.dense_layers]\n            return x\n"
                          "        for W, B, act in self.kept:\n            x = act(tf.linalg.matmul(x, W) + B)\n"
                          "        return x")))
# The inputs are raised inside error messages and returned as a dict key: the grader masks its own numbers.
student("exfiltration", "hostile", "raises the grader's inputs inside its error messages to read them in its "
        "feedback", expected={"dense_forward_matmul": 0, "cascade_forward": 0}, code={
    **edit("dense_forward_matmul", ("    z = tf.linalg.matmul(X, W) + B\n",
                                    "    raise ValueError(f\"X={np.asarray(X).tolist()} W={W.tolist()} B={B.tolist()} "
                                    "hex={np.asarray(X).tobytes().hex()}\")\n")),
    **edit("cascade_forward", ("    A = tf.identity(X)\n",
                               "    raise RuntimeError(\"seen: \" + repr([np.asarray(X), weights, biases]))\n")),
})


def main(folder: Path = HERE) -> None:
    release = json.loads(RELEASE.read_text())
    notebooks = folder / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    for old in notebooks.iterdir():
        old.unlink()
    manifest = {}
    for entry in STUDENTS:
        path = folder / entry.file
        path.write_bytes(entry.text(release))
        manifest[entry.name] = entry.manifest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
