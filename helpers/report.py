"""Grades of a class: a terminal table, a CSV file and the named mistakes."""

import csv
import json
from collections import Counter

from nbgrader.api import Gradebook, MissingEntry

from .assignments import ASSIGNMENTS
from .grading import results

SHORT_NAMES = {
    "rnn_cell_forward": "rnn_cf",
    "rnn_forward": "rnn_f",
    "lstm_cell_forward": "lstm_cf",
    "lstm_forward": "lstm_f",
    "rnn_cell_backward": "rnn_cb",
    "rnn_backward": "rnn_b",
    "lstm_cell_backward": "lstm_cb",
    "lstm_backward": "lstm_b",
}


def class_grades(db_url, assignment):
    """Collect one dict per student of the gradebook, sorted by id.

    Keys: student, status, reason, late, penalty, total, and one key per
    function with its points. Students without a submission are "missing".
    """
    functions = [spec.name for spec in ASSIGNMENTS[assignment].FUNCTIONS]
    stored = {row["student"]: row for row in results.load(db_url, assignment)}
    rows = []
    with Gradebook(db_url) as gradebook:
        for student in sorted(s.id for s in gradebook.students):
            row = {"student": student, "late": False, "penalty": 0.0}
            try:
                submission = gradebook.find_submission(assignment, student)
                row["late"] = submission.total_seconds_late > 0
                row["penalty"] = float(submission.late_submission_penalty or 0.0)
            except MissingEntry:
                submission = None
            result = stored.get(student)
            if result is None or submission is None:
                row.update(status="missing", reason="no submission", total=0.0)
                row.update({name: 0.0 for name in functions})
                rows.append(row)
                continue
            # Scores come from nbgrader's grades, so manual overrides count.
            notebook = gradebook.find_submission_notebook(
                ASSIGNMENTS[assignment].NOTEBOOK, assignment, student
            )
            scores = {grade.name: grade.score for grade in notebook.grades}
            row.update({name: float(scores.get("test_" + name) or 0.0) for name in functions})
            row.update(status=result["status"], reason=result["reason"])
            earned = sum(row[name] for name in functions)
            row["total"] = round(max(earned - row["penalty"], 0.0), 6)
            details = result["details"]
            row["mistakes"] = [m for name in functions for m in details[name]["mistakes"]]
            rows.append(row)
    return rows


def format_table(rows, assignment):
    functions = [spec.name for spec in ASSIGNMENTS[assignment].FUNCTIONS]
    headers = ["student"] + [SHORT_NAMES.get(name, name) for name in functions] + ["total", "status"]
    body = [
        [row["student"]]
        + [f"{row[name]:g}" for name in functions]
        + [f"{row['total']:g}", row["status"] + (" (late)" if row["late"] else "")]
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [headers] + body) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)) for line in [headers] + body]
    lines.insert(1, "  ".join("-" * width for width in widths))
    points = ", ".join(f"{SHORT_NAMES.get(s.name, s.name)} = {s.name} ({s.points:g})" for s in ASSIGNMENTS[assignment].FUNCTIONS)
    return "\n".join(lines) + f"\n\nColumns (points): {points}."


CSV_COLUMNS = ["student", "status", "reason", "late", "penalty", "total"]


def write_csv(rows, assignment, path):
    """One row per student: points per function, total, status and late flag."""
    functions = [spec.name for spec in ASSIGNMENTS[assignment].FUNCTIONS]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS + functions, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def mistakes_summary(rows):
    """Per-student named mistakes and the class-wide count of each."""
    per_student = {row["student"]: row.get("mistakes", []) for row in rows}
    counts = Counter(mistake for mistakes in per_student.values() for mistake in mistakes)
    return {"students": per_student, "counts": dict(counts.most_common())}


def format_mistakes(summary):
    lines = ["Named mistakes per student:"]
    for student, mistakes in summary["students"].items():
        lines.append(f"  {student}: {', '.join(mistakes) if mistakes else '-'}")
    lines.append("Class-wide count:")
    for mistake, count in summary["counts"].items():
        lines.append(f"  {count:4d}  {mistake}")
    return "\n".join(lines)


def write_mistakes(summary, path):
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
