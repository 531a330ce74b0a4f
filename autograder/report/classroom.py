"""The class report: score distribution, pass rate per exercise, the commonest mistakes, and the
submissions that crashed or ran out of time, in one self-contained HTML file. Its charts are inline SVG
written out here, not drawn with a plotting library, whose import cost most of a batch's report time.

The figures are computed first as plain data (ClassSummary), then drawn; student text is HTML-escaped.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from html import escape
from itertools import count
from math import ceil
from pathlib import Path
from unicodedata import east_asian_width

from autograder.assignments import SHIPPED, Assignment, AssignmentError, find
from autograder.grade.submission import file_name_of
from autograder.lateness import late_by, lateness_unknown
from autograder.grade.tampering import describe_flag
from autograder.messages import DEFAULT_LANGUAGE, render, status_label
from autograder.results import encodable
from autograder.writing import write_atomically
from autograder.report.student import FONTS, STYLE, feedback_html, feedback_markdown, number, with_code

TROUBLE_STATUSES = ("grader_error", "crashed", "timeout")
# The charts' size in pixels (the page shrinks them to fit): 800 wide, as matplotlib drew them at 8 inches and 100 dpi.
CHART_WIDTH = 800
CHART_FONT_SIZE = 13
# Room around a chart's plot, top, right, bottom and left: for its title, tick labels and axis names.
CHART_MARGIN = (36, 24, 52, 64)
GRID_COLOR, AXIS_COLOR = "#dddddd", "#222222"
# Characters XML 1.0 does not allow (HTML tolerates them, an SVG opened on its own does not).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Codes that say a test could not look at the answer (or there was none yet); crashes and timeouts are listed apart instead.
NOT_MISTAKES = ("student.missing", "student.not_implemented", "student.not_run", "student.crashed",
                "student.timeout")


@dataclass(frozen=True)
class Mistake:
    exercise: str
    code: str
    students: int
    example: str


@dataclass(frozen=True)
class Trouble:
    student: str
    status: str
    message: str


@dataclass(frozen=True)
class ClassSummary:
    scores: list[float]
    pass_rates: dict[str, float]
    mistakes: list[Mistake]
    troubles: list[Trouble]


def summarize_class(results: list[dict], top: int = 10) -> ClassSummary:
    """Pass rate = share of students with the exercise's full score; a mistake counts once per student."""
    count = max(len(results), 1)
    ids: dict[str, float] = {}
    for result in results:
        ids.update({key: exercise["max_score"] for key, exercise in result["exercises"].items()})
    pass_rates = {i: sum(i in r["exercises"] and r["exercises"][i]["score"] >= points for r in results) / count
                  for i, points in ids.items()}
    students_with: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    troubles = []
    for result in results:
        seen = set()
        for test in result["tests"]:
            key = (test["exercise"], test["code"])
            if test["status"] != "passed" and test["code"] and test["code"] not in NOT_MISTAKES and key not in seen:
                seen.add(key)
                students_with[key] += 1
                examples.setdefault(key, test["message"])
        troubles += trouble_of(result)
    mistakes = [Mistake(exercise, code, students, examples[(exercise, code)])
                for (exercise, code), students in students_with.most_common(top)]
    return ClassSummary([r["score"] for r in results], pass_rates, mistakes, troubles)


def common_mistakes_text(results: list[dict], lang: str = "en", top: int = 10) -> str:
    """The class summary printed at the end of a batch: the commonest mistakes, with how many students made each."""
    mistakes = summarize_class(results, top).mistakes
    if not mistakes:
        return render("summary.no_mistakes", {}, lang)
    width = max(len(m.exercise) for m in mistakes)
    code_width = max(len(m.code) for m in mistakes)
    return "\n".join([render("summary.mistakes", {}, lang),
                      *(f"  {m.exercise:<{width}}  {m.code:<{code_width}}  {m.students:>4}" for m in mistakes)])


def trouble_of(result: dict) -> list[Trouble]:
    """The first crash or timeout of a submission, from its cells or else its tests; unreadable files too."""
    student = result["student"]
    if result.get("grader_error"):
        return [Trouble(student, "grader_error", result["grader_error"].splitlines()[0])]
    if result.get("problems"):
        return [Trouble(student, "unreadable", result["problems"][0])]
    for item in [*result.get("cells", []), *result["tests"]]:
        if item["status"] in TROUBLE_STATUSES:
            return [Trouble(student, item["status"], item["message"])]
    return []


