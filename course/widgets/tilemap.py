"""An offline tile-grid map of Europe and North America, rendered as HTML (no tiles, no network).

Each country is one square at an approximate (row, column) position: a cartogram that makes
membership readable at a glance without geographic boundaries or map servers.
"""

from __future__ import annotations

import html

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


def tile_grid_html(colours: dict[str, str], *, outline: dict[str, str] | None = None,
                   titles: dict[str, str] | None = None, default: str = "#e8e8e8") -> str:
    """HTML for the tile grid: each tile filled with ``colours[country]`` (or ``default``).

    ``outline`` draws a thick border in the given colour (e.g. countries that joined this
    year); ``titles`` gives each tile a tooltip.
    """
    outline = outline or {}
    titles = titles or {}
    rows = 1 + max(r for r, _, _ in TILES.values())
    cols = 1 + max(c for _, c, _ in TILES.values())
    cells = []
    for country, (row, col, label) in TILES.items():
        fill = colours.get(country, default)
        border = f"3px solid {outline[country]}" if country in outline else "1px solid #fff"
        tip = html.escape(titles.get(country, country), quote=True)
        cells.append(
            f'<div title="{tip}" style="grid-row:{row + 1};grid-column:{col + 1};background:{fill};'
            f"border:{border};box-sizing:border-box;font:11px sans-serif;display:flex;"
            f'align-items:center;justify-content:center;color:#111">{label}</div>'
        )
    return (
        f'<div style="display:grid;grid-template-columns:repeat({cols},{CELL}px);'
        f'grid-template-rows:repeat({rows},{CELL}px);gap:2px">' + "".join(cells) + "</div>"
    )


def legend_html(entries: dict[str, str]) -> str:
    """A one-line legend: label → colour swatch."""
    items = "".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'margin:0 4px 0 10px;vertical-align:middle"></span>{html.escape(label)}'
        for label, colour in entries.items()
    )
    return f'<div style="font:12px sans-serif;margin:6px 0">{items}</div>'
