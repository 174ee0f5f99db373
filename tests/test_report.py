"""Class grades from the gradebook: statuses, totals and the CSV export."""

import csv

import pytest

from conftest import ASSIGNMENT, FUNCTIONS
from helpers import report


@pytest.fixture(scope="module")
def rows(graded):
    graded.course.nbgrader("db", "student", "add", "ghost", log_name="db-student-add")
    table = report.class_grades(graded.course.database_url(), ASSIGNMENT)
    return {row["student"]: row for row in table}


@pytest.mark.parametrize(
    "student, status",
    [
        ("full", "graded"),
        ("exit-in-function", "partly graded"),
        ("not-json", "failed"),
        ("ghost", "missing"),
    ],
)
def test_status_per_student(rows, student, status):
    assert rows[student]["status"] == status


def test_failed_student_scores_zero(rows):
    assert rows["not-json"]["total"] == 0
    assert rows["not-json"]["reason"]


def test_totals_sum_functions(rows):
    for row in rows.values():
        assert row["total"] == pytest.approx(sum(row[name] for name in FUNCTIONS))


def test_csv_has_row_per_student(rows, tmp_path):
    path = tmp_path / "grades.csv"
    report.write_csv(list(rows.values()), ASSIGNMENT, path)
    with open(path, newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == len(rows)
    assert set(FUNCTIONS) <= set(written[0])
    assert {"student", "status", "late", "total"} <= set(written[0])


def test_mistakes_counted_across_class(rows):
    summary = report.mistakes_summary(list(rows.values()))
    assert summary["counts"]["lstm_backward.no_carry"] >= 1
    assert "rnn_forward.starts_from_zeros" in summary["students"]["mistake-rnn-forward-starts-from-zeros"]
