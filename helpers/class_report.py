"""A class report: a terminal summary and three PNG figures of one assignment.

The figures show the distribution of totals, the share of students with full
points in each function, and the named mistakes found most often. They are drawn
with matplotlib's Agg canvas under a fixed style and saved without a software
stamp, so the same gradebook always gives the same bytes.

Statistics count submitted work only (status other than "missing"); missing
students are counted apart. A function is passed when it earned all its points.
"""

import logging
import statistics
from collections import Counter
from pathlib import Path

import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from . import report
from .assignments import ASSIGNMENTS
from .grading.results import STATUSES

log = logging.getLogger(__name__)

DPI = 100
TOP_MISTAKES = 10
BAR_COLOR = "#1f5fa8"
MISTAKE_COLOR = "#c0392b"
STYLE = {
    "font.family": "DejaVu Sans",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "text.usetex": False,
}
FIGURES = ("score_distribution.png", "pass_rate_per_function.png", "top_mistakes.png")


def summarise(rows, assignment):
    """Compute counts, totals, pass rates and mistakes of class_grades rows."""
    module = ASSIGNMENTS[assignment]
    submitted = [row for row in rows if row["status"] != "missing"]
    totals = [row["total"] for row in submitted]
    mistakes = Counter(m for row in submitted for m in row.get("mistakes", []))
    return {
        "assignment": assignment,
        "students": len(rows),
        "submitted": len(submitted),
        "max_total": float(sum(spec.points for spec in module.FUNCTIONS)),
        "status_counts": {
            status: sum(row["status"] == status for row in rows) for status in STATUSES
        },
        "late": sum(bool(row["late"]) for row in submitted),
        "totals": totals,
        "mean": statistics.fmean(totals) if totals else None,
        "median": statistics.median(totals) if totals else None,
        "pass_rates": {
            spec.name: (
                sum(row[spec.name] >= spec.points for row in submitted) / len(submitted)
                if submitted
                else None
            )
            for spec in module.FUNCTIONS
        },
        "mistakes": sorted(mistakes.items(), key=lambda item: (-item[1], item[0])),
    }


def format_summary(summary):
    """Format the summary as lines for an instructor's terminal."""
    name = summary["assignment"]

    def number(value):
        return "-" if value is None else f"{value:.1f}"

    counts = ", ".join(
        f"{count} {status}" for status, count in summary["status_counts"].items()
    )
    lines = [
        f"Class report for {name}: {summary['students']} student(s), "
        f"{summary['submitted']} submitted, {summary['late']} late.",
        f"Status: {counts}.",
        f"Total (of {summary['max_total']:g}): mean {number(summary['mean'])}, "
        f"median {number(summary['median'])}.",
        "Full points per function:",
    ]
    width = max(len(function) for function in summary["pass_rates"])
    for function, rate in summary["pass_rates"].items():
        share = "-" if rate is None else f"{100 * rate:5.1f}%"
        lines.append(f"  {function.ljust(width)}  {share}")
    lines.append("Most frequent named mistakes:")
    if not summary["mistakes"]:
        lines.append("  none")
    for mistake, count in summary["mistakes"][:TOP_MISTAKES]:
        lines.append(f"  {count:4d}  {mistake}")
    return "\n".join(lines)


def _figure(width, height):
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _save(figure, path):
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return figure


def draw_score_distribution(summary, path):
    figure, axes = _figure(7, 4)
    top = summary["max_total"]
    bins = [top * i / 10 for i in range(11)]
    axes.hist(summary["totals"], bins=bins, color=BAR_COLOR, edgecolor="white")
    axes.set_xlim(0, top)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"total points (of {top:g}, after late penalties)")
    axes.set_ylabel("students")
    axes.set_title(
        f"{summary['assignment']}: score distribution "
        f"({summary['submitted']} submitted)"
    )
    return _save(figure, path)


def draw_pass_rates(summary, path):
    functions = list(summary["pass_rates"])
    rates = [100 * (summary["pass_rates"][f] or 0.0) for f in functions]
    figure, axes = _figure(7, 0.5 * len(functions) + 1.5)
    bars = axes.barh(functions[::-1], rates[::-1], color=BAR_COLOR)
    axes.bar_label(bars, fmt="%.0f%%", padding=3)
    axes.set_xlim(0, 112)
    axes.set_xticks(range(0, 101, 20))
    axes.xaxis.set_major_formatter(PercentFormatter())
    axes.set_xlabel("submitted students with full points")
    axes.set_ylabel("graded function")
    axes.set_title(f"{summary['assignment']}: pass rate per function")
    return _save(figure, path)


def draw_mistakes(summary, path):
    top = summary["mistakes"][:TOP_MISTAKES]
    figure, axes = _figure(8, 0.45 * max(len(top), 1) + 1.6)
    if top:
        names = [name for name, _ in top][::-1]
        bars = axes.barh(names, [count for _, count in top][::-1], color=MISTAKE_COLOR)
        axes.bar_label(bars, padding=3)
        axes.set_xlim(0, top[0][1] * 1.12)
    else:
        axes.text(
            0.5,
            0.5,
            "no named mistake found",
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
        axes.set_yticks([])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("students making the mistake")
    axes.set_ylabel("named mistake")
    axes.set_title(f"{summary['assignment']}: most frequent named mistakes")
    return _save(figure, path)


DRAWINGS = (draw_score_distribution, draw_pass_rates, draw_mistakes)


def write_report(course, assignment, out):
    """Write the figures and ``summary.txt`` into ``out``; return (summary, paths).

    The figures are saved as ``FIGURES`` names, in that order."""
    rows = report.class_grades(course.database_url(), assignment)
    summary = summarise(rows, assignment)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in FIGURES]
    with matplotlib.style.context(["default", STYLE]):
        for draw, path in zip(DRAWINGS, paths):
            draw(summary, path)
    text = format_summary(summary)
    (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
    log.info("class/%s: report written to %s", assignment, out)
    return summary, paths
