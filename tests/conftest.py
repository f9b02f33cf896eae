"""Shared fixtures: paths of the course's folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Self-checks record progress (question ids and statuses) in the user's data folder; tests and
# the notebooks they run (kernels inherit the environment) record into a throw-away file instead.
os.environ.setdefault("COURSE_PROGRESS_FILE", str(Path(tempfile.mkdtemp(prefix="course-progress-")) / "progress.json"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
