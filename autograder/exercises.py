"""What an exercise is, for every assignment: the `Exercise` record and the names of the static rules.

Each assignment lists its own exercises, once, in `source/<assignment>/grading/__init__.py`
(see `autograder.assignments`); the master notebook's grade cells, the hidden tests, the
static checks, the batch grader, the reports and the tests read that list instead of
repeating it. `section` and `section_title` name the notebook's section the exercise sits in,
where feedback sends the student (a test checks they match the notebook's headings).
"""

from __future__ import annotations

from dataclasses import dataclass

# The activations the check library knows (autograder.checks): Keras' names.
ACTIVATIONS = ("sigmoid", "relu", "tanh", "linear")

# Static rules a function's source is held to (see autograder.grade.static).
NO_KERAS_LAYER = "no_keras_layer"
NO_MATRIX_PRODUCT = "no_matrix_product"
MUST_LOOP = "must_loop"
WRITTEN_OUT_SIGMOID = "written_out_sigmoid"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course.

    `kind` says how the student's answer is reached: "function" (called with data),
    "model_factory" (a function that returns layers or a model), "model_class"
    (a `tf.keras.Model` subclass), "model_function" (a function given a built model),
    or "manual" (a written answer graded by a person).
    """

    id: str
    title: str
    points: int
    kind: str
    signature: str
    section: str
    section_title: str
    static_rules: tuple[str, ...] = ()
    tensor_args: tuple[int, ...] = ()
    # The title and the section's heading in Korean (the course's second language), as the Korean notebook says.
    title_ko: str = ""
    section_title_ko: str = ""

    @property
    def automatic(self) -> bool:
        return self.kind != "manual"

    @property
    def solution_cell(self) -> str:
        """The grade_id of the master notebook's cell where the student answers."""
        return f"{self.id}_solution" if self.automatic else self.id

    @property
    def name(self) -> str:
        """The Python name the student defines."""
        return self.signature.split("(", 1)[0].removeprefix("class ").strip()


# The notebook's last cell, which runs every public test (autograder.public.check_all): a test cell.
CHECK_ALL_CELL = "check_all"

