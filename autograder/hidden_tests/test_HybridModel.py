import pytest

from autograder.checks.cases import inputs
from autograder.checks.models import check_holds_sequential, check_model


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    (61, 4, 10, None, None, 2),
    (62, 3, 6, [3, 4, 5], "relu", 3),
])
def test_model_calls_its_sequential(HybridModel, seed, N, n_feature, n_neurons, activation, worth):
    X = inputs(seed, N, n_feature)
    what = "HybridModel()" if n_neurons is None else f"HybridModel(n_neurons={n_neurons}, activation={activation!r})"
    report = HybridModel(X, n_neurons, activation)
    check_holds_sequential(what, report)
    check_model(what, report, X, n_neurons or [10, 20], activation or "sigmoid", "Model")
