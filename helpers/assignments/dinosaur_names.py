"""Part 2: clip, sample, optimize and model, their hidden cases, probes and checks.

Hidden seeds and sizes come from ``nbgrader_config.py``
(``GradeFunctions.hidden_cases["dinosaur_names"]``). Each case is a dict with
``seed``, ``n_a`` (hidden units), ``max_value`` (the bound passed to clip),
``learning_rate`` (passed to optimize and model) and ``num_iterations`` (of
model's training run on six dataset names). Points per check are fixed here.

``optimize`` is graded with the reference ``clip``, and ``model`` with the
reference ``optimize`` and ``sample``, so a mistake costs points once. The stubs
copy the reference update of ``parameters`` back into the student's dict.
"""

import functools

import numpy as np

from ..grading.spec import Case, Check, FunctionSpec
from ..reference import char_inputs, char_model
from . import dinosaur_checks as checks

NOTEBOOK = "dinosaur_names"

DEFAULT_HIDDEN_CASES = (
    {
        "seed": 2101,
        "n_a": 12,
        "max_value": 5.0,
        "learning_rate": 0.05,
        "num_iterations": 120,
    },
    {
        "seed": 3203,
        "n_a": 7,
        "max_value": 2.5,
        "learning_rate": 0.08,
        "num_iterations": 90,
    },
)

# The training runs of model cost one call to the grader per iteration (a few
# milliseconds each), so their length is bounded.
MAX_ITERATIONS = 1000
DISTRIBUTION_SEEDS = 40  # calls of sample whose draws feed the distribution check

REFERENCE_CELLS = {
    "clip": char_model.clip,
    "sample": char_model.sample,
    "optimize": char_model.optimize,
}

SEED_OFFSETS = {"clip": 0, "sample": 10, "optimize": 20, "model": 30}


def _label(index, case):
    return f"hidden case {index + 1} (n_a={case['n_a']})"


def clip_cases(hidden_cases):
    cases = []
    for index, case in enumerate(hidden_cases):
        arguments = char_inputs.clip_inputs(
            case["seed"] + SEED_OFFSETS["clip"], case["n_a"], case["max_value"]
        )
        label = (
            f"hidden case {index + 1} (n_a={case['n_a']}, "
            f"maxValue={case['max_value']:g})"
        )
        cases.append(Case(f"hidden{index + 1}", label, list(arguments.values())))
    return cases


def sample_cases(hidden_cases):
    cases = []
    for index, case in enumerate(hidden_cases):
        seed = case["seed"] + SEED_OFFSETS["sample"]
        arguments = char_inputs.sample_inputs(seed, case["n_a"], newline_shift=-1.0)
        cases.append(
            Case(f"hidden{index + 1}", _label(index, case), list(arguments.values()))
        )
    first = hidden_cases[0]
    seed = first["seed"] + SEED_OFFSETS["sample"] + 1
    long_names = char_inputs.sample_inputs(seed, first["n_a"], newline_shift=-3.0)
    for k in range(DISTRIBUTION_SEEDS):
        arguments = [long_names["parameters"], long_names["char_to_ix"], 1000 * k + 17]
        label = f"distribution seed {k + 1}"
        cases.append(Case(f"distribution{k + 1}", label, arguments, scored=False))
    for key, shift, label in (
        ("no_newline", -60.0, "a probe whose newline is never drawn"),
        ("newline_first", 60.0, "a probe whose first draw is the newline"),
    ):
        arguments = char_inputs.sample_inputs(
            seed + 1, first["n_a"], newline_shift=shift
        )
        cases.append(Case(key, label, list(arguments.values()), scored=False))
    return cases


def optimize_cases(hidden_cases):
    cases = []
    for index, case in enumerate(hidden_cases):
        arguments = char_inputs.optimize_inputs(
            case["seed"] + SEED_OFFSETS["optimize"], case["n_a"], case["learning_rate"]
        )
        label = (
            f"hidden case {index + 1} (n_a={case['n_a']}, "
            f"learning_rate={case['learning_rate']:g})"
        )
        cases.append(Case(f"hidden{index + 1}", label, list(arguments.values())))
    return cases


def model_cases(hidden_cases):
    cases = []
    for index, case in enumerate(hidden_cases):
        arguments = char_inputs.model_inputs(
            case["seed"] + SEED_OFFSETS["model"],
            case["n_a"],
            case["learning_rate"],
            case["num_iterations"],
        )
        label = (
            f"hidden case {index + 1} (n_a={case['n_a']}, "
            f"{case['num_iterations']} iterations on {char_inputs.MODEL_NAMES} names)"
        )
        cases.append(Case(f"hidden{index + 1}", label, list(arguments.values())))
    return cases


