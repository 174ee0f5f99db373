"""Write ``visible_cases.json``: the inputs and expected outputs of the visible checks.

The visible case uses its own seed and sizes, never those of a hidden case.
Run ``python -m helpers visible-cases`` after changing the reference.
"""

import json

import numpy as np

from .reference import inputs, rnn

SEED = 1
SIZES = {"n_x": 3, "n_a": 5, "n_y": 2, "m": 4}
T_X = 3


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"array": value.tolist()}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value


def _without_caches(outputs):
    """Forward outputs with the bulky caches replaced by None."""
    return outputs[:-1] + (None,)


def visible_cases():
    """Map each function name to its visible arguments and expected outputs."""
    cell = dict(SIZES)
    sequence = dict(SIZES, t_x=T_X)
    arguments = {
        "rnn_cell_forward": inputs.rnn_cell_inputs(SEED, **cell),
        "rnn_forward": inputs.rnn_sequence_inputs(SEED, **sequence),
        "lstm_cell_forward": inputs.lstm_cell_inputs(SEED, **cell),
        "lstm_forward": inputs.lstm_sequence_inputs(SEED, **sequence),
        "rnn_cell_backward": inputs.rnn_cell_backward_inputs(SEED, **cell),
        "rnn_backward": inputs.rnn_backward_inputs(SEED, **sequence),
        "lstm_cell_backward": inputs.lstm_cell_backward_inputs(SEED, **cell),
        "lstm_backward": inputs.lstm_backward_inputs(SEED, **sequence),
    }
    cases = {}
    for name, kwargs in arguments.items():
        expected = getattr(rnn, name)(**kwargs)
        if name in ("rnn_forward", "lstm_forward"):
            expected = _without_caches(expected)
        cases[name] = {
            "arguments": _encode(list(kwargs.values())),
            "expected": _encode(expected),
        }
    return cases


def write(path):
    text = json.dumps(visible_cases(), indent=None, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
