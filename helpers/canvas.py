"""Grades in the layout of Canvas's gradebook import CSV (see docs/lms.md).

Columns:

- ``Student``: "Last, First" from the gradebook, or the student id without names;
- ``ID``: the Canvas user id, nbgrader's ``lms_user_id``;
- ``SIS User ID``: the nbgrader student id;
- ``Section``: empty unless given, because Canvas does not change sections on import;
- one assignment column: the total after late penalties.

A second row, "Points Possible", contains the maximum, as in a file exported from
Canvas. A student with no submission gets an empty cell, which Canvas reads as "no
change", unless ``missing_as_zero``.
"""

import csv
import logging

from nbgrader.api import Gradebook

from .assignments import ASSIGNMENTS

log = logging.getLogger(__name__)

HEADER = ["Student", "ID", "SIS User ID", "Section"]
POINTS_POSSIBLE = "Points Possible"


def _name(student):
    names = [n for n in (student.last_name, student.first_name) if n]
    return ", ".join(names) if names else student.id


def canvas_rows(
    db_url, assignment, rows, column=None, section="", missing_as_zero=False
):
    """Build the header, the points row and one row per ``report.class_grades`` row."""
    column = column or assignment
    maximum = sum(spec.points for spec in ASSIGNMENTS[assignment].FUNCTIONS)
    table = [HEADER + [column], [POINTS_POSSIBLE, "", "", "", f"{maximum:g}"]]
    unmatched = []
    with Gradebook(db_url) as gradebook:
        people = {student.id: student for student in gradebook.students}
        for row in rows:
            student = people[row["student"]]
            if row["status"] == "missing" and not missing_as_zero:
                score = ""
            else:
                score = f"{row['total']:g}"
            if not student.lms_user_id:
                unmatched.append(student.id)
            table.append(
                [_name(student), student.lms_user_id or "", student.id, section, score]
            )
    if unmatched:
        log.warning(
            "class/%s: %d student(s) without lms_user_id in the gradebook (%s); Canvas "
            "matches them by SIS User ID only",
            assignment,
            len(unmatched),
            ", ".join(unmatched[:5]) + (", ..." if len(unmatched) > 5 else ""),
        )
    return table


def write_canvas_csv(path, table):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
