"""Proof of Part 2's reference: gradients against central differences, the properties
of clip and sample, and the student module's helpers against the reference."""

import copy
import importlib.util
import sys
import time

import numpy as np
import pytest

from helpers.course import REPOSITORY
from helpers.reference import char_inputs, char_model

SOURCE = REPOSITORY / "source" / "dinosaur_names"
MAX_RELATIVE_ERROR = 1e-7
SIZES = [(1, "aa"), (3, "tawa"), (8, "stegosaurus"), (5, "micropachycephalosaurus")]


def load_student_module(name):
    """Import a student file with its folder on sys.path, as the notebook does."""
    sys.path.insert(0, str(SOURCE))
    try:
        spec = importlib.util.spec_from_file_location(name, SOURCE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SOURCE))
    return module


char_utils = load_student_module("char_utils")
public_checks = load_student_module("public_checks")
CHAR_TO_IX, IX_TO_CHAR = char_model.vocabulary_maps()


def example(n_a, name, seed=0):
    rng = np.random.default_rng(seed)
    X, Y = char_model.training_example(name, CHAR_TO_IX)
    a0 = np.tanh(rng.standard_normal((n_a, 1)))
    return X, Y, a0, char_inputs.random_parameters(rng, n_a)


# The same central differences (step 1e-6) and relative error as Part 1's proof.
from test_reference import numerical_gradient, relative_error  # noqa: E402


@pytest.mark.parametrize("n_a, name", SIZES)
def test_backward_matches_central_differences(n_a, name):
    X, Y, a0, parameters = example(n_a, name)
    _, cache = char_model.rnn_forward(X, Y, a0, parameters)
    gradients, _ = char_model.rnn_backward(X, Y, parameters, cache)

    def loss():
        return char_model.rnn_forward(X, Y, a0, parameters)[0]

    for key in char_model.PARAMETER_NAMES:
        numeric = numerical_gradient(loss, parameters[key])
        error = relative_error(gradients["d" + key], numeric)
        assert error < MAX_RELATIVE_ERROR, f"d{key}: relative error {error:.2e}"


def test_forward_loss_is_summed_cross_entropy():
    X, Y, a0, parameters = example(4, "tawa")
    loss, (a, y_hat, x) = char_model.rnn_forward(X, Y, a0, parameters)
    assert len(a) == len(X) + 1
    assert a[0] is a0
    assert np.isclose(loss, -sum(np.log(y_hat[t][Y[t], 0]) for t in range(len(X))))
    assert not x[0].any()
    assert all(np.isclose(column.sum(), 1.0) for column in y_hat)


def test_vocabulary_has_newline_first():
    assert len(CHAR_TO_IX) == 27
    assert CHAR_TO_IX["\n"] == 0
    assert CHAR_TO_IX["a"] == 1
    assert IX_TO_CHAR[26] == "z"


def test_training_example_shifts_by_one():
    X, Y = char_model.training_example("tawa", CHAR_TO_IX)
    assert X == [None, 20, 1, 23, 1]
    assert Y == [20, 1, 23, 1, 0]


# clip


def test_clip_bounds_every_entry():
    gradients = char_inputs.clip_inputs(5, 6, 2.0)["gradients"]
    clipped = char_model.clip(gradients, 2.0)
    assert set(clipped) == set(gradients)
    for key, value in clipped.items():
        assert np.all(np.abs(value) <= 2.0)
        inside = np.abs(gradients[key]) <= 2.0
        assert np.array_equal(value[inside], gradients[key][inside])
        assert np.array_equal(value[~inside], 2.0 * np.sign(gradients[key][~inside]))


def test_clip_leaves_input_unchanged():
    gradients = char_inputs.clip_inputs(6, 4, 1.0)["gradients"]
    before = copy.deepcopy(gradients)
    clipped = char_model.clip(gradients, 1.0)
    for key in gradients:
        assert np.array_equal(gradients[key], before[key])
        assert not np.shares_memory(clipped[key], gradients[key])


def test_clip_is_idempotent():
    gradients = char_inputs.clip_inputs(7, 3, 3.0)["gradients"]
    once = char_model.clip(gradients, 3.0)
    twice = char_model.clip(once, 3.0)
    assert all(np.array_equal(once[key], twice[key]) for key in once)


# sample


@pytest.mark.parametrize("seed", range(20))
def test_sample_ends_with_one_newline(seed):
    arguments = char_inputs.sample_inputs(seed, 5)
    indices = char_model.sample(**arguments)
    assert indices[-1] == 0
    assert 0 not in indices[:-1]
    assert 1 <= len(indices) <= 51
    assert all(type(index) is int and 0 <= index < 27 for index in indices)


def test_sample_limit_appends_newline():
    arguments = char_inputs.sample_inputs(3, 6, newline_shift=-60.0)
    indices = char_model.sample(**arguments)
    assert len(indices) == 51
    assert indices[-1] == 0
    assert 0 not in indices[:-1]


def test_sample_stops_at_first_newline():
    arguments = char_inputs.sample_inputs(3, 6, newline_shift=60.0)
    assert char_model.sample(**arguments) == [0]


def test_sample_reproducible_whatever_the_global_state():
    arguments = char_inputs.sample_inputs(9, 7)
    first = char_model.sample(**arguments)
    np.random.seed(12345)
    np.random.random(100)
    assert char_model.sample(**arguments) == first


