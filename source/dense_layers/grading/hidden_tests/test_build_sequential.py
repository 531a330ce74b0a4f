import pytest

from autograder.checks.cases import model_case
from autograder.checks.models import check_model


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    pytest.param(41, 4, 10, [10, 20], "sigmoid", 2, id="two_layers_sigmoid"),
    pytest.param(42, 5, 3, [3, 4, 5], "relu", 2, id="three_layers_relu"),
    pytest.param(43, 1, 9, [8], "tanh", 1, id="one_layer_one_sample_tanh"),
])
def test_sequential_follows_n_neurons(build_sequential, seed, N, n_feature, n_neurons, activation, worth):
    X, weights = model_case(seed, N, n_feature, n_neurons)
    check_model(f"build_sequential({n_neurons}, {activation!r})", build_sequential(n_neurons, activation, X, weights),
                X, weights, n_neurons, activation, "Sequential")
