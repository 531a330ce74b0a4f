"""One master notebook, two languages: the release step that picks one.

The master holds each Markdown cell of the course twice, in English and then in Korean, marked
`"lang": "en"` and `"lang": "ko"` in the cell's metadata; every other cell (code, grade cells,
hidden tests, the written answer) is shared, so the two releases cannot drift apart. A release is
the master with the other language's cells taken out (`SelectLanguage`), the test cells' language
set in the setup cell, and, in Korean, the glossary table written from `autograder.glossary`
(`WriteGlossary`). `pairing_problems` says where the two languages of the master disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

from autograder.glossary import TERMS, english_leftovers
from autograder.messages import LANGUAGES

RELEASE_LANGUAGES = LANGUAGES  # a course is released in each language its feedback is written in
# Where each language's release and solutions go, under assignments/ and solutions/: English where it
# always was, Korean in a folder of its own laid out the same way (<assignment>/<notebook>).
LANGUAGE_FOLDER = {"en": Path("."), "ko": Path("ko")}
# The setup cell's line that sets the language of the test cells' messages (read when they are imported).
LANGUAGE_LINE = re.compile(r'^(os\.environ\["AUTOGRADER_LANG"\] = )"(\w+)"', re.M)
GLOSSARY = "glossary"


def language_of(cell) -> str | None:
    return cell.metadata.get("lang")


def languages_of(notebook) -> list[str]:
    """The languages a master notebook is released in: English, and Korean when it has Korean cells."""
    return [lang for lang in RELEASE_LANGUAGES if lang == "en" or any(language_of(c) == lang for c in notebook.cells)]


class SelectLanguage(Preprocessor):
    """Keep the shared cells and those of one language; the setup cell sets that language for the test cells."""

    lang = Unicode("en").tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if language_of(cell) in (None, self.lang)]
        for cell in nb.cells:
            cell.metadata.pop("lang", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup":
            cell.source = LANGUAGE_LINE.sub(rf'\1"{self.lang}"', cell.source)
        return cell, resources


def glossary_markdown() -> str:
    """The glossary as the Korean notebook shows it: each term and the name it goes by in Keras or in English."""
    rows = [f"| {term.korean} | {term.shown or term.english[0]} |" for term in TERMS]
    return "\n".join(["## 용어 정리", "",
                      "이 노트북과 채점기의 피드백은 개념마다 아래의 용어 하나만 씁니다. 오른쪽은 Keras API나 영어 "
                      "자료에서 만나게 될 이름입니다.", "", "| 용어 | Keras·영어 이름 |", "|---|---|", *rows])


class WriteGlossary(Preprocessor):
    """The glossary cell's text, from the glossary itself, so the notebook and the messages share one vocabulary."""

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get(GLOSSARY):
            cell.source = glossary_markdown()
        return cell, resources


def release_master(notebook, lang: str):
    """The master notebook in one language, ready for nbgrader's generate_assignment."""
    resources: dict = {}
    for preprocessor in (WriteGlossary(), SelectLanguage(lang=lang)):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


HEADING_NUMBER = re.compile(r"^#+\s+([\d.]+)\s", re.M)
POINTS = re.compile(r"\((\d+)(?: points?|점)")


def _outline(text: str) -> tuple:
    """What both languages of a cell must share: section numbers, the points stated, the code quoted
    (code, not words: `(W shape, B shape)` is said in each language's words)."""
    code = {span for span in re.findall(r"`([^`\n]+)`", text) if not english_leftovers(span)}
    return HEADING_NUMBER.findall(text), POINTS.findall(text), sorted(code)


def pairing_problems(notebook) -> list[str]:
    """Where the master's two languages disagree: an English cell without its Korean one right after it (or
    the reverse), or a pair whose section numbers, points or quoted identifiers differ."""
    problems = []
    cells = notebook.cells
    for index, cell in enumerate(cells):
        lang = language_of(cell)
        if lang not in (None, *RELEASE_LANGUAGES):
            problems.append(f"cell {index}: unknown language {lang!r}")
        if lang == "en":
            after = cells[index + 1] if index + 1 < len(cells) else None
            if after is None or language_of(after) != "ko" or after.metadata.get(GLOSSARY):
                problems.append(f"cell {index} ({cell.source[:40]!r}): no Korean cell after it")
                continue
            english, korean = _outline(cell.source), _outline(after.source)
            if english[:2] != korean[:2]:
                problems.append(f"cell {index} ({cell.source[:40]!r}): sections or points differ in Korean: "
                                f"{english[:2]} / {korean[:2]}")
            missing = sorted(set(english[2]) - set(korean[2]))
            if missing:
                problems.append(f"cell {index} ({cell.source[:40]!r}): the Korean cell does not quote {missing}")
        if lang == "ko" and not cell.metadata.get(GLOSSARY):
            if index == 0 or language_of(cells[index - 1]) != "en":
                problems.append(f"cell {index} ({cell.source[:40]!r}): a Korean cell with no English cell before it")
        if lang is None and cell.cell_type == "markdown" and not cell.metadata.get("nbgrader"):
            problems.append(f"cell {index} ({cell.source[:40]!r}): Markdown in no language")
    return problems
