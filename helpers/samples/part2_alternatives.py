"""Correct Part 2 solutions written unlike the instructor's, for the grading tests.

This file is parsed, not imported: each function ``NAME__VARIANT`` becomes the
student's ``NAME`` in a submission that is otherwise the instructor solution.
Each one must get full marks. The names np, softmax, rnn_forward, rnn_backward,
update_parameters, initialize_parameters, indices_to_name and the graded
functions are those of the student's notebook.
"""

# ruff: noqa: F821


def clip__minimum_maximum(gradients, maxValue):
    return {
        key: np.minimum(np.maximum(value, -maxValue), maxValue)
        for key, value in gradients.items()
    }


def clip__copy_then_clip_in_place(gradients, maxValue):
    clipped = {key: value.copy() for key, value in gradients.items()}
    for value in clipped.values():
        np.clip(value, -maxValue, maxValue, out=value)
    return clipped


def sample__searchsorted(parameters, char_to_ix, seed):
    p = parameters
    vocab_size, n_a = p["by"].shape[0], p["Waa"].shape[0]
    newline = char_to_ix["\n"]
    x, a = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    indices = []
    for t in range(50):
        a = np.tanh(p["Wax"] @ x + p["Waa"] @ a + p["b"])
        probabilities = softmax(p["Wya"] @ a + p["by"]).ravel()
        # np.random.choice draws one uniform number and searches the normalised CDF.
        np.random.seed(seed + t)
        u = np.random.random_sample()
        cdf = np.cumsum(probabilities)
        cdf /= cdf[-1]
        idx = int(np.searchsorted(cdf, u, side="right"))
        indices.append(idx)
        if idx == newline:
            return indices
        x = np.zeros((vocab_size, 1))
        x[idx, 0] = 1.0
    return indices + [newline]


def sample__for_else_with_range(parameters, char_to_ix, seed):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    b, by = parameters["b"], parameters["by"]
    vocab_size = Wya.shape[0]
    newline = char_to_ix["\n"]
    x = np.zeros((vocab_size, 1))
    state = np.zeros((Waa.shape[0], 1))
    indices = []
    for counter in range(50):
        state = np.tanh(np.dot(Waa, state) + np.dot(Wax, x) + b)
        y = softmax(np.dot(Wya, state) + by)
        np.random.seed(seed + counter)
        idx = np.random.choice(range(vocab_size), p=y.ravel())
        indices.append(idx)
        if idx == newline:
            break
        x = np.zeros_like(x)
        x[idx] = 1
    else:
        indices.append(newline)
    return indices


def sample__eye_columns(parameters, char_to_ix, seed):
    identity = np.eye(parameters["by"].shape[0])
    vocab_size = identity.shape[0]
    a = np.zeros((parameters["Waa"].shape[1], 1))
    x = np.zeros((vocab_size, 1))
    indices = []
    while True:
        a = np.tanh(
            parameters["Wax"].dot(x) + parameters["Waa"].dot(a) + parameters["b"]
        )
        y = softmax(parameters["Wya"].dot(a) + parameters["by"])
        np.random.seed(seed + len(indices))
        indices.append(int(np.random.choice(np.arange(vocab_size), p=y[:, 0])))
        if indices[-1] == char_to_ix["\n"]:
            break
        if len(indices) == 50:
            indices.append(char_to_ix["\n"])
            break
        x = identity[:, [indices[-1]]]
    return indices


def optimize__keyword_arguments(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X=X, Y=Y, a0=a_prev, parameters=parameters)
    raw, states = rnn_backward(X, Y, parameters, cache)
    clipped = clip(gradients=raw, maxValue=5.0)
    update_parameters(parameters, clipped, learning_rate=learning_rate)
    return loss, clipped, states[-1]


def optimize__unpacked_cache(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    hidden_states = cache[0]
    gradients = clip(rnn_backward(X, Y, parameters, cache)[0], 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, hidden_states[len(X)]


def model__while_loop(
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
    smooth_loss = np.log(vocab_size) * np.mean([len(name) + 1 for name in names])
    losses, samples = [], []
    state = np.zeros((n_a, 1))
    iteration = 0
    while iteration < num_iterations:
        letters = [char_to_ix[char] for char in names[iteration % len(names)]]
        loss, _, state = optimize(
            [None] + letters,
            letters + [char_to_ix["\n"]],
            state,
            parameters,
            learning_rate,
        )
        smooth_loss += 0.001 * (loss - smooth_loss)
        losses.append(smooth_loss)
        iteration += 1
        if iteration % sample_every == 0:
            samples.extend(
                sample(parameters, char_to_ix, 100 * k) for k in range(n_samples)
            )
    return parameters, losses, samples


def model__array_of_losses(
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
    smooth_loss = np.log(vocab_size) * np.mean([len(name) + 1 for name in names])
    losses = np.zeros(num_iterations)
    samples = []
    rounds = set(range(sample_every, num_iterations + 1, sample_every))
    a_prev = np.zeros((n_a, 1))
    for j in range(num_iterations):
        name = names[j % len(names)]
        X = [None] + list(map(char_to_ix.get, name))
        Y = X[1:] + [char_to_ix["\n"]]
        loss, _, a_prev = optimize(
            X, Y, a_prev, parameters, learning_rate=learning_rate
        )
        smooth_loss = smooth_loss * 0.999 + loss * 0.001
        losses[j] = smooth_loss
        if j + 1 in rounds:
            for seed in range(0, 100 * n_samples, 100):
                samples.append(sample(parameters, char_to_ix, seed))
                print(indices_to_name(samples[-1], ix_to_char))
    return parameters, losses, samples
