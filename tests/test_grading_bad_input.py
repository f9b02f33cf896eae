"""`course grade` on bad input: every case gets a row with its status word and a clear reason,
and the run goes on. One grading run (module fixture) holds every case; each test checks one.
"""

from __future__ import annotations

import os
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.fixtures.grading.helpers import (
    FIXTURE_NAME, copy_solutions, rows, run, set_source, submission, write,
)

NB = f"{FIXTURE_NAME}.ipynb"
ODD_ID = "José O'Brien \"Q\" ñ"


def _without(nb, *grade_ids):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    return nb


def _insert_before(nb, grade_id, cell):
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    nb.cells.insert(index, cell)
    return nb


def build_cases(subs, secret_paths):
    """Write one folder per case; returns nothing (the tests know the student ids)."""
    good = submission("correct")
    write("this is not json {{{", subs / "corrupt" / NB)
    text = nbformat.writes(good)
    write(text[: len(text) // 2], subs / "truncated" / NB)
    other = new_notebook(cells=[new_markdown_cell("# Homework 7"), new_code_cell(
        "x = 1", metadata={"nbgrader": {"grade_id": "hw7_q1", "solution": True, "grade": False,
                                        "locked": False, "schema_version": 3}})])
    write(other, subs / "wrong-notebook" / "homework7.ipynb")
    bare = submission("correct")
    for cell in bare.cells:
        cell.metadata = {}
    write(bare, subs / "no-metadata" / NB)
    write(_without(submission("correct"), "q2_answer", "q1", "setup"), subs / "deleted" / NB)
    reordered = submission("correct")
    reordered.cells = list(reversed(reordered.cells))
    write(reordered, subs / "reordered" / NB)
    added = set_source(submission("correct"), "q3_answer", "q3 = [_twice(2), _twice(-1.5)]")
    write(_insert_before(added, "q3_answer", new_code_cell("def _twice(x):\n    return x + x")),
          subs / "added" / NB)
    edited = set_source(submission("correct"), "q1_answer", "q1 = 3")
    set_source(edited, "q1", "pass  # the student removed the check")
    set_source(edited, "setup", "def check(*args, **kwargs):\n    pass\nint = lambda x: 10")
    write(edited, subs / "edited-tests" / NB)
    write(set_source(submission("correct"), "q2_answer", "while True:\n    pass"), subs / "loop" / NB)
    write(set_source(submission("correct"), "q2_answer",
                     "while True:\n    try:\n        while True:\n            pass\n"
                     "    except BaseException:\n        pass"), subs / "stubborn-loop" / NB)
    write(set_source(submission("correct"), "q2_answer",
                     "hog = []\nwhile True:\n    hog.append(bytearray(64 * 1024 * 1024))"), subs / "memory-hog" / NB)
    write(set_source(submission("correct"), "q1_answer",
                     "q1 = 10\nfor _ in range(100000):\n    print('spam ' * 40)"), subs / "huge-output" / NB)
    write(set_source(submission("correct"), "q1_answer", "q1 = 10\nimport sys\nsys.exit(3)"), subs / "exits" / NB)
    write(set_source(submission("correct"), "q2_answer", "import os\nos._exit(1)"), subs / "crash" / NB)
    write(set_source(submission("correct"), "q2_answer", "import ctypes\nctypes.string_at(0)"),
          subs / "segfault" / NB)
    write(set_source(submission("correct"), "q2_answer",
                     "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"), subs / "kills-worker" / NB)
    probe = ["import os", "q1 = 10"]
    for label, path in secret_paths.items():
        probe += [f"try:\n    open({str(path)!r}).read(10)\n    print('{label}: READABLE')\n"
                  f"except OSError as exc:\n    print('{label}: UNREADABLE', type(exc).__name__)"]
    probe += ["try:\n    open('../../solutions/" + NB + "').read(10)\n    print('relative: READABLE')\n"
              "except OSError:\n    print('relative: UNREADABLE')"]
    probe += ["print('ENV', sorted(os.environ))"]
    write(set_source(submission("correct"), "q1_answer", "\n".join(probe)), subs / "snoop" / NB)
    write(set_source(submission("correct"), "q1_answer",
                     f"q1 = 10\ntry:\n    open({str(secret_paths['escape'])!r}, 'w').write('x')\n"
                     "    print('ESCAPED')\nexcept OSError as exc:\n    print('BLOCKED', type(exc).__name__)\n"
                     "open('mine.txt', 'w').write('ok')\nprint('SCRATCH', open('mine.txt').read())"),
          subs / "writes-outside" / NB)
    old = write(submission("wrong"), subs / "twice" / NB)
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    write(submission("correct"), subs / "twice" / f"{FIXTURE_NAME} (2).ipynb")
    write(submission("correct"), subs / ODD_ID / "90 Fixture Exercises-1.ipynb")
    write(submission("correct"), subs / "after-the-storm" / NB)  # graded although the others failed


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    solutions = copy_solutions(base / "course" / "solutions")
    out = base / "grades"
    out.mkdir()
    (out / "gradebook.sqlite").touch()  # exists before the run, so the snoop has a target
    escape = base / "escape.txt"
    build_cases(base / "subs", {"solution": solutions / NB, "gradebook": out / "gradebook.sqlite",
                                "escape": escape})
    os.environ["COURSE_TEST_SECRET"] = "hunter2"
    try:
        summary = run(base / "subs", out, solutions)
    finally:
        del os.environ["COURSE_TEST_SECRET"]
    return {"rows": rows(out), "summary": summary, "out": out, "escape": escape}


def row(graded, student, notebook=FIXTURE_NAME):
    return graded["rows"][(student, notebook)]


def scores(r):
    return [r["q1"], r["q2"], r["q3"]]


def test_corrupt_json_gets_a_corrupt_row(graded):
    r = row(graded, "corrupt")
    assert (r["status"], r["total"]) == ("corrupt", "0")
    assert "not valid JSON" in r["reason"]


def test_truncated_json_is_called_truncated(graded):
    r = row(graded, "truncated")
    assert r["status"] == "corrupt"
    assert "truncated" in r["reason"]


def test_notebook_of_another_assignment_is_a_wrong_notebook(graded):
    r = row(graded, "wrong-notebook", "homework7")
    assert r["status"] == "wrong_notebook"
    assert "none of the exercise notebooks" in r["reason"] and "hw7_q1" in r["reason"]


def test_notebook_without_cell_metadata_is_a_wrong_notebook_with_the_cause(graded):
    r = row(graded, "no-metadata")
    assert r["status"] == "wrong_notebook"
    assert "no nbgrader cell metadata" in r["reason"]


def test_deleted_cells_are_restored_and_a_deleted_answer_is_unanswered(graded):
    r = row(graded, "deleted")
    assert r["status"] == "graded"
    assert scores(r) == ["2", "0", "1"]
    assert "cells deleted in the submission: setup, q1, q2_answer" in r["reason"]


def test_reordered_cells_run_in_the_solution_order(graded):
    r = row(graded, "reordered")
    assert (r["status"], scores(r)) == ("graded", ["2", "3", "1"])
    assert "reordered" in r["reason"]


def test_added_cells_run_in_place(graded):
    r = row(graded, "added")
    assert (r["status"], scores(r)) == ("graded", ["2", "3", "1"])
    assert "1 code cell added by the student ran after the cell they followed" in r["reason"]


def test_edited_locked_and_test_cells_change_nothing(graded):
    r = row(graded, "edited-tests")
    assert r["status"] == "graded"
    assert r["q1"] == "0", "the wrong answer 3 must fail the restored hidden test"
    assert "locked cells edited in the submission: setup, q1" in r["reason"]


def test_infinite_loop_hits_the_cell_time_limit_and_the_rest_still_runs(graded):
    r = row(graded, "loop")
    assert (r["status"], scores(r)) == ("timeout", ["2", "0", "1"])
    assert "time limit: cell q2_answer ran past the 2 s per-cell limit" in r["reason"]


def test_loop_that_swallows_the_interruption_is_killed(graded):
    r = row(graded, "stubborn-loop")
    assert (r["status"], scores(r)) == ("timeout", ["2", "0", "0"])
    assert "ignored the interruption, so the process was killed" in r["reason"]


def test_memory_hog_hits_the_memory_limit(graded):
    r = row(graded, "memory-hog")
    assert r["status"] == "memory"
    assert scores(r) == ["2", "0", "1"]
    assert "memory limit" in r["reason"] and "256 MB" in r["reason"]


def test_huge_output_is_truncated_and_graded(graded):
    r = row(graded, "huge-output")
    assert (r["status"], r["q1"]) == ("graded", "2")
    assert "huge output truncated: cell q1_answer" in r["reason"]


def test_sys_exit_is_an_error_in_its_cell_only(graded):
    r = row(graded, "exits")
    assert (r["status"], scores(r)) == ("graded", ["2", "3", "1"])
    assert "q1_answer called sys.exit()" in r["reason"]


def test_os_exit_is_a_crash_and_keeps_the_points_before_it(graded):
    r = row(graded, "crash")
    assert (r["status"], scores(r)) == ("crashed", ["2", "0", "0"])
    assert "crash: the process running the submission stopped during cell q2_answer: it exited with code 1" \
        in r["reason"]


def test_segfault_is_a_crash_naming_the_signal(graded):
    r = row(graded, "segfault")
    assert r["status"] == "crashed"
    assert "SIGSEGV" in r["reason"]


def test_killing_the_worker_is_a_crash_and_the_run_goes_on(graded):
    r = row(graded, "kills-worker")
    # q1's result may be lost: the child can kill its zygote before the zygote relays it
    assert (r["status"], scores(r)[1:]) == ("crashed", ["0", "0"])
    assert "grading worker died" in r["reason"]
    after = row(graded, "after-the-storm")
    assert (after["status"], after["total"]) == ("graded", "6")


def test_environment_is_minimal(graded):
    from course.grading.sandbox import ENV_NAMES
    from tests.fixtures.grading.helpers import answer_output

    text = answer_output(graded["out"], "snoop", "q1_answer")
    names = eval(text.split("ENV ", 1)[1].splitlines()[0])  # the printed sorted list
    assert set(names) <= set(ENV_NAMES)
    assert "COURSE_TEST_SECRET" not in text and "hunter2" not in text


def test_solutions_are_not_reachable_by_relative_path(graded):
    from tests.fixtures.grading.helpers import answer_output

    assert "relative: UNREADABLE" in answer_output(graded["out"], "snoop", "q1_answer")


def test_two_submissions_for_one_student_are_graded_once_naming_the_file(graded):
    matching = [k for k in graded["rows"] if k[0] == "twice"]
    assert matching == [("twice", FIXTURE_NAME)]
    r = row(graded, "twice")
    assert (r["status"], r["total"]) == ("graded", "6")
    assert f"2 files for this notebook: graded '{FIXTURE_NAME} (2).ipynb'" in r["reason"]
    assert f"ignored '{NB}'" in r["reason"]


def test_odd_student_id_and_mangled_file_name(graded):
    r = row(graded, ODD_ID)
    assert (r["status"], r["total"], r["max"]) == ("graded", "6", "10")
    assert (graded["out"] / "feedback" / ODD_ID / f"{FIXTURE_NAME}.html").is_file()


def test_summary_counts_every_submission(graded):
    summary = graded["summary"]
    assert summary.done == len(graded["rows"]) == 21
    assert not summary.interrupted


def _sandboxed(graded) -> bool:
    return graded["summary"].sandbox.startswith("sandbox: bubblewrap")


def test_sandbox_hides_the_solutions_and_the_gradebook(graded):
    from tests.fixtures.grading.helpers import answer_output

    if not _sandboxed(graded):
        pytest.skip("bubblewrap is not available here; the fallback is tested in test_grading_sandbox.py")
    text = answer_output(graded["out"], "snoop", "q1_answer")
    assert "solution: UNREADABLE" in text and "gradebook: UNREADABLE" in text
    assert row(graded, "snoop")["q1"] == "2"


def test_sandbox_blocks_writes_outside_the_scratch_folder(graded):
    from tests.fixtures.grading.helpers import answer_output

    if not _sandboxed(graded):
        pytest.skip("bubblewrap is not available here; without it a submission can write anywhere")
    text = answer_output(graded["out"], "writes-outside", "q1_answer")
    assert "BLOCKED" in text and "ESCAPED" not in text
    assert "SCRATCH ok" in text
    assert not graded["escape"].exists()


def test_a_file_over_the_size_limit_is_not_read_and_gets_its_own_row(tmp_path, monkeypatch):
    from course.grading import submissions as module

    solutions = copy_solutions(tmp_path / "solutions")
    big = write(set_source(submission("correct"), "q1_answer", "q1 = 10\n# " + "x" * 5000),
                tmp_path / "subs" / "hoarder" / NB)
    write(submission("correct"), tmp_path / "subs" / "fine" / NB)
    monkeypatch.setattr(module, "MAX_NOTEBOOK_BYTES", big.stat().st_size - 1)
    monkeypatch.setattr(module, "read_notebook", _refuse_to_read_large(module.read_notebook, big.stat().st_size))
    run(tmp_path / "subs", tmp_path / "g", solutions)
    table = rows(tmp_path / "g")
    hoarder, fine = table[("hoarder", FIXTURE_NAME)], table[("fine", FIXTURE_NAME)]
    assert (hoarder["status"], hoarder["total"]) == ("too_large", "0")
    assert "file too large" in hoarder["reason"] and "MB limit" in hoarder["reason"]
    assert fine["status"] == "graded"


def _refuse_to_read_large(read, size):
    def guarded(raw):
        assert len(raw) < size, "a file over the limit must not be parsed"
        return read(raw)
    return guarded
