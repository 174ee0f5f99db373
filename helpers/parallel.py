"""Autograde a whole class on one machine with several worker processes.

``python -m helpers autograde ASSIGNMENT --workers N`` starts N processes. Each
sets nbgrader up once (``in_process.py``) and grades one student at a time. This
process keeps the queue of students and hands the next one to whichever worker
is free. Scores are those of ``nbgrader autograde`` because the same converter
runs with the same configuration.

A worker that dies (a crash of nbgrader, the kernel manager or the machine's
out-of-memory killer) costs only the student it was grading. That student is
stored as failed with the reason, a new worker takes its place, and the batch
goes on. A SQLite gradebook gets a 60 s busy timeout (``database.py``), so
concurrent writers wait for each other instead of failing.
"""

import collections
import contextlib
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import threading
import time

from . import batch, database
from .batch import BatchResult, Outcome
from .course import Course
from .grading import results as results_module

POLL_SECONDS = 0.5
STOP_SECONDS = 10.0  # seconds an idle worker gets to exit before it is terminated

log = logging.getLogger(__name__)


def default_workers():
    """Return the number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def autograde(
    course_root,
    assignment,
    workers=None,
    force=False,
    db_url=None,
    progress=True,
    students=None,
):
    """Grade every submission of ``assignment`` that needs it; return a BatchResult.

    ``db_url`` overrides the course's gradebook (RNN_COURSE_DB_URL, else the
    course's gradebook.db). Without ``force``, students graded since their
    latest submission keep their result. ``students`` limits the run to those ids.
    """
    course = Course(course_root, db_url)
    url = database.with_busy_timeout(course.database_url())
    course_id = batch.course_directory(course.root).course_id
    with _batch_log(course.root):
        started = time.monotonic()
        # The workers start first, so that they set nbgrader up while this
        # process plans, and so that forked workers inherit no database connection.
        pool = _Pool(course.root, assignment, url, course_id)
        pool.start(workers or default_workers())
        try:
            database.prepare(
                url, course_id, assignment, batch.student_log_dir(course.root)
            )
            plan = batch.plan(course.root, url, assignment, force, students)
            count = max(1, min(pool.started, len(plan.to_grade)))
            log.info(
                "class/%s: grading %d submission(s) with %d worker(s), keeping %d "
                "up-to-date result(s), gradebook %s",
                assignment,
                len(plan.to_grade),
                count,
                len(plan.up_to_date),
                database.describe(url),
            )
            outcomes = dict(plan.up_to_date)
            if plan.to_grade:
                with batch.progress_bar(
                    assignment, len(plan.to_grade), progress
                ) as bar:
                    for outcome in pool.run(plan.to_grade, plan.started):
                        outcomes[outcome.student] = outcome
                        bar.record(outcome)
        finally:
            pool.stop()
        seconds = time.monotonic() - started
        log.info("class/%s: finished in %.1f s", assignment, seconds)
    plural = "es" if count > 1 else ""
    return BatchResult(
        assignment, outcomes, plan.missing, seconds, f"{count} worker process{plural}"
    )


class _Worker:
    """One worker process and the state this process tracks for it."""

    def __init__(self, context, number, arguments, tasks, results):
        self.number = number
        self.tasks = tasks
        self.process = context.Process(
            target=_worker_main,
            args=(number, *arguments, self.tasks, results),
            name=f"autograde-worker-{number}",
            daemon=True,
        )
        self.ready = False  # nbgrader is set up and the worker waits for students
        self.student = None
        self.running = False  # the worker has reported that it started on self.student
        self.broken = ""  # why the worker could not set nbgrader up
        self.finished = False
        self.created = time.monotonic()
        self.process.start()


class _Pool:
    """Worker processes fed one student at a time from a queue kept here."""

    def __init__(self, course_root, assignment, db_url, course_id):
        self.server = _fork_server()
        # Queues of the fork server's context work with forked workers as well.
        self.results = self.server.Queue()
        self.course_root = course_root
        self.assignment = assignment
        self.db_url = db_url
        self.course_id = course_id
        self.arguments = (str(course_root), assignment, db_url)
        self.workers = {}
        self.started = 0
        self.pending = collections.deque()
        self.not_before = None
        self.replacements = 0

    def start(self, count):
        """Start ``count`` workers, forked from this process when that is safe."""
        context = _first_workers_context(self.server)
        for _ in range(count):
            self._start_worker(context)

    def run(self, students, not_before):
        """Yield one Outcome per student, in the order they finish.

        ``not_before`` is the start of the run (see ``InProcessAutograder.grade``).
        """
        self.pending.extend(students)
        self.not_before = not_before
        # A death consumes a student, so this bounds the restarts.
        self.replacements = len(students)
        remaining = set(students)
        try:
            while remaining:
                for outcome in self._next_outcomes():
                    remaining.discard(outcome.student)
                    yield outcome
        except BaseException:
            self._abort()
            raise

    def stop(self):
        """Tell idle workers to exit, and wait for every worker to end."""
        for worker in self.workers.values():
            if worker.process.exitcode is None and worker.student is None:
                worker.tasks.put(None)
        for worker in self.workers.values():
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()

    def _start_worker(self, context):
        number = self.started
        self.started += 1
        self.workers[number] = _Worker(
            context, number, self.arguments, self.server.Queue(), self.results
        )

    def _next_outcomes(self):
        try:
            message = self.results.get(timeout=POLL_SECONDS)
        except queue.Empty:
            outcomes = []
        else:
            outcomes = self._handle(message)
        return outcomes + self._check_workers()

    def _handle(self, message):
        kind, number, payload = message
        worker = self.workers[number]
        if kind == "broken":
            worker.broken = payload
            log.error(
                "class/%s: worker %d could not start: %s",
                self.assignment,
                number,
                payload,
            )
            return []
        if kind == "started":
            worker.running = True
            return []
        if kind == "ready":
            worker.ready = True
            log.info(
                "class/%s: worker %d (pid %d) ready after %.1f s",
                self.assignment,
                number,
                worker.process.pid,
                time.monotonic() - worker.created,
            )
        outcomes = []
        if kind == "done":
            outcomes.append(payload)
            worker.student = None
            worker.running = False
        if worker.process.exitcode is None:
            self._dispatch(worker)
        return outcomes

    def _dispatch(self, worker):
        if self.pending:
            worker.student = self.pending.popleft()
            worker.tasks.put((worker.student, self.not_before))
        else:
            worker.tasks.put(None)

    def _check_workers(self):
        outcomes = []
        for worker in list(self.workers.values()):
            if worker.finished or worker.process.exitcode is None:
                continue
            # Messages it sent just before exiting may still be in the queue.
            outcomes += self._drain()
            worker.finished = True
            if not worker.ready and not worker.broken:
                worker.broken = (
                    f"worker {worker.number} exited with code "
                    f"{worker.process.exitcode} while starting; see "
                    f"{batch_log_path(self.course_root)}"
                )
            if worker.student is not None and not worker.running:
                self.pending.appendleft(worker.student)  # it died before it began
            elif worker.student is not None:
                outcomes.append(self._died(worker))
            worker.student = None
            if self.pending and not worker.broken and self.replacements > 0:
                self.replacements -= 1
                self._start_worker(self.server)
        if self.pending and all(worker.finished for worker in self.workers.values()):
            outcomes += self._fail_pending()
        return outcomes

    def _drain(self):
        outcomes = []
        while True:
            try:
                message = self.results.get_nowait()
            except queue.Empty:
                return outcomes
            outcomes += self._handle(message)

    def _died(self, worker):
        # A result the worker stored before its "done" message was lost counts as
        # a crash too: the student is graded again by the next run.
        student = worker.student
        code = worker.process.exitcode
        if code < 0:
            how = f"was killed by {signal.Signals(-code).name}"
        else:
            how = f"exited with code {code}"
        reason = (
            f"the grading process (pid {worker.process.pid}) {how} while grading this "
            f"submission; see {batch.student_log_dir(self.course_root) / student}.log"
        )
        log.error("%s/%s: %s", student, self.assignment, reason)
        batch.record_failure(
            self.course_root,
            self.db_url,
            self.course_id,
            self.assignment,
            student,
            reason,
        )
        return Outcome(student, "failed", reason, crashed=True)

    def _fail_pending(self):
        reasons = {worker.broken for worker in self.workers.values() if worker.broken}
        reason = "no worker process could grade: " + (
            "; ".join(sorted(reasons)) or "all exited"
        )
        outcomes = [
            Outcome(student, "failed", reason, crashed=True) for student in self.pending
        ]
        self.pending.clear()
        return outcomes

    def _abort(self):
        """Stop every worker at once and remove the output of unfinished gradings."""
        for worker in self.workers.values():
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers.values():
            worker.process.join(STOP_SECONDS)
            if worker.student is not None:
                coursedir = batch.course_directory(self.course_root)
                path = coursedir.format_path(
                    coursedir.autograded_directory, worker.student, self.assignment
                )
                shutil.rmtree(path, ignore_errors=True)


def _fork_server():
    """Return the context of a fork server that imports nbgrader and the grader once.

    Its workers are forks of a clean process with those imports done, which
    saves about 2 s of CPU per worker over starting a new interpreter.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["helpers.in_process"])
    return context


