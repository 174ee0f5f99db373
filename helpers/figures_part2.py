"""Draw the explanatory figures of Part 2, the dinosaur-name language model.

The diagrams use matplotlib patches and text. The loss figure plots a short
training run of the reference model, so every figure comes from this project's
code. Run ``python -m helpers.figures_part2 OUTDIR`` to write the PNG files
(the notebook's copies live in ``source/dinosaur_names/images/``).
"""

import argparse
import pathlib
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import figures
from .figures import (
    DATA_COLOR,
    EDGE_COLOR,
    GRADIENT_COLOR,
    NOTE_COLOR,
    Box,
    _arrow,
    _draw_box,
    _label,
    _new_figure,
)
from .reference import char_model

IMAGES = (
    pathlib.Path(__file__).resolve().parent.parent
    / "source"
    / "dinosaur_names"
    / "images"
)
TARGET_COLOR = "#2e7d32"
BAR_FACE = "#c9d8ee"
CHOSEN_FACE = "#e8a33d"
EXAMPLE_NAME = "tawa"
LOSS_RUN_ITERATIONS = 3000


def draw_training_pair() -> Figure:
    """Draw the unrolled model on one name: inputs X below, targets Y above."""
    figure, axes = _new_figure(8.6, 4.2)
    steps = len(EXAMPLE_NAME) + 1
    inputs = ["None\n(zeros)"] + list(EXAMPLE_NAME)
    targets = list(EXAMPLE_NAME) + ["newline"]
    left, spacing = 2.1, 1.3
    _label(axes, (0.9, 0.55), "X[t]\ninput", fontsize=12, color=DATA_COLOR)
    _label(axes, (0.9, 1.95), "RNN\nstep", fontsize=12, color=EDGE_COLOR)
    _label(axes, (0.9, 3.45), "Y[t]\ntarget", fontsize=12, color=TARGET_COLOR)
    for t in range(steps):
        x = left + t * spacing
        cell = Box(x, 1.95, 0.9, 0.7)
        _draw_box(axes, cell, f"t = {t}", fontsize=11)
        _label(axes, (x, 0.55), inputs[t], fontsize=12 if t else 10, color=DATA_COLOR)
        _arrow(axes, (x, 0.85 if t == 0 else 0.75), (x, cell.bottom))
        _arrow(axes, (x, cell.top), (x, 3.2), color=TARGET_COLOR)
        _label(
            axes,
            (x, 3.45),
            targets[t],
            fontsize=12 if t < steps - 1 else 10,
            color=TARGET_COLOR,
        )
        if t < steps - 1:
            _arrow(axes, (cell.right, 1.95), (cell.right + spacing - 0.9, 1.95))
    _label(axes, (left - 0.85, 2.35), "$a_{prev}$", fontsize=11, color=DATA_COLOR)
    _arrow(axes, (left - 0.95, 1.95), (left - 0.45, 1.95))
    _label(
        axes,
        (4.6, 3.95),
        'Training pair for "tawa": Y is X shifted left by one, ending with the newline',
        fontsize=11,
        color=NOTE_COLOR,
    )
    return figure


# The sampling figure: (distribution shown as (character, probability) pairs,
# the character drawn) for each step of one sampled name.
SAMPLING_STEPS = (
    ((("a", 0.10), ("b", 0.22), ("m", 0.18), ("t", 0.30), ("nl", 0.02)), "t"),
    ((("a", 0.45), ("e", 0.20), ("o", 0.15), ("r", 0.12), ("nl", 0.03)), "a"),
    ((("l", 0.18), ("n", 0.14), ("r", 0.16), ("w", 0.25), ("nl", 0.10)), "w"),
    ((("a", 0.40), ("e", 0.25), ("i", 0.10), ("o", 0.12), ("nl", 0.05)), "a"),
    ((("n", 0.12), ("r", 0.15), ("s", 0.20), ("u", 0.08), ("nl", 0.38)), "nl"),
)


def _draw_bars(axes, center_x, base_y, pairs, chosen):
    """Draw a small bar chart of a distribution, the drawn character highlighted."""
    width, gap, height = 0.22, 0.06, 1.6
    start = center_x - (len(pairs) * (width + gap) - gap) / 2
    for index, (char, probability) in enumerate(pairs):
        x = start + index * (width + gap)
        face = CHOSEN_FACE if char == chosen else BAR_FACE
        axes.add_patch(
            Rectangle(
                (x, base_y),
                width,
                height * probability / 0.5,
                facecolor=face,
                edgecolor=EDGE_COLOR,
                linewidth=0.8,
            )
        )
        _label(
            axes,
            (x + width / 2, base_y - 0.14),
            r"$\backslash$n" if char == "nl" else char,
            fontsize=9,
            color=EDGE_COLOR,
        )


