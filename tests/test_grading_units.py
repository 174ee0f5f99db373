"""Grader internals that student code can reach: decoding, stubs, cells, comparisons."""

import base64
import json

import nbformat
import numpy as np
import pytest

from helpers.assignments import rnn_step_by_step as part1
from helpers.grading import cells, outcome, wire
from helpers.grading.compare import Tolerance, first_difference
from helpers.grading.grade import ReferenceCells


def kernel_array(values, dtype="<f8"):
    array = np.asarray(values, dtype=dtype)
    return {
        "t": "array", "id": 1, "dtype": dtype, "shape": list(array.shape),
        "data": base64.b64encode(array.tobytes()).decode(),
    }


def test_decode_rejects_oversized_tree():
    node = {"t": "list", "id": 0, "items": [{"t": "int", "v": "1"}] * 20}
    with pytest.raises(wire.DecodeError):
        wire.decode(node, budget=wire.Budget(elements=10))


def test_decode_rejects_oversized_array():
    with pytest.raises(wire.DecodeError):
        wire.decode(kernel_array(np.zeros(50)), budget=wire.Budget(array_elements=49))


def test_decode_numpy_bool_scalar():
    value = wire.decode({"t": "scalar", "id": 0, "dtype": "|b1", "v": "True"})
    assert value == np.bool_(True)


def test_decode_odd_scalar_is_opaque():
    value = wire.decode({"t": "scalar", "id": 0, "dtype": "|i1", "v": "1000"})
    assert isinstance(value, wire.Opaque)


def stub_request(name, arrays):
    encoder = wire.Encoder()
    return json.dumps({"name": name, "args": encoder.encode([arrays, {}])})


def first_case():
    return part1.rnn_cell_forward_cases(list(part1.DEFAULT_HIDDEN_CASES))[0]


def test_stub_answers_its_own_function():
    cells_ = ReferenceCells({"rnn_cell_forward": part1.rnn.rnn_cell_forward})
    case = first_case()
    cells_.limit_to(case)
    reply = json.loads(cells_(stub_request("rnn_cell_forward", case.arguments)))
    assert reply["t"] == "tuple"


def test_stub_refuses_other_function():
    cells_ = ReferenceCells({"rnn_cell_forward": part1.rnn.rnn_cell_forward})
    case = first_case()
    cells_.limit_to(case)
    reply = wire.decode(json.loads(cells_(stub_request("lstm_cell_forward", case.arguments))))
    assert reply == {"__invalid__": True}


def test_stub_refuses_oversized_arguments():
    cells_ = ReferenceCells({"rnn_cell_forward": part1.rnn.rnn_cell_forward})
    cells_.limit_to(first_case())
    big = 3000
    parameters = {
        "Wax": np.ones((1, 1)), "Waa": np.ones((1, 1)), "Wya": np.ones((1, big)),
        "ba": np.ones((big, 1)), "by": np.ones((1, 1)),
    }
    request = stub_request("rnn_cell_forward", [np.ones((1, big)), np.ones((1, big)), parameters])
    assert wire.decode(json.loads(cells_(request))) == {"__invalid__": True}


def test_unknown_exception_name_hidden():
    report = {"status": "error", "error": "hidden_seed_3101", "at": None}
    result = outcome.read_report(report, "rnn_cell_forward", outcome.SourceIndex([]))
    assert "3101" not in result.detail
    assert result.detail == "raised an exception"


def test_builtin_exception_name_shown():
    report = {"status": "error", "error": "ValueError", "at": None}
    result = outcome.read_report(report, "rnn_cell_forward", outcome.SourceIndex([]))
    assert result.detail == "raised ValueError"


def test_forged_arguments_are_invalid():
    report = {"status": "ok", "result": {"t": "none"}, "arguments": {"t": "int", "v": "5"}}
    result = outcome.read_report(report, "rnn_cell_forward", outcome.SourceIndex([]))
    assert result.status == "invalid"


def test_nan_never_matches_finite():
    found = first_difference(np.array([0.25, 0.75]), np.array([np.nan, np.nan]), Tolerance(), same_nonfinite=True)
    assert found is not None


def test_same_nan_matches_when_allowed():
    value = np.array([np.nan, 0.5])
    assert first_difference(value, value.copy(), Tolerance(), same_nonfinite=True) is None


def release_notebook():
    from helpers.course import REPOSITORY

    return nbformat.read(str(REPOSITORY / "release/rnn_step_by_step/rnn_step_by_step.ipynb"), as_version=4)


def test_restore_survives_broken_metadata():
    release = release_notebook()
    submitted = nbformat.from_dict(json.loads(nbformat.writes(release)))
    submitted.cells[0].metadata["nbgrader"] = "broken"
    submitted.cells[1].metadata["nbgrader"] = {"grade_id": ["x"], "grade": True, "points": 99}
    submitted.cells[2]["id"] = ["not", "a", "string"]
    restored = cells.restore(submitted, release)
    points = sum(cells.nbgrader_meta(c).get("points", 0) for c in restored.cells if cells.is_test_cell(c))
    assert points == 100


def test_restore_empty_notebook_keeps_maximum():
    restored = cells.restore(nbformat.v4.new_notebook(), release_notebook())
    points = sum(cells.nbgrader_meta(c).get("points", 0) for c in restored.cells if cells.is_test_cell(c))
    assert points == 100


def test_stubs_graded_before_callers():
    order = [spec.name for spec in part1.FUNCTIONS]
    for position, spec in enumerate(part1.FUNCTIONS):
        for stub in spec.stubs:
            assert order.index(stub) < position, f"{stub} must be graded before {spec.name}"
