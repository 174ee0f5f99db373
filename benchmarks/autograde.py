"""Time whole-class autograding: nbgrader's sequential run against the parallel runner.

Run from the repository root (about 5 minutes per round on 2 cores):

    python3 run.py exec python benchmarks/autograde.py [--students 50] [--repeat 2]
        [--directory DIR]

It copies the course, with its real nbgrader_config.py (sandbox on, 60 s per
call), to DIR (a temporary folder by default). There it writes a class of
--students submissions built by helpers/samples: the full solution, the
independent solution and every catalogued mistake, in turn. Then it grades the
whole class with --force in each mode, --repeat times in turn:

- ``nbgrader autograde`` (sequential, one process);
- ``python -m helpers autograde --workers 1`` and ``--workers 2``;
- plain execution of each submission notebook with nbclient, without grading.

It prints one table with each mode's fastest time, the seconds per submission
and the throughput relative to nbgrader. It checks that every grading run
stored the same scores and statuses, and prints the plain execution time of the
source notebook and the reference implementation's time per call of the
slowest graded function. It exits with status 1 if the scores differ.
"""

import argparse
import copy
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from helpers import report  # noqa: E402
from helpers.assignments import rnn_step_by_step as part1  # noqa: E402
from helpers.course import Course  # noqa: E402
from helpers.grading.catalogue import load_catalogue  # noqa: E402
from helpers.grading.grade import run_reference  # noqa: E402
from helpers.samples import build, sample_class  # noqa: E402

ASSIGNMENT = "rnn_step_by_step"
TARGET_RATIO = (
    1.8  # the 2-worker run must grade at least this much faster than nbgrader
)
PLAIN_TIMEOUT = 600  # seconds nbclient lets one cell run


def class_notebooks(course, count):
    """Map student id -> notebook: full and independent solutions, then each mistake."""
    release = build.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    kinds = [
        ("full-solution", build.full_solution(release, source)),
        (
            "independent-solution",
            build.with_functions(release, source, build.independent_solution()),
        ),
    ]
    for mistake in load_catalogue(ASSIGNMENT):
        kinds.append(
            (
                f"mistake-{mistake.id.replace('.', '-')}",
                build.with_mistake(release, source, mistake),
            )
        )
    notebooks = {}
    for number in range(count):
        name, notebook = kinds[number % len(kinds)]
        round_number = number // len(kinds)
        notebooks[name if round_number == 0 else f"{name}-{round_number + 1}"] = (
            notebook
        )
    return notebooks


def run_timed(command, course, cwd):
    """Run ``command`` with the course's environment; return its wall-clock seconds."""
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=cwd,
        env=course.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seconds = time.monotonic() - started
    log = (
        course.root
        / "logs"
        / f"benchmark-{len(list((course.root / 'logs').glob('benchmark-*')))}.log"
    )
    log.write_text(
        " ".join(map(str, command)) + "\n" + completed.stdout, encoding="utf-8"
    )
    return seconds, completed.returncode, log


def grades_snapshot(course):
    """Per student: status, reason, total and points per function, as stored."""
    functions = [spec.name for spec in part1.FUNCTIONS]
    snapshot = {}
    for row in report.class_grades(course.database_url(), ASSIGNMENT):
        keys = ["status", "reason", "total", *functions]
        snapshot[row["student"]] = {key: row[key] for key in keys}
    return snapshot


def execute_plainly(course, notebooks):
    """Execute each submission with nbclient in a folder holding the release's files."""
    release = course.root / "release" / ASSIGNMENT
    started = time.monotonic()
    for student, notebook in notebooks.items():
        folder = course.root / "plain" / student
        shutil.copytree(release, folder, dirs_exist_ok=True)
        execute_notebook(copy.deepcopy(notebook), folder)
    return time.monotonic() - started


def execute_notebook(notebook, folder):
    client = NotebookClient(
        notebook,
        timeout=PLAIN_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    # The kernel's own warnings (ipykernel warns about unencrypted TCP) are noise here.
    client.execute(stderr=subprocess.DEVNULL)


def source_execution_seconds(course):
    source = course.root / "source" / ASSIGNMENT
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(source, folder, dirs_exist_ok=True)
        notebook = nbformat.read(
            str(Path(folder) / f"{ASSIGNMENT}.ipynb"), as_version=4
        )
        started = time.monotonic()
        execute_notebook(notebook, folder)
        return time.monotonic() - started


def slowest_reference_function(course, repeats=20):
    """Time the reference on the grader's cases; return the slowest function's times.

    Returns (name, seconds per call, seconds for all its cases, number of cases).
    ``call_timeout`` bounds all calls of one student function together, so the
    time for all cases is the one to compare with it.
    """
    hidden = course.config().GradeFunctions.hidden_cases[ASSIGNMENT]
    timings = {}
    for spec in part1.FUNCTIONS:
        cases = spec.make_cases(hidden)
        started = time.perf_counter()
        for _ in range(repeats):
            for case in cases:
                run_reference(spec.reference, case.arguments)
        all_cases = (time.perf_counter() - started) / repeats
        timings[spec.name] = (all_cases / len(cases), all_cases, len(cases))
    name = max(timings, key=lambda key: timings[key][1])
    return (name, *timings[name])


def machine_description():
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"nproc {os.cpu_count()}, CPU {model}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, load average {os.getloadavg()[0]:.2f}"
    )


