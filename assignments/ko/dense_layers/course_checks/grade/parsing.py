"""Parsing a student's cell in the grader: the one place that calls ast.parse on student text.

CPython 3.11's AST construction keeps its recursion depth in state shared by all threads, so
two threads parsing at once can fail at random with `SystemError: AST constructor recursion
depth mismatch`; every parse here holds one lock. Student text is bounded before it is parsed,
and a cell too large, too deep (a 5,000-term sum recurses once per term) or invalid gives None:
the caller decides what a cell it cannot read means, the grader never fails on it.
"""

from __future__ import annotations

import ast
import threading

from course_checks.run.inside.execute import transform

MAX_CELL_CHARS = 1_000_000
_PARSE_LOCK = threading.Lock()


def parse_cell(source: str) -> ast.Module | None:
    """The cell's syntax tree as the student process would compile it (magics removed), or None."""
    if not isinstance(source, str) or len(source) > MAX_CELL_CHARS:
        return None
    for _attempt in range(2):
        try:
            with _PARSE_LOCK:
                return ast.parse(transform(source))
        except SystemError:  # the race above, with a parse outside this module: once more
            continue
        except Exception:  # SyntaxError, ValueError, RecursionError, MemoryError, IPython's transformer
            return None
    return None
