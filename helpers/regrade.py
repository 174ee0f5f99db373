"""Regrade a class and report whose scores changed.

After a mid-term change of the grading (new hidden cases, a new tolerance, a
fixed check), ``regrade`` snapshots every student's per-function scores, runs
``nbgrader autograde --force`` and compares. Scores are read from nbgrader's
grades, so a manual score set in formgrader stays and counts. A change of the
automatic score under such a manual score is reported apart, because the
instructor may want to look at it again.

The report is printed and stored in ``<course>/reports/`` as text and JSON.
"""

import json
import logging
from datetime import datetime, timezone

from nbgrader.api import Gradebook, MissingEntry

from . import report
from .assignments import ASSIGNMENTS

log = logging.getLogger(__name__)


def snapshot(db_url, assignment):
    """Read each student's status, total and function scores from the gradebook.

    Returns {student: {"status", "total", "scores", "auto", "manual"}}.

    "scores", "auto" and "manual" map functions to points. "manual" contains only
    the functions with a manual score.
    """
    module = ASSIGNMENTS[assignment]
    functions = [spec.name for spec in module.FUNCTIONS]
    state = {}
    for row in report.class_grades(db_url, assignment):
        state[row["student"]] = {
            "status": row["status"],
            "total": row["total"],
            "scores": {name: row[name] for name in functions},
            "auto": {},
            "manual": {},
        }
    with Gradebook(db_url) as gradebook:
        for student, entry in state.items():
            try:
                notebook = gradebook.find_submission_notebook(
                    module.NOTEBOOK, assignment, student
                )
            except MissingEntry:
                continue
            for grade in notebook.grades:
                name = grade.name.removeprefix("test_")
                if name not in functions:
                    continue
                entry["auto"][name] = grade.auto_score
                if grade.manual_score is not None:
                    entry["manual"][name] = grade.manual_score
    return state


def compare(before, after):
    """Return the per-student differences as {"changed": [...], "masked": [...]}.

    ``changed`` lists the students whose status, total or function points moved.
    ``masked`` lists automatic scores that moved under a manual score, which
    still applies. Both are sorted by student.
    """
    changed, masked = [], []
    for student in sorted(set(before) | set(after)):
        old, new = before.get(student), after.get(student)
        if old is None or new is None:
            changed.append(
                {
                    "student": student,
                    "status": [old and old["status"], new and new["status"]],
                }
            )
            continue
        functions = {
            name: [old["scores"].get(name), new["scores"][name]]
            for name in new["scores"]
            if old["scores"].get(name) != new["scores"][name]
        }
        if functions or old["status"] != new["status"] or old["total"] != new["total"]:
            changed.append(
                {
                    "student": student,
                    "status": [old["status"], new["status"]],
                    "total": [old["total"], new["total"]],
                    "functions": functions,
                }
            )
        for name, manual in new["manual"].items():
            if old["auto"].get(name) != new["auto"].get(name):
                masked.append(
                    {
                        "student": student,
                        "function": name,
                        "manual": manual,
                        "auto": [old["auto"].get(name), new["auto"].get(name)],
                    }
                )
    return {"changed": changed, "masked": masked}


def format_report(assignment, differences, graded):
    lines = [
        f"Regrade of {assignment}: {graded} student(s) in the gradebook, "
        f"{len(differences['changed'])} with changed scores."
    ]
    for change in differences["changed"]:
        if "total" not in change:
            lines.append(
                f"  {change['student']}: status {change['status'][0]} -> "
                f"{change['status'][1]}"
            )
            continue
        parts = [
            f"{name} {a:g} -> {b:g}" for name, (a, b) in change["functions"].items()
        ]
        status = change["status"]
        if status[0] != status[1]:
            parts.append(f"status {status[0]} -> {status[1]}")
        total = change["total"]
        lines.append(
            f"  {change['student']}: total {total[0]:g} -> {total[1]:g} "
            f"({'; '.join(parts) or 'late penalty'})"
        )
    if differences["masked"]:
        lines.append("Automatic scores that changed under a manual score (kept):")
        for item in differences["masked"]:
            auto = ["-" if x is None else f"{x:g}" for x in item["auto"]]
            lines.append(
                f"  {item['student']}: {item['function']} auto {auto[0]} -> "
                f"{auto[1]}, manual {item['manual']:g}"
            )
    if differences["changed"]:
        lines.append(
            f"Feedback is out of date for these students: run `nbgrader "
            f"generate_feedback {assignment} --force`, then release it again."
        )
    return "\n".join(lines)


def regrade(course, assignment):
    """Autograde every submission again and store a report of the changed scores.

    Returns the report's text, the path of its text file and the differences.
    """
    db_url = course.database_url()
    before = snapshot(db_url, assignment)
    log.info("class/%s: regrading %d student(s)", assignment, len(before))
    code = course.nbgrader(
        "autograde", assignment, "--force", check=False, log_name="regrade"
    )
    if code:
        log.warning(
            "class/%s: nbgrader autograde exited with %s (a failed submission "
            "does this); see %s",
            assignment,
            code,
            course.root / "logs" / "regrade.log",
        )

    after = snapshot(db_url, assignment)
    differences = compare(before, after)
    for change in differences["changed"]:
        log.info("%s/%s: score changed in the regrade", change["student"], assignment)
    text = format_report(assignment, differences, len(after))

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    reports = course.root / "reports"
    reports.mkdir(exist_ok=True)
    path = reports / f"regrade-{assignment}-{stamp}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    payload = {
        "assignment": assignment,
        "at": stamp,
        "before": before,
        "after": after,
        **differences,
    }
    path.with_suffix(".json").write_text(
        json.dumps(payload, indent=2) + "\n", encoding="utf-8"
    )
    return text, path, differences
