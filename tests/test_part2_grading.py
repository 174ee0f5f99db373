"""Part 2 grades through real nbgrader autograde runs: catalogue, alternatives, faults.

Every submission except the full solution trains for 300 iterations instead of
the notebook's 8,000: the training cell is not graded, and the shorter run
keeps this suite within a few minutes.
"""

import concurrent.futures
import copy

import nbformat
import pytest

from conftest import grade_all, make_course
from helpers.assignments import dinosaur_names as part2
from helpers.course import REPOSITORY
from helpers.grading.catalogue import load_catalogue
from helpers.samples import build
from helpers.samples import part2 as samples

ASSIGNMENT = "dinosaur_names"
FUNCTIONS = [spec.name for spec in part2.FUNCTIONS]
POINTS = {spec.name: spec.points for spec in part2.FUNCTIONS}
MISTAKES = load_catalogue(ASSIGNMENT)
ALTERNATIVES = samples.alternatives()
# The full solution's training cell takes about 5 s, and model's hidden runs about
# 1 s of stubbed calls: room for a loaded machine over conftest's 10 s limits.
PART2_CONFIG = """
c.GradeFunctions.call_timeout = 30.0
c.GradeFunctions.cell_timeout = 60.0
"""
FULL_RUN = "model(names, char_to_ix, ix_to_char, num_iterations=8000)"
SHORT_RUN = "model(names, char_to_ix, ix_to_char, num_iterations=300)"

# A correct sampler that draws with np.random.multinomial instead of the
# prescribed np.random.choice: only the exact-indices check may fail.
OTHER_DRAW = """
def sample(parameters, char_to_ix, seed):
    p = parameters
    vocab_size, newline = p["by"].shape[0], char_to_ix["\\n"]
    x, a = np.zeros((vocab_size, 1)), np.zeros((p["Waa"].shape[0], 1))
    indices = []
    while len(indices) < 50:
        a = np.tanh(p["Wax"] @ x + p["Waa"] @ a + p["b"])
        y = softmax(p["Wya"] @ a + p["by"])
        np.random.seed(seed + len(indices))
        idx = int(np.argmax(np.random.multinomial(1, y.ravel())))
        indices.append(idx)
        if idx == newline:
            return indices
        x = np.zeros((vocab_size, 1))
        x[idx] = 1
    return indices + [newline]
"""

MODEL_EXITS = """
def model(names, char_to_ix, ix_to_char, num_iterations=8000, n_a=50,
          learning_rate=0.01, sample_every=2000, n_samples=5):
    import os
    if n_a != 50:  # the hidden cases, not the notebook's own training run
        os._exit(1)
    return None
"""

OPTIMIZE_PRINTS_INPUTS = """
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    if learning_rate != 0.01:  # the hidden cases, not the notebook's training run
        print("HIDDEN-X", X, "HIDDEN-RATE", learning_rate)
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, 5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[len(X)]
"""


def mistake_student(mistake):
    return "mistake-" + mistake.id.replace(".", "-").replace("_", "-")


def alternative_student(key):
    return "alternative-" + key.replace("__", "-").replace("_", "-")


def shortened(notebook):
    """A copy of ``notebook`` whose training cell runs 300 iterations."""
    notebook = copy.deepcopy(notebook)
    cells = [cell for cell in notebook.cells if FULL_RUN in cell.source]
    assert len(cells) == 1, "the training cell was not found"
    cells[0].source = cells[0].source.replace(FULL_RUN, SHORT_RUN)
    return notebook


class GradedGroups:
    """The rows of several course copies graded at the same time, by student."""

    def __init__(self, graded_classes):
        self.rows = {}
        self.course_of = {}
        for graded in graded_classes:
            self.rows.update(graded.rows)
            self.course_of.update({student: graded.course for student in graded.rows})


def grade_in_parallel(root, notebooks, groups=2):
    """Autograde ``notebooks`` split over ``groups`` course copies, one nbgrader each.

    nbgrader grades one student after another; two copies use both cores.
    """
    students = sorted(notebooks)
    courses = [
        make_course(root / f"course{index}", PART2_CONFIG, assignment=ASSIGNMENT)
        for index in range(groups)
    ]

    def grade(index):
        chosen = {student: notebooks[student] for student in students[index::groups]}
        graded = grade_all(courses[index], chosen, assignment=ASSIGNMENT)
        courses[index].nbgrader("generate_feedback", ASSIGNMENT, "--force", check=False)
        return graded

    with concurrent.futures.ThreadPoolExecutor(groups) as pool:
        return GradedGroups(list(pool.map(grade, range(groups))))


