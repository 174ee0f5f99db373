"""Check the dinosaur genus list used by the character-level language model.

The file contains one genus name per line, in lowercase a-z, sorted, without
duplicates and with a final newline (see source/dinosaur_names/DATASET.md).

Run ``python -m helpers.dinosaur_dataset PATH`` to print the summary and the
problems. The exit status is 0 for a clean file, 1 when problems were found and
2 when the file cannot be read.
"""

import argparse
import string
import sys
from pathlib import Path

MIN_NAMES = 800
MIN_NAME_LENGTH = 3

LETTERS = frozenset(string.ascii_lowercase)
# "y" counts as a vowel because names such as "Zby" and "Mnyamawamtuka" use it as one.
VOWELS = frozenset("aeiouy")

# Limits of the "looks like a Latinised genus" heuristic. Real names reach a run
# of 5 consonants (the "ndsch" of Mandschurosaurus) and 4 vowels (Shuvuuia), and
# the longest shipped name has 23 letters.
# NOTE: the limits were set so that every name in the shipped list passes. They
# catch keyboard noise and merged lines, not every implausible name.
MAX_CONSONANT_RUN = 5
MAX_VOWEL_RUN = 4
MAX_REPEATED_LETTER = 2
MAX_NAME_LENGTH = 30


def _read_lines(path):
    """Return the text of ``path`` and its lines without their line breaks.

    Raises OSError when the file cannot be read and UnicodeDecodeError when it
    is not valid UTF-8.
    """
    text = Path(path).read_bytes().decode("utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        # The final newline ends the last name, so it does not start an empty line.
        lines = lines[:-1]
    return text, lines


def _longest_run(name, in_class):
    longest = 0
    current = 0
    for letter in name:
        current = current + 1 if in_class(letter) else 0
        longest = max(longest, current)
    return longest


def latinisation_problems(name):
    """Return the reasons why a lowercase a-z ``name`` does not look like a genus name."""
    reasons = []
    if not set(name) & VOWELS:
        reasons.append("has no vowel")
    consonant_run = _longest_run(name, lambda letter: letter not in VOWELS)
    if consonant_run > MAX_CONSONANT_RUN:
        reasons.append(
            f"has {consonant_run} consonants in a row (maximum {MAX_CONSONANT_RUN})"
        )
    vowel_run = _longest_run(name, lambda letter: letter in VOWELS)
    if vowel_run > MAX_VOWEL_RUN:
        reasons.append(f"has {vowel_run} vowels in a row (maximum {MAX_VOWEL_RUN})")
    for index in range(len(name) - MAX_REPEATED_LETTER):
        window = name[index : index + MAX_REPEATED_LETTER + 1]
        if len(set(window)) == 1:
            reasons.append(f"repeats the letter '{window[0]}' {len(window)} times in a row")
            break
    if len(name) > MAX_NAME_LENGTH:
        reasons.append(f"has {len(name)} letters (maximum {MAX_NAME_LENGTH})")
    return reasons


def _line_problems(number, line):
    """Return the problems of one line, each prefixed with its line number."""
    if line == "":
        return [f"line {number}: empty line"]
    problems = []
    if line != line.lower():
        problems.append(f"line {number}: {line!r} contains uppercase letters")
    others = sorted({char for char in line.lower() if char not in LETTERS})
    if others:
        listed = ", ".join(repr(char) for char in others)
        problems.append(
            f"line {number}: {line!r} contains characters other than a-z: {listed}"
        )
    if len(line) < MIN_NAME_LENGTH:
        problems.append(
            f"line {number}: {line!r} is shorter than {MIN_NAME_LENGTH} letters"
        )
    # The heuristic only makes sense for names that are already plain a-z.
    if not others and line == line.lower():
        for reason in latinisation_problems(line):
            problems.append(
                f"line {number}: {line!r} does not look like a Latinised genus: {reason}"
            )
    return problems


def check_names(path):
    """Check the genus list at ``path`` and return one message per problem found.

    An empty list means the file is clean. Raises OSError when the file cannot
    be read.
    """
    try:
        text, lines = _read_lines(path)
    except UnicodeDecodeError as error:
        return [f"file is not valid UTF-8: byte {error.start} cannot be decoded"]

    problems = []
    if text and not text.endswith("\n"):
        problems.append("file does not end with a newline")

    first_line_of = {}
    out_of_order = []
    previous = None
    for number, line in enumerate(lines, start=1):
        problems.extend(_line_problems(number, line))
        if line == "":
            continue
        if line in first_line_of:
            problems.append(
                f"line {number}: {line!r} duplicates line {first_line_of[line]}"
            )
        else:
            first_line_of[line] = number
        if previous is not None and line < previous[1]:
            out_of_order.append((number, line, previous))
        previous = (number, line)

    if out_of_order:
        number, line, (previous_number, previous_line) = out_of_order[0]
        problems.append(
            f"names are not sorted: line {number} {line!r} comes after line "
            f"{previous_number} {previous_line!r} ({len(out_of_order)} lines out of order)"
        )

    count = sum(1 for line in lines if line)
    if count < MIN_NAMES:
        problems.append(f"file has {count} names, fewer than the minimum {MIN_NAMES}")
    return problems


def summary(path):
    """Return the counts that DATASET.md reports for the genus list at ``path``.

    Empty lines are skipped. ``distinct_characters`` counts the characters of
    the names only, so the newline that separates names is not included.
    Raises OSError or UnicodeDecodeError when the file cannot be read.
    """
    _, lines = _read_lines(path)
    names = [line for line in lines if line]
    lengths = [len(name) for name in names]
    characters = sorted(set("".join(names)))
    if not names:
        return {
            "names": 0,
            "min_length": None,
            "shortest": [],
            "max_length": None,
            "longest": [],
            "mean_length": 0.0,
            "distinct_characters": 0,
            "characters": "",
        }
    min_length = min(lengths)
    max_length = max(lengths)
    return {
        "names": len(names),
        "min_length": min_length,
        "shortest": [name for name in names if len(name) == min_length],
        "max_length": max_length,
        "longest": [name for name in names if len(name) == max_length],
        "mean_length": sum(lengths) / len(names),
        "distinct_characters": len(characters),
        "characters": "".join(characters),
    }


def _format_summary(counts):
    mean = f"{counts['mean_length']:.2f}"
    return "\n".join(
        [
            f"names: {counts['names']}",
            f"shortest: {counts['min_length']} letters {', '.join(counts['shortest'])}",
            f"longest: {counts['max_length']} letters {', '.join(counts['longest'])}",
            f"mean length: {mean} letters",
            f"distinct characters: {counts['distinct_characters']} "
            f"({counts['characters']})",
        ]
    )


def main(argv=None):
    """Print the summary and problems of a genus list and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.dinosaur_dataset",
        description="Check a dinosaur genus list and print its summary.",
    )
    parser.add_argument("path", help="genus list, one lowercase name per line")
    arguments = parser.parse_args(argv)

    try:
        problems = check_names(arguments.path)
        counts = summary(arguments.path)
    except (OSError, UnicodeDecodeError) as error:
        print(f"failed to read {arguments.path}: {error}", file=sys.stderr)
        return 2

    print(_format_summary(counts))
    if not problems:
        print("problems: none")
        return 0
    print(f"problems: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
