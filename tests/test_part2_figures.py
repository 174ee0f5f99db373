"""Tests for Part 2's figures drawn by helpers.figures_part2."""

import itertools

import matplotlib.image
import matplotlib.style
import nbformat
import pytest

from helpers import figures, figures_part2

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NOTEBOOK = figures_part2.IMAGES.parent / "dinosaur_names.ipynb"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    return figures_part2.draw_all(tmp_path_factory.mktemp("figures2"))


@pytest.mark.parametrize("name", sorted(figures_part2.FIGURES))
def test_figure_is_valid_png(drawn, name):
    path = next(path for path in drawn if path.name == name)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    height, width, channels = matplotlib.image.imread(path).shape
    assert channels in (3, 4)
    assert 700 <= width <= 1000
    assert 300 <= height <= 900


@pytest.mark.parametrize("name", sorted(figures_part2.FIGURES))
def test_committed_image_is_current(drawn, name):
    path = next(path for path in drawn if path.name == name)
    assert (
        figures_part2.IMAGES / name
    ).read_bytes() == path.read_bytes(), (
        "run python -m helpers.figures_part2 to redraw the notebook's images"
    )


@pytest.mark.parametrize("name", sorted(figures_part2.FIGURES))
def test_notebook_alt_text_matches(name):
    _draw, alt_text = figures_part2.FIGURES[name]
    assert alt_text.endswith(".")
    text = NOTEBOOK.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    markdown = "\n".join(
        cell.source for cell in notebook.cells if cell.cell_type == "markdown"
    )
    assert f"![{alt_text}](images/{name})" in markdown


@pytest.mark.parametrize("name", ["training_pair.png", "sampling.png"])
def test_diagram_labels_do_not_overlap(name):
    draw, _alt_text = figures_part2.FIGURES[name]
    with matplotlib.style.context(["default", figures.STYLE]):
        figure = draw()
        renderer = figure.canvas.get_renderer()
        extents = [
            (text.get_text(), text.get_window_extent(renderer))
            for axes in figure.axes
            for text in axes.texts
            if text.get_text()
        ]
    for (first, first_box), (second, second_box) in itertools.combinations(extents, 2):
        assert not first_box.overlaps(second_box), (first, second)
    for text, box in extents:
        assert box.x0 >= 0, text
        assert box.y0 >= 0, text
        assert box.x1 <= figure.bbox.width, text
        assert box.y1 <= figure.bbox.height, text


def test_loss_figure_shows_falling_smoothed_loss():
    raw, smoothed = figures_part2.training_losses(iterations=1500)
    assert len(raw) == len(smoothed) == 1500
    assert smoothed[-1] < smoothed[0] - 5
