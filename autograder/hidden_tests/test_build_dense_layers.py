import pytest

from autograder.checks.cases import inputs
from autograder.checks.models import check_layer_list


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    (31, 4, 10, [3, 4, 5], "sigmoid", 2),
    (32, 4, 10, [10, 20, 30], "relu", 1),
    (33, 1, 6, [7], "tanh", 1),
    (34, 3, 5, [5, 5, 5], "linear", 1),
])
def test_layers_follow_n_neurons(build_dense_layers, seed, N, n_feature, n_neurons, activation, worth):
    X = inputs(seed, N, n_feature)
    check_layer_list(build_dense_layers(n_neurons, activation, X), X, n_neurons, activation)
