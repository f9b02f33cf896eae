"""One ``course grade`` run: find, match, rebuild, run in the worker pool, record, report."""

from __future__ import annotations

import ast
import os

import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from course.grading import sandbox as sandboxes
from course.grading.assemble import RunPlan, build_plan
from course.grading.gradebook import Gradebook, SubmissionRow
from course.grading.reports import write_reports
from course.grading.scoring import GRADED, QuestionScore, judge
from course.grading.solutions import ESSAY, ExerciseSpec, SolutionError, load_exercises
from course.grading.submissions import Submission, collect, normalise_student_id
from course.grading.workers import WorkerPool
from course.grading.zygote import wipe

#: Always imported by the zygote before any fork (besides what the solutions import).
BASE_PRELOAD = ["numpy", "pandas", "matplotlib.pyplot", "IPython", "ipywidgets", "course",
                "course.selfcheck", "course.data", "course.models"]


class GradingError(ValueError):
    """A problem with the command's arguments; the message says what to do."""


@dataclass
class GradeOptions:
    submissions: Path
    out: Path
    solutions: Path
    exercises: Path | None = None
    jobs: int = 0  # 0: one per CPU
    cell_seconds: float = 30.0
    submission_seconds: float = 300.0
    memory_mb: int = 1024
    processes: int = 64
    scratch_mb: int = 256
    wall_factor: float = 4.0
    file_mb: int = 64
    output_kb_per_cell: int = 64
    output_kb_per_submission: int = 1024
    sandbox: str = "auto"
    force: bool = False
    progress: bool = True
    only: tuple[str, ...] = ()  # student ids to regrade (even if unchanged); empty: everyone

    def limits(self) -> dict:
        return {"cell_seconds": self.cell_seconds, "submission_seconds": self.submission_seconds,
                "processes": self.processes, "wall_factor": self.wall_factor, "scratch_mb": self.scratch_mb,
                "memory_mb": self.memory_mb, "file_mb": self.file_mb,
                "output_chars_per_cell": self.output_kb_per_cell * 1024,
                "output_chars_per_submission": self.output_kb_per_submission * 1024}


@dataclass
class RunSummary:
    graded: int = 0
    failed: list[tuple[str, str, str, str]] = field(default_factory=list)  # student, notebook, status, reason
    skipped: int = 0
    stray: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sandbox: str = ""
    workers: int = 0
    startup_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def done(self) -> int:
        return self.graded + len(self.failed)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_arguments(options: GradeOptions) -> list[ExerciseSpec]:
    """Fail early, with a message saying what is wrong, on unusable arguments."""
    subs, out, sols = Path(options.submissions), Path(options.out), Path(options.solutions)
    if not subs.exists():
        raise GradingError(f"submissions folder {subs} does not exist")
    if not subs.is_dir():
        raise GradingError(f"{subs} is not a folder: expected SUBMISSIONS/<student_id>/<notebook>.ipynb")
    if not any(subs.rglob("*.ipynb")):
        raise GradingError(f"submissions folder {subs} holds no .ipynb file "
                           "(expected SUBMISSIONS/<student_id>/<notebook>.ipynb; see docs/grading.md)")
    if out.resolve() == subs.resolve() or subs.resolve() in out.resolve().parents:
        raise GradingError(f"--out {out} must not be inside the submissions folder {subs}")
    if not sols.is_dir() or not any(sols.glob("*_exercises.ipynb")):
        raise GradingError(f"no solutions: {sols} holds no *_exercises.ipynb "
                           "(run from the course folder or pass --solutions)")
    try:
        return load_exercises(sols, options.exercises)
    except SolutionError as exc:
        raise GradingError(f"cannot read the solutions: {exc}") from None


def solution_imports(specs: list[ExerciseSpec]) -> list[str]:
    """Top-level modules the solution notebooks import (preloaded so students pay nothing)."""
    from IPython.core.inputtransformer2 import TransformerManager

    names: set[str] = set()
    transform = TransformerManager().transform_cell
    for spec in specs:
        for cell in spec.cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(transform(cell.source))
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
    return sorted(names)


