import pytest

from autograder.checks.shapes import check_dense_shapes
from autograder.grade.hidden import points


@points(1)
@pytest.mark.parametrize("N, n_feature, n_neuron", [
    pytest.param(1, 10, 3, id="one_sample"),
    pytest.param(8, 10, 3, id="a_batch"),
    pytest.param(5, 7, 2, id="other_sizes"),
    pytest.param(2, 3, 6, id="more_neurons_than_features"),
    pytest.param(16, 4, 1, id="one_neuron"),
])
def test_shapes_follow_the_arguments(dense_shapes, N, n_feature, n_neuron):
    check_dense_shapes(dense_shapes, N, n_feature, n_neuron)
