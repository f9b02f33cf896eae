"""Slides mode for lecture notebooks (jupyterlab-slideshow, which presents the live notebook).

jupyterlab-slideshow reads the standard ``metadata.slideshow.slide_type`` of each cell and shows
the running notebook itself as slides, so ipywidgets stay live (RISE's reveal.js copy renders
ipywidgets 8 as text: jupyterlab-contrib/rise#119). It bundles its own styles and loads no fonts
from the internet.

:func:`add_slide_metadata` lays a notebook out for a 1280×720 projector:

- a new slide at every ``#``/``##`` heading, a sub-slide at every ``###`` heading;
- a further sub-slide wherever the cells since the last break would be taller than
  :data:`SLIDE_BUDGET_PX` (an estimate from lines of text and code, a widget or a figure counting
  :data:`OUTPUT_PX`), so no slide needs scrolling;
- speaker notes: a markdown cell that starts with ``**Speaker notes`` (or carries
  ``metadata.course.notes = true``) becomes ``notes``, shown to the presenter only.

Types that an author sets by hand to ``skip``, ``fragment`` or ``notes`` are kept; the automatic
types (``slide``, ``subslide``, ``-``) are recomputed, so the layout follows edits.
"""

from __future__ import annotations

import re

import nbformat

SLIDE_BUDGET_PX = 600  # 720 px screen less the slideshow's toolbar and margins
LINE_PX = 24           # a rendered line of markdown at the default font size
CODE_LINE_PX = 18
CHARS_PER_LINE = 110   # characters in one line at 1280 px
OUTPUT_PX = 420        # a matplotlib figure or an explorer
TEXT_OUTPUT_PX = 120   # a table or printed text, shown clipped
KEPT = {"skip", "fragment", "notes"}
LAYOUT_VERSION = 2
_HEADING = re.compile(r"^(#{1,3})\s")
_SHOWS_SOMETHING = re.compile(r"(Explorer|\.plot|plt\.|display\(|\.show\(\)|interact)")


def default_slide_type(cell) -> str:
    """``slide`` for a ``#``/``##`` heading cell, ``subslide`` for ``###``, ``notes`` for speaker
    notes, else ``-``."""
    if cell.cell_type != "markdown":
        return "-"
    if is_speaker_notes(cell):
        return "notes"
    match = _HEADING.match(cell.source.lstrip())
    if not match:
        return "-"
    return "subslide" if len(match.group(1)) == 3 else "slide"


def is_speaker_notes(cell) -> bool:
    return cell.cell_type == "markdown" and (
        cell.source.lstrip().startswith("**Speaker notes")
        or bool(cell.metadata.get("course", {}).get("notes")))


def estimated_height(cell) -> int:
    """A rough height in pixels of the cell as presented (input and output)."""
    lines = cell.source.splitlines() or [""]
    if cell.cell_type == "markdown":
        rows = sum(max(1, -(-len(line) // CHARS_PER_LINE)) for line in lines)
        return rows * LINE_PX
    if cell.cell_type != "code":
        return 0
    height = len(lines) * CODE_LINE_PX + 20
    last = lines[-1].strip() if lines else ""
    if _SHOWS_SOMETHING.search(cell.source):
        height += OUTPUT_PX
    elif last and not last.startswith(("#", "import", "from")) and "=" not in last.split("(")[0]:
        height += TEXT_OUTPUT_PX
    return height


def layout(nb: nbformat.NotebookNode) -> list[str]:
    """The slide type each cell should have."""
    types, used = [], 0
    for cell in nb.cells:
        current = cell.metadata.get("slideshow", {}).get("slide_type")
        if current in KEPT:
            types.append(current)
            continue
        kind = default_slide_type(cell)
        height = estimated_height(cell)
        if kind in ("slide", "subslide"):
            used = height
        elif kind == "notes":
            pass
        elif types and used + height > SLIDE_BUDGET_PX:
            kind, used = "subslide", height
        else:
            used += height
        types.append(kind)
    return types


def add_slide_metadata(nb: nbformat.NotebookNode) -> bool:
    """Lay the notebook out as slides (see the module docstring); True when it changed."""
    changed = False
    for cell, kind in zip(nb.cells, layout(nb)):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != kind:
            slideshow["slide_type"] = kind
            changed = True
    if "rise" in nb.metadata:  # RISE is no longer the course's slideshow
        del nb.metadata["rise"]
        changed = True
    course = nb.metadata.setdefault("course", {})
    if course.get("slides") != LAYOUT_VERSION:
        course["slides"] = LAYOUT_VERSION
        changed = True
    return changed
