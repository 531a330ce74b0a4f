"""What the student's process does with a request: call the student's code, report data.

The same functions serve the sandboxed student process and the in-notebook hidden tests,
so a submission is asked exactly the same questions on both paths. They never judge: they
turn whatever the student's code produced into plain data (arrays, numbers, strings,
lists, dicts), and the grader decides. For layers and models the grader sends the weights
too: they are set into the student's layers, and the output on the grader's X is what the
grader compares with its own computation; what the process says about the layers is only
evidence for naming a mistake.

The module seals itself when first imported (`seal`): `answer` and everything it calls use
a private copy of this module's globals, taken before any student code runs, so replacing
`handle`, `describe_model` or the module in `sys.modules` changes nothing.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from autograder.run.inside.recorder import recorder

MAX_REPORTED_ITEMS = 1000


class StudentRaised(Exception):
    """The student's code raised; carries a short, student-facing description."""

    def __init__(self, error: BaseException):
        super().__init__(describe_exception(error))
        self.type_name = type(error).__name__


class NotDefined(Exception):
    """The student's namespace has no such name."""


class Unreadable(Exception):
    """The student's code returned something that is not plain data."""


def describe_exception(error: BaseException) -> str:
    """`Type: message` with the line of the student's cell where it happened, if known."""
    text = f"{type(error).__name__}: {error}"
    traceback = error.__traceback__
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.startswith("<cell"):
            line = (traceback.tb_frame.f_code.co_filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    if line:
        text += f" (in {line[0].strip('<>')}, line {line[1]})"
    return text[:2000]


def to_data(value: Any, depth: int = 0) -> Any:
    """Plain data from a student's return value: arrays, numbers, strings, lists, dicts."""
    import tensorflow as tf

    if depth > 8:
        raise Unreadable("the value is nested too deeply")
    if isinstance(value, (tf.Tensor, tf.Variable)):
        value = value.numpy()
    if isinstance(value, tf.TensorShape):
        return [None if d is None else int(d) for d in value.as_list()] if value.rank is not None else None
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise Unreadable(f"an array of dtype {value.dtype}, expected numbers")
        return value
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        if len(value) > MAX_REPORTED_ITEMS:
            raise Unreadable("a dict that is too large")
        return {str(key): to_data(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_REPORTED_ITEMS:
            raise Unreadable("a list that is too large")
        return [to_data(item, depth + 1) for item in value]
    raise Unreadable(f"an object of type {type(value).__name__}")


def lookup(namespace: dict, name: str) -> Any:
    if name not in namespace:
        raise NotDefined(name)
    return namespace[name]


def _student_call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception as error:  # the student's exception, reported as data
        raise StudentRaised(error) from None


def call_function(namespace: dict, name: str, args: list, kwargs: dict,
                  tensor_args: tuple[int, ...] = (), record: bool = False) -> Any:
    """Call the student's function; arguments listed in `tensor_args` arrive as float32 tensors.

    With `record`, the reply is `{"value": ..., "ran": ...}`: what ran during the call (recorder.py).
    """
    import tensorflow as tf

    function = lookup(namespace, name)
    args = [tf.constant(arg, dtype=tf.float32) if index in tensor_args else arg
            for index, arg in enumerate(args)]
    if not record:
        return to_data(_student_call(function, *args, **kwargs))
    with recorder().record() as ran:
        value = _student_call(function, *args, **kwargs)
    return {"value": to_data(value), "ran": ran.to_data()}


def _activation_name(layer) -> str | None:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", None) if activation is not None else None


def _leaf_layers(layer, seen: set[int]) -> list:
    """Leaf layers depth first, in the order Keras tracks them; a shared layer counts once."""
    inner = getattr(layer, "layers", None)
    if isinstance(inner, list):
        return [leaf for sublayer in inner for leaf in _leaf_layers(sublayer, seen)]
    if id(layer) in seen:
        return []
    seen.add(id(layer))
    return [layer]


def _describe_layer(layer) -> dict:
    import tensorflow as tf

    weights = [np.asarray(w) for w in _student_call(layer.get_weights)]
    return {
        "class": type(layer).__name__,
        "is_dense": isinstance(layer, tf.keras.layers.Dense),
        "units": getattr(layer, "units", None),
        "activation": _activation_name(layer),
        "weights": [w for w in weights if w.dtype.kind in "biuf"],
    }


def _set_weights(target, weights: list) -> dict:
    """Set the grader's weights with the student's own `set_weights`; whether it accepted them."""
    try:
        target.set_weights([np.asarray(w, dtype=np.float32) for w in weights])
    except Exception as error:  # wrong layers, wrong shapes, or a set_weights of the student's
        return {"accepted": False, "message": describe_exception(error)}
    return {"accepted": True}


def describe_model(model, X, weights: list) -> dict:
    """Build a model on X, set the grader's weights into it, and report its output then; its layers as evidence."""
    import tensorflow as tf

    if not isinstance(model, tf.keras.layers.Layer):  # a list or anything else: the grader says what it is
        return {"class": type(model).__name__, "is_model": False, "is_sequential": False, "layers": [],
                "weights_set": {"accepted": False, "message": "not a Keras model"}, "output": None}
    top_layers = list(getattr(model, "layers", []) or [])
    output_initial = to_data(_student_call(model, X))
    layers = [_describe_layer(layer) for layer in _leaf_layers(model, set())]
    variables = [np.asarray(v.numpy()) for v in model.trainable_variables]
    sequentials = [layer for layer in top_layers if isinstance(layer, tf.keras.Sequential)]
    built_by_call = bool(sequentials[0].built) if sequentials else False
    weights_set = _set_weights(model, weights)
    output = to_data(_student_call(model, X)) if weights_set["accepted"] else None
    held_sequential = None
    if sequentials:
        held_sequential = {"built_by_call": built_by_call, "output": to_data(_student_call(sequentials[0], X))}
    return {
        "class": type(model).__name__,
        "is_model": isinstance(model, tf.keras.Model),
        "is_sequential": isinstance(model, tf.keras.Sequential),
        "top_layers": [type(layer).__name__ for layer in top_layers],
        "weights_set": weights_set,
        "output_initial": output_initial,
        "output": output,
        "layers": layers,
        "trainable_variables": variables,
        "held_sequential": held_sequential,
    }


def probe_layer_list(namespace: dict, name: str, n_neurons: list, activation: str, X, weights: list) -> dict:
    """Build the student's list of layers, run X through them, set the grader's weights, run X again."""
    import tensorflow as tf

    layers = _student_call(lookup(namespace, name), list(n_neurons), activation)
    if not isinstance(layers, (list, tuple)):
        return {"container": type(layers).__name__, "layers": [], "output": None}
    described = [{"class": type(layer).__name__,
                  "is_dense": isinstance(layer, tf.keras.layers.Dense),
                  "units": getattr(layer, "units", None),
                  "activation": _activation_name(layer)} for layer in layers[:MAX_REPORTED_ITEMS]]
    distinct = len({id(layer) for layer in layers})
    report = {"container": type(layers).__name__, "layers": described, "distinct_objects": distinct, "output": None}
    if distinct < len(layers):  # one object twice: calling it would fail on the shapes, and say less
        return report
    output = X
    for layer in layers:
        output = _student_call(layer, output)
    report["output_initial"] = to_data(output)
    for entry, layer in zip(described, layers):
        entry["weights"] = [np.asarray(w) for w in _student_call(layer.get_weights)]
    pairs = [weights[index:index + 2] for index in range(0, len(weights), 2)]
    if len(pairs) != len(layers):
        report["weights_set"] = {"accepted": False, "message": f"{len(layers)} layers for {len(pairs)} weight pairs"}
        return report
    for layer, pair in zip(layers, pairs):
        report["weights_set"] = _set_weights(layer, pair)
        if not report["weights_set"]["accepted"]:
            return report
    output = X
    for layer in layers:
        output = _student_call(layer, output)
    report["output"] = to_data(output)
    return report


def probe_model(namespace: dict, name: str, kind: str, n_neurons: list | None,
                activation: str | None, X, weights: list) -> dict:
    """Make the student's model (by factory or by class) and describe it on X with the grader's weights."""
    target = lookup(namespace, name)
    if kind == "model_class":
        kwargs = {} if n_neurons is None else {"n_neurons": list(n_neurons), "activation": activation}
        model = _student_call(target, **kwargs)
    else:
        model = _student_call(target, list(n_neurons), activation)
    return describe_model(model, X, weights)


def call_model_function(namespace: dict, name: str, n_neurons: list, X, weights: list) -> Any:
    """Build a plain Sequential of Dense layers with the grader's weights, and hand it to the student's function.
    The model is the grader's, and so are its weights: it is not initialised at random first."""
    import tensorflow as tf

    function = lookup(namespace, name)
    model = tf.keras.Sequential([tf.keras.layers.Dense(units, activation="sigmoid", kernel_initializer="zeros")
                                 for units in n_neurons])
    model(X)
    model.set_weights([np.asarray(w, dtype=np.float32) for w in weights])
    return to_data(_student_call(function, model))


def reseed(seed: int) -> None:
    """`keras.utils.set_random_seed(seed)`, without clearing TensorFlow's cache of set-up operations.

    `tf.random.set_seed` clears it, so that every operation after it is set up again: done at
    every request, that cost about a quarter of a correct notebook's time. Python's, NumPy's,
    Keras' and TensorFlow's generators start again at every request (a model's first weights
    never depend on what was asked before); only a TensorFlow stateful random operation that
    already ran with the same seeds goes on with its sequence instead of starting it again, as it
    does in Jupyter.
    """
    import random

    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils
    from tensorflow.python.eager import context

    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)
    eager = context.context()  # what tf.random.set_seed sets, but for the cache
    eager._seed, eager._rng = seed, random.Random(seed)


def handle(namespace: dict, request: dict) -> Any:
    """Answer one request from the grader; the reply is plain data."""
    import tensorflow as tf

    op = request["op"]
    if "seed" in request:
        reseed(int(request["seed"]))
    X = tf.constant(request["X"], dtype=tf.float32) if "X" in request else None
    if op == "call":
        return call_function(namespace, request["name"], request["args"], request.get("kwargs", {}),
                             tuple(request.get("tensor_args", ())), bool(request.get("record")))
    if op == "layer_list":
        return probe_layer_list(namespace, request["name"], request["n_neurons"], request["activation"], X,
                                request["weights"])
    if op == "model":
        return probe_model(namespace, request["name"], request["kind"], request.get("n_neurons"),
                           request.get("activation"), X, request["weights"])
    if op == "model_function":
        return call_model_function(namespace, request["name"], request["n_neurons"], X, request["weights"])
    raise ValueError(f"unknown request {op!r}")


def answer(namespace: dict, request: dict) -> dict:
    """`handle`, with every outcome turned into a reply the grader can read."""
    try:
        return {"status": "ok", "value": handle(namespace, request)}
    except NotDefined as error:
        return {"status": "missing", "message": f"{error} is not defined"}
    except StudentRaised as error:
        return {"status": "error", "message": str(error)}
    except Unreadable as error:
        return {"status": "unreadable", "message": str(error)}
    except Exception as error:  # an exception raised while Keras ran the student's layers
        return {"status": "error", "message": describe_exception(error)}


def seal(module_globals: dict) -> dict:
    """The module's functions, rebound to a private copy of its globals: patching the module changes nothing.

    Taken before any student code runs, the copies keep calling each other, never what the
    module's attributes (or `sys.modules`) say later.
    """
    private = dict(module_globals)
    for name, value in module_globals.items():
        if isinstance(value, types.FunctionType) and value.__module__ == module_globals["__name__"]:
            sealed = types.FunctionType(value.__code__, private, value.__name__, value.__defaults__,
                                        value.__closure__)
            sealed.__kwdefaults__ = value.__kwdefaults__
            sealed.__doc__ = value.__doc__
            private[name] = sealed
    return private


answer = seal(globals())["answer"]
