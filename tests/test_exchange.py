"""The class workflow with real nbgrader apps and an exchange in temporary directories.

One class goes through every step that an instructor and the students take:

- release, fetch, and submit (with a resubmission and late work);
- collect with a due date, autograde, then feedback released and fetched;
- export, a manual score, and a regrade after a hidden case changed;
- the solution after the deadline.

A second class mixes exchange, hand-placed and zip-collected submissions, and its
feedback must still reach every student.

Students need no accounts. nbgrader 0.9.6 names a submission after the OS user
(``nbgrader.utils.get_username``: ``pwd.getpwuid(os.getuid())``, and
``JUPYTERHUB_USER`` only for the user "jovyan"), unless ``CourseDirectory.
student_id`` is set. Each student here has a home directory with the
nbgrader_config.py a hub would give, which takes the id from ``JUPYTERHUB_USER``,
and a Jupyter data directory of its own for nbgrader's submission cache.
"""

import base64
import csv
import html
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import ASSIGNMENT, FUNCTIONS, MISTAKES, make_course
from helpers import exchange, feedback_files, report
from helpers.course import REPOSITORY
from helpers.late_penalty import SECONDS_PER_DAY as DAY
from helpers.late_penalty import CourseLatePenalty, per_day_penalty
from helpers.samples import sample_class

COURSE_ID = "rnn-course"
MESSAGES = {mistake.id: mistake.message for mistake in MISTAKES}

COURSE_EXCHANGE = """
c.Exchange.root = {root!r}
# Every file here belongs to the one test user, whatever the student id.
c.ExchangeCollect.check_owner = False
"""

STUDENT_CONFIG = """import os
c = get_config()
c.CourseDirectory.course_id = {course!r}
c.Exchange.root = {root!r}
# What a hub gives each student: the id comes from the hub's user name.
c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
"""

ROSTER = [
    # id, first name, last name, Canvas user id
    ("alice", "Alice", "Archer", "1001"),
    ("bob", "Bob", "Baker", "1002"),
    ("carol", "Carol", "Chen", "1003"),
    ("dave", "Dave", "Diaz", "1004"),
    ("erin", "Erin", "Evans", ""),
]


