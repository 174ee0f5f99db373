"""Part 2's sample submissions: its alternatives and its independent solution."""

from . import build

ALTERNATIVES_FILE = "part2_alternatives.py"
INDEPENDENT_FILE = "part2_independent_solution.py"


def alternatives():
    """Map ``NAME__VARIANT`` to (NAME, source defining NAME)."""
    return build.alternatives(ALTERNATIVES_FILE)


def independent_solution():
    return build.parsed_functions(INDEPENDENT_FILE)
