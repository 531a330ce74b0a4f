"""Static rules: what an exercise's function may not use, judged by what it finally calls.

The function is read together with everything of the notebook it reaches: helpers in any
cell, lambdas, methods, names bound by assignment or by import (`import tensorflow as t`,
`from scipy.special import expit as e`), tables of functions, `getattr` with a name the
grader can work out (`getattr(tf.nn, "sig" + "moid")` is `tf.nn.sigmoid`). What a name
finally stands for is judged, not the name: a helper of the student's own called `sigmoid`
is followed and read like any other code.

A finding is definite when the forbidden thing is written in reachable code. It is only
possible when the code looks something up that the grader cannot work out before running it
(`getattr(tf.nn, name)`, `tf.keras.activations.get(activation)`, `exec`): then the evidence of
what actually ran decides (`autograder.grade.rules`).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from autograder.exercises import MUST_LOOP, NO_KERAS_LAYER, NO_MATRIX_PRODUCT, WRITTEN_OUT_SIGMOID, Exercise
from autograder.grade.structure import parse_cells

# The last part of the name of what each rule forbids, wherever it lives (tf, tf.nn, keras, scipy, ...).
READY_MADE_SIGMOIDS = frozenset({"sigmoid", "expit", "hard_sigmoid"})
MATRIX_PRODUCTS = frozenset({"matmul", "tensordot", "einsum", "matvec", "mm", "bmm", "batch_dot",
                             "multi_dot", "__matmul__", "__rmatmul__"})
KERAS_MODEL_NAMES = frozenset({"Dense", "EinsumDense", "Sequential", "Model", "Functional"})
# A name the grader cannot follow (never bound, or an attribute of something unknown) may be one of these.
FORBIDDEN_NAMES = {WRITTEN_OUT_SIGMOID: READY_MADE_SIGMOIDS, NO_MATRIX_PRODUCT: MATRIX_PRODUCTS,
                   NO_KERAS_LAYER: KERAS_MODEL_NAMES}
# The course's own checking code, shipped beside the notebook for its test cells (autograder.assign.bundle
# names the package after this). The grader runs a notebook without it: it is not part of an answer, so
# any exercise whose code needs it breaks a rule that every exercise has.
CHECKING_PACKAGE = "course_checks"
NO_CHECKING_CODE = "no_checking_code"
RULE_CODES = {
    NO_CHECKING_CODE: "forbidden.checking_code",
    WRITTEN_OUT_SIGMOID: "forbidden.builtin_sigmoid",
    NO_MATRIX_PRODUCT: "forbidden.matrix_product",
    NO_KERAS_LAYER: "forbidden.keras_layer",
    MUST_LOOP: "forbidden.no_loop",
}
CHECKING_CODE = RULE_CODES[NO_CHECKING_CODE]
# The modules that hold each rule's forbidden things: a name looked up at run time in one of them, or in a
# module above one (`getattr(tf, name)`), may be one of them.
RULE_HOMES = {
    WRITTEN_OUT_SIGMOID: ("tensorflow", "tensorflow.nn", "tensorflow.math", "keras.activations", "keras.ops",
                          "keras.backend", "scipy.special", "jax.nn", "torch", "torch.nn.functional"),
    NO_MATRIX_PRODUCT: ("numpy", "numpy.linalg", "tensorflow", "tensorflow.linalg", "tensorflow.experimental.numpy",
                        "keras.ops", "keras.backend", "operator", "scipy.linalg", "jax.numpy", "torch"),
    NO_KERAS_LAYER: ("keras", "keras.layers", "keras.models"),
}
# What the course's setup cell binds: how a name is read where the submission itself never binds it
# (a plain .py file, or a notebook whose setup cell was deleted). tests/test_static.py checks the setup cell.
COURSE_NAMES = {"np": "numpy", "tf": "tensorflow", "Dense": "tensorflow.keras.layers.Dense",
                "Sequential": "tensorflow.keras.models.Sequential", "Model": "tensorflow.keras.models.Model"}
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
MAX_DEPTH = 40
MAX_STEPS = 20_000  # expressions worked out per notebook: far above any honest notebook's needs
MAX_FOLDED = 200


@dataclass(frozen=True)
class Finding:
    """One way the function breaks a rule: `found` is what the student wrote, where they wrote it."""

    rule: str
    code: str
    found: str
    definite: bool
    cell: int = -1
    line: int = 0


# What an expression can stand for.
@dataclass(frozen=True)
class External:
    """Something of a library, by its dotted path (`tensorflow.nn.sigmoid`)."""
    path: str


@dataclass(frozen=True)
class Dynamic:
    """An attribute of `path` chosen at run time ("" when not even the library is known)."""
    path: str


@dataclass(frozen=True)
class Unknown:
    """A value the grader cannot follow; `name` is the last name it went by, if any."""
    name: str = ""


@dataclass(frozen=True, eq=False)
class Code:
    """A function or lambda of the student's, with the scope it was written in."""
    node: ast.AST
    scope: "Scope"
    cell: int


