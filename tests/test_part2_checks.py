"""Part 2's named checks in-process: the reference earns full marks, valid draws keep
the distribution check, invalid ones lose it, and hidden cases are validated."""

import copy
import json

import numpy as np
import pytest

from helpers.assignments import dinosaur_checks as checks
from helpers.assignments import dinosaur_names as part2
from helpers.course import Course
from helpers.grading import wire
from helpers.grading.compare import Tolerance
from helpers.grading.grade import (
    CheckContext,
    FunctionResult,
    ReferenceCells,
    run_reference,
)
from helpers.grading.outcome import Outcome
from helpers.reference import char_inputs, char_model

SPECS = {spec.name: spec for spec in part2.FUNCTIONS}
HIDDEN = list(part2.DEFAULT_HIDDEN_CASES)


def grade_in_process(spec, function, hidden=HIDDEN):
    """Score ``function`` as the grader would, but called in this process."""
    cases = spec.make_cases(hidden)
    outcomes = {}
    for case in cases:
        arguments = copy.deepcopy(case.arguments)
        try:
            result = function(*arguments)
        except Exception as error:
            outcomes[case.key] = Outcome(
                "error", detail=f"raised {type(error).__name__}"
            )
            continue
        outcomes[case.key] = Outcome("ok", result=result, arguments_after=arguments)
    expected = {
        case.key: run_reference(spec.reference, case.arguments) for case in cases
    }
    context = CheckContext(spec, cases, outcomes, expected, Tolerance())
    results = [result for check in spec.checks for result in context.run(check)]
    return FunctionResult(spec.name, spec.points, results)


def failed_checks(result):
    return [check.name for check in result.checks if not check.passed]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_reference_full_marks_in_process(name):
    result = grade_in_process(SPECS[name], SPECS[name].reference)
    assert result.score == SPECS[name].points, failed_checks(result)


def make_sampler(draw, carry_state=True):
    """Build a sampler of the notebook's steps with its own draw(p, seed, t)."""

    def sample(parameters, char_to_ix, seed):
        p = parameters
        vocab_size, n_a = p["by"].shape[0], p["Waa"].shape[0]
        x, a = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
        indices = []
        while len(indices) < 50:
            a_next = np.tanh(p["Wax"] @ x + p["Waa"] @ a + p["b"])
            y = char_model.softmax(p["Wya"] @ a_next + p["by"])
            indices.append(int(draw(y.ravel(), seed, len(indices))))
            if carry_state:
                a = a_next
            if indices[-1] == 0:
                return indices
            x = char_model.one_hot(indices[-1], vocab_size)
        return indices + [0]

    return sample


def multinomial_draw(probabilities, seed, t):
    np.random.seed(seed + t)
    return np.argmax(np.random.multinomial(1, probabilities))


def generator_draw(probabilities, seed, t):
    return np.random.default_rng([seed, t]).choice(len(probabilities), p=probabilities)


def argmax_draw(probabilities, seed, t):
    return np.argmax(probabilities)


def prescribed_draw(probabilities, seed, t):
    np.random.seed(seed + t)
    return np.random.choice(len(probabilities), p=probabilities)


OTHER_HIDDEN = [
    {
        "seed": 77,
        "n_a": 4,
        "max_value": 1.0,
        "learning_rate": 0.1,
        "num_iterations": 60,
    },
    {
        "seed": 78,
        "n_a": 30,
        "max_value": 7.0,
        "learning_rate": 0.05,
        "num_iterations": 60,
    },
]


@pytest.mark.parametrize("hidden", [HIDDEN, OTHER_HIDDEN], ids=["default", "other"])
@pytest.mark.parametrize("draw", [multinomial_draw, generator_draw])
def test_valid_other_draw_loses_only_exact_indices(hidden, draw):
    result = grade_in_process(SPECS["sample"], make_sampler(draw), hidden)
    assert failed_checks(result) == [
        "indices of the prescribed draw (seed + t, np.random.choice)"
    ]


