"""Assignments: each one a folder of its own, `source/<name>/`, found by name.

An assignment's folder is nbgrader's source folder: the master notebook `<name>.ipynb` and the
generated `course_checks/`, plus `grading/`, everything the grader needs to know of it and
nothing of the engine: `__init__.py` (the exercise list, `EXERCISES`), `public.py` (the visible
cases of each exercise, `PUBLIC_CASES`), `hidden_tests/test_<exercise>.py`, and where it needs
them its own checks and `messages.py` (`MESSAGES`, in the catalog's form). Adding an assignment
is adding such a folder: the grader, the release, the reports and the gradebook find it here.

`grading/` is imported from its files' bytes under a package name made of the assignment's name
and the files' digest, never from a path on `sys.path`: two assignments, or two versions of one,
never share a module, and a node that has no copy of the folder (a Dask worker) imports the same
code from the bytes it was sent (`Assignment.files`).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from course_checks.exercises import Exercise

GRADING = "grading"
# Where the grader looks when no course says otherwise: this repository's own source folder.
REPOSITORY_SOURCE = Path(__file__).resolve().parents[1] / "source"
# The assignment this repository ships, and the one `gradescope build`, `course init` and the demo take by default.
SHIPPED = "dense_layers"
# Extra source folders to search, before the repository's (os.pathsep-separated), e.g. a course's source/.
SOURCE_PATH_VARIABLE = "AUTOGRADER_SOURCE"
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


class AssignmentError(ValueError):
    """An assignment that does not exist, or whose folder the grader cannot use; the message says which."""


@dataclass(frozen=True)
class Assignment:
    """One assignment: its name, its exercise list, and the grading package it is imported as.

    `files` are the bytes of its `grading/` folder (relative path -> bytes), which is all a node
    needs to grade it; `folder` is where it was found (None where it was only sent).
    """

    name: str
    package: str
    exercises: tuple[Exercise, ...] = field(compare=False)
    files: tuple[tuple[str, bytes], ...] = field(default=(), compare=False, repr=False)
    folder: Path | None = field(default=None, compare=False)

    @property
    def automatic(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.automatic)

    @property
    def automatic_points(self) -> int:
        return sum(exercise.points for exercise in self.automatic)

    @property
    def total_points(self) -> int:
        return sum(exercise.points for exercise in self.exercises)

    @property
    def by_id(self) -> dict[str, Exercise]:
        return {exercise.id: exercise for exercise in self.exercises}

    @property
    def notebook(self) -> str:
        """The file name of its notebook, the same in the master, the release and a submission."""
        return f"{self.name}.ipynb"

    @property
    def master(self) -> Path:
        if self.folder is None:
            raise AssignmentError(f"{self.name}: no folder here, only its grading package")
        return self.folder / self.notebook

    @property
    def digest(self) -> str:
        return self.package.rsplit("_", 1)[-1]

    def module(self, name: str = "") -> ModuleType:
        """A module of its grading package (`""` the package itself, `"public"`, `"hidden_tests.test_x"`)."""
        _activate(self)
        return importlib.import_module(f"{self.package}.{name}" if name else self.package)

    def has_module(self, name: str) -> bool:
        if not self.files:
            return importlib.util.find_spec(f"{self.package}.{name}") is not None
        path = name.replace(".", "/")
        return any(relative in (f"{path}.py", f"{path}/__init__.py") for relative, _ in self.files)

    def public_cases(self) -> dict:
        return self.module("public").PUBLIC_CASES

    def hidden_tests(self, exercise: Exercise) -> ModuleType:
        return self.module(f"hidden_tests.test_{exercise.id}")


class _FolderFinder(importlib.abc.MetaPathFinder, importlib.abc.InspectLoader):
    """Imports registered grading packages from their files' bytes (see the module's docstring)."""

    def __init__(self):
        self.packages: dict[str, tuple[dict[str, bytes], Path | None]] = {}
        self.lock = threading.Lock()

    def add(self, package: str, files: dict[str, bytes], folder: Path | None) -> None:
        with self.lock:
            self.packages.setdefault(package, (files, folder))
            if self not in sys.meta_path:
                sys.meta_path.append(self)

    def _file(self, fullname: str) -> tuple[str, bool, bytes, Path | None] | None:
        top, _, rest = fullname.partition(".")
        if top not in self.packages:
            return None
        files, folder = self.packages[top]
        path = rest.replace(".", "/")
        for relative, is_package in (((f"{path}/" if path else "") + "__init__.py", True), (f"{path}.py", False)):
            if relative in files:
                return relative, is_package, files[relative], folder
        return None

    def find_spec(self, fullname, path=None, target=None):
        found = self._file(fullname)
        if found is None:
            return None
        relative, is_package, _, folder = found
        origin = str(folder / GRADING / relative) if folder else f"<{fullname.partition('.')[0]}>/{relative}"
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=origin, is_package=is_package)
        spec.has_location = folder is not None
        return spec

    def get_source(self, fullname):
        found = self._file(fullname)
        if found is None:
            raise ImportError(fullname)
        return found[2].decode("utf-8")

    def get_code(self, fullname):
        spec = self.find_spec(fullname)
        if spec is None:
            raise ImportError(fullname)
        return compile(self.get_source(fullname), spec.origin, "exec", dont_inherit=True)

    def exec_module(self, module):
        exec(self.get_code(module.__name__), module.__dict__)  # noqa: S102 - the course's own grading code


_FINDER = _FolderFinder()
_LOADED: dict[tuple[str, str], Assignment] = {}
_ACTIVE: set[str] = set()
_LOCK = threading.RLock()


def _activate(assignment: Assignment) -> None:
    """Once per process and package: its files importable, its messages in the catalog."""
    if assignment.package in _ACTIVE:
        return
    with _LOCK:
        if assignment.package in _ACTIVE:
            return
        if assignment.files:
            _FINDER.add(assignment.package, dict(assignment.files), assignment.folder)
        _ACTIVE.add(assignment.package)
        if assignment.has_module("messages"):
            from course_checks.messages import add_messages

            add_messages(importlib.import_module(f"{assignment.package}.messages").MESSAGES)


def grading_files(folder: Path) -> dict[str, bytes]:
    """The files of an assignment's `grading/` folder, by path relative to it."""
    grading = folder / GRADING
    return {path.relative_to(grading).as_posix(): path.read_bytes() for path in sorted(grading.rglob("*"))
            if path.is_file() and not SKIPPED & set(path.relative_to(grading).parts) and path.suffix != ".pyc"}


