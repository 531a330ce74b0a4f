"""From a file on disk to a submission record: who, which cells, which manual answers.

Notebooks are read as JSON and never executed here, read like Jupyter would: nbformat 3 is
converted, outputs are dropped before any size rule (they are never graded), and whatever an
editor left in the metadata is tolerated. Bounds come before reading: a file is stat'ed and read
only up to a cap, its JSON's nesting checked before it is parsed. Test cells (nbgrader's graded
test cells and the visible test cells) are left out: the grader runs its own tests.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignments import Assignment
from autograder.exercises import CHECK_ALL_CELL
from autograder.lateness import HandedIn, read_timestamp
from autograder.messages import Phrase, phrase
from autograder.places import notebook_places
from autograder.reading import NotRegular, read_regular
from autograder.run.inside.wire import check_json_bounds

SUFFIXES = (".ipynb", ".py")
# The cap on what is graded (a notebook without its outputs); files are read only up to MAX_FILE_BYTES,
# room for a notebook's saved outputs (images), which are dropped before the cap applies.
MAX_SUBMISSION_BYTES = 20 * 1024**2
MAX_FILE_BYTES = 100 * 1024**2
MAX_NOTEBOOK_DEPTH = 100
MAX_NOTEBOOK_ITEMS = 10_000_000

NOT_SUBMISSIONS = {".ipynb_checkpoints", "__pycache__", "__MACOSX", ".git"}
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
HASHED_FILE_NAME = re.compile(r".*-[0-9a-f]{10}")


@dataclass
class Submission:
    student: str
    path: Path
    sha256: str
    kind: str
    cells: list[str] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)
    problem: Phrase | None = None
    notes: list[Phrase] = field(default_factory=list)
    timestamp: HandedIn = HandedIn()
    # Where each cell is in the student's notebook (see autograder.places); empty for a .py file.
    places: list[dict] = field(default_factory=list)
    # The assignment it is graded as; None when it cannot be told (then `problem` says so).
    assignment: Assignment | None = None


@dataclass(frozen=True)
class Found:
    """A student and the file to grade; `problem` when discovery already knows it cannot be graded
    (no notebook, several candidates), `note` when it chose a file the instructor should know about."""

    student: str
    path: Path
    problem: Phrase | None = None
    note: Phrase | None = None
    assignment: Assignment | None = None


def file_name_of(student: str) -> str:
    """The made-safe form of a student id, for file names only: the id itself when it is already a safe
    name, else its safe characters and a hash of the whole id, so two ids never share a file name."""
    if SAFE_FILE_NAME.fullmatch(student) and not HASHED_FILE_NAME.fullmatch(student):
        return student
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", student).lstrip("._-")[:60] or "student"
    return f"{cleaned}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


@dataclass(frozen=True)
class Assignments:
    """The assignments a batch can grade, by name, and the one `--assignment` names ("" when none)."""

    known: dict[str, Assignment]
    chosen: str = ""

    def __post_init__(self):
        if self.chosen and self.chosen not in self.known:
            raise ValueError(f"no assignment named {self.chosen!r} (found: {', '.join(self.known) or 'none'})")

    def of_file(self, path: Path) -> Assignment | None:
        """What a file outside nbgrader's layout is graded as: the assignment its name is, else `--assignment`,
        else the only assignment there is; None when that cannot be told."""
        if path.stem in self.known:
            return self.known[path.stem]
        if self.chosen:
            return self.known[self.chosen]
        return next(iter(self.known.values())) if len(self.known) == 1 else None

    def unknown(self, path: Path) -> Phrase:
        return phrase("submission.unknown_assignment", name=path.name, known=", ".join(self.known) or "-")


def in_nbgrader_layout(path: Path, assignments: Assignments) -> bool:
    """Whether the file is in nbgrader's submitted/<student>/<assignment>/ layout."""
    return len(path.parts) >= 3 and path.parts[-2] in assignments.known


def student_id_for(path: Path, assignments: Assignments) -> str:
    """nbgrader's submitted/<student>/<assignment>/file.ipynb gives <student>; otherwise the file's stem, exactly."""
    return path.parts[-3] if in_nbgrader_layout(path, assignments) else path.stem


def assignment_of_file(path: Path, assignments: Assignments) -> Assignment | None:
    """The assignment a file is graded as: its folder's in nbgrader's layout, else as `Assignments.of_file` says."""
    return assignments.known[path.parts[-2]] if in_nbgrader_layout(path, assignments) else assignments.of_file(path)


