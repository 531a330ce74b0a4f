"""A student process starts warm, yet as a fresh Jupyter kernel would: what the warm worker did
before forking it (its rehearsal, the layers of the shapes the grader asked for, the cheap
placeholders of Keras' symbolic build) and the grader's reseeding between requests change no
number and no name the student's code sees."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import numpy as np

from autograder.run.inside import probes
from autograder.run.inside.environment import TENSORFLOW_ENVIRONMENT

# Models built the ways students build them, their first weights and outputs read back: every
# number depends on Keras' initialisers and seeds, every name on Keras' counters.
MODELS = """
import numpy as np
import keras
from keras.layers import Dense
from keras.models import Model, Sequential

class Subclassed(Model):
    def __init__(self):
        super().__init__()
        self.held = Sequential([Dense(5, activation="relu"), Dense(3)])
        self.last = Dense(2, activation="sigmoid")
        self.drop = keras.layers.Dropout(0.5)

    def call(self, x, training=False):
        return self.last(self.drop(self.held(x), training=training) + keras.random.normal((1, 3), seed=3))

def first_weights(seed):
    keras.utils.set_random_seed(seed)
    X = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    models = [Subclassed(), Sequential([Dense(4), Dense(2, kernel_initializer="he_normal")])]
    outputs = [np.asarray(m(X)) for m in models] + [np.asarray(models[0](X, training=True))]
    names = [layer.name for m in models for layer in m.layers] + [Dense(1).name]
    return {"weights": [w.tolist() for m in models for w in m.get_weights()],
            "outputs": [o.tolist() for o in outputs], "names": names}
"""


def fresh_kernel_answer(seed: int) -> dict:
    """What a fresh Python process, as the notebook's setup cell starts it, computes."""
    script = MODELS + f"\nimport json\nprint(json.dumps(first_weights({seed})))"
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, **TENSORFLOW_ENVIRONMENT}, check=True)
    return json.loads(finished.stdout.splitlines()[-1])


def test_a_student_process_computes_what_a_fresh_kernel_computes(warm_worker):
    worker = warm_worker
    worker.note_dense_layers([np.zeros((4, 5), np.float32), np.zeros(5, np.float32), np.zeros((5, 3), np.float32)])
    process = worker.spawn(0, "__main__")
    assert worker.dense_shapes == {(4, 5), (5, 3)}
    assert process.ask({"op": "cell", "index": 0, "source": MODELS}, 60) == {"ok": True, "id": 1}
    reply = process.ask({"op": "call", "name": "first_weights", "args": [11], "kwargs": {}}, 60)
    process.stop()
    assert reply["status"] == "ok", reply
    answer = {key: [np.asarray(value).tolist() for value in values] for key, values in reply["value"].items()}
    assert answer == fresh_kernel_answer(11)


def test_reseeding_leaves_every_generator_as_keras_set_random_seed_does():
    import keras
    import tensorflow as tf
    from tensorflow.python.eager import context

    def draws() -> list:
        return [random.random(), float(np.random.rand()), keras.random.uniform((2,)).numpy().tolist(),
                keras.initializers.GlorotUniform()((2, 2)).numpy().tolist(), context.global_seed()]

    keras.utils.set_random_seed(99)
    expected = draws()
    tf.random.set_seed(5)
    random.seed(1)
    np.random.seed(1)
    keras.random.uniform((3,))
    probes.reseed(99)
    assert draws() == expected
