"""Shared pieces of the parallel, PostgreSQL and Dask autograde tests.

The reference for every parallel run is one sequential ``nbgrader autograde``
on SQLite of the sample class plus an unreadable notebook, made once per
session (``sequential_baseline``). PostgreSQL tests need a server URL in
RNN_TEST_POSTGRES_URL and are skipped without it. They create their own
databases on that server and drop them when the session ends.
"""

import os
import subprocess
import sys
import time
import uuid

import nbformat
import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from conftest import ASSIGNMENT, TEST_CONFIG, grade_all, make_course
from helpers import report
from helpers.course import REPOSITORY, Course
from helpers.grading import results
from helpers.samples import sample_class

POSTGRES_VARIABLE = "RNN_TEST_POSTGRES_URL"
UNREADABLE = {"unreadable": b"this file is not a notebook"}

_baseline = {}


def sequential_baseline(tmp_path_factory):
    """Return (course, notebooks, graded state) of the sequential run, made once."""
    if "run" not in _baseline:
        course = make_course(tmp_path_factory.mktemp("sequential") / "course")
        notebooks = sample_class.submissions(course)
        grade_all(course, notebooks, UNREADABLE)
        state = graded_state(course.root, course.database_url())
        _baseline["run"] = (course, notebooks, state)
    return _baseline["run"]


def make_course_on(root, db_url, extra_config=""):
    """Like conftest's make_course, with the gradebook at ``db_url``."""
    course = Course.copy_of_repository(root, db_url=db_url)
    with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(TEST_CONFIG + extra_config)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return course


def write_class(course, notebooks, raw_files=UNREADABLE):
    for student, notebook in notebooks.items():
        sample_class.write_submission(course, student, notebook)
    for student, content in raw_files.items():
        directory = course.submission_dir(student, ASSIGNMENT)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{ASSIGNMENT}.ipynb").write_bytes(content)


def feedback_texts(course_root, student):
    """The text each graded cell of the student's autograded notebook shows."""
    path = course_root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if not path.exists():
        return None
    notebook = nbformat.read(str(path), as_version=4)
    texts = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and cell.cell_type == "code":
            texts[grade_id] = "".join(output.get("text", "") for output in cell.outputs)
    return texts


def graded_state(course_root, db_url):
    """Per student: the report row, the stored check details and the feedback texts."""
    stored = {row["student"]: row for row in results.load(db_url, ASSIGNMENT)}
    state = {}
    for row in report.class_grades(db_url, ASSIGNMENT):
        student = row["student"]
        result = stored.get(student, {})
        state[student] = {
            "report": row,
            "stored": {
                key: result.get(key) for key in ("status", "reason", "score", "details")
            },
            "feedback": feedback_texts(course_root, student),
        }
    return state


def assert_same_grading(state, baseline, students=None):
    """Check that each of ``students`` (default: all) was graded as in ``baseline``."""
    for student in students or baseline:
        expected = baseline[student]
        assert student in state, f"{student} was not graded"
        assert state[student]["report"] == expected["report"], f"{student}: report row"
        assert (
            state[student]["stored"] == expected["stored"]
        ), f"{student}: stored result"
        assert (
            state[student]["feedback"] == expected["feedback"]
        ), f"{student}: feedback"


def prepare_at_once(db_url, lock_dir, processes=4):
    """Call ``database.prepare`` from several processes at the same moment.

    The gradebook gets the assignment first, as ``nbgrader generate_assignment``
    would give it, but not the course's results table. Returns the processes'
    (exit code, stderr) pairs.
    """
    with Gradebook(db_url, "rnn-course") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT)
    start = time.time() + 3.0  # every process has imported helpers by then
    code = (
        "import sys, time\n"
        "from helpers import database\n"
        f"time.sleep(max(0.0, {start!r} - time.time()))\n"
        f"database.prepare({db_url!r}, 'rnn-course', {ASSIGNMENT!r},\n"
        f"                 {str(lock_dir)!r})\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPOSITORY))
    running = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=REPOSITORY,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    return [(process.wait(timeout=120), process.stderr.read()) for process in running]


def postgres_server_url():
    """The test server's URL with the psycopg2 driver, or skip the test."""
    value = os.environ.get(POSTGRES_VARIABLE)
    if not value:
        pytest.skip(
            f"set {POSTGRES_VARIABLE}=postgresql://USER@127.0.0.1:PORT/postgres to run "
            f"the PostgreSQL tests (.ci/run starts a server for them)"
        )
    url = make_url(value)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg2")
    return url


class PostgresDatabases:
    """Databases that one test session creates on the test server, then drops."""

    def __init__(self, server_url):
        self.server_url = server_url
        self.admin = sa.create_engine(
            server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self.created = []

    def create(self, label):
        name = f"rnn_test_{os.getpid()}_{uuid.uuid4().hex[:8]}_{label}"
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self):
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(
                    sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                )
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    databases = PostgresDatabases(postgres_server_url())
    yield databases
    databases.drop_all()
