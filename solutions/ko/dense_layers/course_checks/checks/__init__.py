"""The check library: the single definition of every check.

Each check is given the function under test (see `autograder.student.function_under_test`),
makes it answer, and compares the answer with what Keras computes on the grader's side.
A wrong answer raises `CheckFailure` with a message code; nothing here runs student code
in this process unless the caller chose a `LocalStudent`.
"""

from course_checks.checks.core import CheckFailure

__all__ = ["CheckFailure"]
