"""Tests for the dinosaur genus list and its checker in helpers.dinosaur_dataset."""

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import dinosaur_dataset

REPOSITORY = Path(__file__).resolve().parents[1]
SHIPPED = REPOSITORY / "source" / "dinosaur_names" / "dinos.txt"

# Consonant-vowel syllables: every pair plus "saurus" gives a name that passes
# all checks, and 30 x 30 pairs give more than MIN_NAMES distinct names.
SYLLABLES = [
    "ba", "bi", "ce", "di", "fo", "gu", "ha", "je", "ka", "ku",
    "le", "lo", "me", "mi", "ne", "no", "po", "pu", "ra", "ru",
    "sa", "se", "te", "ti", "va", "vo", "xi", "ye", "zo", "zu",
]  # fmt: skip


def valid_names(count=dinosaur_dataset.MIN_NAMES):
    """Return ``count`` sorted synthetic names that pass every check."""
    pairs = itertools.product(SYLLABLES, repeat=2)
    names = sorted(f"{first}{second}saurus" for first, second in pairs)
    assert len(names) >= count
    return names[:count]


def write_lines(directory, lines, final_newline=True):
    path = directory / "names.txt"
    text = "\n".join(lines) + ("\n" if final_newline else "")
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_list_passes_check():
    assert dinosaur_dataset.check_names(SHIPPED) == []


def test_shipped_list_summary():
    counts = dinosaur_dataset.summary(SHIPPED)
    assert counts["names"] >= dinosaur_dataset.MIN_NAMES
    assert counts["min_length"] >= dinosaur_dataset.MIN_NAME_LENGTH
    assert counts["characters"] == "abcdefghijklmnopqrstuvwxyz"


def test_synthetic_base_passes_check(tmp_path):
    path = write_lines(tmp_path, valid_names())
    assert dinosaur_dataset.check_names(path) == []


def _replace_first(names, name):
    return [name] + names[1:]


def _replace_last(names, name):
    return names[:-1] + [name]


# Each case changes the valid base in one way and names the text that the one
# resulting problem must contain. Replaced names are chosen to keep the order.
DEFECTS = {
    "uppercase": (lambda names: _replace_first(names, "Babasaurus"), "uppercase"),
    "hyphen": (
        lambda names: _replace_first(names, "ba-basaurus"),
        "characters other than a-z: '-'",
    ),
    "space": (
        lambda names: _replace_first(names, "baba saurus"),
        "characters other than a-z: ' '",
    ),
    "diacritic": (
        lambda names: _replace_last(names, "zuzusäurus"),
        "characters other than a-z: 'ä'",
    ),
    "carriage return": (
        lambda names: _replace_last(names, "zuzusaurus\r"),
        "characters other than a-z: '\\r'",
    ),
    "duplicate": (lambda names: names + [names[-1]], "duplicates line"),
    "unsorted": (
        lambda names: [names[1], names[0]] + names[2:],
        "names are not sorted",
    ),
    "too few names": (lambda names: names[:-1], "fewer than the minimum 800"),
    "empty line inside": (lambda names: names[:5] + [""] + names[5:], "empty line"),
    "blank line at end": (lambda names: names + [""], "empty line"),
    "too short": (lambda names: _replace_first(names, "ba"), "shorter than 3 letters"),
    "consonant run": (
        lambda names: _replace_last(names, "zuzustrptksaurus"),
        "7 consonants in a row",
    ),
    "vowel run": (
        lambda names: _replace_last(names, "zuzuaeiousaurus"),
        "6 vowels in a row",
    ),
    "repeated letter": (
        lambda names: _replace_last(names, "zuzuuusaurus"),
        "repeats the letter 'u' 3 times",
    ),
    "no vowel": (lambda names: _replace_last(names, "zvskt"), "has no vowel"),
    "too long": (
        lambda names: _replace_last(names, "zuzu" + "ba" * 14 + "saurus"),
        "has 38 letters",
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_check_reports_single_defect(tmp_path, defect):
    change, expected = DEFECTS[defect]
    path = write_lines(tmp_path, change(valid_names()))
    problems = dinosaur_dataset.check_names(path)
    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_check_reports_missing_final_newline(tmp_path):
    path = write_lines(tmp_path, valid_names(), final_newline=False)
    assert dinosaur_dataset.check_names(path) == ["file does not end with a newline"]


def test_check_reports_invalid_utf8(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes(b"abcsaurus\n\xff\n")
    problems = dinosaur_dataset.check_names(path)
    assert len(problems) == 1
    assert "not valid UTF-8" in problems[0]


def test_check_lists_all_problems(tmp_path):
    path = write_lines(tmp_path, ["Abc", "ab", "x-y", "", "zzzq", "abc", "abc"])
    problems = "\n".join(dinosaur_dataset.check_names(path))
    assert "line 1: 'Abc' contains uppercase letters" in problems
    assert "line 2: 'ab' is shorter than 3 letters" in problems
    assert "line 3: 'x-y' contains characters other than a-z: '-'" in problems
    assert "line 4: empty line" in problems
    assert "line 5: 'zzzq' does not look like a Latinised genus: has no vowel" in problems
    assert "line 7: 'abc' duplicates line 6" in problems
    assert "names are not sorted: line 6 'abc' comes after line 5 'zzzq'" in problems
    assert "file has 6 names, fewer than the minimum 800" in problems


@pytest.mark.parametrize("name", ["mandschurosaurus", "shuvuuia", "zby", "mnyamawamtuka"])
def test_heuristic_accepts_unusual_real_names(name):
    assert dinosaur_dataset.latinisation_problems(name) == []


def test_summary_counts(tmp_path):
    path = write_lines(tmp_path, ["abc", "abcd", "zby"])
    counts = dinosaur_dataset.summary(path)
    assert counts["names"] == 3
    assert counts["min_length"] == 3
    assert counts["shortest"] == ["abc", "zby"]
    assert counts["max_length"] == 4
    assert counts["longest"] == ["abcd"]
    assert counts["mean_length"] == pytest.approx(10 / 3)
    assert counts["distinct_characters"] == 6
    assert counts["characters"] == "abcdyz"


def test_summary_skips_empty_lines(tmp_path):
    path = write_lines(tmp_path, ["abc", "", "defg"])
    assert dinosaur_dataset.summary(path)["names"] == 2


def test_summary_of_empty_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("", encoding="utf-8")
    counts = dinosaur_dataset.summary(path)
    assert counts["names"] == 0
    assert counts["mean_length"] == 0.0
    assert counts["shortest"] == []


def test_main_exit_status_clean(tmp_path, capsys):
    path = write_lines(tmp_path, valid_names())
    assert dinosaur_dataset.main([str(path)]) == 0
    output = capsys.readouterr().out
    assert "names: 800" in output
    assert "problems: none" in output


def test_main_exit_status_problems(tmp_path, capsys):
    path = write_lines(tmp_path, valid_names()[:-1])
    assert dinosaur_dataset.main([str(path)]) == 1
    output = capsys.readouterr().out
    assert "problems: 1" in output
    assert "fewer than the minimum 800" in output


def test_main_exit_status_missing_file(tmp_path, capsys):
    assert dinosaur_dataset.main([str(tmp_path / "missing.txt")]) == 2
    assert "failed to read" in capsys.readouterr().err


def test_module_runs_with_python_m():
    result = subprocess.run(
        [sys.executable, "-m", "helpers.dinosaur_dataset", str(SHIPPED)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "problems: none" in result.stdout
