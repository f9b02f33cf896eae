"""The SQLite gradebook (``GRADES/gradebook.sqlite``): the single source of every report.

WAL mode; one transaction per finished submission, so an interrupted run leaves only whole
rows, and a re-run grades what is missing. A submission is keyed by ``(student_id, notebook)``
and remembers the SHA-256 of the file graded and of the solution it was graded against: a
re-run skips a submission when both are unchanged. Hand scores of essays live in their own
table, which automatic runs never write, so they survive every re-run.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL, finished_at REAL, state TEXT NOT NULL,
    sandbox TEXT NOT NULL, options TEXT NOT NULL, summary TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    student_id TEXT NOT NULL, notebook TEXT NOT NULL,
    file TEXT NOT NULL, content_sha256 TEXT NOT NULL, solution_sha256 TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT NOT NULL,
    auto_points REAL NOT NULL, max_points REAL NOT NULL,
    seconds REAL, run_id INTEGER NOT NULL, graded_at REAL NOT NULL,
    feedback TEXT NOT NULL,
    PRIMARY KEY (student_id, notebook)
);
CREATE TABLE IF NOT EXISTS question_scores (
    student_id TEXT NOT NULL, notebook TEXT NOT NULL, grade_id TEXT NOT NULL,
    position INTEGER NOT NULL, kind TEXT NOT NULL, points REAL, max_points REAL NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (student_id, notebook, grade_id),
    FOREIGN KEY (student_id, notebook) REFERENCES submissions ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS manual_scores (
    student_id TEXT NOT NULL, notebook TEXT NOT NULL, grade_id TEXT NOT NULL,
    points REAL NOT NULL, comment TEXT NOT NULL, merged_at REAL NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (student_id, notebook, grade_id)
);
CREATE TABLE IF NOT EXISTS manual_comments (
    student_id TEXT NOT NULL, notebook TEXT NOT NULL, grade_id TEXT NOT NULL,
    comment TEXT NOT NULL, merged_at REAL NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (student_id, notebook, grade_id)
);
"""


@dataclass(frozen=True)
class SubmissionRow:
    student_id: str
    notebook: str
    file: str
    content_sha256: str
    solution_sha256: str
    status: str
    reason: str
    auto_points: float
    max_points: float
    seconds: float | None
    feedback: dict


class Gradebook:
    """A connection to ``gradebook.sqlite`` with the few operations grading needs."""

    FILE_NAME = "gradebook.sqlite"

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / self.FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # runs ---------------------------------------------------------------------------------
    def start_run(self, sandbox: str, options: dict) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, state, sandbox, options) VALUES (?, 'running', ?, ?)",
                (time.time(), sandbox, json.dumps(options, sort_keys=True)))
            return cursor.lastrowid

    def finish_run(self, run_id: int, state: str, summary: dict) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET finished_at = ?, state = ?, summary = ? WHERE run_id = ?",
                       (time.time(), state, json.dumps(summary, sort_keys=True), run_id))

    def runs(self) -> list[dict]:
        cursor = self.db.execute("SELECT * FROM runs ORDER BY run_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    # submissions ----------------------------------------------------------------------------
    def is_current(self, student_id: str, notebook: str, content_sha256: str, solution_sha256: str) -> bool:
        """Whether this exact file was already graded against this exact solution."""
        row = self.db.execute(
            "SELECT 1 FROM submissions WHERE student_id = ? AND notebook = ? AND content_sha256 = ? "
            "AND solution_sha256 = ?", (student_id, notebook, content_sha256, solution_sha256)).fetchone()
        return row is not None

    def record(self, row: SubmissionRow, scores: list, run_id: int) -> None:
        """Store one graded submission and its question scores in one transaction."""
        with self.transaction() as db:
            db.execute("DELETE FROM submissions WHERE student_id = ? AND notebook = ?",
                       (row.student_id, row.notebook))
            db.execute(
                "INSERT INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (row.student_id, row.notebook, row.file, row.content_sha256, row.solution_sha256,
                 row.status, row.reason, row.auto_points, row.max_points, row.seconds, run_id,
                 time.time(), json.dumps(row.feedback, ensure_ascii=False)))
            db.executemany(
                "INSERT INTO question_scores VALUES (?,?,?,?,?,?,?,?)",
                [(row.student_id, row.notebook, s.grade_id, position, s.kind, s.points, s.max_points, s.note)
                 for position, s in enumerate(scores)])

    def submissions(self) -> list[SubmissionRow]:
        rows = self.db.execute(
            "SELECT student_id, notebook, file, content_sha256, solution_sha256, status, reason, "
            "auto_points, max_points, seconds, feedback FROM submissions ORDER BY notebook, student_id")
        return [SubmissionRow(*r[:10], json.loads(r[10])) for r in rows]

    def question_scores(self) -> dict[tuple[str, str], list[dict]]:
        """(student_id, notebook) → the question rows in notebook order."""
        out: dict[tuple[str, str], list[dict]] = {}
        for row in self.db.execute(
                "SELECT student_id, notebook, grade_id, kind, points, max_points, note "
                "FROM question_scores ORDER BY student_id, notebook, position"):
            out.setdefault((row[0], row[1]), []).append(
                {"grade_id": row[2], "kind": row[3], "points": row[4], "max_points": row[5], "note": row[6]})
        return out

    # hand scores ----------------------------------------------------------------------------
    def manual_scores(self) -> dict[tuple[str, str, str], dict]:
        """Hand scores, and comments typed before a score (``points`` None: not scored yet)."""
        out = {(r[0], r[1], r[2]): {"points": None, "comment": r[3]} for r in self.db.execute(
            "SELECT student_id, notebook, grade_id, comment FROM manual_comments")}
        out.update({(r[0], r[1], r[2]): {"points": r[3], "comment": r[4]} for r in self.db.execute(
            "SELECT student_id, notebook, grade_id, points, comment FROM manual_scores")})
        return out

    def merge_manual(self, entries: list[tuple[str, str, str, float | None, str]], source: str) -> None:
        """Store hand scores ``(student_id, notebook, grade_id, points, comment)`` all at once.

        An entry with ``points`` None is a comment without a score yet: it is kept (and shown on
        the sheet) but the essay still counts as not scored."""
        now = time.time()
        scored = [e for e in entries if e[3] is not None]
        comments = [(e[0], e[1], e[2], e[4]) for e in entries if e[3] is None]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO manual_scores VALUES (?,?,?,?,?,?,?)",
                           [(*entry, now, source) for entry in scored])
            db.executemany("DELETE FROM manual_comments WHERE student_id = ? AND notebook = ? AND grade_id = ?",
                           [e[:3] for e in scored])
            db.executemany("INSERT OR REPLACE INTO manual_comments VALUES (?,?,?,?,?,?)",
                           [(*entry, now, source) for entry in comments])

    # queries for the exports ------------------------------------------------------------------
    def notebooks(self) -> list[str]:
        """Every assignment (notebook) that has at least one submission row, sorted."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT notebook FROM submissions ORDER BY notebook")]

    def last_options(self) -> dict:
        """The options of the latest run (e.g. its ``solutions`` folder), or ``{}``."""
        row = self.db.execute("SELECT options FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
        return json.loads(row[0]) if row else {}

    def failed(self) -> list[tuple[str, str, str, str]]:
        """``(student, notebook, status, reason)`` of every submission whose latest grading failed."""
        return [tuple(r) for r in self.db.execute(
            "SELECT student_id, notebook, status, reason FROM submissions WHERE status != 'graded' "
            "ORDER BY notebook, student_id")]
