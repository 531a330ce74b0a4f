"""`make bench`: the same submissions graded several ways, timed in one run on this machine.

1. nbgrader: `nbgrader autograde` on the notebooks, in a throwaway course folder, one
   command for the whole class (its fixed start-up is paid once, in its favour).
2. this grader: the command `autograder grade`, sandboxed, with 1 worker and with one worker
   per core, timed from its start to its class report (end to end, as an instructor waits).
3. this grader on Dask: the same command with `--cluster local:1` and `local:N` (N cores).
4. the floor: the same static rules and hidden tests called in one warm process, the
   notebook's cells executed in a fresh namespace, no process, no sandbox.

By default the class is 24 honest notebooks of the corpus. It prints each one's time and the
end-to-end ratio to nbgrader's against the target; once a batch is running (from its first
result to its last, so that start-up and shutdown, paid once per batch, are apart) the
throughput per core, the scaling efficiency from 1 worker to N (N workers' throughput over N
times 1 worker's) and the cluster's overhead per submission; and the CPU time per submission
(user and system time: nbgrader's command and kernels; the grader's command, the processes it
waited for and its student processes; the floor's process): core-seconds, which compare a
one-process floor fairly with N workers, and the cluster with the local grader. It checks that
this grader's scores equal nbgrader's on every (honest) submission and reports the peak memory
of a student process (which includes the warm worker's shared pages, so it bounds a worker).
Timings on a shared machine are noisy; CPU time much less so.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.corpus import corpus_notebooks
from autograder.assignments import shipped
from autograder.nbgrader_run import autograde_with_nbgrader, stage_submissions
from autograder.run.inside.environment import quiet_tensorflow

ROOT = Path(__file__).resolve().parents[1]
HONEST_KINDS = ("correct", "mistake")
END_TO_END_TARGET = 10  # times nbgrader's throughput, for a class of 24 (issue 14)


def honest_notebooks(count: int) -> list[Path]:
    """Realistic honest notebooks from the corpus (right answers and plain mistakes), repeated up to `count`."""
    chosen = list(corpus_notebooks(HONEST_KINDS).values())
    if not chosen:
        raise SystemExit("the corpus has no honest submissions to benchmark with")
    return [chosen[i % len(chosen)] for i in range(count)]


@dataclass
class Run:
    seconds: float
    cpu_s: float
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    peak_rss_kb: int = 0
    finished_at: list[float] = field(default_factory=list)

    def steady_s(self) -> float:
        """Seconds per submission between the first result and the last: start-up and shutdown left out."""
        if len(self.finished_at) < 2:
            return self.seconds / max(1, len(self.finished_at))
        return (self.finished_at[-1] - self.finished_at[0]) / (len(self.finished_at) - 1)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User and system time of this process (all its threads), or of the children it has waited for."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def measured(run: Run):
    """Wall time, and this process's CPU time, of the block."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    yield
    run.seconds, run.cpu_s = time.perf_counter() - wall, cpu_seconds() - cpu


def run_nbgrader(notebooks: list[Path], course: Path) -> Run:
    """nbgrader's CPU time is its command's, kernels included (each waited for)."""
    students = {f"student{index:03d}": notebook for index, notebook in enumerate(notebooks)}
    cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    seconds, scores = autograde_with_nbgrader(students, course)
    return Run(seconds, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu, scores)


