"""The course's Korean vocabulary: one Korean term per concept, for the notebook and the messages alike.

Korean deep-learning writing mixes English and Korean freely; a course should not. Each concept
has one Korean term here. Where students will meet the concept by its name in Keras' API (`Dense`'s
`units`, `get_weights()`'s W and B, `trainable_variables`), the Korean notebook gives that name in
parentheses the first time the term appears, e.g. 층(layer), so that the term and the API connect.
Tests hold the Korean message catalog and the Korean notebook to these terms, and to no English
word of FORBIDDEN_ENGLISH outside code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A concept: how the English text names it, its Korean term, and the name shown beside it once."""

    english: tuple[str, ...]
    korean: str
    shown: str = ""

    @property
    def first_use(self) -> str:
        """The term as written the first time: 층(layer), or just the term."""
        return f"{self.korean}({self.shown})" if self.shown else self.korean


TERMS: tuple[Term, ...] = (
    Term(("layer", "layers"), "층", "layer"),
    Term(("dense layer", "dense layers"), "Dense 층", "dense layer"),
    Term(("neuron", "neurons"), "뉴런", "neuron"),
    Term(("units",), "뉴런 수", "units"),
    Term(("weight", "weights", "weight matrix"), "가중치", "W"),
    Term(("bias", "biases"), "편향", "B"),
    Term(("activation", "activation function", "activations"), "활성화 함수", "activation"),
    Term(("pre-activation",), "활성화 전의 값", "z"),
    Term(("input", "inputs"), "입력", "input"),
    Term(("output", "outputs"), "출력", "output"),
    Term(("shape", "shapes"), "형태", "shape"),
    Term(("sample", "samples"), "샘플"),
    Term(("feature", "features"), "특성", "feature"),
    Term(("minibatch", "batch"), "미니배치", "minibatch"),
    Term(("batch axis",), "배치 축"),
    Term(("axis", "axes"), "축"),
    Term(("row", "rows"), "행"),
    Term(("column", "columns"), "열"),
    Term(("matrix product", "matrix multiplication"), "행렬 곱"),
    Term(("dot product", "dot products"), "내적"),
    Term(("transposed", "transpose"), "전치"),
    Term(("broadcasting",), "브로드캐스팅"),
    Term(("cascade",), "캐스케이드", "cascade"),
    Term(("forward propagation", "forward pass"), "순전파", "forward propagation"),
    Term(("correlation filter",), "상관 필터", "correlation filter"),
    Term(("filter bank",), "필터 뱅크", "filter bank"),
    Term(("deep-learning architecture",), "딥러닝 아키텍처"),
    Term(("trainable variable", "trainable variables"), "학습 변수", "trainable variables"),
    Term(("model subclassing",), "모델 서브클래싱", "model subclassing"),
    Term(("tensor", "tensors"), "텐서"),
    Term(("array", "arrays"), "배열"),
    Term(("list", "lists"), "리스트"),
    Term(("dict", "dicts"), "딕셔너리"),
    Term(("key", "keys"), "키"),
    Term(("loop", "loops"), "반복문"),
    Term(("exercise",), "문제"),
    Term(("public test", "public tests"), "공개 테스트"),
    Term(("test cell", "test cells"), "테스트 셀"),
    Term(("checking code",), "검사 코드"),
    Term(("hidden test", "hidden tests"), "숨은 테스트"),
)

# English words a Korean text must not leave untranslated outside code: the concepts above and the
# words of the grader's own pages. Proper names (Keras, TensorFlow, NumPy, Dense, Sequential, Model)
# and code are not words of English prose.
FORBIDDEN_ENGLISH: frozenset[str] = frozenset({
    "layer", "layers", "neuron", "neurons", "unit", "units", "weight", "weights", "bias", "biases",
    "activation", "input", "inputs", "output", "outputs", "shape", "shapes", "sample", "samples", "feature",
    "features", "batch", "minibatch", "axis", "row", "column", "matrix", "product", "dot", "transposed",
    "cascade", "trainable", "variable", "variables", "tensor", "array", "list", "dict", "key", "keys", "entry",
    "loop", "exercise", "score", "status", "student", "students", "feedback", "passed", "failed", "error",
    "forbidden", "missing", "timeout", "crashed", "total", "mistake", "mistakes", "report", "message",
    "submission", "submissions", "the", "of", "and", "is", "not", "your", "with", "got", "expected",
})

CODE_SPAN = re.compile(r"`[^`]*`|```.*?```|\$[^$]*\$", re.S)
# n_feature and dense.missing_bias are identifiers, not the words "feature" and "missing".
WORD = re.compile(r"[A-Za-z_](?:[A-Za-z0-9_-]|\.(?=[A-Za-z_]))*")


BLANK = re.compile(r"\{[^{}]*\}")


def prose(text: str) -> str:
    """text without its code (`inline code`, fenced blocks, $formulas$) and without the API names the
    glossary shows beside a term: 층(layer) is the term, not an English leftover."""
    text = CODE_SPAN.sub(" ", text)
    for term in TERMS:
        if term.shown:
            text = text.replace(f"({term.shown})", "")
    return text


def english_leftovers(text: str) -> list[str]:
    """The forbidden English words of text's prose, in order."""
    return [word for word in WORD.findall(prose(text)) if word.lower() in FORBIDDEN_ENGLISH]


def terms_in_english(text: str) -> list[Term]:
    """The concepts an English text or template names outside code and blanks; a longer name is taken
    first, so "dense layer" is that concept and not also "layer"."""
    plain = BLANK.sub(" ", prose(text)).lower()
    names = sorted(((name, term) for term in TERMS for name in term.english), key=lambda item: -len(item[0]))
    found: list[Term] = []
    for name, term in names:
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
        if pattern.search(plain):
            plain = pattern.sub(" ", plain)
            if term not in found:
                found.append(term)
    return sorted(found, key=TERMS.index)
