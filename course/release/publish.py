"""``course publish``: copy the student edition of the course into a folder.

The repository holds the instructors' material too (``solutions/``, tests, lesson plans). The
student edition is what students need to run ``make lab`` and work: the lecture notebooks, the
generated exercises (with their hashed answer keys), the package, the setup files and the
README. Nothing in it contains a model answer, a hidden test or a rubric.

The **self-study edition** (``self_study=True``, ``course publish OUT --self-study``) is the
student edition plus the worked explanations of the solutions, stored obfuscated in
``course/selfcheck/explanations/`` and opened by ``check.explain("qN")`` after a right answer or by
``check.give_up("qN")``; each exercise notebook gets a ``check.explain`` cell after each question
that has one. Obfuscation keeps a learner from reading an explanation by accident; it is not a
secret (see docs/self_study.md). Each edition records what it is in ``course/EDITION``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat

from course.release import nbgrader_format as fmt
from course.selfcheck import explanations as explained

#: The file, inside the package, that names the edition a copy of the course is.
EDITION_FILE = Path("course") / "EDITION"

#: Top-level entries of the student edition.
STUDENT_EDITION = ("README.md", "LICENSE", "Makefile", "pyproject.toml", "environment.yml", ".gitignore",
                   "notebooks", "exercises", "course")
#: Never copied, wherever they are.
SKIPPED_PARTS = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache")


class PublishError(RuntimeError):
    """The student edition cannot be written (stale exercises, an answer in a notebook, ...)."""


def _files(root: Path) -> list[Path]:
    """The files of the course: those git tracks when it is a checkout, else every file."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
        candidates = [root / name for name in listed.stdout.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        candidates = [p for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in candidates if p.is_file())


def student_files(root: Path) -> list[Path]:
    """The files of the student edition, relative to ``root``."""
    chosen = []
    for path in _files(root):
        relative = path.relative_to(root)
        if relative.parts[0] in STUDENT_EDITION and not set(relative.parts) & set(SKIPPED_PARTS):
            chosen.append(relative)
    return chosen


def assert_no_answers(path: Path) -> None:
    """Raise :class:`PublishError` if a notebook holds a solution region or hidden tests."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if fmt.BEGIN_SOLUTION in cell.source or fmt.BEGIN_HIDDEN in cell.source:
            raise PublishError(f"{path.name}, cell {index + 1} holds a solution or hidden tests")


def worked_explanations(solution: nbformat.NotebookNode) -> dict[str, str]:
    """``{question: markdown}`` of the worked-explanation cells of a solution notebook."""
    texts: dict[str, list[str]] = {}
    for cell in solution.cells:
        if fmt.is_explanation(cell):
            question = str(cell.metadata[fmt.OUR_KEY]["explanation"])
            texts.setdefault(question, []).append(cell.source)
    return {q: "\n\n".join(parts) for q, parts in texts.items()}


def explain_cell(question: str) -> nbformat.NotebookNode:
    """The cell the self-study edition adds after the check of ``question``."""
    return nbformat.v4.new_code_cell(
        f"# Worked explanation of {question}: it opens once the check above shows ✓.\n"
        f"# To see it before that, replace explain with give_up (your progress will say so).\n"
        f"check.explain(\"{question}\")",
        metadata={"course_self_study": {"explain": question}})


def add_explain_cells(exercise: nbformat.NotebookNode, questions: set[str]) -> int:
    """Insert an :func:`explain_cell` after the grade cell of each of ``questions``."""
    cells, added = [], 0
    for cell in exercise.cells:
        cells.append(cell)
        gid = fmt.grade_id(cell)
        if cell.cell_type == "code" and fmt.is_grade(cell) and gid in questions:
            cells.append(explain_cell(gid))
            added += 1
    exercise.cells = cells
    return added


def publish(root: Path, out: Path, *, self_study: bool = False) -> list[Path]:
    """Copy the student edition of the course at ``root`` into ``out`` (which must not exist);
    with ``self_study=True``, the self-study edition (see the module docstring)."""
    if out.exists():
        raise PublishError(f"{out} exists already; give a new folder")
    files = student_files(root)
    for relative in files:
        if relative.suffix == ".ipynb":
            assert_no_answers(root / relative)
    for relative in files:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    written = list(files)
    if self_study:
        written += _add_self_study(root, out)
    edition = out / EDITION_FILE
    edition.parent.mkdir(parents=True, exist_ok=True)
    edition.write_text("self-study\n" if self_study else "student\n", encoding="utf-8")
    written.append(EDITION_FILE)
    return written


def _add_self_study(root: Path, out: Path) -> list[Path]:
    added = []
    folder = Path("course") / "selfcheck" / "explanations"
    for solution_path in sorted((root / "solutions").glob("*_exercises.ipynb")):
        texts = worked_explanations(nbformat.read(solution_path, as_version=4))
        if not texts:
            continue
        exercise_path = out / "exercises" / solution_path.name
        if not exercise_path.exists():
            raise PublishError(f"{solution_path.name} has no exercise notebook; run `course release` first")
        target = out / folder / f"{solution_path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(explained.document(solution_path.stem, texts), indent=1) + "\n",
                          encoding="utf-8")
        added.append(target.relative_to(out))
        exercise = nbformat.read(exercise_path, as_version=4)
        add_explain_cells(exercise, set(texts))
        nbformat.write(exercise, exercise_path)
    return added
