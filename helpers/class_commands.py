"""Instructor commands for running a class: regrade, feedback, solution, report.

``helpers.cli`` adds them to ``python -m helpers`` with ``add_commands``; each is
a thin wrapper around a module that does the work and can be called from Python.
"""

import functools
from pathlib import Path

from .assignments import ASSIGNMENTS
from .course import REPOSITORY, Course, NbgraderFailed


def _course(args):
    if args.assignment not in ASSIGNMENTS:
        known = ", ".join(sorted(ASSIGNMENTS))
        raise SystemExit(
            f"Unknown assignment {args.assignment!r}: the course has {known}."
        )
    course = Course(args.course)
    if not (course.root / "nbgrader_config.py").is_file():
        raise SystemExit(
            f"No course at {course.root}: nbgrader_config.py is missing. Pass the "
            f"course directory with --course."
        )
    return course


def _reporting_failures(command):
    """Wrap a command so that a failed nbgrader run prints its log path, exit 1."""

    @functools.wraps(command)
    def run(args):
        try:
            return command(args)
        except NbgraderFailed as error:
            print(f"{error}. Fix the cause, then run the command again.")
            return 1

    return run


def command_regrade(args):
    """Autograde every submission again and list the students whose scores changed."""
    from .regrade import regrade

    course = _course(args)
    text, path, _ = regrade(course, args.assignment)
    print(text)
    print(f"\nReport stored in {path} (and {path.with_suffix('.json').name})")
    return 0


def command_release_feedback(args):
    """Release feedback through the exchange to every student it can reach."""
    from .exchange import release_feedback

    course = _course(args)
    result = release_feedback(course, args.assignment)
    print(result.format(args.assignment))
    return 0


def command_feedback_files(args):
    """Write one self-contained HTML feedback file per student (for an LMS)."""
    from .feedback_files import write_feedback_files

    course = _course(args)
    result = write_feedback_files(
        course, args.assignment, args.out, generate=not args.no_generate
    )
    print(result.format(args.assignment, Path(args.out)))
    if not result.written:
        print("No feedback to write: autograde the submissions first.")
        return 1
    return 0


def command_release_solution(args):
    """Publish the solution on the exchange once the due date has passed."""
    from .exchange import NotYetDue, release_solution

    course = _course(args)
    try:
        path = release_solution(course, args.assignment, force=args.force)
    except NotYetDue as error:
        print(f"Solution not released: {error}")
        return 1
    name = path.name
    print(
        f"Solution released to {path}.\n"
        f"Students get it with: nbgrader fetch_assignment {name}"
    )
    return 0


def command_report(args):
    """Print a class summary and save its figures (PNG) and summary.txt."""
    from . import class_report

    course = _course(args)
    out = Path(args.out) if args.out else course.root / "reports" / args.assignment
    summary, paths = class_report.write_report(course, args.assignment, out)
    print(class_report.format_summary(summary))
    print("\nFigures: " + ", ".join(str(path) for path in paths))
    return 0


COMMANDS = (
    ("regrade", command_regrade),
    ("release-feedback", command_release_feedback),
    ("feedback-files", command_feedback_files),
    ("release-solution", command_release_solution),
    ("report", command_report),
)


def add_commands(commands, default_assignment):
    """Register the commands on the ``add_subparsers`` object of the CLI."""
    parsers = {}
    for name, function in COMMANDS:
        sub = commands.add_parser(
            name, help=function.__doc__, description=function.__doc__
        )
        sub.add_argument("assignment", nargs="?", default=default_assignment)
        sub.add_argument("--course", default=str(REPOSITORY), help="course directory")
        sub.set_defaults(run=_reporting_failures(function))
        parsers[name] = sub
    parsers["feedback-files"].add_argument(
        "--out", required=True, help="directory for the <student>.html files"
    )
    parsers["feedback-files"].add_argument(
        "--no-generate",
        action="store_true",
        help="use the pages in feedback/ as they are (no nbgrader generate_feedback)",
    )
    parsers["release-solution"].add_argument(
        "--force", action="store_true", help="release even before the due date"
    )
    parsers["report"].add_argument(
        "--out", help="directory for the figures (default: COURSE/reports/ASSIGNMENT)"
    )
    return parsers
