"""Slides mode for lecture notebooks (RISE, the reveal.js slideshow for JupyterLab).

Each lecture notebook carries ``metadata.slideshow.slide_type`` on its cells: a new slide at
every top-level or section heading (``#``, ``##``), a sub-slide at every ``###`` heading, and
the rest continuing the current slide; notebook metadata turns on RISE's scrolling, so long
slides stay readable. Authors may change any cell's type by hand: :func:`add_slide_metadata`
only fills cells that have none.
"""

from __future__ import annotations

import re

import nbformat

RISE_SETTINGS = {"scroll": True, "transition": "none", "start_slideshow_at": "beginning"}
_HEADING = re.compile(r"^(#{1,3})\s")


def default_slide_type(cell) -> str:
    """``slide`` for a ``#``/``##`` heading cell, ``subslide`` for ``###``, else ``-``."""
    if cell.cell_type != "markdown":
        return "-"
    match = _HEADING.match(cell.source.lstrip())
    if not match:
        return "-"
    return "subslide" if len(match.group(1)) == 3 else "slide"


def add_slide_metadata(nb: nbformat.NotebookNode) -> bool:
    """Fill missing slide types and the RISE settings; True when the notebook changed."""
    changed = False
    for cell in nb.cells:
        slideshow = cell.metadata.setdefault("slideshow", {})
        if "slide_type" not in slideshow:
            slideshow["slide_type"] = default_slide_type(cell)
            changed = True
    if nb.metadata.get("rise") != {**RISE_SETTINGS, **nb.metadata.get("rise", {})}:
        nb.metadata["rise"] = {**RISE_SETTINGS, **nb.metadata.get("rise", {})}
        changed = True
    return changed
