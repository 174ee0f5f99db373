"""Grades through real nbgrader autograde runs: catalogue, alternatives, solutions."""

import pytest

from conftest import (
    ALTERNATIVES, FUNCTIONS, MISTAKES, POINTS, alternative_student, mistake_student,
)


def test_full_solution_full_marks(graded):
    assert graded.scores("full") == POINTS
    assert graded.rows["full"]["status"] == "graded"


def test_independent_solution_full_marks(graded):
    assert graded.scores("independent") == POINTS


def test_untouched_release_scores_zero(graded):
    assert graded.rows["untouched"]["score"] == 0
    assert graded.rows["untouched"]["max_score"] == 100


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_loses_points_once(graded, mistake):
    scores = graded.scores(mistake_student(mistake))
    assert scores[mistake.function] < POINTS[mistake.function]
    for name in FUNCTIONS:
        if name != mistake.function:
            assert scores[name] == POINTS[name], f"{name} lost points"


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_named_in_feedback(graded, mistake):
    text = graded.feedback_text(mistake_student(mistake), mistake.function)
    assert f"Likely cause: {mistake.message}" in text


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_recorded_for_instructor(graded, mistake):
    details = graded.rows[mistake_student(mistake)]["details"]
    assert details[mistake.function]["mistakes"] == [mistake.id]


@pytest.mark.parametrize("key", sorted(ALTERNATIVES))
def test_alternative_full_marks(graded, key):
    assert graded.scores(alternative_student(key)) == POINTS


def test_at_least_thirty_mistakes_and_ten_alternatives():
    assert len(MISTAKES) >= 30
    assert len(ALTERNATIVES) >= 10
    assert {m.function for m in MISTAKES} == set(FUNCTIONS)


def test_scores_are_plain_numbers_in_range(graded):
    for row in graded.rows.values():
        for name, record in row["details"].items():
            assert type(record["score"]) is float
            assert 0.0 <= record["score"] <= POINTS[name]


def test_check_points_sum_to_function_points(graded):
    for name, record in graded.rows["full"]["details"].items():
        assert sum(check["points"] for check in record["checks"]) == pytest.approx(POINTS[name])


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_other_hidden_cases_still_catch(graded_other_cases, mistake):
    scores = graded_other_cases.scores(mistake_student(mistake))
    assert scores[mistake.function] < POINTS[mistake.function]
    others = {name: scores[name] for name in FUNCTIONS if name != mistake.function}
    assert others == {name: POINTS[name] for name in others}


def test_other_hidden_cases_full_solution(graded_other_cases):
    assert graded_other_cases.scores("full") == POINTS


def test_non_ascii_full_marks_in_utf8_locale(graded_other_cases):
    assert graded_other_cases.scores("non-ascii") == POINTS