def test_sample_matches_documented_draw():
    """The draw is np.random.choice after np.random.seed(seed + t), step by step."""
    arguments = char_inputs.sample_inputs(11, 5, newline_shift=-2.0)
    parameters, seed = arguments["parameters"], arguments["seed"]
    indices = char_model.sample(**arguments)
    a, x = np.zeros((5, 1)), np.zeros((27, 1))
    for t, index in enumerate(indices[:50]):
        a, y = char_model.rnn_step_forward(parameters, a, x)
        np.random.seed(seed + t)
        u = np.random.random_sample()
        assert index == int(np.searchsorted(np.cumsum(y.ravel()), u, side="right"))
        x = char_model.one_hot(index, 27)


def test_sample_leaves_parameters_unchanged():
    arguments = char_inputs.sample_inputs(4, 5)
    before = copy.deepcopy(arguments["parameters"])
    char_model.sample(**arguments)
    for key, value in before.items():
        assert np.array_equal(arguments["parameters"][key], value)


# optimize and model


def test_optimize_is_forward_backward_clip_update():
    arguments = char_inputs.optimize_inputs(8, 6, 0.05)
    parameters = copy.deepcopy(arguments["parameters"])
    X, Y, a_prev = arguments["X"], arguments["Y"], arguments["a_prev"]
    loss, cache = char_model.rnn_forward(X, Y, a_prev, parameters)
    raw, states = char_model.rnn_backward(X, Y, parameters, cache)

    result = char_model.optimize(**arguments)
    assert result[0] == loss
    assert any(np.any(np.abs(value) > 5) for value in raw.values())
    for key in char_model.PARAMETER_NAMES:
        clipped = np.clip(raw["d" + key], -5, 5)
        assert np.array_equal(result[1]["d" + key], clipped)
        expected = parameters[key] - 0.05 * clipped
        assert np.allclose(arguments["parameters"][key], expected, rtol=0, atol=1e-15)
    assert np.array_equal(result[2], states[len(X)])


def test_optimize_inputs_need_clipping():
    for seed, n_a in [(2121, 12), (3223, 7), (77, 3), (78, 30)]:
        arguments = char_inputs.optimize_inputs(seed, n_a, 0.01)
        fraction = char_inputs.clipped_fraction(
            arguments["X"], arguments["Y"], arguments["a_prev"], arguments["parameters"]
        )
        assert 0.02 <= fraction <= 0.8, (seed, n_a, fraction)


def test_model_samples_prescribed_rounds():
    arguments = char_inputs.model_inputs(1, 5, 0.05, 60)
    parameters, losses, samples = char_model.model(**arguments)
    assert len(losses) == 60
    assert len(samples) == 3 * arguments["n_samples"]
    assert losses[0] < char_model.initial_loss(arguments["names"], 27) + 10


def test_notebook_training_run_meets_stated_bound():
    """The notebook's run: 8,000 iterations, below the stated bound, under 30 s."""
    bound = public_checks.TRAINING_LOSS_BOUND
    notebook = (SOURCE / "dinosaur_names.ipynb").read_text(encoding="utf-8")
    assert f"below {bound:g}" in notebook
    assert "num_iterations=8000)" in notebook
    names = char_model.shuffled(char_model.load_names(SOURCE / "dinos.txt"))
    started = time.monotonic()
    _, losses, samples = char_model.model(
        names, CHAR_TO_IX, IX_TO_CHAR, num_iterations=8000
    )
    seconds = time.monotonic() - started
    assert losses[-1] < bound
    assert losses[0] > 40.0
    assert len(samples) == 20
    assert seconds < 30.0


# the student module


@pytest.mark.parametrize("n_a, name", SIZES)
def test_student_passes_match_reference(n_a, name):
    X, Y, a0, parameters = example(n_a, name, seed=3)
    loss, cache = char_utils.rnn_forward(X, Y, a0, parameters)
    reference_loss, reference_cache = char_model.rnn_forward(X, Y, a0, parameters)
    assert np.isclose(loss, reference_loss, rtol=1e-12, atol=0)
    gradients, a = char_utils.rnn_backward(X, Y, parameters, cache)
    expected, _ = char_model.rnn_backward(X, Y, parameters, reference_cache)
    for key in expected:
        assert np.allclose(gradients[key], expected[key], rtol=1e-12, atol=1e-14), key
    assert np.array_equal(a[-1], reference_cache[0][-1])


def test_student_update_and_initialisation_match_reference():
    first = char_utils.initialize_parameters(6, 27, 27)
    second = char_model.initialize_parameters(6, 27, 27)
    assert all(np.array_equal(first[key], second[key]) for key in second)
    gradients = char_inputs.clip_inputs(2, 6, 1.0)["gradients"]
    char_utils.update_parameters(first, gradients, 0.1)
    char_model.update_parameters(second, gradients, 0.1)
    assert all(np.array_equal(first[key], second[key]) for key in second)


def test_student_vocabulary_and_order_match_reference():
    names = char_utils.load_names(SOURCE / "dinos.txt")
    assert names == char_model.load_names(SOURCE / "dinos.txt")
    assert char_utils.build_vocabulary(names) == (CHAR_TO_IX, IX_TO_CHAR)
    assert char_utils.shuffle_names(names) == char_model.shuffled(names)
    assert char_utils.indices_to_name([20, 1, 23, 1, 0], IX_TO_CHAR) == "Tawa"
