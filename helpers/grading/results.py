"""Grading outcomes per student: status, reason and named checks, in the gradebook database.

nbgrader's gradebook has one score per grade cell and no notion of a failed
autograde, so the course keeps its own table beside nbgrader's, in the same
database (SQLite or PostgreSQL, whatever ``CourseDirectory.db_url`` names).
"""

import json
from datetime import datetime, timezone

import sqlalchemy as sa

STATUSES = ("graded", "partly graded", "failed", "missing")

metadata = sa.MetaData()
autograde_results = sa.Table(
    "rnn_autograde_results",
    metadata,
    sa.Column("assignment", sa.String(128), primary_key=True),
    sa.Column("student", sa.String(128), primary_key=True),
    sa.Column("notebook", sa.String(128), primary_key=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
)

_engines = {}


def engine_for(db_url):
    if db_url not in _engines:
        engine = sa.create_engine(db_url)
        metadata.create_all(engine, checkfirst=True)
        _engines[db_url] = engine
    return _engines[db_url]


def save(db_url, assignment, student, notebook, summary):
    """Insert or replace one notebook's outcome; ``summary`` comes from GradeFunctions."""
    row = {
        "assignment": assignment,
        "student": student,
        "notebook": notebook,
        "status": summary["status"],
        "reason": summary.get("reason", ""),
        "score": summary["score"],
        "max_score": summary["max_score"],
        "details": json.dumps(summary["functions"]),
        "graded_at": datetime.now(timezone.utc),
    }
    key = (
        (autograde_results.c.assignment == assignment)
        & (autograde_results.c.student == student)
        & (autograde_results.c.notebook == notebook)
    )
    with engine_for(db_url).begin() as connection:
        connection.execute(autograde_results.delete().where(key))
        connection.execute(autograde_results.insert().values(**row))


def load(db_url, assignment):
    """Load all stored outcomes of ``assignment`` as dicts, with ``details`` decoded."""
    query = sa.select(autograde_results).where(autograde_results.c.assignment == assignment)
    with engine_for(db_url).connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    for row in rows:
        row["details"] = json.loads(row["details"])
    return rows
