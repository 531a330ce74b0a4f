"""The class report: score distribution, pass rate per exercise, the commonest mistakes, and the
submissions that crashed or ran out of time, in one self-contained HTML file (charts inlined as PNG).

The figures are computed first as plain data (ClassSummary), then drawn; student text is HTML-escaped.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from autograder.assignments import SHIPPED, Assignment, AssignmentError, find
from autograder.grade.submission import file_name_of
from autograder.lateness import late_by, lateness_unknown
from autograder.grade.tampering import describe_flag
from autograder.messages import DEFAULT_LANGUAGE, render, status_label
from autograder.results import encodable
from autograder.writing import write_atomically
from autograder.report.student import STYLE, feedback_html, feedback_markdown, number, with_code

TROUBLE_STATUSES = ("grader_error", "crashed", "timeout")
# Fonts with Hangul for the charts, before matplotlib's default; a glyph missing from one is taken from the next.
CHART_FONTS = ["NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic",
               "NanumBarunGothic", "DejaVu Sans"]
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


def png_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def charts(summary: ClassSummary, max_score: float, lang: str = "en") -> dict[str, str]:
    """The two charts as data URIs: drawn off screen, closed after, so batches do not accumulate figures."""
    import matplotlib

    matplotlib.use("Agg")
    import logging

    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    def text(code: str, **params) -> str:
        return render(code, params, lang)

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # fonts of the list this system lacks
    drawn = {}
    with pyplot.rc_context({"font.family": "sans-serif", "font.sans-serif": CHART_FONTS}):
        figure, axes = pyplot.subplots(figsize=(8, 3.2))
        axes.hist(summary.scores, bins=range(0, int(max_score) + 6, 5), color="#4062bb", edgecolor="white")
        axes.set_xlabel(text("report.scores_axis", max_score=number(max_score)))
        axes.set_ylabel(text("report.students_axis"))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(text("report.scores"))
        drawn["scores"] = png_data_uri(figure)
        pyplot.close(figure)
        figure, axes = pyplot.subplots(figsize=(8, 4))
        ids = list(summary.pass_rates)
        axes.barh(ids[::-1], [100 * summary.pass_rates[i] for i in ids[::-1]], color="#1a7f37")
        axes.set_xlim(0, 100)
        axes.set_xlabel(text("report.pass_rates_axis"))
        axes.set_title(text("report.pass_rates"))
        drawn["pass_rates"] = png_data_uri(figure)
        pyplot.close(figure)
    return drawn


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
    images = charts(summary, max_score, lang)
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
            f"<h2>{text('report.scores')}</h2>\n<img id=\"chart-scores\" alt=\"{text('report.scores_alt')}\" "
            f"src=\"{images['scores']}\">\n"
            f"<h2>{text('report.pass_rates')}</h2>\n<img id=\"chart-pass-rates\" alt=\"{text('report.pass_rates_alt')}\" "
            f"src=\"{images['pass_rates']}\">\n"
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
