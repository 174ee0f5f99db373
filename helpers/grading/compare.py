"""Value comparisons used by every check, with one documented tolerance.

An element passes when |student - expected| <= atol + rtol * |expected|: the
absolute floor covers entries that should be zero, the relative part covers
large entries. Equivalent float64 formulas (another summation order, einsum
instead of a matrix product) differ by about 1e-15 relative, while every
catalogued mistake moves some entry by more than 1e-4, so the defaults sit far
from both.
"""

from dataclasses import dataclass

import numpy as np

from .wire import Opaque


@dataclass(frozen=True)
class Tolerance:
    atol: float = 1e-8
    rtol: float = 1e-6

    def excess(self, value, expected, same_nonfinite=False):
        """Largest amount by which ``value`` misses ``expected``; 0 when it matches.

        A NaN or infinite entry never matches, unless ``same_nonfinite`` is set
        and ``expected`` has the same entry there (used to compare two wrong
        results with each other).
        """
        value = np.asarray(value, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
        finite = np.isfinite(value)
        if same_nonfinite:
            both_nan = np.isnan(value) & np.isnan(expected)
            same_inf = np.isinf(value) & (value == expected)
            both_finite = finite & np.isfinite(expected)
            if not np.all(both_finite | both_nan | same_inf):
                return float("inf")
            value, expected = value[both_finite], expected[both_finite]
        elif not np.all(finite):
            return float("inf")
        with np.errstate(invalid="ignore", over="ignore"):
            gap = np.abs(value - expected) - self.rtol * np.abs(expected)
        return max(float(np.max(gap, initial=0.0)) - self.atol, 0.0)


def is_float_array(value):
    return (
        isinstance(value, np.ndarray)
        and getattr(value, "class_name", "ndarray") == "ndarray"
        and value.dtype == np.float64
    )


def describe_type(value):
    if isinstance(value, np.ndarray):
        name = getattr(value, "class_name", "ndarray")
        if name != "ndarray":
            return f"an ndarray subclass ({name})"
        return f"an array of dtype {value.dtype}"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    return f"an object of type {type(value).__name__}"


def first_difference(value, expected, tolerance, path="", exact=False, same_nonfinite=False):
    """Path and reason of the first place where ``value`` differs from ``expected``.

    Containers are walked recursively; returns None when everything matches.
    ``exact`` demands equal values, for inputs that must come back unchanged.
    """
    if isinstance(expected, np.ndarray):
        if not isinstance(value, np.ndarray) or getattr(value, "class_name", "ndarray") != "ndarray":
            return path, f"is {describe_type(value)}, expected a numpy array"
        if value.shape != expected.shape:
            return path, f"has shape {value.shape}, expected {expected.shape}"
        if exact:
            if not np.array_equal(np.asarray(value), expected):
                return path, "was changed"
            return None
        if tolerance.excess(value, expected, same_nonfinite) > 0:
            return path, "has wrong values"
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(value, (tuple, list)):
            return path, f"is {describe_type(value)}, expected a tuple of {len(expected)}"
        if len(value) != len(expected):
            return path, f"has {len(value)} items, expected {len(expected)}"
        for index, (item, wanted) in enumerate(zip(value, expected)):
            found = first_difference(
                item, wanted, tolerance, f"{path}[{index}]", exact, same_nonfinite
            )
            if found:
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(value, dict):
            return path, f"is {describe_type(value)}, expected a dict"
        missing = sorted(set(expected) - set(value))
        if missing:
            return path, f"is missing the keys {missing}"
        for key in expected:
            found = first_difference(
                value[key], expected[key], tolerance, f"{path}[{key!r}]", exact, same_nonfinite
            )
            if found:
                return found
        return None
    if value != expected:
        return path, "has a wrong value"
    return None
