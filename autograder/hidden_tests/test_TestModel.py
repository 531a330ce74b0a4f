import pytest

from autograder.checks.cases import inputs
from autograder.checks.models import check_model, check_trainable_variables
from autograder.hidden_tests import points


@points(4)
def test_default_model_is_ten_then_twenty_sigmoid(TestModel):
    X = inputs(51, 4, 10)
    check_model("TestModel()", TestModel(X), X, [10, 20], "sigmoid", "Model")


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    (52, 4, 10, [3, 4, 5], "sigmoid", 4),
    (53, 3, 7, [6, 2], "relu", 3),
    (54, 1, 5, [5, 5, 5], "tanh", 3),
    (55, 6, 4, [7, 3], "linear", 3),
])
def test_model_follows_its_arguments(TestModel, seed, N, n_feature, n_neurons, activation, worth):
    X = inputs(seed, N, n_feature)
    check_model(f"TestModel(n_neurons={n_neurons}, activation={activation!r})",
                TestModel(X, n_neurons, activation), X, n_neurons, activation, "Model")


@points(3)
def test_two_trainable_variables_per_layer(TestModel):
    X = inputs(52, 4, 10)
    check_trainable_variables("TestModel(n_neurons=[3, 4, 5])", TestModel(X, [3, 4, 5], "sigmoid"), [3, 4, 5])
