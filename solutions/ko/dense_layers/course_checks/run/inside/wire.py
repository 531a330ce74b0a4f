"""The wire format between the grader and a student process: data only, never pickles.

A message is a JSON header followed by zero or more NumPy arrays, each as `.npy` bytes.
Arrays inside the JSON value are replaced by {"__npy__": index}. Every frame carries its
length, and the reader checks every bound before it allocates or parses: the message's
total size, the JSON's nesting depth and item count, the number of arrays, and each
array's header (a plain number dtype, and exactly as many bytes as its shape says). So a
student process can neither make the grader unpickle anything, nor recurse without end,
nor allocate more than the bytes it actually sent.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
from typing import Any

import numpy as np

ARRAY_KEY = "__npy__"
LENGTH = struct.Struct("!I")
# A request carries a cell's source, so it may be large; the grader reads replies with the tighter bound:
# an honest reply is a few kilobytes (the largest measured: 6 KB, 14 arrays, nesting depth 7).
MAX_FRAME_BYTES = 64 * 1024 * 1024
MAX_REPLY_BYTES = 4 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_JSON_ITEMS = 100_000
MAX_ARRAYS = 1024
MAX_ARRAY_DIMENSIONS = 32
NPY_MAGIC = b"\x93NUMPY"
NPY_HEADER = re.compile(r"\{'descr': '([<>|=][biuf][1-8])', 'fortran_order': (True|False), "
                        r"'shape': \(((?:\d{1,18}, ?)*(?:\d{1,18})?)\), \}\s*\n?")
JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class WireError(ValueError):
    """The other side sent something that is not a valid message, or hung up."""


class HungUp(WireError):
    """The other side closed its end (most often: its process ended)."""


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


def _read_exact(stream, size: int) -> bytearray:
    """Exactly `size` bytes into one buffer (the size was checked against the budget before)."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    done = 0
    while done < size:
        chunk = stream.read(size - done)
        if not chunk:
            raise HungUp("the other side hung up")
        view[done:done + len(chunk)] = chunk
        done += len(chunk)
    return buffer


def _read_frame(stream, budget: list[int]) -> bytearray:
    (size,) = LENGTH.unpack(_read_exact(stream, LENGTH.size))
    budget[0] -= size
    if budget[0] < 0:
        raise WireError(f"larger than the {budget[1] // 1024**2} MB the grader accepts")
    return _read_exact(stream, size)


def check_json_bounds(data: bytes, max_depth: int = MAX_JSON_DEPTH, max_items: int = MAX_JSON_ITEMS) -> None:
    """Refuse JSON nested deeper than max_depth or holding more than max_items values, before
    json.loads (which recurses once per level and allocates per item) sees it."""
    skeleton = np.frombuffer(JSON_STRING.sub(b'""', bytes(data)), dtype=np.uint8)
    depth = items = 0
    for start in range(0, skeleton.size, 1 << 22):  # in slices, so the running sums stay small
        part = skeleton[start:start + (1 << 22)]
        opens = (part == ord("[")) | (part == ord("{"))
        running = np.cumsum(opens.astype(np.int32) - ((part == ord("]")) | (part == ord("}")))) + depth
        if int(running.max()) > max_depth:
            raise WireError(f"JSON nested deeper than {max_depth} levels")
        depth = int(running[-1])
        items += int(np.count_nonzero(part == ord(","))) + int(np.count_nonzero(opens))
        if items > max_items:
            raise WireError(f"JSON with more than {max_items} values")


def _load_array(frame: bytearray) -> np.ndarray:
    """An array from `.npy` bytes, its header checked against the bytes present before anything
    is allocated: the array is a view of the frame itself."""
    if frame[:6] != NPY_MAGIC or len(frame) < 10:
        raise WireError("an array frame that is not .npy")
    major = frame[6]
    if major == 1:
        (header_length,), start = struct.unpack("<H", frame[8:10]), 10
    elif major in (2, 3) and len(frame) >= 12:
        (header_length,), start = struct.unpack("<I", frame[8:12]), 12
    else:
        raise WireError(f"unknown .npy version {major}")
    if header_length > 4096 or start + header_length > len(frame):
        raise WireError("a .npy header that is too long")
    try:
        header = bytes(frame[start:start + header_length]).decode("latin-1")
    except UnicodeDecodeError:
        raise WireError("a .npy header that is not text") from None
    match = NPY_HEADER.fullmatch(header)
    if match is None:
        raise WireError("a .npy header that is not a plain array of numbers")
    descr, fortran, dims = match.groups()
    shape = tuple(int(d) for d in dims.replace(" ", "").split(",") if d)
    if len(shape) > MAX_ARRAY_DIMENSIONS:
        raise WireError("an array with too many dimensions")
    dtype = np.dtype(descr)
    offset = start + header_length
    if math.prod(shape) * dtype.itemsize != len(frame) - offset:
        raise WireError(f"a .npy header that claims shape {shape} of {dtype} in {len(frame) - offset} bytes")
    flat = np.frombuffer(frame, dtype=dtype, count=math.prod(shape), offset=offset)
    return flat.reshape(shape, order="F" if fortran == "True" else "C")


def read_message(stream, max_bytes: int = MAX_FRAME_BYTES) -> Any:
    """Read one message from a binary stream; every bound is checked before parsing or allocating."""
    budget = [max_bytes, max_bytes]
    try:
        frame = _read_frame(stream, budget)
        check_json_bounds(frame)
        header = json.loads(frame)
        count = header["arrays"]
        if not isinstance(count, int) or not 0 <= count <= MAX_ARRAYS:
            raise WireError("bad array count")
        arrays = [_load_array(_read_frame(stream, budget)) for _ in range(count)]
        return _join_arrays(header["body"], arrays)
    except WireError:
        raise
    except (ValueError, KeyError, TypeError, struct.error, RecursionError, MemoryError) as error:
        raise WireError(f"malformed message: {type(error).__name__}: {str(error)[:200]}") from None


def write_message(stream, message: Any) -> None:
    stream.write(encode(message))
    stream.flush()
