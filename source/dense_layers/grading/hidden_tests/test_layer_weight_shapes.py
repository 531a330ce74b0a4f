import pytest

from autograder.checks.cases import model_case
from autograder.checks.shapes import check_layer_weight_shapes


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, worth", [
    pytest.param(71, 4, 10, [10, 20], 2, id="two_layers"),
    pytest.param(72, 2, 5, [3, 4, 5], 2, id="three_layers"),
    pytest.param(73, 1, 3, [1], 1, id="one_neuron"),
])
def test_weight_shapes_of_each_layer(layer_weight_shapes, seed, N, n_feature, n_neurons, worth):
    check_layer_weight_shapes(layer_weight_shapes, n_feature, n_neurons, *model_case(seed, N, n_feature, n_neurons))
