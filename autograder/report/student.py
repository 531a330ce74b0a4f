"""A student's feedback: each exercise, its score and its messages, as HTML and as Markdown for LMS comments.

Built only from the exercises' messages, problems and cell errors, which are written for students;
hidden-test ids (which name their inputs) are never shown. Every text is HTML-escaped, because
messages quote the student's own exception text and anything in it could be markup.
"""

from __future__ import annotations

import re
from html import escape

from autograder.assignments import Assignment
from autograder.exercises import Exercise
from autograder.lateness import late_text
from autograder.messages import exercise_title, render, status_label
from autograder.places import cell_note

# Korean needs a font that has Hangul: the stack names the common ones of each system (Linux's
# Noto CJK and Nanum, macOS's Apple SD Gothic Neo, Windows' Malgun Gothic) before the generic family.
# keep-all breaks Korean lines between words, as Korean is read, not inside them; a score or a
# status never breaks, and in a message (the last column) a long unbroken token wraps instead of overflowing.
FONTS = ('system-ui,"Noto Sans KR","Noto Sans CJK KR","Apple SD Gothic Neo","Malgun Gothic","NanumGothic",'
         '"NanumBarunGothic",sans-serif')
STYLE = f"""body{{font-family:{FONTS};max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;word-break:keep-all;
overflow-wrap:break-word}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}}
th,.score,.status{{white-space:nowrap}}td:last-child{{overflow-wrap:anywhere}}img,svg{{max-width:100%;height:auto}}
.passed{{color:#1a7f37}}.failed,.error,.crashed,.timeout,.forbidden,.missing,.unreadable,.grader_error{{color:#b42318}}
ul{{margin:0;padding-left:1.2rem}}"""


def with_code(text: str) -> str:
    """Escaped text, its `code` spans shown as code (messages mark identifiers and formulas with backticks)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def number(value: float) -> str:
    return f"{value:g}"


def graded_exercises(result: dict, assignment: Assignment | None) -> list[Exercise]:
    """The automatic exercises the result has, as its assignment lists them (none when the assignment was not told)."""
    return [exercise for exercise in (assignment.automatic if assignment else ()) if exercise.id in result["exercises"]]


def general_notes(result: dict, assignment: Assignment | None, lang: str) -> list[str]:
    """Notes about the whole submission: problems reading it, lateness, cells that did not run, the manual part."""
    notes = [*result.get("problems", []), *result.get("notes", [])]
    if result.get("seconds_late", 0) > 0:
        notes.append(render("feedback.late", {"due": result["due"], "late": late_text(result["seconds_late"], lang)},
                            lang))
    notes += [cell_note(cell, lang)
              for cell in result.get("cells", [])]
    manual = [exercise_title(exercise, lang) for exercise in (assignment.exercises if assignment else ())
              if not exercise.automatic]
    if manual:
        notes.append(render("feedback.manual", {"titles": "; ".join(manual)}, lang))
    return notes


def feedback_html(result: dict, assignment: Assignment | None) -> str:
    lang = result.get("language", "en")
    title = render("feedback.title", {"assignment": assignment.name if assignment else "?", "student": result["student"]}, lang)
    headers = "".join(f"<th>{escape(render(code, {}, lang))}</th>" for code in
                      ("feedback.exercise", "feedback.score", "feedback.status", "feedback.messages"))
    rows = []
    for exercise in graded_exercises(result, assignment):
        graded = result["exercises"][exercise.id]
        messages = graded["messages"] or [render("feedback.all_passed", {}, lang)]
        items = "".join(f"<li>{with_code(message)}</li>" for message in messages)
        rows.append(f"<tr><td>{escape(exercise_title(exercise, lang))} (<code>{escape(exercise.id)}</code>)</td>"
                    f"<td class=\"score\">{number(graded['score'])} / {number(graded['max_score'])}</td>"
                    f"<td class=\"status {escape(graded['status'])}\">{escape(status_label(graded['status'], lang))}</td>"
                    f"<td><ul>{items}</ul></td></tr>")
    notes = "".join(f"<li>{with_code(note)}</li>" for note in general_notes(result, assignment, lang))
    total = render("feedback.total", {"score": number(result["score"]), "max_score": number(result["max_score"])}, lang)
    return (f"<!DOCTYPE html>\n<html lang=\"{escape(lang)}\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>{escape(title)}</h1>\n<p><strong>{escape(total)}</strong></p>\n<ul>{notes}</ul>\n"
            f"<table><thead><tr>{headers}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n</body></html>\n")


def feedback_markdown(result: dict, assignment: Assignment | None) -> str:
    """Markdown passes HTML through, so student text is HTML-escaped here too, and kept on one line."""
    lang = result.get("language", "en")

    def text(value: str) -> str:
        return escape(" ".join(value.split()), quote=False)

    title = render("feedback.title", {"assignment": assignment.name if assignment else "?", "student": result["student"]}, lang)
    lines = [f"# {text(title)}", "",
             f"**{text(render('feedback.total', {'score': number(result['score']), 'max_score': number(result['max_score'])}, lang))}**",
             ""]
    lines += [f"- {text(note)}" for note in general_notes(result, assignment, lang)]
    for exercise in graded_exercises(result, assignment):
        graded = result["exercises"][exercise.id]
        lines += ["", f"## {text(exercise_title(exercise, lang))} (`{exercise.id}`): "
                      f"{number(graded['score'])} / {number(graded['max_score'])}, {status_label(graded['status'], lang)}", ""]
        messages = graded["messages"] or [render("feedback.all_passed", {}, lang)]
        lines += [f"- {text(message)}" for message in messages]
    return "\n".join(lines) + "\n"
