"""nbgrader settings of the recurrent networks course.

Every grading option an instructor may change is here; run nbgrader from this
directory. Student code runs only in a kernel started by GradeFunctions, and
scores are computed outside it (see helpers/grading/).
"""

import os
import sys

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, COURSE_ROOT)  # makes the helpers package importable by nbgrader

c = get_config()  # noqa: F821

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.db_url = os.environ.get(
    "RNN_COURSE_DB_URL", "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")
)

# The release shows empty "### START CODE HERE ###" regions: no stub inside them.
c.ClearSolutions.code_stub = {"python": ""}

c.Autograde.exporter_class = "helpers.grading.preprocessors.TolerantNotebookExporter"
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "helpers.grading.preprocessors.RestoreCells",
    "nbgrader.preprocessors.OverwriteKernelspec",
]
c.Autograde.autograde_preprocessors = [
    "helpers.grading.preprocessors.GradeFunctions",
    "nbgrader.preprocessors.LimitOutput",
    "helpers.grading.preprocessors.SaveGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Student kernels: sandbox, limits and time limits.
c.GradeFunctions.sandbox = "on"  # "on", "auto" or "off"; see the README
c.GradeFunctions.call_timeout = 60.0  # seconds per call of a student function
c.GradeFunctions.cell_timeout = 120.0  # seconds per student cell
c.GradeFunctions.memory_limit = 4 * 2**30  # bytes of address space per kernel

# Tolerance of value checks: |student - expected| <= atol + rtol * |expected|.
c.GradeFunctions.atol = 1e-8
c.GradeFunctions.rtol = 1e-6

# Hidden cases per assignment. Change the seeds and sizes each term; Part 1 needs
# a case with n_x != n_a, one with m = 1 and one with T_x = 1.
c.GradeFunctions.hidden_cases = {
    "rnn_step_by_step": [
        {"seed": 3101, "n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 4},
        {"seed": 4711, "n_x": 4, "n_a": 7, "n_y": 3, "m": 1, "T_x": 1},
        {"seed": 5923, "n_x": 2, "n_a": 3, "n_y": 4, "m": 6, "T_x": 7},
    ],
}
