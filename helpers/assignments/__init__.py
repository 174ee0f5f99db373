"""Graded assignments: for each one, its functions, cases and checks as data."""

from . import rnn_step_by_step

ASSIGNMENTS = {"rnn_step_by_step": rnn_step_by_step}
