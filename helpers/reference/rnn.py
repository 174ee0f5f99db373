"""Reference RNN and LSTM forward and backward passes (numpy, float64).

Written independently of the notebook's solution cells so that it can serve as
the oracle for hidden tests. Every backward pass is checked against central
differences in ``tests/test_reference.py``.

Shapes: x (n_x, m, T_x), hidden states (n_a, m), predictions (n_y, m).
"""

import numpy as np


def sigmoid(z):
    """Logistic function, computed without overflow for large |z|."""
    out = np.empty_like(z, dtype=np.float64)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


def softmax(z):
    """Column-wise softmax: each column of ``z`` (n, m) becomes a distribution."""
    shifted = z - z.max(axis=0, keepdims=True)
    exp_z = np.exp(shifted)
    return exp_z / exp_z.sum(axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    """Compute one RNN step.

    xt: (n_x, m) input at step t
    a_prev: (n_a, m) hidden state at step t-1
    Returns a_next (n_a, m), yt_pred (n_y, m) and
    cache = (a_next, a_prev, xt, parameters).
    """
    p = parameters
    z = np.matmul(p["Waa"], a_prev) + np.matmul(p["Wax"], xt) + p["ba"]
    a_next = np.tanh(z)

    yt_pred = softmax(np.matmul(p["Wya"], a_next) + p["by"])

    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters, cell=rnn_cell_forward):
    """Run ``cell`` over every step of x (n_x, m, T_x) from the state a0 (n_a, m).

    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) and caches = (list of cell
    caches, x).
    """
    n_y = parameters["Wya"].shape[0]
    n_a, m = a0.shape
    t_x = x.shape[2]
    a = np.zeros((n_a, m, t_x))
    y_pred = np.zeros((n_y, m, t_x))
    cell_caches = []

    a_prev = a0
    for t in range(t_x):
        a_prev, y_pred[:, :, t], cache = cell(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_prev
        cell_caches.append(cache)

    return a, y_pred, (cell_caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """Compute one LSTM step.

    xt: (n_x, m), a_prev and c_prev: (n_a, m).
    Returns a_next (n_a, m), c_next (n_a, m), yt_pred (n_y, m) and
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters).
    """
    p = parameters
    stacked = np.concatenate([a_prev, xt], axis=0)

    ft = sigmoid(np.matmul(p["Wf"], stacked) + p["bf"])
    it = sigmoid(np.matmul(p["Wi"], stacked) + p["bi"])
    cct = np.tanh(np.matmul(p["Wc"], stacked) + p["bc"])
    ot = sigmoid(np.matmul(p["Wo"], stacked) + p["bo"])

    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)

    yt_pred = softmax(np.matmul(p["Wy"], a_next) + p["by"])

    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters, cell=lstm_cell_forward):
    """Run ``cell`` over every step of x (n_x, m, T_x) from a0 and a zero cell state.

    Returns a (n_a, m, T_x), y (n_y, m, T_x), c (n_a, m, T_x) and
    caches = (list of cell caches, x).
    """
    n_y = parameters["Wy"].shape[0]
    n_a, m = a0.shape
    t_x = x.shape[2]
    a = np.zeros((n_a, m, t_x))
    c = np.zeros((n_a, m, t_x))
    y = np.zeros((n_y, m, t_x))
    cell_caches = []

    a_prev = a0
    c_prev = np.zeros((n_a, m))
    for t in range(t_x):
        a_prev, c_prev, y[:, :, t], cache = cell(x[:, :, t], a_prev, c_prev, parameters)
        a[:, :, t] = a_prev
        c[:, :, t] = c_prev
        cell_caches.append(cache)

    return a, y, c, (cell_caches, x)


def rnn_cell_backward(da_next, cache):
    """Gradients of one RNN step given da_next (n_a, m) = dL/da_next.

    Returns dxt (n_x, m), da_prev (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a)
    and dba (n_a, 1).
    """
    a_next, a_prev, xt, parameters = cache

    dz = da_next * (1.0 - a_next**2)

    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches, cell=rnn_cell_backward):
    """Backpropagation through time for ``rnn_forward``.

    da: (n_a, m, T_x) gradient reaching each hidden state from that step's output.
    Returns dx (n_x, m, T_x), da0 (n_a, m), dWax, dWaa and dba summed over steps.
    """
    cell_caches, x = caches
    n_a, m, t_x = da.shape
    grads = {
        "dx": np.zeros(x.shape),
        "dWax": np.zeros(cell_caches[0][3]["Wax"].shape),
        "dWaa": np.zeros((n_a, n_a)),
        "dba": np.zeros((n_a, 1)),
    }

    da_carried = np.zeros((n_a, m))
    for t in reversed(range(t_x)):
        step = cell(da[:, :, t] + da_carried, cell_caches[t])
        grads["dx"][:, :, t] = step["dxt"]
        for name in ("dWax", "dWaa", "dba"):
            grads[name] += step[name]
        da_carried = step["da_prev"]

    grads["da0"] = da_carried
    return grads


LSTM_GATES = ("f", "i", "c", "o")


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step given da_next and dc_next, both (n_a, m).

    Returns dxt (n_x, m), da_prev (n_a, m), dc_prev (n_a, m) and, for each gate
    g in f, i, c, o, dWg (n_a, n_a + n_x) and dbg (n_a, 1).
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    stacked = np.concatenate([a_prev, xt], axis=0)
    tanh_c = np.tanh(c_next)

    # c_next reaches the loss directly (dc_next) and through a_next = ot * tanh(c_next).
    dc = dc_next + da_next * ot * (1.0 - tanh_c**2)

    # Gradients with respect to each gate's pre-activation.
    dgate = {
        "f": dc * c_prev * ft * (1.0 - ft),
        "i": dc * cct * it * (1.0 - it),
        "c": dc * it * (1.0 - cct**2),
        "o": da_next * tanh_c * ot * (1.0 - ot),
    }

    grads = {"dc_prev": dc * ft}
    dstacked = np.zeros_like(stacked)
    for g in LSTM_GATES:
        grads["dW" + g] = dgate[g] @ stacked.T
        grads["db" + g] = dgate[g].sum(axis=1, keepdims=True)
        dstacked += parameters["W" + g].T @ dgate[g]

    grads["da_prev"] = dstacked[:n_a]
    grads["dxt"] = dstacked[n_a:]
    return grads


def lstm_backward(da, caches, cell=lstm_cell_backward):
    """Backpropagation through time for ``lstm_forward``.

    da: (n_a, m, T_x) gradient reaching each hidden state from that step's output.
    Both da_prev and dc_prev are carried from step t+1 to step t.
    Returns dx (n_x, m, T_x), da0 (n_a, m) and dWg, dbg for g in f, i, c, o.
    """
    cell_caches, x = caches
    n_a, m, t_x = da.shape
    parameters = cell_caches[0][9]
    grads = {"dx": np.zeros(x.shape)}
    for g in LSTM_GATES:
        grads["dW" + g] = np.zeros(parameters["W" + g].shape)
        grads["db" + g] = np.zeros((n_a, 1))

    da_carried = np.zeros((n_a, m))
    dc_carried = np.zeros((n_a, m))
    for t in reversed(range(t_x)):
        step = cell(da[:, :, t] + da_carried, dc_carried, cell_caches[t])
        grads["dx"][:, :, t] = step["dxt"]
        for g in LSTM_GATES:
            grads["dW" + g] += step["dW" + g]
            grads["db" + g] += step["db" + g]
        da_carried = step["da_prev"]
        dc_carried = step["dc_prev"]

    grads["da0"] = da_carried
    return grads
