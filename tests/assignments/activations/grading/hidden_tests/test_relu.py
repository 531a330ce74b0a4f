import pytest

from ..checks import check_activation


@pytest.mark.parametrize("seed, shape, scale, worth", [
    pytest.param(41, (5, 4), 1.0, 1, id="a_batch"),
    pytest.param(42, (9,), 3.0, 1, id="a_vector"),
    pytest.param(43, (2, 3, 4), 1.0, 1, id="three_axes"),
])
def test_relu_equals_tensorflow(relu, seed, shape, scale, worth):
    check_activation("relu", relu, seed, shape, scale)
