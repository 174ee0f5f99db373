"""Reference character-level language model of Part 2 (numpy, float64).

Written apart from the notebook's solution cells and from the student module
``char_utils.py``, so that it can serve as the oracle for the hidden tests.
``tests/test_part2_reference.py`` checks the backward pass against central
differences and the student module's helpers against these functions.

Conventions of the assignment:
- The vocabulary has 27 characters: the newline (index 0), then "a" to "z".
- Parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1) and
  by (n_y, 1), with n_x = n_y = vocabulary size.
- One training example is X = [None] + indices of a name and Y = indices of
  the name + [newline index]. ``None`` stands for the zero input vector.
- Hidden states are (n_a, 1) columns. The cache of ``rnn_forward`` keeps the
  list ``a`` of len(X) + 1 states: a[0] is the initial state and a[t + 1] the
  state after reading X[t].
"""

import numpy as np

from .rnn import softmax

NEWLINE = "\n"
VOCABULARY = NEWLINE + "abcdefghijklmnopqrstuvwxyz"
MAX_SAMPLED = 50  # sample stops after this many characters without a newline
CLIP_VALUE = 5.0  # optimize clips every gradient entry to [-5, 5]
SMOOTHING = 0.999  # weight of the previous smoothed loss in model
SAMPLE_SEED_STRIDE = 100  # name k of a sampling round uses seed 100 * k
PARAMETER_NAMES = ("Wax", "Waa", "Wya", "b", "by")
GRADIENT_NAMES = tuple("d" + name for name in PARAMETER_NAMES)


def vocabulary_maps():
    """Return (char_to_ix, ix_to_char) for the 27-character vocabulary."""
    char_to_ix = {char: index for index, char in enumerate(VOCABULARY)}
    ix_to_char = {index: char for index, char in enumerate(VOCABULARY)}
    return char_to_ix, ix_to_char


def training_example(name, char_to_ix):
    """Return (X, Y) for one name: [None] + its indices, and its indices + [newline]."""
    indices = [char_to_ix[char] for char in name]
    return [None] + indices, indices + [char_to_ix[NEWLINE]]


def indices_to_name(indices, ix_to_char):
    """Return the text of ``indices`` without its final newline, capitalised."""
    return "".join(ix_to_char[index] for index in indices).rstrip(NEWLINE).capitalize()


def initialize_parameters(n_a, n_x, n_y, seed=0):
    """Small random weights (standard deviation 0.01) and zero biases, from ``seed``."""
    rng = np.random.default_rng(seed)
    return {
        "Wax": 0.01 * rng.standard_normal((n_a, n_x)),
        "Waa": 0.01 * rng.standard_normal((n_a, n_a)),
        "Wya": 0.01 * rng.standard_normal((n_y, n_a)),
        "b": np.zeros((n_a, 1)),
        "by": np.zeros((n_y, 1)),
    }


def one_hot(index, size):
    """Column (size, 1) with a 1 at ``index``; all zeros when ``index`` is None."""
    column = np.zeros((size, 1))
    if index is not None:
        column[index, 0] = 1.0
    return column


def rnn_step_forward(parameters, a_prev, x):
    """One step: return the next state (n_a, 1) and the distribution (n_y, 1)."""
    p = parameters
    a_next = np.tanh(p["Wax"] @ x + p["Waa"] @ a_prev + p["b"])
    y_hat = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, y_hat