@dataclass(frozen=True, eq=False)
class Klass:
    node: ast.ClassDef
    scope: "Scope"
    cell: int
    instance: bool = False


@dataclass(frozen=True)
class Container:
    """A dict, list, tuple or set literal: indexing it gives any of its values."""
    items: frozenset


@dataclass
class Scope:
    """Names bound in a module or a function: each name to the expressions (or values) it may hold."""

    bindings: dict[str, list] = field(default_factory=dict)
    parent: "Scope | None" = None
    cell: int = -1

    def bind(self, name: str, source, replace: bool) -> None:
        if replace:
            self.bindings[name] = [source]
        else:
            self.bindings.setdefault(name, []).append(source)


def normalize(path: str) -> str:
    """One spelling per library object: tf.keras and keras.src are keras, tf.compat.v2 is tf."""
    for prefix in ("tensorflow.python.keras", "tensorflow.keras", "tf_keras", "keras.src", "keras.api",
                   "keras._tf_keras.keras"):
        if path == prefix or path.startswith(prefix + "."):
            path = "keras" + path[len(prefix):]
    for prefix in ("tensorflow.compat.v1", "tensorflow.compat.v2"):
        if path.startswith(prefix + "."):
            path = "tensorflow" + path[len(prefix):]
    return path


def _is_keras_layer(path: str) -> bool:
    parts = path.split(".")
    return parts[0] == "keras" and ("layers" in parts[1:-1] or parts[-1] in KERAS_MODEL_NAMES)


def forbidden_by(rule: str, path: str) -> bool:
    """Whether the library object at `path` is what `rule` forbids."""
    path = normalize(path)
    last = path.rsplit(".", 1)[-1]
    if rule == WRITTEN_OUT_SIGMOID:
        return last in READY_MADE_SIGMOIDS
    if rule == NO_MATRIX_PRODUCT:
        return last in MATRIX_PRODUCTS
    if rule == NO_KERAS_LAYER:
        return _is_keras_layer(path)
    return False


def may_reach(rule: str, path: str) -> bool:
    """Whether an attribute of `path` chosen at run time (and its attributes) may be what `rule` forbids."""
    path = normalize(path)
    if path in ("", "tensorflow"):  # anything at all; tf.keras is under tensorflow
        return True
    return any(home == path or home.startswith(path + ".") for home in RULE_HOMES[rule])


