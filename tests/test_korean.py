"""The course in Korean as a Korean user meets it: the feedback pages, the class report and the command
line speak Korean with the glossary's terms and no English outside code, and Chromium draws the
pages with a Korean font, with nothing broken over lines or overflowing."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.cli import main as cli
from grading import AUTOMATIC, AUTOMATIC_POINTS, DENSE
from autograder.glossary import english_leftovers
from autograder.messages import phrase, render
from autograder.report.classroom import write_reports
from autograder.report.student import feedback_html, feedback_markdown, number
from tests.test_reports import result_for

CORPUS = Path(__file__).resolve().parent / "submissions" / "notebooks"
MATMUL = phrase("context.dense_forward", name="dense_forward_matmul", shape=(4, 10), n_neuron=3, activation="sigmoid")


def korean(code: str, **params) -> str:
    return render(code, params, "ko")


def korean_class() -> list[dict]:
    """A class graded with --lang ko: a right answer, named mistakes, an error, a crash, a timeout."""
    no_bias = ("failed", "dense.missing_bias", korean("dense.missing_bias", what=MATMUL))
    results = [
        result_for("ada"),
        result_for("bob", {"dense_forward_matmul": no_bias}),
        result_for("cy", {"dense_forward_matmul": no_bias, "cascade_shapes": (
            "failed", "shapes.width_not_chained", korean(
                "shapes.width_not_chained", what="cascade_shapes(4, 10, [3, 5])[1]", key="W", expected=(3, 5),
                got=(10, 5)))}),
        result_for("dan", {e.id: ("missing", "student.missing", korean("student.missing", name=e.name))
                           for e in AUTOMATIC}),
        result_for("eve", {"cascade_forward": ("timeout", "student.timeout",
                                               korean("student.timeout", reason="30초"))}),
    ]
    return [{**result, "language": "ko"} for result in results]


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page, without its code (which stays as it is)."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r'<img[^>]*alt="([^"]*)"[^>]*>', r" \1 ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_korean_feedback_pages_have_no_english_outside_code():
    for result in korean_class():
        page, markdown = feedback_html(result, DENSE), feedback_markdown(result, DENSE)
        assert '<html lang="ko">' in page
        assert english_leftovers(visible_text(page)) == [], result["student"]
        assert english_leftovers(markdown) == [], result["student"]
    page = feedback_html(korean_class()[1], DENSE)
    assert "편향(B)이 빠졌습니다" in page and "오답" in page and "행렬 곱으로 계산하는 순전파" in page
    assert "failed" not in visible_text(page) and "Score" not in page


def test_the_english_page_stays_english():
    page = feedback_html(result_for("bob", {"dense_forward_matmul": ("failed", "dense.missing_bias", "off")}), DENSE)
    assert '<html lang="en">' in page and ">failed<" in page and "Forward pass by matrix multiplication" in page


def test_korean_class_report_has_no_english_outside_code(tmp_path):
    index = write_reports(tmp_path, korean_class(), DENSE).read_text()
    assert '<html lang="ko">' in index
    assert "점수 분포" in index and "시간 초과" in index
    assert english_leftovers(visible_text(index)) == []


# TensorFlow's C++ runtime logs a few lines before its logging is set up, whatever TF_CPP_MIN_LOG_LEVEL says.
TENSORFLOW_LOG = re.compile(r"^(WARNING: All log messages before absl|[IWE]\d{4} ).*$", re.M)


def without_paths(text: str) -> str:
    """Command-line output without the file paths it names, and without TensorFlow's own log lines."""
    text = TENSORFLOW_LOG.sub("", text)
    return " ".join(token for token in text.split() if "/" not in token and not token.endswith((".json", ".csv")))


@pytest.fixture(scope="module")
def graded_in_korean(tmp_path_factory):
    """`autograder grade --lang ko` on corpus notebooks, as a Korean instructor runs it."""
    out = tmp_path_factory.mktemp("korean_grades")
    folder = tmp_path_factory.mktemp("korean_submissions")
    for name in ("missing_bias", "shapes_hard_coded", "reference"):
        shutil.copy(CORPUS / f"{name}.ipynb", folder / f"{name}.ipynb")
    (folder / "broken.ipynb").write_text("{ not json")
    completed = subprocess.run([os.sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out),
                                "--workers", "1", "--lang", "ko"], capture_output=True, text=True, timeout=600,
                               env={**os.environ, "AUTOGRADER_LANG": "en"})
    assert completed.returncode == 0, completed.stderr[-3000:]
    return out, completed


def test_grading_with_lang_ko_speaks_korean_on_the_command_line(graded_in_korean):
    out, completed = graded_in_korean
    assert "학생" in completed.stdout and "합계" in completed.stdout and "채점했습니다" in completed.stdout
    assert english_leftovers(without_paths(completed.stdout)) == [], completed.stdout
    assert english_leftovers(without_paths(completed.stderr)) == [], completed.stderr


def test_grading_with_lang_ko_writes_korean_results_and_pages(graded_in_korean):
    out, _ = graded_in_korean
    result = json.loads((out / "missing_bias.json").read_text())
    assert result["language"] == "ko"
    messages = [m for exercise in result["exercises"].values() for m in exercise["messages"]]
    assert any("편향(B)이 빠졌습니다" in m for m in messages), messages
    assert all(english_leftovers(m) == [] for m in messages), messages
    broken = json.loads((out / "broken.json").read_text())
    assert broken["problems"] and broken["problems"][0].startswith("읽을 수 있는 Jupyter 노트북 파일이 아닙니다")
    for page in (out / "report").rglob("*.html"):
        assert english_leftovers(visible_text(page.read_text())) == [], page.name
    for page in (out / "report").rglob("*.md"):
        assert english_leftovers(page.read_text()) == [], page.name


