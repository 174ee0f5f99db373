"""nbgrader's autograde converter run inside a long-lived worker process.

Starting ``nbgrader autograde`` costs 3-4 s of imports and setup. A worker
therefore sets nbgrader's ``AutogradeApp`` up once, as the command line would in
the course directory (the same nbgrader_config.py files, with ``--force``). It
then runs the ``Autograde`` converter once per student, changing only the
student id, so the preprocessors, the gradebook writes and the autograded
notebooks are those of ``nbgrader autograde ASSIGNMENT --student ID``.
"""

import contextlib
import logging
import os
import socket
import time
from pathlib import Path

import sqlalchemy as sa
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters import Autograde

from . import batch, database
from .batch import Outcome

LOCKED_RETRIES = 3  # attempts at a student whose grading met "database is locked"
LOCK_WAIT = 600.0  # seconds to wait for another grader to finish the same submission

log = logging.getLogger(__name__)


class _RecordingAutograde(Autograde):
    """nbgrader's converter, keeping the first exception that it logs and swallows."""

    first_error = None

    def init_assignment(self, assignment_id, student_id):
        try:
            super().init_assignment(assignment_id, student_id)
        except Exception as error:
            self.first_error = self.first_error or error
            raise

    def convert_single_notebook(self, notebook_filename):
        try:
            super().convert_single_notebook(notebook_filename)
        except Exception as error:
            self.first_error = self.first_error or error
            raise


class InProcessAutograder:
    """Grader of ``assignment`` in the course at ``course_root``, student by student."""

    def __init__(self, course_root, assignment, db_url):
        self.course_root = Path(course_root).resolve()
        self.assignment = assignment
        self.db_url = database.with_busy_timeout(db_url)
        self.log_dir = batch.student_log_dir(self.course_root)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.app = self._start_app()
        self.course_id = self.app.coursedir.course_id

    def _start_app(self):
        # The course's nbgrader_config.py reads the database URL from this variable.
        os.environ["RNN_COURSE_DB_URL"] = self.db_url
        argv = [self.assignment, "--force", f"--CourseDirectory.db_url={self.db_url}"]
        with _working_directory(self.course_root):
            app = AutogradeApp()
            app.initialize(argv)
        app.coursedir.assignment_id = self.assignment
        # Each student's messages go to that student's log file only.
        for handler in list(app.log.handlers):
            app.log.removeHandler(handler)
        app.log.setLevel(logging.INFO)
        return app

    def grade(self, student, not_before=None):
        """Grade ``student`` unless another grader has it locked or has just graded it.

        ``not_before`` is the start of the batch: a result stored after it by
        another grader is kept rather than graded again.
        """
        log_path = self.log_dir / f"{student}.log"
        with _student_log(
            self.app.log, log_path, student, self.assignment
        ) as student_log:
            student_log.info("autograde started by %s", self.worker)
            with database.submission_lock(
                self.db_url,
                self.course_id,
                self.assignment,
                student,
                self.log_dir,
                LOCK_WAIT,
            ) as acquired:
                if not acquired:
                    reason = (
                        f"another grader kept this submission locked for more than "
                        f"{LOCK_WAIT:g} s; run the command again once it has finished"
                    )
                    return Outcome(
                        student, "failed", reason, crashed=True, worker=self.worker
                    )
                student_log.info("submission lock acquired")
                done = self._graded_meanwhile(student, not_before)
                if done is not None:
                    student_log.info(
                        "another grader stored a result during this run; kept it"
                    )
                    return done
                outcome = self._grade_with_retries(student, student_log)
            student_log.info(
                "autograde finished: %s, %g / %g points in %.1f s",
                outcome.status,
                outcome.score,
                outcome.max_score,
                outcome.seconds,
            )
            if outcome.reason:
                student_log.info("reason: %s", outcome.reason)
        return outcome

    def _graded_meanwhile(self, student, not_before):
        if not_before is None:
            return None
        current = batch.current_results(
            self.course_root, self.db_url, self.assignment, [student], not_before
        )
        outcome = current.get(student)
        if outcome is not None:
            outcome.skipped = "graded by another grader during this run"
        return outcome

    def _grade_with_retries(self, student, student_log):
        started = time.monotonic()
        for attempt in range(1, LOCKED_RETRIES + 1):
            error = self._convert(student)
            if not _is_locked_error(error) or attempt == LOCKED_RETRIES:
                break
            student_log.warning(
                "the gradebook was locked (%s); starting attempt %d of %d",
                error,
                attempt + 1,
                LOCKED_RETRIES,
            )
            time.sleep(attempt)
        seconds = round(time.monotonic() - started, 3)
        if error is not None:
            reason = f"nbgrader autograde raised {type(error).__name__}: {error}"
            student_log.error("%s", reason)
            batch.record_failure(
                self.course_root,
                self.db_url,
                self.course_id,
                self.assignment,
                student,
                reason,
            )
            return Outcome(
                student,
                "failed",
                reason,
                seconds=seconds,
                crashed=True,
                worker=self.worker,
            )
        outcome = batch.stored_outcome(self.db_url, self.assignment, student)
        if outcome is None:
            reason = "nbgrader autograde stored no result (see this student's log)"
            outcome = Outcome(student, "failed", reason, crashed=True)
        outcome.seconds = seconds
        outcome.worker = self.worker
        return outcome

    def _convert(self, student):
        """Run nbgrader's converter on ``student``; return its first error or None."""
        self.app.coursedir.student_id = student
        converter = _RecordingAutograde(coursedir=self.app.coursedir, parent=self.app)
        try:
            converter.start()
        except Exception as error:
            return converter.first_error or error
        return converter.first_error


def _is_locked_error(error):
    return isinstance(error, sa.exc.OperationalError) and "locked" in str(error).lower()


@contextlib.contextmanager
def _working_directory(path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@contextlib.contextmanager
def _student_log(app_log, path, student, assignment):
    """Send nbgrader's and the grader's log records to ``path`` during one grading."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(
        logging.Formatter(
            f"%(asctime)s %(levelname)s {student}/{assignment} %(name)s: %(message)s"
        )
    )
    handler.setLevel(logging.INFO)
    # The course's own modules log under "helpers"; while a student grades, their
    # records go to that student's file instead of the worker's output.
    helpers_log = logging.getLogger("helpers")
    previous_level, previous_propagate = helpers_log.level, helpers_log.propagate
    helpers_log.setLevel(logging.INFO)
    helpers_log.propagate = False
    app_log.addHandler(handler)
    helpers_log.addHandler(handler)
    try:
        yield app_log
    finally:
        app_log.removeHandler(handler)
        helpers_log.removeHandler(handler)
        helpers_log.setLevel(previous_level)
        helpers_log.propagate = previous_propagate
        handler.close()
