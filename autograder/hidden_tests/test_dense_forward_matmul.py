import pytest

from autograder.checks.cases import dense_case
from autograder.checks.dense import check_dense_forward
from autograder.hidden_tests import points
from autograder.hidden_tests.dense_cases import DENSE_CASES


@pytest.mark.parametrize("seed, N, n_feature, n_neuron, activation, worth", DENSE_CASES)
def test_output_equals_keras(dense_forward_matmul, seed, N, n_feature, n_neuron, activation, worth):
    check_dense_forward(dense_forward_matmul, dense_case(seed, N, n_feature, n_neuron), activation,
                        what=f"dense_forward_matmul on X of shape ({N}, {n_feature}) with {n_neuron} neurons, {activation}")
