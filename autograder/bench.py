"""`make bench`: the same submissions graded several ways, timed in one run on this machine.

1. nbgrader: `nbgrader autograde` on the notebooks, in a throwaway course folder, one
   command for the whole class (its fixed start-up is paid once, in its favour).
2. this grader: the command `autograder grade`, sandboxed, with 1 worker and with one worker
   per core, timed from its start to its class report (end to end, as an instructor waits).
3. this grader on Dask: the same command with `--cluster local:1` and `local:N` (N cores).
4. the floor: the same static rules and hidden tests called in one warm process prepared as a
   warm worker is, the notebook's cells executed in a fresh namespace, no process, no sandbox.

By default the class is 24 honest notebooks of the corpus. It prints each one's time and the
end-to-end ratio to nbgrader's against the target; once a batch is running (from its first
result to its last, so that start-up and shutdown, paid once per batch, are apart) the
throughput per core, the scaling efficiency from 1 worker to N (N workers' throughput over N
times 1 worker's) and the cluster's overhead per submission; and the CPU time per submission
(user and system time: nbgrader's command and kernels; the grader's command, the processes it
waited for and its student processes; the floor's process): core-seconds, which compare a
one-process floor fairly with N workers, and the cluster with the local grader. It checks that
this grader's scores equal nbgrader's on every (honest) submission and reports the peak memory
of a student process (which includes the warm worker's shared pages, so it bounds a worker) and,
from runs of their own after the timed ones, the peak proportional set size of the command, of
its largest child's process tree (a warm worker; a Dask worker with its warm worker) and in all.

A shared machine's speed drifts by a quarter and more from one minute to the next, as much as the
differences measured. So this grader's runs come in rounds (`--rounds`, 3 by default), each round
grading the class once in every way one after the other, nbgrader's one long run in the middle
round, every other round in reverse order, after one untimed run that brings the files into
memory; each figure is the median over the rounds, and a figure that compares two ways (scaling
efficiency, the cluster's overhead) is computed within each round first, from runs made a minute
apart, then its median taken. Every round's figures are printed and kept. The cluster's overhead is
also measured within each run, where the machine's drift cannot reach it: the share of the
workers' time spent outside grading a submission (`Run.outside_grading`), the cluster's against
the local grader's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
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
    started_at: list[float] = field(default_factory=list)
    workers: int = 1
    peak_pss_kb: dict[str, int] = field(default_factory=dict)

    def steady_s(self) -> float:
        """Seconds per submission between the first result and the last: start-up and shutdown left out."""
        if len(self.finished_at) < 2:
            return self.seconds / max(1, len(self.finished_at))
        return (self.finished_at[-1] - self.finished_at[0]) / (len(self.finished_at) - 1)

    def outside_grading(self) -> float | None:
        """The share of the workers' time not spent grading a submission, while every worker had one to
        grade: from the first start after the first result (and not before the N-th start of the run, N the
        workers, by which workers that started together have each begun one) to the last start. A submission was graded from its result's time less its `duration_s` to its result's
        time. Measured within one run, this is not moved by the machine's speed drifting between runs, as
        a comparison of two runs' times is; what a cluster adds to it is what Dask costs per submission."""
        spans = sorted(zip(self.started_at, self.finished_at))
        if len(spans) <= self.workers:
            return None
        first_result = min(finished for _, finished in spans)
        later = [started for started, _ in spans if started >= first_result]
        if not later:
            return None
        begin, end = max(later[0], spans[self.workers - 1][0]), spans[-1][0]
        if end <= begin:
            return None
        grading = sum(max(0.0, min(finished, end) - max(started, begin)) for started, finished in spans)
        return round(1 - grading / (self.workers * (end - begin)), 4)


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


def proportional_set_kb(pid: int) -> int:
    """A process's proportional set size (its private pages, and each shared page divided by the processes
    sharing it, so that a tree's sum counts every page once); 0 for a process gone or unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def child_processes() -> dict[int, list[int]]:
    """Every process's children, by parent, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def tree_of(pid: int, children: dict[int, list[int]]) -> list[int]:
    """The process and its descendants."""
    tree, waiting = [], [pid]
    while waiting:
        tree.append(waiting.pop())
        waiting += children.get(tree[-1], [])
    return tree


def sample_memory(pid: int, peaks: dict[str, int]) -> None:
    """Raise `peaks` to what the process tree at `pid` holds now: the process itself ("command"), its
    largest child's tree ("largest_child_tree": one warm worker with its student process; one Dask worker
    with its warm worker and student process) and the whole tree ("total"), in KiB of PSS."""
    children = child_processes()
    command = proportional_set_kb(pid)
    trees = [sum(map(proportional_set_kb, tree_of(child, children))) for child in children.get(pid, [])]
    for name, kb in (("command", command), ("largest_child_tree", max(trees, default=0)),
                     ("total", command + sum(trees))):
        peaks[name] = max(peaks.get(name, 0), kb)


