"""nbgrader's cell format (schema 3), read and rewritten: the one place both release and
grading learn what a cell is.

Mirrors nbgrader's preprocessors ``ClearSolutions`` and ``ClearHiddenTests``: solution regions
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become a stub; hidden-test regions
between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed. As in nbgrader, a
line is a marker when it contains the delimiter (``BEGIN SOLUTION`` …), whatever comes before it.
"""

from __future__ import annotations

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
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


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
    return float(nbgrader_meta(cell).get("points", 0) or 0)


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


def validate_cell(cell: Any, where: str) -> None:
    """Raise :class:`FormatError` when a cell's nbgrader metadata is inconsistent."""
    meta = nbgrader_meta(cell)
    if not meta:
        return
    if meta.get("schema_version", 3) != 3:
        raise FormatError(f"{where}: nbgrader schema_version must be 3")
    if (meta.get("solution") or meta.get("grade") or meta.get("locked")) and not meta.get("grade_id"):
        raise FormatError(f"{where}: nbgrader cells need a grade_id")
    if meta.get("grade") and "points" not in meta:
        raise FormatError(f"{where}: grade cell {meta.get('grade_id')!r} needs points")
    if meta.get("grade") and float(meta.get("points", 0)) < 0:
        raise FormatError(f"{where}: grade cell {meta.get('grade_id')!r} has negative points")
