"""The course's visual style: one colour-blind-safe palette, WCAG contrast, missing values as "—",
and text alternatives for every figure.

- **Palette**: Okabe & Ito (2008), *Color Universal Design (CUD): how to make figures and
  presentations that are friendly to colorblind people* (J*FLY, https://jfly.uni-koeln.de/color/),
  the eight colours below; Wong (2011), "Points of view: Color blindness", *Nature Methods* 8:441.
- **Contrast**: WCAG 2.1, success criterion 1.4.3 (text contrast of at least 4.5:1, level AA) with
  relative luminance and contrast ratio as defined in the WCAG 2.1 glossary
  (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
- **Missing values**: tables show ``MISSING`` ("—"), never NaN, NaT or None.
  :func:`use_course_display` (run when :mod:`course.widgets` is imported) makes every pandas table a
  notebook shows do the same.
- **Text alternatives**: :func:`visually_hidden` (read by screen readers, not shown),
  :func:`figure_html` (a matplotlib figure as an ``<img>`` with ``alt`` and a caption).
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from html.parser import HTMLParser
from typing import Any

# -- palette -------------------------------------------------------------------------------------
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: The order in which the course's charts use the palette (black last: it is kept for text).
CYCLE: list[str] = [OKABE_ITO[name] for name in
                    ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "yellow",
                     "black")]

# Neutral colours (greys are safe for every kind of colour vision).
BACKGROUND = "#FFFFFF"   # JupyterLab's light theme
TEXT = "#111111"         # body text
MUTED = "#555555"        # secondary text: 7.5:1 on white
RULE = "#DDDDDD"         # grid lines and tracks (not text)
EMPTY = "#E8E8E8"        # "no value" fill (not a member, empty bar)

# Text colours for emphasis that pass 4.5:1 on white (the palette's own orange, sky blue and
# yellow do not, so they are never used for text on white).
TEXT_BLUE = "#0072B2"      # 5.2:1
TEXT_VERMILLION = "#B84F00"  # a darker vermillion, 5.1:1 (Okabe-Ito's #D55E00 is 3.9:1)
TEXT_GREEN = "#007A5A"     # a darker bluish green, 5.4:1 (#009E73 is 3.4:1)
TEXT_PURPLE = "#9E4F7E"    # a darker reddish purple, 5.4:1

AA_TEXT = 4.5      # WCAG 2.1 SC 1.4.3, normal text
AA_GRAPHICS = 3.0  # WCAG 2.1 SC 1.4.11, graphical objects

MISSING = "—"

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED = {"white": "#FFFFFF", "black": "#000000", "transparent": None, "inherit": None}


def hex_rgb(colour: str) -> tuple[float, float, float]:
    """``"#RRGGBB"`` or ``"#RGB"`` (or "white"/"black") → (r, g, b) in 0-1.

    >>> hex_rgb("#fff")
    (1.0, 1.0, 1.0)
    """
    text = str(colour).strip()
    text = _NAMED.get(text.lower(), text) or ""
    match = _HEX.match(text)
    if not match:
        raise ValueError(f"colour must be '#RRGGBB' or '#RGB', not {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0 black, 1 white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 (none) to 21 (black on white).

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    """
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white text, whichever contrasts more with ``background``."""
    return TEXT if contrast_ratio(TEXT, background) >= contrast_ratio("#FFFFFF", background) else "#FFFFFF"


# -- missing values --------------------------------------------------------------------------------
def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT, pandas.NA and empty strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if getattr(result, "shape", None) == () or isinstance(result, bool) else False


def show(value: Any, fmt: str = "{}") -> str:
    """``fmt.format(value)``, or "—" when the value is missing (for tables in widget views)."""
    return MISSING if is_missing(value) else fmt.format(value)


def frame_html(frame) -> str:
    """A DataFrame as notebook HTML with "—" for every missing value (NaN, NaT, None)."""
    import pandas as pd

    params = _repr_params("get_frame_repr_params")
    params.pop("line_width", None)
    params.pop("min_rows", None)
    return frame.to_html(na_rep=MISSING, notebook=True, max_rows=params.get("max_rows", pd.get_option(
        "display.max_rows")), max_cols=params.get("max_cols"), show_dimensions=params.get("show_dimensions", False))


def frame_text(frame) -> str:
    """A DataFrame as plain text with "—" for missing values (as pandas' repr, otherwise)."""
    return frame.to_string(na_rep=MISSING, **_repr_params("get_frame_repr_params"))


def series_text(series) -> str:
    """A Series as plain text with "—" for missing values (as pandas' repr, otherwise)."""
    params = _repr_params("get_series_repr_params")
    params.setdefault("name", True)
    params.setdefault("dtype", True)
    return series.to_string(na_rep=MISSING, **params)


def _repr_params(name: str) -> dict:
    from pandas.io.formats import format as fmt

    getter = getattr(fmt, name, None)
    return dict(getter()) if getter else {}


def use_course_display() -> bool:
    """Show "—" for missing values in every pandas table this IPython session displays (HTML and
    text), and give matplotlib the Okabe-Ito colour cycle. Does nothing outside IPython (returns
    False); safe to call twice."""
    use_course_matplotlib()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import pandas as pd

    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, frame_html)
    formatters["text/plain"].for_type(pd.DataFrame, lambda obj, p, cycle: p.text(frame_text(obj)))
    formatters["text/plain"].for_type(pd.Series, lambda obj, p, cycle: p.text(series_text(obj)))
    # Every matplotlib figure a notebook shows becomes an <img> with a text alternative: the figure's
    # own ``course_alt`` if the notebook set one, otherwise a description built from its titles,
    # axis labels and legend (JupyterLab and the site prefer text/html to the plain PNG). The inline
    # backend drops every figure formatter when it sets itself up (at the first figure), so set it up
    # now, and register again before each cell runs (after a ``%matplotlib`` magic, say).
    try:
        import matplotlib_inline.backend_inline  # noqa: F401 - sets up the inline backend in a kernel
    except ImportError:  # pragma: no cover - matplotlib-inline comes with ipykernel
        pass
    _register_figure_html(shell)
    if not getattr(shell, "_course_figure_hook", False):
        shell.events.register("pre_run_cell", lambda *args: _register_figure_html(shell))
        shell._course_figure_hook = True
    return True


