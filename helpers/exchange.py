"""Feedback and solutions through nbgrader's exchange, for a class of mixed origins.

``nbgrader release_feedback`` reads ``timestamp.txt`` and ``submission_secret.txt``
beside every student's feedback. Both are written by ``nbgrader submit``, so a
submission placed in ``submitted/`` by hand or by ``nbgrader zip_collect`` lacks
the secret, and upstream stops with a traceback at that student, leaving the
students after it without feedback. ``release_feedback`` here sorts the class
first: it releases, in one nbgrader run, the feedback of every student who
submitted through the exchange, and names the others so that the instructor can
hand them the files of ``helpers.feedback_files``.

``release_solution`` publishes ``nbgrader generate_solution``'s output on the
exchange as ``<assignment>_solution`` once the due date (and every extension) has
passed, so students fetch it with ``nbgrader fetch_assignment``.
"""

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.exchange import Exchange
from nbgrader.utils import notebook_hash

log = logging.getLogger(__name__)

SOLUTION_SUFFIX = "_solution"
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def step_directory(course, step):
    """Return the course's directory for one nbgrader step, such as "feedback"."""
    settings = course.config().CourseDirectory
    return course.root / settings.get(f"{step}_directory", step)


def exchange_course_path(course):
    """Return ``<exchange root>/<course id>`` as the course's config sets them."""
    config = course.config()
    root = config.Exchange.get("root", Exchange.root.default_value)
    return Path(root) / config.CourseDirectory.get("course_id", "")


@dataclass
class FeedbackState:
    """Delivery state of one student's generated feedback through the exchange."""

    student: str
    notebooks: list = field(default_factory=list)
    reason: str = ""  # empty when the exchange can deliver it
    stale: bool = False  # older than the autograded notebook

    @property
    def releasable(self):
        return not self.reason


def feedback_states(course, assignment):
    """List one FeedbackState per student with an autograded or a feedback directory."""
    feedback = step_directory(course, "feedback")
    autograded = step_directory(course, "autograded")
    students = {p.parent.name for p in feedback.glob(f"*/{assignment}") if p.is_dir()}
    students |= {
        p.parent.name for p in autograded.glob(f"*/{assignment}") if p.is_dir()
    }
    states = []
    for student in sorted(students):
        directory = feedback / student / assignment
        pages = sorted(directory.glob("*.html")) if directory.is_dir() else []
        state = FeedbackState(student, [page.stem for page in pages])
        missing = [name for name in EXCHANGE_FILES if not (directory / name).is_file()]
        if not pages:
            state.reason = (
                "no feedback generated: run `nbgrader generate_feedback "
                f"{assignment}` (its log says why it was skipped)"
            )
        elif missing:
            state.reason = (
                f"not submitted through the exchange (no {', '.join(missing)}): "
                f"send `python -m helpers feedback-files {assignment}` output instead"
            )
        for page in pages:
            notebook = autograded / student / assignment / f"{page.stem}.ipynb"
            if notebook.exists() and notebook.stat().st_mtime > page.stat().st_mtime:
                state.stale = True
        states.append(state)
    return states


@dataclass
class FeedbackRelease:
    """Outcome of ``release_feedback``: the students reached, the others and why."""

    released: list
    not_released: list  # FeedbackState with a reason
    stale: list

    def format(self, assignment):
        lines = [
            f"Feedback on {assignment} released through the exchange to "
            f"{len(self.released)} student(s): {', '.join(self.released) or '-'}"
        ]
        if self.not_released:
            lines.append(f"Not released ({len(self.not_released)}):")
            lines += [f"  {s.student}: {s.reason}" for s in self.not_released]
        if self.stale:
            lines.append(
                "Feedback older than the autograded notebook (regenerate it with "
                f"`nbgrader generate_feedback {assignment} --force`): "
                + ", ".join(self.stale)
            )
        return "\n".join(lines)


def release_feedback(course, assignment):
    """Release every student's feedback that the exchange can take; name the rest.

    Students whose feedback cannot go through the exchange are excluded from a
    single ``nbgrader release_feedback`` run with ``--CourseDirectory.
    student_id_exclude``, so they no longer stop it for everyone else.
    """
    states = feedback_states(course, assignment)
    ready = [s for s in states if s.releasable]
    blocked = [s for s in states if not s.releasable]
    for state in blocked:
        log.info(
            "%s/%s: feedback not released: %s", state.student, assignment, state.reason
        )
    if ready:
        args = ["release_feedback", assignment]
        if blocked:
            excluded = ",".join(s.student for s in blocked)
            args.append(f"--CourseDirectory.student_id_exclude={excluded}")
        course.nbgrader(*args, log_name="release_feedback")
    released = []
    outbound = exchange_course_path(course) / "feedback"
    feedback = step_directory(course, "feedback")
    for state in ready:
        directory = feedback / state.student / assignment
        secret = (directory / "submission_secret.txt").read_text()
        pages = [
            outbound / f"{notebook_hash(secret=secret, notebook_id=nb)}.html"
            for nb in state.notebooks
        ]
        if all(page.exists() for page in pages):
            released.append(state.student)
            log.info("%s/%s: feedback released", state.student, assignment)
        else:
            state.reason = "nbgrader release_feedback did not publish it: see its log"
            blocked.append(state)
            log.error("%s/%s: %s", state.student, assignment, state.reason)
    stale = [s.student for s in states if s.stale]
    return FeedbackRelease(released, blocked, stale)


class NotYetDue(RuntimeError):
    """Raised when an assignment's solution is requested before its deadline."""


def deadline(course, assignment):
    """Return the due date of ``assignment`` plus its longest extension, or None.

    The date is naive UTC, as nbgrader's gradebook stores it.
    """
    with Gradebook(course.database_url()) as gradebook:
        try:
            record = gradebook.find_assignment(assignment)
        except MissingEntry:
            return None
        if record.duedate is None:
            return None
        extensions = [
            s.extension for s in record.submissions if s.extension is not None
        ]
        return record.duedate + max(extensions, default=timedelta(0))


def release_solution(course, assignment, now=None, force=False):
    """Generate the solution and put it on the exchange as ``<assignment>_solution``.

    Raises NotYetDue before the deadline (the due date plus the longest
    extension) or when no due date is set, unless ``force``. Returns the path of
    the solution on the exchange.
    """
    due = deadline(course, assignment)
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    if not force and due is None:
        raise NotYetDue(
            f"{assignment} has no due date in the gradebook: set one with `nbgrader db "
            f'assignment add {assignment} --duedate="YYYY-MM-DD HH:MM:SS UTC"`, or use '
            "--force to release the solution anyway"
        )
    if not force and now < due:
        raise NotYetDue(
            f"{assignment} is due {due:%Y-%m-%d %H:%M:%S} UTC (extensions included), "
            f"{due - now} from now: release the solution after that, or use --force"
        )
    name = assignment + SOLUTION_SUFFIX
    course.nbgrader(
        "generate_solution", assignment, "--force", log_name="generate_solution"
    )
    solution = step_directory(course, "solution") / assignment
    with tempfile.TemporaryDirectory(prefix="rnn-solution-") as staging:
        shutil.copytree(solution, Path(staging) / name)
        course.nbgrader(
            "release_assignment",
            name,
            "--force",
            f"--CourseDirectory.release_directory={staging}",
            log_name="release_solution",
        )
    released = exchange_course_path(course) / "outbound" / name
    log.info("class/%s: solution released to %s", assignment, released)
    return released
