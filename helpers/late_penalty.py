"""The course's late-work penalty, as an nbgrader LateSubmissionPlugin.

nbgrader's own plugin offers two policies, no penalty and zero points. The course
takes a share of the score per started day instead, so a submission one minute
late loses little and one a week late loses everything. nbgrader's
``AssignLatePenalties`` preprocessor (in the autograde preprocessors of
``nbgrader_config.py``) calls the plugin once per notebook and stores the penalty
in the gradebook, where ``nbgrader export`` and ``python -m helpers grades`` read
it. Choose the policy in ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = "helpers.late_penalty.CourseLatePenalty"
    c.CourseLatePenalty.penalty_method = "per_day"   # or "none", "zero"
    c.CourseLatePenalty.percent_per_day = 10.0
"""

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Enum, Float

SECONDS_PER_DAY = 24 * 60 * 60


def per_day_penalty(score, seconds_late, percent_per_day, grace_seconds=0.0):
    """Points taken from ``score`` for work ``seconds_late`` past the due date.

    Every started day costs ``percent_per_day`` percent of the score, up to the
    whole score; the first ``grace_seconds`` cost nothing.
    """
    seconds = max(float(seconds_late) - float(grace_seconds), 0.0)
    if seconds <= 0 or score <= 0:
        return 0.0
    days = math.ceil(seconds / SECONDS_PER_DAY)
    share = min(days * percent_per_day / 100.0, 1.0)
    return round(score * share, 6)


class CourseLatePenalty(LateSubmissionPlugin):
    """nbgrader's late policies plus ``per_day``: a percentage per started day."""

    penalty_method = Enum(
        ("none", "zero", "per_day"),
        default_value="per_day",
        help=(
            "'none': no penalty; 'zero': the score becomes 0; 'per_day': "
            "percent_per_day percent of the score per started day late."
        ),
    ).tag(config=True)
    percent_per_day = Float(
        10.0, help="Percent of the score taken per started day late (per_day)."
    ).tag(config=True)
    grace_minutes = Float(
        0.0, help="Minutes after the due date that cost nothing (per_day)."
    ).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if self.penalty_method != "per_day":
            return super().late_submission_penalty(
                student_id, score, total_seconds_late
            )
        penalty = per_day_penalty(
            score, total_seconds_late, self.percent_per_day, self.grace_minutes * 60
        )
        assignment = getattr(self.parent, "assignment_id", "?")
        self.log.warning(
            "%s/%s: %.0f s late, penalty %g of %g points (%g%% per started day)",
            student_id,
            assignment,
            total_seconds_late,
            penalty,
            score,
            self.percent_per_day,
        )
        return penalty
