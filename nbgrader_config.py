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
# a case with n_x != n_a, one with m = 1 and one with T_x = 1. Part 2 needs a
# case with max_value != 5, one with learning_rate != 0.01 and one with n_a != 50,
# and num_iterations between 18 and 1000 (model's hidden training runs).
c.GradeFunctions.hidden_cases = {
    "rnn_step_by_step": [
        {"seed": 3101, "n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 4},
        {"seed": 4711, "n_x": 4, "n_a": 7, "n_y": 3, "m": 1, "T_x": 1},
        {"seed": 5923, "n_x": 2, "n_a": 3, "n_y": 4, "m": 6, "T_x": 7},
    ],
    "dinosaur_names": [
        {"seed": 2101, "n_a": 12, "max_value": 5.0, "learning_rate": 0.05,
         "num_iterations": 120},
        {"seed": 3203, "n_a": 7, "max_value": 2.5, "learning_rate": 0.08,
         "num_iterations": 90},
    ],
}

# Collecting and late work. `nbgrader collect` takes each student's latest
# submission made before the due date (the latest late one if all are late); set
# the due date with `nbgrader db assignment add ASSIGNMENT --duedate="..."`.
c.ExchangeCollect.before_duedate = True
# Late work loses percent_per_day percent of its score per started day (see
# helpers/late_penalty.py); AssignLatePenalties above stores the penalty.
c.AssignLatePenalties.plugin_class = "helpers.late_penalty.CourseLatePenalty"
c.CourseLatePenalty.penalty_method = "per_day"  # "none", "zero" or "per_day"
c.CourseLatePenalty.percent_per_day = 10.0
