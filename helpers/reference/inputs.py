"""Random inputs for the Part 1 functions, drawn from a seeded generator.

Grading, the visible checks and the tests all build their cases here, so a
case is fully described by its seed and sizes.
"""

import numpy as np

from .rnn import lstm_cell_forward, lstm_forward, rnn_cell_forward, rnn_forward


def rnn_parameters(rng, n_x, n_a, n_y, scale=0.5):
    """Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)."""
    shapes = {
        "Wax": (n_a, n_x),
        "Waa": (n_a, n_a),
        "Wya": (n_y, n_a),
        "ba": (n_a, 1),
        "by": (n_y, 1),
    }
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def lstm_parameters(rng, n_x, n_a, n_y, scale=0.5):
    """Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1), Wy (n_y, n_a), by (n_y, 1)."""
    shapes = {}
    for gate in "fico":
        shapes["W" + gate] = (n_a, n_a + n_x)
        shapes["b" + gate] = (n_a, 1)
    shapes["Wy"] = (n_y, n_a)
    shapes["by"] = (n_y, 1)
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def rnn_cell_inputs(seed, n_x, n_a, n_y, m):
    """Arguments of rnn_cell_forward: xt (n_x, m), a_prev (n_a, m), parameters."""
    rng = np.random.default_rng(seed)
    return {
        "xt": rng.standard_normal((n_x, m)),
        "a_prev": rng.standard_normal((n_a, m)),
        "parameters": rnn_parameters(rng, n_x, n_a, n_y),
    }


def rnn_sequence_inputs(seed, n_x, n_a, n_y, m, t_x):
    """Arguments of rnn_forward: x (n_x, m, T_x), a0 (n_a, m), parameters."""
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((n_x, m, t_x)),
        "a0": rng.standard_normal((n_a, m)),
        "parameters": rnn_parameters(rng, n_x, n_a, n_y),
    }


def lstm_cell_inputs(seed, n_x, n_a, n_y, m):
    """Arguments of lstm_cell_forward: xt, a_prev, c_prev, parameters."""
    rng = np.random.default_rng(seed)
    return {
        "xt": rng.standard_normal((n_x, m)),
        "a_prev": rng.standard_normal((n_a, m)),
        "c_prev": rng.standard_normal((n_a, m)),
        "parameters": lstm_parameters(rng, n_x, n_a, n_y),
    }


def lstm_sequence_inputs(seed, n_x, n_a, n_y, m, t_x):
    """Arguments of lstm_forward: x (n_x, m, T_x), a0 (n_a, m), parameters."""
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((n_x, m, t_x)),
        "a0": rng.standard_normal((n_a, m)),
        "parameters": lstm_parameters(rng, n_x, n_a, n_y),
    }


def rnn_cell_backward_inputs(seed, n_x, n_a, n_y, m):
    """Arguments of rnn_cell_backward: da_next (n_a, m) and a reference cache."""
    forward = rnn_cell_inputs(seed, n_x, n_a, n_y, m)
    rng = np.random.default_rng(seed + 1)
    _, _, cache = rnn_cell_forward(**forward)
    return {"da_next": rng.standard_normal((n_a, m)), "cache": cache}


def lstm_cell_backward_inputs(seed, n_x, n_a, n_y, m):
    """Arguments of lstm_cell_backward: da_next, dc_next (n_a, m) and a reference cache."""
    forward = lstm_cell_inputs(seed, n_x, n_a, n_y, m)
    rng = np.random.default_rng(seed + 1)
    *_, cache = lstm_cell_forward(**forward)
    return {
        "da_next": rng.standard_normal((n_a, m)),
        "dc_next": rng.standard_normal((n_a, m)),
        "cache": cache,
    }


def rnn_backward_inputs(seed, n_x, n_a, n_y, m, t_x):
    """Arguments of rnn_backward: da (n_a, m, T_x) and reference caches."""
    forward = rnn_sequence_inputs(seed, n_x, n_a, n_y, m, t_x)
    rng = np.random.default_rng(seed + 1)
    _, _, caches = rnn_forward(**forward)
    return {"da": rng.standard_normal((n_a, m, t_x)), "caches": caches}


def lstm_backward_inputs(seed, n_x, n_a, n_y, m, t_x):
    """Arguments of lstm_backward: da (n_a, m, T_x) and reference caches."""
    forward = lstm_sequence_inputs(seed, n_x, n_a, n_y, m, t_x)
    rng = np.random.default_rng(seed + 1)
    *_, caches = lstm_forward(**forward)
    return {"da": rng.standard_normal((n_a, m, t_x)), "caches": caches}
