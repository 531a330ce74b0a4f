import pytest

from autograder.checks.shapes import check_cascade_shapes
from autograder.hidden_tests import points


@points(1)
@pytest.mark.parametrize("N, n_feature, n_neurons", [
    (4, 10, [3, 5]), (1, 10, [3, 4, 5]), (7, 2, [8]), (3, 6, [2, 2, 9, 1]), (5, 12, [10, 20, 30])])
def test_shapes_through_the_cascade(cascade_shapes, N, n_feature, n_neurons):
    check_cascade_shapes(cascade_shapes, N, n_feature, n_neurons)
