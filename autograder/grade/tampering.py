"""Code that reaches into the grader's harness or hides itself from reading: named for the instructor.

Such a submission is graded as usual: the sealed harness, the grader's own inputs and weights,
and the structure read from the source already keep it from earning what it did not compute.
It is also flagged "needs review", with the lines that did it, so a person can look. A flag
never changes a score.

What is flagged: `sys.modules`; importing the grader's package; `importlib`/`__import__`
with a computed name; `exec`/`eval`/`compile` of anything but a written-out string; ctypes;
`gc.get_objects` and friends; frame and function internals (`sys._getframe`, `inspect.stack`,
`f_back`, `__globals__`, ...); the protocol's socket or raw file descriptors (`socket(fileno=...)`,
`os.write`, `/proc/self/fd`); a model that replaces the Keras methods the grader uses on it;
and, from the grading itself, a model whose output ignores the weights the grader set. Beside the
code, a timestamp.txt that says no time is flagged too (autograder.lateness): whether it was late
is then for a person to find out.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass

from autograder.grade.structure import KERAS_API, Notebook, parse_cells
from autograder.lateness import UNREADABLE_TIMESTAMP
from autograder.messages import DEFAULT_LANGUAGE, render

MAX_FLAGS = 50
MAX_LINE_CHARS = 160
GC_FUNCTIONS = {"get_objects", "get_referrers", "get_referents"}
FRAME_FUNCTIONS = {"_getframe", "currentframe", "stack", "getouterframes", "getinnerframes", "trace", "getframeinfo",
                   "_current_frames", "settrace", "setprofile"}
INTERNAL_ATTRIBUTES = {"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
                       "ag_frame", "__globals__", "__code__", "__closure__", "__builtins__", "__subclasses__"}
FD_FUNCTIONS = {"write", "read", "dup", "dup2", "fdopen", "sendfile", "pwrite", "writev", "readv", "fstat", "lseek"}
SOCKET_FUNCTIONS = {"fromfd", "socketpair", "fromshare"}
CODE_RUNNERS = {"exec", "eval", "compile"}
# Behaviour the grading itself shows (result codes of tests) that is flagged too.
FLAGGED_CODES = {"model.ignores_weights": "ignores_weights"}

# Every reason is a message `review.<reason>` of the catalog (autograder.messages), in each language.
REASONS = ("sys_modules", "grader_import", "computed_import", "built_code", "ctypes", "gc_objects", "frames",
           "raw_fds", "replaces_keras", "ignores_weights", UNREADABLE_TIMESTAMP)


@dataclass(frozen=True)
class Flag:
    """One reason for a person to look: where (cell and line, or exercise) and what."""

    reason: str
    text: str
    cell: int | None = None
    line: int | None = None
    exercise: str | None = None

    def to_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


def _is_literal(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _root(notebook: Notebook, node: ast.AST) -> str:
    dotted = notebook.dotted(node) or ""
    return dotted.split(".")[0]


def _reason(notebook: Notebook, node: ast.AST) -> str | None:
    """Why this node is flagged, or None."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        if any(module.split(".")[0] == "autograder" for module in modules):
            return "grader_import"
        if any(module.split(".")[0] in ("ctypes", "_ctypes", "cffi") for module in modules):
            return "ctypes"
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        if "autograder" in text and len(text) < 200:
            return "grader_import"
        if "/proc/self/fd" in text or "/dev/fd" in text:
            return "raw_fds"
        return None
    if isinstance(node, ast.Attribute):
        if node.attr == "modules" and _root(notebook, node.value) == "sys":
            return "sys_modules"
        if node.attr in INTERNAL_ATTRIBUTES:
            return "frames"
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    root = _root(notebook, func.value) if isinstance(func, ast.Attribute) else ""
    first = node.args[0] if node.args else None
    if isinstance(func, ast.Name) and name in CODE_RUNNERS and not _is_literal(first):
        return "built_code"
    if name == "__import__" and not _is_literal(first):
        return "computed_import"
    if root == "importlib" and name in ("import_module", "reload", "__import__") and not _is_literal(first):
        return "computed_import"
    if root == "gc" and name in GC_FUNCTIONS:
        return "gc_objects"
    if root in ("sys", "inspect", "threading", "traceback") and name in FRAME_FUNCTIONS:
        return "frames"
    if root == "os" and name in FD_FUNCTIONS:
        return "raw_fds"
    if root == "socket" and (name in SOCKET_FUNCTIONS or any(k.arg == "fileno" for k in node.keywords)):
        return "raw_fds"
    if name == "open" and isinstance(func, ast.Name) and isinstance(first, ast.Constant) \
            and isinstance(first.value, int):
        return "raw_fds"
    return None


