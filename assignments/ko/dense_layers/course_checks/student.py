"""The student as the checks see it: something that answers requests with data.

`LocalStudent` answers from a namespace in this process (the in-notebook path and fast
tests); the batch grader's `RemoteStudent` (autograder.grade.session) answers from a
sandboxed process. Both speak the requests of `autograder.run.inside.probes`, and
`function_under_test` turns either into the callable a hidden test receives.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Protocol

from course_checks.checks.cases import process_seed
from course_checks.checks.core import CheckFailure
from course_checks.exercises import Exercise
from course_checks.grade.static import is_checking_code
from course_checks.run.inside.probes import answer
from course_checks.run.inside.wire import encode


class StudentFailure(Exception):
    """The student's code did not produce an answer; `status` is a result status."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Student(Protocol):
    def ask(self, request: dict) -> Any:
        """The value the student's code produced, or StudentFailure."""


def value_of(reply: dict) -> Any:
    """The value of a reply from `probes.answer`, or the StudentFailure it reports."""
    status = reply.get("status")
    if status == "ok":
        return reply.get("value")
    if status == "missing":
        raise StudentFailure("missing", reply.get("message", "not defined"))
    if status == "unreadable":
        raise CheckFailure("student.unreadable", what=reply.get("message", "something"))
    raise StudentFailure("error", str(reply.get("message", "your code raised an error"))[:2000])


class _Absent:
    """A finder that says the checking code is not there, as Python says of any module it cannot find."""

    def find_spec(self, name: str, path=None, target=None):
        if is_checking_code(name):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextmanager
def without_checking_code() -> Iterator[None]:
    """While the student's code runs, the course's checking code cannot be imported, as in the grader's
    sandbox: an answer that imports it, under whatever name it builds, fails here as it will there."""
    hidden = {name: module for name, module in list(sys.modules.items()) if is_checking_code(name)}
    if not hidden:
        yield
        return
    for name in hidden:
        del sys.modules[name]
    finder = _Absent()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path[:] = [entry for entry in sys.meta_path if entry is not finder]
        sys.modules.update(hidden)


class LocalStudent:
    """Answers from a namespace in this process: no isolation, for trusted or in-notebook use. The
    course's checking code (`course_checks`, loaded for the test cells) is out of the student's reach
    while its code answers, as in the grader's sandbox."""

    def __init__(self, namespace: dict):
        self.namespace = namespace

    def ask(self, request: dict) -> Any:
        with without_checking_code():
            reply = answer(self.namespace, request)
        return value_of(reply)


def _remembering(ask: Callable[[dict], Any]) -> Callable[[dict], Any]:
    """`ask`, answering a request it has seen before from memory, so tests can share one model.

    Requests carry their random seed, so a second identical request would get the same answer.
    """
    answers: dict[bytes, tuple[bool, Any]] = {}

    def ask_once(request: dict) -> Any:
        key = encode(request)
        if key not in answers:
            try:
                answers[key] = (True, ask(request))
            except (StudentFailure, CheckFailure) as failure:
                answers[key] = (False, failure)
        ok, value = answers[key]
        if not ok:
            raise value
        return value
    return ask_once


def function_under_test(exercise: Exercise, student: Student,
                        ran: Callable[[Any], None] | None = None) -> Callable:
    """The callable a hidden test gets for an exercise; each distinct call is one request.

    Layers and models are asked with the weights the grader chose (`weights`: [W1, B1, ...]).
    With `ran`, a function's calls are recorded and `ran` gets the student process's report of
    what ran during each (untrusted data, read by autograder.grade.rules).
    """
    name = exercise.name
    ask = _remembering(student.ask)
    seed = process_seed()
    if exercise.kind == "function":
        def call(*args, **kwargs):
            request = {"op": "call", "name": name, "args": list(args), "kwargs": kwargs,
                       "tensor_args": list(exercise.tensor_args)}
            if ran is None:
                return ask(request)
            reply = ask({**request, "record": True})
            if not isinstance(reply, dict) or "value" not in reply:
                raise CheckFailure("student.unreadable", what="a reply the grader did not ask for")
            ran(reply.get("ran"))
            return reply["value"]
        return call
    if exercise.kind == "model_factory" and name == "build_dense_layers":
        return lambda n_neurons, activation, X, weights: ask(
            {"op": "layer_list", "name": name, "n_neurons": list(n_neurons), "activation": activation,
             "X": X, "weights": list(weights), "seed": seed})
    if exercise.kind == "model_factory":
        return lambda n_neurons, activation, X, weights: ask(
            {"op": "model", "name": name, "kind": exercise.kind, "n_neurons": list(n_neurons),
             "activation": activation, "X": X, "weights": list(weights), "seed": seed})
    if exercise.kind == "model_class":
        def make(X, weights, n_neurons=None, activation=None):
            request = {"op": "model", "name": name, "kind": exercise.kind, "X": X, "weights": list(weights),
                       "seed": seed}
            if n_neurons is not None:
                request.update(n_neurons=list(n_neurons), activation=activation)
            return ask(request)
        return make
    if exercise.kind == "model_function":
        return lambda n_neurons, X, weights: ask(
            {"op": "model_function", "name": name, "n_neurons": list(n_neurons), "X": X, "weights": list(weights),
             "seed": seed})
    raise ValueError(f"{exercise.id} is not graded automatically")
