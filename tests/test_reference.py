"""Proof of the reference: gradients against central differences, forward passes
against a scalar implementation written with the math module only."""

import math

import numpy as np
import pytest

from helpers.reference import inputs, rnn

SHAPES = [  # n_x, n_a, n_y, m, T_x
    (3, 5, 2, 4, 6),
    (1, 1, 1, 1, 1),
    (4, 2, 3, 1, 3),
    (2, 6, 2, 3, 1),
]
EPS = 1e-6
MAX_RELATIVE_ERROR = 1e-7


def numerical_gradient(loss, array):
    """Central-difference gradient of loss() with respect to ``array``, in place."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + EPS
        plus = loss()
        array[index] = saved - EPS
        minus = loss()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * EPS)
    return grad


def relative_error(analytic, numeric):
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0:
        return 0.0
    return np.linalg.norm(analytic - numeric) / denominator


def assert_gradients(analytic, targets, loss):
    for name, array in targets.items():
        numeric = numerical_gradient(loss, array)
        assert analytic[name].shape == array.shape, name
        error = relative_error(analytic[name], numeric)
        assert error < MAX_RELATIVE_ERROR, f"{name}: relative error {error:.2e}"


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_rnn_cell_backward_numerical(n_x, n_a, n_y, m, t_x):
    args = inputs.rnn_cell_inputs(11, n_x, n_a, n_y, m)
    da_next = np.random.default_rng(12).standard_normal((n_a, m))
    _, _, cache = rnn.rnn_cell_forward(**args)
    analytic = rnn.rnn_cell_backward(da_next, cache)

    def loss():
        return np.sum(da_next * rnn.rnn_cell_forward(**args)[0])

    p = args["parameters"]
    targets = {"dxt": args["xt"], "da_prev": args["a_prev"]}
    targets.update({"dWax": p["Wax"], "dWaa": p["Waa"], "dba": p["ba"]})
    assert_gradients(analytic, targets, loss)


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_rnn_backward_numerical(n_x, n_a, n_y, m, t_x):
    args = inputs.rnn_sequence_inputs(21, n_x, n_a, n_y, m, t_x)
    da = np.random.default_rng(22).standard_normal((n_a, m, t_x))
    _, _, caches = rnn.rnn_forward(**args)
    analytic = rnn.rnn_backward(da, caches)

    def loss():
        return np.sum(da * rnn.rnn_forward(**args)[0])

    p = args["parameters"]
    targets = {"dx": args["x"], "da0": args["a0"]}
    targets.update({"dWax": p["Wax"], "dWaa": p["Waa"], "dba": p["ba"]})
    assert_gradients(analytic, targets, loss)


def lstm_parameter_targets(p):
    targets = {}
    for gate in rnn.LSTM_GATES:
        targets["dW" + gate] = p["W" + gate]
        targets["db" + gate] = p["b" + gate]
    return targets


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_lstm_cell_backward_numerical(n_x, n_a, n_y, m, t_x):
    args = inputs.lstm_cell_inputs(31, n_x, n_a, n_y, m)
    rng = np.random.default_rng(32)
    da_next = rng.standard_normal((n_a, m))
    dc_next = rng.standard_normal((n_a, m))
    *_, cache = rnn.lstm_cell_forward(**args)
    analytic = rnn.lstm_cell_backward(da_next, dc_next, cache)

    def loss():
        a_next, c_next, _, _ = rnn.lstm_cell_forward(**args)
        return np.sum(da_next * a_next) + np.sum(dc_next * c_next)

    targets = {"dxt": args["xt"], "da_prev": args["a_prev"], "dc_prev": args["c_prev"]}
    targets.update(lstm_parameter_targets(args["parameters"]))
    assert_gradients(analytic, targets, loss)


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_lstm_backward_numerical(n_x, n_a, n_y, m, t_x):
    args = inputs.lstm_sequence_inputs(41, n_x, n_a, n_y, m, t_x)
    da = np.random.default_rng(42).standard_normal((n_a, m, t_x))
    *_, caches = rnn.lstm_forward(**args)
    analytic = rnn.lstm_backward(da, caches)

    def loss():
        return np.sum(da * rnn.lstm_forward(**args)[0])

    targets = {"dx": args["x"], "da0": args["a0"]}
    targets.update(lstm_parameter_targets(args["parameters"]))
    assert_gradients(analytic, targets, loss)


def test_lstm_backward_carries_cell_gradient():
    """A gradient only at the last step must still reach the first input."""
    args = inputs.lstm_sequence_inputs(43, 2, 3, 2, 2, 4)
    da = np.zeros((3, 2, 4))
    da[:, :, -1] = 1.0
    *_, caches = rnn.lstm_forward(**args)
    grads = rnn.lstm_backward(da, caches)
    assert np.abs(grads["dx"][:, :, 0]).max() > 1e-6
    assert np.abs(grads["da0"]).max() > 1e-6


# Scalar oracle: the same equations element by element with the math module.


def scalar_matvec(w, v, column):
    return [sum(w[i][k] * v[k][column] for k in range(len(v))) for i in range(len(w))]


def scalar_softmax(z):
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    return [e / sum(exps) for e in exps]


def scalar_sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def scalar_rnn_cell(xt, a_prev, p):
    n_a, m = len(a_prev), len(a_prev[0])
    a_next = [[0.0] * m for _ in range(n_a)]
    y = [[0.0] * m for _ in range(len(p["by"]))]
    for j in range(m):
        za = scalar_matvec(p["Waa"], a_prev, j)
        zx = scalar_matvec(p["Wax"], xt, j)
        for i in range(n_a):
            a_next[i][j] = math.tanh(za[i] + zx[i] + p["ba"][i][0])
        logits = scalar_matvec(p["Wya"], a_next, j)
        probs = scalar_softmax([logits[i] + p["by"][i][0] for i in range(len(logits))])
        for i, value in enumerate(probs):
            y[i][j] = value
    return a_next, y


def scalar_lstm_cell(xt, a_prev, c_prev, p):
    n_a, m = len(a_prev), len(a_prev[0])
    stacked = a_prev + xt
    a_next = [[0.0] * m for _ in range(n_a)]
    c_next = [[0.0] * m for _ in range(n_a)]
    y = [[0.0] * m for _ in range(len(p["by"]))]
    for j in range(m):
        gates = {g: scalar_matvec(p["W" + g], stacked, j) for g in "fico"}
        for i in range(n_a):
            f = scalar_sigmoid(gates["f"][i] + p["bf"][i][0])
            u = scalar_sigmoid(gates["i"][i] + p["bi"][i][0])
            cand = math.tanh(gates["c"][i] + p["bc"][i][0])
            o = scalar_sigmoid(gates["o"][i] + p["bo"][i][0])
            c_next[i][j] = f * c_prev[i][j] + u * cand
            a_next[i][j] = o * math.tanh(c_next[i][j])
        logits = scalar_matvec(p["Wy"], a_next, j)
        probs = scalar_softmax([logits[i] + p["by"][i][0] for i in range(len(logits))])
        for i, value in enumerate(probs):
            y[i][j] = value
    return a_next, c_next, y


def as_lists(arrays):
    return {k: v.tolist() for k, v in arrays.items()}


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_rnn_forward_scalar_oracle(n_x, n_a, n_y, m, t_x):
    args = inputs.rnn_sequence_inputs(51, n_x, n_a, n_y, m, t_x)
    a, y_pred, (cell_caches, x) = rnn.rnn_forward(**args)
    p = as_lists(args["parameters"])
    a_prev = args["a0"].tolist()
    for t in range(t_x):
        a_prev, y = scalar_rnn_cell(args["x"][:, :, t].tolist(), a_prev, p)
        np.testing.assert_allclose(a[:, :, t], a_prev, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(y_pred[:, :, t], y, rtol=1e-12, atol=1e-14)
    assert len(cell_caches) == t_x
    assert x is args["x"]


@pytest.mark.parametrize("n_x, n_a, n_y, m, t_x", SHAPES)
def test_lstm_forward_scalar_oracle(n_x, n_a, n_y, m, t_x):
    args = inputs.lstm_sequence_inputs(61, n_x, n_a, n_y, m, t_x)
    a, y_pred, c, (cell_caches, _) = rnn.lstm_forward(**args)
    p = as_lists(args["parameters"])
    a_prev = args["a0"].tolist()
    c_prev = [[0.0] * m for _ in range(n_a)]
    for t in range(t_x):
        a_prev, c_prev, y = scalar_lstm_cell(args["x"][:, :, t].tolist(), a_prev, c_prev, p)
        np.testing.assert_allclose(a[:, :, t], a_prev, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(c[:, :, t], c_prev, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(y_pred[:, :, t], y, rtol=1e-12, atol=1e-14)
    assert len(cell_caches) == t_x


def test_rnn_cell_hand_computed():
    """One unit, one input, two outputs: values worked out by hand."""
    p = {
        "Wax": np.array([[2.0]]),
        "Waa": np.array([[0.5]]),
        "ba": np.array([[0.0]]),
        "Wya": np.array([[1.0], [-1.0]]),
        "by": np.array([[0.0], [0.0]]),
    }
    a_next, yt_pred, _ = rnn.rnn_cell_forward(np.array([[0.25]]), np.array([[1.0]]), p)
    # z = 0.5 * 1 + 2 * 0.25 = 1, a = tanh(1); logits (a, -a): softmax = sigmoid(2a).
    assert a_next[0, 0] == pytest.approx(math.tanh(1.0), rel=1e-15)
    assert yt_pred[0, 0] == pytest.approx(1 / (1 + math.exp(-2 * math.tanh(1.0))), rel=1e-14)


def test_softmax_stable_on_large_logits():
    z = np.array([[1000.0, -1000.0], [999.0, -1001.0]])
    probs = rnn.softmax(z)
    assert np.all(np.isfinite(probs))
    np.testing.assert_allclose(probs.sum(axis=0), 1.0)


def test_sigmoid_extremes_finite():
    z = np.array([-800.0, 0.0, 800.0])
    np.testing.assert_allclose(rnn.sigmoid(z), [0.0, 0.5, 1.0])
