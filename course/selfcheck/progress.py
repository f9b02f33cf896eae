"""Progress across the course, kept between kernel restarts.

Every self-check writes one line of status (never the answer) to a small JSON file:

* ``$COURSE_PROGRESS_FILE`` if that environment variable is set, else
* ``progress.json`` in the user's data folder for the course
  (Linux ``~/.local/share/security-guarantees-course/``, macOS
  ``~/Library/Application Support/security-guarantees-course/``, Windows
  ``%LOCALAPPDATA%\\security-guarantees-course\\``).

The file holds, per exercise notebook and question, the last status (``right``, ``not right yet``,
``not yet answered``), whether the student chose to see the worked explanation before getting it
right (``gave_up``), and the time of the check. Delete it to start afresh. ``course progress`` and
the progress cell of the Start here notebook read it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

PROGRESS_ENV = "COURSE_PROGRESS_FILE"
APP_NAME = "security-guarantees-course"

RIGHT, UNANSWERED, WRONG = "right", "not yet answered", "not right yet"
STATUSES = (RIGHT, WRONG, UNANSWERED)


def natural_key(question: str) -> list:
    """Sort key putting q2 before q10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", question)]


def progress_path() -> Path:
    """Where progress is kept (see the module docstring)."""
    override = os.environ.get(PROGRESS_ENV)
    if override:
        return Path(override)
    try:
        from platformdirs import user_data_dir
        folder = Path(user_data_dir(APP_NAME, appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs comes with Jupyter
        folder = Path.home() / ".local" / "share" / APP_NAME
    return folder / "progress.json"


def load(path: Path | None = None) -> dict[str, dict[str, dict]]:
    """``{notebook: {question: {"status", "gave_up", "at"}}}``; empty if nothing was recorded or the
    file cannot be read."""
    path = path or progress_path()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    notebooks = document.get("notebooks", {}) if isinstance(document, dict) else {}
    return {str(nb): dict(qs) for nb, qs in notebooks.items() if isinstance(qs, dict)}


def _save(notebooks: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"about": "self-check progress of the course Security Guarantees and Their Limits: "
                         "question ids and statuses only, no answers",
                "notebooks": notebooks}
    # Write to a temporary file and rename, so an interrupted write never leaves half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, sort_keys=True)
    os.replace(temporary, path)


def record(notebook: str, question: str, status: str | None = None, *, gave_up: bool | None = None,
           path: Path | None = None) -> bool:
    """Record the latest ``status`` of ``question`` (and/or that the student gave up on it).

    Returns False, without raising, when the file cannot be written (a read-only home folder must
    never break a check)."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    path = path or progress_path()
    try:
        notebooks = load(path)
        entry = dict(notebooks.setdefault(notebook, {}).get(question, {}))
        if status is not None:
            entry["status"] = status
        if gave_up is not None:
            entry["gave_up"] = bool(gave_up) or bool(entry.get("gave_up"))
        entry.setdefault("status", UNANSWERED)
        entry.setdefault("gave_up", False)
        entry["at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        notebooks[notebook][question] = entry
        _save(notebooks, path)
        return True
    except OSError:
        return False


@dataclass(frozen=True)
class NotebookProgress:
    """The progress of one exercise notebook: counts that add up, questions in natural order."""

    notebook: str
    questions: tuple[str, ...]
    statuses: dict[str, str]
    gave_up: tuple[str, ...]

    def questions_with(self, status: str) -> list[str]:
        return [q for q in self.questions if self.statuses.get(q, UNANSWERED) == status]

    @property
    def right(self) -> int:
        return len(self.questions_with(RIGHT))

    @property
    def wrong(self) -> int:
        return len(self.questions_with(WRONG))

    @property
    def unanswered(self) -> int:
        return len(self.questions) - self.right - self.wrong

    @property
    def answered(self) -> int:
        return self.right + self.wrong

    def line(self) -> str:
        return (f"{self.notebook}: {self.right} right, {self.wrong} not right yet, {self.unanswered} not yet "
                f"answered — {len(self.questions)} self-checked questions")


def course_progress(keys: dict[str, list[str]] | None = None, path: Path | None = None) -> list[NotebookProgress]:
    """Progress per exercise notebook.

    ``keys`` maps each notebook to its self-checked questions (default: the installed answer
    keys); a question recorded for a notebook that has no key (an older version) is ignored, so
    the counts always add up to the questions of the current version."""
    if keys is None:
        from course.selfcheck import keys_dir, load_keys
        keys = {path_.stem: list(load_keys(path_.stem)) for path_ in sorted(keys_dir().glob("*.json"))}
    recorded = load(path)
    result = []
    for notebook in sorted(keys):
        questions = tuple(sorted(keys[notebook], key=natural_key))
        entries = recorded.get(notebook, {})
        statuses = {q: entries[q].get("status", UNANSWERED) for q in questions if q in entries}
        gave_up = tuple(q for q in questions if q in entries and entries[q].get("gave_up"))
        result.append(NotebookProgress(notebook, questions, statuses, gave_up))
    return result


def progress_table(keys: dict[str, list[str]] | None = None, path: Path | None = None):
    """A pandas table of :func:`course_progress`: one row per exercise notebook."""
    import pandas as pd

    rows = []
    for item in course_progress(keys, path):
        rows.append({
            "exercise notebook": item.notebook,
            "questions": len(item.questions),
            "right": item.right,
            "not right yet": item.wrong,
            "not yet answered": item.unanswered,
            "right: which": ", ".join(item.questions_with(RIGHT)) or "—",
            "to do": ", ".join(q for q in item.questions if item.statuses.get(q) != RIGHT) or "—",
            "explanation seen before ✓": ", ".join(item.gave_up) or "—",
        })
    return pd.DataFrame(rows).set_index("exercise notebook") if rows else pd.DataFrame()


def progress_text(keys: dict[str, list[str]] | None = None, path: Path | None = None) -> str:
    """Plain text of :func:`course_progress` (what ``course progress`` prints)."""
    items = course_progress(keys, path)
    if not items:
        return "No exercise notebooks with answer keys are installed."
    lines = []
    for item in items:
        lines.append(item.line())
        for question in item.questions:
            status = item.statuses.get(question, UNANSWERED)
            extra = " (explanation seen before ✓)" if question in item.gave_up else ""
            lines.append(f"  {question}: {status}{extra}")
    total = sum(len(i.questions) for i in items)
    right = sum(i.right for i in items)
    wrong = sum(i.wrong for i in items)
    lines.append(f"Course: {right} right, {wrong} not right yet, {total - right - wrong} not yet answered — "
                 f"{total} self-checked questions. Essays are not self-checked and not counted here.")
    lines.append(f"(kept in {progress_path() if path is None else path}; question ids and statuses only)")
    return "\n".join(lines)
