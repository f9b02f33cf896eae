"""The course's static charts, drawn in its style (:mod:`course.widgets.style`): the Okabe-Ito
palette, text at WCAG AA contrast, labels that do not overlap at the size a notebook shows them, and
a text alternative with every figure.

Each chart function returns ``(figure, alt_text)``; :func:`show` displays the pair as an image with
its ``alt`` text and a caption (and closes the figure), so a screen reader reads the alt text::

    from course.widgets import charts
    charts.show(*charts.enlargement_steps(members))

:func:`overlapping_texts` finds text that overlaps other text in a drawn figure (used by the tests,
and usable on any notebook figure).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from course.widgets import style

ARTICLE_DATE = pd.Timestamp("2022-01-20")  # first published by the Carnegie Moscow Center


def _figure(width: float, height: float):
    import matplotlib

    style.use_course_matplotlib()
    from matplotlib.figure import Figure

    matplotlib.rcParams["font.size"] = max(matplotlib.rcParams["font.size"], 10)
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _text_box(text, renderer):
    """The box of a text's glyphs only (an annotation's own extent includes its leader line)."""
    from matplotlib.text import Text

    if hasattr(text, "update_positions"):   # an annotation places its text when drawn
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def _bboxes(fig) -> list[tuple[Any, Any]]:
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [*ax.texts, ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):   # only the ticks drawn (matplotlib keeps stale ones)
            texts += [t.label1 for t in axis._update_ticks() if t.label1.get_visible()]
        if ax.get_legend():
            texts += list(ax.get_legend().get_texts())
    found = []
    for text in texts:
        if not text.get_visible() or not str(text.get_text()).strip():
            continue
        try:
            box = _text_box(text, renderer) if isinstance(text, Text) else text.get_window_extent(renderer)
        except (RuntimeError, ValueError):  # pragma: no cover - artists without a renderer
            continue
        if box.width > 0 and box.height > 0:
            found.append((text, box))
    return found


def overlapping_texts(fig, padding: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of texts in ``fig`` whose drawn boxes overlap (``padding`` pixels tolerated)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    boxes = _bboxes(fig)
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if (box_a.x0 + padding < box_b.x1 and box_b.x0 + padding < box_a.x1
                    and box_a.y0 + padding < box_b.y1 and box_b.y0 + padding < box_a.y1):
                pairs.append((a.get_text(), b.get_text()))
    return pairs


def enlargement_steps(members: pd.DataFrame, until: str = "2025-12-31",
                      article: pd.Timestamp | None = ARTICLE_DATE) -> tuple[Any, str]:
    """NATO's member states over time as a step plot, each wave labelled with its year; labels that
    would overlap (the waves of 2017, 2020, 2023, 2024) are lifted and joined to their step by a thin
    line. ``members``: :func:`course.data.load_enlargement` (the former GDR row is not a member)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    states = members[members["accession_type"] != "reunification"].sort_values("accession_date")
    steps = states.groupby("accession_date").size().cumsum()
    end = pd.Timestamp(until)
    fig = _figure(9, 4)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.step(list(steps.index) + [end], list(steps.values) + [steps.values[-1]], where="post",
            color=style.OKABE_ITO["blue"], linewidth=2)
    ax.set_ylim(0, 40)
    ax.set_ylabel("member states")
    ax.set_title("NATO member states, 1949-2025 (data: course/data/nato_enlargement.csv)", fontsize=11)
    ax.grid(axis="y", color=style.RULE)
    if article is not None:
        ax.axvline(article, color=style.TEXT_VERMILLION, linestyle="--", linewidth=1)
        ax.text(article - pd.Timedelta(days=150), 4, "Trenin's article\n(20 Jan 2022)", color=style.TEXT_VERMILLION,
                fontsize=9, ha="right", va="bottom")
    fig.canvas.draw()            # lay the figure out once, then keep that layout while placing labels
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    leader = {"arrowstyle": "-", "color": style.MUTED, "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2}
    placed = []
    for date, count in steps.items():
        if date.year < 1952:
            continue
        lift = 6.0
        for attempt in range(12):
            label = ax.annotate(str(date.year), (date, count), textcoords="offset points", xytext=(0, lift),
                                ha="center", va="bottom", fontsize=9, color=style.TEXT,
                                arrowprops=leader if lift > 6 else None)
            box = _text_box(label, renderer)
            if attempt == 11 or not any(box.overlaps(other) for other in placed):
                break
            label.remove()
            lift += box.height * 0.75 + 2   # points are about 0.72 pixels at 100 dpi
        placed.append(box)
    waves = ", ".join(f"{d.year}: {n}" for d, n in steps.items())
    alt = (f"Step plot of NATO's member states from {steps.index[0].year} to {end.year}: "
           f"{int(steps.iloc[0])} founding members, then after each wave {waves}"
           + (f"; a dashed line marks Trenin's article, 20 January 2022, when NATO had "
              f"{int(steps[steps.index <= article].iloc[-1])} members" if article is not None else "") + ".")
    return fig, alt


def durability_bars(life: pd.DataFrame) -> tuple[Any, str]:
    """Years each instrument lasted to its first exit step (or to the end of observation, hatched),
    legally binding in blue, political in orange. ``life``: :func:`course.models.durability.durability_table`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Patch

    order = life.sort_values("years")
    fig = _figure(8, 4.2)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    binding, political = style.OKABE_ITO["blue"], style.OKABE_ITO["orange"]
    ax.barh(order["treaty_id"], order["years"], color=[binding if b else political for b in order["legally_binding"]],
            hatch=["" if e else "//" for e in order["exited"]], edgecolor=style.BACKGROUND)
    ax.set_xlabel("years to the first exit step (from entry into force; ABM: from signature),\n"
                  "or to the end of observation")
    ax.set_title("How long the instruments lasted", fontsize=11)
    ax.legend(handles=[Patch(color=binding, label="legally binding"), Patch(color=political, label="political"),
                       Patch(facecolor=style.EMPTY, hatch="//", edgecolor=style.MUTED,
                             label="no exit recorded (censored)")],
              loc="lower right", fontsize=9, frameon=True)
    ax.grid(axis="x", color=style.RULE)
    ax.set_axisbelow(True)
    items = "; ".join(f"{row.treaty_id} {row.years:.1f} years ({'binding' if row.legally_binding else 'political'}"
                      f"{'' if row.exited else ', no exit recorded'})"
                      for row in order.sort_values("years", ascending=False).itertuples())
    alt = f"Horizontal bar chart of how long each instrument lasted to its first exit step: {items}."
    return fig, alt


def show(fig, alt: str, caption: str | None = None) -> Any:
    """Display ``fig`` as an image with ``alt`` as its text alternative (and ``caption`` below,
    default: none), then close it. Returns the IPython HTML object (also when not in IPython)."""
    from IPython.display import HTML, display

    shown = HTML(style.figure_html(fig, alt, caption))
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # pragma: no cover - a Figure not managed by pyplot
        pass
    display(shown)
    return shown