def run_grader(notebooks: list[Path], folder: Path, workers: int, cluster: str = "") -> Run:
    """`autograder grade` as an instructor runs it, from the command's start to its class report, with
    `workers` warm workers or on the cluster at `cluster` (local:N). When each submission finished is
    when its result was written. CPU time: the command and the processes it waited for (the Dask
    workers of a local cluster among them), and every student process (as each result records it);
    the warm workers' start-up is left out (the sandbox's processes are not the command's to wait for)."""
    submitted = stage_submissions({f"student{i:03d}": nb for i, nb in enumerate(notebooks)}, folder)
    out = folder / "out"
    command = [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out),
               "--workers", str(workers), *(["--cluster", cluster] if cluster else [])]
    cpu, wall = cpu_seconds(resource.RUSAGE_CHILDREN), time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    run = Run(time.perf_counter() - wall, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu)
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    written = {path: json.loads(path.read_text()) for path in out.glob("*.json")}
    written = {path: result for path, result in written.items() if isinstance(result, dict) and "exercises" in result}
    results = list(written.values())
    run.finished_at = sorted(path.stat().st_mtime for path in written)
    run.scores = {r["student"]: {e: d["score"] for e, d in r["exercises"].items()} for r in results}
    run.peak_rss_kb = max(r["student_process"].get("peak_rss_kb", 0) for r in results)
    run.cpu_s += sum(r["student_process"].get("cpu_s", 0.0) for r in results)
    return run


