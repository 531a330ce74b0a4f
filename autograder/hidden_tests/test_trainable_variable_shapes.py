import pytest

from autograder.checks.cases import inputs
from autograder.checks.shapes import check_trainable_variable_shapes


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, worth", [
    (81, 4, 10, [10, 20], 2), (82, 2, 5, [3, 4, 5], 2), (83, 1, 3, [1], 1)])
def test_shapes_of_trainable_variables(trainable_variable_shapes, seed, N, n_feature, n_neurons, worth):
    check_trainable_variable_shapes(trainable_variable_shapes, n_feature, n_neurons, inputs(seed, N, n_feature))
