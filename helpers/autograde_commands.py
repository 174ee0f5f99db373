"""Instructor commands that autograde a whole class in parallel.

``python -m helpers autograde`` uses worker processes on this machine;
``python -m helpers autograde-cluster`` uses Dask workers on several hosts.
``helpers.cli`` adds both with ``add_commands``. Both exit with status 1 when
the grader itself failed for some student, so a script can run them again.
"""

from .assignments import ASSIGNMENTS
from .course import REPOSITORY


def _check_assignment(assignment):
    if assignment not in ASSIGNMENTS:
        known = ", ".join(sorted(ASSIGNMENTS))
        raise SystemExit(f"Unknown assignment {assignment!r}: the course has {known}.")


def command_autograde(args):
    """Autograde every new or changed submission with processes on this machine."""
    from . import batch, database, parallel

    _check_assignment(args.assignment)
    try:
        result = parallel.autograde(
            args.course,
            args.assignment,
            workers=args.workers,
            force=args.force,
            progress=not args.no_progress,
            students=args.student,
        )
    except (database.GradebookNotReady, batch.NoSubmission) as error:
        raise SystemExit(f"Cannot autograde: {error}") from None
    print(batch.format_summary(result, args.course))
    return 1 if result.crashed else 0


def command_autograde_cluster(args):
    """Autograde every new or changed submission on a Dask cluster (several hosts)."""
    from distributed import Client

    from . import batch, database, distributed

    _check_assignment(args.assignment)
    try:
        client = Client(args.scheduler, timeout=distributed.CONNECT_SECONDS)
    except OSError as error:  # refused, timed out or not resolvable
        raise SystemExit(
            f"Cannot reach the Dask scheduler at {args.scheduler}: {error}. Start it "
            f"with `dask scheduler` (see the README) and check the address."
        ) from None
    try:
        with client:
            result = distributed.autograde_cluster(
                args.course,
                args.assignment,
                client=client,
                force=args.force,
                progress=not args.no_progress,
                students=args.student,
            )
    except (database.GradebookNotReady, batch.NoSubmission) as error:
        raise SystemExit(f"Cannot autograde: {error}") from None
    print(batch.format_summary(result, args.course))
    return 1 if result.crashed else 0


def worker_count(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add_commands(commands, default_assignment):
    """Add the autograde commands to the ``python -m helpers`` subparsers."""
    from .parallel import default_workers

    local = commands.add_parser("autograde", help=command_autograde.__doc__)
    local.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        help=f"worker processes, each grading one student at a time "
        f"(default: the number of cores, {default_workers()} here)",
    )
    local.set_defaults(run=command_autograde)

    cluster = commands.add_parser(
        "autograde-cluster", help=command_autograde_cluster.__doc__
    )
    cluster.add_argument(
        "--scheduler",
        required=True,
        help="Dask scheduler address, as tcp://HOST:PORT (`dask scheduler` prints it)",
    )
    cluster.set_defaults(run=command_autograde_cluster)

    for sub in (local, cluster):
        sub.add_argument("assignment", nargs="?", default=default_assignment)
        sub.add_argument("--course", default=str(REPOSITORY), help="course directory")
        sub.add_argument(
            "--force",
            action="store_true",
            help="grade every submission again, even those graded since their change",
        )
        sub.add_argument(
            "--student",
            action="append",
            metavar="ID",
            help="grade only this student (repeat for several)",
        )
        sub.add_argument(
            "--no-progress", action="store_true", help="do not show the progress bar"
        )
