"""The course map of 00 is discovered from the files present; editions say what their files hold."""

from __future__ import annotations

import json
import subprocess
import sys

from course.course_map import MODULES, course_map, edition, edition_note, modules, notebook_title
from tests.conftest import ROOT


def _notebook(path, title):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": [f"# {title}\n", "text"]}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_modules_are_discovered_from_the_files(tmp_path):
    (tmp_path / "exercises").mkdir()
    _notebook(tmp_path / "notebooks" / "01_roots.ipynb", "Module 01 — *Roots*")
    _notebook(tmp_path / "exercises" / "01_roots_exercises.ipynb", "ex")
    _notebook(tmp_path / "notebooks" / "07_extra.ipynb", "Module 07 — Extra")
    rows = {row["module"]: row for row in modules(tmp_path)}
    assert rows["01"]["title"] == "Module 01 — Roots"
    assert rows["01"]["exercises (exercises/)"] == "01_roots_exercises.ipynb"
    assert rows["01"]["article sections"] == MODULES["01"][1]
    assert rows["03"]["lecture (notebooks/)"] == "coming"          # planned, not there yet
    assert rows["07"]["title"] == "Module 07 — Extra"                # not planned, but present
    assert rows["01"]["lesson plan (docs/lesson_plans/)"] == "instructors' copy"  # no docs/ in this copy
    # a module added in parallel appears without edits:
    _notebook(tmp_path / "notebooks" / "03_guarantees.ipynb", "Module 03 — Guarantees")
    assert modules(tmp_path)[[r["module"] for r in modules(tmp_path)].index("03")]["lecture (notebooks/)"] == \
        "03_guarantees.ipynb"


def test_the_course_map_of_this_repository_lists_every_lecture_notebook():
    table = course_map(ROOT)
    listed = set(table["lecture (notebooks/)"])
    assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} <= listed
    assert list(table.index) == sorted(table.index)
    assert notebook_title(ROOT / "notebooks" / "00a_python_primer.ipynb").startswith("Module 00a")


def test_editions_say_what_their_files_hold(tmp_path):
    assert edition(ROOT) == "instructors" and "solutions/" in edition_note(ROOT)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "exercises").mkdir()
    assert edition(tmp_path) == "student"
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "EDITION").write_text("self-study\n")
    assert edition(tmp_path) == "self-study" and "give_up" in edition_note(tmp_path)
    for folder in (ROOT, tmp_path):
        assert "trying every possibility" in edition_note(folder)


def test_course_progress_command_prints_counts_that_add_up(tmp_path):
    env = {"COURSE_PROGRESS_FILE": str(tmp_path / "p.json")}
    from course.selfcheck import progress
    progress.record("00_start_here_exercises", "q2", "right", path=tmp_path / "p.json")
    progress.record("00_start_here_exercises", "q10", "right", path=tmp_path / "p.json")  # not a question of 00
    done = subprocess.run([sys.executable, "-m", "course.cli", "progress"], capture_output=True, text=True,
                          env={**__import__("os").environ, **env}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "00_start_here_exercises: 1 right, 0 not right yet, 4 not yet answered — 5 self-checked questions" \
        in done.stdout
    lines = done.stdout.splitlines()
    start = lines.index(next(l for l in lines if l.startswith("00_start_here_exercises")))
    assert [l.split(":")[0].strip() for l in lines[start + 1:start + 6]] == ["q1", "q2", "q3", "q4", "q5"]
