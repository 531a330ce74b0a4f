"""The message catalog: every code the grader can give exists in English and Korean, with the same blanks."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from autograder.messages import LANGUAGES, MESSAGES, render

PACKAGE = Path(__file__).resolve().parents[1] / "autograder"
PREFIXES = {code.split(".", 1)[0] for code in MESSAGES}
STUDENT_STATUSES = ("missing", "error", "crashed", "timeout")


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def codes_in_the_package() -> set[str]:
    """String constants shaped like a message code (`dense.missing_bias`) anywhere in the package."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
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
    assert {"dense.missing_bias", "shape.transposed", "forbidden.matrix_product", "student.timeout"} <= found
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


def test_korean_is_chosen_by_language():
    english = render("dense.missing_bias", {"what": "dense_forward_matmul"}, "en")
    korean = render("dense.missing_bias", {"what": "dense_forward_matmul"}, "ko")
    assert english != korean and "dense_forward_matmul" in korean
    assert any("\uac00" <= char <= "\ud7a3" for char in korean)