def choose_notebook(files: list[Path], assignment: Assignment) -> tuple[Path | None, Phrase | None, Phrase | None]:
    """The file to grade among a student's files, by the release's notebook name: (file, problem, note).

    The release's name wins; without it, the only notebook (or else the only .py file) is graded with a
    note; several candidates or none is a problem to say, never a guess.
    """
    release = assignment.notebook
    named = [f for f in files if f.name == release]
    if named:
        return named[0], None, None
    for suffix in SUFFIXES:
        candidates = sorted((f for f in files if f.suffix == suffix), key=lambda f: f.name)
        if len(candidates) == 1:
            return candidates[0], None, phrase("submission.other_notebook", notebook=release,
                                               name=candidates[0].name)
        if len(candidates) > 1:
            names = ", ".join(f.name for f in candidates)
            return None, phrase("submission.several_candidates", notebook=release, names=names), None
    return None, phrase("submission.no_notebook", notebook=release), None


def _visible(entry: Path) -> bool:
    """Not the leftovers of tools (Jupyter's checkpoints, Python's caches, macOS's zip and resource files)."""
    return entry.name not in NOT_SUBMISSIONS and not entry.name.startswith("._")


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if _visible(entry))
    except OSError:
        return []


def _is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _holds_submission(folder: Path) -> bool:
    return any(entry.suffix in SUFFIXES for entry in _entries(folder))


def discover(paths: list[Path], assignments: Assignments) -> list[Found]:
    """Each student under the paths, the file to grade and its assignment, in a stable order, under their real ids.

    In nbgrader's layout (<student>/<assignment>/, for any assignment known) the student's notebook is chosen
    by the release's name, once per assignment; elsewhere each .ipynb or .py file is a student named by its
    stem, of the assignment `Assignments.of_file` says (or a problem that says it cannot be told). Anything
    named like a submission that is not a regular file (a folder, a pipe, a device) is kept, so its student
    is told; folders named like a submission are never searched, and nothing else becomes a student.
    """
    files: dict[tuple[str, str], list[Path]] = {}
    chosen: dict[tuple[str, str], Found] = {}

    def take_assignment_folder(student: str, folder: Path) -> None:
        assignment = assignments.known[folder.name]
        candidates = [entry for entry in _entries(folder) if entry.suffix in SUFFIXES]
        path, problem, note = choose_notebook(candidates, assignment)
        key = (assignment.name, student)
        if key in chosen or key in files:
            files.setdefault(key, []).append(path or folder)
        else:
            chosen[key] = Found(student, path or folder, problem, note, assignment)

    def take_file(path: Path) -> None:
        assignment = assignment_of_file(path, assignments)
        files.setdefault((assignment.name if assignment else "", student_id_for(path, assignments)), []).append(path)

    def assignment_folders(folder: Path) -> list[Path]:
        return [folder / name for name in assignments.known if _is_real_folder(folder / name)]

    def holds_students(folder: Path) -> bool:
        """nbgrader's submitted/: a folder of <student>/<assignment>/ folders holding work, even when a
        student's id is an assignment's name (submitted/dense_layers/dense_layers/)."""
        return any(_is_real_folder(entry) and any(_holds_submission(a) for a in assignment_folders(entry))
                   for entry in _entries(folder))

    pending: list[tuple[Path, bool]] = []  # (folder, whether it is a student's folder in submitted/)
    for path in paths:
        if path.is_dir() and path.name in assignments.known and path.resolve().parent.name:
            take_assignment_folder(path.resolve().parent.name, path)  # <student>/<assignment> given itself
        elif path.is_dir():
            pending.append((path, False))
        else:
            take_file(path)
    while pending:
        folder, a_student = pending.pop()
        inside = assignment_folders(folder)
        if inside and (a_student or not holds_students(folder)):
            for assignment_folder in inside:
                take_assignment_folder(folder.name, assignment_folder)
            continue
        entries = _entries(folder)
        # In nbgrader's submitted/ folder, a student folder without any assignment holds other work.
        submitted = any(assignment_folders(entry) for entry in entries if _is_real_folder(entry))
        for entry in reversed(entries):
            if entry.suffix in SUFFIXES:
                take_file(entry)
            elif _is_real_folder(entry) and (not submitted or assignment_folders(entry)):
                pending.append((entry, submitted))
    for key, paths_of_student in files.items():
        name, student = key
        assignment = assignments.known.get(name)
        if key in chosen:
            paths_of_student = [chosen.pop(key).path, *paths_of_student]
        if len(paths_of_student) > 1:
            names = ", ".join(str(p) for p in paths_of_student)
            chosen[key] = Found(student, paths_of_student[0], phrase("submission.same_id", paths=names), None,
                                assignment)
        elif assignment is None:
            chosen[key] = Found(student, paths_of_student[0], assignments.unknown(paths_of_student[0]))
        else:
            chosen[key] = Found(student, paths_of_student[0], None, None, assignment)
    return [chosen[key] for key in sorted(chosen, key=lambda key: (key[1], key[0]))]