def format_table(rows, count):
    sequential = rows[0][1]
    lines = [
        "| mode | total (s) | s per submission | throughput vs nbgrader |",
        "| --- | ---: | ---: | ---: |",
    ]
    for mode, seconds in rows:
        lines.append(
            f"| {mode} | {seconds:.1f} | {seconds / count:.2f} "
            f"| {sequential / seconds:.2f}x |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--students", type=int, default=50, help="submissions in the class"
    )
    parser.add_argument(
        "--directory", help="course directory to create (default: temporary)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of all modes; the table keeps the fastest",
    )
    args = parser.parse_args(argv)

    root = Path(args.directory or tempfile.mkdtemp(prefix="rnn-benchmark-")) / "course"
    print(f"Machine: {machine_description()}", flush=True)
    course = Course.copy_of_repository(root)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    notebooks = class_notebooks(course, args.students)
    for student, notebook in notebooks.items():
        sample_class.write_submission(course, student, notebook)
    count = len(notebooks)
    print(f"Course: {course.root}, {count} submissions", flush=True)

    modes = [
        (
            "nbgrader autograde (sequential)",
            [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
            course.root,
        ),
    ]
    for workers in (1, 2):
        command = [
            sys.executable,
            "-m",
            "helpers",
            "autograde",
            ASSIGNMENT,
            "--course",
            str(course.root),
            "--workers",
            str(workers),
            "--force",
            "--no-progress",
        ]
        modes.append(
            (f"python -m helpers autograde --workers {workers}", command, REPOSITORY)
        )

    plain_mode = "nbclient, plain execution (no grading)"
    times = {mode: [] for mode, _, _ in modes}
    times[plain_mode] = []
    snapshots = {}
    # Each round runs every mode once, so a slow spell of the machine (other
    # processes) falls on all modes alike. The table keeps each mode's fastest run.
    for round_number in range(1, args.repeat + 1):
        for mode, command, cwd in modes:
            seconds, code, log = run_timed(command, course, cwd)
            print(
                f"round {round_number}, {mode}: {seconds:.1f} s (exit {code}, "
                f"output in {log})",
                flush=True,
            )
            times[mode].append(seconds)
            snapshots[f"{mode}, round {round_number}"] = grades_snapshot(course)
        seconds = execute_plainly(course, notebooks)
        print(f"round {round_number}, {plain_mode}: {seconds:.1f} s", flush=True)
        times[plain_mode].append(seconds)
    rows = [(mode, min(values)) for mode, values in times.items()]

    print()
    print(format_table(rows, count))
    ratio = rows[0][1] / rows[2][1]
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"\n2 workers vs nbgrader: {ratio:.2f}x (target {TARGET_RATIO}x: {verdict})")

    source_seconds = source_execution_seconds(course)
    name, per_call, all_cases, cases = slowest_reference_function(course)
    timeout = course.config().GradeFunctions.call_timeout
    print(f"Source notebook, plain nbclient execution: {source_seconds:.1f} s")
    print(
        f"Slowest graded function in the reference: {name}, "
        f"{per_call * 1000:.3f} ms per call, {all_cases * 1000:.3f} ms for its "
        f"{cases} graded cases; call_timeout ({timeout:g} s, for all calls of one "
        f"function) is {timeout / all_cases:,.0f}x that, far above 10x"
    )
    print(f"Machine at the end: {machine_description()}")

    reference = snapshots[f"{modes[0][0]}, round 1"]
    differing = [
        (mode, student)
        for mode, snapshot in snapshots.items()
        for student in sorted(set(reference) | set(snapshot))
        if snapshot.get(student) != reference.get(student)
    ]
    if differing:
        for mode, student in differing:
            print(
                f"DIFFERENT: {student} under {mode}: {snapshots[mode].get(student)} "
                f"vs nbgrader {reference.get(student)}"
            )
        return 1
    print(
        f"Scores and statuses identical across the {len(snapshots)} grading runs "
        f"({len(modes)} modes, {args.repeat} round(s)) for all {count} submissions."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
