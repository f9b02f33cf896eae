"""An offline tile-grid map of Europe and North America, rendered as HTML (no tiles, no network).

Each country is one square at an approximate (row, column) position: a cartogram that makes
membership readable at a glance without geographic boundaries or map servers.
"""

from __future__ import annotations

import html

from course.widgets import style

# country name (as in the datasets) -> (row, column, two-letter label)
TILES: dict[str, tuple[int, int, str]] = {
    "Iceland": (0, 1, "IS"), "Norway": (0, 4, "NO"), "Sweden": (0, 5, "SE"), "Finland": (0, 6, "FI"),
    "Estonia": (0, 7, "EE"),
    "Canada": (1, 0, "CA"), "Ireland": (1, 2, "IE"), "United Kingdom": (1, 3, "GB"), "Denmark": (1, 4, "DK"),
    "Lithuania": (1, 6, "LT"), "Latvia": (1, 7, "LV"), "Russia": (1, 8, "RU"),
    "United States": (2, 0, "US"), "Netherlands": (2, 3, "NL"), "West Germany": (2, 4, "DE"),
    "Poland": (2, 5, "PL"), "Belarus": (2, 6, "BY"),
    "Belgium": (3, 2, "BE"), "Luxembourg": (3, 3, "LU"), "Czech Republic": (3, 4, "CZ"), "Slovakia": (3, 5, "SK"),
    "Ukraine": (3, 6, "UA"),
    "France": (4, 2, "FR"), "Switzerland": (4, 3, "CH"), "Austria": (4, 4, "AT"), "Hungary": (4, 5, "HU"),
    "Moldova": (4, 7, "MD"),
    "Portugal": (5, 1, "PT"), "Spain": (5, 2, "ES"), "Italy": (5, 3, "IT"), "Slovenia": (5, 4, "SI"),
    "Croatia": (5, 5, "HR"), "Romania": (5, 6, "RO"),
    "Bosnia and Herzegovina": (6, 4, "BA"), "Serbia": (6, 5, "RS"), "Bulgaria": (6, 6, "BG"), "Georgia": (6, 8, "GE"),
    "Malta": (7, 3, "MT"), "Montenegro": (7, 4, "ME"), "North Macedonia": (7, 5, "MK"), "Turkey": (7, 7, "TR"),
    "Armenia": (7, 8, "AM"),
    "Albania": (8, 4, "AL"), "Greece": (8, 5, "GR"), "Cyprus": (8, 7, "CY"), "Azerbaijan": (8, 9, "AZ"),
}

# Where the data name a state differently from its tile.
TILE_ALIASES = {"East Germany": "West Germany"}

CELL = 34  # pixels
GAP = 2


def grid_width() -> int:
    """The tile grid's width in pixels (legends and captions below it use the same width)."""
    cols = 1 + max(c for _, c, _ in TILES.values())
    return cols * CELL + (cols - 1) * GAP


def tile_grid_html(colours: dict[str, str], *, outline: dict[str, str] | None = None,
                   titles: dict[str, str] | None = None, default: str = style.EMPTY,
                   label: str = "Tile map of Europe and North America") -> str:
    """HTML for the tile grid: each tile filled with ``colours[country]`` (or ``default``).

    ``outline`` draws a thick border in the given colour (e.g. countries that joined this
    year); ``titles`` gives each tile a tooltip. Each tile's two-letter label is drawn in black or
    white, whichever contrasts more with its fill (at least 4.5:1 with the course palette). The grid
    is one ``role="img"`` with ``label`` as its ``aria-label``: give the same facts as text beside
    it (e.g. :func:`members_table_html`), since a screen reader cannot read a map.
    """
    outline = outline or {}
    titles = titles or {}
    rows = 1 + max(r for r, _, _ in TILES.values())
    cols = 1 + max(c for _, c, _ in TILES.values())
    cells = []
    for country, (row, col, code) in TILES.items():
        fill = colours.get(country, default)
        border = f"3px solid {outline[country]}" if country in outline else f"1px solid {style.BACKGROUND}"
        tip = html.escape(titles.get(country, country), quote=True)
        weight = "bold" if country in outline else "normal"
        cells.append(
            f'<div title="{tip}" style="grid-row:{row + 1};grid-column:{col + 1};background:{fill};'
            f"border:{border};box-sizing:border-box;font:{weight} 11px sans-serif;display:flex;"
            f'align-items:center;justify-content:center;color:{style.text_colour_on(fill)}">{code}</div>'
        )
    return (
        f'<div role="img" aria-label="{html.escape(label, quote=True)}" style="display:grid;'
        f"grid-template-columns:repeat({cols},{CELL}px);grid-template-rows:repeat({rows},{CELL}px);"
        f'gap:{GAP}px">' + "".join(cells) + "</div>"
    )


def legend_html(entries: dict[str, str], *, outline: tuple[str, str] | None = None, columns: int = 2) -> str:
    """A legend as a grid of ``columns`` columns, as wide as the tile grid: label → colour swatch.
    ``outline`` = (label, colour) adds an entry for outlined tiles."""
    items = [
        f"<div style='display:flex;align-items:center;gap:6px'><span aria-hidden='true' style='flex:none;"
        f"width:12px;height:12px;background:{colour};border:1px solid {style.MUTED}'></span>"
        f"<span>{html.escape(label)}</span></div>"
        for label, colour in entries.items()
    ]
    if outline:
        items.append(f"<div style='display:flex;align-items:center;gap:6px'><span aria-hidden='true' "
                     f"style='flex:none;width:12px;height:12px;box-sizing:border-box;border:3px solid {outline[1]}'>"
                     f"</span><span>{html.escape(outline[0])}</span></div>")
    return (f"<div style='font:12px sans-serif;margin:6px 0;display:grid;grid-template-columns:"
            f"repeat({columns},1fr);gap:2px 12px;width:{grid_width()}px'>" + "".join(items) + "</div>")


def members_table_html(rows: list[tuple[str, ...]], header: tuple[str, ...], caption: str,
                       summary: str = "The map as a table") -> str:
    """The map's facts as an HTML table inside a closed ``<details>`` (a screen reader and a
    keyboard user can open it; it does not take room on a projected screen)."""
    body = "".join("<tr>" + "".join(f"<td>{html.escape(style.show(cell))}</td>" for cell in row) + "</tr>"
                   for row in rows)
    head = "".join(f"<th scope='col' style='text-align:left'>{html.escape(h)}</th>" for h in header)
    return (f"<details style='font:12px sans-serif;margin-top:4px'><summary>{html.escape(summary)}</summary>"
            f"<table><caption style='text-align:left'>{html.escape(caption)}</caption><tr>{head}</tr>{body}"
            f"</table></details>")
