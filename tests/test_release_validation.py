"""Release refuses every solution nbgrader would refuse, with one line naming the cell; grading
uses the same rules and never lets one bad notebook stop a batch (issue 11).

The rules are nbgrader's own (nbgrader/nbgraderformat/v3.py and v3.json, run by the
CheckCellMetadata preprocessor; the region checks of ClearSolutions and ClearHiddenTests), plus
finiteness of points, which the schema's ``minimum: 0`` does not catch for NaN.
"""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from click.testing import CliRunner

from course.cli import main
from course.grading.solutions import SolutionError, load_exercise
from course.release import nbgrader_format as fmt
from course.release.authoring import (answer_cell, check_cell, code_cell, essay_cell, markdown_cell,
                                      notebook, setup_cell)
from course.release.exercise import make_exercise
from course.release.release import release
from tests.fixtures.grading.helpers import FIXTURE_NAME, copy_solutions, rows, run, submission, write

NB = f"{FIXTURE_NAME}.ipynb"


def _solution():
    return notebook([
        markdown_cell("# Demo", grade_id="intro"),
        setup_cell("demo_exercises"),
        answer_cell("q1", "q1 = None  # a whole number", "q1 = 40 + 2"),
        check_cell("q1", 2, 'check("q1", q1)', "assert int(q1) == 42"),
        essay_cell("q2", 4, "**Model answer.** Text.", "- (4 pts) Anything."),
        code_cell("print('plain')"),
    ])


def _meta(nb, index):
    return nb.cells[index].metadata["nbgrader"]


def _set(index, **values):
    return lambda nb: _meta(nb, index).update(values)


def _drop(index, key):
    return lambda nb: _meta(nb, index).pop(key)


def _markdown_grade_not_solution(nb):
    nb.cells[0].metadata["nbgrader"].update(grade=True, points=1, locked=False)


def _markdown_solution_not_grade(nb):
    _meta(nb, 4).update(grade=False)
    _meta(nb, 4).pop("points")


def _nbgrader_entry(value):
    def mutate(nb):
        nb.cells[3].metadata["nbgrader"] = value
    return mutate


def _source(index, text):
    return lambda nb: setattr(nb.cells[index], "source", text)


