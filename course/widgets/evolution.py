"""Module 02's explorers: the 2014-2022 timeline (:mod:`course.models.timeline`) and the coercion
calculator (:mod:`course.models.coercion`)."""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course import data
from course.data.catalog import TIMELINE_CATEGORIES
from course.models import coercion
from course.models import timeline as model
from course.widgets import style
from course.widgets.base import Explorer

# Okabe-Ito palette (colour-blind safe), one colour per category. The colours mark dots and swatches
# (with a dark rim); text stays in the body colour, since orange, sky blue and yellow are below 4.5:1 on white.
COLOURS = dict(zip(TIMELINE_CATEGORIES, (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")))


def _swatch(category: str) -> str:
    return style.swatch(COLOURS[category], round=True)
MONTH_STYLE = {"description_width": "90px"}  # "to (end of)" uncut
MONTHS = [p.strftime("%Y-%m") for p in pd.period_range("1990-01", "2026-12", freq="M")]


def _month_start(month: str) -> pd.Timestamp:
    return pd.Period(month, freq="M").start_time.normalize()


def _month_end(month: str) -> pd.Timestamp:
    return pd.Period(month, freq="M").end_time.normalize()


def _month(value: Any, name: str) -> str:
    stamp = model.to_date(value, name)
    month = stamp.strftime("%Y-%m")
    if month not in MONTHS:
        raise ValueError(f"{name} {value!r} is outside the timeline's months {MONTHS[0]} to {MONTHS[-1]}")
    return month


class TimelineExplorer(Explorer):
    """Events of ``timeline.csv`` from month ``start`` to the end of month ``end`` in ``categories``.

    >>> explorer = TimelineExplorer(start="2021-12", end="2022-01", categories=["diplomacy"])
    >>> explorer.state
    {'start': '2021-12', 'end': '2022-01', 'categories': ['diplomacy']}
    >>> explorer.counts["diplomacy"] > 0
    True
    """

    title = "Timeline explorer"

    def __init__(self, start: str = "2014-01", end: str = "2022-01", categories: list[str] | None = None) -> None:
        self._initial = {"start": _month(start, "start"), "end": _month(end, "end"),
                         "categories": model.check_categories(categories)}
        if self._initial["start"] > self._initial["end"]:
            raise ValueError(f"start {self._initial['start']} is after end {self._initial['end']}")
        self._timeline = data.load_timeline()
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        start = self._initial
        controls: dict[str, widgets.Widget] = {
            "start": widgets.SelectionSlider(options=MONTHS, value=start["start"], description="from",
                                             style=MONTH_STYLE, layout={"width": "440px", "max_width": "100%"}),
            "end": widgets.SelectionSlider(options=MONTHS, value=start["end"], description="to (end of)",
                                           style=MONTH_STYLE, layout={"width": "440px", "max_width": "100%"}),
        }
        for category in TIMELINE_CATEGORIES:
            controls[category] = widgets.Checkbox(value=category in start["categories"], description=category,
                                                  indent=False, layout={"width": "120px"})
        return controls

    # -- state ----------------------------------------------------------------------------
    @property
    def start(self) -> str:
        return str(self.controls["start"].value)

    @property
    def end(self) -> str:
        return str(self.controls["end"].value)

    @property
    def categories(self) -> list[str]:
        return [c for c in TIMELINE_CATEGORIES if self.controls[c].value]

    @property
    def state(self) -> dict[str, Any]:
        """``{"start", "end", "categories"}``: ``TimelineExplorer(**state)`` rebuilds it."""
        return {"start": self.start, "end": self.end, "categories": self.categories}

    def set(self, **values: Any) -> "TimelineExplorer":
        """Change ``start``, ``end`` (months, 'YYYY-MM') and/or ``categories`` (a list)."""
        unknown = sorted(set(values) - {"start", "end", "categories"})
        if unknown:
            raise KeyError(f"TimelineExplorer has no control {', '.join(map(repr, unknown))}; "
                           f"its settings are 'start', 'end', 'categories'")
        merged = {**self.state, **values}
        start, end = _month(merged["start"], "start"), _month(merged["end"], "end")
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        chosen = model.check_categories(merged["categories"])
        with self._batch():
            self.controls["start"].value = start
            self.controls["end"].value = end
            for category in TIMELINE_CATEGORIES:
                self.controls[category].value = category in chosen
        return self

    # -- model ----------------------------------------------------------------------------
    def compute(self) -> dict:
        start, end = _month_start(self.start), _month_end(self.end)
        if start > end:
            return {"start": start, "end": end, "error": f"'from' ({self.start}) is after 'to' ({self.end})",
                    "events": [], "counts": {c: 0 for c in TIMELINE_CATEGORIES}}
        events = model.filter_events(self._timeline, start, end, self.categories)
        return {
            "start": start, "end": end, "error": None,
            "events": [{"date": row.date.date().isoformat(), "event": str(row.event),
                        "category": str(row.category), "source": str(row.source)}
                       for row in events.itertuples()],
            "counts": model.counts_by_category(events),
        }

    @property
    def events(self) -> list[dict]:
        """The events shown, oldest first, as dicts of date (ISO string), event, category, source."""
        return [dict(e) for e in self.result["events"]]

    @property
    def counts(self) -> dict[str, int]:
        """Events shown per category (all eight listed)."""
        return dict(self.result["counts"])

    # -- views ----------------------------------------------------------------------------
    def render_html(self, r: dict) -> str:
        if r["error"]:
            return f"<p style='font:13px sans-serif;color:{style.TEXT_VERMILLION}'>{html.escape(r['error'])}: no events.</p>"
        width, row_h, left = 760, 18, 100
        shown = [c for c in TIMELINE_CATEGORIES if c in self.categories]
        span = max((r["end"] - r["start"]).days, 1)
        height = row_h * max(len(shown), 1) + 30
        label = (f"Timeline chart: {len(r['events'])} events from {r['start'].date()} to {r['end'].date()}, one row "
                 f"per category; they are listed in the table below the chart.")
        parts = [f"<svg role='img' aria-label='{html.escape(label, quote=True)}' width='{width}' height='{height}' "
                 f"style='font:11px sans-serif;max-width:100%' fill='{style.TEXT}'>",
                 f"<title>Timeline chart: {len(r['events'])} events from {r['start'].date()} to {r['end'].date()}"
                 f"</title>"]
        for i, category in enumerate(shown):
            y = 12 + i * row_h
            parts.append(f"<text x='0' y='{y + 4}'>{category}</text>"
                         f"<line x1='{left}' y1='{y}' x2='{width - 10}' y2='{y}' stroke='{style.RULE}'/>")
        for event in r["events"]:
            x = left + (pd.Timestamp(event["date"]) - r["start"]).days / span * (width - left - 10)
            y = 12 + shown.index(event["category"]) * row_h
            parts.append(f"<circle cx='{x:.1f}' cy='{y}' r='4' fill='{COLOURS[event['category']]}' stroke='{style.TEXT}' stroke-width='0.5'>"
                         f"<title>{event['date']}: {html.escape(event['event'])}</title></circle>")
        base = height - 6
        parts.append(f"<text x='{left}' y='{base}'>{r['start'].date()}</text>"
                     f"<text x='{width - 10}' y='{base}' text-anchor='end'>{r['end'].date()}</text></svg>")
        rows = "".join(
            f"<tr><td style='white-space:nowrap'>{e['date']}</td><td style='white-space:nowrap'>{_swatch(e['category'])} {e['category']}</td>"
            f"<td>{html.escape(e['event'])}</td><td style='color:{style.MUTED}'>{html.escape(e['source'])}</td></tr>"
            for e in r["events"])
        table = ("<div style='max-height:260px;overflow-y:auto'><table style='font:12px sans-serif'>"
                 "<tr><th>date</th><th>category</th><th>event</th><th>source</th></tr>" + rows + "</table></div>")
        return f"<div>{''.join(parts)}{table}</div>"

    def render_text(self, r: dict) -> str:
        if r["error"]:
            return f"Timeline: {r['error']}; no events."
        counts = ", ".join(f"{c} {n}" for c, n in r["counts"].items() if n)
        lines = [f"Timeline {r['start'].date()} to {r['end'].date()}, categories: "
                 f"{', '.join(self.categories) or 'none'}: {len(r['events'])} events ({counts or 'none'})."]
        lines += [f"  {e['date']}  [{e['category']}] {e['event']}" for e in r["events"][:12]]
        if len(r["events"]) > 12:
            lines.append(f"  ... and {len(r['events']) - 12} more")
        return "\n".join(lines)


class CoercionCalculator(Explorer):
    """Pape's (1996) expected-value test of coercion: does the target concede?

    >>> calc = CoercionCalculator(benefit=10, p_benefit=0.5, cost=12, p_cost=0.5)
    >>> calc.concedes, calc.resist_value
    (True, -1.0)
    """

    title = "Coercion calculator (after Pape 1996)"
    LIMIT = 100.0

    def __init__(self, benefit: float = 50.0, p_benefit: float = 0.6, cost: float = 40.0,
                 p_cost: float = 0.5, concession_value: float = 0.0) -> None:
        coercion.coercion_outcome(benefit, p_benefit, cost, p_cost, concession_value)  # the model's checks
        for name, value in (("benefit", benefit), ("cost", cost)):
            if value > self.LIMIT:
                raise ValueError(f"{name} is {value}; the calculator's slider runs from 0 to {self.LIMIT:g}")
        if abs(concession_value) > self.LIMIT:
            raise ValueError(f"concession_value is {concession_value}; the slider runs from "
                             f"-{self.LIMIT:g} to {self.LIMIT:g}")
        self._initial = {"benefit": float(benefit), "p_benefit": float(p_benefit), "cost": float(cost),
                         "p_cost": float(p_cost), "concession_value": float(concession_value)}
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s, style = self._initial, {"description_width": "175px"}  # the longest label, 22 characters, uncut
        layout = {"width": "460px", "max_width": "100%"}
        return {
            "benefit": widgets.FloatSlider(value=s["benefit"], min=0, max=self.LIMIT, step=1,
                                           description="benefit of resisting B", style=style, layout=layout),
            "p_benefit": widgets.FloatSlider(value=s["p_benefit"], min=0, max=1, step=0.01,
                                             description="p(B)", style=style, layout=layout),
            "cost": widgets.FloatSlider(value=s["cost"], min=0, max=self.LIMIT, step=1,
                                        description="threatened cost C", style=style, layout=layout),
            "p_cost": widgets.FloatSlider(value=s["p_cost"], min=0, max=1, step=0.01,
                                          description="p(C)", style=style, layout=layout),
            "concession_value": widgets.FloatSlider(value=s["concession_value"], min=-self.LIMIT, max=self.LIMIT,
                                                    step=1, description="value of conceding V",
                                                    style=style, layout=layout),
        }

    def compute(self) -> dict:
        s = self.state
        return coercion.coercion_outcome(s["benefit"], s["p_benefit"], s["cost"], s["p_cost"],
                                         s["concession_value"])

    @property
    def state(self) -> dict[str, Any]:
        return {name: float(control.value) for name, control in self.controls.items()}

    @property
    def resist_value(self) -> float:
        """B · p(B) − C · p(C)."""
        return float(self.result["resist"])

    @property
    def concedes(self) -> bool:
        return bool(self.result["concedes"])

    @property
    def cost_threshold(self) -> float:
        """The threatened cost above which the target concedes (``math.inf``: none)."""
        return float(self.result["cost_threshold"])

    def render_html(self, r: dict) -> str:
        verdict = (f"<b style='color:{style.TEXT_GREEN}'>concedes</b>" if r["concedes"]
                   else f"<b style='color:{style.TEXT_VERMILLION}'>resists</b>")
        threshold = "no cost is enough (p(C) = 0)" if math.isinf(r["cost_threshold"]) else f"{r['cost_threshold']:.1f}"
        return ("<div style='font:13px sans-serif'>"
                f"<p>Value of resisting B&middot;p(B) &minus; C&middot;p(C) = <b>{r['resist']:.2f}</b>; "
                f"value of conceding V = <b>{r['concede']:.2f}</b>: the target {verdict}.</p>"
                f"<p>Threatened cost at which it would concede (other terms fixed): {threshold}.</p>"
                f"<p style='color:{style.MUTED}'>Left out: the coercer's costs and credibility, reputation and "
                "audience costs, domestic politics, several rounds, private information, escalation.</p></div>")

    def render_text(self, r: dict) -> str:
        threshold = "none" if math.isinf(r["cost_threshold"]) else f"{r['cost_threshold']:.1f}"
        return (f"Resisting is worth {r['resist']:.2f}, conceding {r['concede']:.2f}: the target "
                f"{'concedes' if r['concedes'] else 'resists'}. Cost threshold: {threshold}.")