def bins_of(max_score: float) -> list[tuple[int, int]]:
    """The histogram's bins, 5 points wide from 0 to the first edge past the max score (one at least)."""
    edges = range(0, max(int(max_score), 0) + 6, 5)
    return list(zip(edges, edges[1:]))


def bin_counts(scores: list[float], bins: list[tuple[int, int]]) -> list[int]:
    """Scores per bin: a bin holds its lower edge, the last one its upper edge too, and a score outside
    every bin is not counted, as numpy's histogram (and matplotlib's, which the report drew before) counts."""
    last = len(bins) - 1
    return [sum(low <= score < high or (i == last and score == high) for score in scores)
            for i, (low, high) in enumerate(bins)]


def tick_step(highest: float, most: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that puts at most `most` steps between 0 and highest."""
    steps = (factor * 10 ** power for power in count() for factor in (1, 2, 5))
    return next(step for step in steps if highest <= step * most)


def integer_ticks(highest: int) -> list[int]:
    """Whole-number ticks from 0 to highest or just above it: a count of students has no halves."""
    step = tick_step(highest, 5)
    return list(range(0, max(ceil(highest / step), 1) * step + 1, step))


def coordinate(value: float) -> str:
    """A coordinate or shown number with at most two decimals, without float noise or a "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def svg_text(value: str) -> str:
    """Text for an SVG's content or attribute: escaped, and without the characters XML does not allow,
    so the chart is well-formed as XML as well as HTML."""
    return escape(XML_FORBIDDEN.sub("\ufffd", value))


def text_width(value: str, size: float) -> float:
    """A generous estimate of the width text takes: wide (Hangul, CJK) characters one em, others 0.6."""
    return sum(size if east_asian_width(character) in "WF" else 0.6 * size for character in value)


def label(x: float, y: float, value: str, anchor: str = "middle", attributes: str = "") -> str:
    return (f'<text x="{coordinate(x)}" y="{coordinate(y)}" text-anchor="{anchor}"{attributes}>'
            f"{svg_text(value)}</text>")


def line(x1: float, y1: float, x2: float, y2: float, color: str) -> str:
    return (f'<line x1="{coordinate(x1)}" y1="{coordinate(y1)}" x2="{coordinate(x2)}" y2="{coordinate(y2)}" '
            f'stroke="{color}"/>')


def bar(x: float, y: float, width: float, height: float, color: str, tooltip: str) -> str:
    """A bar whose tooltip tells its exact value."""
    return (f'<rect class="bar" x="{coordinate(x)}" y="{coordinate(y)}" width="{coordinate(width)}" '
            f'height="{coordinate(height)}" fill="{color}"><title>{svg_text(tooltip)}</title></rect>')


def title_and_x_axis(title: str, axis: str, plot_left: float, plot_right: float, height: float) -> list[str]:
    """A chart's title above it and its x axis' name at its foot, centred on the plot."""
    middle = (plot_left + plot_right) / 2
    return [label(middle, 22, title, attributes=' font-size="15" font-weight="bold"'),
            label(middle, height - 12, axis)]


def svg(chart_id: str, alt: str, width: float, height: float, body: list[str]) -> str:
    """An inline SVG chart in the page's fonts (which have Hangul), named for screen readers by its alt text."""
    return (f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{svg_text(alt)}" '
            f'width="{coordinate(width)}" height="{coordinate(height)}" '
            f'viewBox="0 0 {coordinate(width)} {coordinate(height)}" font-family="{svg_text(FONTS)}" '
            f'font-size="{CHART_FONT_SIZE}"><title>{svg_text(alt)}</title>{"".join(body)}</svg>')


def scores_chart(scores: list[float], max_score: float, lang: str) -> str:
    """The histogram of the scores, students on the y axis."""
    top, right, bottom, left = CHART_MARGIN
    height = 320
    bins = bins_of(max_score)
    counts = bin_counts(scores, bins)
    y_ticks = integer_ticks(max(counts))
    plot_width, plot_height, last_edge = CHART_WIDTH - left - right, height - top - bottom, bins[-1][1]

    def x(points: float) -> float:
        return left + points / last_edge * plot_width

    def y(students: float) -> float:
        return top + plot_height * (1 - students / y_ticks[-1])

    body = [line(left, y(tick), x(last_edge), y(tick), GRID_COLOR) for tick in y_ticks]
    body += [label(left - 8, y(tick) + 4, str(tick), "end") for tick in y_ticks]
    body += [bar(x(low) + 0.5, y(students), x(high) - x(low) - 1, y(0) - y(students), "#4062bb",
                 f"{low}–{high}: {students}") for (low, high), students in zip(bins, counts)]
    body += [label(x(tick), y(0) + 18, str(tick)) for tick in range(0, last_edge + 1, max(tick_step(last_edge, 10), 5))]
    body.append(line(left, y(0), x(last_edge), y(0), AXIS_COLOR))
    body += title_and_x_axis(render("report.scores", {}, lang),
                             render("report.scores_axis", {"max_score": number(max_score)}, lang),
                             left, x(last_edge), height)
    body.append(label(0, 0, render("report.students_axis", {}, lang),
                      attributes=f' transform="translate(16 {coordinate(top + plot_height / 2)}) rotate(-90)"'))
    return svg("chart-scores", render("report.scores_alt", {}, lang), CHART_WIDTH, height, body)


def pass_rates_chart(pass_rates: dict[str, float], lang: str) -> str:
    """A horizontal bar per exercise, the first at the top, with its pass rate written at the bar's end."""
    top, right, bottom, left = CHART_MARGIN
    row = 28
    # The exercise ids on the left (a long one may be cut, the plot keeps half the width); "100%" on the right.
    left = min(max([text_width(exercise, CHART_FONT_SIZE) + 16 for exercise in pass_rates] + [left]), CHART_WIDTH / 2)
    right += text_width("100%", CHART_FONT_SIZE)
    plot_width, plot_height = CHART_WIDTH - left - right, row * max(len(pass_rates), 1)
    height = top + plot_height + bottom

    def x(percent: float) -> float:
        return left + percent / 100 * plot_width

    body = [line(x(tick), top, x(tick), top + plot_height, GRID_COLOR) for tick in range(0, 101, 20)]
    body += [label(x(tick), top + plot_height + 18, str(tick)) for tick in range(0, 101, 20)]
    for index, (exercise, rate) in enumerate(pass_rates.items()):
        percent, middle = round(100 * rate, 1), top + (index + 0.5) * row
        body += [label(left - 8, middle + 4, exercise, "end"),
                 bar(left, middle - row / 2 + 4, x(percent) - left, row - 8, "#1a7f37", f"{exercise}: {number(percent)}%"),
                 label(x(percent) + 6, middle + 4, f"{number(percent)}%", "start")]
    body.append(line(left, top, left, top + plot_height, AXIS_COLOR))
    body += title_and_x_axis(render("report.pass_rates", {}, lang), render("report.pass_rates_axis", {}, lang),
                             left, x(100), height)
    return svg("chart-pass-rates", render("report.pass_rates_alt", {}, lang), CHART_WIDTH, height, body)


def charts(summary: ClassSummary, max_score: float, lang: str = "en") -> dict[str, str]:
    """The two charts as inline SVG elements, written out directly: drawing them with a plotting library
    cost most of the report's time, and inline text is drawn in the page's fonts."""
    return {"scores": scores_chart(summary.scores, max_score, lang),
            "pass_rates": pass_rates_chart(summary.pass_rates, lang)}


def report_language(results: list[dict]) -> str:
    """The class report speaks the language the class was graded in (the commonest, if graded twice)."""
    languages = Counter(result.get("language", "en") for result in results)
    return languages.most_common(1)[0][0] if languages else DEFAULT_LANGUAGE


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def review_line(flag: dict, lang: str) -> str:
    """Where and why, in the report's language, with the student's line as code."""
    where, line = describe_flag(flag, lang)
    return escape(where) + (f" <code>{escape(line)}</code>" if line else "")


def class_report_html(results: list[dict], assignment: Assignment | None) -> str:
    lang = report_language(results)

    def text(code: str, **params) -> str:
        return escape(render(code, params, lang))

    summary = summarize_class(results)
    max_score = assignment.automatic_points if assignment else max([r["max_score"] for r in results] or [0])
    drawn = charts(summary, max_score, lang)
    scores = summary.scores or [0.0]
    overview = text("report.overview", count=len(results), mean=number(round(sum(scores) / len(scores), 2)),
                    lowest=number(min(scores)), highest=number(max(scores)), max_score=number(max_score))
    mistakes = _table([text("report.exercise"), text("report.mistake_code"), text("report.students_count"),
                       text("report.example")],
                      [[escape(m.exercise), f"<code>{escape(m.code)}</code>", str(m.students), with_code(m.example)]
                       for m in summary.mistakes]) if summary.mistakes else f"<p>{text('report.no_mistakes')}</p>"
    troubles = _table([text("report.student"), text("report.what_happened"), text("report.message")],
                      [[f"<a href=\"students/{escape(file_name_of(t.student))}.html\">{escape(t.student)}</a>",
                        f"<span class=\"status\">{escape(status_label(t.status, lang))}</span>", with_code(t.message)]
                       for t in summary.troubles]
                      ) if summary.troubles else f"<p>{text('report.no_troubles')}</p>"
    late_results = [r for r in results if r.get("seconds_late", 0) > 0 or lateness_unknown(r)]
    late = _table([text("report.student"), text("report.handed_in"), text("report.due"), text("report.late_by")],
                  [[f"<a href=\"students/{escape(file_name_of(r['student']))}.html\">{escape(r['student'])}</a>",
                    escape(r["timestamp"]), escape(r["due"]), escape(late_by(r, lang))]
                   for r in late_results]
                  ) if late_results else f"<p>{text('report.no_late')}</p>"
    flagged = [r for r in results if r.get("review")]
    review = _table([text("report.student"), text("report.review_where")],
                    [[f"<a href=\"students/{escape(file_name_of(r['student']))}.html\">{escape(r['student'])}</a>",
                      "<br>".join(review_line(flag, lang) for flag in r["review"] if isinstance(flag, dict))]
                     for r in flagged]) if flagged else f"<p>{text('report.no_review')}</p>"
    students = _table([text("report.student"), text("report.score")],
                      [[f"<a href=\"students/{escape(file_name_of(r['student']))}.html\">{escape(r['student'])}</a>",
                        f"<span class=\"score\">{number(r['score'])} / {number(r['max_score'])}</span>"]
                       for r in results])
    title = text("report.title", assignment=assignment.name if assignment else "?")
    return (f"<!DOCTYPE html>\n<html lang=\"{escape(lang)}\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>{title}</h1>\n<p>{overview}</p>\n"
            f"<h2>{text('report.scores')}</h2>\n{drawn['scores']}\n"
            f"<h2>{text('report.pass_rates')}</h2>\n{drawn['pass_rates']}\n"
            f"<h2>{text('report.mistakes')}</h2>\n{mistakes}\n"
            f"<h2>{text('report.troubles')}</h2>\n{troubles}\n"
            f"<h2>{text('report.late')}</h2>\n{late}\n"
            f"<h2 id=\"needs-review\">{text('report.review')}</h2>\n<p>{text('report.review_intro')}</p>\n{review}\n"
            f"<h2>{text('report.students')}</h2>\n{students}\n</body></html>\n")


def write_reports(out_dir: Path, results: list[dict], assignment: Assignment | None) -> Path:
    """DIR/report/index.html and DIR/report/students/<file name>.html and .md, for results of the assignment
    (None: of an assignment that could not be told); returns the class report's path.

    Every text is made encodable first, and a page that still cannot be written is reported on stderr
    while the others, and the class report, are written.
    """
    results = [encodable(result) for result in results]
    students_dir = out_dir / "report" / "students"
    students_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        name = file_name_of(result["student"])
        for suffix, render_page in ((".html", feedback_html), (".md", feedback_markdown)):
            try:
                write_atomically(students_dir / f"{name}{suffix}", render_page(result, assignment))
            except (KeyError, TypeError, ValueError) as error:
                print(f"warning: no feedback page for {result['student']!r}: {type(error).__name__}: {error}",
                      file=sys.stderr)
    index = out_dir / "report" / "index.html"
    write_atomically(index, class_report_html(results, assignment))
    return index


def assignment_of(results: list[dict], roots: list[Path] | None = None) -> Assignment | None:
    """The assignment the results are of (looked up like the grader does); None for results of none."""
    # Results written before there were several assignments are the shipped one's.
    names = sorted({str(result.get("assignment", SHIPPED)) for result in results} - {""})
    if len(names) > 1:
        raise AssignmentError(f"these results are of several assignments ({', '.join(names)}): report each apart")
    return find(names[0], roots) if names else None


def load_results(out_dir: Path) -> list[dict]:
    """Every result JSON that `autograder grade` wrote into out_dir, by student id; a file that is not
    one (or cannot be read) is reported on stderr and skipped, so one bad file cannot stop the report."""
    results = []
    for path in sorted(out_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except (OSError, ValueError, RecursionError) as error:
            print(f"warning: skipped {path.name}: {type(error).__name__}", file=sys.stderr)
            continue
        if isinstance(data, dict) and {"student", "exercises", "tests"} <= data.keys():
            results.append(data)
    return sorted(results, key=lambda r: str(r["student"]))
