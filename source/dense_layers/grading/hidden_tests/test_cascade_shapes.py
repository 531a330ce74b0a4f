import pytest

from autograder.checks.shapes import check_cascade_shapes
from autograder.grade.hidden import points


@points(1)
@pytest.mark.parametrize("N, n_feature, n_neurons", [
    pytest.param(4, 10, [3, 5], id="two_layers"),
    pytest.param(1, 10, [3, 4, 5], id="one_sample"),
    pytest.param(7, 2, [8], id="one_layer"),
    pytest.param(3, 6, [2, 2, 9, 1], id="four_layers"),
    pytest.param(5, 12, [10, 20, 30], id="wide_layers"),
])
def test_shapes_through_the_cascade(cascade_shapes, N, n_feature, n_neurons):
    check_cascade_shapes(cascade_shapes, N, n_feature, n_neurons)
