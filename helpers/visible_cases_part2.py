"""Write Part 2's ``visible_cases.json``: inputs and expected outputs of visible checks.

The visible cases use their own seeds and sizes, never those of a hidden case.
Run ``python -m helpers.visible_cases_part2`` after changing the reference.
"""

import copy
import json
import sys

import numpy as np

from .course import REPOSITORY
from .reference import char_inputs, char_model

PATH = REPOSITORY / "source" / "dinosaur_names" / "visible_cases.json"


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"array": value.tolist()}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, np.floating):
        return float(value)
    return value


def _run(function, arguments):
    """Call ``function`` on a copy of ``arguments``; return (result, that copy)."""
    arguments = copy.deepcopy(arguments)
    return function(**arguments), arguments


def visible_cases():
    """Map each function name to its visible arguments and expected outputs."""
    cases = {}
    clip_arguments = char_inputs.clip_inputs(1, 3, 3.0)
    cases["clip"] = {
        "arguments": _encode(clip_arguments),
        "expected": _encode(_run(char_model.clip, clip_arguments)[0]),
    }

    sample_arguments = char_inputs.sample_inputs(5, 6, newline_shift=-1.0)
    long_names = char_inputs.sample_inputs(6, 6, newline_shift=-3.0)
    cases["sample"] = {
        "arguments": _encode(sample_arguments),
        "expected": _run(char_model.sample, sample_arguments)[0],
        "distribution_parameters": _encode(long_names["parameters"]),
    }

    optimize_arguments = char_inputs.optimize_inputs(2, 5, 0.03)
    (loss, gradients, a_last), after = _run(char_model.optimize, optimize_arguments)
    cases["optimize"] = {
        "arguments": _encode(optimize_arguments),
        "expected": _encode(
            {
                "loss": loss,
                "gradients": gradients,
                "a_last": a_last,
                "parameters_after": after["parameters"],
            }
        ),
    }

    model_arguments = char_inputs.model_inputs(3, 6, 0.03, 60)
    parameters, losses, samples = _run(char_model.model, model_arguments)[0]
    model_arguments.pop("ix_to_char")  # JSON keys are strings; the check rebuilds it
    cases["model"] = {
        "arguments": _encode(model_arguments),
        "expected": _encode(
            {"parameters": parameters, "losses": losses, "samples": samples}
        ),
    }
    return cases


def write(path=PATH):
    text = json.dumps(visible_cases(), indent=None, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"Wrote {PATH}", file=sys.stderr)
