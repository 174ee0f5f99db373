"""A test-only nbgrader preprocessor that makes the grader fail for some students.

Student code cannot crash the grader process (it runs in a separate kernel),
so the tests that need a crashing grader add this preprocessor to a course's
autograde preprocessors. It only imports nbgrader, because worker processes
import it by name.
"""

import os

from nbgrader.preprocessors import NbGraderPreprocessor

RAISES = "grader-raises"  # the converter raises an exception for this student
DIES = "grader-dies"  # the grading process exits at once for this student
DIE_EXIT_CODE = 3

CONFIG = f"""
import sys
sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
c.Autograde.autograde_preprocessors = (
    ["grader_faults.FailForSomeStudents"] + list(c.Autograde.autograde_preprocessors)
)
"""


class FailForSomeStudents(NbGraderPreprocessor):
    """Raise for the student named RAISES; end the process for the one named DIES."""

    def preprocess(self, nb, resources):
        student = resources["nbgrader"]["student"]
        if student == RAISES:
            raise RuntimeError("simulated failure of the grader")
        if student == DIES:
            os._exit(DIE_EXIT_CODE)
        return nb, resources
