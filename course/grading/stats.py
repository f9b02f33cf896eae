"""``GRADES/statistics.html``: how each question went, so a broken question shows at a glance.

Per notebook, per question: how many submissions have a score, the mean, the share at zero, the
share at full marks and a small histogram (inline SVG drawn by matplotlib, offline; the page
needs no network and runs no script). A question where almost everyone scores 0, including
students who score well elsewhere, is usually a broken test or a misleading prompt.
Essays not scored yet are left out of their question's numbers (and counted as waiting).
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from course.grading.gradebook import Gradebook
from course.grading.reports import assignment_results, fmt_points, question_titles, write_atomic

#: Okabe–Ito blue (colour-blind safe).
BAR_COLOUR = "#0072B2"


def question_statistics(book: Gradebook) -> dict[str, list[dict]]:
    """notebook → one dict per question: ``grade_id, title, max_points, scores, waiting, mean,
    share_zero, share_full`` (shares and mean None when nothing is scored)."""
    from course.grading.exports import unfiled_submissions

    results = assignment_results(book)
    for student, notebook in unfiled_submissions(book):
        results.get(notebook, {}).pop(student, None)
    results = {n: per for n, per in results.items() if per}
    titles: dict[str, dict[str, str]] = {}
    for sub in book.submissions():
        titles.setdefault(sub.notebook, {}).update(
            {k: v for k, v in question_titles(sub.feedback).items() if k not in titles.get(sub.notebook, {})})
    out: dict[str, list[dict]] = {}
    for notebook, per in sorted(results.items()):
        order: list[str] = []
        table: dict[str, dict] = {}
        for result in per.values():
            for q in result["questions"]:
                entry = table.get(q["grade_id"])
                if entry is None:
                    order.append(q["grade_id"])
                    entry = table[q["grade_id"]] = {
                        "grade_id": q["grade_id"], "kind": q["kind"], "max_points": q["max_points"],
                        "title": titles.get(notebook, {}).get(q["grade_id"], q["grade_id"]),
                        "scores": [], "waiting": 0}
                if q["points"] is None:
                    entry["waiting"] += 1
                else:
                    entry["scores"].append(float(q["points"]))
        for entry in table.values():
            scores, top = entry["scores"], entry["max_points"]
            n = len(scores)
            entry["mean"] = sum(scores) / n if n else None
            entry["share_zero"] = sum(1 for s in scores if s <= 0) / n if n else None
            entry["share_full"] = sum(1 for s in scores if top and s >= top) / n if n else None
        out[notebook] = [table[g] for g in order]
    return out


def histogram_svg(scores: list[float], max_points: float, label: str) -> str:
    """A small histogram of the points (0 … max) as an inline SVG string."""
    from matplotlib.figure import Figure  # no pyplot: no global backend or figure state is touched

    fig = Figure(figsize=(3.2, 1.6), dpi=72)
    ax = fig.add_subplot()
    top = max(float(max_points or 0), max(scores, default=0.0), 1.0)
    bins = min(10, max(2, int(round(top)) + 1)) if float(top).is_integer() and top <= 10 else 10
    ax.hist(scores, bins=bins, range=(0, top), color=BAR_COLOUR, edgecolor="white")
    ax.set_xlabel("points", fontsize=8)
    ax.set_ylabel("submissions", fontsize=8)
    ax.tick_params(labelsize=7)
    fig.tight_layout(pad=0.3)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    return svg[start:].replace("<svg", f"<svg role='img' aria-label='{html.escape(label, quote=True)}'", 1)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def statistics_html(stats: dict[str, list[dict]]) -> str:
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             "<title>Per-question statistics</title><style>body{font-family:system-ui,sans-serif;margin:2rem}"
             "table{border-collapse:collapse}td,th{padding:.2rem .6rem;border:1px solid #ccc;vertical-align:middle}"
             ".warn{background:#fde8d0}</style></head><body><h1>Per-question statistics</h1>",
             "<p>Rows shaded: at least 80% of the scored submissions have 0 on the question "
             "(a broken test or a misleading prompt?).</p>"]
    for notebook, questions in stats.items():
        parts.append(f"<h2>{html.escape(notebook)}</h2><table><tr><th>question</th><th>scored</th>"
                     "<th>mean</th><th>at 0</th><th>at full marks</th><th>histogram</th></tr>")
        for q in questions:
            n = len(q["scores"])
            mean = "–" if q["mean"] is None else f"{fmt_points(round(q['mean'], 2))} / {fmt_points(q['max_points'])}"
            waiting = f" ({q['waiting']} waiting)" if q["waiting"] else ""
            alt = (f"Histogram of {q['grade_id']}: {n} scores, mean {mean}, {_pct(q['share_zero'])} at 0, "
                   f"{_pct(q['share_full'])} at full marks")
            plot = histogram_svg(q["scores"], q["max_points"], alt) if n else "no scores yet"
            klass = " class='warn'" if q["share_zero"] is not None and q["share_zero"] >= 0.8 else ""
            parts.append(f"<tr{klass}><td>{html.escape(q['grade_id'])}: {html.escape(q['title'])}</td>"
                         f"<td>{n}{waiting}</td><td>{html.escape(mean)}</td><td>{_pct(q['share_zero'])}</td>"
                         f"<td>{_pct(q['share_full'])}</td><td>{plot}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_statistics(book: Gradebook, out_dir: Path) -> list[str]:
    stats = question_statistics(book)
    if stats:
        write_atomic(Path(out_dir) / "statistics.html", statistics_html(stats))
    return []
