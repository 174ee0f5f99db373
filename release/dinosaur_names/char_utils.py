"""Helpers for the dinosaur-name language model: data, the RNN passes and the update.

You do not need to change anything here. The notebook imports these functions;
read them when you want to see how the forward and backward passes are done.

Conventions:
- Characters are indices into a vocabulary of 27: the newline (index 0), then
  "a" to "z". The newline marks the end of a name.
- A training example is X = [None] + indices of a name and
  Y = indices of the name + [newline index]. None stands for a zero input.
- Parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1),
  by (n_y, 1), with n_x = n_y = 27. Hidden states are (n_a, 1) columns.
"""

import numpy as np

NEWLINE = "\n"


def load_names(path="dinos.txt"):
    """Return the names in ``path``, one per line, lowercased, without line breaks."""
    with open(path, encoding="utf-8") as handle:
        return [line.strip().lower() for line in handle if line.strip()]


def build_vocabulary(names):
    """Return (char_to_ix, ix_to_char) for the characters of ``names`` plus the newline.

    Characters are sorted, so the newline gets index 0 and "a" index 1.
    """
    characters = sorted(set("".join(names)) | {NEWLINE})
    char_to_ix = {char: index for index, char in enumerate(characters)}
    ix_to_char = {index: char for index, char in enumerate(characters)}
    return char_to_ix, ix_to_char


def shuffle_names(names, seed=0):
    """Return a copy of ``names`` in a fixed random order, the order model trains on."""
    order = np.random.default_rng(seed).permutation(len(names))
    return [names[index] for index in order]


def indices_to_name(indices, ix_to_char):
    """Return the text of a list of indices, without the final newline, capitalised."""
    text = "".join(ix_to_char[index] for index in indices)
    return text.rstrip(NEWLINE).capitalize()


def softmax(z):
    """Softmax over axis 0 of z (n, 1): a column of probabilities that sums to 1."""
    exp_z = np.exp(z - np.max(z, axis=0, keepdims=True))
    return exp_z / np.sum(exp_z, axis=0, keepdims=True)


def initialize_parameters(n_a, n_x, n_y, seed=0):
    """Return small random weights (standard deviation 0.01) and zero biases.

    Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1).
    """
    rng = np.random.default_rng(seed)
    Wax = rng.standard_normal((n_a, n_x)) * 0.01
    Waa = rng.standard_normal((n_a, n_a)) * 0.01
    Wya = rng.standard_normal((n_y, n_a)) * 0.01
    b = np.zeros((n_a, 1))
    by = np.zeros((n_y, 1))
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def rnn_step_forward(parameters, a_prev, x):
    """Run one step of the RNN on one character.

    a_prev -- hidden state (n_a, 1)
    x -- one-hot input (n_x, 1)
    Returns a_next (n_a, 1) and y_hat (n_y, 1), the distribution of the next character.
    """
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    b, by = parameters["b"], parameters["by"]
    a_next = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
    y_hat = softmax(np.dot(Wya, a_next) + by)
    return a_next, y_hat


def rnn_forward(X, Y, a0, parameters):
    """Forward pass over one training example, with its cross-entropy loss.

    X -- list of input indices, X[0] is None (zero input)
    Y -- list of target indices, as long as X
    a0 -- hidden state before the first step, (n_a, 1)
    Returns:
    loss -- sum over the steps of -log(probability given to the target Y[t])
    cache -- (a, y_hat, x): a is the list of len(X) + 1 hidden states, a[0] = a0
             and a[t + 1] the state after reading X[t]; y_hat and x are the
             lists of the len(X) predicted distributions and one-hot inputs
    """
    vocab_size = parameters["Wax"].shape[1]
    a, y_hat, x = [a0], [], []
    loss = 0.0
    for t in range(len(X)):
        x_t = np.zeros((vocab_size, 1))
        if X[t] is not None:
            x_t[X[t]] = 1.0
        a_t, y_t = rnn_step_forward(parameters, a[t], x_t)
        x.append(x_t)
        a.append(a_t)
        y_hat.append(y_t)
        loss -= np.log(y_t[Y[t], 0])
    return loss, (a, y_hat, x)


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time for rnn_forward.

    Returns:
    gradients -- dict with dWax, dWaa, dWya, db, dby (the shapes of the parameters)
    a -- the list of len(X) + 1 hidden states from the cache
    """
    a, y_hat, x = cache
    Waa, Wya = parameters["Waa"], parameters["Wya"]
    gradients = {
        "dWax": np.zeros_like(parameters["Wax"]),
        "dWaa": np.zeros_like(Waa),
        "dWya": np.zeros_like(Wya),
        "db": np.zeros_like(parameters["b"]),
        "dby": np.zeros_like(parameters["by"]),
    }
    da_next = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        dy = np.copy(y_hat[t])
        dy[
            Y[t]
        ] -= 1.0  # gradient of softmax + cross-entropy with respect to the scores
        gradients["dWya"] += np.dot(dy, a[t + 1].T)
        gradients["dby"] += dy
        da = np.dot(Wya.T, dy) + da_next
        dz = (1.0 - a[t + 1] * a[t + 1]) * da  # through the tanh
        gradients["db"] += dz
        gradients["dWax"] += np.dot(dz, x[t].T)
        gradients["dWaa"] += np.dot(dz, a[t].T)
        da_next = np.dot(Waa.T, dz)
    return gradients, a


def update_parameters(parameters, gradients, learning_rate):
    """Take one gradient-descent step, changing the arrays of ``parameters`` in place.

    Returns None: the caller's dict already holds the new values.
    """
    parameters["Wax"] -= learning_rate * gradients["dWax"]
    parameters["Waa"] -= learning_rate * gradients["dWaa"]
    parameters["Wya"] -= learning_rate * gradients["dWya"]
    parameters["b"] -= learning_rate * gradients["db"]
    parameters["by"] -= learning_rate * gradients["dby"]


def plot_losses(losses, bound=None):
    """Plot the smoothed loss of each iteration, with the notebook's bound if given."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4))
    axes.plot(
        np.arange(1, len(losses) + 1), losses, color="#1f5fa8", label="smoothed loss"
    )
    if bound is not None:
        axes.axhline(bound, color="#c0392b", linestyle="--", label=f"bound {bound:g}")
    axes.set_xlabel("iteration (one name each)")
    axes.set_ylabel("loss per name (nats)")
    axes.set_title("Training loss")
    axes.legend()
    axes.grid(alpha=0.3)
    plt.show()
