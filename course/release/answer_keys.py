"""Run a solution notebook and record the hashed answer of every ``check(...)`` call."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from course.selfcheck import RECORD_ENV


class KeyRecordingError(RuntimeError):
    """The solution notebook failed to run, so its answer keys cannot be recorded."""


def record_answer_keys(solution_path: Path, timeout: int = 300) -> dict:
    """Execute ``solution_path`` with recording on; return the answer-key document."""
    nb = nbformat.read(solution_path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "keys.jsonl"
        record.touch()
        env = {**os.environ, RECORD_ENV: str(record)}
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3",
            resources={"metadata": {"path": str(solution_path.parent)}},
        )
        try:
            client.execute(env=env)
        except CellExecutionError as exc:
            raise KeyRecordingError(f"{solution_path.name} does not run cleanly:\n{exc}") from exc
        entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
    questions: dict[str, dict] = {}
    for entry in entries:
        name = entry.pop("question")
        if name in questions and questions[name] != entry:
            raise KeyRecordingError(f"{solution_path.name}: {name} is checked twice with different answers")
        questions[name] = entry
    return {
        "notebook": solution_path.stem,
        "generated_by": "course release (salted PBKDF2-SHA256 of canonical answers)",
        "questions": dict(sorted(questions.items())),
    }


def dumps(document: dict) -> str:
    return json.dumps(document, indent=1, sort_keys=True) + "\n"
