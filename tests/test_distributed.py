"""Autograde on a Dask cluster, with local worker processes standing in for hosts.

The cluster listens on 127.0.0.1 only. The gradebook is PostgreSQL, so these
tests run when RNN_TEST_POSTGRES_URL names a server and are skipped otherwise.
"""

import logging
import os
import re
import signal
import threading
import time
from datetime import datetime, timedelta

import pytest
from distributed import LocalCluster

from conftest import ASSIGNMENT
from helpers import batch, database, distributed
from scaling_support import (
    assert_same_grading,
    graded_state,
    make_course_on,
    postgres_databases,  # noqa: F401 (a fixture)
    postgres_server_url,
    sequential_baseline,
    write_class,
)

STAMP = "%Y-%m-%d %H:%M:%S,%f"
KILLED_STUDENT = "full_solution"
# A smaller class than the other tests' keeps these runs short.
CLASS = (
    "full_solution",
    "independent_solution",
    "untouched_release",
    "rnn_forward_from_zeros",
    "lstm_backward_no_carry",
)


@pytest.fixture(scope="module")
def cluster():
    postgres_server_url()  # skips the module's tests without a server
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local_cluster:
        yield local_cluster


def _course_on_postgres(tmp_path_factory, postgres_databases, label):  # noqa: F811
    _, notebooks, _ = sequential_baseline(tmp_path_factory)
    url = postgres_databases.create(label)
    course = make_course_on(tmp_path_factory.mktemp(label) / "course", url)
    write_class(course, {student: notebooks[student] for student in CLASS})
    return course, url


class _Batch(threading.Thread):
    """One ``autograde_cluster`` call in a thread, like one instructor's command."""

    def __init__(self, course, url, scheduler, **options):
        super().__init__(daemon=True)
        self.arguments = (course.root, ASSIGNMENT)
        self.options = dict(scheduler=scheduler, db_url=url, progress=False, **options)
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = distributed.autograde_cluster(*self.arguments, **self.options)
        except Exception as error:  # reported by the test that joins the thread
            self.error = error

    def finish(self, seconds=600):
        self.join(seconds)
        assert not self.is_alive(), "the batch did not finish"
        assert self.error is None, repr(self.error)
        return self.result


def _log_text(course, student):
    path = batch.student_log_dir(course.root) / f"{student}.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _wait_for(condition, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the condition")


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory, postgres_databases, cluster):  # noqa: F811
    """A batch during which the worker grading KILLED_STUDENT is killed with SIGKILL."""
    course, url = _course_on_postgres(tmp_path_factory, postgres_databases, "killed")
    run = _Batch(course, url, cluster.scheduler_address)
    run.start()
    started = re.compile(r"autograde started by \S+:(\d+)$", re.M)
    pid = int(
        _wait_for(lambda: started.search(_log_text(course, KILLED_STUDENT))).group(1)
    )
    os.kill(pid, signal.SIGKILL)
    result = run.finish()
    return course, url, result, pid


def test_killed_worker_submission_retried(killed_run):
    course, _, result, pid = killed_run
    attempts = re.findall(
        r"autograde started by \S+:(\d+)$", _log_text(course, KILLED_STUDENT), re.M
    )
    assert len(attempts) == 2
    assert int(attempts[0]) == pid
    assert int(attempts[1]) != pid
    outcome = result.outcomes[KILLED_STUDENT]
    assert not outcome.crashed
    assert not outcome.worker.endswith(f":{pid}")


def test_killed_run_matches_one_machine(killed_run, tmp_path_factory):
    course, url, result, _ = killed_run
    _, _, baseline = sequential_baseline(tmp_path_factory)
    assert result.crashed == []
    assert_same_grading(
        graded_state(course.root, url), baseline, [*CLASS, "unreadable"]
    )


def _lock_intervals(course, student):
    """(start, end) of each time a grader held the student's submission lock."""
    intervals = []
    start = None
    for line in _log_text(course, student).splitlines():
        stamp = line[:23]
        if "submission lock acquired" in line:
            start = datetime.strptime(stamp, STAMP)
        elif start and ("autograde finished" in line or "kept it" in line):
            intervals.append((start, datetime.strptime(stamp, STAMP)))
            start = None
    return intervals


@pytest.fixture(scope="module")
def twin_runs(tmp_path_factory, postgres_databases, cluster):  # noqa: F811
    """Two forced batches of the same class started at once, as by two instructors."""
    course, url = _course_on_postgres(tmp_path_factory, postgres_databases, "twins")
    runs = [
        _Batch(course, url, cluster.scheduler_address, force=True) for _ in range(2)
    ]
    for run in runs:
        run.start()
    return course, url, [run.finish() for run in runs]


def test_submission_never_graded_twice_at_once(twin_runs):
    course, _, results = twin_runs
    for student in results[0].outcomes:
        intervals = sorted(_lock_intervals(course, student))
        assert intervals, student
        for (_, end), (next_start, _) in zip(intervals, intervals[1:]):
            assert (
                end <= next_start
            ), f"{student}: two graders held the submission at once"


def test_twin_runs_grade_each_submission(twin_runs, tmp_path_factory):
    course, url, results = twin_runs
    _, _, baseline = sequential_baseline(tmp_path_factory)
    assert_same_grading(
        graded_state(course.root, url), baseline, [*CLASS, "unreadable"]
    )
    for student in results[0].outcomes:
        graded = [
            run.outcomes[student]
            for run in results
            if not run.outcomes[student].skipped
        ]
        assert graded, f"{student}: neither run graded it"


def test_twin_runs_reuse_each_others_results(twin_runs):
    _, _, results = twin_runs
    kept = [
        outcome
        for run in results
        for outcome in run.outcomes.values()
        if outcome.skipped == "graded by another grader during this run"
    ]
    assert kept


def test_held_lock_delays_grading(twin_runs, cluster):
    """A submission locked elsewhere is graded only once the lock is released."""
    course, url, _ = twin_runs
    other = "untouched_release"
    lock = database.submission_lock(
        url, "rnn-course", ASSIGNMENT, KILLED_STUDENT, "unused", 0
    )
    with lock as held:
        assert held
        locked_before = len(_lock_intervals(course, KILLED_STUDENT))
        other_before = len(_lock_intervals(course, other))
        starts_before = _log_text(course, KILLED_STUDENT).count("autograde started by")
        run = _Batch(
            course,
            url,
            cluster.scheduler_address,
            force=True,
            students=[KILLED_STUDENT, other],
        )
        run.start()
        _wait_for(
            lambda: _log_text(course, KILLED_STUDENT).count("autograde started by")
            > starts_before
        )
        _wait_for(lambda: len(_lock_intervals(course, other)) > other_before)
        time.sleep(1.0)
        waiting = _log_text(course, KILLED_STUDENT).split("autograde started by")[-1]
        assert "submission lock acquired" not in waiting
        released = datetime.now()
    result = run.finish()
    intervals = _lock_intervals(course, KILLED_STUDENT)
    assert len(intervals) == locked_before + 1
    assert intervals[-1][0] >= released - timedelta(milliseconds=1)
    assert result.outcomes[KILLED_STUDENT].status == "graded"
    assert not result.outcomes[KILLED_STUDENT].skipped
