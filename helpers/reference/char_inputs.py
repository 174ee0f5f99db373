"""Seeded inputs for the Part 2 functions (clip, sample, optimize, model).

Grading, the visible checks and the tests build their cases here, so a case is
fully described by its seed and sizes. Names come from the course's data set,
``source/dinosaur_names/dinos.txt``.
"""

from pathlib import Path

import numpy as np

from . import char_model

DATA_FILE = (
    Path(__file__).resolve().parents[2] / "source" / "dinosaur_names" / "dinos.txt"
)
VOCAB_SIZE = len(char_model.VOCABULARY)
MODEL_NAMES = 6  # names in the training set of a hidden model case


def dataset_names():
    return char_model.load_names(DATA_FILE)


def random_parameters(rng, n_a, gain=1.0):
    """Wax (n_a, 27), Waa (n_a, n_a), Wya (27, n_a), b (n_a, 1), by (27, 1).

    The recurrent and output weights are scaled by 1 / sqrt(n_a), so the scores
    have a standard deviation of about 1.5 for any n_a and the predicted
    distributions are neither uniform nor one-hot. ``gain`` scales all weights.
    """
    scale = gain / np.sqrt(n_a)
    return {
        "Wax": gain * rng.standard_normal((n_a, VOCAB_SIZE)),
        "Waa": scale * rng.standard_normal((n_a, n_a)),
        "Wya": 2.0 * scale * rng.standard_normal((VOCAB_SIZE, n_a)),
        "b": 0.5 * rng.standard_normal((n_a, 1)),
        "by": 0.5 * rng.standard_normal((VOCAB_SIZE, 1)),
    }


def clip_inputs(seed, n_a, max_value):
    """Arguments of clip: gradients of every parameter shape, half beyond the bound.

    Two entries sit exactly on the bounds, which clipping must keep.
    """
    rng = np.random.default_rng(seed)
    parameters = random_parameters(rng, n_a)
    gradients = {
        "d" + name: 1.5 * max_value * rng.standard_normal(value.shape)
        for name, value in parameters.items()
    }
    gradients["dWaa"][0, 0] = max_value
    gradients["dWaa"][-1, -1] = -max_value
    return {"gradients": gradients, "maxValue": float(max_value)}


def sample_inputs(seed, n_a, newline_shift=0.0):
    """Arguments of sample: random parameters, the vocabulary and a seed.

    ``newline_shift`` is added to the newline's output bias: negative values
    give longer names, a large negative value never ends a name, a large
    positive one ends it at once.
    """
    rng = np.random.default_rng(seed)
    parameters = random_parameters(rng, n_a)
    parameters["by"][0, 0] += newline_shift
    char_to_ix, _ = char_model.vocabulary_maps()
    return {
        "parameters": parameters,
        "char_to_ix": char_to_ix,
        "seed": int(seed % 10007),
    }


def optimize_inputs(seed, n_a, learning_rate):
    """Arguments of optimize: one long name as (X, Y), a state, parameters, a rate.

    The weights get the smallest gain (of 1, 2, 4, 8) at which at least 2 % of
    the gradient entries exceed the clip value 5, so clipping changes the result.
    """
    rng = np.random.default_rng(seed)
    names = [name for name in dataset_names() if 12 <= len(name) <= 18]
    name = names[rng.integers(len(names))]
    char_to_ix, _ = char_model.vocabulary_maps()
    X, Y = char_model.training_example(name, char_to_ix)
    a_prev = np.tanh(rng.standard_normal((n_a, 1)))
    base = random_parameters(rng, n_a)
    for gain in (1.0, 2.0, 4.0, 8.0):
        parameters = {key: gain * value for key, value in base.items()}
        if clipped_fraction(X, Y, a_prev, parameters) >= 0.02:
            break
    return {
        "X": X,
        "Y": Y,
        "a_prev": a_prev,
        "parameters": parameters,
        "learning_rate": float(learning_rate),
    }


def clipped_fraction(X, Y, a_prev, parameters):
    """Fraction of the gradient entries of one example that clipping to 5 changes."""
    _, cache = char_model.rnn_forward(X, Y, a_prev, parameters)
    gradients, _ = char_model.rnn_backward(X, Y, parameters, cache)
    values = np.concatenate([value.ravel() for value in gradients.values()])
    return float(np.mean(np.abs(values) > char_model.CLIP_VALUE))


def model_inputs(seed, n_a, learning_rate, num_iterations):
    """Arguments of model: six dataset names, the vocabulary maps and training settings.

    Names are sampled three times per run, two names each time.
    """
    rng = np.random.default_rng(seed)
    pool = dataset_names()
    names = [pool[index] for index in rng.choice(len(pool), MODEL_NAMES, replace=False)]
    char_to_ix, ix_to_char = char_model.vocabulary_maps()
    return {
        "names": names,
        "char_to_ix": char_to_ix,
        "ix_to_char": ix_to_char,
        "num_iterations": int(num_iterations),
        "n_a": int(n_a),
        "learning_rate": float(learning_rate),
        "sample_every": int(num_iterations) // 3,
        "n_samples": 2,
    }
