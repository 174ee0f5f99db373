"""Write to a gradebook the way autograde does, many times, from one process.

Usage: python gradebook_writers.py DB_URL WRITER COUNT. For each of COUNT
students it creates the student and the submission through nbgrader's
Gradebook, sets the automatic scores, stores a row in the course's results
table and reads the class back. It exits with status 1 and prints the error
if any write fails, so a test can run several at once against one database.
"""

import sys

from nbgrader.api import Gradebook

from helpers.assignments import ASSIGNMENTS
from helpers.grading import results

ASSIGNMENT = "rnn_step_by_step"
COURSE_ID = "rnn-course"


def write(db_url, student, score):
    with Gradebook(db_url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(ASSIGNMENT, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = score
        gradebook.db.commit()
        notebooks = [notebook.name for notebook in submission.notebooks]
    functions = ASSIGNMENTS[ASSIGNMENT].FUNCTIONS
    summary = {
        "status": "graded",
        "reason": "",
        "score": score * len(functions),
        "max_score": 100.0,
        "functions": {
            spec.name: {
                "score": score,
                "points": spec.points,
                "fault": "",
                "mistakes": [],
                "checks": [],
            }
            for spec in functions
        },
    }
    for notebook in notebooks:
        results.save(db_url, ASSIGNMENT, student, notebook, summary)
    results.load(db_url, ASSIGNMENT)


def main(db_url, writer, count):
    for number in range(int(count)):
        write(db_url, f"writer-{writer}-{number}", float(number))
    print(f"writer {writer}: {count} submissions written")


if __name__ == "__main__":
    main(*sys.argv[1:])
