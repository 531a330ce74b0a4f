"""What the submission's source says about its answers, read in the grader's process.

The student's process can describe its models however it likes; the grader confirms the
structure the exercises ask for from the notebook's own cells: `TestModel` and
`HybridModel` are classes deriving from `tf.keras.Model` (however it is spelled or
aliased), their `__init__` creates Dense layers (directly, in a loop or a comprehension, or
through a function of the notebook), their `call` runs something the model holds (a layer,
a loop variable, the Sequential), `HybridModel` keeps a Sequential and calls it, and neither
replaces the Keras methods the grader uses on it (`set_weights`, `__call__`, ...). An
exercise whose last definition is still the release's stub scores nothing, whatever the
process answers. A failure here costs every test of that exercise; when source and report
disagree, the exercise fails.
"""

from __future__ import annotations

import ast
from functools import lru_cache

from course_checks.checks.core import CheckFailure
from course_checks.exercises import Exercise
from course_checks.grade.parsing import parse_cell

KERAS_ROOTS = {"tensorflow", "keras", "tf_keras"}
# Methods and properties of a Keras model that the grader relies on; a model may not replace them.
KERAS_API = {"set_weights", "get_weights", "__call__", "weights", "trainable_variables", "trainable_weights",
             "variables", "layers", "__getattr__", "__getattribute__"}


def parse_cells(cells: list[str]) -> tuple[ast.Module | None, ...]:
    """Each cell's syntax tree, or None for a cell that cannot be read (it cannot run either); not to be changed."""
    return _parse_cells(tuple(cells))


@lru_cache(maxsize=8)
def _parse_cells(cells: tuple[str, ...]) -> tuple[ast.Module | None, ...]:
    return tuple(parse_cell(source) for source in cells)


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """Statements at the top level of a cell, including those inside top-level if/try/with blocks."""
    found: list[ast.stmt] = []
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        found.append(node)
        if isinstance(node, (ast.If, ast.With, ast.Try)):
            inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            inner += [statement for handler in getattr(node, "handlers", []) for statement in handler.body]
            pending[:0] = inner
    return found


