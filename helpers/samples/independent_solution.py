"""A complete solution written apart from both the notebook's cells and the reference.

Parsed, not imported: each function replaces the student's solution cell of
the same name. Grading it through nbgrader autograde must give full marks.
"""
# ruff: noqa: F821


def rnn_cell_forward(xt, a_prev, parameters):
    pre_activation = np.matmul(parameters["Wax"], xt)
    pre_activation += np.matmul(parameters["Waa"], a_prev)
    pre_activation += parameters["ba"]
    a_next = np.tanh(pre_activation)
    logits = np.matmul(parameters["Wya"], a_next) + parameters["by"]
    logits -= logits.max(axis=0, keepdims=True)
    probabilities = np.exp(logits)
    yt_pred = probabilities / probabilities.sum(axis=0, keepdims=True)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    steps = x.shape[2]
    outputs = [None] * steps
    caches = []
    hidden = a0
    for t in range(steps):
        hidden, prediction, cache = rnn_cell_forward(x[:, :, t], hidden, parameters)
        outputs[t] = (hidden, prediction)
        caches.append(cache)
    a = np.dstack([pair[0] for pair in outputs])
    y_pred = np.dstack([pair[1] for pair in outputs])
    caches = (caches, x)
    return a, y_pred, caches


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    def logistic(z):
        return np.exp(-np.logaddexp(0, -z))

    joined = np.concatenate([a_prev, xt], axis=0)
    pre = {g: parameters["W" + g].dot(joined) + parameters["b" + g] for g in "fico"}
    ft, it, ot = logistic(pre["f"]), logistic(pre["i"]), logistic(pre["o"])
    cct = np.tanh(pre["c"])
    c_next = np.multiply(ft, c_prev) + np.multiply(it, cct)
    a_next = np.multiply(ot, np.tanh(c_next))
    yt_pred = softmax(parameters["Wy"].dot(a_next) + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    n_a, m = a0.shape
    n_y = parameters["by"].shape[0]
    steps = x.shape[2]
    a = np.zeros((n_a, m, steps))
    c = np.zeros_like(a)
    y = np.zeros((n_y, m, steps))
    caches = []
    state = (a0, np.zeros_like(a0))
    for t in range(steps):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[:, :, t], state[0], state[1], parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_t, c_t, y_t
        state = (a_t, c_t)
        caches.append(cache)
    caches = (caches, x)
    return a, y, c, caches


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dpre = np.multiply(da_next, 1.0 - np.multiply(a_next, a_next))
    return {
        "dxt": np.matmul(parameters["Wax"].T, dpre),
        "da_prev": np.matmul(parameters["Waa"].T, dpre),
        "dWax": np.matmul(dpre, xt.T),
        "dWaa": np.matmul(dpre, a_prev.T),
        "dba": dpre.sum(axis=-1).reshape(-1, 1),
    }


def rnn_backward(da, caches):
    step_caches, x = caches
    grads = {"dx": np.zeros_like(x)}
    for name, key in (("dWax", "Wax"), ("dWaa", "Waa"), ("dba", "ba")):
        grads[name] = np.zeros_like(step_caches[0][3][key])
    upstream = np.zeros_like(da[:, :, 0])
    for t in range(da.shape[2])[::-1]:
        local = rnn_cell_backward(upstream + da[:, :, t], step_caches[t])
        grads["dx"][:, :, t] = local["dxt"]
        for name in ("dWax", "dWaa", "dba"):
            grads[name] = grads[name] + local[name]
        upstream = local["da_prev"]
    grads["da0"] = upstream
    return grads


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_prev.shape[0]
    squashed = np.tanh(c_next)
    d_cell = dc_next + da_next * ot * (1.0 - squashed * squashed)
    d_pre = {
        "f": d_cell * c_prev * ft * (1.0 - ft),
        "i": d_cell * cct * it * (1.0 - it),
        "c": d_cell * it * (1.0 - cct * cct),
        "o": da_next * squashed * ot * (1.0 - ot),
    }
    joined = np.vstack([a_prev, xt])
    d_joined = sum(parameters["W" + g].T.dot(d_pre[g]) for g in "fico")
    result = {"dxt": d_joined[n_a:], "da_prev": d_joined[:n_a], "dc_prev": d_cell * ft}
    for g in "fico":
        result["dW" + g] = d_pre[g].dot(joined.T)
        result["db" + g] = np.sum(d_pre[g], axis=1, keepdims=True)
    return result


def lstm_backward(da, caches):
    step_caches, x = caches
    n_a, m, steps = da.shape
    parameters = step_caches[0][-1]
    result = {"dx": np.zeros_like(x)}
    for g in "fico":
        result["dW" + g] = np.zeros_like(parameters["W" + g])
        result["db" + g] = np.zeros_like(parameters["b" + g])
    da_from_later = np.zeros((n_a, m))
    dc_from_later = np.zeros((n_a, m))
    for t in range(steps - 1, -1, -1):
        local = lstm_cell_backward(da[:, :, t] + da_from_later, dc_from_later, step_caches[t])
        result["dx"][:, :, t] = local["dxt"]
        for g in "fico":
            result["dW" + g] += local["dW" + g]
            result["db" + g] += local["db" + g]
        da_from_later = local["da_prev"]
        dc_from_later = local["dc_prev"]
    result["da0"] = da_from_later
    return result
