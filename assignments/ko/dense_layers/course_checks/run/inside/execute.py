"""Running a submission's code cells as Jupyter would, without a Jupyter kernel.

IPython's own input transformer turns magics and `!` lines into calls on `get_ipython()`;
the stand-in shell below accepts them and does nothing, so `%matplotlib inline` or
`!pip install` cannot break a notebook, and nothing is installed or run in a shell. The
cell magics whose effect later cells rely on (`%%time` runs its cell, `%%writefile` writes
its file into the working folder) do what Jupyter does.
"""

from __future__ import annotations

import builtins
import importlib
import os
import shlex

from course_checks.run.inside.probes import describe_exception

try:
    from IPython.core.inputtransformer2 import TransformerManager
except ImportError:  # IPython is optional where only plain .py submissions are run
    TransformerManager = None


# Cell magics that only measure or capture their cell: Jupyter still runs the cell, so must we.
CELL_MAGICS_THAT_RUN = {"time", "timeit", "capture", "prun"}
# Cell magics that write their cell to a file, which later cells may import or read.
CELL_MAGICS_THAT_WRITE = {"writefile", "file"}


def write_file(line: str, cell: str) -> None:
    """`%%writefile [-a] NAME` as IPython does it: NAME is relative to the working folder, which is
    importable as a Jupyter kernel's is."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    append = any(word in ("-a", "--append") for word in words)
    names = [word for word in words if word not in ("-a", "--append")]
    if len(names) != 1:
        raise ValueError(f"%%writefile needs one file name, got {line!r}")
    filename = os.path.expanduser(names[0])
    print(("Appending to " if append else "Overwriting " if os.path.exists(filename) else "Writing ") + filename)
    with open(filename, "a" if append else "w", encoding="utf-8") as file:
        file.write(cell)
    importlib.invalidate_caches()


class QuietShell:
    """What `get_ipython()` returns to student code: magics and shell commands are ignored,
    except that a cell under `%%time` or the like still runs, as it does in Jupyter."""

    def __init__(self, namespace: dict):
        self.namespace = namespace

    def run_line_magic(self, name, line, *args, **kwargs):
        return None

    def run_cell_magic(self, name, line, cell, *args, **kwargs):
        if name in CELL_MAGICS_THAT_RUN:
            exec(compile(transform(cell), "<cell magic>", "exec"), self.namespace)
        elif name in CELL_MAGICS_THAT_WRITE:
            write_file(line, cell)
        return None

    def system(self, command, *args, **kwargs):
        return None

    getoutput = system

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def new_namespace(module_name: str) -> dict:
    namespace = {"__name__": module_name, "__builtins__": builtins}
    shell = QuietShell(namespace)
    namespace["get_ipython"] = lambda: shell
    return namespace


def transform(source: str) -> str:
    """Python source for a cell that may contain IPython syntax."""
    if TransformerManager is None:
        return source
    return TransformerManager().transform_cell(source)


def run_cell(namespace: dict, source: str, index: int) -> dict:
    """Run one cell in the namespace; an error is reported, never raised."""
    try:
        code = compile(transform(source), f"<cell {index}>", "exec")
        exec(code, namespace)
    except SystemExit as error:
        return {"ok": False, "error": f"the cell called exit({error.code!r})"}
    except BaseException as error:  # the student's error is the cell's result
        return {"ok": False, "error": describe_exception(error)}
    return {"ok": True}