def _replaced_keras_methods(tree: ast.Module) -> list[ast.AST]:
    """Definitions of Keras' own methods (set_weights, __call__, ...) inside the notebook's classes."""
    return [item for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in KERAS_API]


def _written_python(source: str) -> str | None:
    """The Python a `%%writefile something.py` cell writes (to be imported later), or None."""
    first, _, body = source.lstrip().partition("\n")
    words = first.split()
    if len(words) >= 2 and words[0] == "%%writefile" and words[-1].endswith(".py"):
        return body
    return None


def source_flags(cells: list[str]) -> list[Flag]:
    """The lines of the submission that reach into the harness or hide code, in cell order.

    A module written by `%%writefile x.py` is read as code too, its lines counted from the magic's.
    """
    offsets = [1 if _written_python(source) is not None else 0 for source in cells]
    cells = [_written_python(source) or source for source in cells]
    trees = parse_cells(cells)
    notebook = Notebook(trees)
    flags: list[Flag] = []
    seen: set[tuple[int, int, str]] = set()
    for index, (source, tree) in enumerate(zip(cells, trees)):
        if tree is None:
            continue
        lines = source.splitlines()
        found = [(node, _reason(notebook, node)) for node in ast.walk(tree)]
        found += [(node, "replaces_keras") for node in _replaced_keras_methods(tree)]
        for node, reason in found:
            line = getattr(node, "lineno", None)
            if reason is None or line is None or (index, line, reason) in seen:
                continue
            seen.add((index, line, reason))
            text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            flags.append(Flag(reason, text[:MAX_LINE_CHARS], cell=index, line=line + offsets[index]))
    return sorted(flags, key=lambda flag: (flag.cell, flag.line, flag.reason))[:MAX_FLAGS]


def behaviour_flags(tests: list) -> list[Flag]:
    """Flags from how the submission behaved while graded (one per exercise and reason)."""
    flags: dict[tuple[str, str], Flag] = {}
    for test in tests:
        reason = FLAGGED_CODES.get(test.code)
        if reason and (test.exercise, reason) not in flags:
            flags[(test.exercise, reason)] = Flag(reason, "", exercise=test.exercise)
    return list(flags.values())


def review_flags(cells: list[str], tests: list) -> list[dict]:
    """Everything that makes a submission need review, as JSON data for its result; empty if nothing."""
    return [flag.to_json() for flag in [*source_flags(cells), *behaviour_flags(tests)]]


def describe_flag(flag: dict, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Where and why, in the language asked for, and the student's line (empty for behaviour)."""
    reason = str(flag.get("reason", ""))
    why = render(f"review.{reason}", {}, lang) if reason in REASONS else reason
    if flag.get("cell") is not None:
        where = render("review.where", {"cell": flag["cell"], "line": flag.get("line")}, lang)
        return f"{where}: {why}", str(flag.get("text", ""))
    if flag.get("file"):  # a file beside the submission (timestamp.txt), and what it holds
        return f"{flag['file']}: {why}", str(flag.get("text", ""))
    return f"{flag.get('exercise', '')}: {why}", ""


def needs_review_text(result: dict, lang: str = DEFAULT_LANGUAGE) -> str:
    """The flags of a result on one line (for the CSV and the gradebook's comment); empty when there are none."""
    lines = []
    for flag in result.get("review") or []:
        if isinstance(flag, dict):
            where, line = describe_flag(flag, lang)
            lines.append(f"{where}: {line}" if line else where)
    return "; ".join(lines)
