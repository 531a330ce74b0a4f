"""The cases both forward-pass exercises are graded on, with their points.

Each case is (seed, N, n_feature, n_neuron, activation, points); together they catch a
missing bias (the bias is never near zero), a transposed W (a square W keeps the shape),
a missing or ignored activation (every activation is asked), and a lost batch axis (N = 1).
"""

DENSE_CASES = [
    (11, 4, 10, 3, "sigmoid", 3),
    (12, 1, 10, 3, "sigmoid", 2),
    (13, 6, 5, 4, "relu", 2),
    (14, 3, 8, 2, "tanh", 2),
    (15, 5, 4, 6, "linear", 2),
    (16, 4, 6, 6, "sigmoid", 2),
    (17, 2, 3, 7, "tanh", 2),
]
