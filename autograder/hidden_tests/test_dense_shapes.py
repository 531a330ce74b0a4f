import pytest

from autograder.checks.shapes import check_dense_shapes
from autograder.hidden_tests import points


@points(1)
@pytest.mark.parametrize("N, n_feature, n_neuron", [(1, 10, 3), (8, 10, 3), (5, 7, 2), (2, 3, 6), (16, 4, 1)])
def test_shapes_follow_the_arguments(dense_shapes, N, n_feature, n_neuron):
    check_dense_shapes(dense_shapes, N, n_feature, n_neuron)
