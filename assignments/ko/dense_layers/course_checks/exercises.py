"""The exercise list: the one place that names each exercise, its points and its signature.

The master notebook's grade cells, the hidden tests, the static checks, the batch grader,
the reports and the tests all read this list instead of repeating it. `section` and
`section_title` name the notebook's section the exercise sits in, where feedback sends the
student (a test checks they match the notebook's headings).
"""

from __future__ import annotations

from dataclasses import dataclass

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


EXERCISES: tuple[Exercise, ...] = (
    Exercise("dense_shapes", "Shapes of a dense layer", 5, "function",
             "dense_shapes(N, n_feature, n_neuron)", "1.1", "Shapes of a dense layer"),
    Exercise("dense_forward_matmul", "Forward pass by matrix multiplication", 15, "function",
             'dense_forward_matmul(X, W, B, activation="sigmoid")', "1.2.2", "With a matrix multiplication",
             (NO_KERAS_LAYER, WRITTEN_OUT_SIGMOID), (0,)),
    Exercise("dense_forward_dot", "Forward pass by dot products in loops", 15, "function",
             'dense_forward_dot(X, W, B, activation="sigmoid")', "1.2.3", "With dot products",
             (NO_KERAS_LAYER, NO_MATRIX_PRODUCT, MUST_LOOP), (0,)),
    Exercise("cascade_shapes", "Shapes through a cascade", 5, "function",
             "cascade_shapes(N, n_feature, n_neurons)", "2.1", "Shapes through a cascade"),
    Exercise("build_dense_layers", "A Python list of dense layers", 5, "model_factory",
             'build_dense_layers(n_neurons, activation="sigmoid")', "2.2", "Dense layers in a Python list"),
    Exercise("cascade_forward", "A cascade computed by hand", 10, "function",
             'cascade_forward(X, weights, biases, activation="sigmoid")', "2.3", "The cascade computed by hand",
             (NO_KERAS_LAYER,), (0,)),
    Exercise("build_sequential", "A Sequential model", 5, "model_factory",
             'build_sequential(n_neurons, activation="sigmoid")', "3.1", "A Sequential model"),
    Exercise("TestModel", "Model subclassing", 20, "model_class",
             'class TestModel(n_neurons=(10, 20), activation="sigmoid")', "3.3", "Forward propagation of models"),
    Exercise("HybridModel", "A subclass that wraps a Sequential", 5, "model_class",
             'class HybridModel(n_neurons=(10, 20), activation="sigmoid")', "3.3", "Forward propagation of models"),
    Exercise("layer_weight_shapes", "Layers and their weights", 5, "model_function",
             "layer_weight_shapes(model)", "3.4", "The layers of a model"),
    Exercise("trainable_variable_shapes", "Trainable variables", 5, "model_function",
             "trainable_variable_shapes(model)", "3.5", "Trainable variables"),
    Exercise("architecture_concept", "What is a deep-learning architecture?", 5, "manual",
             "", "4", "Looking back"),
)

# The notebook's last cell, which runs every public test (autograder.public.check_all): a test cell.
CHECK_ALL_CELL = "check_all"

BY_ID: dict[str, Exercise] = {exercise.id: exercise for exercise in EXERCISES}
AUTOMATIC: tuple[Exercise, ...] = tuple(e for e in EXERCISES if e.automatic)
AUTOMATIC_POINTS: int = sum(e.points for e in AUTOMATIC)
ASSIGNMENT = "dense_layers"
