"""The runner inside Gradescope's container: grade ROOT/submission, write ROOT/results/results.json.

It always writes a valid results.json. A submission whose code crashes is graded like any other;
if grading itself cannot finish, the file says so with a score of 0, and the details (which may
name hidden-test internals) go only to stdout, which Gradescope shows to instructors alone. An
image that cannot sandbox student code refuses to run it: the student reads that the instructor
must fix the autograder, the instructor reads why in stdout, and the runner exits 2. The
notebook is chosen as in an nbgrader folder (the release's name, or the only candidate), and any
text a student's code produced is written, so a graded submission never falls back to 0.
The root is an argument so the same code runs in a test without touching /autograder.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import traceback
from pathlib import Path

from autograder.gradescope.results import (CONFIG_FILE, GradescopeConfig, failure_results, gradescope_results,
                                           refusal_results)
from autograder.assignments import Assignment
from autograder.grade.submission import NOT_SUBMISSIONS, SUFFIXES, Assignments, choose_notebook
from autograder.messages import as_text, render
from autograder.results import encodable
from autograder.run.sandbox import UnsafeToGrade
from autograder.writing import write_atomically

DEFAULT_ROOT = Path("/autograder")


class NoSubmission(Exception):
    """The submission folder holds nothing this grader can read, or several candidates: says which."""


def find_submission(folder: Path, assignment: Assignment) -> tuple[Path, str]:
    """The notebook to grade, by the rule of an nbgrader folder: the release's notebook (dense_layers.ipynb)
    wherever it is, else the only notebook, else the only .py file; several candidates are refused, never
    guessed. With it, a note for the student when it is not the release's notebook."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and not any(part in NOT_SUBMISSIONS or part.startswith("._") for part in p.relative_to(folder).parts))
    chosen, problem, note = choose_notebook(files, assignment)
    if chosen is None:
        raise NoSubmission(problem if any(f.suffix in SUFFIXES for f in files) else None)
    return chosen, note


def grade_root(root: Path, config: GradescopeConfig, started: float) -> dict:
    from autograder.grade.batch import GradeSettings, grade_batch

    assignment = config.graded()
    submission, note = find_submission(root / "submission", assignment)
    print(f"grading {submission} as {assignment.name}")
    settings = GradeSettings(workers=1, timeout_s=config.timeout_s, force=True, lang=config.lang,
                             assignments=Assignments({assignment.name: assignment}, assignment.name))
    with tempfile.TemporaryDirectory(prefix="gradescope-") as scratch:
        [result] = grade_batch([submission], Path(scratch), settings)
    result["notes"] += [as_text(note, config.lang)] if note else []
    print(json.dumps({key: result[key] for key in ("score", "max_score", "duration_s", "sandboxed",
                                                   "student_process", "problems", "grader_error")}))
    if result["grader_error"]:
        return failure_results(render("grader.error", {}, config.lang), time.monotonic() - started, config.lang)
    return gradescope_results(result, config, time.monotonic() - started)


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(encodable(results), indent=1, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m autograder.gradescope.run", description=__doc__)
    options.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                         help="Gradescope's folder with source/, submission/ and results/ (default /autograder)")
    args = options.parse_args(argv)
    started = time.monotonic()
    lang = "en"
    status = 0
    try:
        config = GradescopeConfig.from_json((args.root / "source" / CONFIG_FILE).read_text(encoding="utf-8"))
        lang = config.lang
        results = grade_root(args.root, config, started)
    except UnsafeToGrade as refusal:  # the image, not the submission: the student is told the instructor must act
        print(f"not graded: this image cannot sandbox student code; fix the image (see setup.sh), then regrade.\n"
              f"{refusal}")
        results = refusal_results(time.monotonic() - started, lang)
        status = 2
    except NoSubmission as missing:
        reason = as_text(missing.args[0], lang) if missing.args[0] else render("gradescope.no_submission", {}, lang)
        results = failure_results(reason, time.monotonic() - started, lang)
    except BaseException as error:  # fail closed: a results.json that says grading failed
        traceback.print_exc()
        reason = render("gradescope.internal", {"error": type(error).__name__}, lang)
        results = failure_results(reason, time.monotonic() - started, lang)
    write_results(args.root / "results" / "results.json", results)
    print(f"score {results['score']:g}; results in {args.root / 'results' / 'results.json'}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
