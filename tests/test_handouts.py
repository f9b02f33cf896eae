"""`course handouts`: per module a handout (tables, questions, role cards) and a rubric sheet."""

from __future__ import annotations

import shutil

import pytest

from course.handouts import module_parts, render, write_handouts
from tests.conftest import ROOT


def test_module_04_has_the_four_seats_as_role_cards():
    cards = module_parts("04_limits")["cards"]
    seats = " ".join(next(iter(c.values())) for c in cards)
    assert len(cards) == 4
    for seat in ("United States", "NATO", "Ukraine", "Russia"):
        assert seat in seats, (seat, seats)


def test_rubrics_come_from_the_solutions_and_stay_off_the_student_handout():
    handout, rubrics = render("04_limits")
    assert rubrics.count("Rubric") >= 2  # Q14 and Q15
    assert "Rubric" not in handout
    assert "BEGIN SOLUTION" not in handout and "HIDDEN TESTS" not in handout


def test_every_lecture_gets_a_handout_and_a_rubric_sheet(tmp_path):
    files = write_handouts(tmp_path, pdf=False)
    stems = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(f.name for f in files) == sorted(
        f"{s}_{kind}.html" for s in stems for kind in ("handout", "rubrics"))
    assert "http" not in "".join(f.read_text().split("<style>")[1].split("</style>")[0] for f in files)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_pdfs_are_printed_by_chromium(tmp_path):
    pdfs = write_handouts(tmp_path)
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
