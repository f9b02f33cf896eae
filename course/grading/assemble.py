"""Rebuild a submission into the notebook that actually runs: the solution's cells, in the
solution's order, with the student's answers put in.

- Prose, locked code and test cells come from the solution (tests with their hidden part), so
  editing, deleting or reordering them changes nothing; each such event becomes a note.
- Answer and essay cells come from the submission by ``grade_id``; a missing one is the release
  placeholder, i.e. unanswered.
- Code cells the student added (no or unknown ``grade_id``, or a copy of an answer cell) run in
  place: right after the known cell they followed in the student's notebook, as they did when
  the student ran it (this is also what nbgrader does). Added markdown cells are not run.
"""

from __future__ import annotations

from dataclasses import dataclass

import nbformat

from course.grading.solutions import (
    ANSWER, LOCKED, PROSE, TEST, ExerciseSpec, Segment, nbgrader_meta, split_test_segments,
)

EXTRA = "extra"


@dataclass(frozen=True)
class PlanCell:
    """One cell of the rebuilt notebook."""

    grade_id: str | None
    role: str  # prose, locked, answer, test, essay, extra
    cell_type: str
    source: str  # what the student sees in the feedback (answers) or what runs
    segments: tuple[Segment, ...]  # what runs, in order (empty: not run)
    answered: bool = False  # answers and essays: differs from the release placeholder

    def to_job(self) -> dict:
        """The JSON the executor needs for this cell."""
        return {"grade_id": self.grade_id, "role": self.role,
                "segments": [{"source": s.source, "hidden": s.hidden} for s in self.segments]}


@dataclass(frozen=True)
class RunPlan:
    cells: tuple[PlanCell, ...]
    notes: tuple[str, ...]


def _same(a: str, b: str) -> bool:
    return "\n".join(line.rstrip() for line in a.strip().splitlines()) == \
        "\n".join(line.rstrip() for line in b.strip().splitlines())


def _released_test(source: str) -> str:
    return "\n".join(s.source for s in split_test_segments(source) if not s.hidden)


def build_plan(spec: ExerciseSpec, nb: nbformat.NotebookNode) -> RunPlan:
    """The cells to run for one submission, and notes on what differed from the release."""
    by_id = {c.grade_id: c for c in spec.cells if c.grade_id}
    found: dict[str, nbformat.NotebookNode] = {}
    extras: dict[str | None, list[str]] = {}
    order: list[str] = []
    duplicates_ignored: list[str] = []
    anchor: str | None = None
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id") or None
        known = grade_id in by_id
        if known and grade_id not in found:
            found[grade_id] = cell
            order.append(grade_id)
            anchor = grade_id
        elif cell.get("cell_type") == "code" and cell.source.strip() and (
                not known or by_id[grade_id].role == ANSWER):
            extras.setdefault(anchor, []).append(cell.source)
        elif known:
            duplicates_ignored.append(grade_id)

    notes: list[str] = []
    cells: list[PlanCell] = [PlanCell(None, EXTRA, "code", s, (Segment(s, False),))
                             for s in extras.get(None, [])]
    deleted, edited, unrun = [], [], []
    for spec_cell in spec.cells:
        sub_cell = found.get(spec_cell.grade_id) if spec_cell.grade_id else None
        role = spec_cell.role
        if role == PROSE:
            cells.append(PlanCell(spec_cell.grade_id, PROSE, spec_cell.cell_type, spec_cell.source, ()))
        elif role in (LOCKED, TEST):
            if spec_cell.grade_id and spec_cell.cell_type == "code":
                if sub_cell is None:
                    deleted.append(spec_cell.grade_id)
                elif not (_same(sub_cell.source, spec_cell.source) or
                          _same(sub_cell.source, _released_test(spec_cell.source))):
                    edited.append(spec_cell.grade_id)
            segments = spec_cell.segments if role == TEST else (Segment(spec_cell.source, False),)
            if spec_cell.cell_type != "code":
                segments = ()
            cells.append(PlanCell(spec_cell.grade_id, role, spec_cell.cell_type, spec_cell.source, segments))
        else:  # ANSWER or ESSAY: the student's text
            source = spec_cell.placeholder
            if sub_cell is None:
                deleted.append(spec_cell.grade_id)
            elif spec_cell.cell_type == "code" and sub_cell.cell_type != "code":
                unrun.append(spec_cell.grade_id)
            else:
                source = sub_cell.source
            runs = spec_cell.cell_type == "code"
            cells.append(PlanCell(spec_cell.grade_id, role, spec_cell.cell_type, source,
                                  (Segment(source, False),) if runs else (),
                                  answered=not _same(source, spec_cell.placeholder)))
        cells.extend(PlanCell(None, EXTRA, "code", s, (Segment(s, False),))
                     for s in extras.get(spec_cell.grade_id, []))

    if deleted:
        notes.append(f"cells deleted in the submission: {', '.join(deleted)} "
                     "(locked ones restored from the solution, answers taken as unanswered)")
    if edited:
        notes.append(f"locked cells edited in the submission: {', '.join(edited)} "
                     "(the solution's version ran)")
    if unrun:
        notes.append(f"answer cells turned into markdown: {', '.join(unrun)} (not run, unanswered)")
    spec_order = [c.grade_id for c in spec.cells if c.grade_id in found]
    if order != spec_order:
        notes.append("cells were reordered in the submission (they ran in the solution's order)")
    n_extra = sum(len(v) for v in extras.values())
    if n_extra:
        notes.append(f"{n_extra} code cell{'s' if n_extra > 1 else ''} added by the student ran "
                     "after the cell they followed")
    if duplicates_ignored:
        notes.append(f"copies of locked cells ignored: {', '.join(sorted(set(duplicates_ignored)))}")
    return RunPlan(tuple(cells), tuple(notes))


