"""Activation functions in NumPy: the exercise list (ids, points, signatures, the notebook's sections).

A small second assignment: the tests copy this folder into `source/` and follow the README's
"Writing another assignment" with it, to show that an assignment needs nothing outside its folder.
"""

from autograder.exercises import Exercise

EXERCISES: tuple[Exercise, ...] = (
    Exercise("sigmoid", "The sigmoid", 4, "function", "sigmoid(x)", "1", "The sigmoid",
             title_ko="시그모이드 함수", section_title_ko="시그모이드 함수"),
    Exercise("relu", "ReLU", 3, "function", "relu(x)", "2", "ReLU",
             title_ko="ReLU 함수", section_title_ko="ReLU 함수"),
    Exercise("softmax", "Softmax", 5, "function", "softmax(x)", "3", "Softmax",
             title_ko="소프트맥스 함수", section_title_ko="소프트맥스 함수"),
)