def _register_figure_html(shell) -> None:
    shell.display_formatter.formatters["text/html"].for_type_by_name("matplotlib.figure", "Figure",
                                                                     notebook_figure_html)


def use_course_matplotlib() -> None:
    """matplotlib defaults for the course: the Okabe-Ito colour cycle and dark text on a
    light background."""
    try:
        import matplotlib as mpl
        from cycler import cycler
    except ImportError:  # pragma: no cover
        return
    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=CYCLE),
        "text.color": TEXT, "axes.labelcolor": TEXT, "xtick.color": TEXT, "ytick.color": TEXT,
        "axes.edgecolor": MUTED, "figure.facecolor": BACKGROUND, "axes.facecolor": BACKGROUND,
    })  # no global layout engine: a notebook's own tight_layout() would then warn


# -- text alternatives -----------------------------------------------------------------------------
VISUALLY_HIDDEN = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
                   "clip:rect(0,0,0,0);white-space:nowrap;border:0")


def swatch(colour: str, round: bool = False) -> str:
    """A 9-px legend key of ``colour`` (a dot when ``round``) with a dark rim, hidden from screen
    readers: the text beside it says what it stands for."""
    radius = "border-radius:50%;" if round else ""
    return (f"<span aria-hidden='true' style='display:inline-block;width:9px;height:9px;{radius}"
            f"border:1px solid {TEXT};background:{colour}'></span>")


def visually_hidden(text: str, tag: str = "div") -> str:
    """HTML a screen reader reads but the page does not show (the usual "sr-only" pattern)."""
    return f"<{tag} class='course-alt' style='{VISUALLY_HIDDEN}'>{html.escape(text)}</{tag}>"


