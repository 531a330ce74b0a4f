"""`autograder gradescope build`: the zip Gradescope's autograder specification asks for.

setup.sh and run_autograder at the root, requirements.lock (the exact versions the course is
tested with, see `autograder gradescope lock`) and gradescope_config.json (the choices made at
build time) beside them, the part of the package that grades, and the graded assignment's grading
folder (`source/<assignment>/grading/`, where the package looks for it). The repository's README, tests,
solutions and the package's instructor tools (release, course, demo, benchmark, reports,
gradebook) stay out; the hidden tests come along in the grading folder, out of the sandbox's sight,
and so does the course secret (`.course_secret`, owner-only), so Gradescope draws each
submission's inputs as the course's own grader does.
Entries get a fixed date so the same sources give the same zip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import autograder
from autograder.assignments import GRADING
from autograder.grade.secret import DEFAULT_SECRET_FILE, ensure_course_secret
from autograder.gradescope.lock import LOCK_FILE, lock_text
from autograder.gradescope.results import CONFIG_FILE, GradescopeConfig

PACKAGE_DIR = Path(autograder.__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SCRIPTS = ("setup.sh", "run_autograder")
# Parts of the package that grading never imports: the instructor's tools, and what the zip holds at its root.
NOT_FOR_GRADING = ("__main__.py", "cli.py", "demo.py", "bench.py", "corpus.py", "nbgrader_run.py", "gradebook.py",
                   "assign", "course", "report", "gradescope/build.py",
                   "gradescope/requirements.lock", *(f"gradescope/{script}" for script in SCRIPTS))
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class StaleLock(RuntimeError):
    """requirements.lock does not pin the versions installed here, which are the ones the tests ran with."""


def package_files() -> list[Path]:
    """The package's files that grading needs."""
    def needed(path: Path) -> bool:
        inside = path.relative_to(PACKAGE_DIR).as_posix()
        return not any(inside == part or inside.startswith(f"{part}/") for part in NOT_FOR_GRADING)

    return sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in (".pyc", ".pyo") and needed(p))


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False, private: bool = False) -> None:
    entry = zipfile.ZipInfo(name, FIXED_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = (0o100600 if private else 0o100755 if executable else 0o100644) << 16
    archive.writestr(entry, data)


def build_zip(out: Path, config: GradescopeConfig) -> list[str]:
    """Write the zip; returns the names in it. Refuses (StaleLock) when the lock is not this environment's."""
    lock = LOCK_FILE.read_text(encoding="utf-8") if LOCK_FILE.is_file() else ""
    if lock != lock_text():
        raise StaleLock(f"{LOCK_FILE} does not pin the versions installed here: run the tests, then "
                        "`autograder gradescope lock`")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for script in SCRIPTS:
            _add(archive, script, (PACKAGE_DIR / "gradescope" / script).read_bytes(), executable=True)
        _add(archive, CONFIG_FILE, config.to_json().encode())
        _add(archive, LOCK_FILE.name, lock.encode())
        # The zip stays with the instructor and Gradescope; grading there draws the same inputs as here.
        _add(archive, DEFAULT_SECRET_FILE.name, ensure_course_secret().read_bytes(), private=True)
        for path in package_files():
            _add(archive, path.relative_to(PROJECT_DIR).as_posix(), path.read_bytes())
        assignment = config.graded()
        for relative, data in assignment.files:
            _add(archive, f"source/{assignment.name}/{GRADING}/{relative}", data)
        return archive.namelist()
