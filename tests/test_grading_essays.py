"""The essay sheet survives spreadsheets: UTF-8 with BOM, comma- or semicolon-separated, decimal
commas, comments without a score, no stale warning or `.new.csv`, the model answer and a word
count beside each essay, and a formula-escape quote only where a spreadsheet would see a formula."""

from __future__ import annotations

import csv
import io

import nbformat
import pytest

from course.grading.gradebook import Gradebook
from course.grading.merge import merge_sheet
from course.grading.reports import ESSAY_COLUMNS, from_spreadsheet, read_csv, to_spreadsheet, word_count
from tests.fixtures.grading.helpers import FIXTURE_NAME, copy_solutions, rows, run, set_source, submission, write

NB = f"{FIXTURE_NAME}.ipynb"
LIMITS = dict(jobs=1, cell_seconds=5.0, submission_seconds=300.0)  # CPU s per cell: the fixture needs ms
ANSWER = "Credible guarantees need capability — and resolve… Don't forget costs."


@pytest.fixture()
def graded(tmp_path):
    solutions = copy_solutions(tmp_path / "solutions")
    write(set_source(submission("correct"), "q4_essay", ANSWER), tmp_path / "subs" / "alice" / NB)
    write(set_source(submission("correct"), "q4_essay", "- a list\n- of points"), tmp_path / "subs" / "bob" / NB)
    summary = run(tmp_path / "subs", tmp_path / "g", solutions, **LIMITS)
    return tmp_path, solutions, summary


def _sheet_warnings(warnings):
    return [w for w in warnings if "essays/" in w and "not merged yet" in w]


def _sheet_path(base):
    return base / "g" / "essays" / f"{FIXTURE_NAME}.csv"


def _save(path, table, delimiter=",", bom=True):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0].keys()), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")


def test_sheet_is_utf8_with_bom_and_holds_model_answer_and_word_count(graded):
    base, _, _ = graded
    raw = _sheet_path(base).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "—".encode() in raw and "…".encode() in raw
    table = read_csv(_sheet_path(base))
    assert list(table[0].keys()) == ESSAY_COLUMNS
    alice = next(r for r in table if r["student_id"] == "alice")
    assert alice["answer"] == ANSWER  # ordinary text: no apostrophe in front
    assert alice["words"] == str(word_count(ANSWER)) == "9"
    assert "Credibility rests" in alice["model_answer"] and "BEGIN SOLUTION" not in alice["model_answer"]
    assert "Names capability" in alice["rubric"]
    bob = next(r for r in table if r["student_id"] == "bob")
    assert bob["answer"].startswith("'- a list")  # a cell starting with - would be a formula


def test_semicolon_sheet_with_decimal_comma_merges_without_stale_warning_or_new_csv(graded):
    base, solutions, _ = graded
    table = read_csv(_sheet_path(base))
    table[0].update(score="1,5", comment="Gut — aber kurz.")
    _save(_sheet_path(base), table, delimiter=";")
    result = merge_sheet(_sheet_path(base), base / "g")
    assert result.merged == 1 and not _sheet_warnings(result.warnings)
    assert rows(base / "g")[(table[0]["student_id"], FIXTURE_NAME)]["q4_essay"] == "1.5"
    # the instructor's own semicolon sheet is what a re-run finds: no warning, no .new.csv
    _save(_sheet_path(base), table, delimiter=";")
    summary = run(base / "subs", base / "g", solutions, force=True, **LIMITS)
    assert not any("not merged yet" in w for w in summary.warnings)
    assert not _sheet_path(base).with_name(f"{FIXTURE_NAME}.new.csv").exists()


def test_comma_sheet_without_bom_reads_back_too(graded):
    base, _, _ = graded
    table = read_csv(_sheet_path(base))
    table[1].update(score="2")
    _save(_sheet_path(base), table, delimiter=",", bom=False)
    assert merge_sheet(_sheet_path(base), base / "g").merged == 1


def test_a_stale_new_csv_is_removed_once_the_sheet_is_merged(graded):
    base, solutions, _ = graded
    table = read_csv(_sheet_path(base))
    table[0].update(score="3")
    _save(_sheet_path(base), table)
    summary = run(base / "subs", base / "g", solutions, force=True, **LIMITS)
    fresh = _sheet_path(base).with_name(f"{FIXTURE_NAME}.new.csv")
    assert fresh.exists() and any("not merged yet" in w for w in summary.warnings)
    result = merge_sheet(_sheet_path(base), base / "g")
    assert not _sheet_warnings(result.warnings) and not fresh.exists()


def test_a_comment_with_a_blank_score_is_kept_and_the_essay_still_waits(graded):
    base, _, _ = graded
    table = read_csv(_sheet_path(base))
    table[0].update(score="", comment="Half read; finish tomorrow.")
    table[1].update(score="4")
    _save(_sheet_path(base), table)
    result = merge_sheet(_sheet_path(base), base / "g")
    assert (result.merged, result.comments_only) == (1, 1)
    book = Gradebook(base / "g")
    try:
        kept = book.manual_scores()[(table[0]["student_id"], FIXTURE_NAME, "q4_essay")]
    finally:
        book.close()
    assert kept == {"points": None, "comment": "Half read; finish tomorrow."}
    again = {r["student_id"]: r for r in read_csv(_sheet_path(base))}
    assert again[table[0]["student_id"]]["comment"] == "Half read; finish tomorrow."
    assert again[table[0]["student_id"]]["score"] == ""
    row = rows(base / "g")[(table[0]["student_id"], FIXTURE_NAME)]
    assert (row["q4_essay"], row["complete"]) == ("", "no")


@pytest.mark.parametrize("text", ["Don't panic", "'quoted'", "— a dash", "1,5", "Q1 = 10", "a=b", " =x"])
def test_ordinary_text_gets_no_apostrophe(text):
    assert to_spreadsheet(text) == text
    assert from_spreadsheet(to_spreadsheet(text)) == text


@pytest.mark.parametrize("text", ["=1+1", "+49 30", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_defused_and_restored(text):
    assert to_spreadsheet(text) == "'" + text
    assert from_spreadsheet(to_spreadsheet(text)) == text


def test_fixing_a_solution_regrades_everyone_and_keeps_hand_scores(graded):
    base, solutions, _ = graded
    table = read_csv(_sheet_path(base))
    table[0].update(score="3", comment="Clear.")
    _save(_sheet_path(base), table)
    merge_sheet(_sheet_path(base), base / "g")
    unchanged = run(base / "subs", base / "g", solutions, **LIMITS)
    assert (unchanged.graded, unchanged.skipped) == (0, 2)
    path = solutions / NB
    fixed = nbformat.read(str(path), as_version=4)
    fixed.cells[0].source += "\n\n(Corrected edition.)"  # any edit of the solution changes its SHA-256
    nbformat.write(fixed, str(path))
    regraded = run(base / "subs", base / "g", solutions, **LIMITS)
    assert (regraded.graded, regraded.skipped) == (2, 0)
    row = rows(base / "g")[(table[0]["student_id"], FIXTURE_NAME)]
    assert (row["q4_essay"], row["total"], row["complete"]) == ("3", "9", "yes")