def _mapping(value) -> dict:
    """A notebook's metadata as a dict, whatever an editor left there (a list, a string, null)."""
    return value if isinstance(value, dict) else {}


def _is_test_cell(cell: dict) -> bool:
    meta = _mapping(_mapping(cell.get("metadata")).get("nbgrader"))
    if meta.get("grade") and not meta.get("solution"):
        return True
    grade_id = str(meta.get("grade_id", ""))
    return grade_id == CHECK_ALL_CELL or grade_id.endswith("_visible_tests")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(line if isinstance(line, str) else "" for line in source)
    return source if isinstance(source, str) else ""


def parse_notebook_json(data: bytes) -> dict:
    """A notebook's JSON, its nesting and size checked before json.loads (which recurses once per level)."""
    check_json_bounds(data, MAX_NOTEBOOK_DEPTH, MAX_NOTEBOOK_ITEMS)
    notebook = json.loads(data)
    if not isinstance(notebook, dict):
        raise ValueError("it is not a notebook")
    if notebook.get("nbformat") == 3 or ("worksheets" in notebook and "cells" not in notebook):
        import nbformat

        notebook = nbformat.convert(nbformat.from_dict(notebook), 4)
    if not isinstance(notebook.get("cells"), list):
        raise ValueError("it has no list of cells")
    return notebook


def without_outputs(notebook: dict) -> dict:
    """The notebook as graded: outputs are never graded, so they count toward no size rule."""
    cells = [{key: value for key, value in cell.items() if key != "outputs"} if isinstance(cell, dict) else cell
             for cell in notebook["cells"]]
    return {**notebook, "cells": cells}


