"""Run a rebuilt notebook's cells inside the forked child of a zygote, with kernel semantics.

The child owns an IPython :class:`GradingShell` (created once in the zygote before the fork, so
it costs nothing per submission). Each cell runs through ``run_cell`` like in a Jupyter kernel:
magics work, a trailing expression becomes an ``execute_result`` (whose ``text/plain`` is what
nbgrader reads for partial credit), an exception becomes an ``error`` output and the next cell
still runs. Test cells run as their public and hidden segments one after the other, so their
outputs can be told apart; only the last segment's trailing expression is displayed, exactly as
if the cell had run whole.

Limits: a per-cell time limit (``setitimer``; the zygote kills a cell that ignores it), a memory
limit (``RLIMIT_AS``), a cap on the output kept per cell and per submission. Every finished cell
is sent to the zygote at once as one JSON line, so a crash loses nothing that finished.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
import time

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def cpu_time() -> float:
    """CPU seconds this process has used (what ``ITIMER_PROF`` counts)."""
    return time.process_time()


class CellTimeLimit(BaseException):
    """Raised inside a cell that ran past its time limit (a BaseException: ``except Exception``
    in student code does not swallow it)."""


class OutputSink:
    """Collects one cell's outputs as nbformat-like dicts, up to a size cap."""

    def __init__(self, cap_chars: int, budget: list[int]):
        self.outputs: list[dict] = []
        self.hidden = False
        self.cap = cap_chars
        self.budget = budget  # [characters left for the whole submission], shared
        self.kept = 0
        self.dropped = 0

    def _room(self, n: int) -> int:
        return max(0, min(n, self.cap - self.kept, self.budget[0]))

    def _take(self, text: str) -> str:
        room = self._room(len(text))
        self.kept += room
        self.budget[0] -= room
        self.dropped += len(text) - room
        return text[:room]

    def stream(self, name: str, text: str) -> None:
        text = self._take(text)
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name and last["hidden"] == self.hidden:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text, "hidden": self.hidden})

    def result(self, output_type: str, text: str) -> None:
        self.outputs.append({"output_type": output_type, "text": self._take(text), "hidden": self.hidden})

    def error(self, ename: str, evalue: str, traceback: str) -> None:
        self.outputs.append({"output_type": "error", "ename": ename, "evalue": self._take(evalue)[:2000],
                             "traceback": self._take(traceback), "hidden": self.hidden})


