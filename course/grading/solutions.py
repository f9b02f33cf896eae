"""Read ``solutions/*_exercises.ipynb`` into :class:`ExerciseSpec` objects.

A spec is everything the grader needs to know about one exercise notebook: its cells in order,
the role of each (prose, locked code, answer, test, essay), the release placeholder of every
answer (what an untouched student copy holds), the public and hidden parts of every test, the
points and the essay rubrics. Reading is pure: no notebook is executed here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.release.nbgrader_format import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    check_points,
    is_explanation,
    nbgrader_meta,
    release_cell_source,
    split_essay_solution,
    validate_notebook,
)
from course.release.nbgrader_format import FormatError as SolutionError

#: Cell roles.
PROSE, LOCKED, ANSWER, TEST, ESSAY = "prose", "locked", "answer", "test", "essay"


@dataclass(frozen=True)
class Segment:
    """A consecutive run of lines of a test cell, either public (the self-check) or hidden."""

    source: str
    hidden: bool


@dataclass(frozen=True)
class SpecCell:
    """One cell of a solution notebook, with what the grader needs about it."""

    position: int
    role: str
    cell_type: str
    grade_id: str | None
    source: str
    placeholder: str = ""
    points: float = 0.0
    segments: tuple[Segment, ...] = ()
    rubric: str = ""
    model_answer: str = ""


@dataclass(frozen=True)
class Question:
    """A graded item: an auto-graded test cell or a hand-graded essay cell."""

    grade_id: str
    kind: str  # "auto" or "essay"
    points: float
    answer_id: str | None = None  # the answer cell an auto-graded test belongs to, if known


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything the grader knows about one ``solutions/NN_name_exercises.ipynb``."""

    name: str
    path: Path
    sha256: str
    cells: tuple[SpecCell, ...]
    questions: tuple[Question, ...]
    grade_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)

    def cell(self, grade_id: str) -> SpecCell:
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell
        raise KeyError(grade_id)

    @property
    def answer_ids(self) -> tuple[str, ...]:
        return tuple(c.grade_id for c in self.cells if c.role in (ANSWER, ESSAY) and c.grade_id)


def cell_role(cell) -> str:
    """Classify a cell by its nbgrader flags (authoring guide, table of cells)."""
    meta = nbgrader_meta(cell)
    solution, grade = bool(meta.get("solution")), bool(meta.get("grade"))
    if solution and grade:
        return ESSAY
    if solution:
        return ANSWER
    if grade:
        return TEST
    if cell.get("cell_type") == "code":
        return LOCKED
    return PROSE


def split_test_segments(source: str) -> tuple[Segment, ...]:
    """Split a test cell into public and hidden segments, in order, dropping the marker lines."""
    segments: list[Segment] = []
    current: list[str] = []
    hidden = False
    for line in source.split("\n"):
        marker = BEGIN_HIDDEN in line or END_HIDDEN in line
        if marker:
            if current and "\n".join(current).strip():
                segments.append(Segment("\n".join(current), hidden))
            current = []
            hidden = BEGIN_HIDDEN in line
        else:
            current.append(line)
    if hidden:
        raise SolutionError("BEGIN HIDDEN TESTS without END HIDDEN TESTS")
    if current and "\n".join(current).strip():
        segments.append(Segment("\n".join(current), hidden))
    return tuple(segments)


