"""What a broken rule costs: the static findings and the record of what ran, joined per test.

A test scores 0 for a rule when
- the record of its call shows the forbidden thing ran (a TensorFlow `Sigmoid` or `MatMul`
  operation, a Keras layer called, `np.einsum`...), whatever the source says; or
- the source definitely uses the forbidden thing (`autograder.grade.static`) and the test is
  one it can have touched: for the written-out sigmoid, the tests that ask for a sigmoid (a
  ready-made sigmoid gives a right answer in no other test, so elsewhere it already fails on
  its values); for every other rule, every test of the exercise; or
- the source makes a lookup the grader cannot work out (`getattr(tf.nn, name)`,
  `keras.activations.get(activation)`, `exec`) and the test has no intact record of what ran:
  the lookup then costs what a definite finding would.

The record comes from the student's process, so it can only add costs: a student who
silences the recorder still pays for everything the source shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_checks.exercises import NO_KERAS_LAYER, NO_MATRIX_PRODUCT, WRITTEN_OUT_SIGMOID, Exercise
from course_checks.grade.static import RULE_CODES, Finding

# TensorFlow operations that are what a rule forbids, when they run inside the student's call.
FORBIDDEN_OPS = {
    WRITTEN_OUT_SIGMOID: frozenset({"Sigmoid"}),
    NO_MATRIX_PRODUCT: frozenset({"MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Einsum",
                                  "SparseMatMul", "_FusedMatMul", "SparseTensorDenseMatMul"}),
}
# NumPy and SciPy functions the recorder watches (as `library.function`), by rule.
FORBIDDEN_CALLS = {
    WRITTEN_OUT_SIGMOID: frozenset({"scipy.special.expit"}),
    NO_MATRIX_PRODUCT: frozenset({"numpy.matmul", "numpy.einsum", "numpy.tensordot", "numpy.dot", "numpy.inner"}),
}


@dataclass(frozen=True)
class Ran:
    """What the recorder saw run during one call of the student's function."""

    ops: frozenset[str] = frozenset()
    layers: frozenset[str] = frozenset()
    calls: frozenset[str] = frozenset()
    intact: bool = False


MAX_NAMES = 64


def _names(raw) -> frozenset[str]:
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(name[:64] for name in raw[:MAX_NAMES] if isinstance(name, str))


def read_ran(reports: list) -> Ran | None:
    """One test's record from the reports of its calls (untrusted: bounded, anything malformed is not intact)."""
    if not reports:
        return None
    ops, layers, calls, intact = set(), set(), set(), True
    for raw in reports[:MAX_NAMES]:
        if not isinstance(raw, dict):
            intact = False
            continue
        ops |= _names(raw.get("ops"))
        layers |= _names(raw.get("layers"))
        calls |= _names(raw.get("calls"))
        intact = intact and raw.get("intact") is True
    return Ran(frozenset(ops), frozenset(layers), frozenset(calls), intact)


def evidence(exercise: Exercise, ran: Ran) -> list[Finding]:
    """The breaches the record shows, one per rule, naming what ran."""
    found = []
    for rule in exercise.static_rules:
        seen = [f"tf.raw_ops.{name}" for name in sorted(ran.ops & FORBIDDEN_OPS.get(rule, frozenset()))] + \
            sorted(ran.calls & FORBIDDEN_CALLS.get(rule, frozenset()))
        if rule == NO_KERAS_LAYER:
            seen += [f"keras.layers.{name}" for name in sorted(ran.layers)]
        if seen:
            found.append(Finding(rule, RULE_CODES[rule], ", ".join(seen[:3]), True))
    return found


def in_reach(finding: Finding, params: dict) -> bool:
    """Whether a test is one a finding from the source alone can have touched."""
    return finding.rule != WRITTEN_OUT_SIGMOID or params.get("activation", "sigmoid") == "sigmoid"


def breaches_of(exercise: Exercise, findings: list[Finding], params: dict, ran: Ran | None) -> list[Finding]:
    """The rules one test is zeroed for, most telling first: what the source shows, then what the record shows."""
    trusted = ran is not None and ran.intact
    costs = [finding for finding in findings if (finding.definite or not trusted) and in_reach(finding, params)]
    if ran is not None:
        costs += [finding for finding in evidence(exercise, ran) if finding.rule not in {c.rule for c in costs}]
    return costs
