"""Policies every notebook keeps: no stored outputs, objectives and sources, exercise structure,
self-checks wired to their grade cells, and no long passage of the copyrighted article."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course.release import nbgrader_format as fmt
from course.selfcheck import load_keys
from tests.conftest import ROOT

ALL = sorted(p for folder in ("notebooks", "solutions", "exercises") for p in (ROOT / folder).glob("*.ipynb"))
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*_exercises.ipynb"))
MODULE_SOLUTIONS = [p for p in SOLUTIONS if not p.name.startswith("00_")]
ARTICLE = ROOT.parent / "shared" / "reference" / "trenin-2022-article.txt"
QUESTION_POINTS = re.compile(r"\*\*Q(\d+)\b[^*]*?\((\d+(?:\.\d+)?) points?\b")
RUBRIC_POINTS = re.compile(r"\((\d+(?:\.\d+)?) pts?\)")
CHECK_CALL = re.compile(r"""^\s*check\(\s*["']([^"']+)["']""", re.MULTILINE)


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def test_there_are_notebooks():
    assert LECTURES and SOLUTIONS


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_stored_without_outputs(path):
    dirty = [i + 1 for i, c in enumerate(_read(path).cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert dirty == [], f"cells {dirty} carry outputs: run `course strip {path.relative_to(ROOT)}`"


@pytest.mark.parametrize("path", LECTURES + SOLUTIONS, ids=_ids(LECTURES + SOLUTIONS))
def test_objectives_at_the_top_and_sources_at_the_end(path):
    cells = [c.source for c in _read(path).cells if c.cell_type == "markdown"]
    assert any("learning objectives" in s.lower() for s in cells[:3]), "learning objectives in the first cells"
    if path.parent.name == "notebooks":
        assert any("sources and further reading" in s.lower() for s in cells[-3:]), "sources at the end"


def _questions(nb):
    """{question number: (points in metadata, points stated in text)} and essay cells."""
    stated = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for number, points in QUESTION_POINTS.findall(cell.source):
                stated[int(number)] = float(points)
    graded = {}
    for cell in nb.cells:
        gid = fmt.grade_id(cell)
        if fmt.is_grade(cell) and gid:
            match = re.match(r"q(\d+)", gid)
            assert match, f"grade_id {gid!r} should start with qN"
            graded[int(match.group(1))] = graded.get(int(match.group(1)), 0) + fmt.points(cell)
    return graded, stated


@pytest.mark.parametrize("path", MODULE_SOLUTIONS, ids=_ids(MODULE_SOLUTIONS))
def test_module_exercises_have_enough_questions_and_essays(path):
    nb = _read(path)
    graded, _ = _questions(nb)
    essays = [c for c in nb.cells if fmt.is_essay(c)]
    auto = [c for c in nb.cells if fmt.is_autograded_test(c)]
    assert len(graded) >= 8, f"{len(graded)} questions; at least 8"
    assert len(essays) >= 2 and auto, "at least two essays and some auto-graded questions"


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_points_stated_in_the_text_match_the_metadata(path):
    graded, stated = _questions(_read(path))
    assert graded == stated, "each '**QN (P points).**' must match the points of the grade cells of qN"


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_essay_rubrics_add_up_to_the_points(path):
    for cell in _read(path).cells:
        if fmt.is_essay(cell):
            model, rubric = fmt.split_essay_solution(cell.source)
            assert model and rubric, f"{fmt.grade_id(cell)} needs a model answer and a '#### Rubric'"
            total = sum(float(p) for p in RUBRIC_POINTS.findall(rubric))
            assert total == fmt.points(cell), f"{fmt.grade_id(cell)}: rubric adds to {total}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_every_autograded_cell_has_a_self_check_with_a_key(path):
    keys = load_keys(path.stem)
    for cell in _read(path).cells:
        if fmt.is_autograded_test(cell):
            gid = fmt.grade_id(cell)
            public, _ = fmt.remove_hidden_tests(cell.source)
            assert CHECK_CALL.findall(public) == [gid], f"{gid}: the public part must call check({gid!r}, ...)"
            assert fmt.BEGIN_HIDDEN in cell.source, f"{gid}: hidden tests missing"
            assert gid in keys, f"{gid}: no answer key; run `course release`"


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared/reference is not beside the repository")
@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_long_passage_of_the_article_is_copied(path):
    article = _shingles(ARTICLE.read_text(encoding="utf-8"), 40)
    text = "\n".join(c.source for c in _read(path).cells)
    copied = article & _shingles(text, 40)
    assert not copied, "a passage of 40+ words is copied from the article: quote less"


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_lecture_notebooks_are_ready_for_slides_mode(path):
    from course.release.slides import add_slide_metadata

    nb = _read(path)
    assert not add_slide_metadata(nb), f"run `course slides {path.relative_to(ROOT)}`"
    first = nb.cells[0]
    assert first.metadata["slideshow"]["slide_type"] == "slide"
