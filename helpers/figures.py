"""Draw the explanatory diagrams of the recurrent neural network assignment.

Every figure is drawn with matplotlib patches, arrows and mathtext, so it needs no
image files and no network access. Run ``python -m helpers.figures OUTDIR`` to write
all of them as PNG files into OUTDIR.
"""

from __future__ import annotations

import argparse
import pathlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

DPI = 100
# Every figure draws the forward flow of data in blue and gradients in red.
DATA_COLOR = "#1f5fa8"
GRADIENT_COLOR = "#c0392b"
TEXT_COLOR = "#222222"
EDGE_COLOR = "#4d4d4d"
CELL_FACE = "#eef3fa"
GATE_FACE = "#fff3d6"
NOTE_COLOR = "#555555"
NODE_RADIUS = 0.2

# Settings that draw_all applies on top of matplotlib's defaults, so that a user's
# matplotlibrc or notebook style cannot change the look or the bytes of the files.
STYLE = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "text.usetex": False,
}


@dataclass(frozen=True)
class Box:
    """Rectangle in figure inches, given by its center and size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y - self.height / 2

    @property
    def top(self) -> float:
        return self.y + self.height / 2


def _step(symbol: str, step: str = "t") -> str:
    """Return mathtext for a symbol with a time-step superscript, such as a<t-1>."""
    return rf"${symbol}^{{\langle {step} \rangle}}$"


def _new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """Create an Agg figure whose axes span it, with one data unit per inch."""
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_axis_off()
    return figure, axes


def _draw_box(
    axes: Axes,
    box: Box,
    text: str = "",
    *,
    face: str = CELL_FACE,
    fontsize: float = 12,
) -> None:
    patch = FancyBboxPatch(
        (box.left, box.bottom),
        box.width,
        box.height,
        boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=face,
        edgecolor=EDGE_COLOR,
        linewidth=1.4,
        zorder=1,
    )
    axes.add_patch(patch)
    if text:
        _label(axes, (box.x, box.y), text, fontsize=fontsize)


def _draw_node(axes: Axes, center: tuple[float, float], symbol: str) -> None:
    """Draw a round operation node, such as an element-wise product or sum."""
    axes.add_patch(
        Circle(center, NODE_RADIUS, facecolor="white", edgecolor=EDGE_COLOR, zorder=3)
    )
    _label(axes, center, symbol, fontsize=14, zorder=4)


def _label(
    axes: Axes,
    xy: tuple[float, float],
    text: str,
    *,
    color: str = TEXT_COLOR,
    fontsize: float = 14,
    ha: str = "center",
    va: str = "center",
    **kwargs,
) -> None:
    axes.text(*xy, text, color=color, fontsize=fontsize, ha=ha, va=va, **kwargs)


def _arrow(
    axes: Axes,
    *points: tuple[float, float],
    color: str = DATA_COLOR,
    dashed: bool = False,
    zorder: float = 2,
) -> None:
    """Draw an arrow along a polyline, with the head at the last point.

    A dashed arrow keeps a solid head.
    """
    style = {"color": color, "linewidth": 1.8, "zorder": zorder}
    if dashed:
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        head_start = (x1 - 0.15 * (x1 - x0) / length, y1 - 0.15 * (y1 - y0) / length)
        xs, ys = zip(*points[:-1], head_start)
        axes.plot(xs, ys, linestyle=(0, (4, 3)), **style)
        points = (head_start, points[-1])
    arrow = FancyArrowPatch(
        path=Path(points),
        arrowstyle="-|>,head_length=0.4,head_width=0.2",
        mutation_scale=18,
        joinstyle="miter",
        **style,
    )
    axes.add_patch(arrow)


def _draw_chain_link(
    axes: Axes,
    start: float,
    end: float,
    y: float,
    text: str = "",
    *,
    color: str = DATA_COLOR,
    below: bool = False,
    dashed: bool = False,
    **label_options,
) -> None:
    """Draw a horizontal arrow between two steps, labelled above or below it."""
    _arrow(axes, (start, y), (end, y), color=color, dashed=dashed)
    if text:
        offset = -0.24 if below else 0.24
        options = {"color": color, "fontsize": 13} | label_options
        _label(axes, ((start + end) / 2, y + offset), text, **options)


def _draw_ellipsis(axes: Axes, x: float, y: float) -> None:
    _label(axes, (x, y), r"$\cdots$", fontsize=18, color=EDGE_COLOR)


def _draw_dot(axes: Axes, x: float, y: float, color: str = DATA_COLOR) -> None:
    """Draw the dot where a line splits in two or two lines join."""
    axes.add_patch(Circle((x, y), 0.05, color=color, zorder=3))


def _save(figure: Figure, path: pathlib.Path) -> None:
    """Save a figure as PNG without the Software entry, so reruns give equal bytes."""
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def draw_rnn_cell() -> Figure:
    """Draw one RNN cell with its inputs, outputs and the two equations inside."""
    figure, axes = _new_figure(8.0, 5.2)
    cell = Box(4.0, 2.5, 5.6, 3.2)
    hidden = Box(4.0, 1.7, 4.6, 0.6)
    output = Box(4.0, 3.35, 3.6, 0.6)
    _draw_box(axes, cell)
    _label(axes, (cell.left + 0.12, cell.top - 0.22), "RNN cell", ha="left",
           fontsize=11, color=NOTE_COLOR)
    hidden_equation = (
        r"$a^{\langle t \rangle} = \tanh(W_{aa}\, a^{\langle t-1 \rangle}"
        r" + W_{ax}\, x^{\langle t \rangle} + b_a)$"
    )
    output_equation = (
        r"$\hat{y}^{\langle t \rangle} = \mathrm{softmax}"
        r"(W_{ya}\, a^{\langle t \rangle} + b_y)$"
    )
    _draw_box(axes, hidden, hidden_equation, face="white", fontsize=13)
    _draw_box(axes, output, output_equation, face="white", fontsize=13)

    _arrow(axes, (0.1, hidden.y), (hidden.left, hidden.y))
    _label(axes, (0.55, hidden.y + 0.28), _step("a", "t-1"), color=DATA_COLOR)
    _label(axes, (1.45, hidden.y + 0.28), "$W_{aa}$")
    _arrow(axes, (2.9, 0.1), (2.9, hidden.bottom))
    _label(axes, (2.55, 0.35), _step("x"), color=DATA_COLOR)
    _label(axes, (3.3, 1.12), "$W_{ax}$")
    _arrow(axes, (hidden.right, hidden.y), (7.9, hidden.y))
    _label(axes, (7.35, hidden.y + 0.28), _step("a"), color=DATA_COLOR)
    _label(axes, (7.35, hidden.y - 0.28), "to step $t+1$", fontsize=10,
           color=NOTE_COLOR)
    _arrow(axes, (output.x, hidden.top), (output.x, output.bottom))
    _label(axes, (output.x + 0.4, 2.5), "$W_{ya}$")
    _arrow(axes, (output.x, output.top), (output.x, 5.05))
    _label(axes, (output.x + 0.45, 4.8), _step(r"\hat{y}"), color=DATA_COLOR)
    return figure


def draw_rnn_unrolled() -> Figure:
    """Draw the RNN cell unrolled over the time steps 1, 2, 3, ..., T_x."""
    figure, axes = _new_figure(9.0, 3.9)
    steps = ["1", "2", "3", "T_x"]
    boxes = [Box(x, 2.05, 0.9, 0.9) for x in (1.55, 3.05, 4.55, 7.6)]
    for step, box in zip(steps, boxes):
        _draw_box(axes, box, f"$t = {step}$", fontsize=14)
        _arrow(axes, (box.x, 0.95), (box.x, box.bottom))
        _label(axes, (box.x, 0.75), _step("x", step), color=DATA_COLOR)
        _arrow(axes, (box.x, box.top), (box.x, 3.15))
        _label(axes, (box.x, 3.45), _step(r"\hat{y}", step), color=DATA_COLOR)

    y = boxes[0].y
    _draw_chain_link(axes, 0.15, boxes[0].left, y, _step("a", "0"))
    for step, box, next_box in zip(steps[:2], boxes[:2], boxes[1:3]):
        _draw_chain_link(axes, box.right, next_box.left, y, _step("a", step))
    _draw_chain_link(axes, boxes[2].right, 5.6, y, _step("a", "3"))
    _draw_ellipsis(axes, 5.85, y)
    _draw_chain_link(axes, 6.1, boxes[3].left, y, _step("a", "T_x-1"))
    _draw_chain_link(axes, boxes[3].right, 8.85, y, _step("a", "T_x"))
    _label(
        axes,
        (4.5, 0.25),
        "Every box is the same cell: all steps share the parameters "
        "$W_{aa}$, $W_{ax}$, $W_{ya}$, $b_a$, $b_y$.",
        fontsize=11,
        color=NOTE_COLOR,
    )
    return figure


# Heights, in inches, of the three horizontal lines of the LSTM diagram: the stacked
# input vector, the hidden-state output and the cell state. Gates and nodes are
# placed relative to them.
LSTM_INPUT_Y = 3.1
LSTM_OUTPUT_Y = 2.65
LSTM_STATE_Y = 6.35
LSTM_GATE_Y = LSTM_INPUT_Y + 0.95
LSTM_GATES = {
    "forget": Box(2.3, LSTM_GATE_Y, 0.95, 0.65),
    "update": Box(3.4, LSTM_GATE_Y, 0.95, 0.65),
    "candidate": Box(4.5, LSTM_GATE_Y, 0.95, 0.65),
    "output": Box(5.6, LSTM_GATE_Y, 0.95, 0.65),
}
LSTM_GATE_FUNCTIONS = {
    "forget": r"$\sigma$",
    "update": r"$\sigma$",
    "candidate": "tanh",
    "output": r"$\sigma$",
}
# Height of the gate names written beside the arrows that leave the gates.
LSTM_GATE_LABEL_Y = LSTM_GATE_Y + 0.75


def _draw_lstm_gates(axes: Axes) -> None:
    """Draw the inputs a<t-1> and x<t>, stacked into one vector that feeds each gate."""
    join_x = LSTM_GATES["forget"].x - 0.75
    last_x = LSTM_GATES["output"].x
    _arrow(axes, (0.1, LSTM_INPUT_Y), (join_x, LSTM_INPUT_Y))
    _label(axes, (0.5, LSTM_INPUT_Y + 0.28), _step("a", "t-1"), color=DATA_COLOR)
    _arrow(axes, (join_x, 1.7), (join_x, LSTM_INPUT_Y))
    _label(axes, (join_x - 0.4, 1.95), _step("x"), color=DATA_COLOR)
    _draw_dot(axes, join_x, LSTM_INPUT_Y)
    axes.plot([join_x, last_x], [LSTM_INPUT_Y] * 2, color=DATA_COLOR, linewidth=1.8)
    _label(
        axes,
        ((join_x + last_x) / 2 + 0.3, LSTM_INPUT_Y - 0.3),
        r"$[a^{\langle t-1 \rangle};\, x^{\langle t \rangle}]$",
        color=DATA_COLOR,
        fontsize=12,
    )
    for name, box in LSTM_GATES.items():
        _arrow(axes, (box.x, LSTM_INPUT_Y), (box.x, box.bottom))
        text = f"{name}\n{LSTM_GATE_FUNCTIONS[name]}"
        _draw_box(axes, box, text, face=GATE_FACE, fontsize=11)


def _draw_lstm_cell_state(axes: Axes) -> None:
    """Draw the cell-state line, which computes c<t> = Γf × c<t-1> + Γi × c̃<t>."""
    forget = LSTM_GATES["forget"]
    update = LSTM_GATES["update"]
    candidate = LSTM_GATES["candidate"]
    y = LSTM_STATE_Y
    sum_x = (update.x + candidate.x) / 2
    product_y = y - 1.0
    _draw_node(axes, (forget.x, y), r"$\times$")
    _draw_node(axes, (sum_x, product_y), r"$\times$")
    _draw_node(axes, (sum_x, y), "$+$")

    _arrow(axes, (forget.x, forget.top), (forget.x, y - NODE_RADIUS))
    _label(axes, (forget.x + 0.3, LSTM_GATE_LABEL_Y), r"$\Gamma_f$")
    _arrow(axes, (update.x, update.top), (update.x, product_y),
           (sum_x - NODE_RADIUS, product_y))
    _label(axes, (update.x + 0.3, LSTM_GATE_LABEL_Y), r"$\Gamma_i$")
    _arrow(axes, (candidate.x, candidate.top), (candidate.x, product_y),
           (sum_x + NODE_RADIUS, product_y))
    _label(axes, (candidate.x + 0.45, LSTM_GATE_LABEL_Y), _step(r"\tilde{c}"))
    _arrow(axes, (sum_x, product_y + NODE_RADIUS), (sum_x, y - NODE_RADIUS))

    _arrow(axes, (0.1, y), (forget.x - NODE_RADIUS, y))
    _label(axes, (0.5, y + 0.28), _step("c", "t-1"), color=DATA_COLOR)
    _arrow(axes, (forget.x + NODE_RADIUS, y), (sum_x - NODE_RADIUS, y))
    _arrow(axes, (sum_x + NODE_RADIUS, y), (8.9, y), zorder=2.5)
    _label(axes, (8.5, y + 0.28), _step("c"), color=DATA_COLOR)


def _draw_lstm_outputs(axes: Axes) -> None:
    """Draw a<t> = Γo × tanh(c<t>) and the prediction computed from it."""
    output = LSTM_GATES["output"]
    branch_x = 6.5
    product = (branch_x, LSTM_GATE_Y + 0.75)
    squash = Box(branch_x, LSTM_STATE_Y - 0.75, 0.65, 0.4)
    softmax = Box(7.35, LSTM_GATE_Y, 0.95, 0.45)
    _draw_dot(axes, branch_x, LSTM_STATE_Y)
    _arrow(axes, (branch_x, LSTM_STATE_Y), (branch_x, squash.top))
    _draw_box(axes, squash, "tanh", face=GATE_FACE, fontsize=11)
    _arrow(axes, (branch_x, squash.bottom), (branch_x, product[1] + NODE_RADIUS))
    _draw_node(axes, product, r"$\times$")
    _arrow(axes, (output.x, output.top), (output.x, product[1]),
           (branch_x - NODE_RADIUS, product[1]))
    _label(axes, (output.x + 0.4, product[1] + 0.25), r"$\Gamma_o$")

    _arrow(axes, (branch_x, product[1] - NODE_RADIUS), (branch_x, LSTM_OUTPUT_Y),
           (8.9, LSTM_OUTPUT_Y))
    _label(axes, (8.5, LSTM_OUTPUT_Y + 0.28), _step("a"), color=DATA_COLOR)
    _draw_dot(axes, softmax.x, LSTM_OUTPUT_Y)
    _arrow(axes, (softmax.x, LSTM_OUTPUT_Y), (softmax.x, softmax.bottom))
    _draw_box(axes, softmax, "softmax", face=GATE_FACE, fontsize=11)
    _arrow(axes, (softmax.x, softmax.top), (softmax.x, LSTM_STATE_Y + 1.1))
    _label(axes, (softmax.x + 0.45, LSTM_STATE_Y + 0.85), _step(r"\hat{y}"),
           color=DATA_COLOR)
    # The prediction crosses the cell-state line, so a gap in the prediction's line
    # shows that the two lines do not join.
    axes.plot([softmax.x] * 2, [LSTM_STATE_Y - 0.09, LSTM_STATE_Y + 0.09],
              color=CELL_FACE, linewidth=6, zorder=2.2)


def _draw_lstm_equations(axes: Axes) -> None:
    stacked = r"[a^{\langle t-1 \rangle};\, x^{\langle t \rangle}]"
    gates = [
        rf"$\Gamma_f = \sigma(W_f {stacked} + b_f)$",
        rf"$\Gamma_i = \sigma(W_i {stacked} + b_i)$",
        rf"$\tilde{{c}}^{{\langle t \rangle}} = \tanh(W_c {stacked} + b_c)$",
        rf"$\Gamma_o = \sigma(W_o {stacked} + b_o)$",
    ]
    outputs = [
        r"$c^{\langle t \rangle} = \Gamma_f \times c^{\langle t-1 \rangle}"
        r" + \Gamma_i \times \tilde{c}^{\langle t \rangle}$",
        r"$a^{\langle t \rangle} = \Gamma_o \times \tanh(c^{\langle t \rangle})$",
        r"$\hat{y}^{\langle t \rangle} = \mathrm{softmax}"
        r"(W_y\, a^{\langle t \rangle} + b_y)$",
        r"$\times$ and $+$ act element-wise, and $\sigma$ is the sigmoid.",
    ]
    for row, (gate, output) in enumerate(zip(gates, outputs)):
        y = 1.3 - 0.37 * row
        _label(axes, (0.3, y), gate, ha="left", fontsize=12)
        _label(axes, (4.8, y), output, ha="left", fontsize=12)


def draw_lstm_cell() -> Figure:
    """Draw one LSTM cell with its four gates, its cell state and its outputs."""
    figure, axes = _new_figure(9.0, 7.75)
    cell = Box(4.5, 4.5, 7.0, 4.6)
    _draw_box(axes, cell)
    _label(axes, (cell.right - 0.12, cell.bottom + 0.2), "LSTM cell", ha="right",
           fontsize=11, color=NOTE_COLOR)
    _draw_lstm_gates(axes)
    _draw_lstm_cell_state(axes)
    _draw_lstm_outputs(axes)
    _draw_lstm_equations(axes)
    return figure


# Heights, in inches, of the lines that run between the steps of the BPTT diagram.
BPTT_FORWARD_Y = 3.45
BPTT_GRADIENT_Y = 3.05
BPTT_CELL_GRADIENT_Y = 2.6
BPTT_LOSS = Box(5.0, 5.3, 7.4, 0.55)
BPTT_SUM = Box(5.0, 1.0, 7.4, 0.75)


def _draw_bptt_step(axes: Axes, box: Box, step: str, *, is_last: bool) -> None:
    """Draw one step with its prediction, its loss gradient and its dW share."""
    _draw_box(axes, box)
    _label(axes, (box.x, box.top - 0.3), f"$t = {step}$", fontsize=13)
    _label(axes, (box.x, box.y - 0.05), _step("da", step), color=GRADIENT_COLOR)
    if not is_last:
        _label(axes, (box.x, box.y - 0.4), r"$+\ \mathtt{da\_prev}$",
               color=GRADIENT_COLOR, fontsize=12)

    _arrow(axes, (box.x - 0.25, box.top), (box.x - 0.25, BPTT_LOSS.bottom))
    _label(axes, (box.x - 0.35, 4.4), _step(r"\hat{y}", step), color=DATA_COLOR,
           ha="right")
    _arrow(axes, (box.x + 0.25, BPTT_LOSS.bottom), (box.x + 0.25, box.top),
           color=GRADIENT_COLOR)
    _label(axes, (box.x + 0.35, 4.4), _step("da", step), color=GRADIENT_COLOR,
           ha="left")
    _arrow(axes, (box.x, box.bottom), (box.x, BPTT_SUM.top), color=GRADIENT_COLOR)
    _label(axes, (box.x + 0.1, 1.83), _step("dW", step), color=GRADIENT_COLOR,
           ha="left", fontsize=12)


def _draw_bptt_links(
    axes: Axes, start: float, end: float, step: str | None = None
) -> None:
    """Draw the forward state and the two carried gradients between two steps.

    The arrows are labelled only when the step of the forward state is given.
    """
    forward_text, gradient_text, cell_text = "", "", ""
    if step is not None:
        forward_text, gradient_text, cell_text = _step("a", step), "da_prev", "dc_prev"
    gradient_options = {"color": GRADIENT_COLOR, "below": True,
                        "family": "monospace", "fontsize": 11}
    _draw_chain_link(axes, start, end, BPTT_FORWARD_Y, forward_text)
    _draw_chain_link(axes, end, start, BPTT_GRADIENT_Y, gradient_text,
                     **gradient_options)
    _draw_chain_link(axes, end, start, BPTT_CELL_GRADIENT_Y, cell_text,
                     dashed=True, **gradient_options)


def _draw_bptt_legend(axes: Axes) -> None:
    entries = [
        (0.3, DATA_COLOR, False, "forward pass"),
        (2.6, GRADIENT_COLOR, False, "gradients (backward pass)"),
        (5.8, GRADIENT_COLOR, True, "cell-state gradient, LSTM only"),
    ]
    for x, color, dashed, text in entries:
        _arrow(axes, (x, 0.25), (x + 0.45, 0.25), color=color, dashed=dashed)
        _label(axes, (x + 0.55, 0.25), text, ha="left", fontsize=11,
               color=NOTE_COLOR)


def _draw_bptt_totals(axes: Axes) -> None:
    """Draw the total loss above the steps and the summed dW below them."""
    _draw_box(axes, BPTT_LOSS, face="white")
    _label(
        axes,
        (BPTT_LOSS.x, BPTT_LOSS.y),
        r"loss $\mathcal{L} = \mathcal{L}^{\langle 1 \rangle}"
        r" + \mathcal{L}^{\langle 2 \rangle} + \cdots"
        r" + \mathcal{L}^{\langle T_x \rangle}$, where $\mathcal{L}^{\langle t \rangle}"
        r" = \mathcal{L}(\hat{y}^{\langle t \rangle}, y^{\langle t \rangle})$",
        fontsize=13,
    )
    _draw_box(axes, BPTT_SUM, face="white")
    _label(
        axes,
        (BPTT_SUM.x, BPTT_SUM.y + 0.15),
        r"parameter gradients are summed over all steps: $dW = dW^{\langle 1 \rangle}"
        r" + dW^{\langle 2 \rangle} + \cdots + dW^{\langle T_x \rangle}$",
        fontsize=12,
    )
    _label(
        axes,
        (BPTT_SUM.x, BPTT_SUM.y - 0.17),
        r"RNN: $dW_{ax}$, $dW_{aa}$, $db_a$.   "
        r"LSTM: $dW_f$, $dW_i$, $dW_c$, $dW_o$ and their biases.",
        fontsize=11,
        color=NOTE_COLOR,
    )


def draw_bptt() -> Figure:
    """Draw backpropagation through time over the unrolled chain of steps."""
    figure, axes = _new_figure(9.0, 5.8)
    steps = ["1", "2", "T_x"]
    boxes = [Box(x, 3.05, 1.5, 1.5) for x in (2.05, 4.65, 7.95)]
    for step, box in zip(steps, boxes):
        _draw_bptt_step(axes, box, step, is_last=step == steps[-1])

    _draw_chain_link(axes, 0.1, boxes[0].left, BPTT_FORWARD_Y, _step("a", "0"))
    _draw_chain_link(axes, boxes[0].left, 0.1, BPTT_GRADIENT_Y, "da0",
                     color=GRADIENT_COLOR, below=True, family="monospace",
                     fontsize=11)
    _draw_bptt_links(axes, boxes[0].right, boxes[1].left, "1")
    _draw_bptt_links(axes, boxes[1].right, 5.95)
    _draw_ellipsis(axes, 6.3, BPTT_GRADIENT_Y)
    _draw_bptt_links(axes, 6.65, boxes[2].left)

    _draw_bptt_totals(axes)
    _draw_bptt_legend(axes)
    return figure


FIGURES: dict[str, tuple[Callable[[], Figure], str]] = {
    "rnn_cell.png": (
        draw_rnn_cell,
        "One RNN cell. The previous hidden state and the current input enter the "
        "cell, a tanh layer combines them into the new hidden state that goes on to "
        "the next step, and a softmax layer turns that state into the prediction.",
    ),
    "rnn_unrolled.png": (
        draw_rnn_unrolled,
        "The RNN cell repeated once per time step, from step 1 to step T_x. Each copy "
        "reads one input, emits one prediction and hands its hidden state to the copy "
        "on its right, starting from the initial state a0, and all copies share the "
        "same parameters.",
    ),
    "lstm_cell.png": (
        draw_lstm_cell,
        "One LSTM cell. The previous hidden state and the current input are stacked "
        "and fed to the forget, update and output gates and to the tanh candidate "
        "layer. Along the top, the old cell state is scaled by the forget gate and "
        "the gated candidate is added to give the new cell state, whose tanh, scaled "
        "by the output gate, is the new hidden state that a softmax turns into the "
        "prediction.",
    ),
    "bptt.png": (
        draw_bptt,
        "Backpropagation through time on the unrolled network. Gradients flow from "
        "right to left: each step receives the gradient da of its own loss plus "
        "da_prev from the step after it (and, in an LSTM, dc_prev along the cell "
        "state), the gradient that reaches the initial state is da0, and the "
        "parameter gradients of all steps are summed.",
    ),
}


def draw_all(directory: str | pathlib.Path, figures=None) -> list[pathlib.Path]:
    """Draw every figure of ``figures`` (default: FIGURES) into a directory.

    ``figures`` maps file names to (drawing function, alt text); the directory
    is created if missing.
    """
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (draw, _alt_text) in (figures or FIGURES).items():
        path = directory / name
        with matplotlib.style.context(["default", STYLE]):
            _save(draw(), path)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.figures",
        description="Draw the RNN assignment diagrams as PNG files.",
    )
    parser.add_argument(
        "outdir",
        type=pathlib.Path,
        help="directory to write the PNG files into, created if missing",
    )
    arguments = parser.parse_args(argv)
    for path in draw_all(arguments.outdir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
