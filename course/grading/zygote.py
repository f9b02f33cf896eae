"""The warm worker: import the heavy libraries once, then fork one fresh child per submission.

Run as ``python -I -m course.grading.zygote CONFIG_JSON`` (inside bubblewrap when available).
Protocol, one JSON object per line: the grader writes jobs on stdin; the zygote writes
``ready`` once, then for each job the child's ``start``/``cell``/``done`` messages tagged with the
job id and finally an ``end`` message with how the child finished. The child is a fresh process
(same isolation as a fresh kernel) without the start-up cost: pandas, matplotlib (Agg), IPython
and the course package are already imported when it is forked.

Per child: its own session (process group), ``RLIMIT_AS`` memory limit on top of what the
preloaded libraries use, ``RLIMIT_FSIZE``, ``RLIMIT_CPU``, no core dumps, stdin/stdout/stderr on
``/dev/null``, no file descriptor but its result pipe, a fresh empty scratch folder as working
directory and home. The zygote kills the child's process group when a cell overruns its time
limit by more than a grace period or the submission overruns its own limit; inside the
sandbox it also kills every other process left in the sandbox.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import random
import resource
import select
import shutil
import signal
import stat
import sys
import time

#: Seconds a cell may overrun its limit (time for the in-cell alarm) before the child is killed.
CELL_GRACE_SECONDS = 2.0
#: Largest message line accepted from a child.
MAX_LINE_BYTES = 16 * 1024 * 1024
CHILD_MESSAGES = {"start", "cell", "done", "fatal", "snapshot"}
#: Default cap on the processes (threads included) of a submission's sandbox user.
DEFAULT_NPROC = 64
#: How often the zygote counts a running submission's processes.
PROCESS_POLL_SECONDS = 0.05


def preload(modules: list[str]) -> list[str]:
    """Import what submissions will need; return the modules that failed (not fatal)."""
    import matplotlib

    matplotlib.use("Agg")
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a missing optional module is not fatal
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    return failed


def warm_up(shell, path: str, seconds: float = 20.0) -> None:
    """Run the solution notebooks' own code once in this (trusted) zygote, outputs discarded, so
    that lazily built caches (fonts, widgets, models) are warm in every child; then reset the
    namespace. Only trusted solution code ever runs here; a failure is ignored."""
    import io

    try:
        with open(path, encoding="utf-8") as handle:
            notebooks = json.load(handle)
        os.unlink(path)
    except (OSError, ValueError):
        return
    saved = sys.stdout, sys.stderr
    deadline = time.monotonic() + seconds
    try:
        sys.stdout = sys.stderr = io.StringIO()
        for sources in notebooks:
            for source in sources:
                if time.monotonic() > deadline:
                    return
                try:
                    shell.run_cell(source, store_history=False, silent=True)
                except BaseException:  # noqa: BLE001
                    pass
            shell.reset(new_session=False)
    finally:
        sys.stdout, sys.stderr = saved
        shell.reset(new_session=False)


def empty_except(folder: str, kept: list[str]) -> None:
    """Remove everything in ``folder`` but the ``kept`` folders inside it (and the folders
    leading to them): the venv or checkout a sandbox binds under its private /tmp."""
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        if path in kept:
            continue
        if under(path, kept):
            empty_except(path, kept)
        elif os.path.isdir(path) and not os.path.islink(path):
            wipe(path)
        else:
            _unlink(path)


def wipe(path: str) -> None:
    """Remove a folder tree a submission may have made hard to remove (chmod 000, read-only)."""
    def onerror(func, target, _exc):
        try:
            os.chmod(os.path.dirname(target), stat.S_IRWXU)
            os.chmod(target, stat.S_IRWXU)
            func(target)
        except OSError:
            pass
    if os.path.lexists(path):
        shutil.rmtree(path, onerror=onerror)


def vm_bytes() -> int:
    """This process's current virtual memory size."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def set_child_limits(limits: dict) -> None:
    """Resource limits of the child, set right after the fork."""
    memory = vm_bytes() + int(limits["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits["submission_seconds"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    size = int(limits["file_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    nproc = int(limits.get("processes", 0) or 0)
    if nproc > 0:  # counted per user (per user namespace on Linux >= 5.14): see docs/grading.md
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing


CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18


def kept_dirs() -> list[str]:
    """The folders Python needs (interpreter, venv, the course package: ``sandbox.python_dirs``),
    without those inside another: what must stay visible when ``/tmp`` is replaced."""
    from course.grading.sandbox import python_dirs

    dirs = [os.path.realpath(d) for d in python_dirs()]
    return sorted({d for d in dirs if not any(o != d and d.startswith(o.rstrip("/") + "/") for o in dirs)})


def under(folder: str, dirs: list[str]) -> list[str]:
    """The entries of ``dirs`` strictly inside ``folder``."""
    prefix = os.path.realpath(folder).rstrip("/") + "/"
    return [d for d in dirs if d.startswith(prefix)]


def _libc():
    import ctypes

    return ctypes, ctypes.CDLL(None, use_errno=True)


def private_scratch(workdir: str, size_mb: int, sandboxed: bool, kept: list[str] | None = None) -> bool:
    """Give this (forked) process a scratch of its own, capped at ``size_mb`` in total.

    The process enters a new user and mount namespace (as the same unprivileged user), mounts
    one size-capped tmpfs on its working folder and binds sub-folders of it on ``/tmp`` and
    ``/dev/shm``; then it drops every capability and sets ``no_new_privs``. The mounts exist only
    in this process's namespace: they vanish with the submission's last process, so the next
    submission starts from an empty scratch. The ``kept`` folders (default :func:`kept_dirs`: the
    interpreter, the venv, the course package) that lie under ``/tmp`` stay visible there,
    read-only, so a course cloned into ``/tmp`` still imports. Returns ``False`` (nothing changed)
    where Linux does not allow unprivileged user namespaces.
    """
    ctypes, libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except OSError:
        pass  # already mapped (e.g. the mapping was inherited): the mounts below decide
    libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    options = f"size={int(size_mb)}m,nr_inodes={max(1024, int(size_mb) * 64)},mode=0700".encode()
    root = os.path.dirname(workdir)  # the whole scratch folder, not only the working folder
    if libc.mount(b"scratch", root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        raise OSError(ctypes.get_errno(), "cannot mount the scratch tmpfs")
    os.makedirs(workdir, exist_ok=True)
    targets = ["/tmp", "/dev/shm"] if sandboxed else ["/tmp", "/dev/shm", "/var/tmp"]
    kept = kept_dirs() if kept is None else kept
    for n, target in enumerate(targets):
        if not os.path.isdir(target):
            continue
        # A venv or checkout that lives under /tmp (a CI clone, say) must stay visible: hold each
        # such folder by a file descriptor, cover the target, then bind the folder back, read-only.
        held = [(d, os.open(d, os.O_PATH | os.O_DIRECTORY)) for d in under(target, kept)]
        source = os.path.join(workdir, f".mount{n}")
        os.makedirs(source, mode=0o1777)
        if libc.mount(source.encode(), target.encode(), None, MS_BIND, None) != 0:
            raise OSError(ctypes.get_errno(), f"cannot bind the scratch on {target}")
        for folder, fd in held:
            os.makedirs(folder, exist_ok=True)
            if libc.mount(f"/proc/self/fd/{fd}".encode(), folder.encode(), None, MS_BIND | MS_REC, None) != 0:
                raise OSError(ctypes.get_errno(), f"cannot keep {folder} visible")
            os.close(fd)
            libc.mount(None, folder.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
            if not os.statvfs(folder).f_flag & os.ST_RDONLY:
                raise OSError(f"cannot make {folder} read-only")
    drop_capabilities()
    return True


def drop_capabilities() -> None:
    """No capability left (not even in our own namespace) and none to gain by exec."""
    ctypes, libc = _libc()
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    for cap in range(64):  # the bounding set first (needs CAP_SETPCAP, which we still hold)
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def become_child(job: dict, workdir: str, result_fd: int, sandboxed: bool = False) -> None:
    """In the forked child: isolate, limit, then run the cells. Never returns."""
    try:
        scratch_mb = int(job["limits"].get("scratch_mb", 0) or 0)
        if scratch_mb > 0 and not private_scratch(workdir, scratch_mb, sandboxed):
            if job["limits"].get("require_scratch_cap"):
                os._exit(6)
        os.makedirs(os.path.join(workdir, ".tmp"), exist_ok=True)
        os.setsid()
        die_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        keep = sorted({0, 1, 2, result_fd})
        low = 3
        for fd in keep:
            if fd >= low:
                os.closerange(low, fd)
                low = fd + 1
        os.closerange(low, 65536)
        os.chdir(workdir)
        os.environ["HOME"] = workdir
        os.environ["TMPDIR"] = os.path.join(workdir, ".tmp")
        random.seed()
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()
        set_child_limits(job["limits"])
    except BaseException:  # noqa: BLE001
        os._exit(4)
    from course.grading.executor import child_main

    child_main(job, result_fd)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the zygote dies (``PR_SET_PDEATHSIG``)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def become_subreaper() -> bool:
    """``PR_SET_CHILD_SUBREAPER``: orphaned descendants of a submission become our children, so
    :func:`kill_descendants` finds every one of them, even those that left the process group."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def kill_descendants() -> None:
    """Kill and reap every process below this one (children first; orphans then re-parent to us)."""
    me = os.getpid()
    for _ in range(1000):
        kids = children_of(me)
        if not kids:
            break
        for kid in kids:
            try:
                os.kill(kid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for kid in kids:
            try:
                os.waitpid(kid, 0)
            except ChildProcessError:
                pass


def count_processes(sandboxed: bool) -> int:
    """How many processes the running submission has (in the sandbox: every process but its
    init and the zygote; without it: the zygote's descendants)."""
    if sandboxed:
        return sum(1 for e in os.listdir("/proc") if e.isdigit()) - 2
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    mine, frontier = 0, [os.getpid()]
    while frontier:
        kids = [pid for pid, ppid in parents.items() if ppid in set(frontier)]
        mine += len(kids)
        frontier = kids
    return mine


def kill_everything_else() -> None:
    """Inside the sandbox's own PID namespace: kill every process but bubblewrap's init and us."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, me):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


class Zygote:
    """The zygote's state and its job loop."""

    def __init__(self, config: dict, protocol):
        self.scratch = config["scratch"]
        self.sandboxed = bool(config["sandboxed"])
        self.kept = kept_dirs()  # stays visible under a fresh /tmp (a venv or checkout in /tmp)
        self.protocol = protocol

    def send(self, message: dict) -> None:
        self.protocol.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.protocol.flush()

    def probe_scratch_cap(self) -> bool:
        """Whether a child can get its own size-capped scratch here (see :func:`private_scratch`)."""
        workdir = self.prepare_workdir()
        pid = os.fork()
        if pid == 0:
            try:
                os._exit(0 if private_scratch(workdir, 1, self.sandboxed) else 1)
            except BaseException:  # noqa: BLE001
                os._exit(2)
        _, status = os.waitpid(pid, 0)
        wipe(workdir)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    def prepare_workdir(self) -> str:
        workdir = os.path.join(self.scratch, "work")
        for entry in os.listdir(self.scratch):  # nothing a previous submission left survives
            path = os.path.join(self.scratch, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                wipe(path)
            else:
                _unlink(path)
        os.makedirs(os.path.join(workdir, ".tmp"))
        if self.sandboxed:  # the sandbox's private /tmp is this zygote's alone: empty it too
            empty_except("/tmp", self.kept)
        return workdir

    def run_job(self, job: dict) -> None:
        job_id = job["id"]
        limits = job["limits"]
        workdir = self.prepare_workdir()
        read_fd, write_fd = os.pipe()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            become_child(job, workdir, write_fd, self.sandboxed)
            os._exit(5)  # not reached
        os.close(write_fd)
        killed = self.relay(job_id, pid, read_fd, started, limits)
        os.close(read_fd)
        if killed:
            kill_group(pid)
        exit_code, signum, rss_kb = self.reap(pid, started + float(limits["submission_seconds"]) + 2)
        kill_group(pid)  # anything the child left in its group
        kill_descendants()  # and anything that left it (we are their subreaper)
        if self.sandboxed:
            kill_everything_else()
        self.send({"job": job_id, "t": "end", "killed": killed, "exit_code": exit_code,
                   "signal": signum, "max_rss_kb": rss_kb,
                   "seconds": round(time.monotonic() - started, 4)})
        wipe(workdir)

    def relay(self, job_id: str, pid: int, read_fd: int, started: float, limits: dict) -> str | None:
        """Forward the child's messages until it closes its pipe; kill it on a time limit.

        Returns why it was killed (``cell_time``, ``submission_time``, ``parent_gone``,
        ``protocol``, ``processes``) or ``None``.
        """
        submission_deadline = started + float(limits["submission_seconds"])
        cell_deadline = None
        buffer = b""
        cap = int(limits.get("processes", 0) or 0)
        next_count = time.monotonic()
        while True:
            now = time.monotonic()
            deadline = min(submission_deadline, cell_deadline or submission_deadline)
            if now >= deadline:
                return "cell_time" if cell_deadline and cell_deadline < submission_deadline else "submission_time"
            if cap and now >= next_count:  # the process cap, also where RLIMIT_NPROC does not hold (root)
                next_count = now + PROCESS_POLL_SECONDS
                if count_processes(self.sandboxed) > cap:
                    return "processes"
            wait = min(deadline, next_count) - now if cap else deadline - now
            ready, _, _ = select.select([read_fd, sys.stdin.fileno()], [], [], max(0.0, wait))
            if sys.stdin.fileno() in ready:
                return "parent_gone"  # the grader never writes during a job: this is EOF
            if read_fd not in ready:
                continue
            data = os.read(read_fd, 1 << 16)
            if not data:
                return None
            buffer += data
            *lines, buffer = buffer.split(b"\n")
            if len(buffer) > MAX_LINE_BYTES:
                return "protocol"
            for line in lines:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(message, dict) or message.get("t") not in CHILD_MESSAGES:
                    continue
                if message["t"] == "start":
                    cell_deadline = (time.monotonic() + float(limits["cell_seconds"])
                                     * float(limits.get("wall_factor", 1.0)) + CELL_GRACE_SECONDS)
                elif message["t"] == "cell":
                    cell_deadline = None
                message["job"] = job_id
                self.send(message)
                if message["t"] == "done":  # finished: a descendant holding the pipe open is no reason to wait
                    return None

    @staticmethod
    def reap(pid: int, deadline: float) -> tuple[int | None, int | None, int]:
        """Wait for the child (killing it at the deadline): ``(exit code, signal, max RSS kB)``."""
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() >= deadline:
                kill_group(pid)
                done, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.005)
        if os.WIFSIGNALED(status):
            return None, os.WTERMSIG(status), usage.ru_maxrss
        return os.WEXITSTATUS(status), None, usage.ru_maxrss

    def serve(self) -> None:
        for line in sys.stdin:
            if not line.strip():
                continue
            self.run_job(json.loads(line))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def main(argv: list[str]) -> None:
    config = json.loads(argv[1])
    os.environ.pop("PWD", None)  # bubblewrap adds it; submissions see only sandbox.ENV_NAMES
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints from imports must not corrupt the protocol
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader decides when we stop
    started = time.monotonic()
    failed = preload(config.get("preload", []))
    from course.grading.executor import make_shell

    shell = make_shell()
    if config.get("warmup"):  # trusted workers only: never given to a student's worker
        warm_up(shell, config["warmup"])
    become_subreaper()
    gc.collect()
    gc.freeze()  # keep the preloaded heap shared between children (copy-on-write)
    zygote = Zygote(config, protocol)
    zygote.send({"t": "ready", "seconds": round(time.monotonic() - started, 3), "preload_failed": failed,
                 "pid": os.getpid(), "scratch_cap": zygote.probe_scratch_cap()})
    zygote.serve()


if __name__ == "__main__":
    main(sys.argv)
