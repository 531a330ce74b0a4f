"""The cases both forward-pass exercises are graded on, with their points.

Each case is (seed, N, n_feature, n_neuron, activation, points), named for what it is;
together they catch a missing bias (the bias is never near zero), a transposed W (a square
W keeps the shape), a missing or ignored activation (every activation is asked), and a lost
batch axis (N = 1).
"""

import pytest

DENSE_CASES = [
    pytest.param(11, 4, 10, 3, "sigmoid", 3, id="sigmoid"),
    pytest.param(12, 1, 10, 3, "sigmoid", 2, id="one_sample_sigmoid"),
    pytest.param(13, 6, 5, 4, "relu", 2, id="relu"),
    pytest.param(14, 3, 8, 2, "tanh", 2, id="tanh"),
    pytest.param(15, 5, 4, 6, "linear", 2, id="linear"),
    pytest.param(16, 4, 6, 6, "sigmoid", 2, id="square_weights_sigmoid"),
    pytest.param(17, 2, 3, 7, "tanh", 2, id="more_neurons_than_features_tanh"),
]
