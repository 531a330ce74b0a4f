"""Reports: feedback pages show every exercise and nothing hidden, student text is escaped, the
class report counts the right things, and headless Chromium renders it with its charts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.cli import main as cli
from grading import AUTOMATIC, AUTOMATIC_POINTS, DENSE
from autograder.grade.submission import file_name_of
from autograder.grade.hidden import collect
from autograder.report.classroom import common_mistakes_text, summarize_class, write_reports
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


RENDERED_PROBE = ('<script>window.addEventListener("load", () => { for (const image of document.images) '
                  'image.dataset.rendered = image.naturalWidth; });</script>')


def rendered_widths(html: str, folder: Path) -> dict[str, int]:
    """Each image's decoded width, as headless Chromium reports it after the page has loaded."""
    page = folder / "probe.html"
    page.write_text(html.replace("</body>", RENDERED_PROBE + "</body>"))
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={folder / 'profile'}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {match[0]: int(match[1]) for match in re.findall(r'<img id="([^"]+)"[^>]*data-rendered="(\d+)"', done.stdout)}


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_class_report_renders_with_its_charts_in_chromium(tmp_path):
    html = write_reports(tmp_path, CLASS, DENSE).read_text()
    widths = rendered_widths(html, tmp_path)
    assert set(widths) == {"chart-scores", "chart-pass-rates"}
    assert all(width > 300 for width in widths.values()), widths
    broken = re.sub(r"base64,[A-Za-z0-9+/=]{200}", "base64,AAAA", html, count=1)
    assert 0 in rendered_widths(broken, tmp_path).values()


def test_every_link_of_the_class_report_reaches_a_page(tmp_path):
    """A flagged, late or troubled student whose id is not a file name is linked by its page's name."""
    flagged = {**result_for("kim@uni.edu/../x"), "review": [{"reason": "sys_modules", "text": "sys.modules", "cell": 1,
                                                           "line": 2}], "seconds_late": 60.0, "timestamp": "", "due": ""}
    write_reports(tmp_path, [*CLASS, flagged], DENSE)
    report = tmp_path / "report"
    links = re.findall(r'href="(students/[^"]+)"', (report / "index.html").read_text())
    assert links and all((report / link).is_file() for link in links), links
