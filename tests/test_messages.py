"""The message catalog: every code the grader can give exists in English and Korean, with the same blanks;
the Korean uses the glossary's terms, leaves no English word outside code, and gets its particles right."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from grading import EXERCISES
from autograder.glossary import TERMS, english_leftovers, prose, terms_in_english
from autograder.hangul import particle
from autograder.messages import (LANGUAGES, MESSAGES, blanks, exercise_title, phrase, render,
                                 status_label)
from autograder.results import STATUSES

PACKAGE = Path(__file__).resolve().parents[1] / "autograder"
PREFIXES = {code.split(".", 1)[0] for code in MESSAGES}
STUDENT_STATUSES = ("missing", "error", "crashed", "timeout")


def codes_in_the_package() -> set[str]:
    """String constants shaped like a message code (`dense.missing_bias`) anywhere in the package or in the
    grading folder of an assignment of source/."""
    found = set()
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.parent.glob("source/*/grading/**/*.py")]:
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                prefix, dot, rest = node.value.partition(".")
                if dot and prefix in PREFIXES and rest.replace("_", "").isalpha() and rest.islower():
                    found.add(node.value)
    return found | {f"student.{status}" for status in STUDENT_STATUSES}


def test_the_scan_finds_the_codes_checks_raise():
    found = codes_in_the_package()
    assert {"dense.missing_bias", "shape.transposed", "forbidden.matrix_product", "student.timeout",
            "context.dense_forward", "where.row_column"} <= found
    assert len(found) > 30


@pytest.mark.parametrize("code", sorted(codes_in_the_package()))
def test_every_code_the_grader_gives_is_in_the_catalog(code):
    assert code in MESSAGES


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_blanks(code):
    texts = MESSAGES[code]
    assert set(texts) == set(LANGUAGES)
    assert all(text.strip() for text in texts.values())
    assert blanks(texts["ko"]) == blanks(texts["en"])
    assert not blanks(texts["en"]) & {"이/가"}, "particles are for Korean"


def korean_with_code_blanks(code: str) -> str:
    """The Korean text with every blank filled by code, so only the catalog's own words remain as prose."""
    numeric = {name for _, name, spec, _ in string.Formatter().parse(MESSAGES[code]["en"]) if spec}
    return render(code, {name: 0.5 if name in numeric else "`x`" for name in blanks(MESSAGES[code]["en"])}, "ko")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_korean_leaves_no_english_word_outside_code(code):
    korean = korean_with_code_blanks(code)
    assert english_leftovers(korean) == []
    assert ";" not in prose(korean), "Korean sentences end with a full stop, not a semicolon"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_korean_names_each_concept_by_the_glossary_term(code):
    korean = MESSAGES[code]["ko"]
    missing = [term.korean for term in terms_in_english(MESSAGES[code]["en"]) if term.korean not in korean]
    assert not missing, f"{code}: the English names a concept the Korean does not call {missing}"


def test_the_glossary_test_rejects_english_leftovers_and_other_terms():
    assert english_leftovers("`{name}`에서 Keras layer를 사용했습니다; bias를 더하세요") == ["layer", "bias"]
    assert english_leftovers("`layer.get_weights()`로 가중치를 읽습니다. Dense와 Sequential은 그대로") == []
    assert [t.korean for t in terms_in_english("add the bias before the activation")] == ["편향", "활성화 함수"]


def test_the_glossary_has_one_korean_term_per_concept():
    koreans = [term.korean for term in TERMS]
    assert len(koreans) == len(set(koreans))
    names = [name for term in TERMS for name in term.english]
    assert len(names) == len(set(names))
    assert {"층(layer)", "가중치(W)", "편향(B)", "형태(shape)", "학습 변수(trainable variables)"} <= {
        term.first_use for term in TERMS}


def test_no_korean_template_leaves_a_particle_slot():
    slots = re.compile(r"\((이|가|을|를|은|는|으|과|와)\)")
    assert not [code for code, texts in MESSAGES.items() if slots.search(texts["ko"])]


@pytest.mark.parametrize("word, forms, expected", [
    ("`dense_shapes`", "이/가", "가"), ("`TestModel`", "이/가", "이"), ("책", "을/를", "을"), ("사과", "을/를", "를"),
    ("(4, 10)", "이/가", "이"), ("(3,)", "이/가", "이"), ("(4, 5)", "이어야/여야", "여야"), ("2", "은/는", "는"),
    ("[10, 20]", "으로/로", "으로"), ("서울", "으로/로", "로"), ("1", "으로/로", "로"), ("시간 초과", "으로/로", "로"),
    ("W", "이/가", "가"), ("N", "은/는", "은"), ("`NoneType`", "을/를", "을"), ("`list`", "을/를", "를"),
    ("100", "이/가", "이"), ("1000", "을/를", "을"), ("2행 1열", "이고/고", "이고"), ("값", "이고/고", "이고"),
    ("sigmoid", "을/를", "를"), ("`tuple`", "을/를", "을"), ("Model", "이/가", "이"),
])
def test_particles_follow_how_the_word_before_them_is_read(word, forms, expected):
    assert particle(word, forms) == expected


def test_a_filled_in_value_gets_its_own_particle():
    assert render("student.missing", {"name": "dense_shapes"}, "ko").startswith("`dense_shapes`가 정의되어")
    assert render("student.missing", {"name": "TestModel"}, "ko").startswith("`TestModel`이 정의되어")
    texts = [render("shape.wrong", {"what": "f", "expected": shape, "got": "(1,)"}, "ko") for shape in ("(4, 5)", "(4, 3)")]
    assert "(4, 5)여야" in texts[0] and "(4, 3)이어야" in texts[1]


def test_phrases_are_rendered_in_the_language_of_the_message():
    where = phrase("where.row_column", row=2, column=1)
    what = phrase("context.dense_forward", name="dense_forward_matmul", shape=(4, 10), n_neuron=3,
                  activation="sigmoid")
    params = {"what": what, "index": where, "diff": 0.5, "count": 1, "total": 12}
    english, korean = render("value.mismatch", params, "en"), render("value.mismatch", params, "ko")
    assert "row 2, column 1" in english and "with 3 neurons" in english
    assert "2행 1열이고" in korean and "뉴런 3개" in korean and english_leftovers(korean) == []
    assert str(where) == "row 2, column 1"
    assert "code 3" in str(phrase("process.exit_code", code=3))


def test_statuses_and_titles_exist_in_korean():
    assert {status_label(status, "ko") for status in STATUSES}.isdisjoint(STATUSES)
    assert [status_label(status, "en") for status in STATUSES] == list(STATUSES)
    assert all(exercise.title_ko and exercise.section_title_ko for exercise in EXERCISES)
    for exercise in EXERCISES:
        assert exercise_title(exercise, "en") == exercise.title
        assert english_leftovers(exercise_title(exercise, "ko")) == []


def test_korean_is_chosen_by_language():
    english = render("dense.missing_bias", {"what": "dense_forward_matmul"}, "en")
    korean = render("dense.missing_bias", {"what": "dense_forward_matmul"}, "ko")
    assert english != korean and "dense_forward_matmul" in korean
    assert "편향(B)이 빠졌습니다" in korean
