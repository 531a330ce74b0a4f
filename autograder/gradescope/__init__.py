"""Gradescope: `build` makes the autograder zip, `run` grades one submission inside Gradescope's container."""