#: (case id, mutation of _solution(), words the one-line message must hold, the cell it names)
CASES = [
    ("markdown-grade-not-solution", _markdown_grade_not_solution, "not marked as a solution", "cell 1"),
    ("markdown-solution-not-grade", _markdown_solution_not_grade, "not marked as a grade cell", "cell 5"),
    ("points-nan-text", _set(3, points="nan"), "points 'nan'", "cell 4"),
    ("points-inf-text", _set(3, points="inf"), "points 'inf'", "cell 4"),
    ("points-empty", _set(3, points=""), "points ''", "cell 4"),
    ("points-two", _set(3, points="two"), "points 'two'", "cell 4"),
    ("points-number-as-text", _set(3, points="2"), "points '2'", "cell 4"),
    ("points-negative", _set(3, points=-1), "must not be negative", "cell 4"),
    ("points-none", _set(3, points=None), "points None", "cell 4"),
    ("points-float-nan", _set(3, points=float("nan")), "finite", "cell 4"),
    ("points-float-inf", _set(3, points=float("inf")), "finite", "cell 4"),
    ("points-bool", _set(3, points=True), "points True", "cell 4"),
    ("essay-points-nan", _set(4, points="nan"), "points 'nan'", "cell 5"),
    ("grade-without-points", _drop(3, "points"), "needs points", "cell 4"),
    ("nbgrader-is-text", _nbgrader_entry("grade"), "not a mapping", "cell 4"),
    ("nbgrader-is-list", _nbgrader_entry(["grade", True]), "not a mapping", "cell 4"),
    ("nbgrader-is-null", _nbgrader_entry(None), "not a mapping", "cell 4"),
    ("nbgrader-empty", _nbgrader_entry({}), "no schema_version", "cell 4"),
    ("schema-missing", _drop(3, "schema_version"), "no schema_version", "cell 4"),
    ("schema-old", _set(3, schema_version=2), "schema_version 2 is too old", "cell 4"),
    ("schema-new", _set(3, schema_version=4), "schema_version 4", "cell 4"),
    ("schema-text", _set(3, schema_version="3"), "schema_version '3'", "cell 4"),
    ("flag-missing", _drop(3, "locked"), "lacks 'locked'", "cell 4"),
    ("flag-not-bool", _set(3, grade="yes"), "'grade' is 'yes'", "cell 4"),
    ("unknown-key", _set(3, weight=3), "unknown nbgrader metadata key", "cell 4"),
    ("checksum-bad", _set(3, checksum=5), "checksum 5", "cell 4"),
    ("cell-type-bad", _set(3, cell_type="python"), "cell_type 'python'", "cell 4"),
    ("points-huge-text", _set(3, points="x" * 5000), "points 'xxxx", "cell 4"),
    ("grade-id-missing", _drop(2, "grade_id"), "need a grade_id", "cell 3"),
    ("grade-id-empty", _set(2, grade_id=""), "need a grade_id", "cell 3"),
    ("grade-id-not-text", _set(2, grade_id=7), "is not text", "cell 3"),
    ("grade-id-bad-chars", _set(2, grade_id="q1 answer"), "only letters", "cell 3"),
    ("duplicate-grade-id", _set(4, grade_id="q1"), "grade_id 'q1' already used by cell 4", "cell 5"),
    ("hidden-begin-unclosed", _source(3, 'check("q1", q1)\n### BEGIN HIDDEN TESTS\nassert q1'),
     "never closed", "cell 4"),
    ("hidden-end-alone", _source(3, 'check("q1", q1)\n### END HIDDEN TESTS'), "without 'BEGIN HIDDEN TESTS'",
     "cell 4"),
    ("hidden-nested", _source(3, "### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS"),
     "inside another region", "cell 4"),
    ("solution-unclosed", _source(2, "### BEGIN SOLUTION\nq1 = 1"), "never closed", "cell 3"),
    ("hidden-in-locked-cell", _source(5, "print(1)\n### BEGIN HIDDEN TESTS\nsecret = 1\n### END HIDDEN TESTS"),
     "hidden-test markers outside a code grade cell", "cell 6"),
    ("solution-in-locked-cell", _source(1, "x = 1\n### BEGIN SOLUTION\nsecret = 1\n### END SOLUTION"),
     "not a solution cell", "cell 2"),
]


