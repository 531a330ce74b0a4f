"""From a file on disk to a submission record: who, which cells, which manual answers.

Notebooks are read as JSON and never executed here. Test cells (nbgrader's graded test
cells and the visible test cells) are left out: the grader runs its own tests.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.exercises import ASSIGNMENT, EXERCISES
from autograder.lateness import read_timestamp
from autograder.messages import Phrase, phrase

SUFFIXES = (".ipynb", ".py")
MANUAL_IDS = {exercise.id for exercise in EXERCISES if not exercise.automatic}
MAX_SUBMISSION_BYTES = 20 * 1024**2


@dataclass
class Submission:
    student: str
    path: Path
    sha256: str
    kind: str
    cells: list[str] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)
    problem: Phrase | None = None
    timestamp: str = ""


def sanitize_student_id(raw: str) -> str:
    """A student id that is safe as a file name: no separators, no leading dots, bounded length."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", raw).lstrip(".")[:100]
    return cleaned or "student"


def in_nbgrader_layout(path: Path) -> bool:
    """Whether the file is in nbgrader's submitted/<student>/<assignment>/ layout."""
    return len(path.parts) >= 3 and path.parts[-2] == ASSIGNMENT


def student_id_for(path: Path) -> str:
    """nbgrader's submitted/<student>/<assignment>/file.ipynb gives <student>; otherwise the file's name."""
    if in_nbgrader_layout(path):
        return sanitize_student_id(path.parts[-3])
    return sanitize_student_id(path.stem)


def discover(paths: list[Path]) -> list[tuple[str, Path]]:
    """(student id, file) for each submission under the paths, ids made unique, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES
                            and ".ipynb_checkpoints" not in p.parts)
        else:
            files.append(path)
    found, used = [], set()
    for file in files:
        student = base = student_id_for(file)
        counter = 2
        while student in used:
            student, counter = f"{base}-{counter}", counter + 1
        used.add(student)
        found.append((student, file))
    return found


def _is_test_cell(cell: dict) -> bool:
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    if meta.get("grade") and not meta.get("solution"):
        return True
    return str(meta.get("grade_id", "")).endswith("_visible_tests")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_notebook(text: str) -> tuple[list[str], dict[str, str]]:
    """The code cells to run and the manual answers, from a notebook's JSON."""
    notebook = json.loads(text)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError("it has no list of cells")
    cells, manual = [], {}
    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            continue
        grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        if cell.get("cell_type") == "code" and not _is_test_cell(cell):
            cells.append(_source(cell))
        elif cell.get("cell_type") == "markdown" and grade_id in MANUAL_IDS:
            manual[grade_id] = _source(cell)
    return cells, manual


def read_submission(student: str, path: Path) -> Submission:
    """A submission record; a file that cannot be read becomes a record with a problem, not an error."""
    try:
        data = read_submission_bytes(path)
    except OSError as error:
        return unreadable_submission(student, path, error.strerror)
    return parse_submission(student, path, data, submission_timestamp(path))


def read_submission_bytes(path: Path) -> bytes:
    """The file's bytes, one byte past the size cap at most (so an oversized file is still told apart)."""
    with path.open("rb") as file:
        return file.read(MAX_SUBMISSION_BYTES + 1)


def submission_timestamp(path: Path) -> str:
    """When it was handed in, from nbgrader's timestamp.txt beside it; empty outside nbgrader's layout."""
    return read_timestamp(path.parent) if in_nbgrader_layout(path) else ""


def submission_digest(data: bytes) -> str:
    """What a result records of the bytes it graded, and what a resumed batch compares."""
    return hashlib.sha256(data).hexdigest()


def unreadable_submission(student: str, path: Path, reason: str | None) -> Submission:
    return Submission(student, path, "", "unknown", problem=phrase("submission.unreadable", reason=reason))


def parse_submission(student: str, path: Path, data: bytes, timestamp: str = "") -> Submission:
    """The record of bytes already read; `path` only names the file (a cluster's worker never opens it)."""
    submission = Submission(student, path, submission_digest(data),
                            "notebook" if path.suffix == ".ipynb" else "python", timestamp=timestamp)
    if len(data) > MAX_SUBMISSION_BYTES:
        submission.problem = phrase("submission.too_large", megabytes=MAX_SUBMISSION_BYTES // 1024**2)
        return submission
    try:
        text = data.decode("utf-8")
        if submission.kind == "notebook":
            submission.cells, submission.manual = read_notebook(text)
        else:
            submission.cells = [text]
    except (UnicodeDecodeError, ValueError) as error:
        submission.problem = phrase("submission.not_a_notebook", error=str(error)[:250])
    return submission