def compiles(source: str) -> bool:
    """Whether IPython could run this source as a cell on its own (magics allowed)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        compile(TransformerManager().transform_cell(source), "<cell>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def runnable_segments(segments: tuple[Segment, ...], source: str) -> tuple[Segment, ...]:
    """The segments to run one after another, or the whole cell as one hidden segment when a
    hidden region cannot run on its own (e.g. it sits inside an indented block)."""
    if len(segments) <= 1 or all(compiles(s.source) for s in segments):
        return segments
    return (Segment(source, hidden=True),)


def answer_id_for_test(test_id: str, answer_ids: set[str]) -> str | None:
    """The answer cell a test belongs to, by the naming convention ``qN`` ↔ ``qN_answer``."""
    candidate = f"{test_id}_answer"
    return candidate if candidate in answer_ids else None


def load_exercise(path: Path, placeholders: dict[str, str] | None = None) -> ExerciseSpec:
    """Read one solution notebook into a spec.

    ``placeholders`` (grade_id → source) overrides the computed release placeholders, e.g.
    with the cells of the released ``exercises/`` copy.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same problem for us
        raise SolutionError(f"{path}: not a readable notebook ({exc})") from exc
    # The same rules as `course release` (nbgrader's): a solution it would refuse is refused
    # here, before any submission runs, with the same one-line message.
    validate_notebook(nb, path.name)
    cells: list[SpecCell] = []
    seen: set[str] = set()
    # Worked explanations are not in the student's copy: leave them out so positions match it.
    for position, cell in enumerate(c for c in nb.cells if not is_explanation(c)):
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id") or None
        role = cell_role(cell)
        if grade_id in seen:
            raise SolutionError(f"{path.name}: grade_id {grade_id!r} is used twice")
        if grade_id:
            seen.add(grade_id)
        if role in (ANSWER, ESSAY, TEST) and not grade_id:
            raise SolutionError(f"{path.name}: cell {position} is a {role} cell without a grade_id")
        source = cell.source
        kwargs: dict = {}
        if role in (ANSWER, ESSAY):
            placeholder = (placeholders or {}).get(grade_id)
            kwargs["placeholder"] = placeholder if placeholder is not None else release_cell_source(
                source, cell.cell_type, f"{path.name}, cell {position + 1}")
        if role in (TEST, ESSAY):
            kwargs["points"] = check_points(meta.get("points"), f"{path.name}: grade cell {grade_id!r}")
        if role == TEST:
            kwargs["segments"] = runnable_segments(split_test_segments(source), source)
        if role == ESSAY:
            kwargs["model_answer"], kwargs["rubric"] = split_essay_solution(source)
        cells.append(SpecCell(position, role, cell.cell_type, grade_id, source, **kwargs))
    answer_ids = {c.grade_id for c in cells if c.role == ANSWER}
    questions = tuple(
        Question(c.grade_id, "essay" if c.role == ESSAY else "auto", c.points,
                 answer_id_for_test(c.grade_id, answer_ids) if c.role == TEST else c.grade_id)
        for c in cells if c.role in (TEST, ESSAY)
    )
    return ExerciseSpec(
        name=exercise_name(path), path=path, sha256=hashlib.sha256(raw).hexdigest(),
        cells=tuple(cells), questions=questions, grade_ids=frozenset(seen),
    )


def exercise_name(path: Path) -> str:
    """``solutions/01_roots_exercises.ipynb`` → ``01_roots_exercises``."""
    return Path(path).name.removesuffix(".ipynb")


def released_placeholders(exercise_path: Path) -> dict[str, str]:
    """grade_id → source of the answer and essay cells of a released student copy."""
    nb = nbformat.read(str(exercise_path), as_version=4)
    return {
        nbgrader_meta(c)["grade_id"]: c.source
        for c in nb.cells
        if cell_role(c) in (ANSWER, ESSAY) and nbgrader_meta(c).get("grade_id")
    }


def load_exercises(solutions_dir: Path, exercises_dir: Path | None = None) -> list[ExerciseSpec]:
    """All ``*_exercises.ipynb`` specs in a solutions folder, sorted by name.

    When ``exercises_dir`` holds the released copy of a notebook, its answer cells are the
    placeholders (what "untouched" means); otherwise they are computed like the release does.
    """
    specs = []
    for path in sorted(Path(solutions_dir).glob("*_exercises.ipynb")):
        released = Path(exercises_dir) / path.name if exercises_dir else None
        try:
            placeholders = released_placeholders(released) if released and released.is_file() else None
        except Exception as exc:  # noqa: BLE001 - one line, not a traceback
            raise SolutionError(f"{released}: the released copy is not a readable notebook "
                                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from None
        specs.append(load_exercise(path, placeholders))
    return specs
