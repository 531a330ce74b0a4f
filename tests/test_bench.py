"""`make bench`'s figures from its runs: medians over rounds, comparisons made within a round first.

The runs here are made up, so that each figure's arithmetic is checked without grading anything."""

from __future__ import annotations

import pytest

from autograder.bench import Run, compute_figures, median_run

COUNT = 4


def run(seconds: float, steady: float, cpu_s: float = 8.0) -> Run:
    """A run of COUNT submissions whose results came `steady` seconds apart, one second after it started."""
    return Run(seconds, cpu_s, finished_at=[1.0 + steady * i for i in range(COUNT)], peak_rss_kb=2048)


def test_the_median_run_is_the_middle_one_by_wall_time():
    runs = [run(30, 1), run(10, 1), run(11, 1)]
    assert median_run(runs) is runs[2]
    assert median_run(runs[:2]).seconds == 10  # an even count: the lower middle


def test_figures_are_medians_over_rounds_and_comparisons_are_made_within_each_round():
    # The machine ran fast in round 2 and slow in round 3, for every way alike.
    local = {1: [run(10, 1.0), run(8, 0.8), run(13, 1.3)], 2: [run(6, 0.5), run(5, 0.4), run(7, 0.65)]}
    cluster = {1: [run(11, 1.05), run(9, 0.84), run(10.5, 1.365)], 2: [run(7, 0.5), run(6, 0.4), run(8, 0.65)]}
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


def test_without_a_cluster_there_are_no_cluster_figures():
    local = {1: [run(10, 1.0)], 2: [run(6, 0.5)]}
    figures = compute_figures(COUNT, 2, 2, Run(60, 40), local, {}, Run(12, 12))
    assert "cluster_overhead_fraction" not in figures and set(figures["scaling_efficiency"]) == {"grader"}
    assert figures["throughput_vs_nbgrader"] == 10.0
