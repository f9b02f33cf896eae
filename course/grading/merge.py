"""Merge a hand-scored essay sheet (``GRADES/essays/<notebook>.csv``) back into the gradebook.

The whole sheet is checked first; any problem (unknown student, notebook or question, a score
that is not a number, negative or above the question's points) is reported with its row and
column, and then nothing at all is written. Blank rows are skipped (not scored yet); a comment
with a blank score is kept (shown on the sheet and the feedback page) while the essay still
waits for its score. Decimal commas (``1,5``) are accepted, and so are sheets a spreadsheet saved
with semicolons or tabs, with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from course.grading.gradebook import Gradebook
from course.grading.reports import ESSAY_COLUMNS, from_spreadsheet, read_csv, write_reports


class SheetError(ValueError):
    """The sheet cannot be merged; ``problems`` lists every one found."""

    def __init__(self, sheet: Path, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{sheet}: nothing was merged, because:\n{shown}{more}")


@dataclass(frozen=True)
class MergeResult:
    merged: int
    blank: int
    warnings: list[str]
    comments_only: int = 0


def parse_score(text: str) -> float:
    """A score as typed in a spreadsheet (``2``, ``1.5``, ``1,5``); ``ValueError`` otherwise."""
    text = text.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def read_sheet(sheet: Path, book: Gradebook) -> tuple[list[tuple[str, str, str, float | None, str]], int]:
    """Validated ``(entries, blank rows)`` of a sheet, or :class:`SheetError`."""
    problems: list[str] = []
    try:
        rows = read_csv(sheet)
        header = rows and list(rows[0].keys()) or []
    except FileNotFoundError:
        raise SheetError(sheet, ["the file does not exist"]) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SheetError(sheet, [f"not a readable CSV file ({exc}); save it as CSV UTF-8"]) from None
    missing = [c for c in ("student_id", "notebook", "grade_id", "score", "comment") if c not in header]
    if rows and missing:
        raise SheetError(sheet, [f"missing column(s) {', '.join(missing)}; expected {', '.join(ESSAY_COLUMNS)}"])
    essays = {(s, n, g): q["max_points"] for (s, n), qs in book.question_scores().items()
              for q in qs if q["kind"] == "essay" for g in [q["grade_id"]]}
    students = {s for s, _, _ in essays} | {r.student_id for r in book.submissions()}
    entries, blank, seen = [], 0, {}
    for number, row in enumerate(rows, start=2):  # spreadsheet row numbers: the header is row 1
        student = from_spreadsheet((row.get("student_id") or "").strip())
        notebook = (row.get("notebook") or "").strip()
        grade_id = (row.get("grade_id") or "").strip()
        score_text = (row.get("score") or "").strip()
        comment = from_spreadsheet(row.get("comment") or "")
        if not score_text and not comment.strip():
            blank += 1
            continue
        key = (student, notebook, grade_id)
        if student not in students:
            problems.append(f"row {number}, column student_id: unknown student {student!r}")
            continue
        if key not in essays:
            problems.append(f"row {number}, column grade_id: {student!r} has no essay {grade_id!r} "
                            f"in notebook {notebook!r}")
            continue
        if key in seen:
            problems.append(f"row {number}: the same essay as row {seen[key]} ({student}, {grade_id})")
            continue
        seen[key] = number
        if not score_text:  # a comment typed before the score: keep it, the essay still waits
            entries.append((student, notebook, grade_id, None, comment))
            continue
        try:
            score = parse_score(score_text)
        except ValueError:
            problems.append(f"row {number}, column score: {score_text!r} is not a number")
            continue
        if score < 0 or score > essays[key]:
            problems.append(f"row {number}, column score: {score_text} is outside 0…{essays[key]:g} "
                            f"(the points of {grade_id})")
            continue
        entries.append((student, notebook, grade_id, score, comment))
    if problems:
        raise SheetError(sheet, problems)
    return entries, blank


def merge_sheet(sheet: Path, out_dir: Path) -> MergeResult:
    """Validate the sheet, store its scores in one transaction, regenerate the reports."""
    gradebook_path = Path(out_dir) / Gradebook.FILE_NAME
    if not gradebook_path.exists():
        raise SheetError(Path(sheet), [f"no gradebook at {gradebook_path}: run `course grade` first"])
    book = Gradebook(out_dir)
    try:
        entries, blank = read_sheet(Path(sheet), book)
        book.merge_manual(entries, str(sheet))
        notebooks = sorted({r.notebook for r in book.submissions()
                            if any(c.get("role") == "essay" for c in r.feedback.get("cells", []))})
        warnings = write_reports(book, Path(out_dir), notebooks)
    finally:
        book.close()
    scored = sum(1 for e in entries if e[3] is not None)
    return MergeResult(scored, blank, warnings, len(entries) - scored)
