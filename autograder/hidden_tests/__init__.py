"""The hidden tests: pytest tests, one module per exercise, each calling the check library.

A test receives the function under test as a fixture named after its exercise. What a
test is worth is its `worth` parameter where it is parametrized with one (each parameter
set is one test), otherwise what `@points(n)` says. The batch grader runs these same functions (see
`autograder.grade.hidden`), and `pytest autograder/hidden_tests --submission FILE` runs
them under pytest itself.
"""


def points(value: float):
    """How much one run of the test is worth (each parameter set counts once)."""
    def mark(test):
        test.points = value
        return test
    return mark
