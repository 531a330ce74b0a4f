"""The hidden tests of activation functions: one pytest module per exercise (see `autograder.grade.hidden`)."""
