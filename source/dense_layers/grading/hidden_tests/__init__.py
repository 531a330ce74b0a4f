"""The hidden tests of Dense layers: pytest modules, one per exercise, each calling the check library.

How they are collected, and what a test's worth means, is said once in `autograder.grade.hidden`
(with today's worths, one share is one point).
"""
