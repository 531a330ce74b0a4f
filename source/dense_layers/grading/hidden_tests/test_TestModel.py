import pytest

from autograder.checks.cases import model_case
from autograder.checks.models import check_model, check_trainable_variables
from autograder.grade.hidden import points


@points(4)
def test_default_model_is_ten_then_twenty_sigmoid(TestModel):
    X, weights = model_case(51, 4, 10, [10, 20])
    check_model("TestModel()", TestModel(X, weights), X, weights, [10, 20], "sigmoid", "Model")


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    pytest.param(52, 4, 10, [3, 4, 5], "sigmoid", 4, id="three_layers_sigmoid"),
    pytest.param(53, 3, 7, [6, 2], "relu", 3, id="two_layers_relu"),
    pytest.param(54, 1, 5, [5, 5, 5], "tanh", 3, id="equal_widths_one_sample_tanh"),
    pytest.param(55, 6, 4, [7, 3], "linear", 3, id="two_layers_linear"),
])
def test_model_follows_its_arguments(TestModel, seed, N, n_feature, n_neurons, activation, worth):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    check_model(f"TestModel(n_neurons={n_neurons}, activation={activation!r})",
                TestModel(X, weights, n_neurons, activation), X, weights, n_neurons, activation, "Model")


@points(3)
def test_two_trainable_variables_per_layer(TestModel):
    X, weights = model_case(52, 4, 10, [3, 4, 5])
    what = "TestModel(n_neurons=[3, 4, 5])"
    report = TestModel(X, weights, [3, 4, 5], "sigmoid")
    check_model(what, report, X, weights, [3, 4, 5], "sigmoid", "Model")
    check_trainable_variables(what, report, [3, 4, 5])