def figure_html(fig, alt: str, caption: str | None = None, dpi: int = 100, tight: bool = False) -> str:
    """A matplotlib figure as an offline ``<figure>``: a PNG ``<img>`` with ``alt`` text, and a caption.
    ``tight`` crops the white margin (as the notebook's inline backend does)."""
    if not str(alt).strip():
        raise ValueError("a figure needs a text alternative (alt)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, **({"bbox_inches": "tight"} if tight else {}))
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    caption_html = f"<figcaption style='font:12px sans-serif;color:{MUTED}'>{html.escape(caption)}</figcaption>" \
        if caption else ""
    return (f"<figure style='margin:0'><img src='data:image/png;base64,{data}' alt='{html.escape(alt, quote=True)}' "
            f"style='max-width:100%'>{caption_html}</figure>")


def describe_figure(fig) -> str:
    """A text alternative for a matplotlib figure built from what it labels: per axes the title,
    the axis labels, what is drawn (lines, bars, points) and the legend entries."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(suptitle.get_text().strip())
    for ax in fig.axes:
        title = " ".join(t.get_text().strip() for t in (ax._left_title, ax.title, ax._right_title)
                         if t.get_text().strip())
        drawn = []
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_") or len(line.get_xdata()) > 2]
        if lines:
            drawn.append(f"{len(lines)} line{'s' if len(lines) > 1 else ''}")
        bars = [p for p in ax.patches if p.__class__.__name__ == "Rectangle"]
        if bars:
            drawn.append(f"{len(bars)} bars")
        if ax.collections:
            drawn.append("points or areas")
        axes_text = []
        if ax.get_xlabel().strip():
            axes_text.append(f"x axis: {ax.get_xlabel().strip()}")
        if ax.get_ylabel().strip():
            axes_text.append(f"y axis: {ax.get_ylabel().strip()}")
        legend = ax.get_legend()
        if legend is not None:
            entries = [t.get_text() for t in legend.get_texts() if t.get_text().strip()]
            if entries:
                axes_text.append("legend: " + ", ".join(entries))
        text = (f"Chart: {title}" if title else "Chart") + (f" ({', '.join(drawn)})" if drawn else "")
        parts.append(text + (". " + "; ".join(axes_text) if axes_text else ""))
    return ". ".join(parts) + "." if parts else "A chart (it has no title or labels)."


def notebook_figure_html(fig) -> str | None:
    """How a notebook shows a matplotlib figure: a PNG with ``fig.course_alt`` (if set) or
    :func:`describe_figure` as its ``alt`` text. Never breaks a cell: if the description fails,
    returns None and the notebook shows the plain PNG."""
    try:
        alt = getattr(fig, "course_alt", None) or describe_figure(fig)
        import matplotlib as mpl

        return figure_html(fig, alt, dpi=int(mpl.rcParams.get("figure.dpi", 100)), tight=True)
    except Exception:  # a formatter error would show as a traceback in the student's notebook
        return None


# -- contrast audit of HTML ------------------------------------------------------------------------
_STYLE_COLOUR = re.compile(r"(?:^|;)\s*(color|background(?:-color)?|fill)\s*:\s*([^;]+)", re.I)
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextColours(HTMLParser):
    """Walk HTML keeping the inherited text colour and background of inline styles; record each
    piece of visible text with the pair it is drawn in."""

    def __init__(self, text: str, background: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str, bool]] = [("", text, background, False)]
        self.pairs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        _, fg, bg, hidden = self.stack[-1]
        attributes = dict(attrs)
        style = attributes.get("style") or ""
        hidden = hidden or "display:none" in style.replace(" ", "") or tag in ("title", "style", "script")
        for prop, value in _STYLE_COLOUR.findall(style):
            value = value.strip().split()[0]
            if not _HEX.match(value) and value.lower() not in ("white", "black"):
                continue
            if prop.lower() in ("color", "fill"):
                fg = value
            else:
                bg = value
        if tag == "text" and attributes.get("fill"):
            fg = attributes["fill"]
        if tag not in _VOID:
            self.stack.append((tag, fg, bg, hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        _, fg, bg, hidden = self.stack[-1]
        if data.strip() and not hidden:
            self.pairs.append((data.strip(), fg, bg))


def text_colour_pairs(markup: str, text: str = TEXT, background: str = BACKGROUND) -> list[tuple[str, str, str]]:
    """Every visible piece of text in ``markup`` as (text, colour, background), following inline
    ``color``/``background``/``fill`` styles (what the widgets use; no style sheets)."""
    parser = _TextColours(text, background)
    parser.feed(markup)
    parser.close()
    return parser.pairs


def low_contrast(markup: str, minimum: float = AA_TEXT) -> list[tuple[str, str, str, float]]:
    """The pieces of text in ``markup`` whose contrast is below ``minimum``, with the ratio."""
    found = []
    for text, fg, bg in text_colour_pairs(markup):
        ratio = contrast_ratio(fg, bg)
        if ratio < minimum:
            found.append((text, fg, bg, round(ratio, 2)))
    return found


def figure_low_contrast(fig, minimum: float = AA_TEXT) -> list[tuple[str, str, str, float]]:
    """Text in a matplotlib figure drawn below ``minimum`` contrast against its axes (or figure)
    background."""
    from matplotlib.colors import to_hex

    found = []
    for ax in [None, *fig.axes]:
        owner = fig if ax is None else ax
        background = to_hex(owner.get_facecolor(), keep_alpha=False)
        texts = fig.texts if ax is None else [
            *ax.texts, ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
            *ax.get_xticklabels(), *ax.get_yticklabels(),
            *([t for t in ax.get_legend().get_texts()] if ax.get_legend() else [])]
        for text in texts:
            if not text.get_text().strip() or not text.get_visible():
                continue
            fg = to_hex(text.get_color(), keep_alpha=False)
            ratio = contrast_ratio(fg, background)
            if ratio < minimum:
                found.append((text.get_text(), fg, background, round(ratio, 2)))
    return found
