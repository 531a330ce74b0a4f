"""Static checks, before anything runs: what an exercise's function may not use.

The rules come from the exercise list. A function is read together with the notebook's
other top-level functions it calls, so a helper cannot hide a matrix product.
"""

from __future__ import annotations

import ast

from course_checks.checks.core import CheckFailure
from course_checks.exercises import MUST_LOOP, NO_KERAS_LAYER, NO_MATRIX_PRODUCT, WRITTEN_OUT_SIGMOID, Exercise
from course_checks.run.inside.execute import transform

MATRIX_PRODUCT_NAMES = {"matmul", "tensordot", "einsum", "matvec", "mm", "bmm"}
KERAS_LAYER_NAMES = {"Dense", "Sequential", "EinsumDense", "Model"}
READY_MADE_SIGMOIDS = {"sigmoid", "expit", "hard_sigmoid"}
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp)


def top_level_definitions(cells: list[str]) -> tuple[dict[str, ast.AST], set[str]]:
    """The last `def` or `class` of each name across the cells, and the names assigned otherwise."""
    definitions: dict[str, ast.AST] = {}
    assigned: set[str] = set()
    for source in cells:
        try:
            tree = ast.parse(transform(source))
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                definitions[node.name] = node
                assigned.discard(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        assigned.add(target.id)
                        definitions.pop(target.id, None)
    return definitions, assigned


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _used_name(node: ast.AST) -> str | None:
    """The name a node calls or reads as an attribute (`tf.matmul`, `matmul(...)`), not a plain variable."""
    if isinstance(node, ast.Call):
        return _name_of(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_keras_layers(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "layers"
            and _name_of(node.value) == "keras")


def _reachable(name: str, definitions: dict[str, ast.AST]) -> list[ast.AST]:
    """The function and every top-level function of the notebook it calls, transitively."""
    seen, order, pending = set(), [], [name]
    while pending:
        current = pending.pop()
        if current in seen or current not in definitions:
            continue
        seen.add(current)
        order.append(definitions[current])
        pending += [_name_of(node.func) for node in ast.walk(definitions[current])
                    if isinstance(node, ast.Call) and _name_of(node.func) in definitions]
    return order


def _is_stub(function: ast.AST) -> bool:
    """A body that only raises NotImplementedError (after a docstring): unfinished, not forbidden."""
    body = [node for node in function.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return bool(body) and all(isinstance(node, ast.Raise) and node.exc is not None
                              and "NotImplementedError" in ast.unparse(node.exc) for node in body)


def check_static_rules(exercise: Exercise, cells: list[str]) -> CheckFailure | None:
    """The first rule the exercise's function breaks, or None."""
    if not exercise.static_rules:
        return None
    definitions, assigned = top_level_definitions(cells)
    if exercise.name not in definitions:
        return CheckFailure("forbidden.no_def", name=exercise.name) if exercise.name in assigned else None
    if _is_stub(definitions[exercise.name]):
        return None
    nodes = [node for function in _reachable(exercise.name, definitions) for node in ast.walk(function)]
    if NO_MATRIX_PRODUCT in exercise.static_rules:
        for node in nodes:
            if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
                return CheckFailure("forbidden.matrix_product", name=exercise.name, found="@")
            if _used_name(node) in MATRIX_PRODUCT_NAMES:
                return CheckFailure("forbidden.matrix_product", name=exercise.name, found=_used_name(node))
    if NO_KERAS_LAYER in exercise.static_rules:
        for node in nodes:
            if _used_name(node) in KERAS_LAYER_NAMES or _is_keras_layers(node):
                return CheckFailure("forbidden.keras_layer", name=exercise.name, found=ast.unparse(node)[:60])
    if WRITTEN_OUT_SIGMOID in exercise.static_rules:
        for node in nodes:
            if _used_name(node) in READY_MADE_SIGMOIDS:
                return CheckFailure("forbidden.builtin_sigmoid", name=exercise.name, found=ast.unparse(node)[:60])
    if MUST_LOOP in exercise.static_rules and not any(isinstance(node, LOOPS) for node in nodes):
        return CheckFailure("forbidden.no_loop", name=exercise.name)
    return None
