"""`autograder assign`: the student release and the solutions, both generated from the master notebook.

The release is nbgrader's own `generate_assignment` (solutions replaced by stubs, hidden
tests removed). The solutions come from the same notebook through a short list of
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

from autograder.assign.bundle import PACKAGE, write_bundle
from autograder.assign.solutions import write_solutions
from autograder.exercises import ASSIGNMENT
from autograder.grade.secret import ensure_course_secret
from autograder.nbgrader_run import NbgraderFailed, new_course, run_nbgrader

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / ASSIGNMENT
RELEASE = ROOT / "assignments" / ASSIGNMENT
SOLUTIONS = ROOT / "solutions" / ASSIGNMENT


def generate_release(course: Path, bundle: Path) -> Path:
    """Run `nbgrader generate_assignment` in a scratch course folder holding this bundle; the release's folder."""
    new_course(course)
    shutil.rmtree(course / "source" / ASSIGNMENT / PACKAGE, ignore_errors=True)
    shutil.copytree(bundle, course / "source" / ASSIGNMENT / PACKAGE)
    run_nbgrader("generate_assignment", course)
    return course / "assignments" / ASSIGNMENT


def build(scratch: Path) -> dict[Path, Path]:
    """Build the public tests' package, the release and the solutions under `scratch`;
    where each built folder belongs in the repository."""
    bundle = scratch / PACKAGE
    write_bundle(bundle)
    solutions = scratch / "solutions"
    write_solutions(SOURCE / f"{ASSIGNMENT}.ipynb", solutions)
    shutil.copytree(bundle, solutions / PACKAGE)
    return {bundle: SOURCE / PACKAGE, generate_release(scratch / "course", bundle): RELEASE, solutions: SOLUTIONS}


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
