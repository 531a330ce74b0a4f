"""Known mistakes, computed on the grader's side from the same inputs as the right answer.

When an answer is wrong, `core.compare_values` tries these in order and names the first
that matches, so the student reads "the activation is missing" instead of a number.
"""

from __future__ import annotations

import re

import numpy as np

from course_checks.checks.core import Mistake
from course_checks.checks.reference import ACTIVATIONS_NUMPY, activate
from course_checks.exercises import ACTIVATIONS


def dense_mistakes(X: np.ndarray, W: np.ndarray, B: np.ndarray, activation: str) -> list[Mistake]:
    X, W, B = (np.asarray(a, dtype=np.float64) for a in (X, W, B))
    found: list[Mistake] = [
        ("dense.missing_bias", {}, lambda: activate(X @ W, activation)),
        ("dense.missing_activation", {}, lambda: X @ W + B),
        ("dense.bias_after_activation", {}, lambda: activate(X @ W, activation) + B),
        ("dense.whole_batch_sum", {},
         lambda: np.broadcast_to(activate(X.sum(axis=0) @ W + B, activation), (X.shape[0], W.shape[1]))),
    ]
    if activation == "sigmoid":
        found.append(("dense.sigmoid_sign", {}, lambda: _sigmoid_of_minus(X @ W + B)))
    found += [("dense.wrong_activation", {"used": other, "asked": activation},
               lambda other=other: activate(X @ W + B, other))
              for other in ACTIVATIONS if other != activation]
    if W.shape[0] == W.shape[1]:
        found.append(("dense.transposed_weights", {}, lambda: activate(X @ W.T + B, activation)))
    return found


def _sigmoid_of_minus(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(z)): the sigmoid written without the minus sign."""
    return 1.0 / (1.0 + np.exp(z))


def _cascade(X, weights, biases, layer_activation, final=lambda z: z, skip=None):
    output = np.asarray(X, dtype=np.float64)
    for index, (W, B) in enumerate(zip(weights, biases)):
        if index != skip:
            output = layer_activation(output @ np.asarray(W, np.float64) + np.asarray(B, np.float64))
    return final(output)


def cascade_mistakes(X: np.ndarray, weights: list, biases: list, activation: str) -> list[Mistake]:
    act = ACTIVATIONS_NUMPY[activation]
    identity = ACTIVATIONS_NUMPY["linear"]
    zeros = [np.zeros_like(np.asarray(B, np.float64)) for B in biases]
    found: list[Mistake] = [
        ("cascade.activation_last_only", {}, lambda: _cascade(X, weights, biases, identity, final=act)),
        ("dense.missing_activation", {}, lambda: _cascade(X, weights, biases, identity)),
        ("dense.missing_bias", {}, lambda: _cascade(X, weights, zeros, act)),
        ("dense.bias_after_activation", {}, lambda: _bias_after(X, weights, biases, act)),
        ("cascade.first_layer_only", {}, lambda: _cascade(X, weights[:1], biases[:1], act)),
    ]
    if activation == "sigmoid":
        found.append(("dense.sigmoid_sign", {}, lambda: _cascade(X, weights, biases, _sigmoid_of_minus)))
    found += [("dense.wrong_activation", {"used": other, "asked": activation},
               lambda other=other: _cascade(X, weights, biases, ACTIVATIONS_NUMPY[other]))
              for other in ACTIVATIONS if other != activation]
    found += [("cascade.skips_layer", {"layer": index + 1},
               lambda index=index: _cascade(X, weights, biases, act, skip=index))
              for index in range(len(weights))]
    return found


def model_mistakes(X: np.ndarray, weights: list, biases: list, activation: str) -> list[Mistake]:
    """A cascade's mistakes, and a model's own: layers created in one order, called in another."""
    act = ACTIVATIONS_NUMPY[activation]
    return [*cascade_mistakes(X, weights, biases, activation),
            ("model.wrong_order", {}, lambda: _cascade(X, weights[::-1], biases[::-1], act))]


def _bias_after(X, weights, biases, act):
    output = np.asarray(X, dtype=np.float64)
    for W, B in zip(weights, biases):
        output = act(output @ np.asarray(W, np.float64)) + np.asarray(B, np.float64)
    return output


SHAPE_ERRORS = ("Matrix size-incompatible", "Incompatible shapes", "could not be broadcast", "Dimensions must be equal",
                "matmul: Input operand")
ERROR_MISTAKES: dict[str, tuple[tuple[str, ...], str]] = {
    "dense_forward_matmul": (SHAPE_ERRORS, "dense.incompatible_shapes"),
    "dense_forward_dot": (SHAPE_ERRORS, "dense.incompatible_shapes"),
    "cascade_forward": (SHAPE_ERRORS, "cascade.incompatible_shapes"),
    "layer_weight_shapes": (("(expected 2, got 0)",), "layers.not_built"),
}


def error_mistake(exercise_id: str, error: str) -> str | None:
    """The known mistake an error raised by the student's code shows, or None.

    Some mistakes never produce a wrong value: X and W swapped, or each layer fed the
    original X, make the product itself fail; get_weights() on a layer that was never
    called returns an empty list, which cannot be unpacked into W and B.
    """
    signs, code = ERROR_MISTAKES.get(exercise_id, ((), ""))
    return code if any(sign in error for sign in signs) else None


TENSORFLOW_NOISE = re.compile(r"\{\{function_node [^}]*\}\}\s*|\s*\[Op:\w+\](?: name: [^\s(]*)?")


def plain_error(error):
    """An error as a student can read it: TensorFlow's internal op names and device paths left out
    (an error the grader words itself, a Phrase, is left as it is)."""
    return TENSORFLOW_NOISE.sub("", error) if isinstance(error, str) else error
