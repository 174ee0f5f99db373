"""Visible checks for the dinosaur-name assignment.

Each ``check_*`` function runs your code on small fixed cases stored in
``visible_cases.json`` and raises AssertionError with a message when something
is off. Passing them is a good sign; the hidden tests use other sizes, seeds
and settings.
"""

import copy
import json
from pathlib import Path

import numpy as np

from char_utils import rnn_step_forward

CASES_FILE = Path(__file__).with_name("visible_cases.json")
ATOL = 1e-8
RTOL = 1e-6
NEWLINE = "\n"
MAX_LENGTH = 51  # 50 characters and the newline
GRADIENT_KEYS = ("dWax", "dWaa", "dWya", "db", "dby")
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")
# The smoothed loss after the notebook's 8,000 training iterations must be below
# this. A correct solution reaches about 24; a uniform guess costs about 42.
TRAINING_LOSS_BOUND = 28.0
# The distribution check fails when a character's count is more than 5 standard
# deviations from what the model predicts: a correct sampler almost never does that.
Z_LIMIT = 5.0


def _decode(value):
    if isinstance(value, dict) and set(value) == {"array"}:
        return np.array(value["array"], dtype=np.float64)
    if isinstance(value, dict):
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def load_case(name):
    """Return the visible case of function ``name`` as a dict, arrays decoded."""
    with open(CASES_FILE, encoding="utf-8") as handle:
        return _decode(json.load(handle)[name])


def _check_array(name, value, expected):
    assert isinstance(
        value, np.ndarray
    ), f"{name} should be a numpy array, got {type(value).__name__}"
    assert (
        value.dtype == np.float64
    ), f"{name} should have dtype float64, got {value.dtype}"
    assert (
        value.shape == expected.shape
    ), f"{name} has shape {value.shape}, expected {expected.shape}"
    assert np.all(np.isfinite(value)), f"{name} contains NaN or inf"
    error = np.max(np.abs(value - expected) - RTOL * np.abs(expected), initial=0.0)
    assert (
        error <= ATOL
    ), f"{name} differs from the expected values (largest difference {error:.2e})"


def _check_dict(name, value, expected, keys):
    assert isinstance(
        value, dict
    ), f"{name} should be a dict, got {type(value).__name__}"
    missing = [key for key in keys if key not in value]
    assert not missing, f"{name} is missing the keys {missing}"
    for key in keys:
        _check_array(f"{name}[{key!r}]", value[key], expected[key])


def _check_unchanged(name, after, before):
    if isinstance(before, np.ndarray):
        assert np.array_equal(
            after, before
        ), f"your function changed its input {name} in place"
    elif isinstance(before, dict):
        for key in before:
            _check_unchanged(f"{name}[{key!r}]", after[key], before[key])
    else:
        assert after == before, f"your function changed its input {name}"


def check_clip(clip):
    case = load_case("clip")
    gradients, max_value = case["arguments"]["gradients"], case["arguments"]["maxValue"]
    original = copy.deepcopy(gradients)
    clipped = clip(gradients, max_value)
    _check_dict("clip's result", clipped, case["expected"], GRADIENT_KEYS)
    _check_unchanged("gradients", gradients, original)
    assert all(
        clipped[key] is not gradients[key] for key in GRADIENT_KEYS
    ), "clip should return new arrays, not the input arrays"
    print("clip: all visible checks passed.")
    print(
        f"  largest entry of dWaa before {np.max(np.abs(original['dWaa'])):.3f}, "
        f"after {np.max(np.abs(clipped['dWaa'])):.3f} (maxValue = {max_value:g})"
    )


def _check_indices(indices, vocab_size, newline):
    assert isinstance(
        indices, list
    ), f"sample should return a list, got {type(indices).__name__}"
    for index in indices:
        assert isinstance(
            index, (int, np.integer)
        ), f"the list should contain ints, found {type(index).__name__}"
        assert 0 <= index < vocab_size, f"index {index} is outside 0..{vocab_size - 1}"
    assert (
        indices and indices[-1] == newline
    ), f"the list should end with the newline index {newline}"
    assert newline not in indices[:-1], "stop sampling at the first newline"
    assert (
        len(indices) <= MAX_LENGTH
    ), f"the list has {len(indices)} indices; at most 50 characters and the newline"


def z_scores(parameters, sequences):
    """Return observed minus predicted count of each character, in standard deviations.

    For each drawn character, the model's distribution given the characters
    drawn before it in the same name is computed with rnn_step_forward.
    Characters expected fewer than 10 times are pooled into one group.
    """
    vocab_size = parameters["by"].shape[0]
    n_a = parameters["Waa"].shape[0]
    rows, observed = [], np.zeros(vocab_size)
    for indices in sequences:
        drawn = indices[:-1] if len(indices) == MAX_LENGTH else indices
        a, x = np.zeros((n_a, 1)), np.zeros((vocab_size, 1))
        for index in drawn:
            a, y = rnn_step_forward(parameters, a, x)
            rows.append(y.ravel())
            observed[index] += 1
            x = np.zeros((vocab_size, 1))
            x[index] = 1.0
    predicted = np.array(rows)
    expected = predicted.sum(axis=0)
    large = expected >= 10
    scores = []
    for column in np.flatnonzero(large):
        p = predicted[:, column]
        scores.append((observed[column] - p.sum()) / np.sqrt(np.sum(p * (1 - p))))
    pooled = predicted[:, ~large].sum(axis=1)
    if pooled.sum() >= 10:
        spread = np.sqrt(np.sum(pooled * (1 - pooled)))
        scores.append((observed[~large].sum() - pooled.sum()) / spread)
    return np.array(scores)


