"""`autograder assign`: the student release and the solutions, both generated from the master notebook.

The release is nbgrader's own `generate_assignment` (solutions replaced by stubs, hidden
tests removed), from the master notebook with its points stamped from the exercise list
(see `autograder.assign.points`), for every assignment of `source/` (or those named), once per
language: the master holds the course in English and, where it has them, Korean cells, and
`autograder.assign.languages` picks one (assignments/<assignment>/ and assignments/ko/<assignment>/,
the same for solutions/). An assignment's `grading/` folder never reaches the release or the
solutions: it stays with the grader. The solutions come from the same notebook through a short list of
preprocessors in nbgrader's style (see `autograder.assign.solutions`). Both carry
`course_checks`, the public tests' package (see `autograder.assign.bundle`), which is also
written beside the master notebook so that nbgrader's own commands find it there.
`--check` builds everything in a scratch folder and says whether the committed copies are
up to date.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from autograder.assign.bundle import PACKAGE, write_bundle
from autograder.assign.languages import LANGUAGE_FOLDER, languages_of, release_master
from autograder.assign.points import points_differences, stamp_points
from autograder.assign.solutions import write_solutions
from autograder.assignments import GRADING, SHIPPED, Assignment, AssignmentError, available, find
from autograder.grade.secret import ensure_course_secret
from autograder.nbgrader_run import NbgraderFailed, run_nbgrader

ROOT = Path(__file__).resolve().parents[2]
SOURCE_ROOT = ROOT / "source"
# The shipped assignment's folders (the demo, the tests and the README's examples use them).
SOURCE, RELEASE, SOLUTIONS = (ROOT / folder / SHIPPED for folder in ("source", "assignments", "solutions"))


def generate_release(course: Path, source: Path, name: str) -> Path:
    """Run `nbgrader generate_assignment` in a scratch course folder holding this source folder; the release's folder."""
    shutil.copytree(source, course / "source" / name)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    run_nbgrader("generate_assignment", course, name)
    return course / "assignments" / name


def language_source(source: Path, folder: Path, lang: str, name: str) -> Path:
    """The source folder with its master notebook in one language, as nbgrader and the solutions read it."""
    shutil.copytree(source, folder)
    master = folder / f"{name}.ipynb"
    nbformat.write(release_master(nbformat.read(master, as_version=4), lang), master)
    return folder


def build(scratch: Path, assignment: Assignment) -> dict[Path, Path]:
    """Build the assignment's source folder (the master notebook with its points stamped, the public tests'
    package), and in each language its master holds the release and the solutions, under `scratch`; where each
    built folder belongs in the repository."""
    name = assignment.name
    source = scratch / "source"
    shutil.copytree(assignment.folder, source, ignore=shutil.ignore_patterns(PACKAGE, "__pycache__",
                                                                             ".ipynb_checkpoints"))
    master = source / assignment.notebook
    notebook = stamp_points(nbformat.read(master, as_version=4), assignment)
    nbformat.write(notebook, master)
    write_bundle(source / PACKAGE, assignment)
    built = {source: assignment.folder}
    for lang in languages_of(notebook):
        folder = LANGUAGE_FOLDER[lang]
        single = language_source(source, scratch / lang / "source", lang, name)
        shutil.rmtree(single / GRADING)  # the exercise list, public cases and hidden tests stay with the grader
        solutions = scratch / lang / "solutions"
        write_solutions(single / assignment.notebook, solutions)
        shutil.copytree(source / PACKAGE, solutions / PACKAGE)
        built[generate_release(scratch / lang / "course", single, name)] = ROOT / "assignments" / folder / name
        built[solutions] = ROOT / "solutions" / folder / name
    return built


def _files(folder: Path) -> dict[str, Path]:
    return {str(path.relative_to(folder)): path for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts}


def differences(built: Path, committed: Path) -> list[str]:
    """Files that differ, are missing or are extra in `committed` compared with `built`, in every subfolder."""
    if not committed.is_dir():
        return [f"{committed} is missing"]
    made, kept = _files(built), _files(committed)
    found = [f"{committed / name} is missing" for name in sorted(made.keys() - kept.keys())]
    found += [f"{committed / name} should not be there" for name in sorted(kept.keys() - made.keys())]
    found += [f"{committed / name} is out of date" for name in sorted(made.keys() & kept.keys())
              if made[name].read_bytes() != kept[name].read_bytes()]
    return found


def chosen_assignments(names: list[str]) -> list[Assignment]:
    """The assignments of the repository's source/ that are named, or all of them."""
    if names:
        return [find(name, [SOURCE_ROOT]) for name in names]
    return list(available([SOURCE_ROOT]).values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder assign", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="ASSIGNMENT",
                        help="the assignments of source/ to release (default: every one)")
    parser.add_argument("--check", action="store_true", help="only say whether the release is in sync")
    args = parser.parse_args(argv)
    try:
        assignments = chosen_assignments(args.names)
    except AssignmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale: list[str] = []
    for assignment in assignments:
        with tempfile.TemporaryDirectory(prefix="autograder-assign-") as scratch:
            try:
                built = build(Path(scratch), assignment)
            except (NbgraderFailed, ValueError) as error:
                print(f"error: could not release {assignment.folder}: {error}", file=sys.stderr)
                return 1
            disagreements = points_differences(nbformat.read(assignment.master, as_version=4), assignment)
            for line in disagreements:
                print(f"points: {line}")
            if disagreements and not args.check:
                print(f"the points are defined in {points_file(assignment)}: the master notebook now follows it")
            if args.check:
                stale += [line for folder, target in built.items() for line in differences(folder, target)]
                continue
            for folder, target in built.items():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(folder, target)
                print(f"wrote {target.relative_to(ROOT)}/")
    if args.check:
        for line in stale:
            print(line)
        print("the release and the solutions are out of date: run `make release`" if stale
              else "the release and the solutions are in sync with source/")
        return 1 if stale else 0
    print(f"course secret (each submission's hidden inputs; keep it, never publish it): {ensure_course_secret()}")
    return 0


def points_file(assignment: Assignment) -> str:
    """Where the assignment's points are defined, as the instructor would open it."""
    path = assignment.folder / GRADING / "__init__.py"
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
