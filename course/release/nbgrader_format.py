"""nbgrader's cell format (schema 3), read and rewritten: the one place both release and
grading learn what a cell is.

Mirrors nbgrader's preprocessors ``ClearSolutions`` and ``ClearHiddenTests``: solution regions
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become a stub; hidden-test regions
between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed.
"""

from __future__ import annotations

import re
from typing import Any

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE"
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


def is_essay(cell: Any) -> bool:
    """A markdown cell the student writes and the instructor scores by hand."""
    return cell.get("cell_type") == "markdown" and is_grade(cell) and is_solution(cell)


def _regions(lines: list[str], begin: str, end: str, where: str) -> list[tuple[int, int]]:
    """(start, stop) line indexes of each region, markers included; checks balance."""
    regions, start = [], None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped == begin:
            if start is not None:
                raise FormatError(f"{where}: '{begin}' inside another region (line {i + 1})")
            start = i
        elif stripped == end:
            if start is None:
                raise FormatError(f"{where}: '{end}' without '{begin}' (line {i + 1})")
            regions.append((start, i))
            start = None
    if start is not None:
        raise FormatError(f"{where}: '{begin}' at line {start + 1} is never closed")
    return regions


def replace_solution_regions(source: str, stub: str, where: str = "cell") -> tuple[str, bool]:
    """Replace each solution region by ``stub`` (indented like the BEGIN line)."""
    lines = source.split("\n")
    regions = _regions(lines, BEGIN_SOLUTION, END_SOLUTION, where)
    for start, stop in reversed(regions):
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines[start : stop + 1] = [indent + s for s in stub.split("\n")]
    return "\n".join(lines), bool(regions)


def remove_hidden_tests(source: str, where: str = "cell") -> tuple[str, bool]:
    """Remove each hidden-test region, markers included."""
    lines = source.split("\n")
    regions = _regions(lines, BEGIN_HIDDEN, END_HIDDEN, where)
    for start, stop in reversed(regions):
        del lines[start : stop + 1]
    return "\n".join(lines).rstrip("\n"), bool(regions)


def solution_text(source: str, where: str = "cell") -> str:
    """The text inside the solution region(s) of a cell, markers removed."""
    lines = source.split("\n")
    parts = [
        "\n".join(lines[start + 1 : stop])
        for start, stop in _regions(lines, BEGIN_SOLUTION, END_SOLUTION, where)
    ]
    return "\n".join(parts).strip()


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