class Reader:
    """The notebook's bindings, and what an expression in some scope may stand for."""

    def __init__(self, cells: list[str]):
        self.module = Scope()
        self.definitions: dict[str, Code | Klass] = {}
        self._scopes: dict[tuple[int, int], Scope] = {}
        self.assigned: set[str] = set()
        self.star_modules: list[str] = []
        self._resolving: set[tuple[int, int]] = set()
        self._known: dict[tuple[int, int], set] = {}
        self._budget = MAX_STEPS
        self._class_scopes: dict[int, Scope] = {}
        self.trees = parse_cells(cells)
        for index, tree in enumerate(self.trees):
            if tree is None:  # a cell that cannot be read cannot run either
                continue
            self.module.cell = index
            self._bind_statements(tree.body, self.module, index, top=True)

    # Bindings.
    def _bind_statements(self, statements: list[ast.stmt], scope: Scope, cell: int, top: bool) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                value = Code(node, scope, cell) if not isinstance(node, ast.ClassDef) else Klass(node, scope, cell)
                scope.bind(node.name, value, top)
                if scope is self.module and top:
                    self.definitions[node.name] = value
                    self.assigned.discard(node.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        scope.bind(alias.asname, External(alias.name), top)
                    else:
                        root = alias.name.split(".")[0]
                        scope.bind(root, External(root), top)
            elif isinstance(node, ast.ImportFrom):
                if node.level or not node.module:
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        self.star_modules.append(node.module)
                    else:
                        scope.bind(alias.asname or alias.name, External(f"{node.module}.{alias.name}"), top)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self._bind_target(target, node.value, scope, top and not isinstance(node, ast.AugAssign))
                    if scope is self.module and top and isinstance(target, ast.Name):
                        self.assigned.add(target.id)
                        self.definitions.pop(target.id, None)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self._bind_target(node.target, None, scope, False)
                self._bind_statements(node.body + node.orelse, scope, cell, False)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind_target(item.optional_vars, None, scope, False)
                self._bind_statements(node.body, scope, cell, False)
            elif isinstance(node, (ast.If, ast.While)):
                self._bind_statements(node.body + node.orelse, scope, cell, False)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                for handler in node.handlers:
                    if handler.name:
                        scope.bind(handler.name, Unknown(), False)
                    self._bind_statements(handler.body, scope, cell, False)
                self._bind_statements(node.body + node.orelse + node.finalbody, scope, cell, False)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self._bind_statements(case.body, scope, cell, False)
        # Names bound inside expressions (walrus) and by comprehensions are not followed: Unknown.

    def _bind_target(self, target: ast.AST, value: ast.AST | None, scope: Scope, replace: bool) -> None:
        if isinstance(target, ast.Name):
            scope.bind(target.id, value if value is not None else Unknown(target.id), replace)
        elif isinstance(target, (ast.Tuple, ast.List)):
            paired = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            for position, element in enumerate(target.elts):
                self._bind_target(element, value.elts[position] if paired else None, scope, replace)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, scope, replace)

    def function_scope(self, code: Code) -> Scope:
        """The names a function binds: its parameters (with their defaults), assignments, nested defs."""
        key = (id(code.node), id(code.scope))
        if key not in self._scopes:
            self._scopes[key] = self._function_scope(code)
        return self._scopes[key]

    def _function_scope(self, code: Code) -> Scope:
        scope = Scope(parent=code.scope, cell=code.cell)
        arguments = code.node.args
        positional = arguments.posonlyargs + arguments.args
        defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        for argument, default in zip(positional, defaults):
            scope.bind(argument.arg, Unknown(argument.arg), False)
            if default is not None:
                scope.bind(argument.arg, (default, code.scope), False)
        for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
            scope.bind(argument.arg, Unknown(argument.arg), False)
            if default is not None:
                scope.bind(argument.arg, (default, code.scope), False)
        for argument in (arguments.vararg, arguments.kwarg):
            if argument is not None:
                scope.bind(argument.arg, Unknown(argument.arg), False)
        if isinstance(code.node, ast.Lambda):
            return scope
        self._bind_statements(code.node.body, scope, code.cell, False)
        for node in _own_nodes(code.node):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    scope.bindings.pop(name, None)
            elif isinstance(node, ast.NamedExpr):
                scope.bind(node.target.id, node.value, False)
        return scope

    # Values.
    def lookup(self, name: str, scope: Scope, depth: int) -> set:
        while scope is not None:
            if name in scope.bindings:
                values = set()
                for source in scope.bindings[name]:
                    values |= self._source_values(source, scope, depth)
                return values
            scope = scope.parent
        if hasattr(builtins, name):
            return {External(f"builtins.{name}")}
        if self.star_modules:
            return {External(f"{module}.{name}") for module in self.star_modules} | {Unknown(name)}
        if name in COURSE_NAMES:
            return {External(COURSE_NAMES[name])}
        return {Unknown(name)}

    def _source_values(self, source, scope: Scope, depth: int) -> set:
        if isinstance(source, tuple):  # a parameter's default, read in the scope of the def
            return self.values(source[0], source[1], depth + 1)
        if isinstance(source, ast.AST):
            return self.values(source, scope, depth + 1)
        return {source}

    def values(self, node: ast.AST, scope: Scope, depth: int = 0) -> set:
        """What an expression may stand for; Unknown where the grader cannot tell.

        Each expression is worked out once per scope, and the work is bounded, so no code makes it slow.
        """
        key = (id(node), id(scope))
        if key in self._known:
            return self._known[key]
        if depth > MAX_DEPTH or key in self._resolving or self._budget <= 0:
            return {Unknown()}
        self._budget -= 1
        self._resolving.add(key)
        try:
            found = self._values(node, scope, depth)
        finally:
            self._resolving.discard(key)
        self._known[key] = found
        return found

    def _values(self, node: ast.AST, scope: Scope, depth: int) -> set:
        if isinstance(node, ast.Name):
            return self.lookup(node.id, scope, depth)
        if isinstance(node, ast.Attribute):
            return {value for base in self.values(node.value, scope, depth + 1)
                    for value in self.attribute(base, node.attr, depth)}
        if isinstance(node, ast.Call):
            return self._call_values(node, scope, depth)
        if isinstance(node, ast.Lambda):
            return {Code(node, scope, scope.cell)}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, scope, depth + 1) | self.values(node.orelse, scope, depth + 1)
        if isinstance(node, ast.BoolOp):
            return {value for operand in node.values for value in self.values(operand, scope, depth + 1)}
        if isinstance(node, ast.NamedExpr):
            return self.values(node.value, scope, depth + 1)
        if isinstance(node, ast.Dict):
            return {Container(frozenset(v for item in node.values if item is not None
                                        for v in self.values(item, scope, depth + 1)))}
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return {Container(frozenset(v for item in node.elts for v in self.values(item, scope, depth + 1)))}
        if isinstance(node, ast.Subscript):
            return self._subscript_values(node, scope, depth)
        return {Unknown()}

    def attribute(self, base, name: str, depth: int) -> set:
        if isinstance(base, External):
            return {External(f"{base.path}.{name}")}
        if isinstance(base, Dynamic):
            return {base}
        if isinstance(base, Klass):
            return self._member(base, name, depth)
        if isinstance(base, Container) and name in ("get", "pop", "setdefault", "values", "__getitem__"):
            return {base}
        return {Unknown(name)}

    def _member(self, klass: Klass, name: str, depth: int) -> set:
        """A method or attribute of a student's class (or of its instances, `self.name = ...`)."""
        found = set()
        class_scope = self._class_scopes.get(id(klass.node))
        if class_scope is None:
            class_scope = self._class_scopes[id(klass.node)] = Scope(parent=klass.scope, cell=klass.cell)
            self._bind_statements(klass.node.body, class_scope, klass.cell, False)
        for source in class_scope.bindings.get(name, []):
            found |= self._source_values(source, class_scope, depth)
        for method in klass.node.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            method_scope = None
            for node in ast.walk(method):
                if (isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Attribute) and t.attr == name and isinstance(t.value, ast.Name)
                        and t.value.id == "self" for t in node.targets)):
                    method_scope = method_scope or self.function_scope(Code(method, class_scope, klass.cell))
                    found |= self.values(node.value, method_scope, depth + 1)
        if not found:
            for base in klass.node.bases:  # a library base class: its member by path
                for value in self.values(base, klass.scope, depth + 1):
                    if isinstance(value, External):
                        found.add(External(f"{value.path}.{name}"))
                    elif isinstance(value, Klass) and value.node is not klass.node:
                        found |= self._member(value, name, depth + 1)
        return found or {Unknown(name)}

    def _call_values(self, node: ast.Call, scope: Scope, depth: int) -> set:
        results = set()
        for function in self.values(node.func, scope, depth + 1):
            results |= self._call_result(function, node, scope, depth)
        return results

    def _call_result(self, function, node: ast.Call, scope: Scope, depth: int) -> set:
        args = node.args
        if isinstance(function, Klass):
            return {Klass(function.node, function.scope, function.cell, instance=True)}
        if isinstance(function, Code):
            return self.returned(function, depth)
        if isinstance(function, Container):  # table.get(key)
            return set(function.items)
        if not isinstance(function, External):
            return {Unknown()}
        path = normalize(function.path)
        if path == "builtins.getattr" and len(args) >= 2:
            name = self.fold(args[1], scope)
            results = set()
            for base in self.values(args[0], scope, depth + 1):
                if name is not None:
                    results |= self.attribute(base, name, depth)
                elif isinstance(base, External):
                    results.add(Dynamic(base.path))
                elif isinstance(base, Dynamic):
                    results.add(base)
                else:
                    results.add(Dynamic(""))
            return results
        if path in ("keras.activations.get", "keras.activations.deserialize") and args:
            name = self.fold(args[0], scope)
            if name is not None:
                return {External(f"keras.activations.{name}")}
            given = self.values(args[0], scope, depth + 1)
            return {value for value in given if isinstance(value, (Code, External))} | {Dynamic("keras.activations")}
        if path in ("importlib.import_module", "builtins.__import__") and args:
            name = self.fold(args[0], scope)
            if name is None:
                return {Dynamic("")}
            return {External(name if path == "importlib.import_module" else name.split(".")[0])}
        if path == "functools.partial" and args:
            return self.values(args[0], scope, depth + 1)
        if path in ("builtins.eval", "builtins.globals", "builtins.locals", "builtins.vars"):
            return {Dynamic("")}
        return {Unknown()}

    def _subscript_values(self, node: ast.Subscript, scope: Scope, depth: int) -> set:
        target = node.value
        key = self.fold(node.slice, scope)
        namespace_of = None
        if isinstance(target, ast.Attribute) and target.attr == "__dict__":
            namespace_of = target.value
        elif isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.args:
            if self.lookup(target.func.id, scope, depth) == {External("builtins.vars")}:
                namespace_of = target.args[0]
        if namespace_of is not None:  # vars(tf.nn)["sigmoid"], tf.nn.__dict__[name]
            bases = self.values(namespace_of, scope, depth + 1)
            if key is not None:
                return {v for base in bases for v in self.attribute(base, key, depth)}
            return {Dynamic(base.path) if isinstance(base, External) else Dynamic("") for base in bases}
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and \
                self.lookup(target.func.id, scope, depth) & {External("builtins.globals"), External("builtins.locals")}:
            return self.lookup(key, self.module, depth) if key is not None else {Dynamic("")}
        results = set()
        for value in self.values(target, scope, depth + 1):
            if isinstance(value, Container):
                results |= set(value.items)
            elif isinstance(value, Dynamic):
                results.add(value)
            else:
                results.add(Unknown())
        return results

    def returned(self, code: Code, depth: int) -> set:
        """What a student's function may return."""
        if depth > MAX_DEPTH:
            return {Unknown()}
        scope = self.function_scope(code)
        if isinstance(code.node, ast.Lambda):
            return self.values(code.node.body, scope, depth + 1)
        found = set()
        for node in _own_nodes(code.node):
            if isinstance(node, ast.Return) and node.value is not None:
                found |= self.values(node.value, scope, depth + 1)
        return found or {Unknown()}

    def fold(self, node: ast.AST, scope: Scope, depth: int = 0) -> str | None:
        """The string an expression always makes, when the grader can work it out without running it."""
        value = self._fold(node, scope, depth)
        return value if isinstance(value, str) and len(value) <= MAX_FOLDED else None

    def _fold(self, node: ast.AST, scope: Scope, depth: int):
        if depth > MAX_DEPTH or self._budget <= 0:
            return None
        self._budget -= 1
        deeper = depth + 1
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self._fold(node.operand, scope, deeper)
            return -operand if isinstance(operand, int) else None
        if isinstance(node, ast.Name):
            sources = self._sources_of(node.id, scope)
            if sources is not None and len(sources) == 1 and isinstance(sources[0][0], ast.AST):
                return self._fold(sources[0][0], sources[0][1], deeper)
            return None
        if isinstance(node, ast.BinOp):
            left = self._fold(node.left, scope, deeper)
            right = None if left is None else self._fold(node.right, scope, deeper)
            if right is None:
                return None
            try:
                if isinstance(node.op, ast.Add) and type(left) is type(right):
                    result = left + right
                elif isinstance(node.op, ast.Mult) and {type(left), type(right)} == {str, int}:
                    text, times = (left, right) if isinstance(left, str) else (right, left)
                    result = text * times if len(text) * max(times, 0) <= MAX_FOLDED else None
                elif isinstance(node.op, ast.Mod) and isinstance(left, str):
                    result = left % right
                else:
                    return None
            except (TypeError, ValueError, OverflowError):
                return None
            return result if not isinstance(result, str) or len(result) <= MAX_FOLDED else None
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                piece = self._fold(part.value, scope, deeper) if isinstance(part, ast.FormattedValue) \
                    else self._fold(part, scope, deeper)
                if piece is None:
                    return None
                parts.append(str(piece))
            return "".join(parts)
        if isinstance(node, ast.Subscript):
            base = self._fold(node.value, scope, deeper)
            if not isinstance(base, str):
                return None
            if isinstance(node.slice, ast.Slice):
                bounds = [None if b is None else self._fold(b, scope, deeper)
                          for b in (node.slice.lower, node.slice.upper, node.slice.step)]
                if any(b is not None and not isinstance(b, int) for b in bounds) or \
                        any(b is None and given is not None for b, given in
                            zip(bounds, (node.slice.lower, node.slice.upper, node.slice.step))) or bounds[2] == 0:
                    return None
                return base[slice(*bounds)]
            index = self._fold(node.slice, scope, deeper)
            return base[index] if isinstance(index, int) and -len(base) <= index < len(base) else None
        if isinstance(node, ast.Call):
            return self._fold_call(node, scope, deeper)
        return None

    def _fold_call(self, node: ast.Call, scope: Scope, depth: int):
        if node.keywords:
            return None
        args = [self._fold(arg, scope, depth) for arg in node.args]
        if any(arg is None for arg in args):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "join" and len(node.args) == 1 \
                    and isinstance(node.args[0], (ast.List, ast.Tuple)):
                separator = self._fold(node.func.value, scope, depth)
                items = [self._fold(item, scope, depth) for item in node.args[0].elts]
                if isinstance(separator, str) and all(isinstance(item, str) for item in items):
                    return separator.join(items)
            return None
        if isinstance(node.func, ast.Name):
            function = self.lookup(node.func.id, scope, depth)
            if function == {External("builtins.chr")} and len(args) == 1 and isinstance(args[0], int) \
                    and 0 <= args[0] < 0x110000:
                return chr(args[0])
            if function == {External("builtins.str")} and len(args) == 1:
                return str(args[0])
            return None
        if isinstance(node.func, ast.Attribute):
            base = self._fold(node.func.value, scope, depth)
            method = node.func.attr
            if isinstance(base, str) and method in ("lower", "upper", "strip", "lstrip", "rstrip", "title",
                                                   "capitalize", "casefold", "swapcase") and not args:
                return getattr(base, method)()
            if isinstance(base, str) and method in ("replace", "removeprefix", "removesuffix") and \
                    all(isinstance(arg, str) for arg in args) and len(args) in (1, 2):
                return getattr(base, method)(*args)
        return None

    def _sources_of(self, name: str, scope: Scope):
        """(expression, scope) pairs a name may hold, or None when bound only by things not folded."""
        while scope is not None:
            if name in scope.bindings:
                pairs = []
                for source in scope.bindings[name]:
                    if isinstance(source, tuple):
                        pairs.append(source)
                    elif isinstance(source, ast.AST):
                        pairs.append((source, scope))
                    else:
                        return None
                return pairs
            scope = scope.parent
        return None


