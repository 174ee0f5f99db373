"""Turn the release notebook into student submissions."""

import copy
import re
from pathlib import Path

import nbformat

from ..grading.catalogue import solution_sources

FUNCTION_DEF = re.compile(r"^def (\w+)\(", re.M)


def read(path):
    return nbformat.read(str(path), as_version=4)


def fill(release, replacements):
    """Copy ``release``, replacing each solution cell's source by ``replacements[grade_id]``."""
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in replacements:
            cell.source = replacements[grade_id]
    return notebook


def full_solution(release, source_notebook):
    return fill(release, solution_sources(source_notebook))


def with_mistake(release, source_notebook, mistake):
    solutions = solution_sources(source_notebook)
    solutions[mistake.function] = mistake.apply(solutions[mistake.function])
    return fill(release, solutions)


def split_functions(text):
    """Map each top-level function in ``text`` to its source (up to the next def)."""
    starts = [(match.start(), match.group(1)) for match in FUNCTION_DEF.finditer(text)]
    bounds = starts + [(len(text), None)]
    return {
        name: text[start:bounds[index + 1][0]].rstrip() + "\n"
        for index, (start, name) in enumerate(starts)
    }


def with_functions(release, source_notebook, functions):
    """Build the full solution with some functions replaced by other complete definitions."""
    solutions = solution_sources(source_notebook)
    solutions.update(functions)
    return fill(release, solutions)


SAMPLES_DIR = Path(__file__).resolve().parent


def parsed_functions(filename):
    """Top-level function sources of a parsed-only samples file, by name."""
    return split_functions((SAMPLES_DIR / filename).read_text(encoding="utf-8"))


def alternatives(filename="alternatives.py"):
    """Map ``NAME__VARIANT`` to (NAME, source defining NAME), from a parsed-only file."""
    found = {}
    for key, source in parsed_functions(filename).items():
        name, _, _ = key.partition("__")
        found[key] = (name, source.replace(f"def {key}(", f"def {name}(", 1))
    return found


def independent_solution():
    return parsed_functions("independent_solution.py")
