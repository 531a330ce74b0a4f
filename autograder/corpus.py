"""The bundled corpus of realistic student notebooks (tests/submissions/), from which the demo and the benchmark pick."""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "submissions"


def corpus_notebooks(kinds: tuple[str, ...]) -> dict[str, Path]:
    """Each corpus student of these kinds (correct, mistake, accident, hostile) whose submission is a
    notebook, by student id in sorted order; empty where the corpus is not bundled."""
    manifest_path = CORPUS / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    chosen = {student: CORPUS / "notebooks" / f"{student}.ipynb" for student, entry in sorted(manifest.items())
              if entry.get("kind") in kinds}
    return {student: path for student, path in chosen.items() if path.exists()}