def _own_nodes(function: ast.AST):
    """The nodes of a function's body, without descending into nested functions and classes."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))


def _is_stub(function: ast.AST) -> bool:
    """A body that only raises NotImplementedError (after a docstring): unfinished, not forbidden."""
    body = [node for node in function.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return bool(body) and all(isinstance(node, ast.Raise) and node.exc is not None
                              and "NotImplementedError" in ast.unparse(node.exc) for node in body)


class _Search:
    """Walks every piece of code the exercise's function reaches and collects what breaks its rules."""

    def __init__(self, reader: Reader, rules: tuple[str, ...]):
        self.reader = reader
        self.rules = [rule for rule in rules if rule in RULE_HOMES]
        self.findings: dict[tuple, Finding] = {}
        self.visited: set[int] = set()
        self.pending: list[Code] = []
        self.loops = False
        self.reached: list[Code] = []

    def run(self, start: Code | Klass) -> None:
        self._follow(start)
        while self.pending:
            code = self.pending.pop()
            if id(code.node) in self.visited:
                continue
            self.visited.add(id(code.node))
            self.reached.append(code)
            self._read(code)

    def _read(self, code: Code) -> None:
        scope = self.reader.function_scope(code)
        body = [code.node.body] if isinstance(code.node, ast.Lambda) else code.node.body
        chained = set()
        nodes = []
        for statement in body:
            nodes.append(statement)
            nodes.extend(_own_nodes(statement))
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                self.pending.append(Code(node, scope, code.cell))
                continue
            if isinstance(node, ast.ClassDef):
                self._follow(Klass(node, scope, code.cell))
                continue
            if isinstance(node, LOOPS):
                self.loops = True
            if isinstance(node, ast.Attribute):
                chained.add(id(node.value))
            if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
                self._add(NO_MATRIX_PRODUCT, "@", True, code.cell, node)
            if imports_checking_code(node):
                self._add_checking(node, code.cell)
        for node in nodes:
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load) \
                    and id(node) not in chained:
                self._judge(node, self.reader.values(node, scope), code.cell)
            elif isinstance(node, (ast.Call, ast.Subscript)):
                self._judge(node, self.reader.values(node, scope), code.cell)

    def _judge(self, node: ast.AST, values: set, cell: int) -> None:
        for value in values:
            if isinstance(value, Container):
                self._judge(node, set(value.items), cell)
            elif isinstance(value, (Code, Klass)):
                self._follow(value)
            elif isinstance(value, External):
                if is_checking_code(value.path):
                    self._add_checking(node, cell)
                for rule in self.rules:
                    if forbidden_by(rule, value.path):
                        self._add(rule, _shown(node), True, cell, node)
                if normalize(value.path) in ("builtins.exec", "builtins.eval", "builtins.compile"):
                    for rule in self.rules:
                        self._add(rule, _shown(node), False, cell, node)
            elif isinstance(value, Dynamic):
                for rule in self.rules:
                    if may_reach(rule, value.path):
                        self._add(rule, _shown(node), False, cell, node)
            elif isinstance(value, Unknown) and value.name:
                for rule in self.rules:
                    if value.name in FORBIDDEN_NAMES[rule]:
                        self._add(rule, _shown(node), False, cell, node)

    def _follow(self, value) -> None:
        if isinstance(value, Code):
            self.pending.append(value)
        elif isinstance(value, Klass):
            for member in value.node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.pending.append(Code(member, value.scope, value.cell))

    def _add_checking(self, node: ast.AST, cell: int) -> None:
        found = _shown(node)
        self.findings.setdefault((NO_CHECKING_CODE, found), Finding(NO_CHECKING_CODE, CHECKING_CODE, found, True, cell,
                                                                   getattr(node, "lineno", 0)))

    def cut_off(self) -> None:
        """The reached definitions that come after a cell's top-level import of the checking code: where it
        is absent, that import fails and the rest of its cell never runs, so they are never defined."""
        for code in self.reached:
            tree = self.reader.trees[code.cell] if code.scope is self.reader.module and code.cell >= 0 else None
            if tree is None or not any(statement is code.node for statement in tree.body):
                continue  # only a `def` of a cell's top level is known to be in that cell
            for statement in tree.body:
                if statement is code.node:
                    break
                if not isinstance(statement, (*FUNCTIONS, ast.ClassDef)) and self._runs_checking_code(statement):
                    self._add_checking(statement, code.cell)
                    break

    def _runs_checking_code(self, statement: ast.stmt) -> bool:
        """Whether a top-level statement imports the checking code: `import course_checks as c`, or
        `importlib.import_module` or `__import__` of a name that is, however it is spelt."""
        for node in (statement, *_own_nodes(statement)):
            if imports_checking_code(node):
                return True
            if isinstance(node, ast.Call) and any(isinstance(value, External) and is_checking_code(value.path)
                                                  for value in self.reader.values(node, self.reader.module)):
                return True
        return False

    def _add(self, rule: str, found: str, definite: bool, cell: int, node: ast.AST) -> None:
        if rule not in self.rules:
            return
        key = (rule, found)
        known = self.findings.get(key)
        if known is None or (definite and not known.definite):
            self.findings[key] = Finding(rule, RULE_CODES[rule], found, definite, cell, getattr(node, "lineno", 0))


