"""Generate sample submissions of an exercise notebook, with the scores they must get.

Used by the tests and the benchmark, and handy to smoke-test a new exercise notebook:

- ``correct``:   every answer cell holds the model solution (essays the model answer);
- ``wrong``:     every name an answer defines is bound to an object on which every operation
                 fails, so every test that touches it fails;
- ``partial``:   the first half of the answer cells correct, the rest wrong;
- ``untouched``: the released student copy, as handed out.

The student copy is built from the solution like the release does (solution regions replaced
by the stub, hidden tests removed, outputs cleared), keeping every cell's nbgrader metadata.
"""

from __future__ import annotations

import ast
import copy
import math

import nbformat

from course.release.exercise import make_exercise
from course.release.nbgrader_format import solution_text
from course.grading.solutions import (
    ANSWER, ESSAY, ExerciseSpec, nbgrader_meta,
)

KINDS = ("correct", "wrong", "partial", "untouched")

WRONG_CLASS = '''class _WrongAnswer:
    """A deliberately wrong answer: every use of it fails."""

    def _fail(self, *args, **kwargs):
        raise TypeError("deliberately wrong sample answer")

    __int__ = __float__ = __index__ = __iter__ = __len__ = __bool__ = __call__ = _fail
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __getitem__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _fail
    __abs__ = __round__ = __neg__ = __contains__ = __getattr__ = _fail
'''


def student_solution(source: str) -> str:
    """What a student who found the model answer writes: the cell without the marker lines."""
    return "\n".join(line for line in source.split("\n")
                     if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def defined_names(source: str) -> list[str]:
    """Names a cell binds at top level (assignments, functions, classes), in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = []
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.append(sub.id)
    return list(dict.fromkeys(names))


def wrong_answer(spec_source: str, placeholder: str) -> str:
    """An answer cell that binds every answer name to a :data:`WRONG_CLASS` object."""
    names = defined_names(solution_text(spec_source)) or defined_names(placeholder)
    return "\n".join([placeholder, WRONG_CLASS, *[f"{n} = _WrongAnswer()" for n in names]])


def answer_order(spec: ExerciseSpec) -> list[str]:
    return [c.grade_id for c in spec.cells if c.role in (ANSWER, ESSAY)]


def correct_answers(spec: ExerciseSpec, kind: str) -> set[str]:
    """The answer/essay ids a sample of this kind answers correctly."""
    order = answer_order(spec)
    if kind == "correct":
        return set(order)
    if kind == "partial":
        return set(order[: math.ceil(len(order) / 2)])
    return set()


def release_copy(spec: ExerciseSpec) -> nbformat.NotebookNode:
    """The student copy of a solution notebook: exactly what ``course release`` hands out."""
    return make_exercise(nbformat.read(str(spec.path), as_version=4), spec.path.name)


def make_submission(spec: ExerciseSpec, kind: str) -> nbformat.NotebookNode:
    """A sample submission of the given kind (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    nb = release_copy(spec)
    right = correct_answers(spec, kind)
    for cell, spec_cell in zip(nb.cells, spec.cells):
        if spec_cell.role == ESSAY and spec_cell.grade_id in right:
            cell.source = spec_cell.model_answer or student_solution(spec_cell.source)
        elif spec_cell.role == ANSWER and kind != "untouched":
            cell.source = student_solution(spec_cell.source) if spec_cell.grade_id in right else \
                wrong_answer(spec_cell.source, spec_cell.placeholder)
    return copy.deepcopy(nb)


def expected_scores(spec: ExerciseSpec, kind: str) -> dict[str, float | None]:
    """grade_id → the points a sample of this kind must get.

    Essays: 0 when unanswered, ``None`` (awaiting a hand score) when answered. A test that
    cannot be tied to one answer cell (no ``qN_answer`` for ``qN``) is ``None`` in a partial
    sample: its score depends on more than one answer.
    """
    right = correct_answers(spec, kind)
    expected: dict[str, float | None] = {}
    for question in spec.questions:
        if question.kind == "essay":
            expected[question.grade_id] = None if question.grade_id in right else 0.0
        elif kind == "correct":
            expected[question.grade_id] = question.points
        elif kind in ("wrong", "untouched"):
            expected[question.grade_id] = 0.0
        elif question.answer_id is None:
            expected[question.grade_id] = None
        else:
            expected[question.grade_id] = question.points if question.answer_id in right else 0.0
    return expected


def nbgrader_ids(nb: nbformat.NotebookNode) -> list[str]:
    return [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c).get("grade_id")]
