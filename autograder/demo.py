"""`make demo`: the course's whole path on the bundled notebooks, in out/demo/.

1. nbgrader, as courses use it today: release the assignment from source/ and autograde the
   reference solution and the untouched student release; print nbgrader's scores.
2. This grader: `autograder grade` on the solution, the untouched release and a few students
   of the test corpus (mistakes, a notebook accident, a hostile one), sandboxed; print the
   table, the commonest mistakes and where the class report and feedback pages are. Where
   bubblewrap is missing it grades only the project's own trusted notebooks (no hostile one),
   without a sandbox, and says so.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from autograder.assignments import shipped
from autograder.cli import main as cli_main
from autograder.corpus import corpus_notebooks
from autograder.grade.batch import summary_table
from autograder.nbgrader_run import autograde_with_nbgrader
from autograder.run.sandbox import sandbox_available

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "demo"
CORPUS_PICKS = {"mistake": 4, "accident": 1, "hostile": 1}


def bundled_submissions(sandboxed: bool = True) -> dict[str, Path]:
    """The solution, the untouched release, and the first few corpus students of each kind; without a
    sandbox, none of the hostile ones."""
    name = shipped().name
    chosen = {"solution": ROOT / "solutions" / name / f"{name}.ipynb",
              "untouched_release": ROOT / "assignments" / name / f"{name}.ipynb"}
    for kind, count in CORPUS_PICKS.items():
        if kind == "hostile" and not sandboxed:
            continue
        chosen.update(list(corpus_notebooks((kind,)).items())[:count])
    return chosen


def nbgrader_table(scores: dict[str, dict[str, float]]) -> str:
    rows = [{"student": student, "exercises": {e: {"score": s} for e, s in by_exercise.items()},
             "score": sum(by_exercise.values()), "max_score": shipped().automatic_points}
            for student, by_exercise in scores.items()]
    return summary_table(rows, footer=False)


def main(out: Path = OUT) -> int:
    shutil.rmtree(out, ignore_errors=True)
    sandboxed = sandbox_available()
    submissions = bundled_submissions(sandboxed)
    print("== 1. nbgrader: release the assignment, autograde the solution and the untouched release ==")
    started = time.perf_counter()
    seconds, scores = autograde_with_nbgrader(
        {name: submissions[name] for name in ("solution", "untouched_release")}, out / "nbgrader")
    print(f"released: {out / 'nbgrader' / 'assignments' / shipped().name}/ "
          f"({time.perf_counter() - started:.0f} s in all; autograde took {seconds:.1f} s)")
    print(nbgrader_table(scores))
    if sandboxed:
        print(f"\n== 2. autograder grade: {len(submissions)} bundled submissions, sandboxed ==")
    else:
        print(f"\n== 2. autograder grade: {len(submissions)} of the project's own trusted notebooks, WITHOUT a "
              f"sandbox (bubblewrap is not installed here: apt-get install bubblewrap; no hostile notebook is "
              f"graded without it) ==")
    folder = out / "submissions"
    folder.mkdir(parents=True)
    for name, path in submissions.items():
        shutil.copy(path, folder / f"{name}{path.suffix}")
    return cli_main(["grade", str(folder), "--out", str(out / "grades"), *([] if sandboxed else ["--unsandboxed"])])
