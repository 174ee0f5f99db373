"""Data exchanged with the student's kernel, seen from the grader.

The kernel side lives in ``kernel_harness.py``. Values travel as JSON trees in
which arrays are base64 bytes with a dtype and a shape. Decoding never
evaluates anything: it accepts plain numeric dtypes and the container types
listed below, and turns everything else into an ``Opaque`` marker.
"""

import base64
import json
import math
from dataclasses import dataclass

import numpy as np

ALLOWED_DTYPE_KINDS = "biuf"
MAX_DEPTH = 10
# Largest value tree the grader accepts from a kernel, counted in array elements
# plus container items; a larger one is rejected before it is built.
MAX_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class Opaque:
    """A value the student returned that is not plain data (its type name only)."""

    type_name: str
    shape: tuple | None = None


class ArrayView(np.ndarray):
    """A decoded array that remembers its numpy class and memory extent in the kernel."""

    def __array_finalize__(self, obj):
        self.class_name = getattr(obj, "class_name", "ndarray")
        self.extent = getattr(obj, "extent", None)


class Encoder:
    """Encode grader inputs, keeping shared objects shared on the other side."""

    def __init__(self):
        self.seen = {}
        self.keep = []

    def encode(self, value):
        if value is None:
            return {"t": "none"}
        if isinstance(value, bool):
            return {"t": "bool", "v": value}
        if isinstance(value, int):
            return {"t": "int", "v": repr(value)}
        if isinstance(value, float):
            # float(): the repr of a numpy float64 is "np.float64(...)" in numpy 2.
            return {"t": "float", "v": repr(float(value))}
        if isinstance(value, str):
            return {"t": "str", "v": value}
        key = id(value)
        if key in self.seen:
            return {"t": "ref", "id": self.seen[key]}
        self.seen[key] = len(self.seen)
        self.keep.append(value)
        node = {"id": self.seen[key]}
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
                raise TypeError(f"cannot send an array of dtype {array.dtype} to the kernel")
            node.update(t="array", dtype=array.dtype.str, shape=list(array.shape))
            node["data"] = base64.b64encode(array.tobytes()).decode()
        elif isinstance(value, (tuple, list)):
            node["t"] = type(value).__name__
            node["items"] = [self.encode(item) for item in value]
        elif isinstance(value, dict):
            node["t"] = "dict"
            node["items"] = [[self.encode(k), self.encode(v)] for k, v in value.items()]
        else:
            raise TypeError(f"cannot send a {type(value).__name__} to the kernel")
        return node


def encode(value):
    return json.dumps(Encoder().encode(value))


class DecodeError(ValueError):
    """The kernel sent something that is not a valid value tree."""


class Budget:
    """Elements still allowed in one decoded tree, and the largest array allowed."""

    def __init__(self, elements=MAX_ELEMENTS, array_elements=None):
        self.left = elements
        self.array_elements = array_elements

    def spend(self, count, array=False):
        self.left -= count
        if self.left < 0:
            raise DecodeError("the value is larger than the grader accepts")
        if array and self.array_elements is not None and count > self.array_elements:
            raise DecodeError("an array is larger than the grader accepts here")


def decode(node, table=None, depth=0, budget=None):
    """Decode a tree received from the kernel into numpy arrays and containers.

    ``budget`` (a Budget) bounds the size of what is built; the default allows
    MAX_ELEMENTS in all.
    """
    table = {} if table is None else table
    budget = budget or Budget()
    if depth > MAX_DEPTH or not isinstance(node, dict):
        raise DecodeError("invalid value tree")
    budget.spend(1)
    kind = node.get("t")
    if kind == "ref":
        if node.get("id") not in table:
            raise DecodeError("reference to an unknown value")
        return table[node["id"]]
    if kind == "none":
        return None
    if kind in ("bool", "str"):
        return node.get("v")
    if kind in ("int", "float"):
        return _number(kind, node.get("v"))
    if kind == "array":
        value = _array(node, budget)
    elif kind == "scalar":
        value = _scalar(node)
    elif kind in ("tuple", "list"):
        items = [decode(item, table, depth + 1, budget) for item in _list(node, "items")]
        value = tuple(items) if kind == "tuple" else items
    elif kind == "dict":
        value = {}
        for pair in _list(node, "items"):
            if not isinstance(pair, list) or len(pair) != 2:
                raise DecodeError("invalid dictionary item")
            key = decode(pair[0], table, depth + 1, budget)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = repr(key)
            value[key] = decode(pair[1], table, depth + 1, budget)
    elif kind == "object":
        value = Opaque(str(node.get("cls"))[:60])
    else:
        raise DecodeError(f"unknown value kind {kind!r}")
    if "id" in node:
        table[node["id"]] = value
    return value


def _list(node, key):
    items = node.get(key)
    if not isinstance(items, list):
        raise DecodeError(f"missing {key}")
    return items


def _number(kind, text):
    if not isinstance(text, str) or len(text) > 400:
        raise DecodeError("invalid number")
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError as error:
        raise DecodeError("invalid number") from error


def _scalar(node):
    dtype = _dtype(node.get("dtype"))
    text = str(node.get("v", ""))
    if dtype is None:
        return Opaque("numpy scalar")
    try:
        if dtype.kind == "b":
            return np.bool_(text == "True")
        number = int(text) if dtype.kind in "iu" else float(text)
        return dtype.type(number)
    except (ValueError, OverflowError):
        return Opaque(f"numpy scalar of dtype {dtype}")


def _dtype(text):
    try:
        dtype = np.dtype(str(text))
    except TypeError:
        return None
    if dtype.kind not in ALLOWED_DTYPE_KINDS or dtype.hasobject:
        return None
    return dtype


def _array(node, budget):
    shape = node.get("shape")
    if not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise DecodeError("invalid array shape")
    dtype = _dtype(node.get("dtype"))
    if dtype is None or "data" not in node:
        return Opaque(f"array of dtype {str(node.get('dtype'))[:20]}", tuple(shape))
    budget.spend(math.prod(shape), array=True)
    raw = base64.b64decode(node["data"], validate=True)
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise DecodeError("array data does not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy().view(ArrayView)
    array.class_name = str(node.get("cls", "ndarray"))[:60]
    extent = node.get("extent")
    if isinstance(extent, list) and len(extent) == 2 and all(isinstance(e, int) for e in extent):
        array.extent = tuple(extent)
    return array


def shares_memory(first, second):
    """Return whether two decoded arrays overlapped in memory in the student's kernel."""
    a, b = getattr(first, "extent", None), getattr(second, "extent", None)
    if a is None or b is None or a[0] == a[1] or b[0] == b[1]:
        return False
    return a[0] < b[1] and b[0] < a[1]
