"""Enlargement explorer: pick a year, see NATO's members on a tile map and counted by category."""

from __future__ import annotations

import html
import numbers

import ipywidgets as widgets
import pandas as pd

from course import data
from course.models import enlargement as model
from course.widgets import style
from course.widgets.base import Explorer
from course.widgets.tilemap import TILE_ALIASES, legend_html, members_table_html, tile_grid_html

# Okabe-Ito colours (colour-blind safe, :mod:`course.widgets.style`); tile labels are drawn in black
# or white, whichever contrasts more (every pair at least 4.5:1, tested).
CATEGORY_COLOURS = {
    "founding member": style.OKABE_ITO["blue"],
    "Cold War accession": style.OKABE_ITO["sky blue"],
    "former Warsaw Pact state": style.OKABE_ITO["orange"],
    "former Soviet republic": style.OKABE_ITO["vermillion"],
    "former Yugoslav republic": style.OKABE_ITO["bluish green"],
    "formerly non-aligned": style.OKABE_ITO["reddish purple"],
}
RUSSIA_COLOUR = style.MUTED
NEW_OUTLINE = style.OKABE_ITO["black"]   # joined in the chosen year: a thick black outline, bold label


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
                description="End of year", continuous_update=True, style={"description_width": "initial"},
                layout={"width": "420px", "max_width": "100%"},
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
        year = result["year"]
        label = (f"Tile map: NATO's {result['member_count']} member states at the end of {year}, coloured by "
                 f"category; joined in {year}: {joined}. The same facts are in the table below the map.")
        legend = legend_html({**CATEGORY_COLOURS, "Russia": RUSSIA_COLOUR, "not a member": style.EMPTY},
                             outline=(f"joined in {year}", NEW_OUTLINE))
        return (
            f"<div style='display:flex;gap:20px;align-items:flex-start;flex-wrap:wrap'>"
            f"<div>{tile_grid_html(colours, outline=outline, titles=titles, label=label)}{legend}"
            f"{self._members_table(result)}</div>"
            f"<div style='font:13px sans-serif;max-width:300px'><p><b>{result['member_count']}</b> member states "
            f"at the end of {year}</p><p>Joined in {year}: {html.escape(joined)} (outlined in black)</p>"
            f"<table>{counts}</table>"
            f"<p style='color:{style.MUTED}'>Counts are of member rows; the former GDR "
            f"(1990) is counted as a former Warsaw Pact state but is not a separate member.</p></div></div>"
        )

    def _members_table(self, result: dict) -> str:
        rows = [(row.country, f"{row.accession_date:%d %b %Y}", row.category)
                for row in result["rows"].sort_values(["accession_date", "country"]).itertuples()]
        return members_table_html(rows, ("member", "joined", "category"),
                                  caption=f"NATO at the end of {result['year']}: members by date of joining",
                                  summary="The map as a table (members by year)")

    def alt_text(self, result: dict) -> str:
        return (self.render_text(result) + " Members: " + ", ".join(result["members"]) + "."
                if result["members"] else self.render_text(result))

    def render_text(self, result: dict) -> str:
        lines = [
            f"NATO at the end of {result['year']}: {result['member_count']} member states.",
            f"Joined in {result['year']}: {', '.join(result['joined_this_year']) or 'none'}.",
            "By category: " + "; ".join(f"{c} {n}" for c, n in result["counts"].items()) + ".",
        ]
        return "\n".join(lines)
