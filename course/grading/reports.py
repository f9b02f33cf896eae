"""Everything in ``GRADES/`` besides the gradebook, regenerated from the gradebook alone:

- ``grades.csv``: one row per student and notebook for an LMS (and ``by_notebook/<notebook>.csv``,
  the same for one notebook, to upload as one LMS assignment);
- ``feedback/<student_id>/<notebook>.html``: the student's answers, points per question and the
  public self-check messages (never the hidden tests, the solutions or the rubrics); every piece
  of student text is escaped and a Content-Security-Policy forbids any script;
- ``essays/<notebook>.csv``: the essay answers with their rubric, to score by hand.

CSV cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``)
get a leading apostrophe; :func:`from_spreadsheet` removes it again when a sheet is merged.
"""

from __future__ import annotations

import csv
import html
import io
import os
from pathlib import Path

import mistune

from course.grading.gradebook import Gradebook, SubmissionRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESSAY_COLUMNS = ["student_id", "notebook", "grade_id", "max_points", "answer", "rubric", "score", "comment"]
#: Longest text a spreadsheet cell holds (Excel: 32,767 characters).
MAX_CELL_CHARS = 32000


def to_spreadsheet(text: str) -> str:
    """Text safe to open in a spreadsheet (no formula injection, fits in a cell)."""
    text = str(text)
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + " […truncated]"
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def from_spreadsheet(text: str) -> str:
    """Undo :func:`to_spreadsheet`'s apostrophe."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def fmt_points(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if float(value).is_integer() else f"{round(value, 3):g}"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def combined_scores(questions: list[dict], manual: dict, key: tuple[str, str]) -> list[dict]:
    """Question rows with the hand scores merged in (``points`` None: still waiting)."""
    out = []
    for q in questions:
        q = dict(q)
        hand = manual.get((*key, q["grade_id"]))
        if q["kind"] == "essay" and hand is not None:
            q["points"], q["comment"] = hand["points"], hand["comment"]
        out.append(q)
    return out


def grades_table(book: Gradebook, notebook: str | None = None) -> list[list[str]]:
    """The rows of ``grades.csv`` (header first); with ``notebook``, that notebook's rows and
    question columns only (``by_notebook/<notebook>.csv``, one LMS assignment per file)."""
    subs = [s for s in book.submissions() if notebook is None or s.notebook == notebook]
    questions = {k: v for k, v in book.question_scores().items() if notebook is None or k[1] == notebook}
    manual = book.manual_scores()
    columns: list[str] = []
    for key in sorted(questions, key=lambda k: (k[1], k[0])):
        for q in questions[key]:
            if q["grade_id"] not in columns:
                columns.append(q["grade_id"])
    rows = [["student_id", "notebook", *columns, "total", "max", "status", "reason"]]
    for sub in subs:
        key = (sub.student_id, sub.notebook)
        qs = {q["grade_id"]: q for q in combined_scores(questions.get(key, []), manual, key)}
        pending = [g for g, q in qs.items() if q["kind"] == "essay" and q["points"] is None]
        reason = sub.reason
        if pending:
            reason = "; ".join(filter(None, [reason, f"awaiting hand scores: {', '.join(pending)} "
                                                     f"(essays/{sub.notebook}.csv)"]))
        total = sum(q["points"] or 0 for q in qs.values()) if qs else sub.auto_points
        rows.append([to_spreadsheet(sub.student_id), sub.notebook,
                     *[fmt_points(qs[c]["points"]) if c in qs else "" for c in columns],
                     fmt_points(total), fmt_points(sub.max_points) if sub.max_points else "",
                     sub.status, to_spreadsheet(reason)])
    return rows


def essay_rows(book: Gradebook, notebook: str) -> list[list[str]]:
    """The rows of ``essays/<notebook>.csv`` (header first): every answered essay."""
    manual = book.manual_scores()
    rows = [ESSAY_COLUMNS]
    for sub in book.submissions():
        if sub.notebook != notebook:
            continue
        for cell in sub.feedback.get("cells", []):
            if cell.get("role") != "essay" or not cell.get("answered"):
                continue
            hand = manual.get((sub.student_id, notebook, cell["grade_id"]), {})
            rows.append([to_spreadsheet(sub.student_id), notebook, cell["grade_id"],
                         fmt_points(cell["max_points"]), to_spreadsheet(cell["source"]),
                         to_spreadsheet(cell.get("rubric", "")), fmt_points(hand.get("points")),
                         to_spreadsheet(hand.get("comment", ""))])
    return rows


def unmerged_edits(path: Path, fresh: list[list[str]]) -> bool:
    """Whether an existing sheet holds scores or comments the gradebook does not have yet."""
    if not path.exists():
        return False
    known = {(r[0], r[2]): (r[6], r[7]) for r in fresh[1:]}
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                filled = ((row.get("score") or "").strip(), (row.get("comment") or "").strip())
                if any(filled) and known.get((row.get("student_id", ""), row.get("grade_id", ""))) != filled:
                    return True
    except (OSError, UnicodeDecodeError, csv.Error):
        return True
    return False


def write_essay_sheets(book: Gradebook, out_dir: Path, notebooks: list[str]) -> list[str]:
    """Write ``essays/<notebook>.csv`` for each notebook with essays; returns warnings.

    A sheet with hand scores not merged yet is never overwritten: the fresh one goes next to
    it as ``<notebook>.new.csv``.
    """
    warnings = []
    for notebook in notebooks:
        rows = essay_rows(book, notebook)
        if len(rows) == 1:
            continue
        path = Path(out_dir) / "essays" / f"{notebook}.csv"
        if unmerged_edits(path, [[from_spreadsheet(c) for c in r] for r in rows]):
            path = path.with_name(f"{notebook}.new.csv")
            warnings.append(f"essays/{notebook}.csv has hand scores that are not merged yet, so it was "
                            f"left as it is (fresh sheet: essays/{path.name}); merge it with "
                            f"`course grade-merge essays/{notebook}.csv --out {out_dir}`")
        write_atomic(path, _csv(rows))
    return warnings


STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f6f6f6;padding:.6rem;white-space:pre-wrap;word-break:break-word;border-radius:4px}
.prose{color:#444}.q{border-left:4px solid #888;padding-left:.8rem;margin:1rem 0}
.full{border-color:#2a7}.part{border-color:#d90}.zero{border-color:#c33}.wait{border-color:#58c}
.out{background:#fff;border:1px solid #ddd}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border:1px solid #ccc}"""


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Markdown to HTML with any raw HTML escaped (for the course's own prose, never student text)."""
    return _MARKDOWN(str(text))


def feedback_html(sub: SubmissionRow, questions: list[dict]) -> str:
    """The feedback page of one submission. Only public material; everything escaped."""
    by_id = {q["grade_id"]: q for q in questions}
    total = sum(q["points"] or 0 for q in questions) if questions else sub.auto_points
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_esc(sub.notebook)}: feedback for {_esc(sub.student_id)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(sub.notebook)}</h1><p>Student: <b>{_esc(sub.student_id)}</b> · file {_esc(sub.file)}</p>",
        f"<p>Score: <b>{_esc(fmt_points(total))} / {_esc(fmt_points(sub.max_points))}</b> · status: "
        f"<b>{_esc(sub.status)}</b></p>",
    ]
    if sub.reason:
        parts.append(f"<p>{_esc(sub.reason)}</p>")
    if questions:
        parts.append("<table><tr><th>question</th><th>points</th><th>of</th></tr>")
        for q in questions:
            shown = "awaiting hand score" if q["points"] is None else fmt_points(q["points"])
            parts.append(f"<tr><td>{_esc(q['grade_id'])}</td><td>{_esc(shown)}</td>"
                         f"<td>{_esc(fmt_points(q['max_points']))}</td></tr>")
        parts.append("</table>")
    for cell in sub.feedback.get("cells", []):
        role = cell.get("role")
        if role == "prose":  # the solution's own locked text, rendered; raw HTML in it is escaped
            parts.append(f"<div class='prose'>{render_markdown(cell.get('source', ''))}</div>")
        elif role in ("answer", "extra", "essay"):
            title = "Your answer" if role != "extra" else "A cell you added"
            label = f" ({_esc(cell['grade_id'])})" if cell.get("grade_id") else ""
            parts.append(f"<h3>{title}{label}</h3><pre>{_esc(cell.get('source', ''))}</pre>")
            parts.extend(_outputs_html(cell.get("outputs", [])))
            if role == "essay":
                q = by_id.get(cell["grade_id"], {})
                shown = "awaiting hand score" if q.get("points") is None else \
                    f"{fmt_points(q['points'])} / {fmt_points(q['max_points'])}"
                parts.append(f"<div class='q wait'>Essay {_esc(cell['grade_id'])}: {_esc(shown)}"
                             + (f"<br>{_esc(q['comment'])}" if q.get("comment") else "") + "</div>")
        elif role == "test":
            q = by_id.get(cell["grade_id"], {})
            points, max_points = q.get("points") or 0, q.get("max_points") or 0
            klass = "full" if points >= max_points else "part" if points > 0 else "zero"
            parts.append(f"<div class='q {klass}'><b>{_esc(cell['grade_id'])}: {_esc(fmt_points(points))} / "
                         f"{_esc(fmt_points(max_points))} points</b>")
            parts.extend(_outputs_html(cell.get("outputs", [])))
            parts.append("</div>")
    if sub.feedback.get("notes"):
        parts.append("<h3>Notes</h3><ul>" + "".join(f"<li>{_esc(n)}</li>" for n in sub.feedback["notes"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _outputs_html(outputs: list[dict]) -> list[str]:
    out = []
    for o in outputs:
        if o.get("output_type") == "error":
            text = o.get("traceback") or f"{o.get('ename')}: {o.get('evalue')}"
        else:
            text = o.get("text", "")
        if text:
            out.append(f"<pre class='out'>{_esc(text)}</pre>")
    return out


def feedback_path(out_dir: Path, student_id: str, notebook: str) -> Path:
    return Path(out_dir) / "feedback" / student_id / f"{notebook}.html"


def write_reports(book: Gradebook, out_dir: Path, notebooks_with_essays: list[str]) -> list[str]:
    """Regenerate grades.csv, every feedback page and every essay sheet; returns warnings."""
    out_dir = Path(out_dir)
    write_atomic(out_dir / "grades.csv", _csv(grades_table(book)))
    for notebook in sorted({sub.notebook for sub in book.submissions()}):
        write_atomic(out_dir / "by_notebook" / f"{notebook}.csv", _csv(grades_table(book, notebook)))
    questions = book.question_scores()
    manual = book.manual_scores()
    for sub in book.submissions():
        key = (sub.student_id, sub.notebook)
        write_atomic(feedback_path(out_dir, *key),
                     feedback_html(sub, combined_scores(questions.get(key, []), manual, key)))
    return write_essay_sheets(book, out_dir, notebooks_with_essays)