class Notebook:
    """Top-level definitions and import aliases across the cells, in order (the last binding wins)."""

    def __init__(self, trees: list[ast.Module | None]):
        self.bindings: dict[str, ast.AST] = {}
        self.aliases: dict[str, str] = {}
        for tree in trees:
            if tree is None:
                continue
            for node in _top_level(tree):
                self._bind(node)

    def _bind(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bindings[node.name] = node
        elif isinstance(node, ast.Import):
            for name in node.names:
                local = name.asname or name.name.split(".")[0]
                self.aliases[local] = name.name if name.asname else local
                self.bindings[local] = node
        elif isinstance(node, ast.ImportFrom) and node.module:
            for name in node.names:
                local = name.asname or name.name
                self.aliases[local] = f"{node.module}.{name.name}"
                self.bindings[local] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    self.bindings[target.id] = node
                    dotted = self.dotted(node.value) if node.value is not None else None
                    if dotted is not None:
                        self.aliases[target.id] = dotted
                    else:
                        self.aliases.pop(target.id, None)

    def dotted(self, node: ast.AST) -> str | None:
        """`tf.keras.layers.Dense` as 'tensorflow.keras.layers.Dense', through the notebook's aliases."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            inner = self.dotted(node.value)
            return f"{inner}.{node.attr}" if inner else None
        return None

    def is_keras(self, node: ast.AST, what: str) -> bool:
        """Whether the expression names Keras' `what` (Dense, Model, Sequential), however it was imported."""
        dotted = self.dotted(node)
        if dotted is None:
            return False
        parts = dotted.split(".")
        return parts[-1] == what and (len(parts) == 1 or parts[0] in KERAS_ROOTS)

    def function(self, name: str) -> ast.AST | None:
        node = self.bindings.get(name)
        return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None

    def class_of(self, name: str, seen: frozenset = frozenset()) -> ast.ClassDef | None:
        """The class a name is bound to, following `Name = OtherClass` aliases of the notebook."""
        node = self.bindings.get(name)
        if isinstance(node, ast.ClassDef):
            return node
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and name not in seen:
            return self.class_of(node.value.id, seen | {name})
        return None


def still_raises_not_implemented(function: ast.AST) -> bool:
    """Whether the body raises NotImplementedError before it can return: the release's stub, still there."""
    for node in function.body:
        if isinstance(node, ast.Return):
            return False
        if isinstance(node, ast.Raise) and node.exc is not None and "NotImplementedError" in ast.unparse(node.exc):
            return True
    return False


def _lineage(notebook: Notebook, cls: ast.ClassDef) -> list[ast.ClassDef]:
    """The class and the notebook's classes it derives from, nearest first."""
    lineage, pending = [], [cls]
    while pending:
        current = pending.pop(0)
        if current in lineage:
            continue
        lineage.append(current)
        for base in current.bases:
            if isinstance(base, ast.Name) and notebook.class_of(base.id) is not None:
                pending.append(notebook.class_of(base.id))
    return lineage


def _derives_from_model(notebook: Notebook, lineage: list[ast.ClassDef]) -> bool:
    return any(notebook.is_keras(base, "Model") for cls in lineage for base in cls.bases)


def _methods(lineage: list[ast.ClassDef]) -> dict[str, ast.AST]:
    methods: dict[str, ast.AST] = {}
    for cls in reversed(lineage):
        for node in cls.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        methods[target.id] = node
    return methods


def _reachable(notebook: Notebook, methods: dict[str, ast.AST], start: str) -> list[ast.AST]:
    """The method and every method (self.m(...)) or notebook function (f(...)) it calls, transitively."""
    order, seen, pending = [], set(), [("method", start)]
    while pending:
        kind, name = pending.pop()
        if (kind, name) in seen:
            continue
        seen.add((kind, name))
        node = methods.get(name) if kind == "method" else notebook.function(name)
        if node is None:
            continue
        order.append(node)
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                pending.append(("method", func.attr))
            elif isinstance(func, ast.Name):
                pending.append(("function", func.id))
    return order


def _creates(notebook: Notebook, nodes: list[ast.AST], what: str) -> bool:
    return any(isinstance(n, ast.Call) and notebook.is_keras(n.func, what) for node in nodes for n in ast.walk(node))


def _local_names(function: ast.AST) -> set[str]:
    """Names bound inside a function: parameters, loop and comprehension targets, lambda parameters, assignments."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _calls_something_held(notebook: Notebook, methods: dict[str, ast.AST], call_nodes: list[ast.AST]) -> bool:
    """Whether `call` runs something the model holds: an attribute of self, or a local (a loop variable)."""
    for function in call_nodes:
        local = _local_names(function) - {"self"}
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                if func.attr not in methods:
                    return True
            elif isinstance(func, ast.Name) and func.id in local:
                return True
            elif isinstance(func, (ast.Subscript, ast.Call)):
                return True
    return False


def _sequential_attributes(notebook: Notebook, init_nodes: list[ast.AST]) -> set[str]:
    """Attributes of self that __init__ (or what it calls) sets to a new Sequential."""
    def makes_sequential(value: ast.AST, locals_: set[str]) -> bool:
        for n in ast.walk(value):
            if isinstance(n, ast.Call) and notebook.is_keras(n.func, "Sequential"):
                return True
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and notebook.function(n.func.id) is not None:
                if _creates(notebook, [notebook.function(n.func.id)], "Sequential"):
                    return True
            if isinstance(n, ast.Name) and n.id in locals_:
                return True
        return False

    attributes: set[str] = set()
    for function in init_nodes:
        sequential_locals: set[str] = set()
        for node in ast.walk(function):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not makes_sequential(node.value, sequential_locals):
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    sequential_locals.add(target.id)
                elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id == "self":
                    attributes.add(target.attr)
    return attributes


def _calls_attribute(call_nodes: list[ast.AST], attributes: set[str]) -> bool:
    """Whether `call` calls self.<one of the attributes>(...) itself (or its .call / __call__)."""
    for function in call_nodes:
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("call", "__call__"):
                func = func.value
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self" \
                    and func.attr in attributes:
                return True
    return False


def _check_model_class(exercise: Exercise, notebook: Notebook, node: ast.AST) -> CheckFailure | None:
    name = exercise.name
    cls = notebook.class_of(name)
    if cls is None:
        return CheckFailure("structure.not_a_class", name=name)
    lineage = _lineage(notebook, cls)
    methods = _methods(lineage)
    if any(isinstance(methods.get(method), ast.FunctionDef) and still_raises_not_implemented(methods[method])
           for method in ("__init__", "call")):
        return CheckFailure("student.not_implemented", name=name)
    if not _derives_from_model(notebook, lineage):
        return CheckFailure("structure.not_a_model", name=name)
    replaced = sorted(KERAS_API & set(methods))
    if replaced:
        return CheckFailure("structure.replaces_keras", name=name, found=", ".join(replaced))
    init_nodes = _reachable(notebook, methods, "__init__")
    if "__init__" not in methods or not _creates(notebook, init_nodes, "Dense"):
        return CheckFailure("structure.no_dense", name=name)
    if "call" not in methods:
        return CheckFailure("structure.no_call", name=name)
    call_nodes = _reachable(notebook, methods, "call")
    if not _calls_something_held(notebook, methods, call_nodes):
        return CheckFailure("structure.call_runs_nothing", name=name)
    if exercise.id == "HybridModel":
        attributes = _sequential_attributes(notebook, init_nodes)
        if not attributes:
            return CheckFailure("model.no_sequential", what=name)
        if not _calls_attribute(call_nodes, attributes):
            return CheckFailure("model.sequential_unused", what=name)
    return None


def check_structure(exercise: Exercise, cells: list[str]) -> CheckFailure | None:
    """What the source shows is wrong with the exercise's structure, or None.

    A name the source never binds is left to the runtime, which reports it missing.
    """
    notebook = Notebook(parse_cells(cells))
    node = notebook.bindings.get(exercise.name)
    if node is None:
        return None
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and still_raises_not_implemented(node):
        return CheckFailure("student.not_implemented", name=exercise.name)
    if exercise.kind == "model_class":
        return _check_model_class(exercise, notebook, node)
    return None