def check_sample(sample, seeds=100):
    case = load_case("sample")
    arguments = case["arguments"]
    parameters, char_to_ix = arguments["parameters"], arguments["char_to_ix"]
    vocab_size, newline = parameters["by"].shape[0], char_to_ix[NEWLINE]
    original = copy.deepcopy(parameters)

    indices = sample(parameters, char_to_ix, arguments["seed"])
    _check_indices(indices, vocab_size, newline)
    _check_unchanged("parameters", parameters, original)

    never = copy.deepcopy(parameters)
    never["by"][newline] -= 60.0
    capped = sample(never, char_to_ix, 3)
    assert (
        len(capped) == MAX_LENGTH
        and capped[-1] == newline
        and newline not in capped[:-1]
    ), (
        "when no newline is drawn, stop after 50 characters and append the newline "
        f"(51 indices in all); got {len(capped)} indices"
    )
    at_once = copy.deepcopy(parameters)
    at_once["by"][newline] += 60.0
    assert sample(at_once, char_to_ix, 3) == [
        newline
    ], "when the first draw is the newline, return [newline index]"

    long_names = case["distribution_parameters"]
    sequences = [sample(long_names, char_to_ix, 1000 * k + 11) for k in range(seeds)]
    for sequence in sequences:
        _check_indices(sequence, vocab_size, newline)
    worst = float(np.max(np.abs(z_scores(long_names, sequences))))
    assert worst <= Z_LIMIT, (
        f"over {seeds} seeds, the characters you draw do not follow the model's "
        f"probabilities (a character is off by {worst:.1f} standard deviations): "
        "draw from y.ravel() after feeding the previous character and hidden state"
    )
    assert indices == case["expected"], (
        "your indices follow the model but differ from the prescribed draw: before "
        "drawing "
        "character number t (from 0), call np.random.seed(seed + t), then "
        "np.random.choice(vocab_size, p=y.ravel())"
    )
    ix_to_char = {index: char for char, index in char_to_ix.items()}
    text = "".join(ix_to_char[index] for index in indices).strip()
    print("sample: all visible checks passed.")
    print(f"  sampled {len(indices)} indices: {indices}  ->  {text!r}")


def check_optimize(optimize):
    case = load_case("optimize")
    arguments, expected = case["arguments"], case["expected"]
    X, Y, a_prev = arguments["X"], arguments["Y"], arguments["a_prev"]
    parameters = copy.deepcopy(arguments["parameters"])
    a_prev_before = a_prev.copy()
    outputs = optimize(X, Y, a_prev, parameters, arguments["learning_rate"])

    message = "optimize should return (loss, gradients, a_last)"
    assert isinstance(outputs, tuple) and len(outputs) == 3, message
    loss, gradients, a_last = outputs
    message = f"loss should be a float, got {type(loss).__name__}"
    assert isinstance(loss, (float, np.floating)), message
    wanted = expected["loss"]
    message = f"loss is {loss:.6f}, expected {wanted:.6f}"
    assert abs(loss - wanted) <= ATOL + RTOL * abs(wanted), message
    _check_dict("gradients", gradients, expected["gradients"], GRADIENT_KEYS)
    _check_array("a_last", a_last, expected["a_last"])

    unchanged = np.array_equal(parameters["Wax"], arguments["parameters"]["Wax"])
    message = "parameters did not change: optimize must update the dict it receives"
    assert not unchanged, message
    after = expected["parameters_after"]
    _check_dict("parameters after optimize", parameters, after, PARAMETER_KEYS)
    _check_unchanged("a_prev", a_prev, a_prev_before)

    largest = max(np.max(np.abs(value)) for value in gradients.values())
    print("optimize: all visible checks passed.")
    print(f"  loss = {loss:.6f}, largest |gradient| = {largest:.3f}")


def check_model(model):
    case = load_case("model")
    arguments, expected = case["arguments"], case["expected"]
    arguments["ix_to_char"] = {
        index: char for char, index in arguments["char_to_ix"].items()
    }
    parameters, losses, samples = model(**arguments)
    _check_dict("parameters", parameters, expected["parameters"], PARAMETER_KEYS)
    assert len(losses) == arguments["num_iterations"], (
        f"losses should hold one value per iteration ({arguments['num_iterations']}), "
        f"got {len(losses)}"
    )
    _check_array(
        "losses", np.asarray(losses, dtype=np.float64), np.array(expected["losses"])
    )
    assert samples == expected["samples"], (
        "the samples differ: after iterations sample_every, 2 * sample_every, ..., "
        "draw "
        "n_samples names with seeds 0, 100, 200, ... (check_sample must pass first)"
    )
    print(
        "model: all visible checks passed "
        "(this check uses your own optimize and sample, so they must pass first)."
    )
    print(
        f"  smoothed loss {losses[0]:.3f} after the first iteration, {losses[-1]:.3f} "
        "after the last"
    )


def check_training_run(losses, samples, char_to_ix, bound=TRAINING_LOSS_BOUND):
    """Check the notebook's training run: the last smoothed loss and sampled names."""
    vocab_size, newline = len(char_to_ix), char_to_ix[NEWLINE]
    for indices in samples:
        _check_indices(indices, vocab_size, newline)
    assert losses[-1] < bound, (
        f"the smoothed loss ended at {losses[-1]:.2f}, not below {bound:g}: check that "
        "model carries a_prev, smooths the loss and calls optimize every iteration"
    )
    print(
        f"Training run: smoothed loss {losses[-1]:.2f} (below {bound:g}), "
        f"{len(samples)} valid sampled names."
    )