def package_name(name: str, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for relative, data in sorted(files.items()):
        digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    return f"autograder_assignment_{re.sub(r'[^A-Za-z0-9_]', '_', name)}_{digest.hexdigest()[:16]}"


def load(folder: Path) -> Assignment:
    """The assignment in `folder` (`source/<name>/`), read once per folder and content, and checked whole (see
    `check_complete`), so that nothing of it can fail later, in the middle of a batch."""
    folder = Path(folder).resolve()
    name = folder.name
    if not NAME.fullmatch(name):
        raise AssignmentError(f"{folder}: an assignment's folder is named like a Python identifier")
    if not (folder / GRADING / "__init__.py").is_file():
        raise AssignmentError(f"{folder} is not an assignment: it has no {GRADING}/__init__.py")
    files = grading_files(folder)
    package = package_name(name, files)
    with _LOCK:
        if (str(folder), package) not in _LOADED:
            try:
                assignment = from_files(name, files, folder)
                check_complete(assignment)
            except AssignmentError:
                raise
            except Exception as error:  # noqa: BLE001 - the course's own code: say where, and stop before grading
                raise AssignmentError(f"{folder / GRADING} cannot be used: {type(error).__name__}: {error}") from error
            _LOADED[(str(folder), package)] = assignment
        return _LOADED[(str(folder), package)]


def check_complete(assignment: Assignment) -> None:
    """Every automatic exercise has its visible cases and hidden tests that share its points; raises otherwise."""
    from course_checks.grade.hidden import collect

    cases = assignment.public_cases()
    for exercise in assignment.automatic:
        if not cases.get(exercise.id):
            raise AssignmentError(f"{assignment.name}: {GRADING}/public.py has no visible cases for {exercise.id}")
        if not assignment.has_module(f"hidden_tests.test_{exercise.id}"):
            raise AssignmentError(f"{assignment.name}: {GRADING}/hidden_tests/test_{exercise.id}.py is missing")
        if not collect(assignment, exercise):
            raise AssignmentError(f"{assignment.name}: {GRADING}/hidden_tests/test_{exercise.id}.py has no tests")


def from_files(name: str, files: dict[str, bytes], folder: Path | None = None) -> Assignment:
    """The assignment whose grading folder holds these files: what a node that was sent them grades with."""
    package = package_name(name, files)
    _FINDER.add(package, files, folder)
    return from_package(name, package, tuple(sorted(files.items())), folder)


def from_package(name: str, package: str, files: tuple[tuple[str, bytes], ...] = (),
                 folder: Path | None = None) -> Assignment:
    """The assignment whose grading package is importable as `package` (the release's `course_checks.grading`);
    its messages, if it has any, join the catalog."""
    module = importlib.import_module(package)
    exercises = tuple(getattr(module, "EXERCISES", ()))
    if not exercises or not all(isinstance(exercise, Exercise) for exercise in exercises):
        raise AssignmentError(f"{name}: {GRADING}/__init__.py must define EXERCISES, a tuple of Exercise")
    ids = [exercise.id for exercise in exercises]
    if len(set(ids)) != len(ids):
        raise AssignmentError(f"{name}: two exercises share an id")
    assignment = Assignment(name, package, exercises, files, folder)
    _activate(assignment)
    return assignment


def source_roots(*given: Path | None) -> list[Path]:
    """Where assignments are looked for, first match winning: the folders given (a course's `source/`), those
    of $AUTOGRADER_SOURCE, then this repository's `source/`."""
    roots = [Path(root) for root in given if root]
    roots += [Path(part) for part in os.environ.get(SOURCE_PATH_VARIABLE, "").split(os.pathsep) if part]
    roots.append(REPOSITORY_SOURCE)
    unique: list[Path] = []
    for root in roots:
        if root.resolve() not in [seen.resolve() for seen in unique]:
            unique.append(root)
    return unique


def available(roots: list[Path] | None = None) -> dict[str, Assignment]:
    """Every assignment under the roots, by name (a name found under two roots: the first root's)."""
    found: dict[str, Assignment] = {}
    for root in source_roots() if roots is None else roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name not in found and (folder / GRADING / "__init__.py").is_file():
                found[folder.name] = load(folder)
    return found


def find(name: str, roots: list[Path] | None = None) -> Assignment:
    """The assignment named `name` under the roots."""
    roots = source_roots() if roots is None else roots
    for root in roots:
        if (root / name / GRADING / "__init__.py").is_file():
            return load(root / name)
    known = ", ".join(available(roots)) or "none"
    raise AssignmentError(f"no assignment named {name!r} in {', '.join(str(root) for root in roots)} "
                          f"(found: {known})")


def shipped() -> Assignment:
    """The assignment this repository ships."""
    return find(SHIPPED, [REPOSITORY_SOURCE])


def roots_around(start: Path) -> list[Path]:
    """The `source/` folders of `start` and its parents (nbgrader runs a notebook inside its course folder)."""
    start = Path(start).resolve()
    return [folder / "source" for folder in (start, *start.parents) if (folder / "source").is_dir()]