@pytest.mark.parametrize("mutate, words, cell", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_release_refuses_with_one_line_naming_the_cell(mutate, words, cell):
    nb = _solution()
    mutate(nb)
    with pytest.raises(fmt.FormatError) as info:
        make_exercise(nb, "demo_exercises.ipynb")
    message = str(info.value)
    assert words in message
    assert message.startswith(f"demo_exercises.ipynb, {cell}")
    assert "\n" not in message and len(message) < 300


def test_the_well_formed_solution_passes():
    fmt.validate_notebook(_solution(), "demo_exercises.ipynb")
    make_exercise(_solution(), "demo_exercises.ipynb")


def test_the_course_solutions_and_exercises_pass():
    from tests.conftest import ROOT

    paths = sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
    assert paths
    for path in paths:
        fmt.validate_notebook(nbformat.read(path, as_version=4), path.name)


def test_a_message_names_the_grade_id_too():
    nb = _solution()
    _meta(nb, 3).update(points="two")
    with pytest.raises(fmt.FormatError, match=r"grade cell 'q1' has points 'two'"):
        fmt.validate_notebook(nb, "demo_exercises.ipynb")


def test_points_reads_valid_points_and_refuses_the_rest():
    nb = _solution()
    assert fmt.points(nb.cells[3]) == 2.0 and fmt.points(nb.cells[0]) == 0.0
    _meta(nb, 3).update(points="nan")
    with pytest.raises(fmt.FormatError):
        fmt.points(nb.cells[3])


def test_nbgrader_meta_of_a_non_mapping_is_empty():
    cell = code_cell("x = 1")
    cell.metadata["nbgrader"] = "grade"
    assert fmt.nbgrader_meta(cell) == {}


def _write_raw(nb, path, mutate_json=None):
    data = json.loads(nbformat.writes(nb))
    if mutate_json:
        mutate_json(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _cli_release(solutions, exercises, cwd, *extra):
    return subprocess.run([sys.executable, "-m", "course.cli", "release", *extra, "--solutions", str(solutions),
                           "--exercises", str(exercises)], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("case", ["markdown-grade-not-solution", "points-nan-text", "points-inf-text",
                                  "points-empty", "points-two", "nbgrader-is-text", "schema-missing",
                                  "duplicate-grade-id", "grade-without-points", "hidden-begin-unclosed"])
def test_course_release_exits_1_with_one_line_and_no_traceback(tmp_path, case):
    mutate = dict((c[0], c[1]) for c in CASES)[case]
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nb = _solution()
    mutate(nb)
    _write_raw(nb, solutions / "demo_exercises.ipynb")
    for extra in ((), ("--check",)):
        result = _cli_release(solutions, exercises, tmp_path, *extra)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("course release: demo_exercises.ipynb, cell "), lines
        assert not exercises.exists()  # nothing written


def test_course_release_refuses_a_float_nan_written_as_json_nan(tmp_path):
    """``NaN`` is what Python's json writes for float('nan'); nbformat reads it back as a float."""
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nb = _solution()
    _meta(nb, 3).update(points=float("nan"))
    (solutions / "demo_exercises.ipynb").write_text(json.dumps(json.loads(nbformat.writes(_solution())))
                                                   .replace('"points": 2', '"points": NaN'), encoding="utf-8")
    result = _cli_release(solutions, tmp_path / "exercises", tmp_path)
    assert result.returncode == 1 and "finite" in result.stderr and "Traceback" not in result.stderr


def test_release_checks_every_notebook_before_writing_any(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(_solution(), solutions / "a_exercises.ipynb")
    bad = _solution()
    _meta(bad, 3).update(points="two")
    _write_raw(bad, solutions / "b_exercises.ipynb")
    with pytest.raises(fmt.FormatError, match="b_exercises.ipynb, cell 4"):
        release(solutions, exercises, tmp_path / "keys", with_keys=False)
    assert not exercises.exists()


def test_an_unreadable_solution_is_one_line_too(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "demo_exercises.ipynb").write_text("{not json", encoding="utf-8")
    result = _cli_release(solutions, tmp_path / "exercises", tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "demo_exercises.ipynb: not a readable notebook" in result.stderr


# --- grading uses the same rules ---------------------------------------------------------------
@pytest.mark.parametrize("mutate, words, cell", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_grading_refuses_the_same_solutions_with_the_same_message(tmp_path, mutate, words, cell):
    nb = _solution()
    mutate(nb)
    path = tmp_path / "demo_exercises.ipynb"
    _write_raw(nb, path)
    with pytest.raises(SolutionError) as info:
        load_exercise(path)
    assert words in str(info.value) and f"demo_exercises.ipynb, {cell}" in str(info.value)


def _fixture_solution_with(tmp_path, **values):
    solutions = copy_solutions(tmp_path / "solutions")
    path = solutions / NB
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if fmt.nbgrader_meta(cell).get("grade_id") == "q1":
            cell.metadata["nbgrader"].update(values)
    _write_raw(nb, path)
    return solutions


@pytest.mark.parametrize("points", ["nan", "inf", "", "two", -1, None])
def test_course_grade_stops_before_grading_on_a_bad_solution(tmp_path, points):
    solutions = _fixture_solution_with(tmp_path, points=points)
    write(submission("correct"), tmp_path / "subs" / "alice" / NB)
    out = tmp_path / "g"
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--out", str(out),
                                       "--solutions", str(solutions), "-j", "1"])
    assert result.exit_code == 2, result.output
    assert "cannot read the solutions" in result.output and f"{NB}, cell " in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not (out / "grades.csv").exists()  # nothing graded, no half-written batch


def test_course_grade_stops_on_a_markdown_grade_cell_that_is_not_a_solution(tmp_path):
    solutions = copy_solutions(tmp_path / "solutions")
    path = solutions / NB
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].metadata["nbgrader"] = {"grade": True, "grade_id": "q1_prompt", "locked": True,
                                        "schema_version": 3, "solution": False, "points": 1}
    _write_raw(nb, path)
    write(submission("correct"), tmp_path / "subs" / "alice" / NB)
    result = CliRunner().invoke(main, ["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "g"),
                                       "--solutions", str(solutions), "-j", "1"])
    assert result.exit_code == 2
    assert "markdown grade cell 'q1_prompt' is not marked as a solution cell" in result.output


def _broken_metadata(kind):
    nb = submission("correct")
    target = next(c for c in nb.cells if fmt.nbgrader_meta(c).get("grade_id") == "q2_answer")
    if kind == "text":
        target.metadata["nbgrader"] = "solution"
    elif kind == "list":
        target.metadata["nbgrader"] = ["solution", True]
    elif kind == "grade-id-list":
        target.metadata["nbgrader"]["grade_id"] = ["q2_answer"]
    return nb


def test_a_submission_with_broken_metadata_is_corrupt_and_the_rest_are_graded(tmp_path):
    solutions = copy_solutions(tmp_path / "solutions")
    subs = tmp_path / "subs"
    write(submission("correct"), subs / "alice" / NB)
    write(_broken_metadata("text"), subs / "bob" / NB)
    write(_broken_metadata("list"), subs / "carol" / NB)
    write(_broken_metadata("grade-id-list"), subs / "dave" / NB)
    points_nan = submission("correct")  # points in a submission are ignored: the solution's count
    for cell in points_nan.cells:
        if fmt.nbgrader_meta(cell).get("grade"):
            cell.metadata["nbgrader"]["points"] = "nan"
    write(points_nan, subs / "erin" / NB)
    out = tmp_path / "g"
    run(subs, out, solutions, cell_seconds=60.0, submission_seconds=120.0)
    table = rows(out)
    assert table[("alice", FIXTURE_NAME)]["status"] == "graded"
    assert table[("erin", FIXTURE_NAME)]["status"] == "graded"
    assert float(table[("erin", FIXTURE_NAME)]["total"]) == float(table[("alice", FIXTURE_NAME)]["total"])
    for student, words in (("bob", "metadata.nbgrader is str"), ("carol", "metadata.nbgrader is list"),
                           ("dave", "grade_id")):
        row = table[(student, FIXTURE_NAME)]
        assert row["status"] == "corrupt", row
        assert "broken nbgrader metadata" in row["reason"] and words in row["reason"], row["reason"]


# --- parity with nbgrader itself ----------------------------------------------------------------
#: Cases where the course is stricter than nbgrader 0.9: a NaN or infinite float passes the
#: schema's "minimum: 0" (NaN < 0 is false) but breaks every sum; an END marker without a BEGIN
#: is ignored by nbgrader but is a typo that would reach the students.
STRICTER_THAN_NBGRADER = {"points-float-nan", "points-float-inf", "hidden-end-alone"}


def _nbgrader_refuses(nb) -> bool:
    """Whether nbgrader's own validation (CheckCellMetadata's validator, then the region checks
    of ClearSolutions and ClearHiddenTests that generate_assignment runs) refuses ``nb``."""
    import copy
    import logging

    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    nb = copy.deepcopy(nb)
    logging.disable(logging.CRITICAL)
    try:
        MetadataValidator().validate_nb(nb)
        ClearSolutions().preprocess(nb, {"language": "python"})
        ClearHiddenTests().preprocess(nb, {})
    except Exception:  # noqa: BLE001 - any refusal, whatever its kind
        return True
    finally:
        logging.disable(logging.NOTSET)
    return False


def _we_refuse(nb) -> bool:
    try:
        fmt.validate_notebook(nb, "demo_exercises.ipynb")
    except fmt.FormatError:
        return True
    return False


@pytest.mark.parametrize("mutate, case", [(c[1], c[0]) for c in CASES], ids=[c[0] for c in CASES])
def test_every_case_is_one_nbgrader_refuses_too_or_a_documented_stricter_one(mutate, case):
    nb = _solution()
    mutate(nb)
    assert _nbgrader_refuses(nb) or case in STRICTER_THAN_NBGRADER


def test_nbgrader_accepts_the_well_formed_solution_and_the_course_solutions():
    from tests.conftest import ROOT

    assert not _nbgrader_refuses(_solution())
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        assert not _nbgrader_refuses(nbformat.read(path, as_version=4)), path.name


POOL = {
    "schema_version": [3, 3, 3, 2, 0, 4, "3", None, 3.0, True],
    "grade": [True, False, False, "true", None, 1],
    "solution": [True, False, False, "no", None, 0],
    "locked": [True, False, False, 1, None],
    "task": [False, False, True, "x"],
    "grade_id": ["q7", "q1", "", "a b", 7, None, ["q"], "ok-id_2"],
    "points": [0, 1, 2.5, -1, "nan", "inf", "", "two", None, True, "2", 1e308],
    "weight": [1],
    "checksum": ["0" * 32, "abc", 5],
    "cell_type": ["code", "markdown", "raw", "python"],
}


def test_whatever_nbgrader_refuses_release_refuses_too():
    """300 random mutations of the demo solution's metadata: nbgrader refusing ⇒ we refuse."""
    import random

    rng = random.Random(11)
    refused_by_nbgrader = 0
    for trial in range(300):
        nb = _solution()
        for _ in range(rng.randint(1, 3)):
            cell = nb.cells[rng.randrange(len(nb.cells))]
            meta = cell.metadata.setdefault("nbgrader", {"grade": False, "locked": False, "solution": False,
                                                         "schema_version": 3})
            if not isinstance(meta, dict):
                continue
            key = rng.choice(sorted(POOL))
            if rng.random() < 0.2:
                meta.pop(key, None)
            else:
                meta[key] = rng.choice(POOL[key])
        if _nbgrader_refuses(nb):
            refused_by_nbgrader += 1
            assert _we_refuse(nb), (trial, [c.metadata.get("nbgrader") for c in nb.cells])
    assert refused_by_nbgrader > 100  # the mutations do reach nbgrader's rules


MARKERS = ["### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS",
           "x = 1", "    ### BEGIN SOLUTION"]


def test_whatever_nbgrader_refuses_in_markers_and_cell_types_release_refuses_too():
    """300 random edits of sources (marker lines) and cell types: nbgrader refusing ⇒ we refuse."""
    import random

    rng = random.Random(12)
    refused_by_nbgrader = 0
    for trial in range(300):
        nb = _solution()
        for _ in range(rng.randint(1, 3)):
            cell = nb.cells[rng.randrange(len(nb.cells))]
            if rng.random() < 0.2:
                cell.cell_type = "markdown" if cell.cell_type == "code" else "code"
                cell.pop("outputs", None), cell.pop("execution_count", None)
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            else:
                lines = cell.source.split("\n")
                lines.insert(rng.randint(0, len(lines)), rng.choice(MARKERS))
                cell.source = "\n".join(lines)
        nbgrader_says = _nbgrader_refuses(nb)
        refused_by_nbgrader += nbgrader_says
        if nbgrader_says:
            assert _we_refuse(nb), (trial, [(c.cell_type, c.source) for c in nb.cells])
    assert refused_by_nbgrader > 100
