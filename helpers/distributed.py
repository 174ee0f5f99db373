"""Autograde a class on Dask workers spread over several hosts.

Every host mounts the course directory at the same path and reaches the
PostgreSQL gradebook named by ``RNN_COURSE_DB_URL``. A Dask scheduler hands
out one task per student (``grade_submission``). Each Dask worker process sets
nbgrader up once (``in_process.py``) and grades one student at a time. Dask
and PostgreSQL provide the rest:

- a worker that dies or loses its connection has its tasks run again on
  other workers, up to ``distributed.scheduler.allowed-failures`` times (3 by
  default), after which the student is stored as failed with the reason;
- a PostgreSQL advisory lock per submission (``database.submission_lock``)
  keeps two workers from grading the same submission at once, even when the
  scheduler reruns a task whose first worker is in fact still grading, or two
  instructors start a batch at the same time.

Start the scheduler and the workers from the repository, so that ``helpers``
can be imported (the README shows the commands), then run
``python -m helpers autograde-cluster ASSIGNMENT --scheduler tcp://HOST:8786``.
"""

import logging
import threading
import time

from distributed import Client, as_completed
from distributed.scheduler import KilledWorker

from . import batch, database
from .batch import BatchResult, Outcome
from .course import Course

CONNECT_SECONDS = 30.0  # seconds to wait for a connection to the scheduler

log = logging.getLogger(__name__)

# A Dask worker may run several tasks at once in threads, but nbgrader's
# converter changes the working directory and keeps state per student, so one
# process grades one student at a time (start workers with --nthreads 1).
_GRADING = threading.Lock()
_graders = {}


def grade_submission(course_root, assignment, student, db_url, not_before):
    """Dask task: grade ``student`` in this worker process and return an Outcome."""
    from .in_process import InProcessAutograder

    with _GRADING:
        key = (course_root, assignment, db_url)
        if key not in _graders:
            _graders[key] = InProcessAutograder(course_root, assignment, db_url)
        grader = _graders[key]
        try:
            return grader.grade(student, not_before)
        # The grader's own failure, outside nbgrader's converter.
        except Exception as error:
            log.exception("%s/%s: grading failed", student, assignment)
            reason = f"the grader raised {type(error).__name__}: {error}"
            batch.record_failure(
                course_root,
                grader.db_url,
                grader.course_id,
                assignment,
                student,
                reason,
            )
            return Outcome(
                student, "failed", reason, crashed=True, worker=grader.worker
            )


def check_gradebook(db_url):
    """Raise GradebookNotReady unless ``db_url`` is a gradebook that hosts can share."""
    database.check_url(db_url)
    if not database.is_postgresql(db_url):
        raise database.GradebookNotReady(
            f"workers on several hosts need one PostgreSQL gradebook, but the course "
            f"uses {database.describe(db_url)}: set RNN_COURSE_DB_URL="
            f"postgresql+psycopg2://USER@HOST/DATABASE and run "
            f"`nbgrader generate_assignment` with it first"
        )


def autograde_cluster(
    course_root,
    assignment,
    scheduler=None,
    client=None,
    force=False,
    db_url=None,
    progress=True,
    students=None,
):
    """Grade every submission of ``assignment`` that needs it on a Dask cluster.

    Give either the scheduler's address or a connected ``client``. ``db_url``
    overrides RNN_COURSE_DB_URL; it must name a PostgreSQL database. ``students``
    limits the run to those ids.
    """
    course = Course(course_root, db_url)
    url = course.database_url()
    check_gradebook(url)
    course_id = batch.course_directory(course.root).course_id
    database.prepare(url, course_id, assignment, batch.student_log_dir(course.root))
    plan = batch.plan(course.root, url, assignment, force, students)
    own_client = client is None
    if own_client:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    try:
        started = time.monotonic()
        outcomes = dict(plan.up_to_date)
        workers = client.scheduler_info(n_workers=-1)["workers"]
        hosts = {info["host"] for info in workers.values()}
        futures = {
            client.submit(
                grade_submission,
                str(course.root),
                assignment,
                student,
                url,
                plan.started,
                key=f"autograde-{assignment}-{student}-{plan.started.timestamp()}",
                pure=False,
            ): student
            for student in plan.to_grade
        }
        with batch.progress_bar(assignment, len(futures), progress) as bar:
            for future in as_completed(futures):
                student = futures[future]
                outcome = _collect(
                    future, student, course.root, url, course_id, assignment
                )
                outcomes[student] = outcome
                bar.record(outcome)
        seconds = time.monotonic() - started
    finally:
        if own_client:
            client.close()
    where = f"{len(workers)} Dask worker(s) on {len(hosts)} host(s)"
    return BatchResult(assignment, outcomes, plan.missing, seconds, where)


def _collect(future, student, course_root, db_url, course_id, assignment):
    try:
        return future.result()
    except KilledWorker as error:
        reason = (
            f"{error.allowed_failures + 1} Dask workers died while grading this "
            f"submission (the last was {error.last_worker.address}); see the "
            f"workers' logs"
        )
    except Exception as error:  # lost connection, cancelled task, unpicklable result
        reason = f"the Dask task failed: {type(error).__name__}: {error}"
    log.error("%s/%s: %s", student, assignment, reason)
    batch.record_failure(course_root, db_url, course_id, assignment, student, reason)
    return Outcome(student, "failed", reason, crashed=True)
