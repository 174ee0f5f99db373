"""Correct solutions written differently from the instructor's, for the grading tests.

This file is parsed, not imported: each function ``NAME__VARIANT`` becomes the
student's ``NAME`` in a submission that is otherwise the instructor solution.
Each one must get full marks. The names np, softmax, sigmoid and the cell
functions are those of the student's notebook.
"""
# ruff: noqa: F821


def rnn_cell_forward__matmul_operator(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_cell_forward__stacked_weights(xt, a_prev, parameters):
    weights = np.hstack([parameters["Waa"], parameters["Wax"]])
    a_next = np.tanh(weights @ np.vstack([a_prev, xt]) + parameters["ba"])
    scores = parameters["Wya"] @ a_next + parameters["by"]
    exps = np.exp(scores - scores.max(axis=0))
    yt_pred = exps / exps.sum(axis=0)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward__lists_stacked(x, a0, parameters):
    states, predictions, cell_caches = [], [], []
    a_prev = a0
    for t in range(x.shape[2]):
        a_prev, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        states.append(a_prev)
        predictions.append(yt_pred)
        cell_caches.append(cache)
    a = np.stack(states, axis=2)
    y_pred = np.stack(predictions, axis=2)
    return a, y_pred, (cell_caches, x)


def rnn_forward__ellipsis_indexing(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.empty((n_a, m, T_x))
    y_pred = np.empty((n_y, m, T_x))
    state = a0.copy()
    for t in range(T_x):
        state, a_step_y, cache = rnn_cell_forward(x[..., t], state, parameters)
        a[..., t] = state
        y_pred[..., t] = a_step_y
        caches.append(cache)
    return a, y_pred, (caches, x)


def lstm_cell_forward__one_product(xt, a_prev, c_prev, parameters):
    p = parameters
    weights = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    biases = np.vstack([p["bf"], p["bi"], p["bc"], p["bo"]])
    z = np.dot(weights, np.concatenate([a_prev, xt])) + biases
    zf, zi, zc, zo = np.split(z, 4, axis=0)
    ft = 1 / (1 + np.exp(-zf))
    it = 1 / (1 + np.exp(-zi))
    cct = np.tanh(zc)
    ot = 1 / (1 + np.exp(-zo))
    c_next = it * cct + ft * c_prev
    a_next = np.tanh(c_next) * ot
    yt_pred = softmax(np.dot(p["Wy"], a_next) + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_forward__einsum(xt, a_prev, c_prev, parameters):
    p = parameters
    concat = np.vstack((a_prev, xt))

    def gate(name):
        return np.einsum("ij,jk->ik", p["W" + name], concat) + p["b" + name]

    ft = sigmoid(gate("f"))
    it = sigmoid(gate("i"))
    cct = np.tanh(gate("c"))
    ot = sigmoid(gate("o"))
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.einsum("ij,jk->ik", p["Wy"], a_next) + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward__lists_stacked(x, a0, parameters):
    n_a, m = a0.shape
    a_list, y_list, c_list, caches = [], [], [], []
    a_t, c_t = a0, np.zeros((n_a, m))
    for t in range(x.shape[2]):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], a_t, c_t, parameters)
        a_list.append(a_t)
        c_list.append(c_t)
        y_list.append(y_t)
        caches.append(cache)
    return np.stack(a_list, 2), np.stack(y_list, 2), np.stack(c_list, 2), (caches, x)


def rnn_cell_backward__loop_over_examples(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - np.square(a_next))
    n_a, m = dz.shape
    dWax = np.zeros_like(parameters["Wax"])
    dWaa = np.zeros_like(parameters["Waa"])
    dba = np.zeros((n_a, 1))
    for j in range(m):
        dWax += np.outer(dz[:, j], xt[:, j])
        dWaa += np.outer(dz[:, j], a_prev[:, j])
        dba[:, 0] += dz[:, j]
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dWax,
        "dWaa": dWaa,
        "dba": dba,
    }


def rnn_backward__in_place_accumulation(da, caches):
    cell_caches, x = caches
    parameters = cell_caches[0][3]
    dx = np.zeros_like(x)
    dWax = np.zeros_like(parameters["Wax"])
    dWaa = np.zeros_like(parameters["Waa"])
    dba = np.zeros_like(parameters["ba"])
    carried = np.zeros_like(da[:, :, 0])
    for t in range(da.shape[2] - 1, -1, -1):
        step = rnn_cell_backward(da[:, :, t] + carried, cell_caches[t])
        dx[:, :, t] = step["dxt"]
        np.add(dWax, step["dWax"], out=dWax)
        np.add(dWaa, step["dWaa"], out=dWaa)
        dba += step["dba"]
        carried = step["da_prev"]
    return {"dx": dx, "da0": carried, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def lstm_cell_backward__other_order(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = ot * (1 - tanh_c**2) * da_next + dc_next
    dc_prev = ft * dc
    dft = c_prev * dc * (ft * (1 - ft))
    dit = cct * dc * (it * (1 - it))
    dcct = it * dc * (1 - cct * cct)
    dot = tanh_c * da_next * (ot * (1 - ot))
    concat = np.concatenate([a_prev, xt], axis=0)
    grads = {"dc_prev": dc_prev}
    da_prev = np.zeros_like(a_prev)
    dxt = np.zeros_like(xt)
    for gate, dgate in (("f", dft), ("i", dit), ("c", dcct), ("o", dot)):
        W = parameters["W" + gate]
        grads["dW" + gate] = dgate @ concat.T
        grads["db" + gate] = dgate.sum(axis=1, keepdims=True)
        da_prev += W[:, :n_a].T @ dgate
        dxt += W[:, n_a:].T @ dgate
    grads["da_prev"] = da_prev
    grads["dxt"] = dxt
    return grads


def lstm_cell_backward__one_product(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_a = a_next.shape[0]
    p = parameters
    s = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - s**2)
    dgates = np.vstack(
        [
            dc * c_prev * ft * (1 - ft),
            dc * cct * it * (1 - it),
            dc * it * (1 - cct**2),
            da_next * s * ot * (1 - ot),
        ]
    )
    weights = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    concat = np.vstack([a_prev, xt])
    dconcat = weights.T @ dgates
    dW = np.split(dgates @ concat.T, 4)
    db = np.split(dgates.sum(axis=1, keepdims=True), 4)
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for index, gate in enumerate("fico"):
        grads["dW" + gate] = dW[index]
        grads["db" + gate] = db[index]
    return grads


def lstm_backward__dict_accumulation(da, caches):
    cell_caches, x = caches
    parameters = cell_caches[0][9]
    n_a, m, T_x = da.shape
    totals = {}
    for gate in "fico":
        totals["dW" + gate] = np.zeros_like(parameters["W" + gate])
        totals["db" + gate] = np.zeros_like(parameters["b" + gate])
    dx = np.zeros(x.shape)
    da_carried = np.zeros((n_a, m))
    dc_carried = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_carried, dc_carried, cell_caches[t])
        for key in totals:
            totals[key] = totals[key] + step[key]
        dx[:, :, t] = step["dxt"]
        da_carried, dc_carried = step["da_prev"], step["dc_prev"]
    return dict(totals, dx=dx, da0=da_carried)
