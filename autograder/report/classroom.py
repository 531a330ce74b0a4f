"""The class report: score distribution, pass rate per exercise, the commonest mistakes, and the
submissions that crashed or ran out of time, in one self-contained HTML file (charts inlined as PNG).

The figures are computed first as plain data (ClassSummary), then drawn; student text is HTML-escaped.
"""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from autograder.exercises import ASSIGNMENT, AUTOMATIC, AUTOMATIC_POINTS
from autograder.grade.submission import sanitize_student_id
from autograder.lateness import late_text
from autograder.messages import render
from autograder.report.student import STYLE, feedback_html, feedback_markdown, number

TROUBLE_STATUSES = ("crashed", "timeout")
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
    pass_rates = {e.id: sum(r["exercises"][e.id]["score"] >= e.points for r in results) / count for e in AUTOMATIC}
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


def charts(summary: ClassSummary) -> dict[str, str]:
    """The two charts as data URIs: drawn off screen, closed after, so batches do not accumulate figures."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    drawn = {}
    figure, axes = pyplot.subplots(figsize=(8, 3.2))
    axes.hist(summary.scores, bins=range(0, AUTOMATIC_POINTS + 6, 5), color="#4062bb", edgecolor="white")
    axes.set_xlabel(f"automatic score (out of {AUTOMATIC_POINTS})")
    axes.set_ylabel("students")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Score distribution")
    drawn["scores"] = png_data_uri(figure)
    pyplot.close(figure)
    figure, axes = pyplot.subplots(figsize=(8, 4))
    ids = list(summary.pass_rates)
    axes.barh(ids[::-1], [100 * summary.pass_rates[i] for i in ids[::-1]], color="#1a7f37")
    axes.set_xlim(0, 100)
    axes.set_xlabel("students with full marks (%)")
    axes.set_title("Pass rate per exercise")
    drawn["pass_rates"] = png_data_uri(figure)
    pyplot.close(figure)
    return drawn


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def class_report_html(results: list[dict]) -> str:
    summary = summarize_class(results)
    images = charts(summary)
    scores = summary.scores or [0.0]
    overview = (f"{len(results)} submissions; mean {number(round(sum(scores) / len(scores), 2))}, "
                f"lowest {number(min(scores))}, highest {number(max(scores))} of {AUTOMATIC_POINTS}")
    mistakes = _table(["exercise", "mistake (message code)", "students", "example message"],
                      [[escape(m.exercise), f"<code>{escape(m.code)}</code>", str(m.students), escape(m.example)]
                       for m in summary.mistakes]) if summary.mistakes else "<p>No recognised mistakes.</p>"
    troubles = _table(["student", "what happened", "message"],
                      [[f"<a href=\"students/{escape(t.student)}.html\">{escape(t.student)}</a>",
                        escape(t.status), escape(t.message)] for t in summary.troubles]
                      ) if summary.troubles else "<p>None crashed or timed out.</p>"
    late_results = [r for r in results if r.get("seconds_late", 0) > 0]
    late = _table(["student", "handed in (UTC)", "due (UTC)", "late by"],
                  [[f"<a href=\"students/{escape(r['student'])}.html\">{escape(r['student'])}</a>",
                    escape(r["timestamp"]), escape(r["due"]), late_text(r["seconds_late"])] for r in late_results]
                  ) if late_results else "<p>None was handed in late.</p>"
    students = _table(["student", "score"],
                      [[f"<a href=\"students/{escape(r['student'])}.html\">{escape(r['student'])}</a>",
                        f"{number(r['score'])} / {number(r['max_score'])}"] for r in results])
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Class report: {ASSIGNMENT}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>Class report: {ASSIGNMENT}</h1>\n<p>{overview}</p>\n"
            f"<h2>Score distribution</h2>\n<img id=\"chart-scores\" alt=\"histogram of the automatic scores\" "
            f"src=\"{images['scores']}\">\n"
            f"<h2>Pass rate per exercise</h2>\n<img id=\"chart-pass-rates\" alt=\"share of students with full marks, "
            f"per exercise\" src=\"{images['pass_rates']}\">\n"
            f"<h2>Most common mistakes</h2>\n{mistakes}\n"
            f"<h2>Crashed, timed out or unreadable</h2>\n{troubles}\n"
            f"<h2>Late submissions</h2>\n{late}\n"
            f"<h2>Students</h2>\n{students}\n</body></html>\n")


def write_reports(out_dir: Path, results: list[dict]) -> Path:
    """DIR/report/index.html and DIR/report/students/<student>.html and .md; returns the class report's path."""
    unsafe = [r["student"] for r in results if r["student"] != sanitize_student_id(r["student"])]
    if unsafe:
        raise ValueError(f"unsafe student ids: {unsafe!r}")
    students_dir = out_dir / "report" / "students"
    students_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        (students_dir / f"{result['student']}.html").write_text(feedback_html(result), encoding="utf-8")
        (students_dir / f"{result['student']}.md").write_text(feedback_markdown(result), encoding="utf-8")
    index = out_dir / "report" / "index.html"
    index.write_text(class_report_html(results), encoding="utf-8")
    return index


def load_results(out_dir: Path) -> list[dict]:
    """Every result JSON that `autograder grade` wrote into out_dir, by student id."""
    results = []
    for path in sorted(out_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and {"student", "exercises", "tests"} <= data.keys():
            results.append(data)
    return sorted(results, key=lambda r: r["student"])