def test_the_korean_table_lines_up_on_a_terminal(graded_in_korean):
    from autograder.grade.batch import terminal_width

    _, completed = graded_in_korean
    table = completed.stdout.splitlines()[:5]
    assert len({terminal_width(line) for line in table}) == 1, table


# Headless Chromium: how the pages are drawn.

PROBE = """<script>window.addEventListener("load", () => {
  const heading = document.querySelector("h1");
  const font = getComputedStyle(heading).font;
  const width = (text) => {
    const span = document.createElement("span");
    span.style.font = font; span.style.whiteSpace = "pre"; span.textContent = text;
    document.body.appendChild(span);
    const measured = span.getBoundingClientRect().width;
    span.remove();
    return measured;
  };
  const lines = (element) => {
    const range = document.createRange(); range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  };
  const chartWidth = (chart, text) => {
    const line = document.createElementNS("http://www.w3.org/2000/svg", "text");
    line.textContent = text;
    chart.appendChild(line);
    const measured = line.getComputedTextLength();
    line.remove();
    return measured;
  };
  const root = document.documentElement;
  document.body.dataset.probe = JSON.stringify({
    em: parseFloat(getComputedStyle(heading).fontSize),
    hangul: width("가나다라마바사아자차"),
    missing: width("\\uE000".repeat(10)),
    overflow: root.scrollWidth - root.clientWidth,
    overflowing: [...document.querySelectorAll("td, th, h1, h2, p, li")]
      .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.slice(0, 40)),
    broken: [...document.querySelectorAll("th, .score, .status")]
      .filter((e) => lines(e) > 1).map((e) => e.textContent),
    charts: [...document.querySelectorAll("svg[id^=chart-]")].map((chart) => ({
      em: parseFloat(getComputedStyle(chart).fontSize),
      hangul: chartWidth(chart, "가나다라마바사아자차"),
      missing: chartWidth(chart, "\\uE000".repeat(10)),
      text: [...chart.querySelectorAll("text")].map((e) => e.textContent),
    })),
  });
});</script>"""


def chromium(page: Path, folder: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                           "--window-size=1024,1400", f"--user-data-dir={folder / 'profile'}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, env=env)


def probe(page_html: str, folder: Path, env: dict | None = None) -> dict:
    """How Chromium laid the page out: widths of a Korean line and of missing-glyph boxes, overflows, breaks."""
    page = folder / "probe.html"
    page.write_text(page_html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = chromium(page, folder, "--dump-dom", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, done.stdout[-2000:]
    return json.loads(html.unescape(found[1]))


def screenshot(page_html: str, folder: Path, name: str) -> Path:
    page, shot = folder / f"{name}.html", folder / f"{name}.png"
    page.write_text(page_html, encoding="utf-8")
    done = chromium(page, folder, f"--screenshot={shot}")
    assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]
    return shot


def assert_drawn_in_korean(layout: dict) -> None:
    """Ten Hangul syllables are ten full-width glyphs in a Korean font, not ten missing-glyph boxes."""
    assert 8.5 * layout["em"] <= layout["hangul"] <= 11 * layout["em"], layout
    assert abs(layout["hangul"] - layout["missing"]) > 0.1 * layout["hangul"], layout
    assert layout["overflow"] <= 0 and layout["overflowing"] == [], layout
    assert layout["broken"] == [], layout


def assert_charts_drawn_in_korean(layout: dict) -> None:
    """Both charts name themselves and their axes in Korean, and draw Hangul in their own font with real glyphs."""
    scores, pass_rates = layout["charts"]
    assert {korean("report.scores"), korean("report.scores_axis", max_score=number(AUTOMATIC_POINTS)),
            korean("report.students_axis")} <= set(scores["text"]), scores
    assert {korean("report.pass_rates"), korean("report.pass_rates_axis")} <= set(pass_rates["text"]), pass_rates
    for chart in layout["charts"]:
        assert 8.5 * chart["em"] <= chart["hangul"] <= 11 * chart["em"], chart
        assert abs(chart["hangul"] - chart["missing"]) > 0.1 * chart["hangul"], chart


needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="Debian's chromium is not installed (.ci/run installs it)")


@needs_chromium
def test_chromium_draws_the_korean_feedback_page_with_a_korean_font(tmp_path):
    page = feedback_html(korean_class()[2], DENSE)
    assert_drawn_in_korean(probe(page, tmp_path))
    screenshot(page, tmp_path, "feedback")


@needs_chromium
def test_chromium_draws_the_korean_class_report_with_a_korean_font(tmp_path):
    index = write_reports(tmp_path, korean_class(), DENSE).read_text()
    layout = probe(index, tmp_path)
    assert_drawn_in_korean(layout)
    assert_charts_drawn_in_korean(layout)
    screenshot(index, tmp_path, "report")


@needs_chromium
def test_the_font_check_fails_without_a_korean_font(tmp_path):
    """The same page on a system whose only fonts have no Hangul: Chromium draws boxes, and the check sees it."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("no DejaVu fonts to build a font set without Hangul")
    (tmp_path / "fonts.conf").write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{dejavu}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    without_hangul = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    with pytest.raises(AssertionError):
        assert_drawn_in_korean(probe(feedback_html(korean_class()[2], DENSE), tmp_path, env=without_hangul))
    with pytest.raises(AssertionError):
        assert_charts_drawn_in_korean(probe(write_reports(tmp_path, korean_class(), DENSE).read_text(), tmp_path,
                                            env=without_hangul))
