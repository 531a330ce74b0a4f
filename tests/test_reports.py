"""Reports: feedback pages show every exercise and nothing hidden, student text is escaped, the
class report counts the right things, and headless Chromium renders it with its charts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from html import escape, unescape
from pathlib import Path

import numpy
import pytest

from autograder.cli import main as cli
from grading import AUTOMATIC, AUTOMATIC_POINTS, DENSE
from autograder.grade.submission import file_name_of
from autograder.grade.hidden import collect
from autograder.report import classroom
from autograder.report.classroom import (ClassSummary, charts, class_report_html, common_mistakes_text,
                                           summarize_class, write_reports)
from autograder.report.student import feedback_html, feedback_markdown
from tests.test_gradescope import leaked_test_ids

SCRIPT_IN_ERROR = "your code raised an error: ValueError: <script>alert('x')</script>"


def result_for(student: str, failures: dict[str, tuple[str, str, str]] | None = None, cells: list | None = None) -> dict:
    """A result as `autograder grade` writes it, with the hidden tests' real ids; `failures` maps an
    exercise to (status, code, message) for all its tests."""
    failures = failures or {}
    tests, exercises = [], {}
    for exercise in AUTOMATIC:
        status, code, message = failures.get(exercise.id, ("passed", "", ""))
        own = [{"id": t.id, "exercise": exercise.id, "points": 0.0 if exercise.id in failures else t.points,
                "max_points": t.points, "status": status, "message": message, "code": code}
               for t in collect(DENSE, exercise)]
        tests += own
        exercises[exercise.id] = {"id": exercise.id, "score": sum(t["points"] for t in own),
                                  "max_score": float(exercise.points), "status": status,
                                  "messages": [message] if message else [], "codes": [code] if code else []}
    return {"student": student, "score": sum(e["score"] for e in exercises.values()),
            "max_score": float(AUTOMATIC_POINTS), "exercises": exercises, "tests": tests, "language": "en",
            "cells": cells or [], "problems": []}


NO_BIAS = ("failed", "dense.missing_bias", "dense_forward_matmul: off by the bias")
CLASS = [
    result_for("ada"),
    result_for("bob", {"dense_forward_matmul": NO_BIAS}),
    result_for("cy", {"dense_forward_matmul": NO_BIAS, "TestModel": ("error", "student.error", SCRIPT_IN_ERROR)}),
    result_for("dan", {e.id: ("missing", "student.missing", "not defined") for e in AUTOMATIC},
               cells=[{"index": 0, "status": "crashed", "message": "it exited with code 3"}]),
    result_for("eve", {"cascade_forward": ("timeout", "student.timeout", "your code took too long")}),
]


def test_feedback_shows_every_exercise_its_score_and_messages():
    page, markdown = feedback_html(CLASS[1], DENSE), feedback_markdown(CLASS[1], DENSE)
    for exercise in AUTOMATIC:
        assert exercise.id in page and exercise.id in markdown
    assert "off by the bias" in page and "0 / 15" in page and f"80 / {AUTOMATIC_POINTS}" in page
    assert "off by the bias" in markdown and "0 / 15" in markdown
    assert "off by the bias" not in feedback_html(CLASS[0], DENSE)


def test_student_text_is_escaped_in_html_and_markdown():
    for text in (feedback_html(CLASS[2], DENSE), feedback_markdown(CLASS[2], DENSE)):
        assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<script>" in SCRIPT_IN_ERROR


def test_reports_never_show_hidden_test_ids(tmp_path):
    write_reports(tmp_path, CLASS, DENSE)
    pages = [path.read_text() for path in (tmp_path / "report").rglob("*.*")]
    assert len(pages) == 2 * len(CLASS) + 1
    assert not [page for page in pages if leaked_test_ids(page)]
    assert leaked_test_ids(json.dumps(CLASS[0]))


def test_class_summary_counts_students_not_tests():
    summary = summarize_class(CLASS)
    assert summary.pass_rates["dense_forward_matmul"] == pytest.approx(2 / 5)
    assert summary.pass_rates["dense_shapes"] == pytest.approx(4 / 5)
    assert (summary.mistakes[0].code, summary.mistakes[0].students) == ("dense.missing_bias", 2)
    assert "student.missing" not in {m.code for m in summary.mistakes}
    assert "student.error" in {m.code for m in summary.mistakes}
    assert [(t.student, t.status) for t in summary.troubles] == [("dan", "crashed"), ("eve", "timeout")]


def test_the_end_of_batch_summary_lists_mistakes_with_counts_in_either_language():
    english = common_mistakes_text(CLASS, "en").splitlines()
    assert english[0].startswith("Most common mistakes")
    assert english[1].split() == ["dense_forward_matmul", "dense.missing_bias", "2"]
    assert common_mistakes_text(CLASS, "ko").startswith("가장 흔한 실수")
    assert common_mistakes_text(CLASS[:1], "en") == "No recognised mistakes."


def test_unsafe_student_ids_get_pages_inside_the_report_folder_under_their_real_name(tmp_path):
    out = tmp_path / "out"
    write_reports(out, [result_for("../../etc/evil")], DENSE)
    pages = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    name = file_name_of("../../etc/evil")
    assert pages == ["out/report/index.html", f"out/report/students/{name}.html", f"out/report/students/{name}.md"]
    assert name.startswith("etc_evil-")
    assert "../../etc/evil" in (out / "report" / "students" / f"{name}.md").read_text()


def test_report_verb_reads_a_grade_folder(tmp_path, capsys):
    assert cli(["report", str(tmp_path)]) == 2
    for result in CLASS:
        (tmp_path / f"{result['student']}.json").write_text(json.dumps(result))
    (tmp_path / "grades.json").write_text("[]")
    assert cli(["report", str(tmp_path)]) == 0
    assert (tmp_path / "report" / "index.html").exists()
    assert sorted(p.stem for p in (tmp_path / "report" / "students").glob("*.md")) == [r["student"] for r in CLASS]


SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_ID = 'a<b&"c'


def parsed_charts(html: str) -> dict[str, ElementTree.Element]:
    """The page's charts, each parsed as the XML an SVG is (which fails on anything left unescaped)."""
    return {match[1]: ElementTree.fromstring(match[0])
            for match in re.finditer(r'<svg id="([^"]+)".*?</svg>', html, flags=re.S)}


