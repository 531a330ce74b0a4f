"""No grade without the work: structure read from the source, tampering flagged, inputs of each submission its own.

The corpus (tests/test_corpus.py) grades the forging notebooks and the honest variants in the
sandboxed batch; these tests pin each rule down on small examples, and check through the batch
grader what the corpus cannot: inputs that differ by submission and stay the same for one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from autograder.checks.cases import dense_case, submission_inputs
from grading import AUTOMATIC, BY_ID, DENSE
from autograder.grade.hidden import collect, mask_student_text
from autograder.grade.secret import content_key, course_secret, submission_key
from autograder.grade.structure import check_structure
from autograder.grade.tampering import source_flags
from grading import ROOT, grade, variant, write_submissions

SETUP = ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.layers import Dense\n"
         "from tensorflow.keras.models import Sequential, Model\n")


def structure_code(exercise_id: str, source: str) -> str | None:
    failure = check_structure(BY_ID[exercise_id], [SETUP, source])
    return failure.code if failure else None


HONEST_MODELS = {
    "list comprehension": "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
                          "        super().__init__()\n        self.layers_ = [Dense(n, activation=activation) for n in n_neurons]\n"
                          "    def call(self, x):\n        for layer in self.layers_:\n            x = layer(x)\n        return x\n",
    "a for loop, **kwargs, extra attributes": (
        "class TestModel(tf.keras.Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid', **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.sizes = list(n_neurons)\n        self.notes = 'mine'\n"
        "        self.hidden = []\n        for n in n_neurons:\n"
        "            self.hidden.append(tf.keras.layers.Dense(n, activation=activation))\n"
        "    def call(self, inputs):\n        out = inputs\n        for k in range(len(self.hidden)):\n"
        "            out = self.hidden[k](out)\n        return out\n"),
    "aliases and a base class of the notebook": (
        "import keras as ks\nfrom keras import layers as L\nBase = ks.Model\n\n"
        "class Common(Base):\n    pass\n\n"
        "class TestModel(Common):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
        "        super().__init__()\n        self.make(n_neurons, activation)\n"
        "    def make(self, n_neurons, activation):\n        self.stack = [L.Dense(n, activation=activation) for n in n_neurons]\n"
        "    def call(self, x):\n        return functools.reduce(lambda h, layer: layer(h), self.stack, x)\n"),
    "layers from a function of the notebook": (
        "def build_dense_layers(n_neurons, activation='sigmoid'):\n    return [Dense(units=n, activation=activation) for n in n_neurons]\n\n"
        "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
        "        super().__init__()\n        self.dense_layers = build_dense_layers(n_neurons, activation)\n"
        "    def call(self, x):\n        for dense in self.dense_layers:\n            x = dense(x)\n        return x\n"),
}


@pytest.mark.parametrize("how", sorted(HONEST_MODELS))
def test_honest_models_have_the_structure(how):
    assert structure_code("TestModel", HONEST_MODELS[how]) is None


def test_honest_hybrid_models_have_the_structure():
    assert structure_code("HybridModel", variant()) is None
    reused = ("def build_sequential(n_neurons, activation='sigmoid'):\n    model = Sequential()\n"
              "    for n in n_neurons:\n        model.add(Dense(n, activation=activation))\n    return model\n\n"
              "class HybridModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid', **kwargs):\n"
              "        super().__init__(**kwargs)\n        inner = build_sequential(n_neurons, activation)\n"
              "        self.inner = inner\n    def call(self, x, training=False):\n        return self.inner(x, training=training)\n")
    assert structure_code("HybridModel", reused) is None


WRONG_STRUCTURES = [
    ("TestModel", "a plain class", "class TestModel:\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        self.d = [Dense(n) for n in n_neurons]\n    def __call__(self, x):\n        return x\n", "structure.not_a_model"),
    ("TestModel", "set_weights replaced", "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        self.d = [Dense(n) for n in n_neurons]\n    def set_weights(self, w):\n        pass\n"
     "    def call(self, x):\n        for d in self.d:\n            x = d(x)\n        return x\n", "structure.replaces_keras"),
    ("TestModel", "no Dense layers", "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        self.w = [tf.Variable(tf.zeros((1, n))) for n in n_neurons]\n"
     "    def call(self, x):\n        return tf.matmul(x, self.w[0])\n", "structure.no_dense"),
    ("TestModel", "a call that runs nothing the model holds",
     "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        self.d = [Dense(n) for n in n_neurons]\n"
     "    def call(self, x):\n        return tf.sigmoid(tf.matmul(x, tf.ones((x.shape[1], 20))))\n", "structure.call_runs_nothing"),
    ("TestModel", "made by a function", "TestModel = type('TestModel', (Model,), {})\n", "structure.not_a_class"),
    ("TestModel", "the release's stub", "class TestModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        raise NotImplementedError()\n    def call(self, x):\n        raise NotImplementedError()\n",
     "student.not_implemented"),
    ("HybridModel", "no Sequential", "class HybridModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        self.d = [Dense(n) for n in n_neurons]\n"
     "    def call(self, x):\n        for d in self.d:\n            x = d(x)\n        return x\n", "model.no_sequential"),
    ("HybridModel", "a Sequential never called", "class HybridModel(Model):\n    def __init__(self, n_neurons=(10, 20), activation='sigmoid'):\n"
     "        super().__init__()\n        self.model = Sequential([Dense(n) for n in n_neurons])\n"
     "    def call(self, x):\n        for layer in self.model.layers:\n            x = layer(x)\n        return x\n",
     "model.sequential_unused"),
    ("dense_shapes", "the release's stub", "def dense_shapes(N, n_feature, n_neuron):\n    raise NotImplementedError()\n",
     "student.not_implemented"),
]


@pytest.mark.parametrize("exercise_id, how, source, code", WRONG_STRUCTURES, ids=[w[1] for w in WRONG_STRUCTURES])
def test_a_wrong_structure_is_read_from_the_source(exercise_id, how, source, code):
    assert structure_code(exercise_id, source) == code


TAMPERING = [
    ("sys_modules", "import sys\nsys.modules['autograder.run.inside.probes'].handle = None\n"),
    ("grader_import", "from autograder.run.inside import probes\n"),
    ("computed_import", "import importlib\nm = importlib.import_module('sy' + 's')\n"),
    ("computed_import", "m = __import__(''.join(['s', 'y', 's']))\n"),
    ("built_code", "code = 'x' + ' = 1'\nexec(code)\n"),
    ("built_code", "import base64\neval(base64.b64decode(b'MSsx').decode())\n"),
    ("ctypes", "import ctypes\n"),
    ("gc_objects", "import gc\nfound = [o for o in gc.get_objects() if callable(o)]\n"),
    ("frames", "import sys\nframe = sys._getframe(1)\n"),
    ("frames", "import inspect\nouter = inspect.stack()[1].frame.f_back\n"),
    ("frames", "f = lambda: 0\nglobals_of = f.__globals__\n"),
    ("raw_fds", "import os\nos.write(3, b'forged')\n"),
    ("raw_fds", "import socket\ns = socket.socket(fileno=3)\n"),
    ("raw_fds", "import os\nfds = os.listdir('/proc/self/fd')\n"),
    ("sys_modules", "%%writefile helper.py\nimport sys\nprobes = sys.modules\n"),
]


@pytest.mark.parametrize("reason, source", TAMPERING, ids=[f"{r}: {s.splitlines()[-1]}" for r, s in TAMPERING])
def test_tampering_is_flagged_with_its_line(reason, source):
    flags = source_flags(["print('hello')\n", source])
    assert reason in {flag.reason for flag in flags}
    flag = next(flag for flag in flags if flag.reason == reason)
    assert flag.cell == 1 and flag.text == source.splitlines()[flag.line - 1].strip()


def test_honest_code_is_not_flagged():
    honest = [SETUP, variant(), "exec('x = 1')\nimport importlib\nimportlib.import_module('math')\n",
              "import os\nprint(os.getcwd(), os.environ.get('HOME'))\nwith open('notes.txt', 'w') as f:\n    f.write('z')\n",
              *HONEST_MODELS.values()]
    assert source_flags(honest) == []


def test_test_ids_name_the_case_not_its_numbers():
    for exercise in AUTOMATIC:
        for test in collect(DENSE, exercise):
            case = test.id.partition("[")[2]
            assert not re.search(r"\d", case), test.id


def test_student_text_is_masked_but_shapes_and_lines_survive():
    text = "ValueError: X=[[0.4918, -1.25e-03]] hex=3f7ae1483f7ae1483f7ae148 big=1234567 (in cell 5, line 3) shape (4, 10)"
    masked = mask_student_text(text)
    for leak in ("0.4918", "1.25e-03", "3f7ae148", "1234567"):
        assert leak not in masked
    assert "(in cell 5, line 3)" in masked and "shape (4, 10)" in masked


def test_inputs_are_drawn_per_submission():
    secret = b"s" * 32
    first, second = submission_key("a" * 64, secret), submission_key("b" * 64, secret)
    with submission_inputs(first):
        one = dense_case(11, 4, 10, 3)
    with submission_inputs(first):
        again = dense_case(11, 4, 10, 3)
    with submission_inputs(second):
        other = dense_case(11, 4, 10, 3)
    assert (one.X == again.X).all() and not (one.X == other.X).any()
    assert submission_key("a" * 64, b"t" * 32) != first
    assert content_key("one notebook") != content_key("another notebook")


def test_the_course_secret_is_kept_out_of_the_release_and_git():
    secret = course_secret()
    assert len(secret) == 32
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", ".course_secret"])
    assert ignored.returncode == 0
    hexed = secret.hex()
    for path in (ROOT / "assignments").rglob("*"):
        assert not path.is_file() or hexed not in path.read_text(errors="replace")


FINGERPRINT = '''

def dense_forward_matmul(X, W, B, activation="sigmoid"):
    raise ValueError(f"fingerprint {int(abs(float(np.asarray(X).sum())) * 1000) % 100000 // 10}")
'''


def fingerprints(result: dict) -> list[str]:
    return [test["message"] for test in result["tests"] if test["exercise"] == "dense_forward_matmul"]


def test_through_the_batch_inputs_differ_by_one_byte_and_repeat_for_the_same_file(tmp_path):
    source = variant(append=FINGERPRINT)
    folder = write_submissions(tmp_path / "in", {"first.py": source, "second.py": source + " "})
    graded = grade(folder, tmp_path / "out")
    again = grade(folder, tmp_path / "again", force=True)
    assert all("fingerprint" in message for message in fingerprints(graded["first"]))
    assert fingerprints(graded["first"]) != fingerprints(graded["second"])
    for student in ("first", "second"):
        for key in ("score", "exercises", "tests", "sha256", "review"):
            assert graded[student][key] == again[student][key], key
    assert graded["first"]["score"] == 80


def test_the_cli_grades_a_forger_to_zero_and_flags_it(tmp_path):
    forger = (ROOT / "tests" / "submissions" / "notebooks" / "forged_handler.ipynb").read_text()
    folder = write_submissions(tmp_path / "in", {"forger.ipynb": forger})
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out),
                           "--timeout", "5"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads((out / "forger.json").read_text())
    assert result["score"] == 0
    assert {"sys_modules", "grader_import"} <= {flag["reason"] for flag in result["review"]}
    csv_row = (out / "grades.csv").read_text().splitlines()[1]
    assert csv_row.startswith("forger,") and "sys.modules" in csv_row
    report = (out / "report" / "index.html").read_text()
    assert "Needs review" in report and "forger" in report.split("needs-review", 1)[1]


def test_needs_review_reads_in_the_language_of_the_grading():
    from autograder.glossary import english_leftovers
    from autograder.grade.tampering import REASONS, describe_flag, needs_review_text

    for reason in REASONS:
        for flag in ({"reason": reason, "cell": 3, "line": 2, "text": "x = sys.modules"},
                     {"reason": reason, "exercise": "TestModel"}):
            korean, _ = describe_flag(flag, "ko")
            english, _ = describe_flag(flag, "en")
            assert korean != english and english_leftovers(korean) == [], korean
    result = {"review": [{"reason": "sys_modules", "cell": 3, "line": 2, "text": "x = sys.modules"}]}
    assert needs_review_text(result, "en") == "cell 3, line 2: reaches into sys.modules: x = sys.modules"
    assert needs_review_text({"review": []}, "en") == ""
