"""Exact scores: generated submissions (correct, wrong, partial, untouched) of every exercise
notebook in solutions/ (and of the grader's fixture), plus the pieces the scores rest on."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from course.grading.assemble import build_plan
from course.release import nbgrader_format as fmt
from course.grading.samples import KINDS, expected_scores, make_submission
from course.grading.scoring import partial_grade, score_test_cell
from course.grading.solutions import (
    ANSWER, ESSAY, load_exercise, load_exercises, nbgrader_meta, split_test_segments,
)
from course.grading.submissions import CorruptNotebook, match_exercise, read_notebook
from tests.conftest import ROOT
from tests.fixtures.grading.helpers import FIXTURE_NAME, FIXTURE_SOLUTIONS, fixture_spec, rows, run, set_source, write

COURSE_SOLUTIONS = sorted((ROOT / "solutions").glob("*_exercises.ipynb"))


def all_specs(solutions_dir):
    return load_exercises(solutions_dir, ROOT / "exercises")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run over every kind of sample of every exercise notebook, plus partial-credit cases."""
    base = tmp_path_factory.mktemp("scores")
    solutions = base / "solutions"
    solutions.mkdir()
    for path in [*COURSE_SOLUTIONS, FIXTURE_SOLUTIONS / f"{FIXTURE_NAME}.ipynb"]:
        shutil.copy(path, solutions / path.name)
    specs = all_specs(solutions)
    for spec in specs:
        for kind in KINDS:
            write(make_submission(spec, kind), base / "subs" / kind / f"{spec.name}.ipynb")
    fixture = next(s for s in specs if s.name == FIXTURE_NAME)
    one_wrong = set_source(make_submission(fixture, "correct"), "q2_answer", 'q2 = ["Lithuania", "Latvia", "Estonia"]')
    write(one_wrong, base / "subs" / "partial-credit" / f"{FIXTURE_NAME}.ipynb")
    two_wrong = set_source(make_submission(fixture, "correct"), "q2_answer", 'q2 = ["Tallinn", "Riga"]')
    write(two_wrong, base / "subs" / "low-credit" / f"{FIXTURE_NAME}.ipynb")
    # The course's own solutions do real work (04 Q5 scores 1,023 models, about 1 s of CPU): the
    # per-cell limit is CPU time, which load on the machine does not use up, sized at 15 times that
    # work; the wall-clock backstops (4x per cell, 600 s per submission) only catch waiting cells.
    run(base / "subs", base / "out", solutions, exercises=ROOT / "exercises",
        cell_seconds=15.0, wall_factor=4.0, submission_seconds=600.0)
    return {"rows": rows(base / "out"), "specs": specs}


def test_every_course_exercise_notebook_is_graded():
    assert COURSE_SOLUTIONS, "solutions/ holds no *_exercises.ipynb"


@pytest.mark.parametrize("kind", KINDS)
def test_generated_submissions_get_exact_scores(graded, kind):
    for spec in graded["specs"]:
        r = graded["rows"][(kind, spec.name)]
        assert r["status"] == "graded", (spec.name, r["reason"])
        expected = expected_scores(spec, kind)
        for grade_id, points in expected.items():
            shown = r[grade_id]
            if points is None:
                continue
            assert float(shown) == points, (spec.name, kind, grade_id, r)
        auto = sum(p for p in expected.values() if p is not None)
        if all(p is not None for q, p in expected.items() if spec.cell(q).role != ESSAY):
            assert float(r["total"]) == auto, (spec.name, kind, r)
        assert float(r["max"]) == spec.max_points


def test_correct_sample_scores_full_auto_points(graded):
    for spec in graded["specs"]:
        r = graded["rows"][("correct", spec.name)]
        assert float(r["total"]) == sum(q.points for q in spec.questions if q.kind == "auto")


def test_partial_credit_is_the_numeric_result_of_the_hidden_tests(graded):
    assert graded["rows"][("partial-credit", FIXTURE_NAME)]["q2"] == "2"
    assert graded["rows"][("low-credit", FIXTURE_NAME)]["q2"] == "0"


def test_answered_essay_awaits_a_hand_score_and_an_untouched_one_scores_zero(graded):
    assert graded["rows"][("correct", FIXTURE_NAME)]["q4_essay"] == ""
    assert "awaiting hand scores: q4_essay" in graded["rows"][("correct", FIXTURE_NAME)]["reason"]
    assert graded["rows"][("untouched", FIXTURE_NAME)]["q4_essay"] == "0"


