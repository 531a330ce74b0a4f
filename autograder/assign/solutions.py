"""The solutions, from the master notebook: each step one small preprocessor, as nbgrader builds its release."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, ClearOutput

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


class StripSolutionMarkers(Preprocessor):
    """Drop the `### BEGIN/END SOLUTION` lines, keeping the code between them."""

    def preprocess_cell(self, cell, resources, index):
        lines = cell.source.splitlines()
        cell.source = "\n".join(line for line in lines if line.strip() not in SOLUTION_MARKERS)
        return cell, resources


SOLUTION_PREPROCESSORS = (ClearHiddenTests, ClearOutput, StripSolutionMarkers)


def _role(cell) -> str:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade_id") == "setup":
        return "setup"
    return "solution" if meta.get("solution") and cell.cell_type == "code" else "other"


def solution_module(notebook, title: str) -> str:
    """The solution as a Python module: the setup cell and the solution cells, nothing else."""
    parts = [f'"""{title}: the reference solution, generated from the master notebook by `make release`."""']
    parts += [cell.source for cell in notebook.cells if _role(cell) in ("setup", "solution")]
    return "\n\n\n".join(parts) + "\n"


def write_solutions(master: Path, folder: Path) -> list[Path]:
    """The solution notebook (no hidden tests, no outputs) and the solution module, written to `folder`."""
    notebook = nbformat.read(master, as_version=4)
    resources: dict = {}
    for preprocessor in SOLUTION_PREPROCESSORS:
        notebook, resources = preprocessor().preprocess(notebook, resources)
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / master.name, folder / f"{master.stem}.py"]
    nbformat.write(notebook, written[0])
    written[1].write_text(solution_module(notebook, master.stem), encoding="utf-8")
    return written
