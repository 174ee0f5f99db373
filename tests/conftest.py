"""Shared course copies: one autograde run grades every sample submission of a session."""

from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from helpers.assignments import rnn_step_by_step as part1
from helpers.course import Course
from helpers.grading import results
from helpers.grading.catalogue import load_catalogue
from helpers.samples import build, sample_class

import submissions_robustness

ASSIGNMENT = "rnn_step_by_step"
FUNCTIONS = [spec.name for spec in part1.FUNCTIONS]
POINTS = {spec.name: spec.points for spec in part1.FUNCTIONS}
MISTAKES = load_catalogue(ASSIGNMENT)
ALTERNATIVES = build.alternatives()

# Short limits keep the fault cases fast; the course's defaults are far larger.
TEST_CONFIG = """
c.GradeFunctions.call_timeout = 10.0
c.GradeFunctions.cell_timeout = 10.0
c.GradeFunctions.memory_limit = 2 * 2**30
"""

ALTERNATIVE_HIDDEN_CASES = """
c.GradeFunctions.hidden_cases = {
    "rnn_step_by_step": [
        {"seed": 77, "n_x": 6, "n_a": 4, "n_y": 5, "m": 3, "T_x": 5},
        {"seed": 78, "n_x": 1, "n_a": 2, "n_y": 2, "m": 1, "T_x": 1},
        {"seed": 79, "n_x": 5, "n_a": 5, "n_y": 3, "m": 8, "T_x": 3},
    ],
}
"""


@dataclass
class GradedClass:
    course: Course
    rows: dict

    def scores(self, student):
        details = self.rows[student]["details"]
        return {name: details[name]["score"] for name in FUNCTIONS}

    def autograded(self, student):
        path = self.course.root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        return nbformat.read(str(path), as_version=4)

    def feedback_text(self, student, function):
        notebook = self.autograded(student)
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_" + function:
                return "".join(output.get("text", "") for output in cell.outputs)
        raise AssertionError(f"no test cell for {function}")

    def feedback_html(self, student):
        path = self.course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        return path.read_text(encoding="utf-8")


def mistake_student(mistake):
    return "mistake-" + mistake.id.replace(".", "-").replace("_", "-")


def alternative_student(key):
    return "alternative-" + key.replace("__", "-").replace("_", "-")


def make_course(root, extra_config="", assignment=ASSIGNMENT):
    course = Course.copy_of_repository(root)
    with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(TEST_CONFIG + extra_config)
    course.nbgrader("generate_assignment", assignment, "--force")
    return course


def grade_all(course, notebooks, raw_files=None, env=None, assignment=ASSIGNMENT):
    for student, notebook in notebooks.items():
        sample_class.write_submission(course, student, notebook, assignment)
    for student, text in (raw_files or {}).items():
        directory = course.submission_dir(student, assignment)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{assignment}.ipynb").write_bytes(text)
    # A failed student makes nbgrader exit non-zero after grading the rest.
    course.nbgrader("autograde", assignment, "--force", check=False, env=env)
    rows = {row["student"]: row for row in results.load(course.database_url(), assignment)}
    return GradedClass(course, rows)


@pytest.fixture(scope="session")
def release_and_source(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("release") / "course")
    release = build.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return release, source


@pytest.fixture(scope="session")
def graded(tmp_path_factory, release_and_source):
    """The catalogue, the alternatives and every robustness case, graded in one run."""
    release, source = release_and_source
    course = make_course(tmp_path_factory.mktemp("graded") / "course")
    notebooks = {
        "full": build.full_solution(release, source),
        "independent": build.with_functions(release, source, build.independent_solution()),
        "untouched": release,
    }
    for mistake in MISTAKES:
        notebooks[mistake_student(mistake)] = build.with_mistake(release, source, mistake)
    for key, (name, text) in ALTERNATIVES.items():
        notebooks[alternative_student(key)] = build.with_functions(release, source, {name: text})
    robust, raw = submissions_robustness.build_all(release, source, course)
    notebooks.update(robust)
    for student, (name, target) in submissions_robustness.SYMLINKS.items():
        directory = course.submission_dir(student, ASSIGNMENT)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / name).symlink_to(Path(__file__).resolve().parent.parent / target)
    # The C locale: non-ASCII notebooks must still grade and render.
    graded = grade_all(course, notebooks, raw, env={"LANG": "C", "LC_ALL": "C"})
    course.nbgrader(
        "generate_feedback", ASSIGNMENT, "--force", check=False, env={"LC_ALL": "C.UTF-8"}
    )
    return graded


@pytest.fixture(scope="session")
def graded_other_cases(tmp_path_factory, release_and_source):
    """The full solution and the catalogue, graded with other hidden seeds and sizes."""
    release, source = release_and_source
    course = make_course(tmp_path_factory.mktemp("other") / "course", ALTERNATIVE_HIDDEN_CASES)
    notebooks = {"full": build.full_solution(release, source)}
    for mistake in MISTAKES:
        notebooks[mistake_student(mistake)] = build.with_mistake(release, source, mistake)
    notebooks["non-ascii"] = submissions_robustness.build_all(release, source, course)[0]["non-ascii"]
    return grade_all(course, notebooks, env={"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
