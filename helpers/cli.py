"""Instructor commands: ``python -m helpers COMMAND`` (see --help)."""

import argparse
import logging
import sys
import time
from pathlib import Path

from . import autograde_commands, class_commands, report
from .course import REPOSITORY, Course

ASSIGNMENT = "rnn_step_by_step"


def command_demo(args):
    """Build the releases, autograde the bundled sample classes and print their grades."""
    from .samples import sample_class

    started = time.monotonic()
    repository = Course(REPOSITORY)
    print("1/4 Building the student releases with nbgrader generate_assignment ...", flush=True)
    for assignment in (ASSIGNMENT, sample_class.PART2):
        repository.nbgrader("generate_assignment", assignment, "--force")

    course = Course.copy_of_repository(Path(args.directory).resolve())
    classes = {
        ASSIGNMENT: (sample_class.submissions, sample_class.DESCRIPTIONS),
        sample_class.PART2: (sample_class.part2_submissions, sample_class.PART2_DESCRIPTIONS),
    }
    counts = {}
    for assignment, (make_submissions, _) in classes.items():
        course.nbgrader("generate_assignment", assignment, "--force")
        notebooks = make_submissions(course)
        counts[assignment] = len(notebooks)
        for student, notebook in notebooks.items():
            sample_class.write_submission(course, student, notebook, assignment)
    total = sum(counts.values())
    print(f"2/4 Wrote {total} sample submissions to {course.root / 'submitted'}", flush=True)

    print("3/4 Autograding with nbgrader autograde ...", flush=True)
    graded_at = time.monotonic()
    for assignment in classes:
        course.nbgrader("autograde", assignment, "--force", log_name=f"autograde-{assignment}")
    grading_seconds = time.monotonic() - graded_at

    print("4/4 Grades\n", flush=True)
    for assignment, (_, descriptions) in classes.items():
        _print_class(course, assignment, descriptions)
    print(
        f"Autograded notebooks: {course.root / 'autograded'}\n"
        f"Autograde took {grading_seconds:.1f} s for {total} submissions "
        f"({grading_seconds / total:.2f} s each); {time.monotonic() - started:.1f} s in all."
    )
    return 0


def _print_class(course, assignment, descriptions):
    """Print one assignment's grades and named mistakes; write them beside the course."""
    rows = [
        row
        for row in report.class_grades(course.database_url(), assignment)
        if row["status"] != "missing"
    ]
    print(f"== {assignment} ==\n")
    print(report.format_table(rows, assignment))
    csv_path = course.root / f"grades-{assignment}.csv"
    report.write_csv(rows, assignment, csv_path)
    summary = report.mistakes_summary(rows)
    mistakes_path = course.root / f"mistakes-{assignment}.json"
    report.write_mistakes(summary, mistakes_path)
    print("\nWhat each sample submission shows:")
    for student, text in descriptions.items():
        print(f"  {student}: {text}")
    print()
    print(report.format_mistakes(summary))
    print(f"\nGrades: {csv_path}\nNamed mistakes: {mistakes_path}\n")


def command_grades(args):
    """Print the class's grades and write them as CSV."""
    course = Course(args.course)
    rows = report.class_grades(course.database_url(), args.assignment)
    print(report.format_table(rows, args.assignment))
    if args.csv:
        report.write_csv(rows, args.assignment, args.csv)
        print(f"\nWrote {args.csv}")
    if args.canvas:
        from . import canvas

        table = canvas.canvas_rows(
            course.database_url(), args.assignment, rows, column=args.canvas_column,
            section=args.section, missing_as_zero=args.missing_as_zero,
        )
        canvas.write_canvas_csv(args.canvas, table)
        print(f"\nWrote {args.canvas} (Canvas gradebook import, see docs/lms.md)")
    return 0


def command_mistakes(args):
    """Print each student's named mistakes and the class-wide counts."""
    course = Course(args.course)
    rows = report.class_grades(course.database_url(), args.assignment)
    summary = report.mistakes_summary(rows)
    print(report.format_mistakes(summary))
    if args.json:
        report.write_mistakes(summary, Path(args.json))
    return 0


def command_visible_cases(args):
    """Regenerate the visible checks' cases from the reference implementation."""
    from . import visible_cases

    path = REPOSITORY / "source" / ASSIGNMENT / "visible_cases.json"
    visible_cases.write(path)
    print(f"Wrote {path}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help=command_demo.__doc__)
    demo.add_argument(
        "--directory", default=str(REPOSITORY / "sample_class"),
        help="course directory to create for the sample class (replaced if present)",
    )
    demo.set_defaults(run=command_demo)

    for name, function in (("grades", command_grades), ("mistakes", command_mistakes)):
        sub = commands.add_parser(name, help=function.__doc__)
        sub.add_argument("assignment", nargs="?", default=ASSIGNMENT)
        sub.add_argument("--course", default=str(REPOSITORY), help="course directory")
        sub.set_defaults(run=function)
    commands.choices["grades"].add_argument("--csv", help="also write the grades to this CSV file")
    grades = commands.choices["grades"]
    grades.add_argument(
        "--canvas", help="also write a Canvas gradebook import CSV (docs/lms.md)"
    )
    grades.add_argument(
        "--canvas-column", help="Canvas assignment column (default: the id)"
    )
    grades.add_argument("--section", default="", help="Section column value for Canvas")
    grades.add_argument(
        "--missing-as-zero", action="store_true",
        help="give students without a submission 0 in the Canvas file (default: empty)",
    )
    commands.choices["mistakes"].add_argument("--json", help="also write the summary to this JSON file")

    class_commands.add_commands(commands, ASSIGNMENT)
    autograde_commands.add_commands(commands, ASSIGNMENT)

    visible = commands.add_parser("visible-cases", help=command_visible_cases.__doc__)
    visible.set_defaults(run=command_visible_cases)
    return parser


def main(argv=None):
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