@pytest.mark.parametrize("path", COURSE_SOLUTIONS, ids=lambda p: p.name)
def test_computed_placeholders_match_the_released_exercises(path):
    released = ROOT / "exercises" / path.name
    if not released.exists():
        pytest.skip(f"{released.name} is not released yet")
    computed = load_exercise(path)
    nb = nbformat.read(str(released), as_version=4)
    by_id = {nbgrader_meta(c).get("grade_id"): c.source for c in nb.cells}
    for cell in computed.cells:
        if cell.role in (ANSWER, ESSAY):
            assert by_id[cell.grade_id].strip() == cell.placeholder.strip(), cell.grade_id


def test_test_cells_split_into_public_and_hidden_segments():
    segments = split_test_segments('check("q1", q1)\n### BEGIN HIDDEN TESTS\nassert q1 == 1\n### END HIDDEN TESTS')
    assert [(s.source, s.hidden) for s in segments] == [('check("q1", q1)', False), ("assert q1 == 1", True)]


@pytest.mark.parametrize("text, expected", [("1.5", 1.5), ("7", 3.0), ("-1", 0.0), ("nan", 0.0),
                                            ("'ok'", 3.0), ("np.float64(2.0)", 3.0)])
def test_partial_grade_rule(text, expected):
    assert partial_grade(text, 3.0) == expected


def test_test_score_follows_nbgrader_order_of_outputs():
    stream = {"output_type": "stream", "name": "stdout", "text": "fine", "hidden": False}
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "", "hidden": True}
    result = {"output_type": "execute_result", "text": "0.5", "hidden": True}
    stderr = {"output_type": "stream", "name": "stderr", "text": "warn", "hidden": True}
    assert score_test_cell({"outputs": [stream]}, 2) == (2, "")
    assert score_test_cell({"outputs": [stream, error]}, 2)[0] == 0
    assert score_test_cell({"outputs": [stream, result]}, 2)[0] == 0.5
    assert score_test_cell({"outputs": [stderr, result]}, 2)[0] == 0
    assert score_test_cell(None, 2) == (0.0, "did not run")


def test_matching_uses_content_and_accepts_mangled_names():
    spec = fixture_spec()
    nb = make_submission(spec, "untouched")
    for name in ("x.ipynb", f"jdoe_123_456_{FIXTURE_NAME}.ipynb", "90 Fixture Exercises (2).ipynb"):
        assert match_exercise(nb, name, [spec]) == (spec, "")
    for cell in nb.cells:
        cell.metadata = {}
    found, reason = match_exercise(nb, "x.ipynb", [spec])
    assert found is None and "none of the exercise notebooks" in reason


@pytest.mark.parametrize("raw, words", [(b"", "empty"), (b"\xff\xfe", "not UTF-8"), (b"[1, 2]", "not a notebook"),
                                        (b'{"cells": [', "truncated")])
def test_unreadable_files_say_why(raw, words):
    with pytest.raises(CorruptNotebook, match=words):
        read_notebook(raw)


def test_plan_runs_solution_tests_and_student_answers():
    spec = fixture_spec()
    nb = set_source(make_submission(spec, "correct"), "q1", "pass")
    plan = build_plan(spec, nb)
    test = next(c for c in plan.cells if c.grade_id == "q1")
    assert any(s.hidden and "int(q1) == 10" in s.source for s in test.segments)
    answer = next(c for c in plan.cells if c.grade_id == "q1_answer")
    assert answer.answered and "q1 = 10" in answer.source
    assert plan.notes == ("locked cells edited in the submission: q1 (the solution's version ran)",)


def test_a_notebook_cut_anywhere_is_called_truncated():
    text = nbformat.writes(make_submission(fixture_spec(), "correct"))
    for cut in range(1, len(text.rstrip()) - 1):  # every cut point: inside strings, numbers, literals
        with pytest.raises(CorruptNotebook, match="truncated"):
            read_notebook(text[:cut].encode())


def test_worked_explanations_are_left_out_of_grading_and_feedback():
    """Solutions carry worked explanations the student copy does not: the grader must skip them,
    or every later cell is misaligned and the explanations (answers) reach the feedback pages."""
    with_explanations = [p for p in COURSE_SOLUTIONS
                         if any(fmt.is_explanation(c) for c in nbformat.read(p, as_version=4).cells)]
    assert with_explanations, "no solution notebook has worked explanations to test with"
    for path in with_explanations:
        spec = load_exercise(path)
        assert not any("Worked explanation" in c.source for c in spec.cells), path.name
        released = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
        assert len(spec.cells) == len(released.cells), path.name
