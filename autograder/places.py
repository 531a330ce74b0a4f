"""Where a cell is, in words a student can follow in their own notebook.

Jupyter shows no stable cell numbers (`In [13]` changes with every run), so feedback never
counts cells: a place is the notebook's own section heading, then either "your answer to
`<exercise>`" (the exercise's answer cell) or the code cell's rank within that section, and a
line within the cell. The JSON results, the messages and the feedback pages all say it this way.
"""

from __future__ import annotations

import re

from autograder.messages import DEFAULT_LANGUAGE, render

SECTION_HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s+(.+?)\s*$", re.M)
# How the student process names a line of a submitted cell in an error (see run.inside.probes.describe_exception).
CELL_LINE = re.compile(r"\(in cell (\d+), line (\d+)\)")
MAX_TITLE = 80


def notebook_places(cells: list[dict], answer_cells: dict[str, str]) -> list[dict | None]:
    """A place for each of the notebook's code cells (None for other cells), in the notebook's order.

    `answer_cells` maps the grade_id of each exercise's answer cell to the exercise's id.
    """
    section, title, ordinal, places = "", "", 0, []
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(str(line) for line in source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            headings = SECTION_HEADING.findall(source)
            if headings:
                (section, title), ordinal = headings[-1], 0
                title = title[:MAX_TITLE]
            places.append(None)
            continue
        if cell.get("cell_type") != "code":
            places.append(None)
            continue
        ordinal += 1
        metadata = cell.get("metadata")
        nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
        places.append({"section": section, "title": title, "ordinal": ordinal,
                       "answer_to": answer_cells.get(grade_id) if isinstance(grade_id, str) else None})
    return places


def place_text(place: dict | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A place in words: "your answer to `cascade_forward` in section 2.3 “The cascade computed by hand”"."""
    if not place:
        return render("place.file", {}, lang)
    where = (render("place.section", {"section": place["section"], "title": place["title"]}, lang)
             if place.get("section") else render("place.top", {}, lang))
    if place.get("answer_to"):
        return render("place.answer", {"exercise": place["answer_to"], "where": where}, lang)
    return render("place.cell", {"ordinal": place["ordinal"], "where": where}, lang)


def locate(text: str, places: list[dict | None], lang: str = DEFAULT_LANGUAGE) -> str:
    """The text with each "(in cell N, line M)" of the student process said as a place and a line."""
    def say(match: re.Match) -> str:
        index = int(match[1])
        if not 0 <= index < max(len(places), 1):
            return match[0]
        return render("place.line", {"place": place_text(places[index] if places else None, lang),
                                     "line": match[2]}, lang)
    return CELL_LINE.sub(say, text)


def cell_note(cell: dict, lang: str = DEFAULT_LANGUAGE) -> str:
    """A feedback line for a cell that did not run to the end, from a result's `cells` entry."""
    text = render("feedback.cell", {"place": cell.get("place") or place_text(None, lang),
                                    "message": cell.get("message", "")}, lang)
    return text[:1].upper() + text[1:]
