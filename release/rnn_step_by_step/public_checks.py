"""Visible checks for the assignment, and a numerical gradient check you can call yourself.

Each ``check_*`` function runs your code on one small fixed case stored in
``visible_cases.json`` and raises AssertionError with a message when something
is off. Passing them is a good sign; the hidden tests use other sizes and
inputs.
"""

import json
from pathlib import Path

import numpy as np

CASES_FILE = Path(__file__).with_name("visible_cases.json")
ATOL = 1e-8
RTOL = 1e-6


def _decode(value):
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=np.float64)
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_decode(item) for item in value["tuple"])
    if isinstance(value, dict):
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def load_case(name):
    """Return (arguments, expected outputs) of the visible case for function ``name``."""
    with open(CASES_FILE, encoding="utf-8") as handle:
        case = json.load(handle)[name]
    return _decode(case["arguments"]), _decode(case["expected"])


def _check_array(name, value, expected):
    assert isinstance(value, np.ndarray), f"{name} should be a numpy array, got {type(value).__name__}"
    assert value.dtype == np.float64, f"{name} should have dtype float64, got {value.dtype}"
    assert value.shape == expected.shape, (
        f"{name} has shape {value.shape}, expected {expected.shape}"
    )
    error = np.max(np.abs(value - expected) - RTOL * np.abs(expected), initial=0.0)
    assert np.all(np.isfinite(value)), f"{name} contains NaN or inf"
    assert error <= ATOL, f"{name} differs from the expected values (largest difference {error:.2e})"


def _check_outputs(function_name, outputs, expected, names):
    if isinstance(expected, dict):
        assert isinstance(outputs, dict), f"{function_name} should return a dict"
        missing = sorted(set(expected) - set(outputs))
        assert not missing, f"{function_name} is missing the keys {missing}"
        pairs = [(key, outputs[key], expected[key]) for key in names]
    else:
        assert isinstance(outputs, tuple) and len(outputs) == len(expected), (
            f"{function_name} should return a tuple of {len(expected)} values"
        )
        pairs = list(zip(names, outputs, expected))
    for name, value, wanted in pairs:
        if name != "cache" and name != "caches":
            _check_array(name, value, wanted)


def _report(function_name, values):
    print(f"{function_name}: all visible checks passed.")
    for name, value in values.items():
        print(f"  {name}[0, 0] = {float(np.ravel(value)[0]):.6f}   shape {value.shape}")


def check_rnn_cell_forward(rnn_cell_forward):
    (xt, a_prev, parameters), expected = load_case("rnn_cell_forward")
    a_next, yt_pred, cache = outputs = rnn_cell_forward(xt, a_prev, parameters)
    _check_outputs("rnn_cell_forward", outputs, expected, ("a_next", "yt_pred", "cache"))
    assert isinstance(cache, tuple) and len(cache) == 4, "cache should be (a_next, a_prev, xt, parameters)"
    order = "cache should be (a_next, a_prev, xt, parameters), in that order"
    assert cache[0] is a_next, order
    assert cache[1] is a_prev, order
    assert cache[2] is xt, order
    _report("rnn_cell_forward", {"a_next": a_next, "yt_pred": yt_pred})


def check_rnn_forward(rnn_forward):
    (x, a0, parameters), expected = load_case("rnn_forward")
    a, y_pred, caches = outputs = rnn_forward(x, a0, parameters)
    _check_outputs("rnn_forward", outputs, expected, ("a", "y_pred", "caches"))
    assert isinstance(caches, tuple) and len(caches) == 2, "caches should be (list of caches, x)"
    assert len(caches[0]) == x.shape[2], "caches[0] should hold one cache per time step"
    _report("rnn_forward", {"a": a, "y_pred": y_pred})


def check_lstm_cell_forward(lstm_cell_forward):
    (xt, a_prev, c_prev, parameters), expected = load_case("lstm_cell_forward")
    outputs = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    names = ("a_next", "c_next", "yt_pred", "cache")
    _check_outputs("lstm_cell_forward", outputs, expected, names)
    cache = outputs[3]
    assert isinstance(cache, tuple) and len(cache) == 10, (
        "cache should be (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)"
    )
    for name, value, wanted in zip(("ft", "it", "cct", "ot"), cache[4:8], expected[3][4:8]):
        _check_array(name, value, wanted)
    _report("lstm_cell_forward", dict(zip(names[:3], outputs[:3])))


def check_lstm_forward(lstm_forward):
    (x, a0, parameters), expected = load_case("lstm_forward")
    outputs = lstm_forward(x, a0, parameters)
    names = ("a", "y", "c", "caches")
    _check_outputs("lstm_forward", outputs, expected, names)
    a, y, c, caches = outputs
    assert not np.shares_memory(a, c), "a and c are the same array: create them separately"
    assert len(caches[0]) == x.shape[2], "caches[0] should hold one cache per time step"
    _report("lstm_forward", {"a": a, "y": y, "c": c})


