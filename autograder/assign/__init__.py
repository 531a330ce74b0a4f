"""`autograder assign`: the student release and the solutions, both generated from the master notebook.

The release is nbgrader's own `generate_assignment` (solutions replaced by stubs, hidden
tests removed), from the master notebook with its points stamped from the exercise list
(see `autograder.assign.points`), once per language: the master holds the course in English and
in Korean, and `autograder.assign.languages` picks one (assignments/<assignment>/ and
assignments/ko/<assignment>/, the same for solutions/). The solutions come from the same notebook through a short list of
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
from autograder.assign.languages import LANGUAGE_FOLDER, release_master
from autograder.assign.points import points_differences, stamp_points
from autograder.assign.solutions import write_solutions
from autograder.exercises import ASSIGNMENT
from autograder.grade.secret import ensure_course_secret
from autograder.nbgrader_run import NbgraderFailed, new_course, run_nbgrader

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / ASSIGNMENT
RELEASE = ROOT / "assignments" / ASSIGNMENT
SOLUTIONS = ROOT / "solutions" / ASSIGNMENT


def generate_release(course: Path, source: Path) -> Path:
    """Run `nbgrader generate_assignment` in a scratch course folder holding this source folder; the release's folder."""
    new_course(course)
    shutil.rmtree(course / "source" / ASSIGNMENT)
    shutil.copytree(source, course / "source" / ASSIGNMENT)
    run_nbgrader("generate_assignment", course)
    return course / "assignments" / ASSIGNMENT


def language_source(source: Path, folder: Path, lang: str) -> Path:
    """The source folder with its master notebook in one language, as nbgrader and the solutions read it."""
    shutil.copytree(source, folder)
    master = folder / f"{ASSIGNMENT}.ipynb"
    nbformat.write(release_master(nbformat.read(master, as_version=4), lang), master)
    return folder


def build(scratch: Path) -> dict[Path, Path]:
    """Build the source folder (the master notebook with its points stamped, the public tests' package), and in
    each language the release and the solutions, under `scratch`; where each built folder belongs in the
    repository."""
    source = scratch / "source"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns(PACKAGE, "__pycache__", ".ipynb_checkpoints"))
    master = source / f"{ASSIGNMENT}.ipynb"
    nbformat.write(stamp_points(nbformat.read(master, as_version=4)), master)
    write_bundle(source / PACKAGE)
    built = {source: SOURCE}
    for lang, folder in LANGUAGE_FOLDER.items():
        single = language_source(source, scratch / lang / "source", lang)
        solutions = scratch / lang / "solutions"
        write_solutions(single / f"{ASSIGNMENT}.ipynb", solutions)
        shutil.copytree(source / PACKAGE, solutions / PACKAGE)
        built[generate_release(scratch / lang / "course", single)] = ROOT / "assignments" / folder / ASSIGNMENT
        built[solutions] = ROOT / "solutions" / folder / ASSIGNMENT
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder assign", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say whether the release is in sync")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="autograder-assign-") as scratch:
        try:
            built = build(Path(scratch))
        except NbgraderFailed as error:
            print(f"error: could not release {SOURCE}: {error}", file=sys.stderr)
            return 1
        disagreements = points_differences(nbformat.read(SOURCE / f"{ASSIGNMENT}.ipynb", as_version=4))
        for line in disagreements:
            print(f"points: {line}")
        if disagreements and not args.check:
            print("the points are defined in autograder/exercises.py: the master notebook now follows it")
        if args.check:
            stale = [line for folder, target in built.items() for line in differences(folder, target)]
            for line in stale:
                print(line)
            print("the release and the solutions are out of date: run `make release`" if stale
                  else "the release and the solutions are in sync with source/")
            return 1 if stale else 0
        for folder, target in built.items():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(folder, target)
            print(f"wrote {target.relative_to(ROOT)}/")
    print(f"course secret (each submission's hidden inputs; keep it, never publish it): {ensure_course_secret()}")
    return 0