def feedback_of(plan: RunPlan, spec: ExerciseSpec, results: dict[int, dict], notes: list[str]) -> dict:
    """What the feedback page and essay sheet may show (no hidden output, no solution source)."""
    cells = []
    for index, cell in enumerate(plan.cells):
        public = [o for o in results.get(index, {}).get("outputs", []) if not o.get("hidden")]
        if cell.role == "prose":
            cells.append({"role": "prose", "source": cell.source})
        elif cell.role == "test":  # pass/fail, the exception's type and the public check() output only
            shown = [o if o.get("output_type") != "error" else
                     {"output_type": "error", "ename": str(o.get("ename", "")), "evalue": "", "traceback": "",
                      "hidden": False} for o in public]
            cells.append({"role": "test", "grade_id": cell.grade_id, "outputs": shown})
        elif cell.role in ("answer", "extra", ESSAY):
            entry = {"role": cell.role, "grade_id": cell.grade_id, "source": cell.source,
                     "outputs": public, "answered": cell.answered}
            if cell.role == ESSAY:
                spec_cell = spec.cell(cell.grade_id)
                entry.update(max_points=spec_cell.points, rubric=spec_cell.rubric)
            cells.append(entry)
    return {"cells": cells, "notes": notes}


def failure_row(sub: Submission) -> tuple[SubmissionRow, list[QuestionScore]]:
    """The gradebook row of a submission that cannot run (corrupt, wrong notebook)."""
    spec = sub.spec
    scores = [QuestionScore(q.grade_id, q.kind, 0.0, q.points, sub.status) for q in spec.questions] if spec else []
    row = SubmissionRow(sub.student_id, sub.notebook, sub.relative, sub.content_sha256,
                        spec.sha256 if spec else "", sub.status, "; ".join([sub.reason, *sub.notes[1:]]),
                        0.0, spec.max_points if spec else 0.0, None, {"cells": [], "notes": sub.notes})
    return row, scores


class Interrupted(KeyboardInterrupt):
    """SIGTERM, turned into the same clean stop as Ctrl-C."""


def _raise_interrupted(signum, frame):
    raise Interrupted()


def grade(options: GradeOptions, echo: Callable[[str], None] = print) -> RunSummary:
    """Grade every submission; record each in the gradebook as it finishes; write the reports."""
    started = time.monotonic()
    specs = check_arguments(options)
    by_name = {s.name: s for s in specs}
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    submissions, stray = collect(Path(options.submissions), specs)
    if options.only:  # regrade these students only, whether changed or not (hand scores are kept)
        submissions = [s for s in submissions if s.student_id in {normalise_student_id(i) for i in options.only}]
        if not submissions:
            raise GradingError(f"--only {', '.join(options.only)}: no such student folder in {options.submissions}")
    scratch_root = Path(tempfile.mkdtemp(prefix="course-grade-"))
    summary = RunSummary(stray=[p.name for p in stray])
    book = Gradebook(out)
    previous_term = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        sandbox = sandboxes.detect(options.sandbox, str(scratch_root))
        summary.sandbox = sandbox.description
        echo(sandbox.description)
        jobs = options.jobs or default_jobs()
        limits = options.limits()
        run_id = book.start_run(sandbox.description, {**{k: str(v) for k, v in asdict(options).items()},
                                                      "jobs": jobs})
        todo: list[Submission] = []
        for sub in submissions:
            solution_sha = sub.spec.sha256 if sub.spec else ""
            if not (options.force or options.only) and book.is_current(sub.student_id, sub.notebook, sub.content_sha256, solution_sha):
                summary.skipped += 1
            else:
                todo.append(sub)
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="notebook", disable=not options.progress, file=sys.stderr,
                   dynamic_ncols=True)
        try:
            runnable = []
            for sub in todo:
                if sub.status:
                    row, scores = failure_row(sub)
                    book.record(row, scores, run_id)
                    summary.failed.append((sub.student_id, sub.notebook, sub.status, row.reason))
                    bar.update(1)
                else:
                    runnable.append(sub)
            if runnable:
                _run_jobs(runnable, options, limits, sandbox, scratch_root, specs, book, run_id, summary,
                          bar, min(jobs, len(runnable)))
        finally:
            bar.close()
        summary.seconds = time.monotonic() - started
        book.finish_run(run_id, "finished", _summary_record(summary))
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.seconds = time.monotonic() - started
        if "run_id" in locals():
            book.finish_run(run_id, "interrupted", _summary_record(summary))
        raise
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        try:
            with_essays = sorted(s.name for s in by_name.values() if any(c.role == ESSAY for c in s.cells))
            summary.warnings += write_reports(book, out, with_essays)
        finally:
            book.close()
            wipe(str(scratch_root))
    return summary


