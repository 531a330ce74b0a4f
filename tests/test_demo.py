"""`make demo` end to end: nbgrader's scores, this grader's table, the class report."""

from __future__ import annotations

from autograder.demo import bundled_submissions, main as demo_main
from autograder.run.sandbox import sandbox_available


def rows(text: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[-1] for line in text.splitlines() if line.split()}


def test_the_demo_grades_the_bundled_submissions_both_ways(tmp_path, capsys):
    assert demo_main(tmp_path) == 0
    nbgrader_part, grader_part = capsys.readouterr().out.split("== 2.")
    assert rows(nbgrader_part)["solution"] == "95/95" and rows(nbgrader_part)["untouched_release"] == "0/95"
    graded = rows(grader_part)
    assert graded["solution"] == "95/95" and graded["untouched_release"] == "0/95"
    assert set(bundled_submissions(sandbox_available())) <= set(graded)
    assert "Most common mistakes" in grader_part
    assert (tmp_path / "grades" / "report" / "index.html").exists()
    assert f"class report: {tmp_path / 'grades' / 'report' / 'index.html'}" in grader_part
