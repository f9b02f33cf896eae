"""``course publish``: copy the student edition of the course into a folder.

The repository holds the instructors' material too (``solutions/``, tests, lesson plans). The
student edition is what students need to run ``make lab`` and work: the lecture notebooks, the
generated exercises (with their hashed answer keys), the package, the setup files and the
README. Nothing in it contains a model answer, a hidden test or a rubric.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat

from course.release import nbgrader_format as fmt

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


def publish(root: Path, out: Path) -> list[Path]:
    """Copy the student edition of the course at ``root`` into ``out`` (which must not exist)."""
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
    return files