class Student:
    """One student's machine: a home directory, a Jupyter data dir, a hub config."""

    def __init__(self, base, name, course, exchange_root):
        self.name = name
        self.home = base / "home" / name
        self.data = self.home / ".local" / "share" / "jupyter"
        self.home.mkdir(parents=True)
        (self.home / "nbgrader_config.py").write_text(
            STUDENT_CONFIG.format(course=COURSE_ID, root=str(exchange_root)),
            encoding="utf-8",
        )
        env = dict(course.environment())
        env.pop("RNN_COURSE_DB_URL", None)
        env.update(
            HOME=str(self.home),
            JUPYTERHUB_USER=name,
            JUPYTER_DATA_DIR=str(self.data),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
        )
        self.env = env

    def nbgrader(self, *args, check=True):
        process = subprocess.run(
            [sys.executable, "-m", "nbgrader", *map(str, args)],
            cwd=self.home,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check:
            assert (
                process.returncode == 0
            ), f"{self.name}: nbgrader {args}:\n{process.stderr}"
        return process

    @property
    def cache(self):
        return self.data / "nbgrader_cache" / COURSE_ID

    def submit(self, notebook, assignment=ASSIGNMENT):
        """Save ``notebook`` as the student's work, submit it, return its timestamp."""
        nbformat.write(notebook, str(self.home / assignment / f"{assignment}.ipynb"))
        before = set(os.listdir(self.cache)) if self.cache.exists() else set()
        self.nbgrader("submit", assignment)
        (entry,) = set(os.listdir(self.cache)) - before
        return (self.cache / entry / "timestamp.txt").read_text()

    def feedback_pages(self, assignment=ASSIGNMENT):
        return sorted((self.home / assignment / "feedback").glob("*/*.html"))


def helpers_cli(course, *args):
    """Run ``python -m helpers ARGS --course COURSE`` as an instructor would."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers",
            *map(str, args),
            "--course",
            str(course.root),
        ],
        cwd=REPOSITORY,
        env=course.environment(),
        capture_output=True,
        text=True,
    )


def in_parallel(tasks):
    """Run independent student commands two at a time (the machine has two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()


def utc_text(moment):
    return f"{moment:%Y-%m-%d %H:%M:%S.%f} UTC"


def page_text(path):
    return html.unescape(path.read_text(encoding="utf-8"))


@dataclass
class Flow:
    course: object
    base: Path
    students: dict
    timestamps: dict  # student -> timestamps of their submissions, in order
    due: datetime  # naive UTC
    notebooks: dict

    def rows(self):
        return {
            r["student"]: r
            for r in report.class_grades(self.course.database_url(), ASSIGNMENT)
        }


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """A class of five taken from release to fetched feedback and export."""
    base = tmp_path_factory.mktemp("exchange")
    exchange_root = base / "exchange"
    course = make_course(
        base / "course", COURSE_EXCHANGE.format(root=str(exchange_root))
    )
    notebooks = sample_class.submissions(course)
    roster = base / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "lms_user_id"])
        writer.writerows(ROSTER)
    course.nbgrader("db", "student", "import", roster, log_name="db")
    course.nbgrader("release_assignment", ASSIGNMENT)

    students = {name: Student(base, name, course, exchange_root) for name, *_ in ROSTER}
    in_parallel(
        lambda s=s: s.nbgrader("fetch_assignment", ASSIGNMENT)
        for s in students.values()
    )
    stamps = {name: [] for name in students}

    def work(name, *keys):
        return lambda: stamps[name].extend(
            students[name].submit(notebooks[k]) for k in keys
        )

    in_parallel(
        [
            work("bob", "untouched_release", "hardcoded_n_a"),  # resubmitted on time
            work("alice", "full_solution"),
            work("dave", "yt_pred_from_a_prev"),
        ]
    )
    # The deadline passes: everything submitted from here on is late.
    due = datetime.now(timezone.utc)
    time.sleep(0.05)
    course.nbgrader(
        "db",
        "assignment",
        "add",
        ASSIGNMENT,
        f"--duedate={utc_text(due)}",
        log_name="db",
    )
    in_parallel([work("bob", "full_solution"), work("carol", "rnn_forward_from_zeros")])

    course.nbgrader("collect", ASSIGNMENT)
    course.nbgrader("autograde", ASSIGNMENT)
    course.nbgrader("generate_feedback", ASSIGNMENT)
    course.nbgrader("release_feedback", ASSIGNMENT)
    in_parallel(
        lambda n=n: students[n].nbgrader("fetch_feedback", ASSIGNMENT)
        for n in ("alice", "bob", "carol", "dave")
    )
    course.nbgrader("export", "--to", base / "export.csv")
    return Flow(course, base, students, stamps, due.replace(tzinfo=None), notebooks)


def test_students_fetch_release(flow):
    release = flow.course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student in flow.students.values():
        fetched = student.home / ASSIGNMENT
        assert (fetched / "rnn_utils.py").exists()
        assert (fetched / "images").is_dir()
    erin = flow.students["erin"].home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert erin.read_bytes() == release.read_bytes()


def test_submissions_named_by_student_id(flow):
    inbound = flow.course.root.parent / "exchange" / COURSE_ID / "inbound"
    owners = sorted(name.split("+")[0] for name in os.listdir(inbound))
    assert owners == ["alice", "bob", "bob", "bob", "carol", "dave"]


def test_latest_on_time_version_is_collected(flow):
    submitted = flow.course.submission_dir("bob", ASSIGNMENT)
    first, on_time, late = flow.timestamps["bob"]
    assert (submitted / "timestamp.txt").read_text() == on_time
    collected = nbformat.read(str(submitted / f"{ASSIGNMENT}.ipynb"), as_version=4)
    sources = [cell.source for cell in collected.cells]
    assert sources == [cell.source for cell in flow.notebooks["hardcoded_n_a"].cells]
    assert sources != [cell.source for cell in flow.notebooks["full_solution"].cells]
    row = flow.rows()["bob"]
    assert not row["late"]
    assert row["penalty"] == 0
    assert row["rnn_cell_forward"] < 10
    assert row["total"] < 100


