"""Find submitted notebooks, read them safely and match each to an exercise notebook.

Layout: ``SUBMISSIONS/<student_id>/<notebook>.ipynb`` (any depth below the student's folder).
A notebook is identified by its content first (the nbgrader ``grade_id`` s it carries and its
locked cells) and by its file name second, so LMS-mangled names (``01_roots_exercises (2).ipynb``,
``jdoe_123_456_01_roots_exercises.ipynb``) are fine. When a student has several files for one
notebook, one is chosen (readable before corrupt, then newest, then last by name) and the
reason names it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.release.nbgrader_format import submission_problem
from course.grading.solutions import LOCKED, PROSE, TEST, ExerciseSpec, nbgrader_meta, split_test_segments

#: Folder names never taken for student folders or notebook folders.
SKIPPED_DIRS = {".ipynb_checkpoints", "__MACOSX", ".git"}


#: A submitted notebook larger than this is not read (an exercise notebook is well under 1 MB).
MAX_NOTEBOOK_BYTES = 50 * 2**20
#: Statuses of files that could not be read at all.
UNREADABLE = ("corrupt", "too_large")


@dataclass(frozen=True)
class SubmittedFile:
    """One ``.ipynb`` file found under ``SUBMISSIONS/<student_id>/``."""

    student_id: str
    path: Path
    relative: str  # the path below the student's folder, for messages


@dataclass
class Submission:
    """One (student, notebook) to grade, with whatever is already known to be wrong with it."""

    student_id: str
    notebook: str
    path: Path
    relative: str
    content_sha256: str
    spec: ExerciseSpec | None = None
    nb: nbformat.NotebookNode | None = None
    status: str | None = None  # a failure known before running: "corrupt", "too_large", "wrong_notebook"
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def normalise_student_id(name: str) -> str:
    """Student ids are folder names in Unicode NFC (zip tools on macOS write NFD)."""
    return unicodedata.normalize("NFC", name)


def discover(submissions_dir: Path) -> tuple[list[SubmittedFile], list[Path]]:
    """``(files in student folders, stray .ipynb files lying directly in SUBMISSIONS/)``."""
    root = Path(submissions_dir)
    files: list[SubmittedFile] = []
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not _skipped(p.name)):
        for path in sorted(student_dir.rglob("*.ipynb")):
            rel = path.relative_to(student_dir)
            if any(_skipped(part) for part in rel.parts[:-1]) or not path.is_file():
                continue
            files.append(SubmittedFile(normalise_student_id(student_dir.name), path, rel.as_posix()))
    stray = sorted(p for p in root.glob("*.ipynb") if p.is_file())
    return files, stray


def _skipped(name: str) -> bool:
    return name in SKIPPED_DIRS or name.startswith(".")


class CorruptNotebook(ValueError):
    """The file is not a readable notebook; the message says why in words."""


_PARTIAL_TAIL = re.compile(r"\s*(t(r(ue?)?)?|f(a(l(se?)?)?)?|n(u(ll?)?)?|-?[0-9.eE+-]*)\s*")


def _ran_out(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON failed only because the input stopped: a prefix of a valid document fails
    at its very end, in a string that never closes (JSON strings cannot hold a raw newline, so an
    unterminated one runs to the end), or in a literal or number cut short."""
    return (exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
            or bool(_PARTIAL_TAIL.fullmatch(text[exc.pos:])))