class CapturedStream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` of the child: writes go to the current cell's sink."""

    def __init__(self, name: str, executor: "CellExecutor"):
        self.name, self.executor = name, executor

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        sink = self.executor.sink
        if sink is not None:
            sink.stream(self.name, text)
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


class RecordingDisplayHook(DisplayHook):
    """Turns a cell's trailing expression into an ``execute_result`` in the current sink."""

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        sink = GradingShell.instance().executor.sink
        if sink is not None:
            sink.result("execute_result", str(format_dict.get("text/plain", "")))

    def finish_displayhook(self):
        pass


class RecordingDisplayPublisher(DisplayPublisher):
    """``display(...)`` calls become ``display_data`` outputs (their text/plain)."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        sink = GradingShell.instance().executor.sink
        if sink is not None and isinstance(data, dict):
            sink.result("display_data", str(data.get("text/plain", "")))

    def clear_output(self, wait=False):
        pass


class GradingShell(InteractiveShell):
    """An IPython shell whose tracebacks are recorded instead of printed."""

    displayhook_class = RecordingDisplayHook
    display_pub_class = RecordingDisplayPublisher
    executor: "CellExecutor"

    def _showtraceback(self, etype, evalue, stb):
        sink = self.executor.sink
        if sink is not None:
            text = ANSI.sub("", "\n".join(stb) if isinstance(stb, list) else str(stb))
            sink.error(getattr(etype, "__name__", str(etype)), str(evalue), text)


def make_shell() -> GradingShell:
    """Create the shell once, in the zygote, before any fork."""
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autocall = 0
    config.InteractiveShell.xmode = "Plain"
    shell = GradingShell.instance(config=config)
    shell.display_formatter.active_types = ["text/plain"]
    shell.executor = CellExecutor(shell)
    return shell


class CellExecutor:
    """Runs cells in the shell with limits, one :class:`OutputSink` per cell."""

    def __init__(self, shell: GradingShell):
        self.shell = shell
        self.sink: OutputSink | None = None
        self.in_cell = False

    def _on_alarm(self, signum, frame):
        if self.in_cell:
            raise CellTimeLimit("the cell ran longer than its time limit")

    def run(self, cells: list[dict], limits: dict, emit) -> None:
        """Run every cell, emitting ``{"t": "start"}`` before and ``{"t": "cell"}`` after each."""
        signal.signal(signal.SIGALRM, self._on_alarm)
        signal.signal(signal.SIGPROF, self._on_alarm)
        sys.stdout, sys.stderr = CapturedStream("stdout", self), CapturedStream("stderr", self)
        budget = [int(limits["output_chars_per_submission"])]
        for index, cell in enumerate(cells):
            if cell.get("snapshot") is not None:  # phase 1: where a test cell was, record its inputs
                emit(snapshot(self.shell.user_ns, index, cell["snapshot"]))
                continue
            if cell.get("bind") is not None:  # phase 2: the answers this test cell sees, as plain data
                bind(self.shell.user_ns, cell["bind"], cell.get("unbind", []))
            segments = cell["segments"]
            if not segments:
                continue
            emit({"t": "start", "i": index})
            sink = OutputSink(int(limits["output_chars_per_cell"]), budget)
            self.sink = sink
            started = time.monotonic()
            cpu_started = cpu_time()
            cpu_limit = float(limits["cell_seconds"])
            wall_limit = cpu_limit * float(limits.get("wall_factor", 1.0))
            limit_hit = None
            exited = False
            failed = None
            for n, segment in enumerate(segments):
                sink.hidden = bool(segment["hidden"])
                last = n == len(segments) - 1
                self.shell.ast_node_interactivity = "last_expr" if last else "none"
                errors_before = len([o for o in sink.outputs if o["output_type"] == "error"])
                self.in_cell = True
                # CPU time is the limit (load on the machine does not use it up); wall-clock time
                # is only a generous backstop for a cell that sleeps or waits.
                signal.setitimer(signal.ITIMER_PROF, max(0.01, cpu_limit - (cpu_time() - cpu_started)))
                signal.setitimer(signal.ITIMER_REAL, max(0.01, wall_limit - (time.monotonic() - started)))
                try:
                    result = self.shell.run_cell(segment["source"], store_history=True, silent=False)
                except CellTimeLimit:  # raised between IPython's own handlers
                    result = None
                    limit_hit = "cell_time"
                finally:
                    self.in_cell = False
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.setitimer(signal.ITIMER_PROF, 0)
                error = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec", None)
                if error is not None and not isinstance(error, CellTimeLimit):
                    # The exception itself decides, not what IPython displayed: a custom exception
                    # handler (set_custom_exc, e.g. the self-check's NameError advice) shows nothing.
                    failed = failed or (type(error).__name__, bool(segment["hidden"]))
                    if len([o for o in sink.outputs if o["output_type"] == "error"]) == errors_before:
                        sink.error(type(error).__name__, str(error)[:2000], "")
                if isinstance(error, CellTimeLimit) or limit_hit == "cell_time":
                    limit_hit = "cell_time"
                    if not any(o["output_type"] == "error" for o in sink.outputs):
                        sink.error("CellTimeLimit", "the cell ran longer than its time limit", "")
                    break
                if isinstance(error, MemoryError):
                    limit_hit = "memory"
                if isinstance(error, SystemExit):
                    exited = True
                if error is not None:  # an exception ends the cell, as in a kernel
                    break
            self.sink = None
            if limit_hit == "cell_time" and failed is None:
                failed = ("CellTimeLimit", bool(sink.hidden))
            emit({"t": "cell", "i": index, "outputs": sink.outputs, "limit": limit_hit, "error": failed,
                  "exited": exited, "dropped_chars": sink.dropped,
                  "seconds": round(time.monotonic() - started, 4)})
        emit({"t": "done"})


def snapshot(namespace: dict, index: int, names: list[str]) -> dict:
    """The ``snapshot`` message of a test cell's position: each name's value as tagged JSON, or
    why it is refused (not plain data) or missing. Runs in the student's process, so it proves
    nothing by itself: the trusted side only ever decodes plain data from it."""
    from course.grading.plaindata import NotPlainData, encode

    values, refused, missing = {}, {}, []
    for name in names:
        if name not in namespace:
            missing.append(name)
            continue
        try:
            values[name] = encode(namespace[name])
        except NotPlainData as exc:
            refused[name] = [exc.type_name, str(exc)]
        except Exception as exc:  # noqa: BLE001 - e.g. an int too long to print
            refused[name] = [type(namespace[name]).__name__, f"{type(exc).__name__}: {exc}"[:200]]
    return {"t": "snapshot", "i": index, "values": values, "refused": refused, "missing": missing}


def bind(namespace: dict, tagged: dict, unbind: list[str]) -> None:
    """Put decoded answers into the (trusted) namespace; remove the refused or missing ones."""
    from course.grading.plaindata import decode

    for name in unbind:
        namespace.pop(name, None)
    for name, value in tagged.items():
        namespace[name] = decode(value)


def child_main(job: dict, result_fd: int) -> None:
    """Body of the forked child: run the job's cells and report over ``result_fd``; never returns."""
    out = os.fdopen(result_fd, "w", buffering=1, encoding="utf-8", errors="replace")

    def emit(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")
        out.flush()

    code = 0
    try:
        shell = GradingShell.instance()
        shell.executor.run(job["cells"], job["limits"], emit)
    except BaseException as exc:  # noqa: BLE001 - report, then leave
        try:
            emit({"t": "fatal", "error": f"{type(exc).__name__}: {exc}"[:2000]})
        except BaseException:  # noqa: BLE001
            pass
        code = 3
    finally:
        try:
            out.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)
