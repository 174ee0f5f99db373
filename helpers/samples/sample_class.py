"""The bundled sample class: who is in it and what each submission shows."""

import nbformat

from ..grading.catalogue import load_catalogue
from . import build

ASSIGNMENT = "rnn_step_by_step"
PART2 = "dinosaur_names"

# Student id -> catalogued mistake, for the mistakes the sample class shows.
MISTAKE_STUDENTS = {
    "lstm_backward_no_carry": "lstm_backward.no_carry",
    "rnn_forward_from_zeros": "rnn_forward.starts_from_zeros",
    "lstm_forward_c_aliases_a": "lstm_forward.c_aliases_a",
    "yt_pred_from_a_prev": "rnn_cell_forward.yt_from_a_prev",
    "dba_wrong_axis": "rnn_cell_backward.dba_wrong_axis",
    "hardcoded_n_a": "rnn_cell_forward.hardcoded_size",
    "stacking_xt_first": "lstm_cell_forward.stacking_order",
}

DESCRIPTIONS = {
    "full_solution": "the instructor solution: 100 points",
    "independent_solution": "a solution written separately from the notebook: 100 points",
    "untouched_release": "the release as handed out: 0 points",
    "lstm_backward_no_carry": "lstm_backward never carries da_prev and dc_prev between steps",
    "rnn_forward_from_zeros": "rnn_forward starts from zeros instead of a0",
    "lstm_forward_c_aliases_a": "lstm_forward's c is the same array as a",
    "yt_pred_from_a_prev": "rnn_cell_forward computes yt_pred from a_prev",
    "dba_wrong_axis": "rnn_cell_backward sums dba over the wrong axis",
    "hardcoded_n_a": "rnn_cell_forward hard-codes n_a = 5 in a reshape",
    "stacking_xt_first": "lstm_cell_forward stacks [xt; a_prev] instead of [a_prev; xt]",
}


def submissions(course):
    """Map student id -> notebook for the sample class of ``course``."""
    release = build.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    mistakes = {mistake.id: mistake for mistake in load_catalogue(ASSIGNMENT)}
    notebooks = {
        "full_solution": build.full_solution(release, source),
        "independent_solution": build.with_functions(release, source, build.independent_solution()),
        "untouched_release": release,
    }
    for student, mistake_id in MISTAKE_STUDENTS.items():
        notebooks[student] = build.with_mistake(release, source, mistakes[mistake_id])
    return notebooks


# Part 2's sample students: student id -> catalogued mistake (None: no mistake).
PART2_STUDENTS = {
    "full_solution": None,
    "untouched_release": None,
    "sample_argmax": "sample.argmax",
    "clip_not_stored": "clip.result_not_stored",
    "update_before_clip": "optimize.update_before_clip",
    "loss_not_smoothed": "model.loss_not_smoothed",
}

PART2_DESCRIPTIONS = {
    "full_solution": "the instructor solution: 100 points",
    "untouched_release": "the release as handed out: 0 points",
    "sample_argmax": "sample takes the most likely character instead of drawing one",
    "clip_not_stored": "clip computes the clipped values but returns the originals",
    "update_before_clip": "optimize updates the parameters before clipping the gradients",
    "loss_not_smoothed": "model reports the raw loss instead of the smoothed one",
}


def part2_submissions(course):
    """Map student id -> notebook for Part 2's sample class of ``course``."""
    release = build.read(course.root / "release" / PART2 / f"{PART2}.ipynb")
    source = course.root / "source" / PART2 / f"{PART2}.ipynb"
    mistakes = {mistake.id: mistake for mistake in load_catalogue(PART2)}
    notebooks = {}
    for student, mistake_id in PART2_STUDENTS.items():
        if student == "untouched_release":
            notebooks[student] = release
        elif mistake_id is None:
            notebooks[student] = build.full_solution(release, source)
        else:
            notebooks[student] = build.with_mistake(release, source, mistakes[mistake_id])
    return notebooks


def write_submission(course, student, notebook, assignment=ASSIGNMENT):
    """Place ``notebook`` where ``nbgrader collect`` would have put it."""
    directory = course.submission_dir(student, assignment)
    directory.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(directory / f"{assignment}.ipynb"))
    return directory
