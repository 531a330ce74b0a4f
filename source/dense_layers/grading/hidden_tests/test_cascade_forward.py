import pytest

from autograder.checks.cases import cascade_case
from autograder.checks.dense import check_cascade_forward
from autograder.messages import phrase


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    pytest.param(21, 4, 10, [3, 4, 5], "sigmoid", 3, id="three_layers_sigmoid"),
    pytest.param(22, 3, 6, [4], "sigmoid", 2, id="one_layer_sigmoid"),
    pytest.param(23, 5, 7, [6, 5, 4, 3], "relu", 2, id="four_layers_relu"),
    pytest.param(24, 1, 8, [5, 2], "tanh", 1, id="one_sample_tanh"),
    pytest.param(25, 2, 4, [6, 6], "linear", 2, id="two_layers_linear"),
])
def test_cascade_equals_keras(cascade_forward, seed, N, n_feature, n_neurons, activation, worth):
    X, weights, biases = cascade_case(seed, N, n_feature, n_neurons)
    check_cascade_forward(cascade_forward, X, weights, biases, activation,
                          what=phrase("context.cascade_forward", name="cascade_forward", n_neurons=n_neurons,
                                      activation=activation))