@pytest.mark.parametrize("hidden", [HIDDEN, OTHER_HIDDEN], ids=["default", "other"])
@pytest.mark.parametrize(
    "sampler",
    [make_sampler(argmax_draw), make_sampler(prescribed_draw, carry_state=False)],
    ids=["argmax", "state-not-carried"],
)
def test_wrong_distribution_fails_distribution_check(hidden, sampler):
    result = grade_in_process(SPECS["sample"], sampler, hidden)
    assert "draws follow the model's next-character probabilities" in failed_checks(
        result
    )


def test_reference_z_scores_small_over_many_seeds():
    parameters = char_inputs.sample_inputs(40, 9, newline_shift=-3.0)["parameters"]
    sequences = [char_model.sample(parameters, {"\n": 0}, 1000 * k) for k in range(200)]
    scores = checks.distribution_z_scores(parameters, sequences)
    assert len(scores) >= 10
    assert np.max(np.abs(scores)) < 4.0


def test_drawn_indices_drop_only_appended_newline():
    assert checks.drawn_indices([3] * 50 + [0]) == [3] * 50
    assert checks.drawn_indices([3, 4, 0]) == [3, 4, 0]


def test_empty_model_earns_nothing():
    def model(
        names,
        char_to_ix,
        ix_to_char,
        num_iterations,
        n_a,
        learning_rate,
        sample_every,
        n_samples,
    ):
        return char_model.initialize_parameters(n_a, 27, 27), [], []

    assert grade_in_process(SPECS["model"], model).score == 0


def test_failed_call_prints_no_hint():
    def optimize(X, Y, a_prev, parameters, learning_rate):
        raise NameError("loss")

    result = grade_in_process(SPECS["optimize"], optimize)
    assert result.score == 0
    assert all(not any(check.messages) for check in result.checks)


# hidden cases


def test_configured_hidden_cases_valid():
    config = Course().config()
    part2.validate_hidden_cases(config.GradeFunctions.hidden_cases["dinosaur_names"])


@pytest.mark.parametrize(
    "change, message",
    [
        ({"max_value": 5.0}, "max_value != 5"),
        ({"learning_rate": 0.01}, "learning_rate != 0.01"),
        ({"n_a": 50}, "n_a != 50"),
        ({"num_iterations": 5000}, "num_iterations must be between"),
        ({"num_iterations": 20, "learning_rate": 0.001}, "barely lowers the loss"),
    ],
)
def test_invalid_hidden_cases_rejected(change, message):
    cases = [dict(case, **change) for case in HIDDEN]
    with pytest.raises(ValueError, match=message):
        part2.validate_hidden_cases(cases)


def test_hidden_case_missing_key_rejected():
    with pytest.raises(ValueError, match="missing"):
        part2.validate_hidden_cases([{"seed": 1}] + HIDDEN)


# stubs


def stub_request(name, args):
    return json.dumps({"name": name, "args": json.loads(wire.encode([args, {}]))})


def test_stub_reply_sends_back_in_place_update():
    arguments = list(char_inputs.optimize_inputs(5, 4, 0.1).values())
    reply = json.loads(
        ReferenceCells(part2.REFERENCE_CELLS)(stub_request("optimize", arguments))
    )
    decoded = wire.decode(reply)
    assert set(decoded) == {"__result__", "__changed__"}
    [(index, parameters)] = decoded["__changed__"]
    assert index == 3
    expected = copy.deepcopy(arguments)
    char_model.optimize(*expected)
    assert all(np.array_equal(parameters[key], expected[3][key]) for key in parameters)


def test_stub_reply_plain_when_nothing_changes():
    arguments = list(char_inputs.clip_inputs(5, 4, 1.0).values())
    reply = wire.decode(
        json.loads(
            ReferenceCells(part2.REFERENCE_CELLS)(stub_request("clip", arguments))
        )
    )
    assert set(reply) == {"dWax", "dWaa", "dWya", "db", "dby"}


def test_numpy_float_sent_as_plain_float():
    node = json.loads(wire.encode(np.float64(2.5)))
    assert node == {"t": "float", "v": "2.5"}