def read_notebook(text: str | bytes, assignment: Assignment) -> tuple[list[str], dict[str, str], list[dict]]:
    """The code cells to run, the manual answers, and where each code cell to run is, from a notebook's JSON."""
    manual_ids = {exercise.id for exercise in assignment.exercises if not exercise.automatic}
    answer_cells = {exercise.solution_cell: exercise.id for exercise in assignment.automatic}
    notebook = without_outputs(parse_notebook_json(text.encode() if isinstance(text, str) else text))
    if len(json.dumps(notebook)) > MAX_SUBMISSION_BYTES:
        raise TooLarge(phrase("submission.too_large_without_outputs", megabytes=MAX_SUBMISSION_BYTES // 1024**2))
    found = [cell for cell in notebook["cells"] if isinstance(cell, dict)]
    cells, manual, places = [], {}, []
    for cell, place in zip(found, notebook_places(found, answer_cells)):
        grade_id = _mapping(_mapping(cell.get("metadata")).get("nbgrader")).get("grade_id")
        if cell.get("cell_type") == "code" and not _is_test_cell(cell):
            cells.append(_source(cell))
            places.append(place)
        elif cell.get("cell_type") == "markdown" and grade_id in manual_ids:
            manual[grade_id] = _source(cell)
    return cells, manual, places


def read_submission_bytes(path: Path) -> bytes:
    """The file's bytes, refusing before reading anything that is not a regular file or is larger than the
    cap (a 3 GB sparse file is never read), and never reading more than the cap if it grows meanwhile. A
    symbolic link is never followed: it could point at any file the grader can read (the hidden tests, the
    course secret) and have it graded, and shown, as the student's."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(phrase(_kind_of(info.st_mode), name=path.name))
    if info.st_size > MAX_FILE_BYTES:
        raise TooLarge(phrase("submission.file_too_large", name=path.name, megabytes=MAX_FILE_BYTES // 1024**2,
                              size=info.st_size // 1024**2))
    try:  # what was a regular file a moment ago may be a link or a pipe by now
        data = read_regular(path, MAX_FILE_BYTES)
    except NotRegular as error:
        raise NotRegularFile(phrase(_kind_of(error.mode), name=path.name)) from None
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(phrase("submission.file_too_large", name=path.name, megabytes=MAX_FILE_BYTES // 1024**2,
                              size=len(data) // 1024**2))
    return data


def _kind_of(mode: int) -> str:
    """The catalog code that says what a path is when it is not a regular file."""
    for test, code in ((stat.S_ISLNK, "submission.link"), (stat.S_ISDIR, "submission.folder"),
                       (stat.S_ISFIFO, "submission.fifo"),
                       (stat.S_ISCHR, "submission.device"), (stat.S_ISBLK, "submission.device")):
        if test(mode):
            return code
    return "submission.special_file"


class NotRegularFile(OSError):
    """A folder, pipe, device or socket where a submission file should be; its argument says so (a Phrase)."""


class TooLarge(OSError):
    """A file over the cap, refused before it is read; its argument says so (a Phrase)."""


def submission_timestamp(found: Found) -> HandedIn:
    """When it was handed in, from nbgrader's timestamp.txt beside it; not known outside nbgrader's layout."""
    in_layout = found.assignment is not None and len(found.path.parts) >= 3 and \
        found.path.parts[-2] == found.assignment.name
    return read_timestamp(found.path.parent) if in_layout else HandedIn()


def submission_digest(data: bytes) -> str:
    """What a result records of the bytes it graded, and what a resumed batch compares."""
    return hashlib.sha256(data).hexdigest()


def unreadable_submission(student: str, path: Path, reason: str | None,
                          assignment: Assignment | None = None) -> Submission:
    return problem_submission(student, path, phrase("submission.unreadable", reason=reason), assignment)


def problem_submission(student: str, path: Path, problem: Phrase, assignment: Assignment | None = None) -> Submission:
    """A submission that cannot be graded, and why; its digest is the problem's, so a rerun keeps it until
    the problem changes."""
    return Submission(student, path, submission_digest(str(problem).encode("utf-8", "surrogatepass")), "unknown",
                      problem=problem, assignment=assignment)


def submission_of(found: Found) -> Submission:
    """The record of a discovered student: read, or the problem discovery found, with its note."""
    if found.problem:
        submission = problem_submission(found.student, found.path, found.problem, found.assignment)
    else:
        submission = read_submission(found.student, found.path, found.assignment, submission_timestamp(found))
    if found.note:
        submission.notes.append(found.note)
    return submission


def read_submission(student: str, path: Path, assignment: Assignment, timestamp: HandedIn = HandedIn()) -> Submission:
    """A submission record; a file that cannot be read becomes a record with a problem, not an error."""
    try:
        data = read_submission_bytes(path)
    except (NotRegularFile, TooLarge) as error:
        return problem_submission(student, path, error.args[0], assignment)
    except OSError as error:
        return unreadable_submission(student, path, error.strerror or str(error), assignment)
    return parse_submission(student, path, data, assignment, timestamp)


def parse_submission(student: str, path: Path, data: bytes, assignment: Assignment,
                     timestamp: HandedIn = HandedIn()) -> Submission:
    """The record of bytes already read, as a submission of `assignment`; `path` only names the file (a
    cluster's worker never opens it). Whatever is in the bytes, it is this submission's problem, never an error."""
    kind = "notebook" if path.suffix == ".ipynb" else "python"
    submission = Submission(student, path, submission_digest(data), kind, timestamp=timestamp, assignment=assignment)
    try:
        if kind == "notebook":
            submission.cells, submission.manual, submission.places = read_notebook(data, assignment)
        else:
            if len(data) > MAX_SUBMISSION_BYTES:
                raise TooLarge(phrase("submission.too_large", megabytes=MAX_SUBMISSION_BYTES // 1024**2))
            submission.cells = [data.decode("utf-8")]
    except TooLarge as error:
        submission.problem = error.args[0]
    except Exception as error:  # noqa: BLE001
        reason = str(error) if isinstance(error, ValueError) else type(error).__name__
        code = "submission.not_a_notebook" if kind == "notebook" else "submission.not_python"
        submission.problem = phrase(code, error=reason[:250])
    return submission
