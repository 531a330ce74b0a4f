"""Keras' symbolic build, without drawing random numbers nobody reads.

When a subclassed model is first called, Keras runs its `call` once symbolically to create its
layers' variables, and a variable not yet initialised then reads as a placeholder that Keras
makes by calling the variable's initialiser in the scratch graph (the random operations of
Glorot's initialiser, built as graph operations: the costliest part of that build). Only the
placeholder's shape and dtype are ever used, as Keras says where it makes one. The warm worker
installs zeros of that shape and dtype instead, before any student code runs: every variable
is still initialised afterwards by its own initialiser, with the same numbers as in Jupyter.
"""

from __future__ import annotations


def install() -> None:
    """Replace the placeholder of an uninitialised Keras variable with zeros of its shape and dtype."""
    import tensorflow as tf
    from keras.src.backend.common import variables
    from keras.src.backend.common.stateless_scope import get_stateless_scope, in_stateless_scope

    read = variables.Variable.value.fget

    def value(variable):
        current = get_stateless_scope().get_current_value(variable) if in_stateless_scope() else None
        if variable._value is None and current is None:
            return variable._maybe_autocast(tf.zeros(variable._shape, dtype=variable._dtype))
        return read(variable)

    value.__doc__ = read.__doc__
    variables.Variable.value = property(value)