def bars(chart: ElementTree.Element) -> list[tuple[str, float, float]]:
    """Each bar's tooltip, width and height, in the order drawn."""
    return [(rect.findtext(f"{SVG}title"), float(rect.get("width")), float(rect.get("height")))
            for rect in chart.iter(f"{SVG}rect")]


def labels(chart: ElementTree.Element) -> list[str]:
    return ["".join(text.itertext()) for text in chart.iter(f"{SVG}text")]


# On the edges of the 5-point bins of a 95-point assignment (0, 5, ..., 100), the last edge (100) included,
# and outside them (-1, 101), where matplotlib's histogram counted nothing.
SCORES = [0, 0, 4.99, 5, 9.5, 50, 94.99, 95, 95, 100, 101, -1]


def test_the_histogram_counts_each_score_in_its_bin_like_matplotlib_did():
    chart = parsed_charts(charts(ClassSummary(SCORES, {}, [], []), 95)["scores"])["chart-scores"]
    drawn = bars(chart)
    edges = range(0, 95 + 6, 5)
    direct = [sum(low <= score < high or high == edges[-1] == score for score in SCORES)
              for low, high in zip(edges, edges[1:])]
    assert [tooltip for tooltip, _, _ in drawn] == [f"{low}–{high}: {students}"
                                                    for low, high, students in zip(edges, edges[1:], direct)]
    assert direct == list(numpy.histogram(SCORES, bins=edges)[0])  # matplotlib's hist counts with numpy's
    assert (direct[0], direct[1], direct[10], direct[18], direct[19]) == (3, 2, 1, 1, 3) and sum(direct) == 10
    unit = drawn[0][2] / direct[0]
    assert [height / unit for _, _, height in drawn] == pytest.approx(direct, abs=0.01)  # coordinates to 0.01 px
    y_ticks = [text.text for text in chart.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert y_ticks == ["0", "1", "2", "3"]


def test_pass_rate_bars_run_down_in_exercise_order_with_exact_percentages():
    rates = {"first": 1 / 3, "second": 1.0, "third": 0.0, "fourth": 0.29}
    chart = parsed_charts(charts(ClassSummary([], rates, [], []), 100)["pass_rates"])["chart-pass-rates"]
    drawn = bars(chart)
    assert [tooltip for tooltip, _, _ in drawn] == ["first: 33.3%", "second: 100%", "third: 0%", "fourth: 29%"]
    assert [round(width / drawn[1][1], 3) for _, width, _ in drawn] == [0.333, 1, 0, 0.29]
    tops = [float(rect.get("y")) for rect in chart.iter(f"{SVG}rect")]
    assert tops == sorted(tops) and len(set(tops)) == 4
    assert {"first", "33.3%", "100%", "0%", "29%"} <= set(labels(chart))


def test_chart_text_is_escaped_so_each_chart_is_well_formed(monkeypatch):
    """An exercise id or a message with markup in it stays text, in the SVG as XML and in the page."""
    monkeypatch.setattr(classroom, "render", lambda code, params, lang: f'<{code}> & "{code}" \'x\' </svg>')
    hostile = f"{HOSTILE_ID}</svg><script>alert(1)</script>\x07"
    drawn = charts(ClassSummary([1.0], {hostile: 0.5}, [], []), 10)
    parsed = {**parsed_charts(drawn["scores"]), **parsed_charts(drawn["pass_rates"])}
    assert set(parsed) == {"chart-scores", "chart-pass-rates"}
    assert hostile.replace("\x07", "\ufffd") in labels(parsed["chart-pass-rates"])
    assert parsed["chart-pass-rates"].get("aria-label") == '<report.pass_rates_alt> & "report.pass_rates_alt" \'x\' </svg>'
    assert '<report.scores_axis> & "report.scores_axis" \'x\' </svg>' in labels(parsed["chart-scores"])
    assert not [element for chart in parsed.values() for element in chart.iter() if "script" in element.tag]


def with_exercise_renamed(result: dict, old: str, new: str) -> dict:
    return {**result, "exercises": {new if key == old else key: value for key, value in result["exercises"].items()},
            "tests": [{**test, "exercise": new if test["exercise"] == old else test["exercise"]}
                      for test in result["tests"]]}


def test_the_class_report_page_holds_its_charts_as_well_formed_svg():
    html = class_report_html([with_exercise_renamed(result, "TestModel", HOSTILE_ID) for result in CLASS], DENSE)
    parsed = parsed_charts(html)
    assert list(parsed) == ["chart-scores", "chart-pass-rates"]
    assert HOSTILE_ID in labels(parsed["chart-pass-rates"])
    assert [chart.get("aria-label") for chart in parsed.values()] == ["histogram of the automatic scores",
                                                                      "share of students with full marks, per exercise"]
    assert [chart.findtext(f"{SVG}title") for chart in parsed.values()] == [chart.get("aria-label")
                                                                            for chart in parsed.values()]


CHART_PROBE = """<script>window.addEventListener("load", () => {
  const inside = (outer, inner) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1
    && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
  for (const chart of document.querySelectorAll("svg[id^=chart-]")) {
    const box = chart.getBoundingClientRect();
    const drawn = [...chart.querySelectorAll("rect, text")].map((e) => [e, e.getBoundingClientRect()])
      .filter(([, rect]) => rect.width > 0 && rect.height > 0);
    chart.dataset.rendered = JSON.stringify({
      width: box.width, height: box.height,
      bars: drawn.filter(([e]) => e.tagName === "rect").length,
      labels: drawn.filter(([e]) => e.tagName === "text").map(([e]) => e.textContent),
      outside: drawn.filter(([, rect]) => !inside(box, rect)).map(([e]) => e.textContent),
    });
  }
});</script>"""


def rendered_charts(html: str, folder: Path) -> dict[str, dict]:
    """Each chart's size, its bars and labels that have a size, and what is drawn outside it, as headless
    Chromium lays the page out."""
    page = folder / "probe.html"
    page.write_text(html.replace("</body>", CHART_PROBE + "</body>"))
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={folder / 'profile'}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {match[0]: json.loads(unescape(match[1]))
            for match in re.findall(r'<svg id="([^"]+)"[^>]*data-rendered="([^"]*)"', done.stdout)}


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_class_report_renders_with_its_charts_in_chromium(tmp_path):
    """Both charts drawn at their size, every bar and label inside them, an exercise id with markup as text."""
    results = [with_exercise_renamed(result, "TestModel", HOSTILE_ID) for result in CLASS]
    html = write_reports(tmp_path, results, DENSE).read_text()
    drawn = rendered_charts(html, tmp_path)
    assert set(drawn) == {"chart-scores", "chart-pass-rates"}
    assert all(chart["width"] > 300 and chart["height"] > 200 and chart["outside"] == [] for chart in drawn.values()), drawn
    assert drawn["chart-scores"]["bars"] == len({result["score"] // 5 for result in CLASS})
    assert drawn["chart-pass-rates"]["bars"] == len(AUTOMATIC) and HOSTILE_ID in drawn["chart-pass-rates"]["labels"]
    unescaped = html.replace(f">{escape(HOSTILE_ID)}<", f">{HOSTILE_ID}<", 1)
    assert rendered_charts(unescaped, tmp_path)["chart-pass-rates"]["bars"] < len(AUTOMATIC)


def test_every_link_of_the_class_report_reaches_a_page(tmp_path):
    """A flagged, late or troubled student whose id is not a file name is linked by its page's name."""
    flagged = {**result_for("kim@uni.edu/../x"), "review": [{"reason": "sys_modules", "text": "sys.modules", "cell": 1,
                                                           "line": 2}], "seconds_late": 60.0, "timestamp": "", "due": ""}
    write_reports(tmp_path, [*CLASS, flagged], DENSE)
    report = tmp_path / "report"
    links = re.findall(r'href="(students/[^"]+)"', (report / "index.html").read_text())
    assert links and all((report / link).is_file() for link in links), links
