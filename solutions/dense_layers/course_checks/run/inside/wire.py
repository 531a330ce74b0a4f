"""The wire format between the grader and a student process: data only, never pickles.

A message is a JSON header followed by zero or more NumPy arrays, each as `.npy` bytes.
Arrays inside the JSON value are replaced by {"__npy__": index}. Every frame carries its
length, and the reader refuses frames larger than a limit, so a student process can
neither make the grader unpickle anything nor make it allocate without bound.
"""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import numpy as np

ARRAY_KEY = "__npy__"
LENGTH = struct.Struct("!I")
MAX_FRAME_BYTES = 64 * 1024 * 1024


class WireError(Exception):
    """The other side sent something that is not a valid message, or hung up."""


def _split_arrays(value: Any, arrays: list[bytes]) -> Any:
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        arrays.append(buffer.getvalue())
        return {ARRAY_KEY: len(arrays) - 1}
    if isinstance(value, dict):
        return {str(key): _split_arrays(item, arrays) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_split_arrays(item, arrays) for item in value]
    return value


def _join_arrays(value: Any, arrays: list[np.ndarray]) -> Any:
    if isinstance(value, dict):
        if set(value) == {ARRAY_KEY}:
            index = value[ARRAY_KEY]
            if not isinstance(index, int) or not 0 <= index < len(arrays):
                raise WireError("array reference out of range")
            return arrays[index]
        return {key: _join_arrays(item, arrays) for key, item in value.items()}
    if isinstance(value, list):
        return [_join_arrays(item, arrays) for item in value]
    return value


def encode(message: Any) -> bytes:
    """One message as bytes: header frame, then one frame per array."""
    arrays: list[bytes] = []
    header = json.dumps({"body": _split_arrays(message, arrays), "arrays": len(arrays)},
                        allow_nan=True).encode()
    frames = [header, *arrays]
    return b"".join(LENGTH.pack(len(frame)) + frame for frame in frames)


def _read_exact(stream, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise WireError("the other side hung up")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream, budget: list[int]) -> bytes:
    (size,) = LENGTH.unpack(_read_exact(stream, LENGTH.size))
    budget[0] -= size
    if budget[0] < 0:
        raise WireError(f"message larger than {MAX_FRAME_BYTES} bytes")
    return _read_exact(stream, size)


def read_message(stream, max_bytes: int = MAX_FRAME_BYTES) -> Any:
    """Read one message from a binary stream; arrays are loaded with allow_pickle=False."""
    budget = [max_bytes]
    try:
        header = json.loads(_read_frame(stream, budget))
        count = header["arrays"]
        if not isinstance(count, int) or count < 0:
            raise WireError("bad array count")
        arrays = [np.load(io.BytesIO(_read_frame(stream, budget)), allow_pickle=False)
                  for _ in range(count)]
        return _join_arrays(header["body"], arrays)
    except (ValueError, KeyError, TypeError, struct.error) as error:
        raise WireError(f"malformed message: {error}") from None


def write_message(stream, message: Any) -> None:
    stream.write(encode(message))
    stream.flush()
