"""Catalogued common mistakes: loading them, and naming the one a student made.

A mistake is data (``helpers/catalogue/<assignment>.toml``): the function it
breaks, the message students see, and text replacements that turn the
instructor solution cell into the mistaken code. The same replacements build
the sample submissions and, in the grader process, a mistaken function whose
outputs are compared with the student's to name the likely cause.
"""

import re
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

from .compare import first_difference

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


@dataclass(frozen=True)
class Mistake:
    id: str
    function: str
    message: str
    replace: tuple

    def apply(self, source):
        """The solution ``source`` with this mistake in it; each replacement must match once."""
        for old, new in self.replace:
            count = source.count(old)
            if count != 1:
                raise ValueError(f"mistake {self.id}: {old!r} occurs {count} times, expected once")
            source = source.replace(old, new)
        return source


def load_catalogue(assignment):
    path = CATALOGUE_DIR / f"{assignment}.toml"
    if not path.exists():
        return []
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return [
        Mistake(entry["id"], entry["function"], entry["message"], tuple(map(tuple, entry["replace"])))
        for entry in data.get("mistake", [])
    ]


def solution_sources(notebook_path):
    """Map each solution cell's grade id to its code without the solution markers."""
    notebook = nbformat.read(str(notebook_path), as_version=4)
    sources = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if not SOLUTION_MARKER.match(line)]
            sources[meta["grade_id"]] = "\n".join(lines)
    return sources


def build_function(source, name, namespace):
    """Execute instructor code ``source`` in a copy of ``namespace``; return ``name``."""
    scope = dict(namespace)
    exec(compile(source, f"<mistake {name}>", "exec"), scope)  # instructor code only
    return scope[name]


def _mutant_outcome(function, arguments):
    import copy

    arguments = copy.deepcopy(arguments)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return "ok", function(*arguments), arguments
    except Exception as error:
        return type(error).__name__, None, arguments


class Diagnosis:
    """Names catalogued mistakes whose outputs match the student's on every case."""

    def __init__(self, mistakes, solutions, namespace):
        self.mutants = {}
        for mistake in mistakes:
            if mistake.function in solutions:
                source = mistake.apply(solutions[mistake.function])
                function = build_function(source, mistake.function, namespace)
                self.mutants.setdefault(mistake.function, []).append((mistake, function))

    def __call__(self, spec, cases, outcomes, tolerance):
        found = []
        for mistake, function in self.mutants.get(spec.name, []):
            if all(self._matches(function, case, outcomes[case.key], tolerance) for case in cases):
                found.append(mistake)
        return found

    @staticmethod
    def _matches(function, case, outcome, tolerance):
        status, result, arguments_after = _mutant_outcome(function, case.arguments)
        if outcome.status == "error":
            return status != "ok" and outcome.detail.startswith(f"raised {status}")
        if outcome.status != "ok" or status != "ok":
            return False
        if first_difference(outcome.result, result, tolerance, same_nonfinite=True):
            return False
        return not first_difference(
            outcome.arguments_after, arguments_after, tolerance, same_nonfinite=True
        )