def model_stub_sizes(case):
    """Array sizes that model's stubbed calls carry: its parameters and a_prev.

    model builds these itself, so its case arguments contain no arrays.
    """
    n_a, vocab_size = case.arguments[4], len(case.arguments[1])
    parameters = char_model.initialize_parameters(n_a, vocab_size, vocab_size)
    return [value.size for value in parameters.values()] + [n_a]


SAMPLE_HINT = (
    "before drawing character number t (from 0), call np.random.seed(seed + t), then "
    "np.random.choice(vocab_size, p=y.ravel())"
)

FUNCTIONS = (
    FunctionSpec(
        name="clip",
        points=15,
        arguments=("gradients", "maxValue"),
        outputs=tuple("d" + name for name in char_model.PARAMETER_NAMES),
        returns_dict=True,
        reference=char_model.clip,
        make_cases=clip_cases,
        checks=(
            Check(
                "returns",
                "returns a dict of dWax, dWaa, dWya, db, dby as float64 arrays "
                "of the input shapes",
                2,
            ),
            Check("values", "clipped values", 10),
            Check("unchanged", "does not modify the gradients it receives", 3),
        ),
    ),
    FunctionSpec(
        name="sample",
        points=30,
        arguments=("parameters", "char_to_ix", "seed"),
        outputs=("indices",),
        returns_dict=False,
        reference=char_model.sample,
        make_cases=sample_cases,
        checks=(
            Check(
                "custom",
                "returns a list of int indices of the vocabulary",
                3,
                evaluate=checks.sample_returns_check,
            ),
            Check(
                "custom",
                "ends with the newline, at most 50 characters before it",
                3,
                evaluate=checks.sample_ends_check,
            ),
            Check(
                "custom",
                "stops after 50 characters and appends the newline",
                4,
                evaluate=checks.sample_cap_check,
            ),
            Check(
                "custom",
                "stops at a drawn newline",
                2,
                evaluate=checks.sample_stop_check,
            ),
            Check(
                "custom",
                "draws follow the model's next-character probabilities",
                8,
                evaluate=checks.sample_distribution_check,
            ),
            Check(
                "custom",
                "indices of the prescribed draw (seed + t, np.random.choice)",
                8,
                evaluate=checks.with_hint(checks.sample_values_check, SAMPLE_HINT),
            ),
            Check(
                "custom",
                "does not modify its inputs",
                2,
                evaluate=checks.sample_unchanged_check,
            ),
        ),
    ),
    FunctionSpec(
        name="optimize",
        points=25,
        arguments=("X", "Y", "a_prev", "parameters", "learning_rate"),
        outputs=("loss", "gradients", "a_last"),
        returns_dict=False,
        stubs=("clip",),
        reference=char_model.optimize,
        make_cases=optimize_cases,
        checks=(
            Check(
                "custom",
                "returns loss (float), gradients (dict of "
                + checks.PARAMETER_SHAPES_HINT
                + ") and a_last (n_a, 1)",
                2,
                evaluate=checks.optimize_returns_check,
            ),
            Check("custom", "loss value", 3, evaluate=checks.optimize_loss_check),
            Check(
                "custom",
                "gradients clipped to [-5, 5]",
                7,
                evaluate=checks.with_hint(
                    checks.optimize_gradients_check,
                    "clip returns a new dict: use gradients = clip(gradients, 5)",
                ),
            ),
            Check(
                "custom",
                "parameters updated in place with the clipped gradients",
                7,
                evaluate=checks.with_hint(
                    checks.optimize_update_check,
                    "clip first, then call update_parameters(parameters, gradients, "
                    "learning_rate) with the clipped gradients",
                ),
            ),
            Check(
                "custom",
                "a_last is the hidden state after the last character",
                4,
                evaluate=checks.with_hint(
                    checks.optimize_state_check,
                    "a has len(X) + 1 states: a[0] is a_prev and a[len(X)] the "
                    "last one",
                ),
            ),
            Check(
                "custom",
                "does not modify X, Y or a_prev",
                2,
                evaluate=checks.optimize_unchanged_check,
            ),
        ),
    ),
    FunctionSpec(
        name="model",
        points=30,
        arguments=(
            "names",
            "char_to_ix",
            "ix_to_char",
            "num_iterations",
            "n_a",
            "learning_rate",
            "sample_every",
            "n_samples",
        ),
        outputs=("parameters", "losses", "samples"),
        returns_dict=False,
        stubs=("optimize", "sample"),
        reference=char_model.model,
        make_cases=model_cases,
        extra={"stub_sizes": model_stub_sizes},
        checks=(
            Check(
                "custom",
                "returns parameters, a list of one smoothed loss per iteration "
                "and a list of samples",
                3,
                evaluate=checks.model_returns_check,
            ),
            Check(
                "custom",
                "trained parameter values",
                8,
                evaluate=checks.with_hint(
                    checks.model_parameters_check,
                    "train on names[j % len(names)] in order, carry a_prev from one "
                    "name to the next and build X = [None] + indices, "
                    "Y = indices + [newline]",
                ),
            ),
            Check(
                "custom",
                "smoothed loss of each iteration",
                6,
                evaluate=checks.with_hint(
                    checks.model_losses_check,
                    "smooth_loss = 0.999 * smooth_loss + 0.001 * loss after every "
                    "iteration, then append it",
                ),
            ),
            Check(
                "custom",
                "samples drawn when and with the seeds prescribed",
                6,
                evaluate=checks.with_hint(
                    checks.model_samples_check,
                    "after iterations sample_every, 2 * sample_every, ..., draw "
                    "n_samples names with seeds 0, 100, 200, ...",
                ),
            ),
            Check(
                "custom",
                "training lowers the loss on the training names",
                3,
                evaluate=checks.model_trains_check,
            ),
            Check(
                "custom",
                "the right number of valid sampled names",
                2,
                evaluate=checks.model_samples_valid_check,
            ),
            Check(
                "custom",
                "does not modify names, char_to_ix or ix_to_char",
                2,
                evaluate=checks.model_unchanged_check,
            ),
        ),
    ),
)


