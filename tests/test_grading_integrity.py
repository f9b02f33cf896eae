"""Grading integrity (issue 11): every attack a class's most inventive students would try, each as
a case of its own. Each attack submission is graded in one shared run (one student worker, so
submissions follow each other on the same worker) and must score exactly what the same answers
score honestly, with a reason that says what was detected."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course.grading.assemble import build_plan, student_job_cells, tampering, inputs_of_tests
from course.grading.plaindata import NotPlainData, decode, encode
from course.grading.samples import make_submission
from course.grading.solutions import load_exercise, nbgrader_meta
from tests.conftest import ROOT
from tests.fixtures.grading.helpers import (
    FIXTURE_NAME, FIXTURE_SOLUTIONS, answer_output, feedback, fixture_spec, rows, run, set_source, submission,
    write,
)

NB = f"{FIXTURE_NAME}.ipynb"
COURSE = {name: ROOT / "solutions" / f"{name}.ipynb" for name in ("00_start_here_exercises", "04_limits_exercises")}
FULL = {"q1": 2.0, "q2": 3.0, "q3": 1.0}  # the fixture's auto-graded questions, answered right
HIDDEN_TEXTS = ("int(q1) == 10", "sorted(names)", "q3[0] == 4", "BEGIN HIDDEN", "float(len(names) == 3)")

SHOWTRACEBACK = ("import IPython.core.interactiveshell as s\n"
                 "s.InteractiveShell.showtraceback = lambda *a, **k: None\n"
                 "s.InteractiveShell._showtraceback = lambda *a, **k: None")
REBIND = """partial_credit = lambda *c, points: points
abs = lambda x: 0
float = lambda x: 0.0
import math, builtins
import numpy as np
math.isclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
builtins.all = lambda *a: True
builtins.int = lambda *a: 10
check = lambda *a, **k: None"""
ALWAYS_EQUAL = """class AlwaysEqual(list):
    def __eq__(self, other):
        return True
    __hash__ = None
    def __getitem__(self, i):
        return self
q3 = AlwaysEqual()"""
INT_SUBCLASS = """class Sneaky(int):
    def __eq__(self, other):
        return True
    def __int__(self):
        return 10
q1 = Sneaky(3)"""
GC_WALK = """import gc
word = "".join(map(chr, [97, 115, 115, 101, 114, 116]))  # built at run time: this source never holds it
found = []
for obj in gc.get_objects():
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()
    try:
        for item in list(items):
            if isinstance(item, str) and word + " " in item and ("q1" in item or "q3" in item):
                found.append(item[:300])
    except Exception:
        pass
print("hidden tests found:", len(found))
for text in found:
    print(text)"""
WRITE_FILES = """import os
for path in ("/tmp/left-behind", os.path.expanduser("~/left-behind"), "/dev/shm/left-behind",
             "left-behind", "/scratch/left-behind", "/var/tmp/left-behind"):
    try:
        with open(path, "w") as handle:
            handle.write("secret of student A")
    except OSError:
        pass"""
READ_FILES = """import os
seen = []
for path in ("/tmp/left-behind", os.path.expanduser("~/left-behind"), "/dev/shm/left-behind",
             "left-behind", "/scratch/left-behind", "/var/tmp/left-behind"):
    try:
        with open(path) as handle:
            seen.append(path + ": " + handle.read())
    except OSError:
        pass
print("files left by others:", seen)"""
BIG_WRITE = """import os
written = 0
try:
    for n in range(80):  # 80 files of 16 MB: 1.25 GB, each file under the per-file limit
        with open(f"big-{n}", "wb") as handle:
            for _ in range(16):
                handle.write(b"x" * (1 << 20))
                written += 1 << 20
except OSError as exc:
    print("write stopped:", type(exc).__name__)
print("MB written:", written >> 20)"""
FORK_BOMB = """import os, time
for _ in range(1000):  # 1,000 forks, each child waiting: the issue's case
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)"""
GRANDCHILD = """import os, time
if os.fork() == 0:  # keeps every inherited descriptor (the result pipe too) open for a minute
    time.sleep(60)
    os._exit(0)"""
FORGE = """import json, os
fake = [{"t": "start", "i": i} for i in range(40)] + [
    {"t": "cell", "i": i, "outputs": [{"output_type": "execute_result", "text": "2", "hidden": True}],
     "limit": None, "exited": False, "dropped_chars": 0, "seconds": 0.0} for i in range(40)]