def read_notebook(raw: bytes) -> nbformat.NotebookNode:
    """Parse submitted bytes into a v4 notebook or raise :class:`CorruptNotebook` saying why."""
    if not raw.strip():
        raise CorruptNotebook("the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptNotebook(f"the file is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = "it ends too early (truncated)" if _ran_out(text, exc) else f"line {exc.lineno} column {exc.colno}"
        raise CorruptNotebook(f"the file is not valid JSON: {exc.msg}; {where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        raise CorruptNotebook("the file is JSON but not a notebook (it has no list of cells)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds
        raise CorruptNotebook(f"nbformat cannot read it ({type(exc).__name__}: {exc})") from None
    for index, cell in enumerate(nb.cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("source", None), str):
            raise CorruptNotebook(f"cell {index} has no source text")
        if not isinstance(cell.get("metadata", {}), dict):
            cell["metadata"] = {}
    problem = submission_problem(nb)  # the same module as release's rules (nbgrader_format)
    if problem:
        raise CorruptNotebook(f"broken nbgrader metadata: {problem}")
    return nb


def file_name_key(name: str) -> str:
    """Lower-case, accents kept, every run of other characters turned into ``_``."""
    stem = name.removesuffix(".ipynb") if name.endswith(".ipynb") else name
    return "_" + re.sub(r"[\W_]+", "_", unicodedata.normalize("NFC", stem).lower()) + "_"


def named_like(file_name: str, spec: ExerciseSpec) -> bool:
    """Whether a (possibly LMS-mangled) file name names this exercise notebook."""
    return file_name_key(spec.name) in file_name_key(file_name)


def _public_source(source: str) -> str:
    return "\n".join(s.source for s in split_test_segments(source) if not s.hidden).strip()


def content_evidence(nb: nbformat.NotebookNode, spec: ExerciseSpec) -> tuple[int, int]:
    """``(locked cells identical to the solution's, grade_ids shared)`` between a notebook and a spec."""
    ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None, ""}
    identical = 0
    locked = {c.grade_id: c for c in spec.cells if c.grade_id and c.role in (LOCKED, TEST, PROSE)}
    for cell in nb.cells:
        spec_cell = locked.get(nbgrader_meta(cell).get("grade_id"))
        if spec_cell is None:
            continue
        expected = _public_source(spec_cell.source) if spec_cell.role == TEST else spec_cell.source.strip()
        if cell.source.strip() in (expected, spec_cell.source.strip()):
            identical += 1
    return identical, len(ids & spec.grade_ids)


def match_exercise(nb: nbformat.NotebookNode, file_name: str, specs: list[ExerciseSpec]
                   ) -> tuple[ExerciseSpec | None, str]:
    """The exercise a submitted notebook is, and a note when the name and the content disagree.

    Returns ``(None, reason)`` when it is none of them.
    """
    ranked = []
    for spec in specs:
        identical, shared = content_evidence(nb, spec)
        ranked.append((identical + shared, identical, named_like(file_name, spec), spec))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    best_score, best_identical, best_named, best = ranked[0] if ranked else (0, 0, False, None)
    if best is not None and best_score > 0 and (best_identical > 0 or best_named):
        named = [r[3] for r in ranked if r[2]]
        if named and best not in named:
            return best, (f"the file is named like {named[0].name} but its cells are those of "
                          f"{best.name}: graded as {best.name}")
        return best, ""
    names = ", ".join(s.name for s in specs)
    ids = sorted({nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None, ""})
    named = [s for s in specs if named_like(file_name, s)]
    if named and not ids:
        return None, (f"wrong notebook: the file is named like {named[0].name} but carries no "
                      "nbgrader cell metadata at all (was it re-created, copied into a new "
                      "notebook or converted by another tool?), so answers cannot be told from tests")
    carried = f"its cell ids are {', '.join(ids[:8])}{'…' if len(ids) > 8 else ''}" if ids else (
        "it carries no nbgrader cell ids")
    return None, f"wrong notebook: this is none of the exercise notebooks ({names}); {carried}"


def collect(submissions_dir: Path, specs: list[ExerciseSpec]) -> tuple[list[Submission], list[Path]]:
    """Every (student, notebook) to grade, one per pair, plus the stray files that were ignored."""
    files, stray = discover(submissions_dir)
    candidates: dict[tuple[str, str], list[Submission]] = {}
    for found in files:
        candidate = _examine(found, specs)
        candidates.setdefault((candidate.student_id, candidate.notebook), []).append(candidate)
    chosen = [choose(group) for _, group in sorted(candidates.items())]
    return chosen, stray


def _examine(found: SubmittedFile, specs: list[ExerciseSpec]) -> Submission:
    named = [s for s in specs if named_like(found.path.name, s)]
    size = found.path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:  # never read it into memory
        digest = hashlib.sha256()
        with open(found.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sub = Submission(found.student_id, found.path.name.removesuffix(".ipynb"), found.path,
                         found.relative, digest.hexdigest())
        if named:
            sub.notebook, sub.spec = named[0].name, named[0]
        sub.status, sub.reason = "too_large", (
            f"file too large: {found.relative!r} is {size / 2**20:.0f} MB, over the "
            f"{MAX_NOTEBOOK_BYTES // 2**20} MB limit for a submission (huge outputs or embedded data? "
            "clear the outputs and hand it in again)")
        return sub
    raw = found.path.read_bytes()
    sub = Submission(found.student_id, found.path.name.removesuffix(".ipynb"), found.path,
                     found.relative, hashlib.sha256(raw).hexdigest())
    try:
        sub.nb = read_notebook(raw)
    except CorruptNotebook as exc:
        if named:
            sub.notebook, sub.spec = named[0].name, named[0]
        sub.status, sub.reason = "corrupt", f"corrupt file {found.relative!r}: {exc}"
        return sub
    spec, note = match_exercise(sub.nb, found.path.name, specs)
    if spec is None:
        sub.status, sub.reason = "wrong_notebook", f"{found.relative!r}: {note}"
        meant = intended_exercise(found, specs)
        if meant is not None:  # filed under the assignment it was meant to be, with 0
            sub.notebook, sub.spec = meant.name, meant
            sub.reason += f"; filed under {meant.name} (named so by its file or folder) with 0 points"
        return sub
    sub.notebook, sub.spec = spec.name, spec
    if note:
        sub.notes.append(note)
    return sub


def intended_exercise(found: SubmittedFile, specs: list[ExerciseSpec]) -> ExerciseSpec | None:
    """The exercise a file was meant to be, told by its file name or else by the folder it lies in
    (``alice/01_roots_exercises/notes.ipynb``); None when neither names exactly one exercise."""
    for name in (found.path.name, *reversed(Path(found.relative).parts[:-1])):
        named = [s for s in specs if named_like(name, s)]
        if len(named) == 1:
            return named[0]
    return None


def choose(group: list[Submission]) -> Submission:
    """One submission of a student's several files for one notebook, with a note naming it."""
    if len(group) == 1:
        return group[0]
    ranked = sorted(group, key=lambda s: (s.status not in UNREADABLE, s.path.stat().st_mtime, s.relative))
    pick = ranked[-1]
    others = ", ".join(repr(s.relative) for s in ranked[:-1])
    pick.notes.insert(0, f"{len(group)} files for this notebook: graded {pick.relative!r} "
                         f"(readable and newest), ignored {others}")
    if pick.status:
        pick.reason = f"{pick.reason}; {pick.notes[0]}"
    return pick
