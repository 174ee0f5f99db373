"""Tests for the assignment diagrams drawn by helpers.figures."""

import itertools

import matplotlib.image
import matplotlib.style
import pytest

from helpers import figures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Draw every figure once and return the paths that draw_all returned."""
    return figures.draw_all(tmp_path_factory.mktemp("figures"))


def test_draw_all_writes_every_figure(drawn):
    assert sorted(path.name for path in drawn) == sorted(figures.FIGURES)
    for path in drawn:
        assert path.is_file(), path


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_figure_is_valid_png(drawn, name):
    path = next(path for path in drawn if path.name == name)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    image = matplotlib.image.imread(path)
    height, width, channels = image.shape
    assert channels in (3, 4)
    # Wide enough to read in a notebook at about 800 px, and not far wider.
    assert 700 <= width <= 1000
    assert 300 <= height <= 900
    # A blank image would mean that nothing was drawn.
    assert image[..., :3].min() < 0.5


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_alt_text_is_sentence(name):
    _draw, alt_text = figures.FIGURES[name]
    assert alt_text.strip()
    assert alt_text.endswith(".")


def test_drawing_twice_gives_identical_bytes(drawn, tmp_path):
    again = figures.draw_all(tmp_path)
    for first, second in zip(drawn, again):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name


def test_draw_all_creates_missing_directory(tmp_path):
    directory = tmp_path / "nested" / "images"
    paths = figures.draw_all(directory)
    assert directory.is_dir()
    assert all(path.parent == directory for path in paths)


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_labels_do_not_overlap(name):
    draw, _alt_text = figures.FIGURES[name]
    with matplotlib.style.context(["default", figures.STYLE]):
        figure = draw()
        renderer = figure.canvas.get_renderer()
        extents = [
            (text.get_text(), text.get_window_extent(renderer))
            for axes in figure.axes
            for text in axes.texts
            if text.get_text()
        ]
    for (first, first_box), (second, second_box) in itertools.combinations(
        extents, 2
    ):
        assert not first_box.overlaps(second_box), (first, second)
    for text, box in extents:
        assert box.x0 >= 0, text
        assert box.y0 >= 0, text
        assert box.x1 <= figure.bbox.width, text
        assert box.y1 <= figure.bbox.height, text


def test_cli_prints_each_written_file(tmp_path, capsys):
    assert figures.main([str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(figures.FIGURES)
    for name in figures.FIGURES:
        assert (tmp_path / name).is_file()
        assert any(line.endswith(name) for line in lines), name
