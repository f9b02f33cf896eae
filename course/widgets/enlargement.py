"""Enlargement explorer: pick a year, see NATO's members on a tile map and counted by category."""

from __future__ import annotations

import html
import numbers

import ipywidgets as widgets
import pandas as pd

from course import data
from course.models import enlargement as model
from course.widgets.base import Explorer
from course.widgets.tilemap import TILE_ALIASES, legend_html, tile_grid_html

CATEGORY_COLOURS = {
    "founding member": "#1f4e79",
    "Cold War accession": "#4f81bd",
    "former Warsaw Pact state": "#e69138",
    "former Soviet republic": "#cc0000",
    "former Yugoslav republic": "#6aa84f",
    "formerly non-aligned": "#8e7cc3",
}
RUSSIA_COLOUR = "#555555"
NEW_OUTLINE = "#ffd700"


class EnlargementExplorer(Explorer):
    """NATO membership at the end of a chosen year (model: :mod:`course.models.enlargement`).

    >>> explorer = EnlargementExplorer(year=2004)
    >>> explorer.member_count
    26
    >>> explorer.state
    {'year': 2004}
    """

    title = "NATO enlargement explorer"

    def __init__(self, year: int = 2022, members: pd.DataFrame | None = None) -> None:
        self._members = data.load_enlargement() if members is None else members
        first = int(self._members["wave_year"].min())
        last = int(self._members["wave_year"].max())
        self._range = (first, max(last, 2026))
        self._initial_year = self._checked_year(year)
        super().__init__()

    def _checked_year(self, year: object) -> int:
        """The year if it is a whole number inside the slider's range (the slider would clip it silently)."""
        if not isinstance(year, numbers.Integral) or isinstance(year, bool):
            raise TypeError(f"year must be a whole number, not {type(year).__name__}")
        if not self._range[0] <= year <= self._range[1]:
            raise ValueError(f"year must be between {self._range[0]} and {self._range[1]}, not {year}")
        return int(year)

    def set(self, **values) -> "EnlargementExplorer":
        """Set controls (here: ``year``); an out-of-range year raises instead of being clipped."""
        if "year" in values:
            values["year"] = self._checked_year(values["year"])
        return super().set(**values)

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {
            "year": widgets.IntSlider(
                value=self._initial_year, min=self._range[0], max=self._range[1], step=1,
                description="End of year", continuous_update=True, layout={"width": "420px"},
            )
        }

    # -- model ----------------------------------------------------------------------------
    def compute(self) -> dict:
        year = self.controls["year"].value
        rows = model.members_as_of(self._members, year)
        joined = rows[rows["wave_year"] == year]
        return {
            "year": year,
            "member_count": model.member_count(self._members, year),
            "members": sorted(rows.loc[rows["accession_type"] != "reunification", "country"].tolist()),
            "joined_this_year": sorted(joined["country"].tolist()),
            "counts": model.counts_by_category(self._members, year),
            "rows": rows,
        }

    @property
    def year(self) -> int:
        return self.controls["year"].value

    @year.setter
    def year(self, value: int) -> None:
        self.set(year=value)

    @property
    def member_count(self) -> int:
        """Member states at the end of the chosen year."""
        return self.result["member_count"]

    @property
    def members(self) -> list[str]:
        """Member states at the end of the chosen year, alphabetically."""
        return list(self.result["members"])

    @property
    def joined_this_year(self) -> list[str]:
        return list(self.result["joined_this_year"])

    @property
    def counts(self) -> dict[str, int]:
        """Member rows by category (the former GDR counts as a former Warsaw Pact state)."""
        return dict(self.result["counts"])

    # -- views ----------------------------------------------------------------------------
    def render_html(self, result: dict) -> str:
        colours = {"Russia": RUSSIA_COLOUR}
        titles = {}
        for row in result["rows"].itertuples():
            tile = TILE_ALIASES.get(row.country, row.country)
            if row.accession_type == "reunification":
                titles[tile] = "Germany: West Germany joined 1955; the former GDR with reunification, 3 Oct 1990"
                continue
            colours[tile] = CATEGORY_COLOURS[row.category]
            titles[tile] = f"{row.country}: joined {row.accession_date:%d %b %Y} ({row.category})"
        outline = {TILE_ALIASES.get(c, c): NEW_OUTLINE for c in result["joined_this_year"]}
        counts = "".join(
            f"<tr><td>{html.escape(category)}</td><td style='text-align:right'>{n}</td></tr>"
            for category, n in result["counts"].items()
        )
        joined = ", ".join(result["joined_this_year"]) or "none"
        return (
            f"<div style='display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap'>"
            f"<div>{tile_grid_html(colours, outline=outline, titles=titles)}"
            f"{legend_html({**CATEGORY_COLOURS, 'Russia': RUSSIA_COLOUR, 'not a member': '#e8e8e8'})}</div>"
            f"<div style='font:13px sans-serif'><p><b>{result['member_count']}</b> member states at the end of "
            f"{result['year']}</p><p>Joined in {result['year']}: {html.escape(joined)} "
            f"(outlined in gold)</p><table>{counts}</table>"
            f"<p style='color:#555;max-width:280px'>Counts are of member rows; the former GDR "
            f"(1990) is counted as a former Warsaw Pact state but is not a separate member.</p></div></div>"
        )

    def render_text(self, result: dict) -> str:
        lines = [
            f"NATO at the end of {result['year']}: {result['member_count']} member states.",
            f"Joined in {result['year']}: {', '.join(result['joined_this_year']) or 'none'}.",
            "By category: " + "; ".join(f"{c} {n}" for c, n in result["counts"].items()) + ".",
        ]
        return "\n".join(lines)
