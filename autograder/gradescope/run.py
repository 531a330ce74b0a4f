"""The runner inside Gradescope's container: grade ROOT/submission, write ROOT/results/results.json.

It always writes a valid results.json. A submission whose code crashes is graded like any other;
if grading itself cannot finish, the file says so with a score of 0, and the details (which may
name hidden-test internals) go only to stdout, which Gradescope shows to instructors alone.
The root is an argument so the same code runs in a test without touching /autograder.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import traceback
from pathlib import Path

from autograder.gradescope.results import CONFIG_FILE, GradescopeConfig, failure_results, gradescope_results
from autograder.messages import render

DEFAULT_ROOT = Path("/autograder")
PREFERRED_NAME = "dense_layers.ipynb"


class NoSubmission(Exception):
    """The submission folder holds nothing this grader can read."""


def find_submission(folder: Path) -> Path:
    """The notebook to grade: dense_layers.ipynb if present, else the first notebook, else the first .py."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    for wanted in (lambda p: p.name == PREFERRED_NAME, lambda p: p.suffix == ".ipynb", lambda p: p.suffix == ".py"):
        matches = [p for p in files if wanted(p)]
        if matches:
            return matches[0]
    raise NoSubmission()


def grade_root(root: Path, config: GradescopeConfig, started: float) -> dict:
    from autograder.grade.batch import GradeSettings, grade_batch

    submission = find_submission(root / "submission")
    print(f"grading {submission}")
    settings = GradeSettings(workers=1, timeout_s=config.timeout_s, force=True, lang=config.lang)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as scratch:
        [result] = grade_batch([submission], Path(scratch), settings)
    print(json.dumps({key: result[key] for key in ("score", "max_score", "duration_s", "sandboxed",
                                                   "student_process", "problems")}))
    return gradescope_results(result, config, time.monotonic() - started)


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m autograder.gradescope.run", description=__doc__)
    options.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                         help="Gradescope's folder with source/, submission/ and results/ (default /autograder)")
    args = options.parse_args(argv)
    started = time.monotonic()
    lang = "en"
    try:
        config = GradescopeConfig.from_json((args.root / "source" / CONFIG_FILE).read_text(encoding="utf-8"))
        lang = config.lang
        results = grade_root(args.root, config, started)
    except NoSubmission:
        results = failure_results(render("gradescope.no_submission", {}, lang), time.monotonic() - started, lang)
    except BaseException as error:  # fail closed: a results.json that says grading failed
        traceback.print_exc()
        reason = render("gradescope.internal", {"error": type(error).__name__}, lang)
        results = failure_results(reason, time.monotonic() - started, lang)
    write_results(args.root / "results" / "results.json", results)
    print(f"score {results['score']:g}; results in {args.root / 'results' / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
