"""The grader's side of a pool of zygotes: start them, hand out jobs, collect what comes back.

One event loop (``select``) over N zygotes. Each job's messages are gathered until its ``end``
message; a zygote that dies or stops answering is killed (its whole process group), the job
it held is finished as crashed or timed out, and a fresh zygote takes its place.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from course.grading.sandbox import Sandbox, zygote_command

#: Seconds a zygote may take to import everything and say ``ready``.
STARTUP_SECONDS = 120.0
#: Seconds past a job's own time limit before the grader stops waiting for the zygote.
WATCHDOG_GRACE_SECONDS = 15.0


class WorkerError(RuntimeError):
    """A zygote could not be started at all (the message includes its log)."""


@dataclass
class JobOutcome:
    """Everything a zygote reported for one job: the child's messages and how it ended."""

    job_id: str
    messages: list[dict] = field(default_factory=list)
    end: dict = field(default_factory=dict)


class Worker:
    """One zygote process and the job it is running."""

    def __init__(self, index: int, sandbox: Sandbox, scratch: Path, log_path: Path,
                 preload: list[str], masked: list[Path]):
        self.index, self.sandbox, self.scratch, self.log_path = index, sandbox, scratch, log_path
        self.preload, self.masked = preload, masked
        self.warmup: list[list[str]] = []
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.job: dict | None = None
        self.outcome: JobOutcome | None = None
        self.deadline = 0.0
        self.ready_info: dict = {}

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the zygote process (it then imports everything: see :meth:`wait_ready`)."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        inside = "/scratch" if self.sandbox.sandboxed else str(self.scratch)
        settings = {"scratch": inside, "sandboxed": self.sandbox.sandboxed, "preload": self.preload}
        if self.warmup:  # trusted workers only: solution code to run once, to warm caches
            (self.scratch / "warmup.json").write_text(json.dumps(self.warmup), encoding="utf-8")
            settings["warmup"] = f"{inside}/warmup.json"
        config = json.dumps(settings)
        argv, env = zygote_command(self.sandbox, str(self.scratch), config, self.masked)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
                cwd=str(self.scratch), start_new_session=True, pass_fds=())
        self.buffer = b""

    def wait_ready(self) -> None:
        """Wait for the zygote's ``ready`` line; :class:`WorkerError` with its log if it fails."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            for message in self._read(deadline - time.monotonic()):
                if message.get("t") == "ready":
                    self.ready_info = message
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise WorkerError(f"grading worker {self.index} did not start; its log ends:\n{tail}")

    def _read(self, timeout: float) -> list[dict]:
        ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, timeout))
        if not ready:
            return []
        data = os.read(self.process.stdout.fileno(), 1 << 16)
        if not data:
            return [{"t": "eof"}]
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def fileno(self) -> int:
        return self.process.stdout.fileno()

    def submit(self, job: dict) -> None:
        self.job = job
        self.outcome = JobOutcome(job["id"])
        self.deadline = time.monotonic() + float(job["limits"]["submission_seconds"]) + WATCHDOG_GRACE_SECONDS
        self.process.stdin.write((json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8"))
        self.process.stdin.flush()

    def kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.process = None

    def stop(self) -> None:
        """Ask the zygote to finish (close its stdin), then make sure it is gone."""
        if self.process is None:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class WorkerPool:
    """N zygotes; :meth:`run` yields one :class:`JobOutcome` per job as they finish."""

    def __init__(self, size: int, sandbox: Sandbox, scratch_root: Path, preload: list[str],
                 masked: list[Path]):
        self.workers = [Worker(i, sandbox, scratch_root / f"worker-{i}", scratch_root / f"worker-{i}.log",
                               preload, masked) for i in range(size)]
        self.restarts = 0

    def __enter__(self) -> "WorkerPool":
        try:
            for worker in self.workers:  # all import in parallel
                worker.launch()
            for worker in self.workers:
                worker.wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()

    def wait_ready(self) -> None:
        for worker in self.workers:
            if not worker.ready_info:
                worker.wait_ready()

    @property
    def startup_seconds(self) -> float:
        return max((w.ready_info.get("seconds", 0.0) for w in self.workers), default=0.0)

    @property
    def preload_failures(self) -> list[str]:
        return sorted({f for w in self.workers for f in w.ready_info.get("preload_failed", [])})

    def _finish_dead(self, worker: Worker, why: str) -> JobOutcome:
        outcome = worker.outcome
        outcome.end = {"t": "end", "killed": why, "exit_code": None, "signal": None, "seconds": None}
        worker.job, worker.outcome = None, None
        worker.kill()
        self.restarts += 1
        worker.start()
        return outcome

    def run(self, jobs: Iterable[dict]) -> Iterator[JobOutcome]:
        yield from run_pipeline([(self, deque(jobs), None)])


def run_pipeline(stages: list) -> Iterator[JobOutcome]:
    """Run jobs through pools in stages, all at once: ``stages`` is a list of
    ``(pool, queue, then)``; an outcome of a stage with ``then`` is passed to ``then(outcome)``,
    which may return the next stage's job (appended to that stage's queue); outcomes of the last
    stage are yielded. A later stage's workers thus work while an earlier stage's are busy."""
    stages[0][0].wait_ready()  # the later stages' workers may still be starting: used once ready
    started = time.monotonic()
    owner = {}
    for n, (pool, _, _) in enumerate(stages):
        for worker in pool.workers:
            owner[id(worker)] = n

    def finished(n: int, outcome: JobOutcome):
        then = stages[n][2]
        if then is None:
            return [outcome]
        job = then(outcome)
        if job is not None:
            stages[n + 1][1].append(job)
        return []

    while any(q for _, q, _ in stages) or any(w.job for p, _, _ in stages for w in p.workers):
        for pool, queue, _ in stages:
            for worker in pool.workers:
                if worker.job is None and queue and worker.ready_info:
                    worker.submit(queue.popleft())
        busy = [w for p, _, _ in stages for w in p.workers if w.job]
        starting = [w for p, _, _ in stages for w in p.workers if not w.ready_info]
        if starting and time.monotonic() - started > STARTUP_SECONDS:
            starting[0].wait_ready()  # raises WorkerError with its log
        if not busy and not starting:
            continue
        timeout = max(0.0, min((w.deadline for w in busy), default=time.monotonic() + 1.0) - time.monotonic())
        ready, _, _ = select.select(busy + starting, [], [], min(timeout, 1.0))
        for worker in ready:
            if not worker.ready_info:
                for message in worker._read(0):
                    if message.get("t") == "ready":
                        worker.ready_info = message
                    elif message.get("t") == "eof":
                        worker.wait_ready()  # raises WorkerError with its log
                continue
            n = owner[id(worker)]
            pool = stages[n][0]
            for message in worker._read(0):
                if message.get("t") == "eof":
                    yield from finished(n, pool._finish_dead(worker, "worker_died"))
                    break
                if message.get("job") != worker.job["id"]:
                    continue
                if message.get("t") == "end":
                    outcome = worker.outcome
                    outcome.end = message
                    worker.job, worker.outcome = None, None
                    yield from finished(n, outcome)
                    break
                worker.outcome.messages.append(message)
        now = time.monotonic()
        for pool, _, _ in stages:
            for worker in pool.workers:
                if worker.job and now > worker.deadline:
                    yield from finished(owner[id(worker)], pool._finish_dead(worker, "worker_unresponsive"))


class start_pools:
    """Start several pools at once (every zygote imports in parallel); a context manager that
    yields the pools in order and closes them all."""

    def __init__(self, shapes: list[tuple], sandbox: Sandbox, preload: list[str], masked: list[Path]):
        """``shapes``: ``(size, scratch_root)`` or ``(size, scratch_root, warmup)`` per pool."""
        self.pools = []
        for size, root, *warmup in shapes:
            root.mkdir(parents=True, exist_ok=True)
            pool = WorkerPool(size, sandbox, root, preload, masked)
            for worker in pool.workers:
                worker.warmup = warmup[0] if warmup else []
            self.pools.append(pool)

    def __enter__(self):
        try:
            for pool in self.pools:
                for worker in pool.workers:
                    worker.launch()
            for worker in self.pools[0].workers:  # the others are waited for when first used
                worker.wait_ready()
        except BaseException:
            self.close()
            raise
        return tuple(self.pools)

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for pool in self.pools:
            pool.close()