def rnn_forward(X, Y, a0, parameters):
    """Read X one index at a time from state a0 (n_a, 1).

    Returns the cross-entropy loss summed over the len(X) steps and the cache
    (a, y_hat, x): lists of the len(X) + 1 states and of the len(X)
    distributions (n_y, 1) and one-hot inputs (n_x, 1).
    """
    n_x = parameters["Wax"].shape[1]
    a, y_hat, x = [a0], [], []
    loss = 0.0
    for t, index in enumerate(X):
        x.append(one_hot(index, n_x))
        a_next, probabilities = rnn_step_forward(parameters, a[-1], x[-1])
        a.append(a_next)
        y_hat.append(probabilities)
        loss -= np.log(probabilities[Y[t], 0])
    return loss, (a, y_hat, x)


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time of the summed cross-entropy of ``rnn_forward``.

    Returns the gradients (dWax, dWaa, dWya, db, dby, each of its parameter's
    shape) and the list of hidden states from the cache.
    """
    a, y_hat, x = cache
    p = parameters
    gradients = {"d" + name: np.zeros_like(p[name]) for name in PARAMETER_NAMES}
    da_carried = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        # Softmax with cross-entropy: the score gradient is y_hat - one_hot(Y[t]).
        dscores = y_hat[t].copy()
        dscores[Y[t], 0] -= 1.0
        gradients["dWya"] += dscores @ a[t + 1].T
        gradients["dby"] += dscores
        da = p["Wya"].T @ dscores + da_carried
        dz = (1.0 - a[t + 1] ** 2) * da
        gradients["db"] += dz
        gradients["dWax"] += dz @ x[t].T
        gradients["dWaa"] += dz @ a[t].T
        da_carried = p["Waa"].T @ dz
    return gradients, a


def update_parameters(parameters, gradients, learning_rate):
    """One gradient-descent step, changing the arrays of ``parameters`` in place."""
    for name in PARAMETER_NAMES:
        parameters[name] -= learning_rate * gradients["d" + name]


def clip(gradients, maxValue):
    """Return a new dict with every gradient clipped to [-maxValue, maxValue]."""
    return {
        key: np.minimum(np.maximum(value, -maxValue), maxValue)
        for key, value in gradients.items()
    }


def sample(parameters, char_to_ix, seed):
    """Sample indices from the model, starting from a zero input and a zero state.

    Before drawing the character number ``t`` (counted from 0), the legacy
    generator is seeded with ``seed + t`` and the index is
    ``np.random.choice(vocab_size, p=probabilities.ravel())``. Sampling stops
    at a sampled newline or after 50 characters; then the newline is appended.
    Returns a list of Python ints.
    """
    p = parameters
    vocab_size = p["by"].shape[0]
    newline = char_to_ix[NEWLINE]
    x = np.zeros((vocab_size, 1))
    a = np.zeros((p["Waa"].shape[0], 1))
    indices = []
    while len(indices) < MAX_SAMPLED:
        a, probabilities = rnn_step_forward(p, a, x)
        np.random.seed(seed + len(indices))
        index = int(np.random.choice(vocab_size, p=probabilities.ravel()))
        indices.append(index)
        if index == newline:
            return indices
        x = one_hot(index, vocab_size)
    return indices + [newline]


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    """One training step on one example: forward, backward, clip to 5, update in place.

    Returns the loss, the clipped gradients and the last hidden state (n_a, 1).
    """
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, CLIP_VALUE)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X)]


def model(
    names,
    char_to_ix,
    ix_to_char,
    num_iterations=20000,
    n_a=50,
    learning_rate=0.01,
    sample_every=2000,
    n_samples=5,
):
    """Train on ``names`` in order, one name per iteration, cycling through the list.

    The hidden state is carried from one name to the next. The smoothed loss
    starts at ``initial_loss`` and takes 0.1 % of each new loss. After every
    ``sample_every`` iterations, ``n_samples`` names are sampled with seeds
    0, 100, 200, ... Returns the parameters, the list of smoothed losses (one
    per iteration) and the list of sampled index lists. ``ix_to_char`` is only
    used for printing in the notebook, so it is unused here.
    """
    vocab_size = len(char_to_ix)
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    smooth_loss = initial_loss(names, vocab_size)
    a_prev = np.zeros((n_a, 1))
    losses, samples = [], []
    for iteration in range(num_iterations):
        X, Y = training_example(names[iteration % len(names)], char_to_ix)
        loss, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate)
        smooth_loss = SMOOTHING * smooth_loss + (1.0 - SMOOTHING) * loss
        losses.append(float(smooth_loss))
        if (iteration + 1) % sample_every == 0:
            for k in range(n_samples):
                samples.append(sample(parameters, char_to_ix, SAMPLE_SEED_STRIDE * k))
    return parameters, losses, samples


def initial_loss(names, vocab_size):
    """Loss of a uniform guess on a name of mean length: log(vocab_size) per character.

    The smoothed loss of ``model`` starts here, the level of the untrained model.
    """
    return np.log(vocab_size) * np.mean([len(name) + 1 for name in names])


def load_names(path):
    """Return the names of a one-name-per-line file, without line breaks."""
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip()]


def shuffled(names, seed=0):
    """Return a copy of ``names`` in the order the notebook trains on."""
    order = np.random.default_rng(seed).permutation(len(names))
    return [names[index] for index in order]