def _summary_record(summary: RunSummary) -> dict:
    return {"graded": summary.graded, "failed": len(summary.failed), "skipped": summary.skipped,
            "seconds": round(summary.seconds, 3), "interrupted": summary.interrupted}


def _snapshots(outcome, plan: RunPlan) -> dict[int, dict]:
    """The phase-1 snapshots, re-checked in the trusted grader: each value is decoded and
    re-encoded (anything malformed is refused), and only test cells' indices are kept."""
    from course.grading.plaindata import decode, encode

    tests = {i for i, c in enumerate(plan.cells) if c.role == "test"}
    found: dict[int, dict] = {}
    for message in outcome.messages:
        if message.get("t") != "snapshot" or message.get("i") not in tests or message["i"] in found:
            continue
        values, refused = {}, {}
        for name, tagged in (message.get("values") or {}).items():
            try:
                values[str(name)] = encode(decode(tagged))
            except (ValueError, TypeError, RecursionError) as exc:
                refused[str(name)] = ["malformed", f"malformed value ({type(exc).__name__})"]
        for name, why in (message.get("refused") or {}).items():
            if isinstance(why, list) and len(why) == 2:
                refused[str(name)] = [str(why[0])[:100], str(why[1])[:200]]
        missing = [str(n) for n in (message.get("missing") or [])]
        found[message["i"]] = {"values": values, "refused": refused, "missing": missing}
    return found


def refusal_reasons(plan: RunPlan, snapshots: dict[int, dict]) -> list[str]:
    """One sentence per answer that was not plain data (0 points for the tests reading it)."""
    from course.grading.assemble import bound_names
    from course.grading.plaindata import NotPlainData, describe_refusal

    reasons: list[str] = []
    for index, snap in sorted(snapshots.items()):
        own = bound_names(plan.cells[index].source)
        for name, (type_name, why) in sorted(snap["refused"].items()):
            if name in own:
                continue
            exc = NotPlainData(type_name, why)
            sentence = describe_refusal(name, exc)
            if f"{plan.cells[index].grade_id}: " + sentence not in reasons:
                reasons.append(f"{plan.cells[index].grade_id}: {sentence}")
    return reasons


