#!/usr/bin/env python3
"""Set up the course's virtual environment, then run one of its commands.

    python3 run.py demo           build the release, autograde the sample class, print scores
    python3 run.py test [ARGS]    run the test suite (ARGS go to pytest)
    python3 run.py exec CMD ...   run any command inside the environment, e.g. nbgrader

The environment lives in .venv and is reinstalled when requirements.txt changes.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def venv_bin(name):
    return VENV / "bin" / name


def ensure_environment():
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest and venv_bin("python").exists():
        return
    if not venv_bin("python").exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing requirements.txt (first run only) ...", flush=True)
    pip = [str(venv_bin("python")), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(digest + "\n")


def environment():
    env = dict(os.environ)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def main(argv):
    if not argv or argv[0] not in ("demo", "test", "exec"):
        print(__doc__.strip())
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    python = str(venv_bin("python"))
    if command == "demo":
        args = [python, "-m", "helpers", "demo"] + rest
    elif command == "test":
        args = [python, "-m", "pytest"] + rest
    else:
        args = rest
    return subprocess.call(args, cwd=ROOT, env=environment())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
