"""The hidden tests: pytest tests, one module per exercise, each calling the check library.

A test receives the function under test as a fixture named after its exercise. A test's
worth is its `worth` parameter where it is parametrized with one (each parameter set is one
test), otherwise what `@points(n)` says; it is a share, not points: the exercise's points,
defined once in `autograder/exercises.py`, are split among its tests in proportion to their
worth (with today's worths, one share is one point). The batch grader runs these same functions (see
`autograder.grade.hidden`), and `pytest autograder/hidden_tests --submission FILE` runs
them under pytest itself.
"""


def points(value: float):
    """The test's share of its exercise's points (each parameter set counts once)."""
    def mark(test):
        test.points = value
        return test
    return mark
