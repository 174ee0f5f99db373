"""One autograde run over a class: whom to grade, each outcome, and the summary.

Shared by the worker pool on one machine (``parallel.py``) and the Dask cluster
(``distributed.py``). A student's status comes from the course's table
``rnn_autograde_results`` (see ``grading/results.py``), which ``SaveGrades``
fills; when the grader itself fails, ``record_failure`` writes the row instead.
"""

import collections
import contextlib
import glob
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from tqdm import tqdm

from .assignments import ASSIGNMENTS
from .course import Course
from .grading import feedback, results
from .grading.grade import FunctionResult

STATUSES = ("graded", "partly graded", "failed")


class NoSubmission(ValueError):
    """A student named for grading has no submitted notebook."""


@dataclass
class Outcome:
    """Result of grading one student's submission, or the reason there is none."""

    student: str
    status: str
    reason: str = ""
    score: float = 0.0
    max_score: float = 0.0
    seconds: float = 0.0
    crashed: bool = False  # the grader failed, not the student's code: grade again
    skipped: str = ""  # why this run kept the stored result instead of grading
    worker: str = ""  # host:pid of the process that graded


@dataclass
class Plan:
    """The submissions a run grades, those it keeps, and the students without one."""

    to_grade: list
    up_to_date: dict  # student -> Outcome stored by an earlier run
    missing: list
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass
class BatchResult:
    """The outcome of one autograde run over a class, for its summary."""

    assignment: str
    outcomes: dict  # student -> Outcome, for every submission of the class
    missing: list
    seconds: float
    workers: str  # how the run was spread, e.g. "2 worker processes"

    @property
    def graded_now(self):
        return [o for o in self.outcomes.values() if not o.skipped]

    @property
    def crashed(self):
        return [o for o in self.outcomes.values() if o.crashed]


def student_log_dir(course_root):
    """Return the folder of per-student autograde logs (and SQLite lock files)."""
    return Path(course_root) / "logs" / "autograde"


_directories = {}


def course_directory(course_root):
    """Return nbgrader's CourseDirectory as the course's nbgrader_config.py sets it."""
    root = Path(course_root).resolve()
    if root not in _directories:
        config = Course(root).config()
        coursedir = CourseDirectory(config=config)
        coursedir.root = str(root)
        _directories[root] = coursedir
    return _directories[root]


def submitted(course_root, assignment):
    """Map each student with a submitted notebook of ``assignment`` to its folder.

    Folders are found with the same glob as ``nbgrader autograde`` uses.
    """
    coursedir = course_directory(course_root)
    step = coursedir.submitted_directory
    pattern = coursedir.format_path(
        step, "(?P<student>[^/]+)", re.escape(assignment), escape=True
    )
    found = {}
    for directory in sorted(glob.glob(coursedir.format_path(step, "*", assignment))):
        match = re.fullmatch(pattern, directory)
        if (
            match
            and os.path.isdir(directory)
            and glob.glob(os.path.join(directory, "*.ipynb"))
        ):
            found[match.group("student")] = Path(directory)
    return found


def coursedir_submitted(course_root):
    coursedir = course_directory(course_root)
    return Path(coursedir.root) / coursedir.submitted_directory


def latest_change(directory):
    """Return the latest modification or status change of ``directory`` and its files.

    The status-change time (ctime) is when a file was written here, even by a
    copy that kept the student's original modification time.
    """
    newest = 0.0
    for folder, _, files in os.walk(directory):
        for path in [folder] + [os.path.join(folder, name) for name in files]:
            status = os.stat(path)
            newest = max(newest, status.st_mtime, status.st_ctime)
    return datetime.fromtimestamp(newest, timezone.utc)


def _as_utc(moment):
    if moment.tzinfo is None:  # SQLite returns the stored UTC time without its zone
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def stored_rows(db_url, assignment, students=None):
    """Load the stored outcomes of ``assignment`` as student -> list of notebook rows.

    ``students`` limits the query to those students; ``details`` stays JSON text.
    """
    table = results.autograde_results
    query = sa.select(table).where(table.c.assignment == assignment)
    if students is not None:
        query = query.where(table.c.student.in_(list(students)))
    rows = {}
    with results.engine_for(db_url).connect() as connection:
        for row in connection.execute(query):
            rows.setdefault(row.student, []).append(dict(row._mapping))
    return rows


def outcome_from_rows(student, rows):
    """Combine the stored rows of one student's notebooks into one Outcome."""
    statuses = [row["status"] for row in rows]
    if "failed" in statuses and len(set(statuses)) == 1:
        status = "failed"
    elif "failed" in statuses or "partly graded" in statuses:
        status = "partly graded"
    else:
        status = "graded"
    reason = "; ".join(row["reason"] for row in rows if row["reason"])
    return Outcome(
        student,
        status,
        reason,
        score=round(sum(row["score"] for row in rows), 6),
        max_score=sum(row["max_score"] for row in rows),
    )


def stored_outcome(db_url, assignment, student):
    rows = stored_rows(db_url, assignment, [student]).get(student)
    return outcome_from_rows(student, rows) if rows else None