def draw_sampling() -> Figure:
    """Draw sampling: each step's distribution, the drawn character fed to the next."""
    figure, axes = _new_figure(9.4, 4.6)
    left, spacing = 1.05, 1.8
    _label(
        axes,
        (4.7, 4.35),
        "Sampling one character at a time (seed + t before each draw)",
        fontsize=12,
        color=NOTE_COLOR,
    )
    for t, (pairs, chosen) in enumerate(SAMPLING_STEPS):
        x = left + t * spacing
        cell = Box(x, 1.15, 1.0, 0.6)
        _draw_box(axes, cell, f"step {t}", fontsize=11)
        _arrow(axes, (x, cell.top), (x, 1.75))
        _draw_bars(axes, x, 2.05, pairs, chosen)
        shown = "newline: stop" if chosen == "nl" else f"draw '{chosen}'"
        _label(axes, (x, 3.9), shown, fontsize=11, color=GRADIENT_COLOR)
        fed = "zeros" if t == 0 else f"'{SAMPLING_STEPS[t - 1][1]}'"
        _label(
            axes,
            (x, 0.3),
            f"input {fed}",
            fontsize=10,
            color=DATA_COLOR if t == 0 else GRADIENT_COLOR,
        )
        _arrow(
            axes,
            (x, 0.48),
            (x, cell.bottom),
            color=DATA_COLOR if t == 0 else GRADIENT_COLOR,
        )
        if t < len(SAMPLING_STEPS) - 1:
            _arrow(axes, (cell.right, 1.15), (cell.right + spacing - 1.0, 1.15))
    return figure


def training_losses(iterations=LOSS_RUN_ITERATIONS):
    """Return (per-name losses, smoothed losses) of a short reference training run."""
    names = char_model.shuffled(char_model.load_names(IMAGES.parent / "dinos.txt"))
    char_to_ix, _ = char_model.vocabulary_maps()
    parameters = char_model.initialize_parameters(50, 27, 27)
    smooth = char_model.initial_loss(names, 27)
    a_prev = np.zeros((50, 1))
    raw, smoothed = [], []
    for iteration in range(iterations):
        X, Y = char_model.training_example(names[iteration % len(names)], char_to_ix)
        loss, _, a_prev = char_model.optimize(X, Y, a_prev, parameters, 0.01)
        smooth = char_model.SMOOTHING * smooth + (1 - char_model.SMOOTHING) * loss
        raw.append(loss)
        smoothed.append(smooth)
    return np.array(raw), np.array(smoothed)


def draw_smoothed_loss() -> Figure:
    """Plot the loss of each name and its smoothed average over a short training run."""
    raw, smoothed = training_losses()
    figure = Figure(figsize=(8.4, 4.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.09, 0.13, 0.88, 0.78))
    steps = np.arange(1, len(raw) + 1)
    axes.plot(steps, raw, ".", markersize=2, color=BAR_FACE, label="loss of each name")
    axes.plot(
        steps,
        smoothed,
        color=DATA_COLOR,
        linewidth=2,
        label="smoothed loss (0.999 old + 0.001 new)",
    )
    axes.axhline(
        smoothed[0],
        color=NOTE_COLOR,
        linestyle="--",
        linewidth=1,
        label="start: uniform guess, log(27) per character",
    )
    axes.set_xlabel("iteration (one name each)")
    axes.set_ylabel("loss (nats)")
    axes.set_xlim(0, len(raw))
    axes.set_ylim(0, np.percentile(raw, 99.5))
    axes.legend(loc="upper right", fontsize=9)
    return figure


FIGURES = {
    "training_pair.png": (
        draw_training_pair,
        "The model unrolled over the name tawa. The inputs along the bottom are None "
        "(a zero vector), t, a, w, a; each step passes its hidden state to the next "
        "and is trained to predict the target above it, t, a, w, a and finally the "
        "newline, "
        "so the targets are the inputs shifted left by one.",
    ),
    "sampling.png": (
        draw_sampling,
        "Sampling a name. The first step gets a zero input. Each step outputs a "
        "distribution over the characters, one character is drawn from it (t, a, w, a) "
        "and becomes the next step's input, and the hidden state passes along the row. "
        "Sampling stops when the newline is drawn.",
    ),
    "smoothed_loss.png": (
        draw_smoothed_loss,
        "Loss during the first 3,000 training iterations. The loss of single names "
        "scatters widely because names differ in length, while the smoothed loss "
        "starts at the uniform guess and falls steadily.",
    ),
}


def draw_all(directory=IMAGES) -> list[pathlib.Path]:
    """Draw every figure in FIGURES into ``directory``, creating it if missing."""
    return figures.draw_all(directory, FIGURES)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.figures_part2",
        description="Draw the dinosaur-name assignment figures as PNG files.",
    )
    parser.add_argument(
        "outdir",
        type=pathlib.Path,
        nargs="?",
        default=IMAGES,
        help="directory to write the PNG files into (default: the notebook's)",
    )
    arguments = parser.parse_args(argv)
    for path in draw_all(arguments.outdir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
