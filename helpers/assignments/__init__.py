"""Graded assignments: for each one, its functions, cases and checks as data."""

from . import dinosaur_names, rnn_step_by_step

ASSIGNMENTS = {"rnn_step_by_step": rnn_step_by_step, "dinosaur_names": dinosaur_names}
