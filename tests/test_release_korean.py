"""The Korean release: made from the same master notebook as the English one, so it cannot drift; nothing hidden
or solved in it (the leak test of test_release.py reads all of assignments/); graded the same by nbgrader and by
this grader; and a complete course in Korean, in the glossary's vocabulary."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.assign import SOURCE
from autograder.assign.languages import LANGUAGE_FOLDER, glossary_markdown, pairing_problems, release_master
from grading import ASSIGNMENT, AUTOMATIC, AUTOMATIC_POINTS
from autograder.glossary import TERMS, english_leftovers
from autograder.nbgrader_run import autograde_with_nbgrader

ROOT = Path(__file__).resolve().parents[1]
MASTER = SOURCE / f"{ASSIGNMENT}.ipynb"
RELEASED = {lang: ROOT / "assignments" / folder / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            for lang, folder in LANGUAGE_FOLDER.items()}
SOLVED = {lang: ROOT / "solutions" / folder / ASSIGNMENT / f"{ASSIGNMENT}.ipynb" for lang, folder in LANGUAGE_FOLDER.items()}
LANGUAGE_LINE = re.compile(r'os\.environ\["AUTOGRADER_LANG"\] = "(\w+)"')


def master():
    return nbformat.read(MASTER, as_version=4)


def grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def test_every_english_cell_of_the_master_has_its_korean_cell():
    assert pairing_problems(master()) == []


def test_the_pairing_check_finds_a_drifted_translation():
    notebook = master()
    korean = [index for index, cell in enumerate(notebook.cells) if cell.metadata.get("lang") == "ko"]
    exercise = next(index for index in korean if "(15점)" in notebook.cells[index].source)
    dropped, repointed, unquoted = copy.deepcopy(notebook), copy.deepcopy(notebook), copy.deepcopy(notebook)
    del dropped.cells[korean[3]]
    repointed.cells[exercise].source = repointed.cells[exercise].source.replace("(15점)", "(10점)")
    unquoted.cells[exercise].source = unquoted.cells[exercise].source.replace("`apply_activation", "apply_activation")
    for drifted in (dropped, repointed, unquoted):
        assert pairing_problems(drifted), "a drifted translation went unnoticed"


def test_both_releases_share_code_grade_ids_and_points():
    english, korean = (nbformat.read(RELEASED[lang], as_version=4) for lang in ("en", "ko"))
    code = [[(grade_id(cell), cell.metadata.get("nbgrader", {}).get("points"), LANGUAGE_LINE.sub("", cell.source))
             for cell in notebook.cells if cell.cell_type == "code" or grade_id(cell)] for notebook in (english, korean)]
    assert code[0] == code[1]
    assert sum(points or 0 for _, points, _ in code[1]) == AUTOMATIC_POINTS + 5
    setups = [next(cell.source for cell in notebook.cells if grade_id(cell) == "setup") for notebook in (english, korean)]
    assert [LANGUAGE_LINE.search(setup)[1] for setup in setups] == ["en", "ko"]


def korean_markdown() -> list[str]:
    notebook = nbformat.read(RELEASED["ko"], as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown" and not grade_id(cell)]


def test_the_korean_release_is_korean_outside_code():
    texts = korean_markdown()[:-1]  # the glossary lists the English names on purpose
    assert len(texts) > 25
    assert {text[:60]: english_leftovers(text) for text in texts if english_leftovers(text)} == {}
    english = [cell.source for cell in nbformat.read(RELEASED["en"], as_version=4).cells
               if cell.cell_type == "markdown" and not grade_id(cell)]
    assert len(texts) == len(english)


def test_the_korean_release_ends_with_the_glossary_and_names_api_terms_once_in_parentheses():
    texts = korean_markdown()
    assert texts[-1] == glossary_markdown()
    prose = "\n".join(texts[:-1]).replace("*", "")  # *상관 필터*(correlation filter): emphasis aside
    for term in TERMS:
        if term.shown and term.korean in prose and len(term.korean) > 1:
            assert term.first_use in prose, f"{term.first_use} is never written out"


def test_the_glossary_check_sees_a_missing_parenthesis():
    assert "편향(B)" not in "편향을 더합니다" and any(term.first_use == "편향(B)" for term in TERMS)


def test_the_korean_release_is_what_release_master_makes():
    made = release_master(master(), "ko")
    assert [cell.source for cell in made.cells if cell.cell_type == "markdown" and not grade_id(cell)][-1] == \
        glossary_markdown()
    assert not [cell for cell in made.cells if "lang" in cell.metadata]


def test_nbgrader_gives_the_korean_solution_every_point_and_the_stub_none(tmp_path):
    _, scores = autograde_with_nbgrader({"solution": SOLVED["ko"], "stub": RELEASED["ko"]}, tmp_path, lang="ko")
    assert scores["solution"] == {e.id: float(e.points) for e in AUTOMATIC}
    assert scores["stub"] == {e.id: 0.0 for e in AUTOMATIC}


def test_the_grader_grades_the_korean_solution_like_the_english(tmp_path):
    from autograder.grade.batch import GradeSettings, grade_batch

    folder = tmp_path / "submitted"
    folder.mkdir()
    for lang, path in SOLVED.items():
        shutil.copy(path, folder / f"{lang}.ipynb")
    results = grade_batch([folder], tmp_path / "results", GradeSettings(workers=1, lang="ko"))
    assert {result["student"]: result["score"] for result in results} == {"en": AUTOMATIC_POINTS, "ko": AUTOMATIC_POINTS}


def test_the_korean_release_grades_in_korean_in_a_real_kernel(tmp_path):
    """The Korean release as a student and nbgrader's autograde run it: its setup cell makes the test cell and the
    hidden tests speak Korean."""
    from nbclient import NotebookClient

    notebook = nbformat.read(RELEASED["ko"], as_version=4)
    graded = next(index for index, cell in enumerate(notebook.cells) if grade_id(cell) == AUTOMATIC[0].id)
    notebook.cells = [*notebook.cells[:graded + 1], nbformat.v4.new_code_cell(
        f"from autograder.notebook import grade_exercise\ngrade_exercise({ASSIGNMENT!r}, {AUTOMATIC[0].id!r}, globals())")]
    NotebookClient(notebook, timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(RELEASED["ko"].parent)}}).execute()
    public, hidden = (json.dumps(cell.outputs, ensure_ascii=False) for cell in notebook.cells[-2:])
    assert "공개 테스트를 통과하지 못했습니다" in public and "NotImplementedError()`가 남아 있습니다" in public, public[-2000:]
    assert "NotImplementedError()`가 남아 있습니다" in hidden, hidden[-2000:]
