"""The course map of the Start here notebook, discovered from the files present.

``course_map()`` lists every lecture notebook ``notebooks/NN_*.ipynb`` (its title is the first
heading of its first cell), with its exercise notebook and lesson plan when they exist, and the
article sections it covers from :data:`MODULES`. A module added to ``notebooks/`` appears
without editing anything here; a module listed in :data:`MODULES` but not yet released shows as
"coming". ``edition()`` says which edition of the course a folder is, so notebooks can make
only true claims about what the reader can see.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

#: The course's plan: module -> (short title, the article's sections it covers, core idea).
#: The one place the article-section mapping is kept.
MODULES: dict[str, tuple[str, str, str]] = {
    "00": ("Start here", "—", "how the course works; the source and how to read it"),
    "00a": ("Python primer", "—", "the Python and pandas the exercises use, for those who never programmed"),
    "01": ("Roots", "Roots", "the post-Cold War order; NATO enlargement; the 'promise' debate"),
    "02": ("Evolution", "(untitled opening); Evolution of the Confrontation; Forced Negotiations",
           "the 2014–2022 timeline; coercion; the December 2021 drafts and January 2022 talks"),
    "03": ("Guarantees", "Security Guarantees", "deterrence; treaties vs political commitments; ratification"),
    "04": ("Limits", "The Limits of Possibility; What Next?", "Russia's demands and how feasible each was"),
    "05": ("Countermeasures", "Countermeasures", "bargaining, the security dilemma, 2x2 games, escalation"),
    "06": ("Afterwards", "(beyond the article)", "what happened from 24 February 2022; scoring forecasts"),
}

COMING = "coming"
_NUMBER = re.compile(r"^(\d\d[a-z]?)_")


def course_folder(start: Path | None = None) -> Path:
    """The course's top folder: the nearest folder, from ``start`` (default: here) upwards, with
    ``notebooks/`` and ``exercises/``; else the folder of this package's parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "exercises").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


def notebook_title(path: Path) -> str:
    """The first heading of a notebook's first markdown cell, without markdown emphasis."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return path.stem
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        for line in source.splitlines():
            if line.startswith("#"):
                return re.sub(r"[*_`]", "", line.lstrip("#").strip())
        break
    return path.stem


def _first(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    return found[0] if found else None


def modules(folder: Path | None = None) -> list[dict[str, str]]:
    """One row per module: planned ones (:data:`MODULES`) and any other ``notebooks/NN_*.ipynb``."""
    top = folder or course_folder()
    numbers = set(MODULES)
    for path in (top / "notebooks").glob("*.ipynb"):
        match = _NUMBER.match(path.name)
        if match:
            numbers.add(match.group(1))
    rows = []
    for number in sorted(numbers):
        short, sections, idea = MODULES.get(number, ("", "—", "—"))
        lecture = _first(top / "notebooks", f"{number}_*.ipynb")
        exercises = _first(top / "exercises", f"{number}_*_exercises.ipynb")
        plan = _first(top / "docs" / "lesson_plans", f"{number}_*.md")
        rows.append({
            "module": number,
            "title": notebook_title(lecture) if lecture else short,
            "article sections": sections,
            "core idea": idea,
            "lecture (notebooks/)": lecture.name if lecture else COMING,
            "exercises (exercises/)": exercises.name if exercises else ("—" if number in ("00a",) else COMING),
            "lesson plan (docs/lesson_plans/)": plan.name if plan else ("—" if (top / "docs").is_dir() else
                                                                         "instructors' copy"),
        })
    return rows


def course_map(folder: Path | None = None):
    """The course map as a pandas table, indexed by module."""
    import pandas as pd

    return pd.DataFrame(modules(folder)).set_index("module")


def edition(folder: Path | None = None) -> str:
    """``"self-study"``, ``"student"`` (written by ``course publish``), or ``"instructors"`` (the
    repository itself, which holds ``solutions/``)."""
    top = folder or course_folder()
    marker = top / "course" / "EDITION"
    if marker.is_file():
        return marker.read_text(encoding="utf-8").strip() or "student"
    if (top / "solutions").is_dir():
        return "instructors"
    return "student"


def edition_note(folder: Path | None = None) -> str:
    """One paragraph, true of this copy, on what its files let a reader see."""
    kind = edition(folder)
    common = ("The answer keys in course/selfcheck/keys/ hold only salted hashes of the answers; but an "
              "answer drawn from a small set (a letter, a year, a count) can be found by trying every "
              "possibility against its hash, so the self-check is feedback for you, not a lock. Your "
              "grade, if you are graded, comes from your instructor's hidden tests and hand-scored essays.")
    if kind == "instructors":
        return ("This copy is the instructors' edition (the course's repository): its solutions/ folder holds "
                "the model answers, hidden tests and rubrics. Students should work in the student edition "
                "(`course publish`), which has none of them. " + common)
    if kind == "self-study":
        return ("This copy is the self-study edition: no file holds a model answer in plain form. Each "
                "exercise has a worked explanation that check.explain(\"qN\") opens after your answer is "
                "right, or check.give_up(\"qN\") opens at once; they are stored obfuscated, which stops "
                "accidental reading, not a determined one. " + common)
    return "This copy is the student edition: no file in it holds a model answer in plain form. " + common