def _run_jobs(runnable, options, limits, sandbox, scratch_root, specs, book, run_id, summary, bar, jobs):
    from course.grading.assemble import student_job_cells, inputs_of_tests, trusted_job_cells
    from collections import deque

    from course.grading.workers import run_pipeline, start_pools

    plans: dict[str, tuple[Submission, RunPlan]] = {}
    inputs = {spec.name: inputs_of_tests(spec) for spec in specs}
    job_list = []
    for n, sub in enumerate(runnable):
        plan = build_plan(sub.spec, sub.nb)
        job_id = f"job-{n}"
        plans[job_id] = (sub, plan)
        job_list.append({"id": job_id, "cells": student_job_cells(plan, inputs[sub.spec.name]),
                         "limits": limits})
    preload = list(dict.fromkeys(BASE_PRELOAD + solution_imports(specs)))
    masked = [Path(options.solutions), Path(options.out), Path(options.submissions)]
    summary.workers = jobs
    # Two pools: the students' (untrusted) zygotes, and trusted ones that never run student code
    # (half as many: the tests are a small share of the work).
    warmup = [[c.source for c in spec.cells if c.cell_type == "code"] for spec in specs
              if any(s.spec is spec for s in runnable)]
    with start_pools([(jobs, scratch_root / "student"), (max(1, jobs // 2), scratch_root / "trusted", warmup)],
                     sandbox, preload, masked) as (pool, trusted):
        summary.startup_seconds = pool.startup_seconds
        if not all(w.ready_info.get("scratch_cap") for w in pool.workers):
            summary.warnings.append("this system does not allow unprivileged user namespaces, so a "
                                    "submission's scratch space is not size-capped (file size and "
                                    "process limits still hold); see docs/grading.md")
        if pool.preload_failures:
            summary.warnings.append("could not preload: " + "; ".join(pool.preload_failures))
        first: dict[str, tuple] = {}

        def then(outcome):  # phase 1 done: the trusted tests of this submission are the next job
            sub, plan = plans[outcome.job_id]
            snapshots = _snapshots(outcome, plan)
            first[outcome.job_id] = (outcome, snapshots)
            return {"id": outcome.job_id, "cells": trusted_job_cells(plan, snapshots), "limits": limits}

        for tested in run_pipeline([(pool, deque(job_list), then), (trusted, deque(), None)]):
            sub, plan = plans.pop(tested.job_id)
            outcome, snapshots = first.pop(tested.job_id)
            _record(sub, plan, outcome, tested, snapshots, limits, book, run_id, summary)
            bar.update(1)


def _record(sub, plan, outcome, tested, snapshots, limits, book, run_id, summary) -> None:
    """Judge both phases of one submission and record its row."""
    student = judge(sub.spec, list(plan.cells), outcome.messages, outcome.end, limits)
    verdict = judge(sub.spec, list(plan.cells), tested.messages, tested.end, limits)
    results = dict(student.cell_results)
    results.update({i: r for i, r in verdict.cell_results.items() if plan.cells[i].role == "test"})
    status = student.status if student.status != GRADED else verdict.status
    from course.grading.assemble import tampering

    reasons = [*student.reasons, *refusal_reasons(plan, snapshots), *tampering(plan, sub.spec),
               *(f"while testing: {r}" for r in verdict.reasons)]
    notes = [*sub.notes, *plan.notes]
    answers = [c for c in plan.cells if c.role in ("answer", ESSAY)]
    if answers and not any(c.answered for c in answers):
        notes.append("untouched: no answer differs from the released notebook")
    reason = "; ".join([*reasons, *notes])
    seconds = sum(e.get("seconds") or 0.0 for e in (outcome.end, tested.end)) or None
    row = SubmissionRow(sub.student_id, sub.notebook, sub.relative, sub.content_sha256,
                        sub.spec.sha256, status, reason, verdict.auto_total,
                        sub.spec.max_points, seconds,
                        feedback_of(plan, sub.spec, results, notes))
    book.record(row, verdict.scores, run_id)
    if status == GRADED:
        summary.graded += 1
    else:
        summary.failed.append((sub.student_id, sub.notebook, status, reason))


def format_summary(summary: RunSummary, out: Path) -> str:
    """The closing lines of ``course grade``."""
    lines = [f"{'Interrupted after' if summary.interrupted else 'Done in'} {summary.seconds:.1f} s "
             f"({summary.workers} worker{'s' if summary.workers != 1 else ''}, start-up "
             f"{summary.startup_seconds:.1f} s): {summary.graded} graded, {len(summary.failed)} failed, "
             f"{summary.skipped} unchanged since the last run (skipped)."]
    for student, notebook, status, reason in summary.failed:
        lines.append(f"  FAILED {student} / {notebook}: {status}: {reason}")
    if summary.stray:
        lines.append(f"  IGNORED {len(summary.stray)} notebook(s) lying directly in the submissions folder, "
                     f"not in a student folder: {', '.join(summary.stray)} (see docs/grading.md, 'Layouts')")
    lines += [f"  WARNING {w}" for w in summary.warnings]
    lines.append(f"Wrote {Path(out) / 'grades.csv'}, by_notebook/, feedback/ and essays/ (gradebook: "
                 f"{Path(out) / Gradebook.FILE_NAME}).")
    if summary.sandbox.startswith("NO SANDBOX"):
        lines.append(summary.sandbox)
    return "\n".join(lines)
