"""A complete Part 2 solution written apart from the notebook's cells and the reference.

Parsed, not imported: each function replaces the student's solution cell of
the same name. Grading it through nbgrader autograde must give full marks.
"""

# ruff: noqa: F821


def clip(gradients, maxValue):
    bound = float(maxValue)
    result = {}
    for name in gradients:
        values = np.array(gradients[name], dtype=np.float64, copy=True)
        values[values > bound] = bound
        values[values < -bound] = -bound
        result[name] = values
    return result


def sample(parameters, char_to_ix, seed):
    end = char_to_ix["\n"]
    size = len(parameters["by"])
    hidden = np.zeros((len(parameters["b"]), 1))
    current = None
    drawn = []
    while len(drawn) < 50 and (not drawn or drawn[-1] != end):
        one_hot = np.zeros((size, 1))
        if current is not None:
            one_hot[current] = 1.0
        hidden = np.tanh(
            np.matmul(parameters["Wax"], one_hot)
            + np.matmul(parameters["Waa"], hidden)
            + parameters["b"]
        )
        scores = np.matmul(parameters["Wya"], hidden) + parameters["by"]
        scores = scores - scores.max()
        probabilities = np.exp(scores) / np.exp(scores).sum()
        np.random.seed(seed + len(drawn))
        current = int(np.random.choice(size, p=probabilities[:, 0]))
        drawn.append(current)
    if drawn[-1] != end:
        drawn.append(end)
    return drawn


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    example_loss, forward_cache = rnn_forward(X, Y, a_prev, parameters)
    raw_gradients, states = rnn_backward(X, Y, parameters, forward_cache)
    bounded = clip(raw_gradients, 5)
    update_parameters(parameters, bounded, learning_rate)
    return example_loss, bounded, states[-1]


def model(
    names,
    char_to_ix,
    ix_to_char,
    num_iterations=8000,
    n_a=50,
    learning_rate=0.01,
    sample_every=2000,
    n_samples=5,
):
    vocab_size = len(char_to_ix)
    parameters = initialize_parameters(n_a, vocab_size, vocab_size)
    average = np.log(vocab_size) * np.mean([len(name) + 1 for name in names])
    history, drawn_names = [], []
    carried = np.zeros((n_a, 1))
    end = char_to_ix["\n"]
    for step in range(1, num_iterations + 1):
        codes = [char_to_ix[letter] for letter in names[(step - 1) % len(names)]]
        inputs, targets = [None, *codes], [*codes, end]
        step_loss, _, carried = optimize(
            inputs, targets, carried, parameters, learning_rate
        )
        average = 0.999 * average + 0.001 * step_loss
        history.append(average)
        if step % sample_every == 0:
            for k in range(n_samples):
                drawn_names.append(sample(parameters, char_to_ix, seed=100 * k))
    return parameters, history, drawn_names
