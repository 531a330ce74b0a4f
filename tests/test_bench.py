"""`make bench`'s figures from its runs: medians over rounds, comparisons made within a round first.

The runs here are made up, so that each figure's arithmetic is checked without grading anything."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from autograder.bench import Run, compute_figures, median_run, sample_memory, ways_in_order

COUNT = 4


def run(seconds: float, steady: float, cpu_s: float = 8.0, workers: int = 1) -> Run:
    """A run of COUNT submissions whose results came `steady` seconds apart, one second after it started,
    each worker grading one submission after another with no time between."""
    return Run(seconds, cpu_s, finished_at=[1.0 + steady * i for i in range(COUNT)],
               started_at=[1.0 + steady * (i - workers) for i in range(COUNT)], workers=workers, peak_rss_kb=2048)


def test_the_median_run_is_the_middle_one_by_wall_time():
    runs = [run(30, 1), run(10, 1), run(11, 1)]
    assert median_run(runs) is runs[2]
    assert median_run(runs[:2]).seconds == 10  # an even count: the lower middle


def test_figures_are_medians_over_rounds_and_comparisons_are_made_within_each_round():
    # The machine ran fast in round 2 and slow in round 3, for every way alike.
    local = {1: [run(10, 1.0), run(8, 0.8), run(13, 1.3)],
             2: [run(6, 0.5, workers=2), run(5, 0.4, workers=2), run(7, 0.65, workers=2)]}
    cluster = {1: [run(11, 1.05), run(9, 0.84), run(10.5, 1.365)],
               2: [run(7, 0.5, workers=2), run(6, 0.4, workers=2), run(8, 0.65, workers=2)]}
    nbgrader, floor = Run(60, 40), Run(12, 12)
    figures = compute_figures(COUNT, 2, 2, nbgrader, local, cluster, floor)
    assert figures["rounds"] == 3
    assert figures["throughput_vs_nbgrader"] == 10.0  # 60 s against the median of 6, 5 and 7
    assert figures["throughput_vs_nbgrader_each_round"] == [10.0, 12.0, 8.57]
    assert figures["scaling_efficiency_each_round"]["grader"] == [1.0, 1.0, 1.0]
    assert figures["scaling_efficiency"] == {"grader": 1.0, "cluster": pytest.approx(1.05, abs=0.001)}
    # 5% in every round; the median runs taken apart (round 3's cluster, round 1's local) would say 36.5%.
    assert figures["cluster_overhead_fraction_each_round"]["1"] == [0.05, 0.05, 0.05]
    assert figures["cluster_overhead_fraction"] == {"1": 0.05, "2": 0.0}
    assert figures["cluster_overhead_s_per_submission"]["1"] == pytest.approx(0.05)
    assert figures["cpu_s_per_submission"]["grader_2"] == 2.0
    assert figures["grader_wall_s"] == {"1": [10, 8, 13], "2": [6, 5, 7]}
    # The made-up runs graded back to back, with no time between submissions.
    assert figures["outside_grading_share"] == {"grader_1": 0.0, "grader_2": 0.0, "cluster_1": 0.0, "cluster_2": 0.0}
    assert figures["cluster_outside_grading_added"] == {"1": 0.0, "2": 0.0}


def graded(workers: int, spans: list[tuple[float, float]]) -> Run:
    """A run whose submissions were graded over these (start, end) spans."""
    spans = sorted(spans, key=lambda span: span[1])
    return Run(10, 1, workers=workers, started_at=[s for s, _ in spans], finished_at=[f for _, f in spans])


def test_outside_grading_is_the_workers_idle_share_while_each_had_a_submission():
    # One worker: 1 s grading, then 0.25 s between submissions (reading, writing, a task's round trip).
    one = graded(1, [(1.25 * i, 1.25 * i + 1) for i in range(6)])
    assert one.outside_grading() == pytest.approx(0.2)
    # Two workers, one idle 0.5 s between its submissions, the other never. The window runs from the first
    # start after the first result (1.4 s) to the last start (6 s): worker A is idle 0.1 + 3 * 0.5 s of it.
    two = graded(2, [(0, 1), (1.5, 2.5), (3, 4), (4.5, 5.5), (6, 7),
                     (0.2, 1.4), (1.4, 2.6), (2.6, 3.8), (3.8, 5.0), (5.0, 6.2)])
    assert two.outside_grading() == pytest.approx(1.6 / (2 * 4.6), abs=1e-4)
    assert graded(2, [(0, 1), (0, 1)]).outside_grading() is None  # too few submissions to tell


def test_every_other_round_runs_the_ways_in_reverse_order():
    ways = ["a", "b", "c"]
    assert [ways_in_order(ways, n) for n in range(3)] == [["a", "b", "c"], ["c", "b", "a"], ["a", "b", "c"]]


def test_memory_is_sampled_as_pss_of_the_command_its_largest_child_tree_and_all():
    """A child holding 64 MiB it wrote to (so resident, not shared) shows in its tree and in the total."""
    holder = "import time; data = bytearray(64 << 20); time.sleep(60)"
    parent = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {holder!r}]); time.sleep(60)"])
    try:
        peaks: dict[str, int] = {}
        for _ in range(100):
            sample_memory(parent.pid, peaks)
            if peaks["largest_child_tree"] > 64 << 10:
                break
            time.sleep(0.1)
        assert 64 << 10 < peaks["largest_child_tree"] < 200 << 10
        assert peaks["total"] >= peaks["command"] + peaks["largest_child_tree"]
        assert 0 < peaks["command"] < 64 << 10
    finally:
        subprocess.run(["pkill", "-P", str(parent.pid)])
        parent.kill()
        parent.wait()


def test_without_a_cluster_there_are_no_cluster_figures():
    local = {1: [run(10, 1.0)], 2: [run(6, 0.5)]}
    figures = compute_figures(COUNT, 2, 2, Run(60, 40), local, {}, Run(12, 12))
    assert "cluster_overhead_fraction" not in figures and set(figures["scaling_efficiency"]) == {"grader"}
    assert figures["throughput_vs_nbgrader"] == 10.0
