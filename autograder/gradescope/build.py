"""`autograder gradescope build`: the zip Gradescope's autograder specification asks for.

setup.sh and run_autograder at the root, the grader's package and pyproject.toml beside them, and
gradescope_config.json with the choices made at build time. Course solutions and the repository's
tests stay out; the hidden tests come along inside the package, out of the sandbox's sight.
Entries get a fixed date so the same sources give the same zip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import autograder
from autograder.gradescope.results import CONFIG_FILE, GradescopeConfig

PACKAGE_DIR = Path(autograder.__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SCRIPTS = ("setup.sh", "run_autograder")
PROJECT_FILES = ("pyproject.toml", "README.md")
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    entry = zipfile.ZipInfo(name, FIXED_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = (0o100755 if executable else 0o100644) << 16
    archive.writestr(entry, data)


def build_zip(out: Path, config: GradescopeConfig) -> list[str]:
    """Write the zip; returns the names in it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for script in SCRIPTS:
            _add(archive, script, (PACKAGE_DIR / "gradescope" / script).read_bytes(), executable=True)
        _add(archive, CONFIG_FILE, config.to_json().encode())
        for name in PROJECT_FILES:
            _add(archive, name, (PROJECT_DIR / name).read_bytes())
        for path in package_files():
            _add(archive, path.relative_to(PROJECT_DIR).as_posix(), path.read_bytes(),
                 executable=path.name in SCRIPTS)
        return archive.namelist()