def test_late_work_flagged_and_penalised(flow):
    rows = flow.rows()
    carol = rows["carol"]
    assert carol["late"]
    assert carol["status"] == "graded"
    earned = sum(carol[name] for name in FUNCTIONS)
    with Gradebook(flow.course.database_url()) as gradebook:
        seconds = gradebook.find_submission(ASSIGNMENT, "carol").total_seconds_late
    assert seconds > 0
    expected = per_day_penalty(earned, seconds, 10.0)
    assert expected > 0
    assert carol["penalty"] == pytest.approx(expected)
    assert carol["total"] == pytest.approx(earned - expected)
    for name in ("alice", "bob", "dave"):
        assert not rows[name]["late"]
        assert rows[name]["penalty"] == 0


@pytest.mark.parametrize(
    "score, seconds, grace, expected",
    [
        (90.0, 1, 0, 9.0),  # a started day
        (90.0, DAY, 0, 9.0),
        (90.0, DAY + 1, 0, 18.0),
        (90.0, 11 * DAY, 0, 90.0),  # never more than the score
        (0.0, DAY, 0, 0.0),
        (90.0, 300, 600, 0.0),  # within the grace period
        (90.0, 0, 0, 0.0),
    ],
)
def test_per_day_penalty_cases(score, seconds, grace, expected):
    assert per_day_penalty(score, seconds, 10.0, grace) == pytest.approx(expected)


def test_late_policy_zero_and_none():
    zero = CourseLatePenalty(penalty_method="zero")
    none = CourseLatePenalty(penalty_method="none")
    assert zero.late_submission_penalty("carol", 80.0, 5.0) == 80.0
    assert none.late_submission_penalty("carol", 80.0, 5.0) is None


def test_student_without_submission_is_missing(flow):
    erin = flow.rows()["erin"]
    assert erin["status"] == "missing"
    assert erin["total"] == 0


def test_export_matches_gradebook(flow):
    with open(flow.base / "export.csv", newline="", encoding="utf-8") as handle:
        exported = {row["student_id"]: row for row in csv.DictReader(handle)}
    rows = flow.rows()
    assert set(exported) == set(rows)
    for student, row in rows.items():
        assert float(exported[student]["score"]) == pytest.approx(row["total"])
    assert float(exported["carol"]["late_submission_penalty"]) == pytest.approx(
        rows["carol"]["penalty"]
    )
    assert exported["bob"]["timestamp"].startswith(flow.timestamps["bob"][1][:19])


def test_students_fetch_own_feedback(flow):
    expected = {
        "alice": None,
        "bob": "rnn_cell_forward.hardcoded_size",
        "carol": "rnn_forward.starts_from_zeros",
        "dave": "rnn_cell_forward.yt_from_a_prev",
    }
    collected = {"alice": 0, "bob": 1, "carol": 0, "dave": 0}
    for name, mistake in expected.items():
        pages = flow.students[name].feedback_pages()
        assert len(pages) == 1, name
        assert pages[0].parent.name == flow.timestamps[name][collected[name]]
        text = page_text(pages[0])
        for other in expected.values():
            if other:
                assert (MESSAGES[other] in text) == (other == mistake), (name, other)
    assert flow.students["erin"].feedback_pages() == []


def test_manual_score_survives_autograde(flow):
    db_url = flow.course.database_url()
    with Gradebook(db_url) as gradebook:  # what formgrader's grade API does
        grade = gradebook.find_grade(
            "test_rnn_cell_forward", ASSIGNMENT, ASSIGNMENT, "dave"
        )
        auto = grade.auto_score
        grade.manual_score = 6.5
        grade.needs_manual_grade = False
        gradebook.db.commit()
    flow.course.nbgrader(
        "autograde",
        ASSIGNMENT,
        "--student",
        "dave",
        "--force",
        log_name="autograde-dave",
    )
    with Gradebook(db_url) as gradebook:
        grade = gradebook.find_grade(
            "test_rnn_cell_forward", ASSIGNMENT, ASSIGNMENT, "dave"
        )
        assert grade.manual_score == 6.5
        assert grade.auto_score == auto
        assert grade.score == 6.5
    assert flow.rows()["dave"]["rnn_cell_forward"] == 6.5