@pytest.fixture(scope="session")
def part2_graded(tmp_path_factory):
    """Every Part 2 sample submission, graded by real nbgrader autograde runs."""
    root = tmp_path_factory.mktemp("part2")
    release = build.read(REPOSITORY / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = REPOSITORY / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    def solution_with(functions):
        return shortened(build.with_functions(release, source, functions))

    notebooks = {
        "full": build.full_solution(release, source),
        "independent": solution_with(samples.independent_solution()),
        "untouched": release,
        "other-draw": solution_with({"sample": OTHER_DRAW.lstrip()}),
        "model-exits": solution_with({"model": MODEL_EXITS.lstrip()}),
        "optimize-prints": solution_with({"optimize": OPTIMIZE_PRINTS_INPUTS.lstrip()}),
    }
    for mistake in MISTAKES:
        notebooks[mistake_student(mistake)] = shortened(
            build.with_mistake(release, source, mistake)
        )
    for key, (name, text) in ALTERNATIVES.items():
        notebooks[alternative_student(key)] = solution_with({name: text})
    return grade_in_parallel(root, notebooks)


def scores(graded, student):
    details = graded.rows[student]["details"]
    return {name: details[name]["score"] for name in FUNCTIONS}


def student_dir(graded, step, student):
    return graded.course_of[student].root / step / student / ASSIGNMENT


def autograded(graded, student):
    path = student_dir(graded, "autograded", student) / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(str(path), as_version=4)


def feedback_text(graded, student, function):
    for cell in autograded(graded, student).cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_" + function:
            return "".join(output.get("text", "") for output in cell.outputs)
    raise AssertionError(f"no test cell for {function}")


def test_full_solution_full_marks(part2_graded):
    assert scores(part2_graded, "full") == POINTS
    assert part2_graded.rows["full"]["status"] == "graded"
    assert part2_graded.rows["full"]["max_score"] == 100


def test_full_solution_training_run_output(part2_graded):
    notebook = autograded(part2_graded, "full")
    text = "".join(
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    assert "Iteration 8000, smoothed loss" in text
    assert "Training run: smoothed loss" in text


def test_independent_solution_full_marks(part2_graded):
    assert scores(part2_graded, "independent") == POINTS


def test_untouched_release_scores_zero(part2_graded):
    assert part2_graded.rows["untouched"]["score"] == 0


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_loses_points_once(part2_graded, mistake):
    found = scores(part2_graded, mistake_student(mistake))
    assert found[mistake.function] < POINTS[mistake.function]
    for name in FUNCTIONS:
        if name != mistake.function:
            assert found[name] == POINTS[name], f"{name} lost points"


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_named_in_feedback(part2_graded, mistake):
    text = feedback_text(part2_graded, mistake_student(mistake), mistake.function)
    assert f"Likely cause: {mistake.message}" in text


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_recorded_for_instructor(part2_graded, mistake):
    details = part2_graded.rows[mistake_student(mistake)]["details"]
    assert details[mistake.function]["mistakes"] == [mistake.id]


@pytest.mark.parametrize("key", sorted(ALTERNATIVES))
def test_alternative_full_marks(part2_graded, key):
    assert scores(part2_graded, alternative_student(key)) == POINTS


def test_catalogue_and_alternatives_cover_every_function():
    assert len(MISTAKES) >= 12
    assert len(ALTERNATIVES) >= 6
    assert {m.function for m in MISTAKES} == set(FUNCTIONS)
    assert {name for name, _ in ALTERNATIVES.values()} == set(FUNCTIONS)


def test_other_draw_loses_only_exact_indices(part2_graded):
    found = scores(part2_graded, "other-draw")
    assert found["sample"] == POINTS["sample"] - 8
    assert {name: found[name] for name in FUNCTIONS if name != "sample"} == {
        name: POINTS[name] for name in FUNCTIONS if name != "sample"
    }
    checks = part2_graded.rows["other-draw"]["details"]["sample"]["checks"]
    failed = [check["name"] for check in checks if check["earned"] < check["points"]]
    assert failed == ["indices of the prescribed draw (seed + t, np.random.choice)"]


def test_kernel_death_costs_one_function(part2_graded):
    row = part2_graded.rows["model-exits"]
    assert row["status"] == "partly graded"
    assert scores(part2_graded, "model-exits") == dict(POINTS, model=0)
    assert "the kernel died" in feedback_text(part2_graded, "model-exits", "model")


def test_printed_hidden_inputs_never_shown(part2_graded):
    assert scores(part2_graded, "optimize-prints") == POINTS
    notebook = autograded(part2_graded, "optimize-prints")
    outputs = "".join(
        str(output) for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert "HIDDEN-X [None" not in outputs
    html_path = (
        student_dir(part2_graded, "feedback", "optimize-prints") / f"{ASSIGNMENT}.html"
    )
    html = html_path.read_text(encoding="utf-8")
    assert "HIDDEN-X [None" not in html


def test_check_points_sum_to_function_points(part2_graded):
    for name, record in part2_graded.rows["full"]["details"].items():
        total = sum(check["points"] for check in record["checks"])
        assert total == pytest.approx(POINTS[name])


def test_scores_are_plain_numbers_in_range(part2_graded):
    for row in part2_graded.rows.values():
        for name, record in row["details"].items():
            assert type(record["score"]) is float
            assert 0.0 <= record["score"] <= POINTS[name]
