import pytest

from autograder.checks.cases import model_case
from autograder.checks.models import check_layer_list


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    pytest.param(31, 4, 10, [3, 4, 5], "sigmoid", 2, id="three_layers_sigmoid"),
    pytest.param(32, 4, 10, [10, 20, 30], "relu", 1, id="wide_layers_relu"),
    pytest.param(33, 1, 6, [7], "tanh", 1, id="one_layer_one_sample_tanh"),
    pytest.param(34, 3, 5, [5, 5, 5], "linear", 1, id="equal_widths_linear"),
])
def test_layers_follow_n_neurons(build_dense_layers, seed, N, n_feature, n_neurons, activation, worth):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    check_layer_list(build_dense_layers(n_neurons, activation, X, weights), X, weights, n_neurons, activation)