def _first_workers_context(server):
    """Fork the first workers from this process while it runs a single thread.

    A fork inherits this process's imports and starts at once, where the fork
    server would first spend about 2 s importing nbgrader. Forking is only safe
    without other threads (a lock held by one would stay locked in the child),
    so replacements of dead workers, started once the queues' threads run,
    come from the fork server.
    """
    if (
        threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return server
    from . import in_process  # noqa: F401 (imported here once, inherited by the forks)

    return multiprocessing.get_context("fork")


def _forget_inherited_connections():
    """Drop the database connections that a fork inherited, without closing them.

    ``Engine.dispose(close=False)`` is SQLAlchemy's advice for forked children:
    closing them here would close the parent's connections as well.
    """
    for engine in list(results_module._engines.values()):
        engine.dispose(close=False)


def _worker_main(number, course_root, assignment, db_url, tasks, results):
    """Set nbgrader up, then grade the students received until a None arrives."""
    from .in_process import InProcessAutograder

    _forget_inherited_connections()
    # The parent decides what an interrupt stops, so Ctrl-C in the terminal does
    # not also abort every worker's student halfway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _send_output_to_batch_log(course_root)
    try:
        grader = InProcessAutograder(course_root, assignment, db_url)
    except Exception as error:
        log.exception(
            "class/%s: worker %d could not set nbgrader up", assignment, number
        )
        results.put(("broken", number, f"{type(error).__name__}: {error}"))
        return
    results.put(("ready", number, None))
    while True:
        task = tasks.get()
        if task is None:
            return
        student, not_before = task
        results.put(("started", number, student))
        try:
            outcome = grader.grade(student, not_before)
        # The grader's own failure, outside nbgrader's converter.
        except Exception as error:
            log.exception("%s/%s: grading failed", student, assignment)
            reason = f"the grader raised {type(error).__name__}: {error}"
            outcome = Outcome(
                student, "failed", reason, crashed=True, worker=grader.worker
            )
            try:
                batch.record_failure(
                    course_root,
                    grader.db_url,
                    grader.course_id,
                    assignment,
                    student,
                    reason,
                )
            except Exception:
                log.exception(
                    "%s/%s: storing the failure failed as well", student, assignment
                )
        results.put(("done", number, outcome))


def batch_log_path(course_root):
    return batch.student_log_dir(course_root).parent / "autograde-batch.log"


def _send_output_to_batch_log(course_root):
    """Point this worker's stdout, stderr and warnings at the batch log file."""
    path = batch_log_path(course_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.close(descriptor)
    logging.basicConfig(
        level=logging.WARNING,
        format=(
            f"%(asctime)s %(levelname)s worker pid {os.getpid()} %(name)s: %(message)s"
        ),
        stream=sys.stderr,
        force=True,
    )


@contextlib.contextmanager
def _batch_log(course_root):
    """Copy this module's records of one run into the course's batch log."""
    path = batch_log_path(course_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.setLevel(logging.INFO)
    previous_level, previous_propagate = log.level, log.propagate
    log.setLevel(logging.INFO)
    log.propagate = False  # the end-of-run summary reports to the terminal
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(previous_level)
        log.propagate = previous_propagate
        handler.close()