def run_floor(notebooks: list[Path]) -> Run:
    """The same checks in this warm process: cells run in a fresh namespace each, no isolation."""
    import warnings

    from autograder.grade.hidden import collect, run_exercise
    from autograder.grade.static import rule_findings
    from autograder.grade.submission import read_submission
    from autograder.run.inside.execute import new_namespace, run_cell
    from autograder.student import LocalStudent

    def grade_here(path: Path) -> None:
        assignment = shipped()
        submission = read_submission("floor", path, assignment)
        namespace = new_namespace("__main__")
        for index, source in enumerate(submission.cells):
            run_cell(namespace, source, index)
        student = LocalStudent(namespace)
        for exercise in assignment.automatic:
            run_exercise(exercise, collect(assignment, exercise), student,
                         findings=rule_findings(exercise, submission.cells))

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        grade_here(notebooks[0])
        run = Run(0.0, 0.0)
        with measured(run):
            for path in notebooks:
                grade_here(path)
        return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=24, help="submissions to grade (default 24: a class)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N (default: the cores)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json")
    args = parser.parse_args(argv)
    quiet_tensorflow()
    notebooks = honest_notebooks(args.count)
    count, cores, many = len(notebooks), os.cpu_count() or 1, max(1, args.workers)
    sizes = sorted({1, many})
    try:
        import distributed  # noqa: F401
        clustered = True
    except ImportError:
        clustered = False
        print("Dask distributed is not installed (pip install '.[cluster]'): the cluster is left out")
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as scratch:
        scratch = Path(scratch)
        print(f"grading {count} submissions several ways ({cores} cores)...")
        nbgrader = run_nbgrader(notebooks, scratch / "course")
        print(f"  nbgrader autograde:          {nbgrader.seconds:7.1f} s")
        local, cluster = {}, {}
        for n in sizes:
            local[n] = run_grader(notebooks, scratch / f"local{n}", n)
            print(f"  this grader, {n} worker(s):   {local[n].seconds:7.1f} s "
                  f"({local[n].steady_s():.3f} s per submission once running)")
            if clustered:
                cluster[n] = run_grader(notebooks, scratch / f"cluster{n}", n, cluster=f"local:{n}")
                print(f"  --cluster local:{n}:          {cluster[n].seconds:7.1f} s "
                      f"({cluster[n].steady_s():.3f} s per submission once running)")
        floor = run_floor(notebooks)
        print(f"  floor:                       {floor.seconds:7.1f} s")
    grader = local[many]
    differing = sorted(s for s in nbgrader.scores if nbgrader.scores[s] != grader.scores.get(s))
    differing_cluster = sorted(s for n in cluster for s in local[n].scores if local[n].scores[s] != cluster[n].scores.get(s))

    def per_core(run: Run, n: int) -> float:
        """Submissions per core-second, once running (start-up and shutdown are paid once per batch)."""
        return round(1 / (run.steady_s() * min(n, cores)), 4)

    figures = {
        "submissions": count, "workers": many, "cores": cores,
        "nbgrader_s_per_submission": round(nbgrader.seconds / count, 4),
        "grader_s_per_submission": round(grader.seconds / count, 4),
        "floor_s_per_submission": round(floor.seconds / count, 4),
        "throughput_vs_nbgrader": round(nbgrader.seconds / grader.seconds, 2),
        "time_vs_floor": round(grader.seconds / floor.seconds, 2),
        "cpu_s_per_submission": {"nbgrader": round(nbgrader.cpu_s / count, 3),
                                 **{f"grader_{n}": round(local[n].cpu_s / count, 3) for n in sizes},
                                 **{f"cluster_{n}": round(cluster[n].cpu_s / count, 3) for n in cluster},
                                 "floor": round(floor.cpu_s / count, 3)},
        "throughput_per_core": {**{f"grader_{n}": per_core(local[n], n) for n in sizes},
                                **{f"cluster_{n}": per_core(cluster[n], n) for n in cluster}},
        "scores_identical_to_nbgrader": not differing, "differing_students": differing,
        "cluster_scores_identical_to_local": not differing_cluster,
        "peak_student_process_rss_mb": round(grader.peak_rss_kb / 1024, 1),
    }
    if many > 1:
        figures["scaling_efficiency"] = {
            "grader": round(local[1].steady_s() / (many * local[many].steady_s()), 3),
            **({"cluster": round(cluster[1].steady_s() / (many * cluster[many].steady_s()), 3)} if cluster else {})}
    if cluster:
        figures["cluster_wall_s"] = {str(n): round(cluster[n].seconds, 2) for n in cluster}
        figures["grader_wall_s"] = {str(n): round(local[n].seconds, 2) for n in sizes}
        figures["cluster_overhead_s_per_submission"] = {
            str(n): round(cluster[n].steady_s() - local[n].steady_s(), 4) for n in cluster}
        figures["cluster_overhead_fraction"] = {
            str(n): round(cluster[n].steady_s() / local[n].steady_s() - 1, 3) for n in cluster}
    print(f"\nper submission: nbgrader {figures['nbgrader_s_per_submission']:.3f} s, "
          f"this grader ({many} workers) {figures['grader_s_per_submission']:.3f} s, "
          f"floor {figures['floor_s_per_submission']:.3f} s")
    print(f"end to end (`autograder grade`, {many} workers, from its start to its report): "
          f"{figures['throughput_vs_nbgrader']}x nbgrader's throughput (target >= {END_TO_END_TARGET}x: "
          f"{'met' if figures['throughput_vs_nbgrader'] >= END_TO_END_TARGET else 'not met'}); "
          f"{figures['time_vs_floor']}x the floor's time")
    print("CPU time per submission (core-seconds): "
          + ", ".join(f"{name} {value:.2f} s" for name, value in figures["cpu_s_per_submission"].items()))
    print("throughput per core, once running (submissions per core-second): "
          + ", ".join(f"{name} {value:.3f}" for name, value in figures["throughput_per_core"].items()))
    if "scaling_efficiency" in figures:
        print(f"scaling efficiency 1 -> {many} workers (target >= 0.9): "
              + ", ".join(f"{name} {value}" for name, value in figures["scaling_efficiency"].items()))
    if cluster:
        print("cluster overhead per submission, once running (target < 5%): "
              + ", ".join(f"local:{n} {figures['cluster_overhead_s_per_submission'][str(n)]:+.3f} s "
                          f"({100 * figures['cluster_overhead_fraction'][str(n)]:+.1f}%)" for n in cluster))
        print(f"cluster scores identical to the local grader's: {figures['cluster_scores_identical_to_local']}")
    print(f"scores identical to nbgrader's: {figures['scores_identical_to_nbgrader']}"
          + (f" (differ: {', '.join(differing)})" if differing else ""))
    print(f"peak memory of a student process (warm worker pages included): {figures['peak_student_process_rss_mb']} MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
