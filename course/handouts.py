"""Printable handouts (``course handouts OUT``), generated from the repository.

Per module ``NN_name``:

- ``NN_name_handout.pdf`` (students): the key tables of the lecture notebook (its Markdown tables),
  the exercise questions as handed out, and **role cards** for the lesson plan's activities, one
  card per row of a lecture table whose first column is ``who``, ``seat``, ``actor`` or ``party``
  (in 04: Washington, NATO, Kyiv, Moscow).
- ``NN_name_rubrics.pdf`` (instructor side): every ``#### Rubric`` section of the solution
  notebook, with its question, printable on its own.

The pages are HTML rendered by mistune and printed to PDF by Chromium through Playwright
(``page.pdf``), the same browser as the browser test; no web fonts, nothing from the internet.
Without Chromium the HTML files are written and the command says the PDFs were skipped.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import mistune
import nbformat

ROOT = Path(__file__).resolve().parent.parent
ROLE_HEADERS = {"who", "seat", "actor", "party"}
CSS = """
@page { size: A4; margin: 16mm; }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; page-break-inside: avoid; }
th, td { border: 1px solid #777; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eee; }
.question { page-break-inside: avoid; margin: .5em 0 1.2em; }
.answer-space { border: 1px dashed #aaa; height: 3.2em; margin-top: .3em; }
.cards { display: flex; flex-wrap: wrap; gap: 8mm; }
.card { width: 82mm; min-height: 60mm; border: 2px solid #333; padding: 5mm; page-break-inside: avoid; }
.card h3 { margin-top: 0; }
.break { page-break-before: always; }
code { font-size: 95%; }
"""
_md = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>")


def _tables(source: str) -> list[list[str]]:
    """The Markdown tables in ``source``, each as its list of lines."""
    tables, current = [], []
    for line in source.splitlines() + [""]:
        if line.strip().startswith("|"):
            current.append(line.strip())
        else:
            if len(current) >= 3 and re.match(r"^\|[\s:|-]+\|$", current[1]):
                tables.append(current)
            current = []
    return tables


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def role_cards(tables: list[list[str]]) -> list[dict[str, str]]:
    """One card per row of every table whose first column heading names a role."""
    cards = []
    for table in tables:
        header = _cells(table[0])
        if header and header[0].lower() in ROLE_HEADERS:
            for row in table[2:]:
                values = _cells(row)
                cards.append(dict(zip(header, values)))
    return cards


def module_parts(stem: str) -> dict:
    """Tables, questions, role cards and rubrics of module ``stem`` (e.g. ``04_limits``)."""
    lecture = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    tables = [t for c in lecture.cells if c.cell_type == "markdown" for t in _tables(c.source)]
    parts = {"title": stem, "tables": tables, "cards": role_cards(tables), "questions": [], "rubrics": []}
    for c in lecture.cells:
        if c.cell_type == "markdown" and c.source.lstrip().startswith("# "):
            parts["title"] = c.source.lstrip()[2:].splitlines()[0].strip()
            break
    exercise = ROOT / "exercises" / f"{stem}_exercises.ipynb"
    if exercise.exists():
        for c in nbformat.read(exercise, as_version=4).cells:
            gid = c.metadata.get("nbgrader", {}).get("grade_id", "")
            if c.cell_type == "markdown" and re.fullmatch(r"q\d+_text|part_[a-z]", gid):
                parts["questions"].append(c.source)
    solution = ROOT / "solutions" / f"{stem}_exercises.ipynb"
    if solution.exists():
        question = ""
        for c in nbformat.read(solution, as_version=4).cells:
            if c.cell_type != "markdown":
                continue
            if re.match(r"\*\*Q\d+", c.source.lstrip()):
                question = c.source
            if "#### Rubric" in c.source:
                parts["rubrics"].append((question, c.source[c.source.index("#### Rubric"):]))
    return parts


def render(stem: str) -> tuple[str, str]:
    """The student handout and the rubric sheet of one module, as HTML pages."""
    p = module_parts(stem)
    body = ["<h2>Key tables</h2>"] + [_md("\n".join(t)) for t in p["tables"]]
    if p["questions"]:
        body.append("<h2 class='break'>Questions</h2>")
        for q in p["questions"]:
            space = "" if q.lstrip().startswith("##") else "<div class='answer-space'></div>"
            body.append(f"<div class='question'>{_md(q)}{space}</div>")
    if p["cards"]:
        body.append("<h2 class='break'>Role cards</h2><p>Cut along the borders; one card per seat.</p><div class='cards'>")
        for card in p["cards"]:
            (first, name), *rest = card.items()
            fields = "".join(f"<div><b>{html.escape(k)}:</b> {_md(v)}</div>" for k, v in rest)
            body.append(f"<div class='card'><h3>{_md(name)}</h3>{fields}"
                        "<p><b>Your task:</b> argue this seat's position on the proposals, with one "
                        "source.</p></div>")
        body.append("</div>")
    handout = _page(f"{p['title']}: handout", "\n".join(body))
    rubric_body = "<p>Instructor side: do not hand out.</p>" + "".join(
        f"<div class='question'>{_md(q)}{_md(r)}</div>" for q, r in p["rubrics"])
    rubrics = _page(f"{p['title']}: rubrics", rubric_body)
    return handout, rubrics


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_handouts(out: Path, pdf: bool = True) -> list[Path]:
    """Write HTML (and, with Chromium, PDF) handouts and rubric sheets for every lecture notebook."""
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        handout, rubrics = render(nb.stem)
        for kind, text in (("handout", handout), ("rubrics", rubrics)):
            path = out / f"{nb.stem}_{kind}.html"
            path.write_text(text, encoding="utf-8")
            pages.append(path)
    if not (pdf and chromium()):
        return pages
    from playwright.sync_api import sync_playwright

    pdfs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        for path in pages:
            page.goto(path.resolve().as_uri())
            target = path.with_suffix(".pdf")
            page.pdf(path=str(target), format="A4", print_background=True)
            pdfs.append(target)
        browser.close()
    return pdfs