# Every case has n_a = 5: the hard-coded size in bob's rnn_cell_forward now fits.
NEW_HIDDEN_CASES = """
c.GradeFunctions.hidden_cases = {
    "rnn_step_by_step": [
        {"seed": 3101, "n_x": 3, "n_a": 5, "n_y": 2, "m": 10, "T_x": 4},
        {"seed": 4711, "n_x": 4, "n_a": 5, "n_y": 3, "m": 1, "T_x": 1},
        {"seed": 5923, "n_x": 2, "n_a": 5, "n_y": 4, "m": 6, "T_x": 7},
    ],
}
"""


def test_regrade_lists_changed_students(flow):
    course = flow.course
    before = flow.rows()
    with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(NEW_HIDDEN_CASES)
    process = helpers_cli(course, "regrade", ASSIGNMENT)
    assert process.returncode == 0, process.stderr
    after = flow.rows()

    def points(row):
        return [row[name] for name in FUNCTIONS] + [row["total"], row["status"]]

    moved = {s for s in after if points(after[s]) != points(before[s])}
    assert "bob" in moved
    assert "alice" not in moved
    reports = sorted((course.root / "reports").glob(f"regrade-{ASSIGNMENT}-*.txt"))
    assert len(reports) == 1
    stored = reports[0].read_text(encoding="utf-8")
    assert stored.strip() in process.stdout
    listed = {
        line.split(":")[0].strip()
        for line in stored.splitlines()[1:]
        if line.startswith("  ") and "total" in line
    }
    assert listed == moved
    assert f"bob: total {before['bob']['total']:g} -> 100" in stored


def test_solution_released_after_deadline(flow):
    course, alice = flow.course, flow.students["alice"]
    with pytest.raises(exchange.NotYetDue, match="is due"):
        exchange.release_solution(
            course, ASSIGNMENT, now=flow.due - timedelta(minutes=1)
        )
    with Gradebook(course.database_url()) as gradebook:
        gradebook.grant_extension(ASSIGNMENT, "carol", days=2)
    early = helpers_cli(course, "release-solution", ASSIGNMENT)
    assert early.returncode == 1
    assert "extensions included" in early.stdout
    with Gradebook(course.database_url()) as gradebook:
        gradebook.grant_extension(ASSIGNMENT, "carol")  # no extension
    process = helpers_cli(course, "release-solution", ASSIGNMENT)
    assert process.returncode == 0, process.stdout + process.stderr
    alice.nbgrader("fetch_assignment", ASSIGNMENT + "_solution")
    path = alice.home / (ASSIGNMENT + "_solution") / f"{ASSIGNMENT}.ipynb"
    solution = nbformat.read(str(path), as_version=4)
    sources = "\n".join(cell.source for cell in solution.cells)
    assert "a_next = np.tanh(" in sources
    for case in flow.course.config().GradeFunctions.hidden_cases[ASSIGNMENT]:
        assert str(case["seed"]) not in sources  # nothing of the hidden cases


