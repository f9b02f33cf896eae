"""nbgrader's cell format (schema 3), read and rewritten: the one place both release and
grading learn what a cell is.

Mirrors nbgrader's preprocessors ``ClearSolutions`` and ``ClearHiddenTests``: solution regions
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become a stub; hidden-test regions
between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed. As in nbgrader, a
line is a marker when it contains the delimiter (``BEGIN SOLUTION`` …), whatever comes before it.
"""

from __future__ import annotations

import math
import re
from typing import Any

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"  # nbgrader's delimiters
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARK = "### "  # how the course writes a marker line: "### BEGIN SOLUTION"
CODE_STUB = "# YOUR CODE HERE"
BLOCK_STUB = "# YOUR CODE HERE\npass"  # inside an indented block a comment alone is a syntax error
TEXT_STUB = "YOUR ANSWER HERE"
RUBRIC_HEADING = re.compile(r"^#{2,6}\s*Rubric\s*$", re.IGNORECASE | re.MULTILINE)
OUR_KEY = "course"


class FormatError(ValueError):
    """A solution notebook breaks the nbgrader cell format (unbalanced markers, bad metadata)."""


def nbgrader_meta(cell: Any) -> dict:
    """The cell's ``metadata.nbgrader`` (a copy); ``{}`` when absent or not a mapping (the
    validators below refuse the latter: a solution at release, a submission as corrupt)."""
    metadata = cell.get("metadata", {})
    meta = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return dict(meta) if isinstance(meta, dict) else {}


def grade_id(cell: Any) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_solution(cell: Any) -> bool:
    return bool(nbgrader_meta(cell).get("solution", False))


def is_grade(cell: Any) -> bool:
    return bool(nbgrader_meta(cell).get("grade", False))


def is_locked(cell: Any) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked", False)) or (is_grade(cell) and not is_solution(cell))


def points(cell: Any) -> float:
    """The points of a grade cell (0 for any other cell). Validate first: an invalid value
    raises :class:`FormatError` here rather than reaching the gradebook."""
    meta = nbgrader_meta(cell)
    if "points" not in meta or not meta.get("grade"):
        return 0.0
    return check_points(meta["points"], f"grade cell {meta.get('grade_id')!r}")


def is_autograded_test(cell: Any) -> bool:
    """A grade cell with code and no solution: an auto-graded test."""
    return cell.get("cell_type") == "code" and is_grade(cell) and not is_solution(cell)


def is_explanation(cell) -> bool:
    """A worked-explanation cell of the solutions (``metadata.course.explanation = "qN"``).

    It gives the answer away, so the release leaves it out of the student edition and the grader
    leaves it out of what it runs and shows.
    """
    ours = cell.get("metadata", {}).get(OUR_KEY)
    return isinstance(ours, dict) and bool(ours.get("explanation"))


def is_essay(cell: Any) -> bool:
    """A markdown cell the student writes and the instructor scores by hand."""
    return cell.get("cell_type") == "markdown" and is_grade(cell) and is_solution(cell)


def _regions(lines: list[str], begin: str, end: str, where: str) -> list[tuple[int, int]]:
    """(start, stop) line indexes of each region, markers included; checks balance."""
    regions, start = [], None
    for i, line in enumerate(lines):
        if begin in line:
            if start is not None:
                raise FormatError(f"{where}: '{begin}' inside another region (line {i + 1})")
            start = i
        elif end in line:
            if start is None:
                raise FormatError(f"{where}: '{end}' without '{begin}' (line {i + 1})")
            regions.append((start, i))
            start = None
    if start is not None:
        raise FormatError(f"{where}: '{begin}' at line {start + 1} is never closed")
    return regions


def replace_solution_regions(source: str, stub: str, where: str = "cell",
                             block_stub: str | None = None) -> tuple[str, bool]:
    """Replace each solution region by ``stub`` (indented like the BEGIN line).

    ``block_stub`` replaces an indented region instead (a function or loop body), where a
    comment alone would not be valid Python.
    """
    lines = source.split("\n")
    regions = _regions(lines, BEGIN_SOLUTION, END_SOLUTION, where)
    for start, stop in reversed(regions):
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        chosen = block_stub if (indent and block_stub) else stub
        lines[start : stop + 1] = [indent + s for s in chosen.split("\n")]
    return "\n".join(lines), bool(regions)


def release_cell_source(source: str, cell_type: str, where: str = "cell") -> str:
    """The student copy of a solution cell's source (nbgrader's ClearSolutions, our stubs).

    Each region becomes ``# YOUR CODE HERE`` (code; plus ``pass`` inside an indented block) or
    ``YOUR ANSWER HERE`` (markdown); a solution cell without a region becomes the stub alone.
    """
    if cell_type == "code":
        released, replaced = replace_solution_regions(source, CODE_STUB, where, block_stub=BLOCK_STUB)
        return released if replaced else CODE_STUB
    released, replaced = replace_solution_regions(source, TEXT_STUB, where)
    return released if replaced else TEXT_STUB


