"""`autograder assign`: the student release and the solutions, both generated from the master notebook.

The release is nbgrader's own `generate_assignment` (solutions replaced by stubs, hidden
tests removed). The solutions come from the same notebook through a short list of
preprocessors in nbgrader's style (see `autograder.assign.solutions`). `--check` builds
both in a scratch folder and says whether the committed copies are up to date.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.assign.solutions import write_solutions
from autograder.exercises import ASSIGNMENT
from autograder.grade.secret import ensure_course_secret
from autograder.nbgrader_run import NbgraderFailed, new_course, run_nbgrader

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source" / ASSIGNMENT
RELEASE = ROOT / "assignments" / ASSIGNMENT
SOLUTIONS = ROOT / "solutions" / ASSIGNMENT


def generate_release(course: Path) -> Path:
    """Run `nbgrader generate_assignment` in a scratch course folder; the folder of the release."""
    run_nbgrader("generate_assignment", new_course(course))
    return course / "assignments" / ASSIGNMENT


def build(scratch: Path) -> dict[Path, Path]:
    """Build the release and the solutions under `scratch`; where each built folder belongs in the repository."""
    solutions = scratch / "solutions"
    write_solutions(SOURCE / f"{ASSIGNMENT}.ipynb", solutions)
    return {generate_release(scratch / "course"): RELEASE, solutions: SOLUTIONS}


def differences(built: Path, committed: Path) -> list[str]:
    """Files that differ, are missing or are extra in `committed` compared with `built`."""
    if not committed.is_dir():
        return [f"{committed} is missing"]
    comparison = filecmp.dircmp(built, committed)
    found = [str(committed / name) + " is missing" for name in comparison.left_only]
    found += [str(committed / name) + " should not be there" for name in comparison.right_only]
    found += [str(committed / name) + " is out of date" for name in comparison.common_files
              if (built / name).read_bytes() != (committed / name).read_bytes()]
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