def numerical_gradient(loss, array, eps=1e-6):
    """Central-difference gradient of the scalar ``loss()`` with respect to ``array``.

    ``loss`` takes no arguments and must read ``array``, which is perturbed in
    place one element at a time and restored afterwards.
    """
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        plus = loss()
        array[index] = saved - eps
        minus = loss()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """||analytic - numeric|| / (||analytic|| + ||numeric||), 0 when both are zero."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / denominator)


def gradient_check(loss, gradients, variables, threshold=1e-6, verbose=True):
    """Compare analytic gradients with central differences.

    loss -- function of no arguments returning a float; it must read ``variables``
    gradients -- dict name -> analytic gradient, for example {"dWax": ...}
    variables -- dict of the same names -> the arrays the gradients belong to
    Returns a dict name -> relative error and prints it when ``verbose``.
    Errors around 1e-7 or smaller mean the gradient is right; 1e-3 or more
    almost always means a bug.
    """
    errors = {}
    for name, array in variables.items():
        numeric = numerical_gradient(loss, array)
        errors[name] = relative_error(np.asarray(gradients[name]), numeric)
        if verbose:
            status = "ok" if errors[name] < threshold else "WRONG"
            print(f"  {name:8s} relative error {errors[name]:.2e}  {status}")
    return errors


def _gradient_checks(function_name, errors):
    wrong = [name for name, error in errors.items() if not error < 1e-6]
    assert not wrong, (
        f"{function_name}: the gradients {wrong} disagree with numerical gradients "
        "of your own forward pass"
    )


def check_rnn_cell_backward(rnn_cell_backward, rnn_cell_forward):
    (da_next, cache), expected = load_case("rnn_cell_backward")
    names = ("dxt", "da_prev", "dWax", "dWaa", "dba")
    _check_outputs("rnn_cell_backward", rnn_cell_backward(da_next, cache), expected, names)

    _, a_prev, xt, parameters = cache
    p = {key: value.copy() for key, value in parameters.items()}
    xt, a_prev = xt.copy(), a_prev.copy()
    _, _, own_cache = rnn_cell_forward(xt, a_prev, p)
    gradients = rnn_cell_backward(da_next, own_cache)

    def loss():
        return float(np.sum(da_next * rnn_cell_forward(xt, a_prev, p)[0]))

    variables = {"dxt": xt, "da_prev": a_prev, "dWax": p["Wax"], "dWaa": p["Waa"], "dba": p["ba"]}
    print("Gradient check against your rnn_cell_forward:")
    _gradient_checks("rnn_cell_backward", gradient_check(loss, gradients, variables))
    print("rnn_cell_backward: all visible checks passed.")


def check_rnn_backward(rnn_backward, rnn_forward):
    (da, caches), expected = load_case("rnn_backward")
    names = ("dx", "da0", "dWax", "dWaa", "dba")
    _check_outputs("rnn_backward", rnn_backward(da, caches), expected, names)

    x = caches[1].copy()
    a0 = caches[0][0][1].copy()
    p = {key: value.copy() for key, value in caches[0][0][3].items()}
    gradients = rnn_backward(da, rnn_forward(x, a0, p)[2])

    def loss():
        return float(np.sum(da * rnn_forward(x, a0, p)[0]))

    variables = {"dx": x, "da0": a0, "dWax": p["Wax"], "dWaa": p["Waa"], "dba": p["ba"]}
    print("Gradient check against your rnn_forward:")
    _gradient_checks("rnn_backward", gradient_check(loss, gradients, variables))
    print("rnn_backward: all visible checks passed.")


def _lstm_variables(p):
    variables = {}
    for gate in "fico":
        variables["dW" + gate] = p["W" + gate]
        variables["db" + gate] = p["b" + gate]
    return variables


def check_lstm_cell_backward(lstm_cell_backward, lstm_cell_forward):
    (da_next, dc_next, cache), expected = load_case("lstm_cell_backward")
    names = ("dxt", "da_prev", "dc_prev") + tuple(
        prefix + gate for gate in "fico" for prefix in ("dW", "db")
    )
    outputs = lstm_cell_backward(da_next, dc_next, cache)
    _check_outputs("lstm_cell_backward", outputs, expected, names)

    a_prev, c_prev, xt, parameters = (cache[2].copy(), cache[3].copy(), cache[8].copy(), cache[9])
    p = {key: value.copy() for key, value in parameters.items()}
    own_cache = lstm_cell_forward(xt, a_prev, c_prev, p)[3]
    gradients = lstm_cell_backward(da_next, dc_next, own_cache)

    def loss():
        a_next, c_next, _, _ = lstm_cell_forward(xt, a_prev, c_prev, p)
        return float(np.sum(da_next * a_next) + np.sum(dc_next * c_next))

    variables = {"dxt": xt, "da_prev": a_prev, "dc_prev": c_prev}
    variables.update(_lstm_variables(p))
    print("Gradient check against your lstm_cell_forward:")
    _gradient_checks("lstm_cell_backward", gradient_check(loss, gradients, variables))
    print("lstm_cell_backward: all visible checks passed.")


def check_lstm_backward(lstm_backward, lstm_forward):
    (da, caches), expected = load_case("lstm_backward")
    names = ("dx", "da0") + tuple(prefix + gate for gate in "fico" for prefix in ("dW", "db"))
    _check_outputs("lstm_backward", lstm_backward(da, caches), expected, names)

    x = caches[1].copy()
    a0 = caches[0][0][2].copy()
    p = {key: value.copy() for key, value in caches[0][0][9].items()}
    gradients = lstm_backward(da, lstm_forward(x, a0, p)[3])

    def loss():
        return float(np.sum(da * lstm_forward(x, a0, p)[0]))

    variables = {"dx": x, "da0": a0}
    variables.update(_lstm_variables(p))
    print("Gradient check against your lstm_forward:")
    _gradient_checks("lstm_backward", gradient_check(loss, gradients, variables))
    print("lstm_backward: all visible checks passed.")
