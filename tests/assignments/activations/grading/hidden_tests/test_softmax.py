import pytest

from autograder.grade.hidden import points

from ..checks import check_activation


@pytest.mark.parametrize("seed, shape, scale, worth", [
    pytest.param(51, (4, 6), 1.0, 1, id="a_batch"),
    pytest.param(52, (8,), 1.0, 1, id="a_vector"),
    pytest.param(53, (1, 5), 2.0, 1, id="one_row"),
])
def test_softmax_equals_tensorflow(softmax, seed, shape, scale, worth):
    check_activation("softmax", softmax, seed, shape, scale)


@points(2)
def test_softmax_of_large_inputs_does_not_overflow(softmax):
    check_activation("softmax", softmax, 54, (3, 4), 1000.0)
