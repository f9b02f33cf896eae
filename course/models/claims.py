"""Rendering rows of the claims register (``course/data/claims.csv``) for a notebook, so that a
module discussing one of the article's claims reads its verdict from one place instead of
restating it.

>>> from course.models.claims import render_claim
>>> print(render_claim("C18").text.splitlines()[0])
C18 (Security Guarantees, fact): "two-thirds of U.S. senators" -- verdict: loose
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from course import data
from course.sources import ARTICLE as _SOURCE

def _esc(value: str) -> str:
    return html.escape(value, quote=False)


ARTICLE = f'{_SOURCE["author"]}, "{_SOURCE["title"]}" ({_SOURCE["publisher"]}, January 2022)'
"""How a rendered claim names the article (from :data:`course.sources.ARTICLE`)."""


@dataclass(frozen=True)
class RenderedClaim:
    """A claim as text (``.text``) and Markdown (``.markdown``); Jupyter shows the Markdown."""

    claim_id: str
    text: str
    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.text


def render_claim(claim_id: str) -> RenderedClaim:
    """One register row as a short attributed quote, its verdict, what happened and the source."""
    row = data.claim(claim_id)
    origin = "Trenin to Kommersant, 29 Jan 2022" if row["section"] == "Kommersant interview" else ARTICLE
    head = f'{row["claim_id"]} ({row["section"]}, {row["kind"]}): "{row["quote"]}" -- verdict: {row["verdict"]}'
    when = f' ({row["date"]})' if row["date"] else ""
    text = "\n".join([head, f"What happened{when}: {row['what_happened']}", f"Source: {row['source']}",
                      f"Quoted from: {origin}"])
    markdown = (f'**{_esc(row["claim_id"])}** · *{_esc(row["section"])}* · {row["kind"]}: '
                f'"{_esc(row["quote"])}" ({_esc(origin)}). '
                f'**Verdict: {row["verdict"]}.** {_esc(row["what_happened"])}{when} '
                f'*Source:* {_esc(row["source"])}')
    return RenderedClaim(claim_id, text, markdown)
