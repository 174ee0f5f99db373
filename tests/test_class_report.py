"""The class report, the grades CSV and the Canvas import file, on the sample class."""

import csv
import re
import statistics
import subprocess
import sys

import matplotlib.image
import pytest

from conftest import ASSIGNMENT, FUNCTIONS, POINTS, grade_all, make_course
from helpers import class_report, report
from helpers.canvas import HEADER, POINTS_POSSIBLE
from helpers.course import REPOSITORY
from helpers.samples import sample_class


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The ten students of the sample class, graded, and one who never submitted."""
    course = make_course(tmp_path_factory.mktemp("report") / "course")
    grade_all(course, sample_class.submissions(course))
    course.nbgrader(
        "db",
        "student",
        "add",
        "nobody",
        "--first-name=Nora",
        "--last-name=Body",
        "--lms-user-id=4242",
        log_name="db",
    )
    rows = {
        row["student"]: row
        for row in report.class_grades(course.database_url(), ASSIGNMENT)
    }
    return course, rows


def helpers_cli(course, *args):
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers",
            *map(str, args),
            "--course",
            str(course.root),
        ],
        cwd=REPOSITORY,
        env=course.environment(),
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0, process.stderr
    return process.stdout


def test_report_prints_class_summary(sample, tmp_path):
    course, rows = sample
    out = helpers_cli(course, "report", ASSIGNMENT, "--out", tmp_path)
    submitted = [row for row in rows.values() if row["status"] != "missing"]
    totals = [row["total"] for row in submitted]
    assert "11 student(s), 10 submitted, 0 late" in out
    assert "10 graded, 0 partly graded, 0 failed, 1 missing" in out
    assert (
        f"mean {statistics.fmean(totals):.1f}, median {statistics.median(totals):.1f}"
        in out
    )
    for function in FUNCTIONS:
        full = sum(row[function] >= POINTS[function] for row in submitted) / len(
            submitted
        )
        assert re.search(rf"{function}\s+{100 * full:5.1f}%", out), function
    for mistake in sample_class.MISTAKE_STUDENTS.values():
        assert re.search(rf"\n\s+1  {re.escape(mistake)}\n", out + "\n"), mistake
    assert (tmp_path / "summary.txt").read_text(encoding="utf-8").strip() in out


def test_report_figures_deterministic_png(sample, tmp_path):
    course, _ = sample
    _, first = class_report.write_report(course, ASSIGNMENT, tmp_path / "one")
    _, second = class_report.write_report(course, ASSIGNMENT, tmp_path / "two")
    assert [p.name for p in first] == list(class_report.FIGURES)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
        image = matplotlib.image.imread(a)
        assert image.shape[0] > 200
        assert image.shape[1] > 500


def test_report_figures_label_axes(sample, tmp_path):
    course, rows = sample
    summary = class_report.summarise(list(rows.values()), ASSIGNMENT)
    for draw in class_report.DRAWINGS:
        figure = draw(summary, tmp_path / f"{draw.__name__}.png")
        (axes,) = figure.axes
        assert axes.get_xlabel()
        assert axes.get_ylabel()
        assert axes.get_title()


def test_report_empty_class(tmp_path):
    summary = class_report.summarise([], ASSIGNMENT)
    assert "none" in class_report.format_summary(summary)
    for draw in class_report.DRAWINGS:
        draw(summary, tmp_path / f"{draw.__name__}.png")


def test_grades_csv_columns_documented(sample, tmp_path):
    course, rows = sample
    path = tmp_path / "grades.csv"
    report.write_csv(list(rows.values()), ASSIGNMENT, path)
    with open(path, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    docs = (REPOSITORY / "docs" / "lms.md").read_text(encoding="utf-8")
    section = docs.split("## The grades CSV")[1].split("\n## ")[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE)
    assert documented == header


def test_canvas_csv_import_layout(sample, tmp_path):
    course, rows = sample
    path = tmp_path / "canvas.csv"
    helpers_cli(
        course,
        "grades",
        ASSIGNMENT,
        "--canvas",
        path,
        "--canvas-column",
        "RNN step by step (48213)",
        "--section",
        "Lab A",
    )
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == HEADER + ["RNN step by step (48213)"]
    assert table[1] == [POINTS_POSSIBLE, "", "", "", "100"]
    body = {line[2]: line for line in table[2:]}
    assert set(body) == set(rows)
    assert body["nobody"] == ["Body, Nora", "4242", "nobody", "Lab A", ""]
    for student, row in rows.items():
        if row["status"] != "missing":
            assert float(body[student][4]) == pytest.approx(row["total"])
            assert body[student][0] == student  # no name recorded
    helpers_cli(course, "grades", ASSIGNMENT, "--canvas", path, "--missing-as-zero")
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0][4] == ASSIGNMENT
    assert {line[2]: line[4] for line in table[2:]}["nobody"] == "0"
