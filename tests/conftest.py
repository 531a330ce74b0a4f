"""pytest's settings for the suite."""

# The second assignment's hidden tests (tests/assignments/*/grading/hidden_tests) are the grader's to run
# (test_assignments.py runs them under pytest in a process of their own), never the suite's: collected
# here, their package `grading` would take the place of the suite's helper module tests/grading.py.
collect_ignore = ["assignments"]
