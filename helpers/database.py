"""The gradebook database when several processes grade at once: URLs, setup, locks.

nbgrader's gradebook is SQLite by default and PostgreSQL when
``RNN_COURSE_DB_URL`` names one. Parallel grading needs three things from it:

- SQLite lets one writer in at a time. A connection that finds the file locked
  waits up to its busy timeout before it raises "database is locked", and
  Python's default of 5 s is short for a class, so ``with_busy_timeout`` sets 60 s.
- nbgrader creates its tables the first time a ``Gradebook`` opens a database,
  which two processes must not do at once, so ``prepare`` does it once, first.
- A submission must never be graded by two processes at once (two batches, or a
  worker that the scheduler wrongly took for dead). ``submission_lock`` takes a
  PostgreSQL advisory lock, or an ``flock`` on a file for SQLite. The server or
  the operating system releases either lock when the process holding it dies.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from .grading import results

SQLITE_BUSY_TIMEOUT = 60.0  # seconds a SQLite connection waits for a lock
SETUP_WAIT = 120.0  # seconds to wait while another process creates the tables
LOCK_POLL_SECONDS = 0.5

log = logging.getLogger(__name__)


class GradebookNotReady(RuntimeError):
    """The gradebook is not ready for grading; the message names the command to run."""


def check_url(db_url):
    """Raise ``GradebookNotReady`` for a URL that SQLAlchemy could not connect with.

    SQLAlchemy 2.1 reads ``postgresql://`` as psycopg 3, while the course
    installs psycopg2 (requirements.txt), so the driver must be named.
    """
    url = make_url(db_url)
    if url.drivername == "postgresql":
        fixed = url.set(drivername="postgresql+psycopg2")
        raise GradebookNotReady(
            f"the database URL {describe(db_url)} names no driver, so SQLAlchemy "
            f"would look for psycopg 3, which is not installed: set "
            f"RNN_COURSE_DB_URL={fixed.render_as_string(hide_password=True)} instead"
        )
    return url


def is_sqlite(db_url):
    return make_url(db_url).get_backend_name() == "sqlite"


def is_postgresql(db_url):
    return make_url(db_url).get_backend_name() == "postgresql"


def describe(db_url):
    """Render ``db_url`` for logs and messages, with its password hidden."""
    return make_url(db_url).render_as_string(hide_password=True)


def with_busy_timeout(db_url, seconds=SQLITE_BUSY_TIMEOUT):
    """Return ``db_url`` with a SQLite busy timeout, unless it already sets one.

    The pysqlite dialect passes the ``timeout`` query parameter to
    ``sqlite3.connect``; other databases' URLs are returned unchanged.
    """
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or "timeout" in url.query:
        return db_url
    return url.update_query_dict({"timeout": f"{seconds:g}"}).render_as_string(
        hide_password=False
    )


def prepare(db_url, course_id, assignment, lock_dir):
    """Create the gradebook's tables if needed and check that ``assignment`` is in it.

    Two runs started at once would both find a table missing and both create
    it, and the second CREATE TABLE fails, so a lock lets one process at a time
    do this (``lock_dir`` as in ``submission_lock``). Opening a new gradebook
    runs ``alembic`` from the environment's bin folder, which may not be on PATH
    when Python was started by its full path.
    """
    check_url(db_url)
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    if is_postgresql(db_url):
        key = lock_key(course_id, "", "gradebook setup")
        lock = _advisory_lock(db_url, key, SETUP_WAIT)
    else:
        lock = _file_lock(Path(lock_dir) / ".gradebook-setup.lock", SETUP_WAIT)
    with lock as acquired:
        if not acquired:
            raise GradebookNotReady(
                f"another process kept the setup of {describe(db_url)} locked for "
                f"{SETUP_WAIT:g} s: run the command again"
            )
        _check_assignment(db_url, course_id, assignment)
        results.engine_for(db_url)


def _check_assignment(db_url, course_id, assignment):
    with Gradebook(db_url, course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise GradebookNotReady(
                f"assignment {assignment!r} is not in the gradebook "
                f"{describe(db_url)}: run `nbgrader generate_assignment {assignment}` "
                f"in the course directory with the same RNN_COURSE_DB_URL first"
            ) from None


def lock_key(course_id, assignment, student):
    """Derive a submission's 64-bit ``pg_advisory_lock`` key, equal on all hosts."""
    text = "\0".join((course_id, assignment, student)).encode("utf-8")
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def submission_lock(db_url, course_id, assignment, student, lock_dir, wait):
    """Hold the lock on one student's submission, or yield False after ``wait`` seconds.

    ``lock_dir`` holds the lock files of a SQLite gradebook, which is only safe
    on one machine. PostgreSQL keeps its lock in the server, so hosts sharing
    the gradebook exclude each other.
    """
    if is_postgresql(db_url):
        manager = _advisory_lock(db_url, lock_key(course_id, assignment, student), wait)
    else:
        path = Path(lock_dir) / f"{student}.lock"
        manager = _file_lock(path, wait)
    with manager as acquired:
        if not acquired:
            log.warning(
                "%s/%s: still locked by another grader after %g s",
                student,
                assignment,
                wait,
            )
        yield acquired


@contextlib.contextmanager
def _advisory_lock(db_url, key, wait):
    # The lock belongs to this connection's session, so the server releases it
    # when the connection closes, including when the process holding it dies.
    engine = sa.create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            acquired = _poll(
                lambda: connection.execute(
                    sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
                ).scalar(),
                wait,
            )
            connection.commit()
            try:
                yield acquired
            finally:
                if acquired:
                    connection.execute(
                        sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key}
                    )
                    connection.commit()
    finally:
        engine.dispose()


@contextlib.contextmanager
def _file_lock(path, wait):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:

        def try_lock():
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        acquired = _poll(try_lock, wait)
        try:
            yield acquired
        finally:
            if acquired:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _poll(try_once, wait):
    deadline = time.monotonic() + wait
    while True:
        if try_once():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(LOCK_POLL_SECONDS)
