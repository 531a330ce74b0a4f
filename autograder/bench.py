"""`make bench`: the same submissions graded three ways, timed in one run on this machine.

1. nbgrader: `nbgrader autograde` on the notebooks, in a throwaway course folder, one
   command for the whole class (its fixed start-up is paid once, in its favour).
2. this grader: `grade_batch`, sandboxed, with one worker per core.
3. the floor: the same static rules and hidden tests called in one warm process, the
   notebook's cells executed in a fresh namespace, no process, no sandbox.

It prints the time per submission of each and the ratios, checks that this grader's
scores equal nbgrader's on every (honest) submission, and reports the peak memory of a
student process (which includes the warm worker's shared pages, so it bounds a worker).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from autograder.corpus import corpus_notebooks
from autograder.exercises import AUTOMATIC
from autograder.nbgrader_run import autograde_with_nbgrader, stage_submissions

ROOT = Path(__file__).resolve().parents[1]
HONEST_KINDS = ("correct", "mistake")


def honest_notebooks(count: int) -> list[Path]:
    """Realistic honest notebooks from the corpus (right answers and plain mistakes), repeated up to `count`."""
    chosen = list(corpus_notebooks(HONEST_KINDS).values())
    if not chosen:
        raise SystemExit("the corpus has no honest submissions to benchmark with")
    return [chosen[i % len(chosen)] for i in range(count)]


def run_nbgrader(notebooks: list[Path], course: Path) -> tuple[float, dict[str, dict[str, float]]]:
    students = {f"student{index:03d}": notebook for index, notebook in enumerate(notebooks)}
    return autograde_with_nbgrader(students, course)


def run_grader(notebooks: list[Path], folder: Path, workers: int) -> tuple[float, dict, int]:
    from autograder.grade.batch import GradeSettings, grade_batch

    submitted = stage_submissions({f"student{i:03d}": nb for i, nb in enumerate(notebooks)}, folder)
    started = time.perf_counter()
    results = grade_batch([submitted], folder / "out", GradeSettings(workers=workers, force=True),
                          progress=lambda total: _Quiet())
    seconds = time.perf_counter() - started
    scores = {r["student"]: {e: d["score"] for e, d in r["exercises"].items()} for r in results}
    peak = max(r["student_process"].get("peak_rss_kb", 0) for r in results)
    return seconds, scores, peak


class _Quiet:
    def step(self, label: str) -> None:
        pass


def run_floor(notebooks: list[Path]) -> float:
    """The same checks in this warm process: cells run in a fresh namespace each, no isolation."""
    import warnings

    from autograder.grade.hidden import run_exercise
    from autograder.grade.static import rule_findings
    from autograder.grade.submission import read_submission
    from autograder.run.inside.execute import new_namespace, run_cell
    from autograder.student import LocalStudent

    def grade_here(path: Path) -> None:
        submission = read_submission("floor", path)
        namespace = new_namespace("__main__")
        for index, source in enumerate(submission.cells):
            run_cell(namespace, source, index)
        student = LocalStudent(namespace)
        for exercise in AUTOMATIC:
            run_exercise(exercise, student, findings=rule_findings(exercise, submission.cells))

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        grade_here(notebooks[0])
        started = time.perf_counter()
        for path in notebooks:
            grade_here(path)
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=40, help="submissions to grade (default 40)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    notebooks = honest_notebooks(args.count)
    count = len(notebooks)
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as scratch:
        scratch = Path(scratch)
        print(f"grading {count} submissions three ways ({args.workers} workers, {os.cpu_count()} cores)...")
        nbgrader_s, nbgrader_scores = run_nbgrader(notebooks, scratch / "course")
        print(f"  nbgrader autograde: {nbgrader_s:.1f} s")
        grader_s, grader_scores, peak_kb = run_grader(notebooks, scratch / "grader", args.workers)
        print(f"  this grader:        {grader_s:.1f} s")
        floor_s = run_floor(notebooks)
        print(f"  floor:              {floor_s:.1f} s")
    differing = sorted(s for s in nbgrader_scores if nbgrader_scores[s] != grader_scores.get(s))
    figures = {
        "submissions": count, "workers": args.workers, "cores": os.cpu_count(),
        "nbgrader_s_per_submission": round(nbgrader_s / count, 4),
        "grader_s_per_submission": round(grader_s / count, 4),
        "floor_s_per_submission": round(floor_s / count, 4),
        "throughput_vs_nbgrader": round(nbgrader_s / grader_s, 2),
        "time_vs_floor": round(grader_s / floor_s, 2),
        "scores_identical_to_nbgrader": not differing, "differing_students": differing,
        "peak_student_process_rss_mb": round(peak_kb / 1024, 1),
    }
    print(f"\nper submission: nbgrader {figures['nbgrader_s_per_submission']:.3f} s, "
          f"this grader {figures['grader_s_per_submission']:.3f} s, floor {figures['floor_s_per_submission']:.3f} s")
    print(f"throughput: {figures['throughput_vs_nbgrader']}x nbgrader's (target >= 25x); "
          f"time: {figures['time_vs_floor']}x the floor (target <= 3x)")
    print(f"scores identical to nbgrader's: {figures['scores_identical_to_nbgrader']}"
          + (f" (differ: {', '.join(differing)})" if differing else ""))
    print(f"peak memory of a student process (warm worker pages included): {figures['peak_student_process_rss_mb']} MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
