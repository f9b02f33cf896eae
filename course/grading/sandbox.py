"""Where submissions run: inside bubblewrap when it works, otherwise plain process isolation.

With bubblewrap (``bwrap``, Linux; ``apt-get install bubblewrap``) each zygote runs in a sandbox
that sees the system, Python and the ``course`` package read-only, a private writable scratch
folder and a private ``/tmp``, and nothing else: not the solutions, not the gradebook or the
output folder, not the submissions, not the home folder. It has no network (``--unshare-all``),
an unprivileged user with no capabilities, a cleared environment and its own PID namespace,
and it dies with the grader.

Without bubblewrap (or with ``--sandbox none``) the same zygote runs as a plain process with
the same minimal environment, limits and scratch working folder, but it CAN read and write any
file the grading user can: the run says so plainly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Where the scratch folder appears inside the sandbox.
SANDBOX_SCRATCH = "/scratch"
SANDBOX_TMP = "/tmp"
#: The only environment variables a submission sees (HOME and TMPDIR are its scratch folder).
ENV_NAMES = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "USER", "LOGNAME", "MPLBACKEND",
             "MPLCONFIGDIR", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "PYTHONDONTWRITEBYTECODE", "PYDEVD_DISABLE_FILE_VALIDATION")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
             "/etc/alternatives", "/etc/fonts", "/etc/mime.types")

NO_SANDBOX_WARNING = (
    "NO SANDBOX: {why}. Submissions run as separate processes with time and memory limits, "
    "a scratch working folder and a minimal environment, but they CAN read and write any file "
    "this user can (the solutions and the gradebook included). Install bubblewrap "
    "(e.g. `apt-get install bubblewrap`) to sandbox them.")


@dataclass(frozen=True)
class Sandbox:
    """The isolation a run uses: ``kind`` is ``"bubblewrap"`` or ``"none"``; ``description``
    is the plain sentence printed in the output and stored in the gradebook's run record."""

    kind: str
    description: str
    bwrap: str | None = None
    extra_args: tuple[str, ...] = ()

    @property
    def sandboxed(self) -> bool:
        return self.kind == "bubblewrap"


def minimal_env(home: str, mplconfig: str) -> dict[str, str]:
    """The whole environment of a zygote and its children."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "USER": "student",
        "LOGNAME": "student",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": mplconfig,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def python_dirs() -> list[str]:
    """Folders the interpreter, its standard library, the venv and the course package live in."""
    import course

    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
            str(Path(sys.executable).resolve().parent.parent),
            str(Path(course.__file__).resolve().parent)}
    return sorted(d for d in dirs if d and Path(d).is_dir())


def _inside(path: Path, folders: list[str]) -> bool:
    return any(path == Path(f) or Path(f) in path.parents for f in folders)


def bwrap_args(bwrap: str, scratch: str, masked: list[Path], extra: tuple[str, ...] = ()) -> list[str]:
    """The bubblewrap command line up to (not including) the program to run."""
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            *extra, "--clearenv"]
    for name in SYSTEM_DIRS:
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    for name in ETC_FILES:
        args += ["--ro-bind-try", name, name]
    # The private /tmp first: bwrap applies mounts in order, so a venv or checkout that lives
    # under /tmp (a CI clone, say) is bound on top of it instead of being hidden by it.
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", SANDBOX_TMP]
    bound = python_dirs()
    for folder in bound:
        args += ["--ro-bind", folder, folder]
    args += ["--bind", scratch, SANDBOX_SCRATCH, "--chdir", SANDBOX_SCRATCH]
    for path in masked:  # anything secret that happens to sit inside a bound folder
        path = Path(path).resolve()
        if path.exists() and _inside(path, bound + list(SYSTEM_DIRS)):
            args += ["--tmpfs", str(path)]
    # Nothing but the scratch folder (and, per submission, its own tmpfs) stays writable.
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    env = minimal_env(SANDBOX_SCRATCH + "/work", SANDBOX_TMP + "/matplotlib")
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def _probe(bwrap: str, extra: tuple[str, ...], scratch: str) -> tuple[bool, str]:
    command = bwrap_args(bwrap, scratch, [], extra) + [sys.executable, "-I", "-c", "import course; print('ok')"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return True, ""
    return False, (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]


def detect(mode: str, scratch_probe: str) -> Sandbox:
    """Choose the sandbox for ``--sandbox auto|bubblewrap|none``.

    ``auto`` uses bubblewrap when it is installed and works here, else none (said plainly);
    ``bubblewrap`` raises :class:`RuntimeError` when it cannot be used.
    """
    if mode == "none":
        return Sandbox("none", NO_SANDBOX_WARNING.format(why="the sandbox was turned off (--sandbox none)"))
    if not sys.platform.startswith("linux"):
        why = f"bubblewrap is Linux-only and this is {sys.platform}"
        bwrap = None
    else:
        bwrap = shutil.which("bwrap")
        why = "bubblewrap (bwrap) is not installed"
    if bwrap:
        # An unprivileged user inside, when user namespaces allow it; otherwise capabilities dropped.
        # (No --disable-userns: each submission's process makes its own user namespace to mount
        # its size-capped scratch, then drops every capability: see zygote.private_scratch.)
        for extra in (("--unshare-user", "--uid", "1000", "--gid", "1000"), ()):
            works, error = _probe(bwrap, extra, scratch_probe)
            if works:
                version = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout.strip()
                return Sandbox("bubblewrap", f"sandbox: {version or 'bubblewrap'} (system and Python "
                               "read-only, private scratch folder, no network, clean environment; "
                               "solutions, gradebook and submissions not visible)", bwrap, extra)
        why = f"bubblewrap is installed but does not work here ({error})"
    if mode == "bubblewrap":
        raise RuntimeError(f"--sandbox bubblewrap was asked for but {why}")
    return Sandbox("none", NO_SANDBOX_WARNING.format(why=why))


def zygote_command(sandbox: Sandbox, scratch: str, config_json: str, masked: list[Path]) -> tuple[list[str], dict | None]:
    """``(argv, env)`` to start one zygote; ``env`` is ``None`` when bubblewrap sets it."""
    program = [sys.executable, "-I", "-m", "course.grading.zygote", config_json]
    if sandbox.sandboxed:
        return bwrap_args(sandbox.bwrap, scratch, masked, sandbox.extra_args) + program, {}
    env = minimal_env(os.path.join(scratch, "work"), os.path.join(scratch, ".matplotlib"))
    return program, env