@contextlib.contextmanager
def sampled_memory(pid: int, interval_s: float = 0.5):
    """The peaks of `sample_memory`, sampled every `interval_s` in a thread while the block runs."""
    peaks: dict[str, int] = {}
    done = threading.Event()

    def sample_until_done() -> None:
        while not done.wait(interval_s):
            sample_memory(pid, peaks)

    sampler = threading.Thread(target=sample_until_done, name="bench-memory", daemon=True)
    sampler.start()
    try:
        yield peaks
    finally:
        done.set()
        sampler.join()


def run_grader(notebooks: list[Path], folder: Path, workers: int, cluster: str = "", memory: bool = False) -> Run:
    """`autograder grade` as an instructor runs it, from the command's start to its class report, with
    `workers` warm workers or on the cluster at `cluster` (local:N). When each submission finished is
    when its result was written. CPU time: the command and the processes it waited for (the Dask
    workers of a local cluster among them), and every student process (as each result records it);
    the warm workers' start-up is left out (the sandbox's processes are not the command's to wait for). With `memory`,
    the peaks of the command's process tree are sampled (`sample_memory`)."""
    submitted = stage_submissions({f"student{i:03d}": nb for i, nb in enumerate(notebooks)}, folder)
    out = folder / "out"
    command = [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out),
               "--workers", str(workers), *(["--cluster", cluster] if cluster else [])]
    cpu, wall = cpu_seconds(resource.RUSAGE_CHILDREN), time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with sampled_memory(process.pid) if memory else contextlib.nullcontext({}) as peaks:
        _, stderr = process.communicate()
    run = Run(time.perf_counter() - wall, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu, workers=workers,
              peak_pss_kb=peaks)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    written = {path: json.loads(path.read_text()) for path in out.glob("*.json")}
    written = {path: result for path, result in written.items() if isinstance(result, dict) and "exercises" in result}
    results = list(written.values())
    graded = sorted((path.stat().st_mtime, result["duration_s"]) for path, result in written.items())
    run.finished_at = [finished for finished, _ in graded]
    run.started_at = [finished - duration for finished, duration in graded]  # in the order of finished_at
    run.scores = {r["student"]: {e: d["score"] for e, d in r["exercises"].items()} for r in results}
    run.peak_rss_kb = max(r["student_process"].get("peak_rss_kb", 0) for r in results)
    run.cpu_s += sum(r["student_process"].get("cpu_s", 0.0) for r in results)
    return run


def run_floor(notebooks: list[Path]) -> Run:
    """The same checks in this warm process: cells run in a fresh namespace each, no isolation. The process
    is prepared as a warm worker prepares itself before it forks a student process (Keras' placeholders,
    the rehearsal, its objects frozen), and Keras' state is reset before each notebook, as a student
    process starts with it: the floor is what grading costs without processes and sandbox, not more."""
    import gc
    import warnings

    from autograder.grade.hidden import collect, run_exercise
    from autograder.grade.static import rule_findings
    from autograder.grade.submission import read_submission
    from autograder.run.inside import warm
    from autograder.run.inside.execute import new_namespace, run_cell
    from autograder.student import LocalStudent

    def grade_here(path: Path) -> None:
        warm.forget_keras_state()
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
        warm.prepare()  # ends with a collection of what the rehearsal left
        gc.freeze()
        grade_here(notebooks[0])
        run = Run(0.0, 0.0)
        with measured(run):
            for path in notebooks:
                grade_here(path)
        return run


