import pytest

from ..checks import check_activation


@pytest.mark.parametrize("seed, shape, scale, worth", [
    pytest.param(31, (6, 4), 1.0, 1, id="a_batch"),
    pytest.param(32, (7,), 1.0, 1, id="a_vector"),
    pytest.param(33, (3, 5), 8.0, 1, id="large_inputs"),
    pytest.param(34, (1, 1), 3.0, 1, id="one_value"),
])
def test_sigmoid_equals_tensorflow(sigmoid, seed, shape, scale, worth):
    check_activation("sigmoid", sigmoid, seed, shape, scale)
