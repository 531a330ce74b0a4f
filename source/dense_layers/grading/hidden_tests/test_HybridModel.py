import pytest

from autograder.checks.cases import model_case
from autograder.checks.models import check_holds_sequential, check_model


@pytest.mark.parametrize("seed, N, n_feature, n_neurons, activation, worth", [
    pytest.param(61, 4, 10, None, None, 2, id="default_arguments"),
    pytest.param(62, 3, 6, [3, 4, 5], "relu", 3, id="three_layers_relu"),
])
def test_model_calls_its_sequential(HybridModel, seed, N, n_feature, n_neurons, activation, worth):
    X, weights = model_case(seed, N, n_feature, n_neurons or [10, 20])
    what = "HybridModel()" if n_neurons is None else f"HybridModel(n_neurons={n_neurons}, activation={activation!r})"
    report = HybridModel(X, weights, n_neurons, activation)
    check_model(what, report, X, weights, n_neurons or [10, 20], activation or "sigmoid", "Model")
    check_holds_sequential(what, report)