def ways_in_order(ways: list, round_number: int) -> list:
    """Every other round in reverse: a way run first in one round runs last in the next, so a machine
    speeding up or slowing down over a round favours no way."""
    return list(ways) if round_number % 2 == 0 else list(reversed(ways))


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle of an even count)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def compute_figures(count: int, many: int, cores: int, nbgrader: Run, local: dict[int, list[Run]],
                    cluster: dict[int, list[Run]], floor: Run) -> dict:
    """The benchmark's figures from its runs: medians over the rounds; comparisons made within each round first.
    `local[n]` and `cluster[n]` hold one run per round, in round order."""
    sizes = sorted(local)
    rounds = len(local[many])
    grader = {n: median_run(local[n]) for n in sizes}
    clustered = {n: median_run(cluster[n]) for n in cluster}

    def per_core(run: Run, n: int) -> float:
        """Submissions per core-second, once running (start-up and shutdown are paid once per batch)."""
        return round(1 / (run.steady_s() * min(n, cores)), 4)

    figures = {
        "submissions": count, "workers": many, "cores": cores, "rounds": rounds,
        "nbgrader_s_per_submission": round(nbgrader.seconds / count, 4),
        "grader_s_per_submission": round(grader[many].seconds / count, 4),
        "floor_s_per_submission": round(floor.seconds / count, 4),
        "throughput_vs_nbgrader": round(nbgrader.seconds / grader[many].seconds, 2),
        "throughput_vs_nbgrader_each_round": [round(nbgrader.seconds / run.seconds, 2) for run in local[many]],
        "time_vs_floor": round(grader[many].seconds / floor.seconds, 2),
        "grader_wall_s": {str(n): [round(run.seconds, 2) for run in local[n]] for n in sizes},
        "cpu_s_per_submission": {"nbgrader": round(nbgrader.cpu_s / count, 3),
                                 **{f"grader_{n}": round(statistics.median([r.cpu_s for r in local[n]]) / count, 3)
                                    for n in sizes},
                                 **{f"cluster_{n}": round(statistics.median([r.cpu_s for r in cluster[n]]) / count, 3)
                                    for n in cluster},
                                 "floor": round(floor.cpu_s / count, 3)},
        "throughput_per_core": {**{f"grader_{n}": per_core(grader[n], n) for n in sizes},
                                **{f"cluster_{n}": per_core(clustered[n], n) for n in cluster}},
        "peak_student_process_rss_mb": round(max(run.peak_rss_kb for runs in local.values() for run in runs) / 1024, 1),
    }
    if many > 1:
        def efficiency(ones: list[Run], manys: list[Run]) -> list[float]:
            return [round(one.steady_s() / (many * other.steady_s()), 3) for one, other in zip(ones, manys)]

        each = {"grader": efficiency(local[1], local[many]),
                **({"cluster": efficiency(cluster[1], cluster[many])} if cluster else {})}
        figures["scaling_efficiency"] = {name: round(statistics.median(values), 3) for name, values in each.items()}
        figures["scaling_efficiency_each_round"] = each
    if cluster:
        figures["cluster_wall_s"] = {str(n): [round(run.seconds, 2) for run in cluster[n]] for n in cluster}
        each_overhead = {str(n): [round(c.steady_s() / l.steady_s() - 1, 3) for c, l in zip(cluster[n], local[n])]
                         for n in cluster}
        figures["cluster_overhead_fraction"] = {n: round(statistics.median(v), 3) for n, v in each_overhead.items()}
        figures["cluster_overhead_fraction_each_round"] = each_overhead
        figures["cluster_overhead_s_per_submission"] = {
            str(n): round(statistics.median([c.steady_s() - l.steady_s() for c, l in zip(cluster[n], local[n])]), 4)
            for n in cluster}
    outside = {f"{name}_{n}": [run.outside_grading() for run in runs[n]]
               for name, runs in (("grader", local), ("cluster", cluster)) for n in runs}
    figures["outside_grading_share"] = {way: round(statistics.median(shares), 4)
                                        for way, shares in outside.items() if None not in shares}
    if cluster:
        added = {str(n): [round(c - l, 4) for c, l in zip(outside[f"cluster_{n}"], outside[f"grader_{n}"])
                          if c is not None and l is not None] for n in cluster}
        figures["cluster_outside_grading_added"] = {n: round(statistics.median(v), 4) for n, v in added.items() if v}
        figures["cluster_outside_grading_added_each_round"] = added
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=24, help="submissions to grade (default 24: a class)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N (default: the cores)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of this grader's runs (default 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json")
    args = parser.parse_args(argv)
    quiet_tensorflow()
    notebooks = honest_notebooks(args.count)
    count, cores, many, rounds = len(notebooks), os.cpu_count() or 1, max(1, args.workers), max(1, args.rounds)
    sizes = sorted({1, many})
    try:
        import distributed  # noqa: F401
        clustered = True
    except ImportError:
        clustered = False
        print("Dask distributed is not installed (pip install '.[cluster]'): the cluster is left out")
    local: dict[int, list[Run]] = {n: [] for n in sizes}
    cluster: dict[int, list[Run]] = {n: [] for n in sizes} if clustered else {}
    ways = [(n, "") for n in sizes] + ([(n, f"local:{n}") for n in sizes] if clustered else [])
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as scratch:
        scratch = Path(scratch)
        print(f"grading {count} submissions several ways ({cores} cores), {rounds} round(s)...")
        # The first batch after a while reads Python's and TensorFlow's files from disk, not from memory.
        run_grader(notebooks, scratch / "warm-up", many)
        print(" an untimed warm-up run, then:")
        for round_number in range(rounds):
            print(f" round {round_number + 1}:")
            for n, address in ways_in_order(ways, round_number):
                run = run_grader(notebooks, scratch / f"{address or 'local'}{n}-{round_number}", n, cluster=address)
                (cluster if address else local)[n].append(run)
                label = f"--cluster {address}:" if address else f"this grader, {n} worker(s):"
                print(f"  {label:<28} {run.seconds:7.1f} s ({run.steady_s():.3f} s per submission once running, "
                      f"{100 * (run.outside_grading() or 0):.1f}% of the workers' time outside grading)")
            if round_number == rounds // 2:
                nbgrader = run_nbgrader(notebooks, scratch / "course")
                print(f"  {'nbgrader autograde:':<28} {nbgrader.seconds:7.1f} s")
        floor = run_floor(notebooks)
        print(f"  {'floor:':<28} {floor.seconds:7.1f} s")
        # Memory is sampled in runs of its own, so that sampling costs the timed runs nothing.
        peaks = {f"{'cluster' if address else 'grader'}_{n}":
                 run_grader(notebooks, scratch / f"memory-{address or 'local'}{n}", n, address, memory=True).peak_pss_kb
                 for n, address in ways if n == many}
    differing = sorted({s for run in local[many] for s in nbgrader.scores if nbgrader.scores[s] != run.scores.get(s)})
    differing_cluster = sorted({s for n in cluster for ours, theirs in zip(local[n], cluster[n])
                                for s in ours.scores if ours.scores[s] != theirs.scores.get(s)})
    figures = compute_figures(count, many, cores, nbgrader, local, cluster, floor)
    figures.update({"scores_identical_to_nbgrader": not differing, "differing_students": differing,
                    "cluster_scores_identical_to_local": not differing_cluster,
                    "peak_pss_mib": {way: {part: round(kb / 1024, 1) for part, kb in parts.items()}
                                    for way, parts in peaks.items()}})
    print(f"\nmedians of {rounds} round(s); per submission: nbgrader {figures['nbgrader_s_per_submission']:.3f} s, "
          f"this grader ({many} workers) {figures['grader_s_per_submission']:.3f} s, "
          f"floor {figures['floor_s_per_submission']:.3f} s")
    print(f"end to end (`autograder grade`, {many} workers, from its start to its report): "
          f"{figures['throughput_vs_nbgrader']}x nbgrader's throughput (target >= {END_TO_END_TARGET}x: "
          f"{'met' if figures['throughput_vs_nbgrader'] >= END_TO_END_TARGET else 'not met'}; each round "
          f"{', '.join(f'{ratio}x' for ratio in figures['throughput_vs_nbgrader_each_round'])}); "
          f"{figures['time_vs_floor']}x the floor's time")
    print("CPU time per submission (core-seconds): "
          + ", ".join(f"{name} {value:.2f} s" for name, value in figures["cpu_s_per_submission"].items()))
    print("throughput per core, once running (submissions per core-second): "
          + ", ".join(f"{name} {value:.3f}" for name, value in figures["throughput_per_core"].items()))
    if "scaling_efficiency" in figures:
        print(f"scaling efficiency 1 -> {many} workers (target >= 0.9): "
              + ", ".join(f"{name} {value} (each round {', '.join(map(str, figures['scaling_efficiency_each_round'][name]))})"
                          for name, value in figures["scaling_efficiency"].items()))
    if cluster:
        print("cluster overhead per submission, once running (target < 5%): "
              + ", ".join(f"local:{n} {figures['cluster_overhead_s_per_submission'][str(n)]:+.3f} s "
                          f"({100 * figures['cluster_overhead_fraction'][str(n)]:+.1f}%; each round "
                          + ", ".join(f"{100 * v:+.1f}%" for v in figures['cluster_overhead_fraction_each_round'][str(n)])
                          + ")" for n in cluster))
        print("the cluster's added share of the workers' time outside grading, within each run: "
              + ", ".join(f"local:{n} {100 * v:+.1f}% (each round "
                          + ", ".join(f"{100 * x:+.1f}%" for x in figures["cluster_outside_grading_added_each_round"][n])
                          + ")" for n, v in figures["cluster_outside_grading_added"].items()))
        print(f"cluster scores identical to the local grader's: {figures['cluster_scores_identical_to_local']}")
    print(f"scores identical to nbgrader's: {figures['scores_identical_to_nbgrader']}"
          + (f" (differ: {', '.join(differing)})" if differing else ""))
    print(f"peak memory of a student process (warm worker pages included): {figures['peak_student_process_rss_mb']} MB")
    for way, parts in figures["peak_pss_mib"].items():
        print(f"peak PSS, {way}: the command {parts.get('command', 0)} MiB, its largest child's process tree "
              f"{parts.get('largest_child_tree', 0)} MiB, in all {parts.get('total', 0)} MiB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
