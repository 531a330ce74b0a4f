import pytest

from autograder.checks.cases import inputs
from autograder.checks.models import check_model


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    (41, 4, 10, [10, 20], "sigmoid", 2),
    (42, 5, 3, [3, 4, 5], "relu", 2),
    (43, 1, 9, [8], "tanh", 1),
])
def test_sequential_follows_n_neurons(build_sequential, seed, N, n_feature, n_neurons, activation, worth):
    X = inputs(seed, N, n_feature)
    check_model(f"build_sequential({n_neurons}, {activation!r})", build_sequential(n_neurons, activation, X),
                X, n_neurons, activation, "Sequential")