# --- The two phases (docs/grading.md, "What the grader guarantees") -------------------------

def _tree(source: str):
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def bound_names(source: str) -> set[str]:
    """Names a cell binds anywhere (assignments, imports, def/class, for targets, ...)."""
    import ast

    tree = _tree(source)
    names: set[str] = set()
    if tree is None:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def loaded_names(source: str) -> set[str]:
    import ast

    tree = _tree(source)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def inputs_of_tests(spec: ExerciseSpec) -> dict[str, tuple[str, ...]]:
    """grade_id of each test cell → the names it reads from the student's work: the names it
    reads minus builtins and the names the locked (setup) cells define. Computed from the solutions,
    in the trusted grader; only these names are ever asked of the student's process."""
    import builtins

    setup: set[str] = set()
    for cell in spec.cells:
        if cell.role == LOCKED and cell.cell_type == "code":
            setup |= bound_names(cell.source)
    known = set(dir(builtins)) | setup | {"In", "Out", "get_ipython", "exit", "quit", "display"}
    inputs = {}
    for cell in spec.cells:
        if cell.role == TEST and cell.cell_type == "code":
            free = loaded_names(cell.source) - known  # a name the test rebinds may still be read first
            inputs[cell.grade_id] = tuple(sorted(free))
    return inputs


def student_job_cells(plan: RunPlan, inputs: dict[str, tuple[str, ...]]) -> list[dict]:
    """Phase 1 (the student's process): locked, answer and added cells run; at each test cell's
    place only a snapshot of the names it reads is taken. No test source is in this job."""
    cells = []
    for cell in plan.cells:
        if cell.role == TEST:
            cells.append({"grade_id": cell.grade_id, "role": TEST, "segments": [],
                          "snapshot": list(inputs.get(cell.grade_id, ()))})
        else:
            cells.append(cell.to_job())
    return cells


def trusted_job_cells(plan: RunPlan, snapshots: dict[int, dict]) -> list[dict]:
    """Phase 2 (a process no student code ever ran in): the solution's locked cells and whole
    test cells, each test bound to the plain-data snapshot taken at its place in phase 1 (a test
    whose place phase 1 never reached does not run). Answer and added cells do not run."""
    cells = []
    for index, cell in enumerate(plan.cells):
        if cell.role == LOCKED:
            cells.append(cell.to_job())
        elif cell.role == TEST and index in snapshots:
            snap = snapshots[index]
            job = cell.to_job()
            job["bind"] = snap["values"]
            job["unbind"] = sorted(set(snap["refused"]) | set(snap["missing"]))
            cells.append(job)
        else:
            cells.append({"grade_id": cell.grade_id, "role": cell.role, "segments": []})
    return cells


#: Module attributes and machinery whose rebinding by a submission is worth a note.
WATCHED_CALLS = {"setattr", "delattr", "__import__", "exec", "eval", "compile"}
WATCHED_MODULES = {"builtins", "gc", "IPython", "inspect", "ctypes", "sys", "traceback"}


def tampering(plan: RunPlan, spec: ExerciseSpec) -> list[str]:
    """What a submission's own code (answer and added cells) does to what the tests use,
    found statically: rebinding builtins, setup names or names the tests call, assigning to
    module attributes (``math.isclose = ...``, IPython's machinery), ``setattr`` and friends,
    reaching for ``gc``/``builtins``/``ctypes``. Only for the reason: none of it can change a
    score, because the tests run in another process on the answers as plain data."""
    import ast
    import builtins

    setup: set[str] = set()
    used: set[str] = set()
    for cell in spec.cells:
        if cell.role == LOCKED and cell.cell_type == "code":
            setup |= bound_names(cell.source)
        elif cell.role == TEST and cell.cell_type == "code":
            used |= loaded_names(cell.source)
    answers = {n for names in inputs_of_tests(spec).values() for n in names}
    sensitive = (set(dir(builtins)) | setup | used) - answers
    found: set[str] = set()
    modules_seen: set[str] = set()
    for cell in plan.cells:
        if cell.role in (ANSWER, EXTRA, LOCKED) and cell.segments:
            tree = _tree(cell.source)
            for node in ast.walk(tree) if tree is not None else ():
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    modules_seen.update(a.asname or a.name.split(".")[0] for a in node.names)
    for cell in plan.cells:
        if cell.role not in (ANSWER, EXTRA) or not cell.segments:
            continue
        tree = _tree(cell.source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.id in sensitive:
                found.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in sensitive:
                found.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
                root = node.value
                while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                    root = root.value if not isinstance(root, ast.Call) else root.func
                if isinstance(root, ast.Name) and (root.id in sensitive or root.id in modules_seen):
                    found.add(ast.unparse(node))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WATCHED_CALLS:
                found.add(f"{node.func.id}()")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found.update(f"import {m}" for m in modules if m.split(".")[0] in WATCHED_MODULES)
            elif isinstance(node, ast.Name) and node.id in ("__builtins__", "get_ipython"):
                found.add(node.id)
    if not found:
        return []
    shown = sorted(found)
    more = f" and {len(shown) - 30} more" if len(shown) > 30 else ""
    return [f"tampering detected (no effect on the score: the tests ran in a separate process on the "
            f"answers as plain data): {', '.join(shown[:30])}{more}"]
