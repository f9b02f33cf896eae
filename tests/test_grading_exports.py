"""The LMS exports of `course grade` (Canvas, Moodle, plain), each against its published column
rules; several assignments in one folder; wrong notebooks filed under their assignment; the
statistics page; regrading; the feedback page's titles and summary; setup and git hygiene."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import subprocess

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from course.cli import main
from course.grading.exports import CANVAS_COLUMNS, MOODLE_COLUMNS, participant_number, Person
from course.grading.gradebook import Gradebook
from course.grading.reports import AWAITING, scrub_paths
from tests.conftest import ROOT
from tests.fixtures.grading.helpers import FIXTURE_NAME, copy_solutions, rows, run, submission, write

NB = f"{FIXTURE_NAME}.ipynb"
OTHER = "91_other_exercises"
MOODLE_STUDENT = "Jane Doe_123456_assignsubmission_file_"
#: Generous limits: the machine is shared and busy.
LIMITS = dict(jobs=1, cell_seconds=5.0, submission_seconds=300.0)  # CPU s per cell: the fixture needs ms


def _read(path, encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as handle:
        return list(csv.reader(handle))


def _foreign_notebook():
    return new_notebook(cells=[new_code_cell("x = 1", metadata={"nbgrader": {
        "grade_id": "hw7_q1", "solution": True, "grade": False, "locked": False, "schema_version": 3}})])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("exports")
    solutions = copy_solutions(base / "solutions")
    shutil.copy(solutions / NB, solutions / f"{OTHER}.ipynb")  # a second assignment
    subs = base / "subs"
    write(submission("correct"), subs / "1001" / NB)           # essay answered: not final
    write(submission("untouched"), subs / "1002" / NB)         # untouched essay: 0, final
    write(submission("untouched"), subs / "1002" / f"{OTHER}.ipynb")
    write(submission("untouched"), subs / MOODLE_STUDENT / NB)
    write(_foreign_notebook(), subs / "1003" / NB)              # the wrong notebook, named like 90
    write(_foreign_notebook(), subs / "1004" / OTHER / "my work.ipynb")  # told by its folder
    write(_foreign_notebook(), subs / "1005" / "homework7.ipynb")  # cannot be told: no LMS column
    (base / "roster.csv").write_text(
        "\ufeffstudent_id;name;email;canvas_id;section\n1001;Ana Müller;ana@example.org;;A\n"
        "1002;Bo Li;bo@example.org;;B\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(subs), "--out", str(base / "g"), "--solutions",
                                       str(solutions), "-j", "1", "--cell-timeout", "60", "--no-progress",
                                       "--roster", str(base / "roster.csv")])
    assert result.exit_code == 0, result.output
    return {"base": base, "out": base / "g", "solutions": solutions, "subs": subs, "output": result.output}


def test_canvas_csv_has_canvas_header_rows_and_one_column_per_assignment(graded):
    table = _read(graded["out"] / "exports" / "canvas.csv")
    assert table[0][:5] == CANVAS_COLUMNS == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert table[0][5:] == [FIXTURE_NAME, OTHER]  # new assignments: plain names
    assert table[1][0] == "    Points Possible" and table[1][5:] == ["10", "10"]
    by_id = {r[1]: r for r in table[2:] if r[1]}
    assert by_id["1002"][0] == "Bo Li" and by_id["1002"][4] == "B"
    assert by_id["1002"][5:] == ["0", "0"]
    assert by_id["1001"][5] == "", "an essay not scored yet must not upload a partial total"
    assert by_id["1003"][5] == "0" and by_id["1004"][6] == "0"
    assert all(len(r) == len(table[0]) for r in table)


def test_canvas_column_names_an_existing_assignment_by_id(graded, tmp_path):
    out = tmp_path / "g"
    shutil.copytree(graded["out"], out)
    result = CliRunner().invoke(main, ["grade-export", "--out", str(out), "--canvas-column",
                                       f"{FIXTURE_NAME}=Module 90 exercises (12345)"])
    assert result.exit_code == 0, result.output
    header = _read(out / "exports" / "canvas.csv")[0]
    assert header[5] == "Module 90 exercises (12345)" and re.fullmatch(r".+ \(\d+\)", header[5])
    assert header[6] == OTHER


def test_moodle_worksheet_has_the_worksheet_columns_and_participant_identifiers(graded):
    table = _read(graded["out"] / "exports" / "moodle" / f"{FIXTURE_NAME}.csv")
    assert table[0] == MOODLE_COLUMNS
    body = {r[0]: dict(zip(table[0], r)) for r in table[1:]}
    assert all(re.fullmatch(r"Participant \d+", k) for k in body)
    assert body["Participant 123456"]["Grade"] == "0"  # from the Moodle folder name
    ana = body["Participant 1001"]
    assert (ana["Full name"], ana["Email address"], ana["Grade"]) == ("Ana Müller", "ana@example.org", "")
    assert "not final" in ana["Status"].lower()
    assert ana["Feedback comments"] == "", "nothing is uploaded to the student for a row that is not final"
    assert body["Participant 1002"]["Maximum Grade"] == "10"
    assert "wrong notebook" in body["Participant 1003"]["Feedback comments"]


def test_moodle_participant_number_sources():
    assert participant_number(Person("x", moodle_participant="Participant 77")) == "77"
    assert participant_number(Person(MOODLE_STUDENT)) == "123456"
    assert participant_number(Person("jdoe")) == ""


def test_plain_export_is_one_row_per_student_with_status(graded):
    table = _read(graded["out"] / "exports" / "grades_by_student.csv", "utf-8-sig")
    header = table[0]
    assert header[:3] == ["student_id", "name", "email"]
    assert header[3:] == [f"{FIXTURE_NAME} total", f"{FIXTURE_NAME} max", f"{FIXTURE_NAME} status",
                          f"{OTHER} total", f"{OTHER} max", f"{OTHER} status"]
    ids = [r[0] for r in table[1:]]
    assert len(ids) == len(set(ids)) and {"1001", "1002", "1003", "1004", MOODLE_STUDENT} <= set(ids)
    ana = dict(zip(header, table[1 + ids.index("1001")]))
    assert (ana[f"{FIXTURE_NAME} total"], ana[f"{FIXTURE_NAME} status"]) == ("", AWAITING)
    assert ana[f"{OTHER} status"] == "not_submitted"
    not_final = (graded["out"] / "exports" / "NOT_FINAL.txt").read_text()
    assert "1001" in not_final and "1002" not in not_final


def test_several_assignments_give_one_table_each(graded):
    combined = _read(graded["out"] / "grades.csv")[0]
    assert "q1" not in combined  # no q1 column mixing two notebooks
    for name in (FIXTURE_NAME, OTHER):
        table = _read(graded["out"] / "by_notebook" / f"{name}.csv")
        assert {r[1] for r in table[1:]} == {name}
        assert table[0][2:6] == ["q1", "q2", "q3", "q4_essay"]


def test_wrong_notebook_is_filed_under_the_meant_assignment_with_zero(graded):
    table = rows(graded["out"])
    r = table[("1003", FIXTURE_NAME)]
    assert (r["status"], r["total"], r["max"]) == ("wrong_notebook", "0", "10")
    assert "filed under 90_fixture_exercises" in r["reason"] and "hw7_q1" in r["reason"]
    r = table[("1004", OTHER)]
    assert (r["status"], r["total"]) == ("wrong_notebook", "0")
    assert table[("1005", "homework7")]["status"] == "wrong_notebook"  # in grades.csv, not in the LMS files


def test_a_wrong_notebook_that_names_no_assignment_is_no_lms_column(graded):
    assert _read(graded["out"] / "exports" / "canvas.csv")[0][5:] == [FIXTURE_NAME, OTHER]
    assert "homework7" not in (graded["out"] / "exports" / "grades_by_student.csv").read_text(encoding="utf-8-sig")
    assert not (graded["out"] / "exports" / "moodle" / "homework7.csv").exists()
    assert "homework7" not in (graded["out"] / "statistics.html").read_text()


def test_statistics_page_shows_each_question_with_a_histogram(graded):
    page = (graded["out"] / "statistics.html").read_text()
    section = page.split(f"<h2>{FIXTURE_NAME}</h2>")[1].split("</table>")[0]
    assert section.count("<svg") == 4
    assert "q1: Q1. How many countries joined the EU in 2004?" in section
    # q1 in 90: 1001 correct (2), 1002 and the Moodle student untouched (0), 1003 wrong notebook (0)
    q1 = [r for r in section.split("<tr") if "q1: " in r][0]
    assert ">0.5 / 2<" in q1 and ">75%<" in q1 and ">25%<" in q1
    assert "<script" not in page and "src=" not in page


def test_rerun_summary_still_lists_failed_submissions(graded):
    result = CliRunner().invoke(main, ["grade", str(graded["subs"]), "--out", str(graded["out"]), "--solutions",
                                       str(graded["solutions"]), "-j", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "0 graded, 0 failed" in result.output
    assert re.search(r"FAILED 1003 / 90_fixture_exercises: wrong_notebook: .*unchanged since an earlier run",
                     result.output)


def test_only_regrades_one_student_and_keeps_the_others(graded):
    db = sqlite3.connect(str(graded["out"] / Gradebook.FILE_NAME))
    before = dict(db.execute("SELECT student_id || '/' || notebook, graded_at FROM submissions"))
    db.close()
    summary = run(graded["subs"], graded["out"], graded["solutions"], only=("1002",), **LIMITS)
    assert summary.graded == 2 and summary.skipped == 0
    db = sqlite3.connect(str(graded["out"] / Gradebook.FILE_NAME))
    after = dict(db.execute("SELECT student_id || '/' || notebook, graded_at FROM submissions"))
    db.close()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {f"1002/{FIXTURE_NAME}", f"1002/{OTHER}"}


def test_feedback_page_opens_with_a_summary_and_question_titles(graded):
    page = (graded["out"] / "feedback" / "1001" / f"{FIXTURE_NAME}.html").read_text()
    assert page.index("<h2>Summary</h2>") < page.index("<h2>Your notebook</h2>")
    assert "q2: Q2. List the three Baltic states in alphabetical order." in page
    assert "so far (essays not scored yet: q4_essay)" in page


def test_tracebacks_lose_grader_paths():
    text = ('Traceback (most recent call last):\n  File "/tmp/course-grade-abc123/job-1/x.py", line 3\n'
            '  File "/work/course/.venv/lib/python3.12/site-packages/pandas/core/frame.py", line 9\n'
            "\x1b[0;31mValueError\x1b[0m: bad")
    clean = scrub_paths(text)
    assert "/tmp" not in clean and "/work" not in clean and "\x1b" not in clean
    assert 'File "x.py", line 3' in clean and "frame.py" in clean and "ValueError: bad" in clean
    assert scrub_paths("q1 = 1/2 and 3/4") == "q1 = 1/2 and 3/4"


def test_make_setup_installs_without_starting_jupyterlab():
    plan = subprocess.run(["make", "-n", "-B", "setup"], cwd=ROOT, capture_output=True, text=True)
    assert plan.returncode == 0, plan.stderr
    assert "pip install" in plan.stdout and "jupyter lab" not in plan.stdout


@pytest.mark.parametrize("name", ["SUBMISSIONS", "submissions", "Submissions", "GRADES", "grades", "Grades"])
def test_grading_folders_are_ignored_by_git_whatever_their_case(name):
    check = subprocess.run(["git", "check-ignore", "-q", f"{name}/x.csv"], cwd=ROOT)
    assert check.returncode == 0, f"{name}/ is not ignored"
