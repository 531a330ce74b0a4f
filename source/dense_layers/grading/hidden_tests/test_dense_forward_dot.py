import pytest

from autograder.checks.cases import dense_case
from autograder.checks.dense import check_dense_forward
from .dense_cases import DENSE_CASES
from autograder.messages import phrase


@pytest.mark.parametrize("seed, N, n_feature, n_neuron, activation, worth", DENSE_CASES)
def test_output_equals_keras(dense_forward_dot, seed, N, n_feature, n_neuron, activation, worth):
    check_dense_forward(dense_forward_dot, dense_case(seed, N, n_feature, n_neuron), activation,
                        what=phrase("context.dense_forward", name="dense_forward_dot", shape=(N, n_feature), n_neuron=n_neuron,
                                    activation=activation))
