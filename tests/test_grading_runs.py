"""`course grade` as a whole: the CLI's arguments and summary, re-runs, interrupted runs, the
essay round trip (`course grade-merge`) and what the feedback pages may and may not show."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from course.cli import main
from course.grading.gradebook import Gradebook
from course.grading.merge import SheetError, merge_sheet
from tests.fixtures.grading.helpers import (
    FIXTURE_NAME, copy_solutions, rows, run, set_source, submission, write,
)

NB = f"{FIXTURE_NAME}.ipynb"


# --- arguments -------------------------------------------------------------------------------
def test_missing_submissions_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "nope"), "--out", str(tmp_path / "g")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_empty_submissions_folder_is_a_usage_error(tmp_path):
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "g")])
    assert result.exit_code == 2
    assert "holds no .ipynb file" in result.output


def test_no_solutions_is_a_usage_error(tmp_path):
    write(submission("correct"), tmp_path / "subs" / "alice" / NB)
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "g"),
                                       "--solutions", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "no solutions" in result.output


def test_cli_grades_and_prints_a_summary_and_rerun_skips_unchanged(tmp_path):
    solutions = copy_solutions(tmp_path / "solutions")
    write(submission("correct"), tmp_path / "subs" / "alice" / NB)
    write("{broken", tmp_path / "subs" / "bob" / NB)
    args = ["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "g"), "--solutions", str(solutions),
            "-j", "1", "--cell-timeout", "5"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "1 graded, 1 failed, 0 unchanged" in first.output
    assert "FAILED bob / 90_fixture_exercises: corrupt" in first.output
    assert "100%" in first.output  # the progress bar
    second = CliRunner().invoke(main, args)
    assert "0 graded, 0 failed, 2 unchanged since the last run (skipped)" in second.output
    assert len(rows(tmp_path / "g")) == 2
    per_notebook = (tmp_path / "g" / "by_notebook" / NB.replace(".ipynb", ".csv")).read_text(encoding="utf-8")
    assert per_notebook == (tmp_path / "g" / "grades.csv").read_text(encoding="utf-8")  # one notebook: same rows


# --- interrupted runs ------------------------------------------------------------------------
def _slow_set(tmp_path, n):
    solutions = copy_solutions(tmp_path / "solutions")
    for i in range(n):
        nb = set_source(submission("correct"), "q1_answer", "import time\ntime.sleep(0.6)\nq1 = 10")
        write(nb, tmp_path / "subs" / f"student{i}" / NB)
    return solutions


def _graded_count(out):
    path = out / Gradebook.FILE_NAME
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def _start(tmp_path, solutions):
    command = [sys.executable, "-c", "from course.cli import main; main()", "grade", str(tmp_path / "subs"),
               "--out", str(tmp_path / "g"), "--solutions", str(solutions), "-j", "1", "--no-progress"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_rows(process, out, at_least, seconds=60):
    deadline = time.monotonic() + seconds
    while _graded_count(out) < at_least:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no submission was graded in time"
        time.sleep(0.05)


def test_killed_run_leaves_a_consistent_gradebook_and_a_rerun_completes_it(tmp_path):
    solutions = _slow_set(tmp_path, 6)
    process = _start(tmp_path, solutions)
    _wait_for_rows(process, tmp_path / "g", 1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    db = sqlite3.connect(tmp_path / "g" / Gradebook.FILE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done_before = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    db.close()
    assert 1 <= done_before < 6
    summary = run(tmp_path / "subs", tmp_path / "g", solutions, jobs=1)
    assert summary.skipped == done_before and summary.graded == 6 - done_before
    table = rows(tmp_path / "g")  # also checks there is no duplicate row
    assert sorted(k[0] for k in table) == [f"student{i}" for i in range(6)]
    assert all(r["status"] == "graded" and r["total"] == "6" for r in table.values())


def test_ctrl_c_stops_cleanly_and_records_the_interruption(tmp_path):
    solutions = _slow_set(tmp_path, 5)
    process = _start(tmp_path, solutions)
    _wait_for_rows(process, tmp_path / "g", 1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted: every submission finished so far is in the gradebook" in err
    book = Gradebook(tmp_path / "g")
    try:
        assert book.runs()[-1]["state"] == "interrupted"
        assert 1 <= len(book.submissions()) < 5
    finally:
        book.close()
    assert (tmp_path / "g" / "grades.csv").exists()


# --- essays round trip and feedback ------------------------------------------------------------
XSS = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def essays(tmp_path_factory):
    base = tmp_path_factory.mktemp("essays")
    solutions = copy_solutions(base / "solutions")
    write(submission("correct"), base / "subs" / "alice" / NB)
    write(submission("untouched"), base / "subs" / "bob" / NB)
    nasty = set_source(submission("correct"), "q1_answer", f"q1 = 10\nprint({XSS!r})")
    set_source(nasty, "q4_essay", '=HYPERLINK("http://evil")\n<img src=x onerror=alert(1)>')
    write(nasty, base / "subs" / "mallory" / NB)
    run(base / "subs", base / "g", solutions)
    return base, solutions


def _sheet(base):
    with open(base / "g" / "essays" / f"{FIXTURE_NAME}.csv", newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _write_sheet(path, table):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0].keys()))
        writer.writeheader()
        writer.writerows(table)


def test_essay_sheet_lists_answered_essays_with_rubric(essays):
    base, _ = essays
    table = _sheet(base)
    assert [(r["student_id"], r["grade_id"], r["max_points"]) for r in table] == [
        ("alice", "q4_essay", "4"), ("mallory", "q4_essay", "4")]
    assert "Names capability and resolve" in table[0]["rubric"]
    assert table[1]["answer"].startswith("'=HYPERLINK"), "formula injection must be defused"


def test_feedback_escapes_student_text_and_hides_tests_and_solutions(essays):
    base, _ = essays
    page = (base / "g" / "feedback" / "mallory" / f"{FIXTURE_NAME}.html").read_text()
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "default-src 'none'" in page
    untouched = (base / "g" / "feedback" / "bob" / f"{FIXTURE_NAME}.html").read_text()
    for secret in ("int(q1) == 10", "BEGIN HIDDEN", "Estonia", "return 2 * x", "Credibility rests",
                   "Names capability", "Rubric"):
        assert secret not in untouched, secret
    assert "q1: not yet answered" in untouched  # the public check message is shown
    assert "<strong>Q1.</strong>" in untouched  # the course's own prose is rendered as Markdown


def test_merge_rejects_a_bad_sheet_naming_row_and_column_and_writes_nothing(essays, tmp_path):
    base, _ = essays
    table = _sheet(base)
    bad = [dict(table[0], score="5"), dict(table[1], score="abc"),
           dict(table[0], student_id="nobody", score="1")]
    _write_sheet(tmp_path / "bad.csv", bad)
    with pytest.raises(SheetError) as caught:
        merge_sheet(tmp_path / "bad.csv", base / "g")
    message = str(caught.value)
    assert "row 2, column score: 5 is outside 0…4" in message
    assert "row 3, column score: 'abc' is not a number" in message
    assert "row 4, column student_id: unknown student 'nobody'" in message
    book = Gradebook(base / "g")
    try:
        assert book.manual_scores() == {}
    finally:
        book.close()


def test_merged_scores_count_and_survive_a_forced_rerun(essays):
    base, solutions = essays
    table = _sheet(base)
    table[0].update(score="3", comment="Good, but no example.")
    _write_sheet(base / "g" / "essays" / f"{FIXTURE_NAME}.csv", table)
    result = CliRunner().invoke(main, ["grade-merge", str(base / "g" / "essays" / f"{FIXTURE_NAME}.csv"),
                                       "--out", str(base / "g")])
    assert result.exit_code == 0, result.output
    assert "Merged 1 hand score(s)" in result.output
    alice = rows(base / "g")[("alice", FIXTURE_NAME)]
    assert (alice["q4_essay"], alice["total"]) == ("3", "9")
    run(base / "subs", base / "g", solutions, force=True)
    alice = rows(base / "g")[("alice", FIXTURE_NAME)]
    assert (alice["q4_essay"], alice["total"]) == ("3", "9")
    assert "Good, but no example." in (base / "g" / "feedback" / "alice" / f"{FIXTURE_NAME}.html").read_text()


def test_rerun_never_overwrites_a_sheet_with_unmerged_scores(essays):
    base, solutions = essays
    path = base / "g" / "essays" / f"{FIXTURE_NAME}.csv"
    table = _sheet(base)
    table[1].update(score="2", comment="typed but not merged")
    _write_sheet(path, table)
    before = path.read_text()
    summary = run(base / "subs", base / "g", solutions, force=True)
    assert path.read_text() == before
    assert (path.with_name(f"{FIXTURE_NAME}.new.csv")).exists()
    assert any("not merged yet" in w for w in summary.warnings)