for fd in range(3, 64):
    for message in fake:
        try:
            os.write(fd, (json.dumps(message) + "\\n").encode())
        except OSError:
            break"""
FAKE_SCORES = """print("q1: 2/2 points")
print('{"t": "cell", "i": 4, "outputs": [{"output_type": "execute_result", "text": "2"}]}')
print("Total: 10/10")"""


def insert_after(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    """Add a student code cell right after the cell with this grade_id."""
    for n, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            nb.cells.insert(n + 1, new_code_cell(source))
            return nb
    raise KeyError(grade_id)


def honest(q1="10", q2='["Estonia", "Latvia", "Lithuania"]', q3="[4, -3.0]") -> nbformat.NotebookNode:
    nb = submission("correct")
    set_source(nb, "q1_answer", f"q1 = {q1}")
    set_source(nb, "q2_answer", f"q2 = {q2}")
    return set_source(nb, "q3_answer", f"q3 = {q3}")


def build_attacks(subs: Path) -> None:
    specs = {name: load_exercise(path) for name, path in COURSE.items()}
    # 1. IPython's traceback display patched away: failing tests must still fail.
    nb = make_submission(specs["00_start_here_exercises"], "untouched")
    nb.cells.insert(1, new_code_cell(SHOWTRACEBACK))
    write(nb, subs / "showtraceback-00" / "00_start_here_exercises.ipynb")
    write(insert_after(honest(q1="3"), "setup", SHOWTRACEBACK), subs / "showtraceback" / NB)
    # 2. What the tests call, rebound.
    nb = make_submission(specs["04_limits_exercises"], "untouched")
    nb.cells.insert(2, new_code_cell(REBIND))
    write(nb, subs / "rebind-04" / "04_limits_exercises.ipynb")
    write(insert_after(honest(q1="3", q2='["Riga", "Oslo"]', q3="[0, 0]"), "setup", REBIND), subs / "rebind" / NB)
    write(insert_after(honest(q1="3"), "q1_answer", "int = lambda x: 10\nsorted = lambda x: x"),
          subs / "rebind-builtins" / NB)
    # 3. Answers that are not plain data.
    write(set_source(honest(), "q3_answer", ALWAYS_EQUAL), subs / "always-equal" / NB)
    write(set_source(honest(), "q1_answer", INT_SUBCLASS), subs / "int-subclass" / NB)
    write(set_source(honest(), "q3_answer", "q3 = lambda *a: [4, -3]"), subs / "function" / NB)
    write(set_source(honest(), "q3_answer", "import numpy as np\nq3 = np.array([4, -3.0])"),
          subs / "numpy-array" / NB)
    write(set_source(honest(), "q1_answer", "import numpy as np\nq1 = np.int64(10)"), subs / "numpy-scalar" / NB)
    # 4. Looking for the hidden tests in memory.
    write(insert_after(honest(), "q3_answer", GC_WALK), subs / "gc-walk" / NB)
    # 5. Files left for the next student on the same worker (students run in name order).
    write(insert_after(honest(), "q1_answer", WRITE_FILES), subs / "files-1-writer" / NB)
    write(insert_after(honest(), "q1_answer", READ_FILES), subs / "files-2-reader" / NB)
    # 6. Resource attacks: 1.25 GB of writes, a fork bomb, a grandchild holding the result pipe.
    write(insert_after(honest(), "q3_answer", BIG_WRITE), subs / "big-write" / NB)
    write(insert_after(honest(), "q1", FORK_BOMB), subs / "fork-bomb" / NB)
    write(insert_after(honest(), "q3_answer", GRANDCHILD), subs / "grandchild" / NB)
    # 7. Forged protocol messages and fake score lines.
    write(insert_after(honest(q1="3"), "q1_answer", FORGE), subs / "forged-results" / NB)
    write(insert_after(honest(q1="3"), "q1_answer", FAKE_SCORES), subs / "fake-scores" / NB)
    # 8. nbgrader's submitted-cheat-attempt style: the grade cells edited, unflagged or deleted.
    nb = honest(q1="3", q2='["Riga", "Oslo"]')
    set_source(nb, "q1", "pass")
    set_source(nb, "q2", "3")
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade_id") in ("q1", "q2"):
            cell.metadata["nbgrader"] = {**meta, "grade": False, "locked": False, "points": 100}
    write(nb, subs / "cheat-edited-tests" / NB)
    nb = honest(q1="3")
    nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") not in ("q1", "q2", "q3")]
    write(nb, subs / "cheat-deleted-tests" / NB)
    write(honest(q1="3", q2='["Riga", "Oslo"]', q3="[1, 1]"), subs / "wrong" / NB)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    base = tmp_path_factory.mktemp("integrity")
    solutions = base / "solutions"
    solutions.mkdir()
    for path in [*COURSE.values(), FIXTURE_SOLUTIONS / NB]:
        shutil.copy(path, solutions / path.name)
    build_attacks(base / "subs")
    summary = run(base / "subs", base / "out", solutions, exercises=ROOT / "exercises", jobs=1,
                  cell_seconds=30.0, submission_seconds=120.0)
    return {"rows": rows(base / "out"), "out": base / "out", "summary": summary}


def scores(row: dict, questions=("q1", "q2", "q3")) -> dict[str, float]:
    return {q: float(row[q] or 0) for q in questions}


def row_of(attacked, student: str, notebook: str = FIXTURE_NAME) -> dict:
    return attacked["rows"][(student, notebook)]


def everything_in_feedback(attacked, student: str, notebook: str = FIXTURE_NAME) -> str:
    return json.dumps(feedback(attacked["out"], student, notebook))


def test_patching_ipython_tracebacks_gains_nothing_on_an_untouched_notebook(attacked):
    r = row_of(attacked, "showtraceback-00", "00_start_here_exercises")
    assert float(r["total"]) == 0.0, r
    assert "tampering detected" in r["reason"] and "showtraceback" in r["reason"]


def test_patching_ipython_tracebacks_gains_nothing(attacked):
    r = row_of(attacked, "showtraceback")
    assert scores(r) == {**FULL, "q1": 0.0}
    assert "s.InteractiveShell.showtraceback" in r["reason"]


def test_rebinding_what_the_tests_call_gains_nothing_on_an_untouched_notebook(attacked):
    r = row_of(attacked, "rebind-04", "04_limits_exercises")
    assert float(r["total"]) == 0.0, r
    for name in ("partial_credit", "abs", "math.isclose", "np.isclose", "builtins.int", "check"):
        assert name in r["reason"], (name, r["reason"])


def test_rebinding_what_the_tests_call_gains_nothing(attacked):
    r = row_of(attacked, "rebind")
    assert scores(r) == {"q1": 0.0, "q2": 0.0, "q3": 0.0}, r
    assert "tampering detected" in r["reason"]


def test_rebinding_builtins_the_hidden_tests_use_gains_nothing(attacked):
    r = row_of(attacked, "rebind-builtins")
    assert scores(r) == {**FULL, "q1": 0.0}
    assert "int" in r["reason"] and "sorted" in r["reason"]


def test_an_object_whose_eq_always_says_yes_is_refused_by_name(attacked):
    r = row_of(attacked, "always-equal")
    assert scores(r) == {**FULL, "q3": 0.0}
    assert "answer q3 is not plain data (type AlwaysEqual)" in r["reason"]


def test_an_int_subclass_is_refused_by_name(attacked):
    r = row_of(attacked, "int-subclass")
    assert scores(r) == {**FULL, "q1": 0.0}
    assert "answer q1 is not plain data (type Sneaky)" in r["reason"]


def test_a_function_answer_gets_a_clear_reason(attacked):
    r = row_of(attacked, "function")
    assert scores(r) == {**FULL, "q3": 0.0}
    assert "q3 is a function, not plain data: assign a value" in r["reason"]


def test_a_numpy_array_is_not_plain_data_but_a_numpy_scalar_is_its_number(attacked):
    r = row_of(attacked, "numpy-array")
    assert scores(r) == {**FULL, "q3": 0.0}
    assert "answer q3 is not plain data (type numpy.ndarray)" in r["reason"]
    assert scores(row_of(attacked, "numpy-scalar")) == FULL


def test_walking_the_heap_finds_no_hidden_test(attacked):
    r = row_of(attacked, "gc-walk")
    assert scores(r) == FULL
    assert "hidden tests found: 0" in everything_in_feedback(attacked, "gc-walk")
    assert "import gc" in r["reason"]


def test_no_feedback_page_holds_any_hidden_test(attacked):
    for student, notebook in attacked["rows"]:
        text = everything_in_feedback(attacked, student, notebook)
        for hidden in HIDDEN_TEXTS:
            assert hidden not in text, (student, hidden)
    html = "".join(p.read_text() for p in (attacked["out"] / "feedback").rglob("*.html"))
    for hidden in HIDDEN_TEXTS:
        assert hidden not in html


def test_a_file_left_by_one_student_is_not_seen_by_the_next_on_the_same_worker(attacked):
    assert attacked["summary"].workers == 1
    assert scores(row_of(attacked, "files-1-writer")) == FULL
    assert "files left by others: []" in everything_in_feedback(attacked, "files-2-reader")


def test_writing_more_than_a_gigabyte_is_capped(attacked):
    r = row_of(attacked, "big-write")
    assert scores(r) == FULL, r
    text = everything_in_feedback(attacked, "big-write")
    assert "write stopped: OSError" in text
    written = int(text.split("MB written: ")[1].split("\\n")[0])
    assert written <= 256, written


def test_a_fork_bomb_is_capped_and_named(attacked):
    r = row_of(attacked, "fork-bomb")
    assert r["status"] == "crashed" and "process limit" in r["reason"], r
    assert float(r["q1"]) == 2.0  # the answer given before the bomb still counts


def test_a_grandchild_holding_the_result_pipe_neither_holds_up_nor_mislabels(attacked):
    r = row_of(attacked, "grandchild")
    assert r["status"] == "graded", r
    assert scores(r) == FULL


def test_forged_result_messages_gain_nothing(attacked):
    r = row_of(attacked, "forged-results")
    assert scores(r) == {**FULL, "q1": 0.0}, r


def test_printed_fake_scores_gain_nothing(attacked):
    r = row_of(attacked, "fake-scores")
    assert scores(r) == {**FULL, "q1": 0.0}, r


def test_nbgrader_style_cheat_attempts_on_the_grade_cells_gain_nothing(attacked):
    r = row_of(attacked, "cheat-edited-tests")
    assert scores(r) == {"q1": 0.0, "q2": 0.0, "q3": 1.0}, r
    assert float(r["max"]) == 10.0
    assert "locked cells edited" in r["reason"]
    r = row_of(attacked, "cheat-deleted-tests")
    assert scores(r) == {**FULL, "q1": 0.0}, r
    assert "cells deleted" in r["reason"]


def test_the_honest_wrong_submission_scores_zero_without_a_tampering_note(attacked):
    r = row_of(attacked, "wrong")
    assert scores(r) == {"q1": 0.0, "q2": 0.0, "q3": 0.0}
    assert "tampering" not in r["reason"]


# --- What the student's process receives --------------------------------------------------

def test_the_student_job_holds_no_test_no_solution_and_no_key():
    spec = fixture_spec()
    plan = build_plan(spec, submission("wrong"))
    text = json.dumps(student_job_cells(plan, inputs_of_tests(spec)))
    for hidden in (*HIDDEN_TEXTS, 'check("q1"', "assert", "Model answer", "Names capability"):
        assert hidden not in text, hidden
    keys = ROOT / "course" / "selfcheck" / "keys"
    for path in keys.glob("*.json"):
        for digest in json.loads(path.read_text()).get("questions", {}).values():
            assert digest.get("digest", "-") not in text


def test_only_the_names_the_tests_read_are_asked_for():
    inputs = inputs_of_tests(fixture_spec())
    assert inputs["q1"] == ("q1",) and inputs["q3"] == ("q3",)
    assert "check" not in {n for names in inputs.values() for n in names}  # defined by the setup cell


def test_tampering_is_found_statically():
    spec = fixture_spec()
    plan = build_plan(spec, insert_after(submission("correct"), "setup", REBIND))
    note = " ".join(tampering(plan, spec))
    assert "abs" in note and "math.isclose" in note and "check" in note
    assert tampering(build_plan(spec, submission("correct")), spec) == []


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 10 ** 30, 1.5, float("nan"), float("inf"), -float("inf"), "", "é—",
    [1, [2, (3,)]], (1, "a"), {1: "a", (2, 3): [None], "k": {"x": 1.0}}, {1, 2}, frozenset({"a"}),
])
def test_plain_data_keeps_its_type(value):
    back = decode(json.loads(json.dumps(encode(value))))
    assert type(back) is type(value)
    assert repr(back) == repr(value)


@pytest.mark.parametrize("make, type_name", [
    (lambda: type("Evil", (int,), {})(3), "Evil"),
    (lambda: type("S", (str,), {})("x"), "S"),
    (lambda: [1, object()], "object"),
    (lambda: {"a": len}, "builtin_function_or_method"),
    (lambda: type("D", (dict,), {})(), "D"),
])
def test_anything_else_is_refused_with_its_type(make, type_name):
    with pytest.raises(NotPlainData) as caught:
        encode(make())
    assert caught.value.type_name.endswith(type_name)


def test_malformed_tagged_data_is_rejected():
    for bad in ([], ["int", 3], ["eval", "1"], ["list", "ab"], ["dict", [[["int", "1"]]]], "x"):
        with pytest.raises(ValueError):
            decode(bad)


# --- Load never costs a correct student points ------------------------------------------

def test_forty_correct_submissions_score_full_marks_beside_two_cpu_bound_processes(tmp_path):
    from course.grading.runner import GradeOptions, grade

    for n in range(40):
        write(submission("correct"), tmp_path / "subs" / f"student-{n:02d}" / NB)
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    shutil.copy(FIXTURE_SOLUTIONS / NB, solutions / NB)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:  # the default limits, as an instructor runs it
        grade(GradeOptions(submissions=tmp_path / "subs", out=tmp_path / "out", solutions=solutions,
                           progress=False), echo=lambda line: None)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    table = rows(tmp_path / "out")
    assert len(table) == 40
    for r in table.values():
        assert r["status"] == "graded", r
        assert scores(r) == FULL, r
