"""An autograded course on Dense layers in TensorFlow/Keras, and its sandboxed batch grader."""

__version__ = "0.1.0"