def remove_hidden_tests(source: str, where: str = "cell") -> tuple[str, bool]:
    """Remove each hidden-test region, markers included."""
    lines = source.split("\n")
    regions = _regions(lines, BEGIN_HIDDEN, END_HIDDEN, where)
    for start, stop in reversed(regions):
        del lines[start : stop + 1]
    return "\n".join(lines).rstrip("\n"), bool(regions)


def solution_text(source: str, where: str = "cell") -> str:
    """The text inside the solution region(s) of a cell, markers removed (the whole cell when
    it has no region: nbgrader then treats the whole cell as the solution)."""
    lines = source.split("\n")
    regions = _regions(lines, BEGIN_SOLUTION, END_SOLUTION, where)
    if not regions:
        return source.strip()
    return "\n".join("\n".join(lines[start + 1 : stop]) for start, stop in regions).strip()


def split_essay_solution(source: str) -> tuple[str, str]:
    """(model answer, rubric) of an essay cell's solution region (rubric after '#### Rubric')."""
    text = solution_text(source)
    match = RUBRIC_HEADING.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(), text[match.end() :].strip()


# --- Validation -----------------------------------------------------------------------------
# The rules of nbgrader's own validator (nbgrader/nbgraderformat/v3.py and its JSON schema
# v3.json, run by the CheckCellMetadata preprocessor), restated here so that `course release`
# refuses every solution notebook nbgrader would refuse, and grading refuses the same ones
# before it starts. Each message is one line naming the notebook and the cell.

SCHEMA_VERSION = 3
#: The keys nbgrader's v3 schema allows in ``metadata.nbgrader`` (``additionalProperties: false``).
ALLOWED_KEYS = frozenset({"schema_version", "grade", "locked", "solution", "task", "grade_id",
                          "points", "checksum", "cell_type"})
REQUIRED_FLAGS = ("grade", "locked", "solution")
GRADE_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_\-]*$")


