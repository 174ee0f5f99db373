"""Parallel autograde with a PostgreSQL gradebook, and the per-submission locks.

These tests run when RNN_TEST_POSTGRES_URL names a PostgreSQL server (.ci/run
starts one) and are skipped otherwise. Each session creates its own databases
on that server and drops them at its end.
"""

import re
import signal
import subprocess
import sys
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from conftest import ASSIGNMENT
from helpers import batch, database, parallel
from helpers.course import REPOSITORY
from scaling_support import (
    assert_same_grading,
    graded_state,
    make_course_on,
    postgres_databases,  # noqa: F401 (a fixture)
    prepare_at_once,
    sequential_baseline,
    write_class,
)


@pytest.fixture(scope="module")
def postgres_run(tmp_path_factory, postgres_databases):  # noqa: F811
    """A course on PostgreSQL, graded by two local worker processes."""
    _, notebooks, _ = sequential_baseline(tmp_path_factory)
    url = postgres_databases.create("parallel")
    course = make_course_on(tmp_path_factory.mktemp("postgres") / "course", url)
    write_class(course, notebooks)
    result = parallel.autograde(
        course.root, ASSIGNMENT, workers=2, db_url=url, progress=False
    )
    return course, url, result


def test_parallel_postgres_matches_sequential_sqlite(postgres_run, tmp_path_factory):
    course, url, _ = postgres_run
    _, _, baseline = sequential_baseline(tmp_path_factory)
    assert_same_grading(graded_state(course.root, url), baseline)


def test_no_grader_failures_on_postgres(postgres_run):
    _, _, result = postgres_run
    assert result.crashed == []
    assert len(result.graded_now) == 11


def _grading_intervals(course_root):
    """(worker, start, end) of each grading, from the per-student logs."""
    intervals = []
    for path in batch.student_log_dir(course_root).glob("*.log"):
        text = path.read_text(encoding="utf-8")
        start = re.search(r"^(\S+ \S+) .* autograde started by (\S+)$", text, re.M)
        end = re.search(r"^(\S+ \S+) .* autograde finished", text, re.M)
        stamp = "%Y-%m-%d %H:%M:%S,%f"
        intervals.append(
            (
                start.group(2),
                datetime.strptime(start.group(1), stamp),
                datetime.strptime(end.group(1), stamp),
            )
        )
    return intervals


def test_two_workers_wrote_concurrently(postgres_run):
    course, _, _ = postgres_run
    intervals = _grading_intervals(course.root)
    assert len({worker for worker, _, _ in intervals}) == 2
    overlapping = [
        (first, second)
        for first in intervals
        for second in intervals
        if first[0] < second[0] and first[1] < second[2] and second[1] < first[2]
    ]
    assert overlapping, "the two workers never graded at the same time"


def test_advisory_lock_excludes_second_holder(postgres_databases):  # noqa: F811
    url = postgres_databases.create("locks")
    key = ("rnn-course", ASSIGNMENT)
    with database.submission_lock(url, *key, "ada", "unused", wait=0) as first:
        assert first
        with database.submission_lock(url, *key, "ada", "unused", wait=0.6) as second:
            assert not second
        with database.submission_lock(url, *key, "bob", "unused", wait=0) as other:
            assert other
    with database.submission_lock(url, *key, "ada", "unused", wait=0) as again:
        assert again


def test_advisory_lock_released_when_holder_killed(postgres_databases):  # noqa: F811
    url = postgres_databases.create("killed")
    code = (
        "import sys, time\n"
        "from helpers import database\n"
        f"with database.submission_lock({url!r}, 'rnn-course', {ASSIGNMENT!r}, 'ada', "
        "'unused', wait=0) as held:\n"
        "    print('held' if held else 'not held', flush=True)\n"
        "    time.sleep(120)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPOSITORY, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with database.submission_lock(
            url, "rnn-course", ASSIGNMENT, "ada", "unused", 0
        ) as busy:
            assert not busy
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    with database.submission_lock(
        url, "rnn-course", ASSIGNMENT, "ada", "unused", 10
    ) as freed:
        assert freed


def test_concurrent_prepare_succeeds(postgres_databases, tmp_path):  # noqa: F811
    url = postgres_databases.create("prepare")
    for code, errors in prepare_at_once(url, tmp_path):
        assert code == 0, errors
    tables = sa.inspect(sa.create_engine(url, poolclass=NullPool)).get_table_names()
    assert "rnn_autograde_results" in tables


def test_lock_keys_differ_per_student():
    assert database.lock_key("c", "a", "ada") != database.lock_key("c", "a", "bob")
    assert database.lock_key("c", "a", "ada") == database.lock_key("c", "a", "ada")
