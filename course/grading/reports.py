"""Everything in ``GRADES/`` besides the gradebook, regenerated from the gradebook alone:

- ``grades.csv``: one row per student and notebook for an LMS (and ``by_notebook/<notebook>.csv``,
  the same for one notebook, to upload as one LMS assignment);
- ``feedback/<student_id>/<notebook>.html``: the student's answers, points per question and the
  public self-check messages (never the hidden tests, the solutions or the rubrics); every piece
  of student text is escaped and a Content-Security-Policy forbids any script;
- ``essays/<notebook>.csv``: the essay answers with the model answer, rubric and a word count,
  to score by hand (UTF-8 with a byte-order mark, so Excel shows "—" and "…");
- ``similarity.csv`` and ``similarity.html``: pairs of students whose answers are identical or
  nearly so (:mod:`course.grading.similarity`), flagged in the ``similar_to`` column;
- ``statistics.html``: per question of each notebook the mean, the share at zero, the share at
  full marks and a small histogram, to spot a broken question at a glance;
- ``exports/``: the files an LMS imports (:mod:`course.grading.exports`).

CSV cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) get a leading apostrophe, and no other cell does;
:func:`from_spreadsheet` removes it again when a sheet is merged.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from pathlib import Path

import mistune

from course.grading.gradebook import Gradebook, SubmissionRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESSAY_COLUMNS = ["student_id", "notebook", "grade_id", "max_points", "words", "answer", "model_answer", "rubric",
                 "score", "comment"]
#: The status shown in every export for a row whose essays are not all scored yet.
AWAITING = "awaiting_hand_scores"
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


def write_atomic(path: Path, text: str, bom: bool = False) -> None:
    """Write a file so that a reader never sees half of it (``bom``: UTF-8 with a byte-order mark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
    os.replace(tmp, path)


def sniff_delimiter(first_line: str) -> str:
    """``;`` for a sheet a spreadsheet saved with semicolons (e.g. Excel in a decimal-comma locale),
    a tab for tab-separated text, else ``,``. Decided on the header line, which holds no quotes."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts: with or without a BOM, comma-, semicolon- or tab-separated.

    Raises ``OSError``, ``UnicodeDecodeError`` or ``csv.Error``."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        text = handle.read()
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", str(text)))


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


def pending_essays(questions: list[dict]) -> list[str]:
    """The essays of a submission still waiting for a hand score."""
    return [q["grade_id"] for q in questions if q["kind"] == "essay" and q["points"] is None]


def assignment_results(book: Gradebook) -> dict[str, dict[str, dict]]:
    """notebook → student → ``{total, max, status, reason, questions}`` for the exports.

    ``total`` is None while an essay waits for its hand score (``status`` :data:`AWAITING`):
    no export ever shows a partial total as if it were the grade."""
    questions = book.question_scores()
    manual = book.manual_scores()
    out: dict[str, dict[str, dict]] = {}
    for sub in book.submissions():
        key = (sub.student_id, sub.notebook)
        qs = combined_scores(questions.get(key, []), manual, key)
        pending = pending_essays(qs)
        total = sum(q["points"] or 0 for q in qs) if qs else sub.auto_points
        status, reason = sub.status, sub.reason
        if pending and sub.status == "graded":
            status = AWAITING
        if pending:
            reason = "; ".join(filter(None, [reason, f"awaiting hand scores: {', '.join(pending)} "
                                                     f"(essays/{sub.notebook}.csv)"]))
        out.setdefault(sub.notebook, {})[sub.student_id] = {
            "total": None if pending else total, "max": sub.max_points, "status": status,
            "reason": reason, "questions": qs, "partial": total}
    return out


def grades_table(book: Gradebook, notebook: str | None = None,
                 similar: dict[tuple[str, str], list[str]] | None = None) -> list[list[str]]:
    """The rows of ``grades.csv`` (header first); with ``notebook``, that notebook's rows and
    question columns only (``by_notebook/<notebook>.csv``, one LMS assignment per file).

    Question columns are only ever those of one notebook: when the gradebook holds several
    notebooks, ``grades.csv`` has no question columns (each ``by_notebook/`` file has them).
    ``total`` is the points so far; ``complete`` says ``no`` while essays wait for a hand score;
    ``similar_to`` names the students whose answers are (nearly) the same (``similar``, from
    :mod:`course.grading.similarity`; see similarity.csv)."""
    notebooks = book.notebooks()
    per_question = notebook is not None or len(notebooks) <= 1
    subs = [s for s in book.submissions() if notebook is None or s.notebook == notebook]
    questions = {k: v for k, v in book.question_scores().items() if notebook is None or k[1] == notebook}
    results = assignment_results(book)
    columns: list[str] = []
    if per_question:
        for key in sorted(questions, key=lambda k: (k[1], k[0])):
            for q in questions[key]:
                if q["grade_id"] not in columns:
                    columns.append(q["grade_id"])
    rows = [["student_id", "notebook", *columns, "total", "max", "status", "reason", "complete", "similar_to"]]
    similar = similar or {}
    for sub in subs:
        result = results[sub.notebook][sub.student_id]
        qs = {q["grade_id"]: q for q in result["questions"]}
        complete = "yes" if result["total"] is not None else "no"
        rows.append([to_spreadsheet(sub.student_id), sub.notebook,
                     *[fmt_points(qs[c]["points"]) if c in qs else "" for c in columns],
                     fmt_points(result["partial"]), fmt_points(sub.max_points) if sub.max_points else "",
                     sub.status, to_spreadsheet(result["reason"]), complete,
                     to_spreadsheet("; ".join(similar.get((sub.student_id, sub.notebook), [])))])
    return rows


def model_answers(book: Gradebook) -> dict[tuple[str, str], str]:
    """(notebook, grade_id) → the model answer of each essay, read from the latest run's solutions
    (empty when they cannot be read any more)."""
    options = book.last_options()
    try:
        from course.grading.solutions import ESSAY, load_exercises

        solutions = Path(options["solutions"])
        exercises = options.get("exercises")
        exercises = Path(exercises) if exercises and exercises != "None" and Path(exercises).is_dir() else None
        specs = load_exercises(solutions, exercises)
    except Exception:  # noqa: BLE001 - the sheet is still useful without them
        return {}
    return {(spec.name, c.grade_id): c.model_answer for spec in specs for c in spec.cells
            if c.role == ESSAY and c.grade_id}


def essay_rows(book: Gradebook, notebook: str, models: dict | None = None) -> list[list[str]]:
    """The rows of ``essays/<notebook>.csv`` (header first): every answered essay."""
    manual = book.manual_scores()
    models = model_answers(book) if models is None else models
    rows = [ESSAY_COLUMNS]
    for sub in book.submissions():
        if sub.notebook != notebook:
            continue
        for cell in sub.feedback.get("cells", []):
            if cell.get("role") != "essay" or not cell.get("answered"):
                continue
            hand = manual.get((sub.student_id, notebook, cell["grade_id"]), {})
            rows.append([to_spreadsheet(sub.student_id), notebook, cell["grade_id"],
                         fmt_points(cell["max_points"]), str(word_count(cell["source"])),
                         to_spreadsheet(cell["source"]),
                         to_spreadsheet(models.get((notebook, cell["grade_id"]), "")),
                         to_spreadsheet(cell.get("rubric", "")), fmt_points(hand.get("points")),
                         to_spreadsheet(hand.get("comment", ""))])
    return rows


def _same_score(typed: str, known: str) -> bool:
    """Whether a score typed in a sheet (``1,5``, ``1.50``) is the score the gradebook has."""
    if typed == known:
        return True
    try:
        from course.grading.merge import parse_score

        return bool(typed and known) and parse_score(typed) == parse_score(known)
    except ValueError:
        return False


def unmerged_edits(path: Path, fresh: list[list[str]]) -> bool:
    """Whether an existing sheet holds scores or comments the gradebook does not have yet."""
    if not path.exists():
        return False
    header = fresh[0]
    score_at, comment_at = header.index("score"), header.index("comment")
    known = {(r[0], r[2]): (r[score_at], r[comment_at].strip()) for r in fresh[1:]}
    try:
        for row in read_csv(path):
            score = (row.get("score") or "").strip()
            comment = from_spreadsheet(row.get("comment") or "").strip()
            if not (score or comment):
                continue
            have = known.get((from_spreadsheet((row.get("student_id") or "").strip()),
                              (row.get("grade_id") or "").strip()))
            if have is None or have[1] != comment or not _same_score(score, have[0]):
                return True
    except (OSError, UnicodeDecodeError, csv.Error):
        return True
    return False


def write_essay_sheets(book: Gradebook, out_dir: Path, notebooks: list[str]) -> list[str]:
    """Write ``essays/<notebook>.csv`` for each notebook with essays; returns warnings.

    A sheet with hand scores not merged yet is never overwritten: the fresh one goes next to
    it as ``<notebook>.new.csv``. Once the sheet is up to date again, that ``.new.csv`` is removed.
    """
    warnings = []
    models = model_answers(book)
    for notebook in notebooks:
        rows = essay_rows(book, notebook, models)
        if len(rows) == 1:
            continue
        path = Path(out_dir) / "essays" / f"{notebook}.csv"
        fresh_path = path.with_name(f"{notebook}.new.csv")
        if unmerged_edits(path, [[from_spreadsheet(c) for c in r] for r in rows]):
            path = fresh_path
            warnings.append(f"essays/{notebook}.csv has hand scores that are not merged yet, so it was "
                            f"left as it is (fresh sheet: essays/{path.name}); merge it with "
                            f"`course grade-merge essays/{notebook}.csv --out {out_dir}`")
        elif fresh_path.exists():
            fresh_path.unlink()
        write_atomic(path, _csv(rows), bom=True)
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


def _plain_title(markdown: str, limit: int = 90) -> str:
    """The first line of a prompt as plain text: ``**Q1.** How many …`` → ``Q1. How many …``."""
    line = next((ln.strip() for ln in str(markdown).splitlines() if ln.strip()), "")
    line = re.sub(r"^#+\s*", "", line)
    line = re.sub(r"[*_`]+", "", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def question_titles(feedback: dict) -> dict[str, str]:
    """grade_id of each test and essay → the title of its question (the prompt before it)."""
    titles: dict[str, str] = {}
    prompt = ""
    for cell in feedback.get("cells", []):
        role = cell.get("role")
        if role == "prose":
            prompt = cell.get("source", "")
        elif role in ("test", "essay") and cell.get("grade_id"):
            titles[cell["grade_id"]] = _plain_title(prompt) if prompt else cell["grade_id"]
    return titles


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_PATH = re.compile(r"""(?<![\w.])(?:[A-Za-z]:)?(?:[/\\][^\s"'<>:/\\]+)+[/\\]([^\s"'<>:/\\]+)""")


def scrub_paths(text: str) -> str:
    """A traceback without the grader's folders: colour codes removed and every absolute path
    shortened to its last part (``/tmp/course-grade-x/…/executor.py`` → ``executor.py``)."""
    return _PATH.sub(r"\1", _ANSI.sub("", str(text)))


def feedback_html(sub: SubmissionRow, questions: list[dict]) -> str:
    """The feedback page of one submission. Only public material; everything escaped.

    It opens with a summary (score, status, and a table of the questions by title)."""
    by_id = {q["grade_id"]: q for q in questions}
    titles = question_titles(sub.feedback)
    total = sum(q["points"] or 0 for q in questions) if questions else sub.auto_points
    pending = pending_essays(questions)
    score_text = (f"{fmt_points(total)} / {fmt_points(sub.max_points)} so far (essays not scored yet: "
                  f"{', '.join(pending)})") if pending else f"{fmt_points(total)} / {fmt_points(sub.max_points)}"
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_esc(sub.notebook)}: feedback for {_esc(sub.student_id)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_esc(sub.notebook)}</h1><p>Student: <b>{_esc(sub.student_id)}</b> · file {_esc(sub.file)}</p>",
        "<h2>Summary</h2>",
        f"<p>Score: <b>{_esc(score_text)}</b> · status: <b>{_esc(sub.status)}</b></p>",
    ]
    if sub.reason:
        parts.append(f"<p>{_esc(scrub_paths(sub.reason))}</p>")
    if questions:
        parts.append("<table><tr><th>question</th><th>points</th><th>of</th></tr>")
        for q in questions:
            shown = "awaiting hand score" if q["points"] is None else fmt_points(q["points"])
            title = titles.get(q["grade_id"], q["grade_id"])
            label = title if title.startswith(q["grade_id"]) else f"{q['grade_id']}: {title}"
            parts.append(f"<tr><td>{_esc(label)}</td><td>{_esc(shown)}</td>"
                         f"<td>{_esc(fmt_points(q['max_points']))}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Your notebook</h2>")
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
        parts.append("<h3>Notes</h3><ul>" + "".join(f"<li>{_esc(scrub_paths(n))}</li>"
                                                     for n in sub.feedback["notes"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _outputs_html(outputs: list[dict]) -> list[str]:
    out = []
    for o in outputs:
        if o.get("output_type") == "error":
            text = o.get("traceback") or f"{o.get('ename')}: {o.get('evalue')}"
            if isinstance(text, list):
                text = "\n".join(map(str, text))
            text = scrub_paths(text)
        else:
            text = o.get("text", "")
            if isinstance(text, list):
                text = "".join(map(str, text))
            if o.get("name") == "stderr":
                text = scrub_paths(text)
        if text:
            out.append(f"<pre class='out'>{_esc(text)}</pre>")
    return out


def feedback_path(out_dir: Path, student_id: str, notebook: str) -> Path:
    return Path(out_dir) / "feedback" / student_id / f"{notebook}.html"


def write_reports(book: Gradebook, out_dir: Path, notebooks_with_essays: list[str]) -> list[str]:
    """Regenerate grades.csv, by_notebook/, every feedback page, every essay sheet,
    statistics.html and exports/; returns warnings."""
    from course.grading.exports import write_exports
    from course.grading.stats import write_statistics

    from course.grading.similarity import similar_to, write_similarity

    out_dir = Path(out_dir)
    similar = similar_to(write_similarity(book, out_dir))  # similarity.csv/.html; flags for the rows
    write_atomic(out_dir / "grades.csv", _csv(grades_table(book, similar=similar)))
    for notebook in book.notebooks():
        write_atomic(out_dir / "by_notebook" / f"{notebook}.csv", _csv(grades_table(book, notebook, similar)))
    questions = book.question_scores()
    manual = book.manual_scores()
    for sub in book.submissions():
        key = (sub.student_id, sub.notebook)
        write_atomic(feedback_path(out_dir, *key),
                     feedback_html(sub, combined_scores(questions.get(key, []), manual, key)))
    warnings = write_essay_sheets(book, out_dir, notebooks_with_essays)
    warnings += write_statistics(book, out_dir)
    warnings += write_exports(book, out_dir)
    return warnings
