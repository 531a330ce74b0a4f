import pytest

from autograder.checks.cases import model_case
from autograder.checks.shapes import check_trainable_variable_shapes


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, worth", [
    pytest.param(81, 4, 10, [10, 20], 2, id="two_layers"),
    pytest.param(82, 2, 5, [3, 4, 5], 2, id="three_layers"),
    pytest.param(83, 1, 3, [1], 1, id="one_neuron"),
])
def test_shapes_of_trainable_variables(trainable_variable_shapes, seed, N, n_feature, n_neurons, worth):
    check_trainable_variable_shapes(trainable_variable_shapes, n_feature, n_neurons,
                                    *model_case(seed, N, n_feature, n_neurons))
