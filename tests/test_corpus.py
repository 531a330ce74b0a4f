"""The corpus of student submissions: every expected score, every diagnosis, and a corpus that cannot go stale.

The whole corpus is graded in one batch (short timeout, so the sleeping and hanging cells
cost little). Expected scores were worked out from the hidden tests' points, not copied from
a run; `tests/submissions/manifest.json` says beside each student what they did.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "submissions"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
MISTAKES = sorted(name for name, entry in MANIFEST.items() if entry["kind"] == "mistake")


def _listed(codes: str | list[str]) -> list[str]:
    """An exercise's expected codes: one, or several when a submission makes several mistakes in it."""
    return codes if isinstance(codes, list) else [codes]


DIAGNOSED = sorted((name, exercise, code) for name, entry in MANIFEST.items()
                   for exercise, codes in entry.get("codes", {}).items() for code in _listed(codes))
# Codes that say something is wrong without saying which mistake it is.
GENERIC = {"value.mismatch", "shape.wrong", "shapes.wrong", "student.error"}


@pytest.fixture(scope="module")
def graded(corpus_graded) -> dict[str, dict]:
    """Each student's result, as the batch wrote it (conftest.py grades the corpus once for the suite)."""
    results = [json.loads(path.read_text()) for path in corpus_graded.glob("*.json")]
    return {result["student"]: result for result in results}


def codes_of(result: dict, exercise: str) -> set[str]:
    return {test["code"] for test in result["tests"] if test["exercise"] == exercise and test.get("code")}


def test_the_corpus_is_what_the_generator_makes_now(tmp_path):
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(CORPUS))
    make_corpus.main(tmp_path)
    committed = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()
                       and p.suffix in (".ipynb", ".py", ".json") and p.name != "make_corpus.py"
                       and "__pycache__" not in p.parts)
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert committed == generated
    for name in generated:
        assert (CORPUS / name).read_bytes() == (tmp_path / name).read_bytes(), f"{name} is stale: run make_corpus.py"


def test_the_corpus_covers_every_kind():
    kinds = Counter(entry["kind"] for entry in MANIFEST.values())
    assert sum(kinds.values()) >= 62
    assert set(kinds) == {"correct", "mistake", "accident", "hostile"} and min(kinds.values()) >= 8, kinds


def test_the_batch_finished_with_a_result_for_every_file(graded):
    files = sorted(p.stem for p in (CORPUS / "notebooks").iterdir())
    assert sorted(graded) == files == sorted(MANIFEST)


@pytest.mark.parametrize("student", sorted(MANIFEST))
def test_every_exercise_gets_its_expected_score(graded, student):
    result = graded[student]
    got = {exercise: data["score"] for exercise, data in result["exercises"].items()}
    assert got == MANIFEST[student]["expected"], MANIFEST[student]["mistake"]
    assert result["score"] == sum(MANIFEST[student]["expected"].values())


@pytest.mark.parametrize("student, exercise, code", DIAGNOSED)
def test_the_diagnosis_names_the_mistake(graded, student, exercise, code):
    result = graded[student]
    assert code in codes_of(result, exercise), (MANIFEST[student]["mistake"], result["exercises"][exercise]["messages"])
    assert all(message.strip() for message in result["exercises"][exercise]["messages"])


def test_at_least_nine_in_ten_mistakes_are_named(graded):
    named = [name for name in MISTAKES
             if any(code not in GENERIC and code in codes_of(graded[name], exercise)
                    for exercise, codes in MANIFEST[name]["codes"].items() for code in _listed(codes))]
    rate = len(named) / len(MISTAKES)
    print(f"diagnosis rate: {len(named)}/{len(MISTAKES)} = {rate:.0%}")
    assert rate >= 0.9, sorted(set(MISTAKES) - set(named))



@pytest.mark.parametrize("student", sorted(MANIFEST))
def test_needs_review_exactly_where_the_manifest_says(graded, student):
    """Forgers and harness-probers are flagged, with their lines; honest work never is."""
    flags = graded[student]["review"]
    assert sorted({flag["reason"] for flag in flags}) == MANIFEST[student]["review"], flags
    assert all(flag.get("text") or flag.get("exercise") for flag in flags)


def grader_values(sha256: str) -> list[float]:
    """The numbers the grader sent to this submission's dense and cascade functions."""
    from autograder.checks.cases import cascade_case, dense_case, submission_inputs
    from autograder.grade.secret import submission_key
    from grading import DENSE

    DENSE_CASES = DENSE.module("hidden_tests.dense_cases").DENSE_CASES
    test_cascade_equals_keras = DENSE.module("hidden_tests.test_cascade_forward").test_cascade_equals_keras

    values = []
    with submission_inputs(submission_key(sha256)):
        for case in DENSE_CASES:
            seed, N, n_feature, n_neuron = case.values[:4]
            dense = dense_case(seed, N, n_feature, n_neuron)
            values += [*dense.X.ravel(), *dense.W.ravel(), *dense.B.ravel()]
        for case in test_cascade_equals_keras.pytestmark[0].args[1]:
            X, weights, biases = cascade_case(*case.values[:4])
            values += [*X.ravel(), *(v for array in weights + biases for v in array.ravel())]
    return [float(value) for value in values]


def test_the_exfiltration_feedback_shows_no_grader_input(graded, tmp_path):
    from autograder.report.classroom import write_reports
    from grading import DENSE

    result = graded["exfiltration"]
    write_reports(tmp_path, [result], DENSE)
    pages = [json.dumps(result, ensure_ascii=False)] + [
        (tmp_path / "report" / "students" / f"exfiltration.{suffix}").read_text() for suffix in ("html", "md")]
    values = grader_values(result["sha256"])
    assert len(values) > 300
    for page in pages:
        leaked = [value for value in values if f"{value:.6f}"[:7] in page or repr(value)[:8] in page]
        assert leaked == [], leaked[:5]
    messages = " ".join(result["exercises"]["dense_forward_matmul"]["messages"])
    assert "X=" in messages and "…" in messages
