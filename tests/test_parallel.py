"""Parallel autograde on one machine with a SQLite gradebook.

One run of ``python -m helpers autograde --workers 2`` grades the sample class,
an unreadable notebook and two students that make the grader itself fail. The
grader raises an exception for one of them, and its process dies for the other.
"""

import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import grader_faults
from conftest import ASSIGNMENT, FUNCTIONS, make_course
from helpers import batch, database, distributed, report
from helpers.course import REPOSITORY
from helpers.grading import results
from helpers.samples import sample_class
from scaling_support import (
    assert_same_grading,
    graded_state,
    prepare_at_once,
    sequential_baseline,
    write_class,
)

TESTS = Path(__file__).resolve().parent
FAULTY = (grader_faults.DIES, grader_faults.RAISES)


@pytest.fixture(scope="module")
def parallel_run(tmp_path_factory):
    """The course and the finished CLI process of one parallel run."""
    _, notebooks, _ = sequential_baseline(tmp_path_factory)
    course = make_course(
        tmp_path_factory.mktemp("parallel") / "course", grader_faults.CONFIG
    )
    write_class(course, notebooks)
    for student in FAULTY:
        sample_class.write_submission(course, student, notebooks["full_solution"])
    command = [
        sys.executable,
        "-m",
        "helpers",
        "autograde",
        ASSIGNMENT,
        "--course",
        str(course.root),
        "--workers",
        "2",
    ]
    completed = subprocess.run(
        command,
        cwd=REPOSITORY,
        env=course.environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return course, completed


def test_parallel_sqlite_matches_sequential(parallel_run, tmp_path_factory):
    course, _ = parallel_run
    _, _, baseline = sequential_baseline(tmp_path_factory)
    state = graded_state(course.root, course.database_url())
    assert_same_grading(state, baseline)


def test_grader_failure_exits_with_status_one(parallel_run):
    _, completed = parallel_run
    assert completed.returncode == 1, completed.stderr


def test_summary_counts_statuses(parallel_run):
    _, completed = parallel_run
    counts = dict(
        re.findall(
            r"^  (graded|partly graded|failed|missing) +(\d+)$", completed.stdout, re.M
        )
    )
    assert counts == {
        "graded": "10",
        "partly graded": "0",
        "failed": "3",
        "missing": "0",
    }


def test_summary_gives_failure_reasons(parallel_run):
    _, completed = parallel_run
    assert "unreadable: the notebook could not be read" in completed.stdout
    assert (
        f"{grader_faults.RAISES}: nbgrader autograde raised RuntimeError: "
        f"simulated failure of the grader" in completed.stdout
    )
    died = rf"{grader_faults.DIES}: the grading process \(pid \d+\) exited with code 3"
    assert re.search(died, completed.stdout)
    assert "run the same command again" in completed.stdout


def test_progress_bar_counts_submissions(parallel_run):
    _, completed = parallel_run
    assert f"Autograding {ASSIGNMENT}" in completed.stderr
    assert "13/13" in completed.stderr


@pytest.mark.parametrize("student", FAULTY)
def test_grader_failure_stored_as_failed(parallel_run, student):
    course, _ = parallel_run
    rows = {
        row["student"]: row
        for row in report.class_grades(course.database_url(), ASSIGNMENT)
    }
    assert rows[student]["status"] == "failed"
    assert rows[student]["total"] == 0
    assert rows[student]["reason"]


def test_grader_failure_leaves_no_autograded_notebook(parallel_run):
    course, _ = parallel_run
    for student in FAULTY:
        assert not (course.root / "autograded" / student / ASSIGNMENT).exists()


def test_student_logs_name_student_and_assignment(parallel_run):
    course, _ = parallel_run
    logs = batch.student_log_dir(course.root)
    for student in ["full_solution", "unreadable", *FAULTY]:
        lines = (logs / f"{student}.log").read_text(encoding="utf-8").splitlines()
        records = [line for line in lines if re.match(r"\d{4}-\d\d-\d\d ", line)]
        assert records, student
        assert all(f" {student}/{ASSIGNMENT} " in line for line in records), student


def test_dead_worker_replaced(parallel_run):
    course, _ = parallel_run
    logs = batch.student_log_dir(course.root)
    text = "\n".join(path.read_text(encoding="utf-8") for path in logs.glob("*.log"))
    workers = set(re.findall(r"autograde started by (\S+)", text))
    assert len(workers) >= 3  # the two first workers and the one that replaced the dead


def test_rerun_plans_only_failed_students(parallel_run):
    course, _ = parallel_run
    plan = batch.plan(course.root, course.database_url(), ASSIGNMENT)
    assert plan.to_grade == sorted([*FAULTY, "unreadable"])
    assert len(plan.up_to_date) == 10


def test_force_plans_every_submission(parallel_run):
    course, _ = parallel_run
    plan = batch.plan(course.root, course.database_url(), ASSIGNMENT, force=True)
    assert len(plan.to_grade) == 13
    assert plan.up_to_date == {}


def test_changed_submission_planned_again(parallel_run):
    course, _ = parallel_run
    path = course.submission_dir("full_solution", ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"
    time.sleep(0.05)  # a file system clock tick after the grading
    nbformat.write(nbformat.read(str(path), as_version=4), str(path))
    plan = batch.plan(course.root, course.database_url(), ASSIGNMENT)
    assert "full_solution" in plan.to_grade


def test_student_without_submission_missing(parallel_run):
    course, _ = parallel_run
    with Gradebook(course.database_url()) as gradebook:
        gradebook.update_or_create_student("absent")
    plan = batch.plan(course.root, course.database_url(), ASSIGNMENT)
    assert plan.missing == ["absent"]


def test_summary_lists_partly_graded():
    outcomes = {
        "ada": batch.Outcome("ada", "graded", score=100.0, max_score=100.0),
        "bob": batch.Outcome(
            "bob", "partly graded", "lstm_backward: timed out after 60 s"
        ),
    }
    result = batch.BatchResult(ASSIGNMENT, outcomes, ["cy"], 4.0, "2 worker processes")
    text = batch.format_summary(result, "/course")
    assert "Partly graded:\n  bob: lstm_backward: timed out after 60 s" in text
    assert "Missing (no submission): cy" in text
    assert "(2.00 s each)" in text


def test_busy_timeout_added_to_sqlite_url():
    url = database.with_busy_timeout("sqlite:////course/gradebook.db")
    assert url == "sqlite:////course/gradebook.db?timeout=60"


def test_busy_timeout_keeps_explicit_timeout():
    url = "sqlite:////course/gradebook.db?timeout=5"
    assert database.with_busy_timeout(url) == url


def test_busy_timeout_leaves_postgresql_url():
    url = "postgresql+psycopg2://grader@127.0.0.1:5432/course"
    assert database.with_busy_timeout(url) == url


def test_driverless_postgresql_url_rejected():
    with pytest.raises(database.GradebookNotReady, match=r"postgresql\+psycopg2://"):
        database.check_url("postgresql://grader@127.0.0.1:5432/course")


def test_cluster_rejects_sqlite_gradebook():
    with pytest.raises(database.GradebookNotReady, match="PostgreSQL"):
        distributed.check_gradebook("sqlite:////course/gradebook.db")


def test_unknown_assignment_rejected():
    completed = subprocess.run(
        [sys.executable, "-m", "helpers", "autograde", "no_such_assignment"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert "Unknown assignment 'no_such_assignment'" in completed.stderr


def _start_writer(url, student):
    """A process that reports "ready" and then stores one result in ``url``."""
    code = (
        "import sys, time\n"
        "from helpers.grading import results\n"
        "print('ready', flush=True)\n"
        "started = time.monotonic()\n"
        "summary = {'status': 'graded', 'score': 1.0, 'max_score': 1.0,\n"
        "           'functions': {}}\n"
        f"results.save({url!r}, {ASSIGNMENT!r}, {student!r}, {ASSIGNMENT!r}, summary)\n"
        "print(f'waited {time.monotonic() - started:.2f}', flush=True)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sqlite_writer_waits_out_a_held_lock(tmp_path):
    """A writer with the busy timeout waits for a held write lock; one without fails."""
    path = tmp_path / "gradebook.db"
    url = f"sqlite:///{path}"
    results.engine_for(url)  # creates the table
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(
        "BEGIN IMMEDIATE"
    )  # the write lock, as a writer mid-transaction has it
    patient = _start_writer(database.with_busy_timeout(url), "patient")
    impatient = _start_writer(url + "?timeout=0", "impatient")
    for process in (patient, impatient):
        assert process.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    holder.execute("COMMIT")
    holder.close()
    patient_output, patient_errors = patient.communicate(timeout=60)
    _, impatient_errors = impatient.communicate(timeout=60)
    assert patient.returncode == 0, patient_errors
    assert float(patient_output.split()[-1]) >= 1.0
    assert impatient.returncode != 0
    assert "database is locked" in impatient_errors
    students = {row["student"] for row in results.load(url, ASSIGNMENT)}
    assert students == {"patient"}


def test_sqlite_concurrent_writers_all_succeed(tmp_path, tmp_path_factory):
    """Four processes writing grades at once with the busy timeout all succeed."""
    writers, per_writer = 4, 6
    course, _, _ = sequential_baseline(tmp_path_factory)
    path = tmp_path / "gradebook.db"
    path.write_bytes((course.root / "gradebook.db").read_bytes())
    url = database.with_busy_timeout(f"sqlite:///{path}")
    env = dict(os.environ, PYTHONPATH=str(REPOSITORY))
    script = str(TESTS / "gradebook_writers.py")
    processes = [
        subprocess.Popen(
            [sys.executable, script, url, str(number), str(per_writer)],
            cwd=REPOSITORY,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(writers)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    stored = results.load(url, ASSIGNMENT)
    assert len([row for row in stored if row["student"].startswith("writer-")]) == (
        writers * per_writer
    )
    rows = report.class_grades(url, ASSIGNMENT)
    written = [row for row in rows if row["student"].startswith("writer-")]
    assert len(written) == writers * per_writer
    for row in written:
        number = float(row["student"].rsplit("-", 1)[1])
        assert row["total"] == number * len(FUNCTIONS), row["student"]


def test_concurrent_prepare_on_new_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    for code, errors in prepare_at_once(database.with_busy_timeout(url), tmp_path):
        assert code == 0, errors
    assert results.load(url, ASSIGNMENT) == []


def test_collected_copy_counts_as_changed(tmp_path):
    """A copy that keeps the student's old modification time still counts as new."""
    folder = tmp_path / "submission"
    folder.mkdir()
    before = datetime.now(timezone.utc).replace(microsecond=0)
    path = folder / f"{ASSIGNMENT}.ipynb"
    path.write_text("{}")
    os.utime(
        path, (946684800, 946684800)
    )  # 2000-01-01, as copy2 of an old file keeps it
    os.utime(folder, (946684800, 946684800))
    assert batch.latest_change(folder) >= before
