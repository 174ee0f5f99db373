"""Part 2's student release: generated from source, without solutions or hidden data."""

import ast
import filecmp
import json
import re
import subprocess
import sys

import nbformat
import pytest

from helpers import visible_cases_part2
from helpers.course import REPOSITORY, Course
from helpers.grading.catalogue import solution_sources

ASSIGNMENT = "dinosaur_names"
RELEASE = REPOSITORY / "release" / ASSIGNMENT
SOURCE = REPOSITORY / "source" / ASSIGNMENT
GRADED = ("clip", "sample", "optimize", "model")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    course = Course.copy_of_repository(tmp_path_factory.mktemp("regen2") / "course")
    course.nbgrader(
        "generate_assignment", ASSIGNMENT, "--force", env={"LANG": "C", "LC_ALL": "C"}
    )
    return course.root / "release" / ASSIGNMENT


def release_files(directory):
    return sorted(p.relative_to(directory) for p in directory.rglob("*") if p.is_file())


def test_release_matches_regeneration(regenerated):
    assert release_files(regenerated) == release_files(RELEASE)
    for relative in release_files(RELEASE):
        assert filecmp.cmp(
            RELEASE / relative, regenerated / relative, shallow=False
        ), relative


def solution_lines():
    lines = set()
    for source in solution_sources(SOURCE / f"{ASSIGNMENT}.ipynb").values():
        inside = False
        for line in source.splitlines():
            if "### START CODE HERE" in line:
                inside = True
            elif "### END CODE HERE" in line:
                inside = False
            elif inside and line.strip():
                lines.add(line.strip())
    return lines


def test_release_has_no_solution_lines():
    text = (RELEASE / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    released = {line.strip() for line in code.splitlines()}
    assert solution_lines(), "no solution lines found in the source"
    assert not (solution_lines() & released)
    assert "BEGIN SOLUTION" not in text
    assert "HIDDEN TESTS" not in text


def test_code_regions_empty_with_hint():
    notebook = nbformat.read(str(RELEASE / f"{ASSIGNMENT}.ipynb"), as_version=4)
    pattern = r"### START CODE HERE ### \(about \d+ lines\)\n(.*?)### END CODE HERE ###"
    regions = 0
    for cell in notebook.cells:
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        for match in re.finditer(pattern, cell.source, re.S):
            regions += 1
            assert match.group(1).strip() == ""
    assert regions == len(GRADED)


def test_test_cells_and_points():
    notebook = nbformat.read(str(RELEASE / f"{ASSIGNMENT}.ipynb"), as_version=4)
    points = {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    }
    assert points == {
        "test_clip": 15,
        "test_sample": 30,
        "test_optimize": 25,
        "test_model": 30,
    }


def test_release_has_no_grader_material():
    for path in RELEASE.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".ipynb", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "helpers" not in text, path
            assert "hidden_cases" not in text, path


def test_dataset_shipped_unchanged():
    for name in ("dinos.txt", "DATASET.md"):
        assert filecmp.cmp(SOURCE / name, RELEASE / name, shallow=False), name


def run_validate(path):
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_source_notebook_validates():
    result = run_validate(SOURCE / f"{ASSIGNMENT}.ipynb")
    assert (
        "Success! Your notebook passes all the tests." in result.stdout
    ), result.stdout[-2000:]


def test_release_validate_reports_failures():
    result = run_validate(RELEASE / f"{ASSIGNMENT}.ipynb")
    assert "VALIDATION FAILED" in result.stdout


def test_visible_cases_match_reference():
    stored = json.loads((SOURCE / "visible_cases.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(visible_cases_part2.visible_cases()))


def test_visible_seeds_differ_from_hidden():
    from helpers.assignments import dinosaur_names

    hidden = {case["seed"] for case in dinosaur_names.DEFAULT_HIDDEN_CASES}
    config = Course().config().GradeFunctions.hidden_cases["dinosaur_names"]
    hidden |= {case["seed"] for case in config}
    assert not hidden & {1, 2, 3, 5, 6}


def test_student_files_run_on_python_310_syntax():
    for name in ("char_utils.py", "public_checks.py"):
        ast.parse(
            (RELEASE / name).read_text(encoding="utf-8"), name, feature_version=(3, 10)
        )


def test_images_have_alt_text():
    notebook = nbformat.read(str(RELEASE / f"{ASSIGNMENT}.ipynb"), as_version=4)
    text = "\n".join(
        cell.source for cell in notebook.cells if cell.cell_type == "markdown"
    )
    images = re.findall(r"!\[([^\]]*)\]\((images/[^)]+)\)", text)
    assert {path for _, path in images} == {
        "images/training_pair.png",
        "images/sampling.png",
        "images/smoothed_loss.png",
    }
    for alt, path in images:
        assert len(alt) > 40, path
        assert (RELEASE / path).is_file(), path
