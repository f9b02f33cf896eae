"""Points per question and the submission's status from what its cells produced. Pure functions.

Auto-graded tests follow nbgrader's rule (``nbgrader.utils.determine_grade``): an ``error``
output or anything written to stderr scores 0; otherwise a trailing ``execute_result`` whose
text is a number is the score (partial credit); otherwise full points. Two deliberate
differences, both in the authoring guide: a number above the cell's points is capped (nbgrader
stops with an error) and a negative number or NaN scores 0 (nbgrader gives full points).
Essays score 0 when untouched and wait for a hand score otherwise.
"""

from __future__ import annotations

import math
import signal
from dataclasses import dataclass, field

from course.grading.assemble import PlanCell
from course.grading.solutions import ExerciseSpec

GRADED, TIMEOUT, MEMORY, CRASHED = "graded", "timeout", "memory", "crashed"


@dataclass(frozen=True)
class QuestionScore:
    grade_id: str
    kind: str  # "auto" or "essay"
    points: float | None  # None: an essay waiting for a hand score
    max_points: float
    note: str = ""  # for the instructor (never shown to the student)


@dataclass
class Verdict:
    """What a finished job amounts to."""

    status: str
    reasons: list[str]
    scores: list[QuestionScore]
    cell_results: dict[int, dict] = field(default_factory=dict)

    @property
    def auto_total(self) -> float:
        return sum(s.points or 0.0 for s in self.scores)


def partial_grade(text: str, max_points: float) -> float:
    """The score a numeric ``execute_result`` text stands for (full points if it is no number)."""
    try:
        value = float(text.strip())
    except ValueError:
        return max_points
    if math.isnan(value) or value < 0:
        return 0.0
    return min(value, max_points)


def score_test_cell(result: dict | None, max_points: float) -> tuple[float, str]:
    """``(points, note)`` of a test cell from its result message (``None``: it never ran)."""
    if result is None:
        return 0.0, "did not run"
    error = result.get("error")
    if error:
        ename, hidden = (error + [False, False])[:2] if isinstance(error, list) else (str(error), False)
        return 0.0, f"{'hidden tests' if hidden else 'self-check'} raised {ename}"
    for output in result.get("outputs", []):
        if output.get("output_type") == "error":
            where = "hidden tests" if output.get("hidden") else "self-check"
            return 0.0, f"{where} raised {output.get('ename')}"
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return 0.0, "the test wrote to stderr (nbgrader's rule: no credit)"
        if output.get("output_type") == "execute_result":
            points = partial_grade(output.get("text", ""), max_points)
            return points, "partial credit" if points < max_points else ""
    return max_points, ""


def describe_signal(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def judge(spec: ExerciseSpec, plan_cells: list[PlanCell], messages: list[dict], end: dict,
          limits: dict) -> Verdict:
    """Scores and status of one submission from its job's messages and end record."""
    results = {m["i"]: m for m in messages if m.get("t") == "cell" and isinstance(m.get("i"), int)}
    started = [m["i"] for m in messages if m.get("t") == "start" and isinstance(m.get("i"), int)]
    done = any(m.get("t") == "done" for m in messages)
    scores = []
    for index, cell in enumerate(plan_cells):
        if cell.role == "test":
            points, note = score_test_cell(results.get(index), spec.cell(cell.grade_id).points)
            scores.append(QuestionScore(cell.grade_id, "auto", points, spec.cell(cell.grade_id).points, note))
        elif cell.role == "essay":
            max_points = spec.cell(cell.grade_id).points
            if cell.answered:
                scores.append(QuestionScore(cell.grade_id, "essay", None, max_points, "awaits a hand score"))
            else:
                scores.append(QuestionScore(cell.grade_id, "essay", 0.0, max_points, "unanswered"))

    reasons: list[str] = []
    status = GRADED
    label = {i: (c.grade_id or f"added cell {i}") for i, c in enumerate(plan_cells)}
    timed_out = [label[i] for i, r in results.items() if r.get("limit") == "cell_time"]
    memory = [label[i] for i, r in results.items() if r.get("limit") == "memory"]
    exited = [label[i] for i, r in results.items() if r.get("exited")]
    killed = end.get("killed")
    unfinished = next((label[i] for i in reversed(started) if i not in results), None)
    if killed == "cell_time":
        status = TIMEOUT
        reasons.append(f"time limit: cell {unfinished} ran past the {limits['cell_seconds']:g} s "
                       "per-cell limit and ignored the interruption, so the process was killed; "
                       "the cells after it did not run (0 points for their tests)")
    elif killed == "submission_time":
        status = TIMEOUT
        reasons.append(f"time limit: the submission ran past the {limits['submission_seconds']:g} s "
                       f"per-submission limit (in cell {unfinished}); the process was killed and "
                       "the remaining cells did not run")
    elif killed in ("worker_died", "worker_unresponsive"):
        status = CRASHED
        reasons.append(f"crash: the grading worker {'died' if killed == 'worker_died' else 'stopped answering'}"
                       f" while running cell {unfinished} (did the code kill its parent process?); "
                       "the remaining cells did not run")
    elif killed == "processes":
        status = CRASHED
        reasons.append(f"process limit: the submission ran more than {limits.get('processes')} processes "
                       f"at once (in cell {unfinished}; a fork bomb?) and was killed; the remaining cells "
                       "did not run")
    elif killed in ("protocol", "parent_gone"):
        status = CRASHED
        reasons.append(f"crash: the submission's process misbehaved ({killed}) and was killed")
    elif not done:
        status = CRASHED
        signum, code = end.get("signal"), end.get("exit_code")
        if signum == signal.SIGXCPU:
            status = TIMEOUT
            how = "it used more CPU time than the per-submission limit"
        elif signum is not None:
            how = f"it was killed by {describe_signal(signum)}"
        else:
            how = f"it exited with code {code}"
        where = f" during cell {unfinished}" if unfinished else ""
        if memory or (signum in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS) and end.get("max_rss_kb", 0)
                      > 0.9 * limits["memory_mb"] * 1024):
            status = MEMORY
            reasons.append(f"memory limit: the process died{where} after reaching the "
                           f"{limits['memory_mb']} MB limit ({how})")
        else:
            reasons.append(f"crash: the process running the submission stopped{where}: {how} "
                           "(os._exit, a crash or a signal); the remaining cells did not run")
    if timed_out and status == GRADED:
        status = TIMEOUT
        reasons.append(f"time limit: cell {', '.join(timed_out)} ran past the {limits['cell_seconds']:g} s "
                       "per-cell limit and was interrupted; the other cells still ran")
    if memory and status in (GRADED, TIMEOUT) and not any(r.startswith("memory") for r in reasons):
        if status == GRADED:
            status = MEMORY
        reasons.append(f"memory limit: cell {', '.join(memory)} tried to use more than the "
                       f"{limits['memory_mb']} MB limit (MemoryError); the other cells still ran")
    if exited:
        reasons.append(f"cell {', '.join(exited)} called sys.exit(): treated as an error in that cell "
                       "(as in Jupyter); the next cells still ran")
    dropped = {label[i]: r.get("dropped_chars", 0) for i, r in results.items() if r.get("dropped_chars")}
    if dropped:
        reasons.append("huge output truncated: " + ", ".join(f"cell {k} ({v:,} characters dropped)"
                                                                for k, v in dropped.items()))
    fatal = [m.get("error") for m in messages if m.get("t") == "fatal"]
    if fatal:
        reasons.append(f"the grader's executor failed: {fatal[0]}")
    return Verdict(status, reasons, scores, results)
