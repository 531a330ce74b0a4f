"""What ran while the student's function was called: TensorFlow operations, Keras layers, NumPy products.

TensorFlow's op callbacks name every operation that runs (`Sigmoid`, `MatMul`, `Einsum`...),
however the student reached it (`getattr`, `exec`, `keras.activations.get`); a
`tf.function` call is read inside, through its function definitions. Keras layers and the
NumPy and SciPy functions a rule may forbid are watched by wrapping them for the length of
the call only, and only calls made from the student's own code count.

This runs in the student's process, which the grader does not trust: the report is
evidence that can only add to what the static rules find. References are taken when this
module is imported, before any student code runs; the report says whether the recorder
was still whole after the call (`intact`): its op callback still saw an operation of its
own and its wrappers were still in place.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import numpy as np

MAX_NAMES = 64
MAX_NAME_CHARS = 64
MAX_FUNCTION_NODES = 5000
NUMPY_PRODUCTS = ("matmul", "einsum", "tensordot", "dot", "inner")
# Functions that are a matrix product only when an operand has two axes or more (1-D: a dot product).
PRODUCTS_OF_VECTORS_ALLOWED = ("dot", "inner")


def _library_roots() -> tuple[str, ...]:
    """Where Python, the installed packages and the grader's own code live: calls from there are not the student's."""
    import os
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.dirname(np.__file__)),
             os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))}
    roots |= {path for key, path in sysconfig.get_paths().items() if key in ("stdlib", "purelib", "platlib")}
    return tuple(os.path.join(root, "") for root in roots if root and root != os.sep)


LIBRARY_ROOTS = _library_roots()


def _from_student(frame) -> bool:
    """Student code: a notebook cell (`<cell N>` here, a file under the kernel's temporary folder in Jupyter)."""
    if frame is None:
        return False
    filename = frame.f_code.co_filename
    return filename.startswith("<") or not filename.startswith(LIBRARY_ROOTS)


class Report:
    """The names seen during one recording, bounded in count and length."""

    def __init__(self):
        self.ops: set[str] = set()
        self.layers: set[str] = set()
        self.calls: set[str] = set()
        self.intact = True

    def note(self, kind: set, name) -> None:
        if len(kind) < MAX_NAMES:
            kind.add(str(name)[:MAX_NAME_CHARS])

    def to_data(self) -> dict:
        return {"ops": sorted(self.ops), "layers": sorted(self.layers), "calls": sorted(self.calls),
                "intact": bool(self.intact)}


class Recorder:
    def __init__(self):
        import keras
        import tensorflow as tf
        from tensorflow.python.eager import context
        from tensorflow.python.framework import op_callbacks

        self._add_callback = op_callbacks.add_op_callback
        self._remove_callback = op_callbacks.remove_op_callback
        self._context = context.context
        self._identity = tf.identity
        self._constant = tf.constant
        self._layer = keras.layers.Layer
        self._dense = keras.layers.Dense
        self._getattr = getattr
        self._setattr = setattr
        self._active = False
        self._report: Report | None = None
        self._canary: list[str] = []

    # What is watched.
    def _on_op(self, op_type, inputs, attrs, outputs, op_name=None, graph=None):
        if self._active:
            name = op_type.decode() if isinstance(op_type, bytes) else str(op_type)
            self._canary.append(name)
            if self._report is not None:
                self._note_op(self._report, name, 0)
        return None

    def _note_op(self, report: Report, name: str, depth: int) -> None:
        """An operation, or the operations inside a function call (a tf.function run eagerly)."""
        context = self._context()
        if depth < 8 and context.has_function(name):
            self._note_function(report, name, depth)
        else:
            report.note(report.ops, name)

    def _note_function(self, report: Report, name: str, depth: int) -> None:
        try:
            definition = self._context().get_function_def(name)
        except Exception:  # a function TensorFlow cannot describe: the record is not whole
            report.intact = False
            return
        for node in definition.node_def[:MAX_FUNCTION_NODES]:
            self._note_op(report, node.op, depth + 1)
            for value in node.attr.values():
                if value.func.name:
                    self._note_op(report, value.func.name, depth + 1)

    def _recording_layer_call(self, original):
        recorder = self

        def __call__(layer, *args, **kwargs):
            report = recorder._report
            if report is not None:
                report.note(report.layers, type(layer).__name__)
            return original(layer, *args, **kwargs)
        return __call__

    def _recording_numpy(self, name: str, original):
        recorder = self

        def product(*args, **kwargs):
            report = recorder._report
            if report is not None and _from_student(sys._getframe(1)):
                vectors_only = name in PRODUCTS_OF_VECTORS_ALLOWED and all(np.ndim(a) < 2 for a in args[:2])
                if not vectors_only:
                    report.note(report.calls, f"numpy.{name}")
            return original(*args, **kwargs)
        return product

    def _recording_expit(self, original):
        recorder = self

        def expit(*args, **kwargs):
            report = recorder._report
            if report is not None and _from_student(sys._getframe(1)):
                report.note(report.calls, "scipy.special.expit")
            return original(*args, **kwargs)
        return expit

    # One recording.
    @contextmanager
    def record(self):
        """Record what runs inside the block; the Report is whole once the block has ended.

        What is watched is wrapped as it is (the student's own replacement included) and put back after.
        """
        report = Report()
        before = self._layer.__dict__["__call__"], {name: self._getattr(np, name) for name in NUMPY_PRODUCTS}
        layer_call = self._recording_layer_call(before[0])
        numpy_products = {name: self._recording_numpy(name, original) for name, original in before[1].items()}
        special = sys.modules.get("scipy.special")
        expit = self._getattr(special, "expit", None)
        wrapped_expit = self._recording_expit(expit) if expit is not None else None
        self._setattr(self._layer, "__call__", layer_call)
        for name, product in numpy_products.items():
            self._setattr(np, name, product)
        if wrapped_expit is not None:
            self._setattr(special, "expit", wrapped_expit)
        self._report, self._canary, self._active = report, [], True
        self._add_callback(self._on_op)
        try:
            yield report
        finally:
            self._report = None
            report.intact = report.intact and self._still_whole(layer_call, numpy_products)
            self._active = False
            try:
                self._remove_callback(self._on_op)
            except Exception:  # the student's code removed it already
                report.intact = False
            self._setattr(self._layer, "__call__", before[0])
            for name, original in before[1].items():
                self._setattr(np, name, original)
            if wrapped_expit is not None:
                self._setattr(special, "expit", expit)

    def _still_whole(self, layer_call, numpy_products) -> bool:
        """Whether the callback still sees this recorder's own operation and the wrappers are in place."""
        try:
            seen = len(self._canary)
            self._identity(self._constant(0.0))
            callback_alive = len(self._canary) > seen and self._canary[-1] == "Identity"
        except Exception:
            return False
        wrappers = (self._layer.__dict__.get("__call__") is layer_call and self._dense.__call__ is layer_call
                    and all(np.__dict__.get(name) is product for name, product in numpy_products.items()))
        return callback_alive and wrappers


_RECORDER: Recorder | None = None


def recorder() -> Recorder:
    """The process's recorder, made (and its references taken) on first use: the worker makes it at start."""
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = Recorder()
    return _RECORDER
