"""Release every solution notebook: write ``exercises/`` and the answer keys, or check them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.release.answer_keys import dumps, record_answer_keys
from course.release.exercise import make_exercise
from course.release.nbgrader_format import FormatError, validate_notebook
from course.selfcheck import keys_dir


@dataclass
class ReleaseReport:
    written: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)


def solution_notebooks(solutions: Path) -> list[Path]:
    return sorted(p for p in solutions.glob("*.ipynb") if not p.name.startswith("."))


def read_solution(solution_path: Path) -> nbformat.NotebookNode:
    """A solution notebook, validated as nbgrader would (:class:`FormatError` if it is refused)."""
    try:
        nb = nbformat.read(solution_path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - not JSON, not a notebook: one line, no traceback
        raise FormatError(f"{solution_path.name}: not a readable notebook "
                          f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from None
    validate_notebook(nb, solution_path.name)
    return nb


def exercise_text(solution_path: Path) -> str:
    nb = read_solution(solution_path)
    return nbformat.writes(make_exercise(nb, solution_path.name)) + "\n"


def release(solutions: Path, exercises: Path, keys: Path | None = None, *, check: bool = False,
            with_keys: bool = True) -> ReleaseReport:
    """Generate (or with ``check=True`` compare) every exercise notebook and answer-key file.

    In check mode nothing is written; files that differ or are missing land in ``stale``,
    and exercise notebooks without a solution land in ``orphans``.
    """
    keys = keys or keys_dir()
    report = ReleaseReport()
    sources = solution_notebooks(solutions)
    if not sources:
        raise FileNotFoundError(f"no solution notebooks in {solutions}")
    for source in sources:  # every notebook is checked before anything is run or written
        read_solution(source)
    expected: dict[Path, str] = {}
    for source in sources:
        expected[exercises / source.name] = exercise_text(source)
        if with_keys:
            expected[keys / f"{source.stem}.json"] = dumps(record_answer_keys(source))
    for path, text in expected.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            report.unchanged.append(path)
        elif check:
            report.stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            report.written.append(path)
    names = {s.name for s in sources}
    report.orphans = sorted(p for p in exercises.glob("*.ipynb") if p.name not in names)
    return report