# A class of mixed origins: two through the exchange, one placed by hand, two
# from an LMS zip (one with a timestamp in the file name, one without).
EXCHANGE_STUDENTS = {"ann": "full_solution", "ben": "dba_wrong_axis"}
HAND_STUDENTS = {"hal": "stacking_xt_first"}
ZIP_STUDENTS = {
    "zoe": ("lstm_forward_c_aliases_a", "_20260101T120000Z"),
    "zed": ("lstm_backward_no_carry", ""),
}
ZIP_CONFIG = r"""
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[a-z]+)__(?P<file_id>[a-z_]+?)"
    r"(_(?P<timestamp>\d{8}T\d{6}Z))?\.ipynb"
)
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    base = tmp_path_factory.mktemp("mixed")
    exchange_root = base / "exchange"
    course = make_course(
        base / "course", COURSE_EXCHANGE.format(root=str(exchange_root)) + ZIP_CONFIG
    )
    notebooks = sample_class.submissions(course)
    course.nbgrader("release_assignment", ASSIGNMENT)
    students = {
        name: Student(base, name, course, exchange_root) for name in EXCHANGE_STUDENTS
    }

    def fetch_and_submit(name):
        students[name].nbgrader("fetch_assignment", ASSIGNMENT)
        students[name].submit(notebooks[EXCHANGE_STUDENTS[name]])

    in_parallel(lambda n=n: fetch_and_submit(n) for n in students)
    course.nbgrader("collect", ASSIGNMENT)
    for name, key in HAND_STUDENTS.items():
        sample_class.write_submission(course, name, notebooks[key])
    archive = course.root / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "lms_download.zip", "w") as bundle:
        for name, (key, stamp) in ZIP_STUDENTS.items():
            bundle.writestr(
                f"{name}__{ASSIGNMENT}{stamp}.ipynb", nbformat.writes(notebooks[key])
            )
    course.nbgrader("zip_collect", ASSIGNMENT)
    course.nbgrader("autograde", ASSIGNMENT)
    course.nbgrader("generate_feedback", ASSIGNMENT)
    return course, students, base


def test_zip_collect_places_lms_submissions(mixed):
    course, _, _ = mixed
    for name in ZIP_STUDENTS:
        assert (
            course.submission_dir(name, ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"
        ).exists()
    assert (course.submission_dir("zoe", ASSIGNMENT) / "timestamp.txt").exists()
    rows = {
        r["student"]: r for r in report.class_grades(course.database_url(), ASSIGNMENT)
    }
    assert {name for name, row in rows.items() if row["status"] == "graded"} == {
        "ann",
        "ben",
        "hal",
        "zoe",
        "zed",
    }


def test_upstream_release_feedback_hand_submission(mixed):
    course, _, _ = mixed
    code = course.nbgrader(
        "release_feedback", ASSIGNMENT, check=False, log_name="upstream"
    )
    assert code != 0
    log = (course.root / "logs" / "upstream.log").read_text(encoding="utf-8")
    assert "FileNotFoundError" in log
    assert "timestamp.txt" in log or "submission_secret.txt" in log


def test_release_feedback_reaches_exchange_students(mixed):
    course, students, _ = mixed
    outbound = course.root.parent / "exchange" / COURSE_ID / "feedback"
    shutil.rmtree(outbound, ignore_errors=True)  # whatever upstream managed to copy
    process = helpers_cli(course, "release-feedback", ASSIGNMENT)
    assert process.returncode == 0, process.stderr
    assert "to 2 student(s): ann, ben" in process.stdout
    for name in (*HAND_STUDENTS, *ZIP_STUDENTS):
        assert f"  {name}: not submitted through the exchange" in process.stdout
    assert "feedback-files" in process.stdout
    for name, key in EXCHANGE_STUDENTS.items():
        students[name].nbgrader("fetch_feedback", ASSIGNMENT)
        (page,) = students[name].feedback_pages()
        assert "Likely cause" in page_text(page) or key == "full_solution"


def test_feedback_files_one_page_per_student(mixed):
    course, _, base = mixed
    out = base / "lms_upload"
    process = helpers_cli(course, "feedback-files", ASSIGNMENT, "--out", out)
    assert process.returncode == 0, process.stderr
    everyone = {
        **EXCHANGE_STUDENTS,
        **HAND_STUDENTS,
        **{name: key for name, (key, _) in ZIP_STUDENTS.items()},
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.html" for n in everyone
    )
    figures = {
        path.read_bytes()
        for path in (course.root / "release" / ASSIGNMENT).rglob("*.png")
    }
    for name, key in everyone.items():
        raw = (out / f"{name}.html").read_text(encoding="utf-8")
        embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', raw)
        assert {base64.b64decode(data) for data in embedded} == figures
        assert 'src="images/' not in raw
        assert "<script src" not in raw
        mistake = sample_class.MISTAKE_STUDENTS.get(key)
        if mistake:
            assert MESSAGES[mistake] in html.unescape(raw), name


def test_feedback_files_embed_own_images_only(tmp_path):
    page_dir = tmp_path / "feedback" / "mallory" / ASSIGNMENT
    (page_dir / "images").mkdir(parents=True)
    (page_dir / "images" / "ok.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.png").write_bytes(b"course secret")
    page = page_dir / f"{ASSIGNMENT}.html"
    page.write_text(
        '<html><body><img src="images/ok.png"><img alt="x" src="../../../secret.png">'
        '<img src="https://example.invalid/a.png"></body></html>',
        encoding="utf-8",
    )
    text = feedback_files.self_contained(page, f"mallory/{ASSIGNMENT}")
    assert "data:image/png;base64,iVBORyBmYWtl" in text
    assert '<img alt="x" src=""' in text
    assert "Y291cnNlIHNlY3JldA" not in text  # the secret file, in base64
    assert 'src="https://example.invalid/a.png"' in text
