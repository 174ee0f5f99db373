"""A course directory on disk, and the nbgrader commands an instructor runs in it."""

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE_FILES = ("nbgrader_config.py", "source", "release")

log = logging.getLogger(__name__)


class NbgraderFailed(RuntimeError):
    """An nbgrader command exited with an error; the message names its log file."""


class Course:
    """The course rooted at ``root`` (a directory holding nbgrader_config.py)."""

    def __init__(self, root=REPOSITORY, db_url=None):
        self.root = Path(root).resolve()
        self.db_url = db_url

    @classmethod
    def copy_of_repository(cls, root, db_url=None):
        """Create a fresh course at ``root`` with the repository's config, source and release."""
        root = Path(root)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        for name in COURSE_FILES:
            source = REPOSITORY / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            else:
                shutil.copy(source, root / name)
        return cls(root, db_url)

    def config(self):
        loader = PyFileConfigLoader("nbgrader_config.py", path=str(self.root))
        return loader.load_config()

    def database_url(self):
        if self.db_url:
            return self.db_url
        environment_url = os.environ.get("RNN_COURSE_DB_URL")
        if environment_url:
            return environment_url
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def environment(self):
        env = dict(os.environ)
        bin_dir = str(Path(sys.executable).parent)
        env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
        env["RNN_COURSE_DB_URL"] = self.database_url()
        return env

    def nbgrader(self, *args, log_name=None, check=True, env=None):
        """Run ``nbgrader ARGS`` in the course directory, its output kept in logs/.

        ``env`` adds or replaces environment variables for this command.
        """
        logs = self.root / "logs"
        logs.mkdir(exist_ok=True)
        log_path = logs / f"{log_name or args[0]}.log"
        command = [sys.executable, "-m", "nbgrader", *map(str, args)]
        with open(log_path, "ab") as handle:
            process = subprocess.run(
                command,
                cwd=self.root,
                env=dict(self.environment(), **(env or {})),
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        if check and process.returncode != 0:
            raise NbgraderFailed(f"nbgrader {' '.join(map(str, args))} failed: see {log_path}")
        return process.returncode

    def submission_dir(self, student, assignment):
        return self.root / "submitted" / student / assignment