def is_checking_code(path: str) -> bool:
    return path.split(".")[0] == CHECKING_PACKAGE


def imports_checking_code(node: ast.AST) -> bool:
    """An import statement of the checking code (whether or not what it binds is used)."""
    if isinstance(node, ast.Import):
        return any(is_checking_code(alias.name) for alias in node.names)
    return isinstance(node, ast.ImportFrom) and not node.level and is_checking_code(node.module or "")


def _shown(node: ast.AST) -> str:
    return "@" if isinstance(node, (ast.BinOp, ast.AugAssign)) else ast.unparse(node)[:60]


def rule_findings(exercise: Exercise, cells: list[str]) -> list[Finding]:
    """Every way the exercise's function or class (and what it reaches) breaks the exercise's rules, and
    the rule of every exercise: no use of the course's checking code (CHECKING_PACKAGE).

    Definite findings first. An unfinished stub breaks nothing; a function not written with
    `def` cannot be read and breaks the rule that it must be (`forbidden.no_def`).
    """
    reader = Reader(cells)
    name = exercise.name
    if name not in reader.definitions:
        bound = reader.lookup(name, reader.module, 0) if name in reader.assigned else set()
        if any(isinstance(value, External) and is_checking_code(value.path) for value in bound):
            return [Finding(NO_CHECKING_CODE, CHECKING_CODE, name, True)]  # `dense_shapes = course_checks....`
        if exercise.static_rules and name in reader.assigned:
            return [Finding("no_def", "forbidden.no_def", name, True)]
        return []
    start = reader.definitions[name]
    if isinstance(start, Code) and _is_stub(start.node):
        return []
    search = _Search(reader, exercise.static_rules if isinstance(start, Code) else ())
    search.run(start)
    search.cut_off()
    findings = list(search.findings.values())
    if MUST_LOOP in exercise.static_rules and isinstance(start, Code) and not search.loops:
        findings.append(Finding(MUST_LOOP, RULE_CODES[MUST_LOOP], name, True, start.cell, start.node.lineno))
    findings.sort(key=lambda f: (not f.definite, f.rule != NO_CHECKING_CODE, f.rule == MUST_LOOP, f.cell, f.line))
    checking = [finding for finding in findings if finding.rule == NO_CHECKING_CODE]
    return checking[:1] + [finding for finding in findings if finding.rule != NO_CHECKING_CODE]  # said once
