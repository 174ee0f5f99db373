"""Part 1: the eight functions, their hidden cases, probes and named checks.

Hidden sizes and seeds come from ``nbgrader_config.py``
(``GradeFunctions.hidden_cases``), so they can change each term without
editing the notebook. Points per check are fixed here; the "values" points of a
function are shared equally by its hidden cases.
"""

import numpy as np

from ..grading.spec import Case, Check, FunctionSpec
from ..reference import inputs, rnn

NOTEBOOK = "rnn_step_by_step"

DEFAULT_HIDDEN_CASES = (
    {"seed": 3101, "n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 4},
    {"seed": 4711, "n_x": 4, "n_a": 7, "n_y": 3, "m": 1, "T_x": 1},
    {"seed": 5923, "n_x": 2, "n_a": 3, "n_y": 4, "m": 6, "T_x": 7},
)

REFERENCE_CELLS = {
    "rnn_cell_forward": rnn.rnn_cell_forward,
    "lstm_cell_forward": rnn.lstm_cell_forward,
    "rnn_cell_backward": rnn.rnn_cell_backward,
    "lstm_cell_backward": rnn.lstm_cell_backward,
}

# Each function draws its inputs from its own seeds: the hidden seed plus an offset.
SEED_OFFSETS = {
    "rnn_cell_forward": 0,
    "rnn_forward": 10,
    "lstm_cell_forward": 20,
    "lstm_forward": 30,
    "rnn_cell_backward": 40,
    "rnn_backward": 50,
    "lstm_cell_backward": 60,
    "lstm_backward": 70,
}

SOFTMAX_HINT = (
    "yt_pred must stay finite when the scores are large: subtract the column maximum "
    "before np.exp, or call the provided softmax"
)
UNCHANGED = Check("unchanged", "does not modify its inputs", 1)


def _label(index, case, sequence):
    sizes = f"n_x={case['n_x']}, n_a={case['n_a']}, n_y={case['n_y']}, m={case['m']}"
    if sequence:
        sizes += f", T_x={case['T_x']}"
    return f"hidden case {index + 1} ({sizes})"


def _cases(name, hidden_cases, build, sequence):
    cases = []
    for index, case in enumerate(hidden_cases):
        sizes = {key: case[key] for key in ("n_x", "n_a", "n_y", "m")}
        if sequence:
            sizes["t_x"] = case["T_x"]
        arguments = build(case["seed"] + SEED_OFFSETS[name], **sizes)
        label = _label(index, case, sequence)
        cases.append(Case(f"hidden{index + 1}", label, list(arguments.values())))
    return cases


def _large_scores(cases):
    """Copy the first case, shifting its output scores to around 800."""
    arguments = [np.copy(a) if isinstance(a, np.ndarray) else a for a in cases[0].arguments]
    parameters = {key: value.copy() for key, value in arguments[-1].items()}
    parameters["by"] = parameters["by"] + 800.0
    arguments[-1] = parameters
    return Case("large_scores", "a case with large output scores", arguments, scored=False)


def _with_zeroed(case, key, label, index):
    arguments = list(case.arguments)
    arguments[index] = np.zeros_like(arguments[index])
    return Case(key, label, arguments, scored=False)


def rnn_cell_forward_cases(hidden_cases):
    cases = _cases("rnn_cell_forward", hidden_cases, inputs.rnn_cell_inputs, False)
    first = cases[0]
    return cases + [
        _large_scores(cases),
        _with_zeroed(first, "zero_xt", "a probe with xt = 0", 0),
        _with_zeroed(first, "zero_a_prev", "a probe with a_prev = 0", 1),
    ]


def lstm_cell_forward_cases(hidden_cases):
    cases = _cases("lstm_cell_forward", hidden_cases, inputs.lstm_cell_inputs, False)
    first = cases[0]
    return cases + [
        _large_scores(cases),
        _with_zeroed(first, "zero_c_prev", "a probe with c_prev = 0", 2),
    ]


def _last_step_only(cases):
    """Build a probe whose upstream gradient is zero except at the last step."""
    da, caches = cases[0].arguments
    last = np.zeros_like(da)
    last[:, :, -1] = da[:, :, -1]
    return Case("last_step", "a probe with a gradient at the last step only", [last, caches], scored=False)


def rnn_backward_cases(hidden_cases):
    cases = _cases("rnn_backward", hidden_cases, inputs.rnn_backward_inputs, True)
    return cases + [_last_step_only(cases)]


def lstm_backward_cases(hidden_cases):
    cases = _cases("lstm_backward", hidden_cases, inputs.lstm_backward_inputs, True)
    return cases + [_last_step_only(cases)]


def lstm_cell_backward_cases(hidden_cases):
    cases = _cases("lstm_cell_backward", hidden_cases, inputs.lstm_cell_backward_inputs, False)
    first = cases[0]
    return cases + [
        _with_zeroed(first, "zero_da_next", "a probe with da_next = 0", 0),
        _with_zeroed(first, "zero_dc_next", "a probe with dc_next = 0", 1),
    ]


LSTM_GRADIENTS = tuple(prefix + gate for gate in "fico" for prefix in ("dW", "db"))

FUNCTIONS = (
    FunctionSpec(
        name="rnn_cell_forward",
        points=10,
        arguments=("xt", "a_prev", "parameters"),
        outputs=("a_next", "yt_pred", "cache"),
        returns_dict=False,
        cache_output="cache",
        reference=rnn.rnn_cell_forward,
        make_cases=rnn_cell_forward_cases,
        checks=(
            Check("returns", "returns a_next (n_a, m) and yt_pred (n_y, m) as float64 arrays", 1),
            Check("cache", "cache is (a_next, a_prev, xt, parameters)", 1),
            Check("values", "a_next and yt_pred values", 6),
            Check("probe", "softmax is stable for large scores", 1, case="large_scores",
                  hint=SOFTMAX_HINT),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="rnn_forward",
        points=10,
        arguments=("x", "a0", "parameters"),
        outputs=("a", "y_pred", "caches"),
        returns_dict=False,
        cache_output="caches",
        stubs=("rnn_cell_forward",),
        reference=rnn.rnn_forward,
        make_cases=lambda hidden: _cases("rnn_forward", hidden, inputs.rnn_sequence_inputs, True),
        checks=(
            Check("returns", "returns a (n_a, m, T_x) and y_pred (n_y, m, T_x) as float64 arrays", 1),
            Check("cache", "caches is (list of T_x cell caches, x)", 1),
            Check("values", "a and y_pred values", 6),
            Check("separate", "a and y_pred are separate arrays", 1, outputs=("a", "y_pred"),
                  hint="create a and y_pred with their own np.zeros calls"),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="lstm_cell_forward",
        points=15,
        arguments=("xt", "a_prev", "c_prev", "parameters"),
        outputs=("a_next", "c_next", "yt_pred", "cache"),
        returns_dict=False,
        cache_output="cache",
        reference=rnn.lstm_cell_forward,
        make_cases=lstm_cell_forward_cases,
        checks=(
            Check("returns", "returns a_next, c_next (n_a, m) and yt_pred (n_y, m) as float64 arrays", 1),
            Check("cache", "cache is (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)", 2,
                  hint="the gates ft, it, cct and ot in the cache must be the values used for c_next and a_next"),
            Check("values", "a_next, c_next and yt_pred values", 10),
            Check("probe", "softmax is stable for large scores", 1, case="large_scores",
                  hint=SOFTMAX_HINT),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="lstm_forward",
        points=10,
        arguments=("x", "a0", "parameters"),
        outputs=("a", "y", "c", "caches"),
        returns_dict=False,
        cache_output="caches",
        stubs=("lstm_cell_forward",),
        reference=rnn.lstm_forward,
        make_cases=lambda hidden: _cases("lstm_forward", hidden, inputs.lstm_sequence_inputs, True),
        checks=(
            Check("returns", "returns a, c (n_a, m, T_x) and y (n_y, m, T_x) as float64 arrays", 1),
            Check("cache", "caches is (list of T_x cell caches, x)", 1),
            Check("values", "a, y and c values", 6),
            Check("separate", "a, y and c are separate arrays", 1, outputs=("a", "y", "c"),
                  hint="create a, y and c with their own np.zeros calls"),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="rnn_cell_backward",
        points=10,
        arguments=("da_next", "cache"),
        outputs=("dxt", "da_prev", "dWax", "dWaa", "dba"),
        returns_dict=True,
        reference=rnn.rnn_cell_backward,
        make_cases=lambda hidden: _cases(
            "rnn_cell_backward", hidden, inputs.rnn_cell_backward_inputs, False
        ),
        checks=(
            Check("returns", "returns dxt, da_prev, dWax, dWaa, dba with the shapes of xt, a_prev, Wax, Waa, ba", 2),
            Check("values", "gradient values", 7),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="rnn_backward",
        points=15,
        arguments=("da", "caches"),
        outputs=("dx", "da0", "dWax", "dWaa", "dba"),
        returns_dict=True,
        stubs=("rnn_cell_backward",),
        reference=rnn.rnn_backward,
        make_cases=rnn_backward_cases,
        checks=(
            Check("returns", "returns dx, da0, dWax, dWaa, dba with the shapes of x, a0, Wax, Waa, ba", 2),
            Check("values", "gradient values", 12),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="lstm_cell_backward",
        points=15,
        arguments=("da_next", "dc_next", "cache"),
        outputs=("dxt", "da_prev", "dc_prev") + LSTM_GRADIENTS,
        returns_dict=True,
        reference=rnn.lstm_cell_backward,
        make_cases=lstm_cell_backward_cases,
        checks=(
            Check("returns", "returns dxt, da_prev, dc_prev and dW, db of each gate with the right shapes", 2),
            Check("values", "gradient values", 12),
            UNCHANGED,
        ),
    ),
    FunctionSpec(
        name="lstm_backward",
        points=15,
        arguments=("da", "caches"),
        outputs=("dx", "da0") + LSTM_GRADIENTS,
        returns_dict=True,
        stubs=("lstm_cell_backward",),
        reference=rnn.lstm_backward,
        make_cases=lstm_backward_cases,
        checks=(
            Check("returns", "returns dx, da0 and dW, db of each gate with the right shapes", 2),
            Check("values", "gradient values", 12),
            UNCHANGED,
        ),
    ),
)


def validate_hidden_cases(hidden_cases):
    """Raise ValueError unless the cases cover n_x != n_a, m = 1 and T_x = 1."""
    keys = {"seed", "n_x", "n_a", "n_y", "m", "T_x"}
    for case in hidden_cases:
        missing = keys - set(case)
        if missing:
            raise ValueError(f"hidden case {case} is missing {sorted(missing)}")
    if len(hidden_cases) < 2:
        raise ValueError("GradeFunctions.hidden_cases needs at least two cases")
    if not any(case["n_x"] != case["n_a"] for case in hidden_cases):
        raise ValueError("GradeFunctions.hidden_cases needs a case with n_x != n_a")
    if not any(case["m"] == 1 for case in hidden_cases):
        raise ValueError("GradeFunctions.hidden_cases needs a case with m = 1")
    if not any(case["T_x"] == 1 for case in hidden_cases):
        raise ValueError("GradeFunctions.hidden_cases needs a case with T_x = 1")


# Names the solution cells use, for building catalogued mistakes in the grader.
MISTAKE_NAMESPACE = dict(REFERENCE_CELLS, np=np, softmax=rnn.softmax, sigmoid=rnn.sigmoid)
