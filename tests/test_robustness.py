"""Crashes, loops, damaged notebooks and attempts to game the grader."""

import re

import pytest

from conftest import FUNCTIONS, POINTS
from submissions_robustness import EXPECTED


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_case_scores(graded, student):
    scores = graded.scores(student)
    for name, expected in EXPECTED[student]["scores"].items():
        if expected == "full":
            assert scores[name] == POINTS[name], name
        elif expected == "zero":
            assert scores[name] == 0, name
        else:
            assert 0 <= scores[name] < POINTS[name], name


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_case_status(graded, student):
    assert graded.rows[student]["status"] == EXPECTED[student]["status"]


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_case_maximum_unchanged(graded, student):
    assert graded.rows[student]["max_score"] == 100


@pytest.mark.parametrize("student", ["loop-in-function", "exit-in-function", "segfault-in-function"])
def test_fault_reason_recorded(graded, student):
    row = graded.rows[student]
    assert row["reason"]
    faulted = [name for name, record in row["details"].items() if record["fault"]]
    assert len(faulted) == 1


def test_timeout_named_in_feedback(graded):
    text = graded.feedback_text("loop-in-function", "rnn_cell_forward")
    assert "timed out (its calls took more than 10 s in all)" in text


def test_kernel_death_named_in_feedback(graded):
    text = graded.feedback_text("exit-in-function", "rnn_forward")
    assert "the kernel died" in text


def test_stopped_cell_noted(graded):
    notebook = graded.autograded("loop-in-top-level-cell")
    notes = [
        output["text"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert any("This cell was stopped" in note for note in notes)


def test_output_flood_truncated(graded):
    notebook = graded.autograded("output-flood")
    sizes = [len(output.get("text", "")) for cell in notebook.cells for output in cell.get("outputs", [])]
    assert max(sizes) <= 25000


def test_unreadable_notebook_failed_with_reason(graded):
    row = graded.rows["not-json"]
    assert row["status"] == "failed"
    assert "could not be read" in row["reason"]


def test_unreadable_notebook_does_not_stop_batch(graded):
    assert graded.rows["full"]["status"] == "graded"


def test_ndarray_subclass_named(graded):
    text = graded.feedback_text("ndarray-subclass", "rnn_cell_forward")
    assert "ndarray subclass" in text


def hidden_numbers():
    """Decimal renderings of the first hidden case's inputs of rnn_cell_forward."""
    from helpers.assignments import rnn_step_by_step as part1

    case = part1.rnn_cell_forward_cases(list(part1.DEFAULT_HIDDEN_CASES))[0]
    xt, a_prev, parameters = case.arguments
    values = list(xt.ravel()[:3]) + list(parameters["Wax"].ravel()[:3])
    return [repr(float(value))[:10] for value in values]


def output_text(notebook):
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("evalue", ""))
            parts.extend(output.get("traceback", []))
            parts.extend(str(value) for value in output.get("data", {}).values())
    return "\n".join(parts)


@pytest.mark.parametrize("student", ["prints-hidden-inputs", "full", "untouched"])
def test_autograded_outputs_leak_nothing(graded, student):
    text = output_text(graded.autograded(student))
    for number in hidden_numbers():
        assert number not in text
    assert "LEAK" not in text
    assert "__rnn_grader__" not in text


@pytest.mark.parametrize("student", ["prints-hidden-inputs", "full", "non-ascii"])
def test_feedback_html_leaks_nothing(graded, student):
    html = graded.feedback_html(student)
    for number in hidden_numbers():
        assert number not in html
    assert "__rnn_grader__" not in html
    assert "helpers.grading" not in html
    assert "hidden_cases" not in html


def test_feedback_html_renders_non_ascii(graded):
    html = graded.feedback_html("non-ascii")
    assert "ŷ⟨t⟩ → Γ" in html


def test_feedback_html_lists_checks(graded):
    html = graded.feedback_html("full")
    assert re.search(r"rnn_cell_forward: 10 / 10 points", html)