def current_results(course_root, db_url, assignment, students, not_before=None):
    """Return the stored Outcome of each of ``students`` whose result is up to date.

    A result is up to date when every submitted notebook has an autograded
    notebook and a stored row that is not "failed", written after the submission
    last changed on disk (and after ``not_before``, when given). A failed student
    is graded again: the grader stores "failed" when a grading starts, and a
    failure may come from the grader rather than from the submission.
    """
    coursedir = course_directory(course_root)
    stored = stored_rows(db_url, assignment, students)
    current = {}
    for student in students:
        rows = {row["notebook"]: row for row in stored.get(student, [])}
        folder = Path(
            coursedir.format_path(coursedir.submitted_directory, student, assignment)
        )
        if not rows or not folder.is_dir():
            continue
        since = latest_change(folder)
        if not_before is not None:
            since = max(since, not_before)
        autograded = Path(
            coursedir.format_path(coursedir.autograded_directory, student, assignment)
        )
        notebooks = [path.stem for path in folder.glob("*.ipynb")]
        if all(
            name in rows
            and rows[name]["status"] != "failed"
            and _as_utc(rows[name]["graded_at"]) >= since
            and (autograded / f"{name}.ipynb").exists()
            for name in notebooks
        ):
            outcome = outcome_from_rows(student, [rows[name] for name in notebooks])
            outcome.skipped = "already graded since the latest submission"
            current[student] = outcome
    return current


def plan(course_root, db_url, assignment, force=False, students=None):
    """Decide whom to grade: every submission with ``force``, else those not up to date.

    ``students`` limits the run to those ids, as ``nbgrader autograde --student``
    does; students of the gradebook without a submission are then not listed.
    """
    started = datetime.now(timezone.utc)
    found = sorted(submitted(course_root, assignment))
    if students is None:
        with Gradebook(db_url) as gradebook:
            known = sorted(student.id for student in gradebook.students)
        missing = [student for student in known if student not in found]
    else:
        unknown = sorted(set(students) - set(found))
        if unknown:
            raise NoSubmission(
                f"no submission of {assignment} in "
                f"{coursedir_submitted(course_root)} for "
                f"{', '.join(unknown)}"
            )
        found = sorted(set(students))
        missing = []
    up_to_date = (
        {} if force else current_results(course_root, db_url, assignment, found)
    )
    to_grade = [student for student in found if student not in up_to_date]
    return Plan(to_grade, up_to_date, missing, started)


def record_failure(course_root, db_url, course_id, assignment, student, reason):
    """Store ``student`` as failed with ``reason`` after the grader itself failed.

    Like nbgrader after a failed conversion, it removes the student's partial
    autograded files, so a later run grades the submission again, and it sets
    the automatic scores to 0, as the README promises for a failed student.
    """
    coursedir = course_directory(course_root)
    autograded = Path(
        coursedir.format_path(coursedir.autograded_directory, student, assignment)
    )
    shutil.rmtree(autograded, ignore_errors=True)
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        notebooks = [notebook.name for notebook in submission.notebooks]
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gradebook.db.commit()
    for notebook in notebooks:
        results.save(
            db_url, assignment, student, notebook, _failed_summary(assignment, reason)
        )


def _failed_summary(assignment, reason):
    module = ASSIGNMENTS.get(assignment)
    specs = module.FUNCTIONS if module else ()
    failed = [
        FunctionResult(spec.name, spec.points, [], fault=reason) for spec in specs
    ]
    return {
        "status": "failed",
        "reason": reason,
        "score": 0.0,
        "max_score": float(sum(spec.points for spec in specs)),
        "functions": {result.name: feedback.as_record(result) for result in failed},
    }


def format_summary(result, course_root):
    """Format the end-of-run report: counts per status, reasons, missing, logs."""
    outcomes = sorted(result.outcomes.values(), key=lambda outcome: outcome.student)
    graded_now = result.graded_now
    kept = len(outcomes) - len(graded_now)
    if graded_now:
        lines = [
            f"{result.assignment}: graded {len(graded_now)} submission(s) in "
            f"{result.seconds:.1f} s with {result.workers} "
            f"({result.seconds / len(graded_now):.2f} s each)."
        ]
    else:
        lines = [f"{result.assignment}: no submission needed grading."]

    if kept:
        lines.append(
            f"Kept {kept} result(s) already up to date with their submission "
            f"(--force grades them again)."
        )
    counts = {status: 0 for status in STATUSES}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    counts["missing"] = len(result.missing)
    width = max(len(name) for name in counts)
    lines += [f"  {name.ljust(width)}  {count}" for name, count in counts.items()]

    for status in ("partly graded", "failed"):
        listed = [outcome for outcome in outcomes if outcome.status == status]
        if listed:
            lines.append(f"{status.capitalize()}:")
            lines += [
                f"  {outcome.student}: {outcome.reason or 'no reason stored'}"
                for outcome in listed
            ]
    if result.missing:
        lines.append("Missing (no submission): " + ", ".join(result.missing))

    if result.crashed:
        names = ", ".join(outcome.student for outcome in result.crashed)
        lines.append(
            f"The grader itself failed for {names}: run the same command again to "
            f"grade them (graded students are skipped)."
        )
    lines.append(f"Logs per student: {student_log_dir(course_root)}/STUDENT.log")
    return "\n".join(lines)


class ProgressBar:
    """A tqdm bar counting submissions, with the statuses so far after it."""

    def __init__(self, bar):
        self.bar = bar
        self.counts = collections.Counter()

    def record(self, outcome):
        self.counts[outcome.status] += 1
        self.bar.set_postfix_str(
            ", ".join(f"{status} {self.counts[status]}" for status in STATUSES),
            refresh=False,
        )
        self.bar.update(1)


@contextlib.contextmanager
def progress_bar(assignment, total, enabled):
    """Show a tqdm bar on stderr with the count, the rate and the time left."""
    with tqdm(
        total=total,
        desc=f"Autograding {assignment}",
        unit="submission",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
    ) as bar:
        yield ProgressBar(bar)