def validate_hidden_cases(hidden_cases):
    """Raise ValueError unless the cases vary the settings that code could hard-code."""
    keys = {"seed", "n_a", "max_value", "learning_rate", "num_iterations"}
    for case in hidden_cases:
        missing = keys - set(case)
        if missing:
            raise ValueError(f"hidden case {case} is missing {sorted(missing)}")
        if not 3 * char_inputs.MODEL_NAMES <= case["num_iterations"] <= MAX_ITERATIONS:
            raise ValueError(
                f"hidden case {case}: num_iterations must be between "
                f"{3 * char_inputs.MODEL_NAMES} and {MAX_ITERATIONS}"
            )
        if case["n_a"] < 2 or case["max_value"] <= 0 or case["learning_rate"] <= 0:
            raise ValueError(
                f"hidden case {case}: n_a >= 2, max_value > 0 and learning_rate > 0"
            )
    if len(hidden_cases) < 2:
        raise ValueError("GradeFunctions.hidden_cases needs at least two cases")
    if not any(case["max_value"] != char_model.CLIP_VALUE for case in hidden_cases):
        raise ValueError("GradeFunctions.hidden_cases needs a case with max_value != 5")
    if not any(case["learning_rate"] != 0.01 for case in hidden_cases):
        raise ValueError(
            "GradeFunctions.hidden_cases needs a case with learning_rate != 0.01"
        )
    if not any(case["n_a"] != 50 for case in hidden_cases):
        raise ValueError("GradeFunctions.hidden_cases needs a case with n_a != 50")
    for case in hidden_cases:
        if reference_loss_ratio(case) > 0.8 * checks.TRAINED_LOSS_RATIO:
            raise ValueError(
                f"hidden case {case}: the reference model barely lowers the loss in "
                "num_iterations, so the check that training lowers the loss would be "
                "unreliable; use more iterations or a larger learning_rate"
            )


def reference_loss_ratio(case):
    """Return the reference run's mean loss on its names over the untrained model's."""
    return _reference_loss_ratio(tuple(sorted(case.items())))


@functools.lru_cache(maxsize=64)
def _reference_loss_ratio(items):
    # Cached because every graded notebook validates the same hidden cases.
    arguments = model_cases([dict(items)])[0].arguments
    parameters, _, _ = char_model.model(*arguments)
    names, n_a = arguments[0], arguments[4]
    start = char_model.initialize_parameters(
        n_a, char_inputs.VOCAB_SIZE, char_inputs.VOCAB_SIZE
    )
    return checks.mean_name_loss(parameters, names) / checks.mean_name_loss(
        start, names
    )


def _as_stub(function):
    """Wrap ``function`` to fail as the kernel's stub does: TypeError on any error."""

    def stub(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:
            raise TypeError(
                f"{function.__name__}() was called with invalid arguments"
            ) from error

    stub.__name__ = function.__name__
    return stub


def _silent_print(*args, **kwargs):
    """Discard output: catalogued mistakes of model run in the grader process."""


# Names the solution cells use, for building catalogued mistakes in the grader:
# the student module's helpers (as their reference versions) and the reference
# versions of the stubbed functions.
MISTAKE_NAMESPACE = {
    "np": np,
    "softmax": char_model.softmax,
    "rnn_step_forward": char_model.rnn_step_forward,
    "rnn_forward": char_model.rnn_forward,
    "rnn_backward": char_model.rnn_backward,
    "update_parameters": char_model.update_parameters,
    "initialize_parameters": char_model.initialize_parameters,
    "indices_to_name": char_model.indices_to_name,
    "print": _silent_print,
    **{name: _as_stub(function) for name, function in REFERENCE_CELLS.items()},
}