def _short(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters (always one line)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_points(value: Any, what: str) -> float:
    """``value`` as a finite non-negative float, or :class:`FormatError` naming ``what``.

    As nbgrader's schema (``"type": "number", "minimum": 0``): a JSON number, not a string
    ("2", "nan", "", "two"), not a boolean, not None; and, further than the schema, finite
    (``NaN`` passes a ``minimum`` check but breaks every sum and the gradebook).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatError(f"{what} has points {_short(value)}: points must be a number (not text, "
                          "true/false or null)")
    if math.isnan(value) or math.isinf(value):
        raise FormatError(f"{what} has points {value!r}: points must be a finite number")
    if value < 0:
        raise FormatError(f"{what} has points {value!r}: points must not be negative")
    return float(value)


def _cell_name(index: int, meta: dict) -> str:
    gid = meta.get("grade_id")
    return f"cell {index + 1} ({gid!r})" if isinstance(gid, str) and gid else f"cell {index + 1}"


def validate_cell(cell: Any, where: str) -> None:
    """Raise :class:`FormatError` when a solution cell's nbgrader metadata is one nbgrader
    refuses. ``where`` names the notebook and the cell, e.g. ``"demo.ipynb, cell 3"``."""
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        raise FormatError(f"{where}: the cell metadata is {type(metadata).__name__}, not a mapping")
    if "nbgrader" not in metadata:
        return
    meta = metadata["nbgrader"]
    if not isinstance(meta, dict):
        raise FormatError(f"{where}: metadata.nbgrader is {type(meta).__name__} "
                          f"({str(meta)[:40]!r}), not a mapping")
    if "schema_version" not in meta:
        raise FormatError(f"{where}: nbgrader metadata has no schema_version (nbgrader reads that as "
                          f"version 0, too old; expected {SCHEMA_VERSION}: run `nbgrader update`)")
    version = meta["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version != SCHEMA_VERSION:
        age = "too old" if isinstance(version, int) and not isinstance(version, bool) and version < SCHEMA_VERSION else "not supported"
        raise FormatError(f"{where}: nbgrader schema_version {_short(version)} is {age} (expected {SCHEMA_VERSION})")
    extra = sorted(str(k) for k in meta if k not in ALLOWED_KEYS)
    if extra:
        raise FormatError(f"{where}: unknown nbgrader metadata key(s) {', '.join(map(repr, extra))} "
                          "(nbgrader's schema allows no others)")
    for flag in REQUIRED_FLAGS:
        if flag not in meta:
            raise FormatError(f"{where}: nbgrader metadata lacks {flag!r} (true or false)")
    for flag in (*REQUIRED_FLAGS, "task"):
        if flag in meta and not isinstance(meta[flag], bool):
            raise FormatError(f"{where}: nbgrader {flag!r} is {_short(meta[flag])}, not true or false")
    grade, solution, locked, task = (meta["grade"], meta["solution"], meta["locked"],
                                     meta.get("task", False))
    gid = meta.get("grade_id")
    if "grade_id" in meta:
        if not isinstance(gid, str):
            raise FormatError(f"{where}: grade_id {_short(gid)} is not text")
        if not GRADE_ID_PATTERN.match(gid):
            raise FormatError(f"{where}: grade_id {_short(gid)} may hold only letters, digits, '_' and '-'")
    if "checksum" in meta and not (isinstance(meta["checksum"], str) and len(meta["checksum"]) == 32):
        raise FormatError(f"{where}: nbgrader checksum {_short(meta['checksum'])} is not 32 characters of text")
    if "cell_type" in meta and meta["cell_type"] not in ("raw", "code", "markdown"):
        raise FormatError(f"{where}: nbgrader cell_type {_short(meta['cell_type'])} is not raw, code or markdown")
    if grade or solution or locked:
        if not gid:
            raise FormatError(f"{where}: nbgrader cells need a grade_id (this one is "
                              f"{'empty' if 'grade_id' in meta else 'missing'})")
    if grade:
        if "points" not in meta:
            raise FormatError(f"{where}: grade cell {gid!r} needs points")
        check_points(meta["points"], f"{where}: grade cell {gid!r}")
    elif "points" in meta:  # the schema types points wherever they are
        check_points(meta["points"], f"{where}: cell {gid!r}")
    cell_type = cell.get("cell_type")
    if task:
        if cell_type != "markdown":
            raise FormatError(f"{where}: task cell {gid!r} must be markdown")
    elif cell_type == "markdown" and grade and not solution:
        raise FormatError(f"{where}: markdown grade cell {gid!r} is not marked as a solution cell "
                          "(nbgrader refuses it: there is nothing to run and no answer to score)")
    elif cell_type == "markdown" and solution and not grade:
        raise FormatError(f"{where}: markdown solution cell {gid!r} is not marked as a grade cell "
                          "(an essay needs grade: true and points)")


def validate_notebook(nb: Any, name: str) -> None:
    """Check every cell of a solution notebook as nbgrader would (:func:`validate_cell`), the
    uniqueness of grade_ids, and the balance of solution and hidden-test markers.

    Raises :class:`FormatError` with a one-line message naming ``name`` and the cell.
    """
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise FormatError(f"{name}: not a notebook (no list of cells)")
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise FormatError(f"{name}, cell {index + 1}: not a cell")
        meta = nbgrader_meta(cell)
        where = f"{name}, {_cell_name(index, meta)}"  # "demo.ipynb, cell 4 ('q1')"
        validate_cell(cell, where)
        gid = meta.get("grade_id")
        if gid and (meta.get("grade") or meta.get("solution") or meta.get("locked")):
            if gid in seen:
                raise FormatError(f"{where}: grade_id {gid!r} already used by cell {seen[gid] + 1}")
            seen[gid] = index
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        if not isinstance(source, str):
            raise FormatError(f"{where}: the cell source is not text")
        _regions(source.split("\n"), BEGIN_SOLUTION, END_SOLUTION, where)
        _regions(source.split("\n"), BEGIN_HIDDEN, END_HIDDEN, where)
        if (BEGIN_HIDDEN in source or END_HIDDEN in source) and not (
                meta.get("grade") and cell.get("cell_type") == "code"):
            raise FormatError(f"{where}: hidden-test markers outside a code grade cell would reach "
                              "the students (only test cells lose their hidden tests at release)")
        if (BEGIN_SOLUTION in source or END_SOLUTION in source) and not meta.get("solution"):
            raise FormatError(f"{where}: solution markers in a cell that is not a solution cell would "
                              "reach the students (only solution cells are cleared at release)")


def submission_problem(nb: Any) -> str | None:
    """Why a submitted notebook's nbgrader metadata cannot be trusted to tell answers from tests
    (None when it can). Looser than :func:`validate_notebook`: a student's copy may have lost a
    flag or the schema version to an editor, which changes nothing for grading, which takes
    points, roles and tests from the solution. What is refused is what breaks the matching of
    cells by grade_id: a ``metadata`` or ``metadata.nbgrader`` that is not a mapping, a grade_id
    that is not text."""
    for index, cell in enumerate(nb.get("cells", [])):
        metadata = cell.get("metadata", {})
        if not isinstance(metadata, dict):
            return f"cell {index + 1}: the cell metadata is {type(metadata).__name__}, not a mapping"
        if "nbgrader" not in metadata:
            continue
        meta = metadata["nbgrader"]
        if not isinstance(meta, dict):
            return (f"cell {index + 1}: metadata.nbgrader is {type(meta).__name__} "
                    f"({str(meta)[:40]!r}), not a mapping")
        gid = meta.get("grade_id")
        if gid is not None and not isinstance(gid, str):
            return f"cell {index + 1}: grade_id {str(gid)[:40]!r} is not text"
    return None
