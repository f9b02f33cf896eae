"""Interoperability: real nbgrader (`generate_assignment`, then `autograde`) and `course grade`
give the same score per question on the same submissions. Slow (nbgrader starts a kernel per
notebook): the one slow grading test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.grading.samples import make_submission
from course.grading.solutions import load_exercise, nbgrader_meta
from tests.conftest import ROOT
from tests.fixtures.grading.helpers import FIXTURE_NAME, FIXTURE_SOLUTIONS, rows, run

pytestmark = pytest.mark.slow

PREFERRED = "01_roots_exercises"


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return done


def _notebooks() -> list[Path]:
    ours = sorted((ROOT / "solutions").glob("*_exercises.ipynb"))
    real = [p for p in ours if p.stem == PREFERRED] or ours[:1]
    return [FIXTURE_SOLUTIONS / f"{FIXTURE_NAME}.ipynb", *real]


def _answers(path: Path, kind: str) -> dict[str, str]:
    """grade_id → source of the answer cells of a generated submission."""
    nb = make_submission(load_exercise(path), kind)
    return {nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells if nbgrader_meta(c).get("solution")}


def test_nbgrader_autograde_and_course_grade_agree(tmp_path):
    course = tmp_path / "nbgrader-course"
    source = course / "source" / "ps1"
    source.mkdir(parents=True)
    notebooks = _notebooks()
    for path in notebooks:
        shutil.copy(path, source / path.name)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'interop'\n"
        "c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE'}\n"
        "c.Execute.timeout = 60\n")
    _nbgrader(course, "generate_assignment", "ps1", "--force")

    students = {"partial": "partial", "correct": "correct", "untouched": "untouched"}
    subs = tmp_path / "subs"
    for student, kind in students.items():
        for path in notebooks:
            released = nbformat.read(str(course / "release" / "ps1" / path.name), as_version=4)
            answers = _answers(path, kind)
            if path.stem == FIXTURE_NAME and kind == "partial":
                answers["q2_answer"] = 'q2 = ["Lithuania", "Latvia", "Estonia"]'  # partial credit: 2 of 3
            for cell in released.cells:
                grade_id = nbgrader_meta(cell).get("grade_id")
                if grade_id in answers and kind != "untouched":
                    cell.source = answers[grade_id]
            target = course / "submitted" / student / "ps1" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(released, str(target))
            (subs / student).mkdir(parents=True, exist_ok=True)
            shutil.copy(target, subs / student / path.name)
    _nbgrader(course, "autograde", "ps1", "--create", "--force")

    solutions = tmp_path / "solutions"
    solutions.mkdir()
    for path in notebooks:
        shutil.copy(path, solutions / path.name)
    run(subs, tmp_path / "g", solutions, cell_seconds=30)
    ours = rows(tmp_path / "g")

    from nbgrader.api import Gradebook as NbgraderGradebook

    compared = 0
    with NbgraderGradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            for path in notebooks:
                spec = load_exercise(path)
                mine = ours[(student, spec.name)]
                assert mine["status"] == "graded", mine
                for question in spec.questions:
                    theirs = gb.find_grade(question.grade_id, spec.name, "ps1", student).auto_score
                    if theirs is None:  # an answered essay: both wait for a hand score
                        assert mine[question.grade_id] == "", (student, spec.name, question.grade_id)
                        continue
                    assert float(mine[question.grade_id]) == pytest.approx(theirs), (
                        student, spec.name, question.grade_id, mine)
                    compared += 1
    assert compared >= 3 * (len(notebooks) + 2)
    assert ours[("partial", FIXTURE_NAME)]["q2"] == "2"
