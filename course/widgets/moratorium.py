"""Moratorium explorer: how much of "never" is a moratorium of n years worth to a decision-maker
who discounts the future and looks only so far ahead (model: :mod:`course.models.discounting`)."""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets

from course.models import discounting as model
from course.widgets import style
from course.widgets.base import Explorer

MAX_YEARS = 100
MAX_RATE = 0.20
REFERENCE_LENGTHS = {
    10: "10 years ('the next decade')",
    20: "20 years",
    25: "25 years",
    49: "49 years (Trenin)",
    69: "69 years (Trenin)",
}
# Wide enough for the longest description ("moratorium (years)") at JupyterLab's font size, so no label
# is cut at 1280x720; every slider is 460 px wide.
SLIDER_STYLE = {"description_width": "150px"}
SLIDER_LAYOUT = {"width": "460px", "max_width": "100%"}
#: The horizon slider's starting value (used when "limited horizon" is ticked): the lesson plan's
#: 25 years (docs/lesson_plans/04_limits.md, section 5).
DEFAULT_HORIZON = 25
SHARE_COLOUR = style.OKABE_ITO["vermillion"]   # the chosen moratorium
CURVE_COLOUR = style.OKABE_ITO["blue"]         # the other lengths


class MoratoriumExplorer(Explorer):
    """Share of "never" that a moratorium of ``years`` is worth at discount ``rate``.

    >>> explorer = MoratoriumExplorer(years=49, rate=0.05)
    >>> round(explorer.share, 3)
    0.908
    >>> explorer.state
    {'years': 49, 'rate': 0.05, 'horizon': None, 'compounding': 'discrete'}

    ``horizon``: None (the decision-maker values every future year) or a number of years
    beyond which nothing counts ("not in my lifetime"); ``compounding``: "discrete" (annual)
    or "continuous".
    """

    title = "How long is 'never'?"

    def __init__(self, years: int = 49, rate: float = 0.05, horizon: int | None = None,
                 compounding: str = "discrete") -> None:
        self._initial = self._check(years, rate, horizon, compounding)
        super().__init__()
        self._sync_horizon()

    @staticmethod
    def _check(years: Any, rate: Any, horizon: Any, compounding: Any) -> dict:
        model.share_of_never(years, rate, horizon, compounding)  # the model's own checks
        if isinstance(years, float) and years.is_integer():
            years = int(years)
        if not isinstance(years, int) or not 0 <= years <= MAX_YEARS:
            raise ValueError(f"years must be a whole number from 0 to {MAX_YEARS} in the explorer, not {years!r} "
                             f"(use course.models.discounting for longer or fractional lengths)")
        if rate > MAX_RATE:
            raise ValueError(f"the explorer's rate slider runs from 0 to {MAX_RATE}; {rate} is above it")
        if horizon is not None:
            if isinstance(horizon, float) and horizon.is_integer():
                horizon = int(horizon)
            if not isinstance(horizon, int) or not 1 <= horizon <= MAX_YEARS:
                raise ValueError(f"horizon must be None or a whole number from 1 to {MAX_YEARS}, not {horizon!r}")
        return {"years": years, "rate": float(rate), "horizon": horizon, "compounding": compounding}

    def _make_controls(self) -> dict[str, widgets.Widget]:
        start = self._initial
        return {
            "years": widgets.IntSlider(value=start["years"], min=0, max=MAX_YEARS, description="moratorium (years)",
                                       style=SLIDER_STYLE, layout=SLIDER_LAYOUT),
            "rate": widgets.FloatSlider(value=start["rate"], min=0.0, max=MAX_RATE, step=0.005,
                                        readout_format=".3f", description="discount rate",
                                        style=SLIDER_STYLE, layout=SLIDER_LAYOUT),
            "use_horizon": widgets.Checkbox(value=start["horizon"] is not None, description="limited horizon",
                                            indent=False, layout={"width": "160px"}),
            "horizon": widgets.IntSlider(value=start["horizon"] or DEFAULT_HORIZON, min=1, max=MAX_YEARS,
                                         description="horizon (years)", style=SLIDER_STYLE,
                                         layout=SLIDER_LAYOUT),
            "compounding": widgets.ToggleButtons(options=list(model.COMPOUNDING), value=start["compounding"],
                                                 description="compounding", style={"button_width": "100px", "description_width": "150px"}),
        }

    def _sync_horizon(self) -> None:
        self.controls["horizon"].disabled = not self.controls["use_horizon"].value

    def _before_redraw(self, change: dict) -> None:
        if change.get("owner") is self.controls["use_horizon"]:
            self._sync_horizon()

    # -- state ----------------------------------------------------------------------------
    @property
    def years(self) -> int:
        return int(self.controls["years"].value)

    @property
    def rate(self) -> float:
        return float(self.controls["rate"].value)

    @property
    def horizon(self) -> int | None:
        return int(self.controls["horizon"].value) if self.controls["use_horizon"].value else None

    @property
    def compounding(self) -> str:
        return str(self.controls["compounding"].value)

    @property
    def state(self) -> dict[str, Any]:
        """``{"years", "rate", "horizon", "compounding"}``: ``MoratoriumExplorer(**state)`` rebuilds it."""
        return {"years": self.years, "rate": self.rate, "horizon": self.horizon, "compounding": self.compounding}

    def set(self, **values: Any) -> "MoratoriumExplorer":
        """Change any of ``years``, ``rate``, ``horizon`` (None for no horizon), ``compounding``."""
        unknown = sorted(set(values) - {"years", "rate", "horizon", "compounding"})
        if unknown:
            raise KeyError(f"MoratoriumExplorer has no control {', '.join(map(repr, unknown))}; "
                           f"its settings are 'years', 'rate', 'horizon', 'compounding'")
        merged = {**self.state, **values}
        clean = self._check(merged["years"], merged["rate"], merged["horizon"], merged["compounding"])
        with self._batch():
            self.controls["years"].value = clean["years"]
            self.controls["rate"].value = clean["rate"]
            self.controls["use_horizon"].value = clean["horizon"] is not None
            if clean["horizon"] is not None:
                self.controls["horizon"].value = clean["horizon"]
            self.controls["compounding"].value = clean["compounding"]
            self._sync_horizon()
        return self

    # -- model ----------------------------------------------------------------------------
    def compute(self) -> dict:
        rate, horizon, compounding = self.rate, self.horizon, self.compounding
        curve = [(n, model.share_of_never(n, rate, horizon, compounding)) for n in range(0, MAX_YEARS + 1, 5)]
        return {
            "years": self.years,
            "rate": rate,
            "horizon": horizon,
            "compounding": compounding,
            "share": model.share_of_never(self.years, rate, horizon, compounding),
            "reference": {n: model.share_of_never(n, rate, horizon, compounding) for n in REFERENCE_LENGTHS},
            "years_for_90": None if horizon is not None else model.years_for_share(0.9, rate, compounding),
            "curve": curve,
        }

    @property
    def share(self) -> float:
        """Share of "never" (0-1) that the chosen moratorium is worth."""
        return float(self.result["share"])

    @property
    def table(self) -> dict[int, float]:
        """Share of "never" for the reference lengths (10, 20, 25, 49, 69 years)."""
        return dict(self.result["reference"])

    # -- views ----------------------------------------------------------------------------
    def render_html(self, r: dict) -> str:
        columns = "".join(
            f"<div title='{n} years: {s:.2f}' style='display:inline-block;width:9px;margin-right:2px;"
            f"height:{s * 90:.0f}px;background:{SHARE_COLOUR if n == r['years'] - r['years'] % 5 else CURVE_COLOUR}'></div>"
            for n, s in r["curve"]
        )
        reference = "".join(
            f"<tr><td>{label}</td><td style='text-align:right'>{r['reference'][n]:.2f}</td></tr>"
            for n, label in REFERENCE_LENGTHS.items()
        )
        horizon = "every future year counts" if r["horizon"] is None else f"only the next {r['horizon']} years count"
        ninety = ("" if r["years_for_90"] is None else
                  f"<p>90% of 'never' needs {_years(r['years_for_90'])}.</p>")
        return (
            "<div style='font:13px sans-serif;display:flex;gap:28px;flex-wrap:wrap;align-items:flex-end'>"
            f"<div><p>A moratorium of <b>{r['years']}</b> years at {r['rate']:.1%} ({r['compounding']}; {horizon}) "
            f"is worth <b>{r['share']:.1%}</b> of 'never'.</p>"
            f"<div aria-hidden='true' style='background:{style.EMPTY};width:300px;height:16px'><div style='background:{SHARE_COLOUR};height:16px;"
            f"width:{300 * r['share']:.0f}px'></div></div>{ninety}</div>"
            f"<div><div role='img' aria-label='{html.escape(_curve_label(r), quote=True)}' "
            f"style='height:92px;display:flex;align-items:flex-end'>{columns}</div>"
            f"<div style='color:{style.MUTED}'>share of 'never', moratoria of 0-{MAX_YEARS} years (every 5)</div></div>"
            f"<div><table><tr><th>moratorium</th><th>share of 'never'</th></tr>{reference}</table></div></div>"
        )

    def render_text(self, r: dict) -> str:
        horizon = "no horizon" if r["horizon"] is None else f"horizon {r['horizon']} years"
        lines = [f"A {r['years']}-year moratorium at {r['rate']:.1%} ({r['compounding']}, {horizon}) is worth "
                 f"{r['share']:.3f} of 'never'."]
        lines.append("Reference: " + "; ".join(f"{n} yrs {s:.2f}" for n, s in r["reference"].items()) + ".")
        return "\n".join(lines)


def _years(value: float) -> str:
    return "no finite moratorium (rate 0)" if math.isinf(value) else f"{value:.1f} years"


def _curve_label(r: dict) -> str:
    """The text alternative of the bar chart: its values at 20-year steps."""
    points = "; ".join(f"{n} years {share:.2f}" for n, share in r["curve"] if n % 20 == 0)
    return (f"Bar chart of the share of 'never' a moratorium is worth, 0 to {MAX_YEARS} years every 5, at "
            f"{r['rate']:.1%}: {points}. The chosen length is highlighted.")

