"""Module 06's explorer: score your own forecasts of the questions of ``forecasts.csv`` (as they
stood on 21 Jan 2022) with the Brier score, Murphy's decomposition and a calibration plot, against
the always-50% baseline and the article's implied view (:mod:`course.models.forecasting`)."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course import data
from course.models import forecasting as fc
from course.widgets.base import Explorer

# Okabe-Ito palette (colour-blind safe)
YOU, ARTICLE, HALF, GRID = "#0072B2", "#D55E00", "#009E73", "#BBBBBB"
BIN_OPTIONS = (("each distinct value", 0), ("2 bins", 2), ("5 bins", 5), ("10 bins", 10))
"""Binning of the calibration plot and decomposition: 0 stands for ``bins=None`` (exact Murphy)."""


class ForecastScorer(Explorer):
    """Give a probability to each question; with ``reveal=True`` see how the forecasts score.

    ``probabilities``: a dict question_id -> probability (missing ids start at 0.5), or a list in
    the order of ``forecasts.csv``. ``bins``: 0 (each distinct value its own group, the exact
    Murphy 1973 partition), 2, 5 or 10 equal-width bins. Until ``reveal`` is True no outcome is
    shown, so students can commit to their forecasts first.

    >>> scorer = ForecastScorer(probabilities=[0.5] * 14, reveal=True)
    >>> scorer.scores["you"]["brier"]
    0.25
    >>> ForecastScorer(**scorer.state).state == scorer.state
    True
    """

    title = "Forecast scorer: the questions as they stood on 21 January 2022"

    def __init__(self, probabilities: dict | list | None = None, bins: int = 5, reveal: bool = False) -> None:
        self._questions = data.load_forecasts()
        self._ids = [str(q) for q in self._questions["question_id"]]
        self._outcomes = [int(o) for o in self._questions["outcome"]]
        self._article = [None if pd.isna(p) else float(p) for p in self._questions["article_probability"]]
        self._initial = {"probabilities": self._check_probabilities(probabilities),
                         "bins": self._check_bins(bins), "reveal": self._check_reveal(reveal)}
        super().__init__()

    # -- validation -----------------------------------------------------------------------
    def _check_probabilities(self, probabilities) -> dict[str, float]:
        values = {qid: 0.5 for qid in self._ids}
        if probabilities is None:
            return values
        if isinstance(probabilities, dict):
            unknown = sorted(set(map(str, probabilities)) - set(self._ids))
            if unknown:
                raise KeyError(f"no question {', '.join(map(repr, unknown))}; the questions are "
                               f"{self._ids[0]} to {self._ids[-1]}")
            given = {str(k): v for k, v in probabilities.items()}
        else:
            given_list = list(probabilities)
            if len(given_list) != len(self._ids):
                raise ValueError(f"{len(given_list)} probabilities for {len(self._ids)} questions: "
                                 f"give one per question, or a dict of question_id -> probability")
            given = dict(zip(self._ids, given_list))
        ps, _ = fc.check_forecasts(list(given.values()), [0] * len(given))  # the model's checks
        values.update(dict(zip(given, ps)))
        return values

    @staticmethod
    def _check_bins(bins) -> int:
        bins = 0 if bins is None else bins
        allowed = [value for _, value in BIN_OPTIONS]
        if bins not in allowed or isinstance(bins, bool):
            raise ValueError(f"bins is {bins!r}; choose one of {allowed} (0 = each distinct value)")
        return int(bins)

    @staticmethod
    def _check_reveal(reveal) -> bool:
        if not isinstance(reveal, bool):
            raise ValueError(f"reveal must be True or False, not {reveal!r}")
        return reveal

    # -- controls -------------------------------------------------------------------------
    def _make_controls(self) -> dict[str, widgets.Widget]:
        start = self._initial
        controls: dict[str, widgets.Widget] = {}
        for qid, question in zip(self._ids, self._questions["question"].astype(str)):
            slider = widgets.FloatSlider(value=start["probabilities"][qid], min=0.0, max=1.0, step=0.01,
                                         description=qid, readout_format=".2f",
                                         layout=widgets.Layout(width="200px"),  # four to a row at 1280 px
                                         style={"description_width": "34px"})
            slider.description_tooltip = question
            controls[qid] = slider
        controls["bins"] = widgets.Dropdown(options=BIN_OPTIONS, value=start["bins"], description="calibration bins",
                                            layout=widgets.Layout(width="300px"),
                                            style={"description_width": "initial"})
        controls["reveal"] = widgets.Checkbox(value=start["reveal"], description="reveal outcomes and score",
                                              indent=False, layout=widgets.Layout(width="260px"))
        return controls

    @property
    def probabilities(self) -> dict[str, float]:
        return {qid: float(self.controls[qid].value) for qid in self._ids}

    @property
    def state(self) -> dict[str, Any]:
        """``{"probabilities": {id: p}, "bins", "reveal"}``: ``ForecastScorer(**state)`` rebuilds it."""
        return {"probabilities": self.probabilities, "bins": int(self.controls["bins"].value),
                "reveal": bool(self.controls["reveal"].value)}

    def set(self, **values: Any) -> "ForecastScorer":
        """Change ``probabilities`` (dict or list), ``bins`` and/or ``reveal``; one redraw."""
        unknown = sorted(set(values) - {"probabilities", "bins", "reveal"})
        if unknown:
            raise KeyError(f"ForecastScorer has no control {', '.join(map(repr, unknown))}; "
                           f"its settings are 'probabilities', 'bins', 'reveal'")
        new = dict(self.state)
        if "probabilities" in values:
            merged = values["probabilities"]
            if isinstance(merged, dict):
                merged = {**self.probabilities, **{str(k): v for k, v in merged.items()}}
            new["probabilities"] = self._check_probabilities(merged)
        if "bins" in values:
            new["bins"] = self._check_bins(values["bins"])
        if "reveal" in values:
            new["reveal"] = self._check_reveal(values["reveal"])
        with self._batch():
            for qid, p in new["probabilities"].items():
                self.controls[qid].value = p
            self.controls["bins"].value = new["bins"]
            self.controls["reveal"].value = new["reveal"]
        return self

    # -- model ----------------------------------------------------------------------------
    def compute(self) -> dict:
        yours = [self.probabilities[qid] for qid in self._ids]
        bins = int(self.controls["bins"].value) or None
        result: dict = {"reveal": bool(self.controls["reveal"].value), "yours": yours, "bins": bins}
        if not result["reveal"]:
            return result
        coded = [i for i, p in enumerate(self._article) if p is not None]
        result["scores"] = fc.compare({"you": yours, "article": self._article}, self._outcomes)
        result["decomposition"] = {
            "you": fc.murphy_decomposition(yours, self._outcomes, bins=bins),
            "article": fc.murphy_decomposition([self._article[i] for i in coded],
                                               [self._outcomes[i] for i in coded], bins=bins),
        }
        result["calibration"] = {
            "you": fc.calibration_table(yours, self._outcomes, bins=bins),
            "article": fc.calibration_table([self._article[i] for i in coded],
                                            [self._outcomes[i] for i in coded], bins=bins),
        }
        result["errors"] = [{"question_id": qid, "p": p, "outcome": o, "squared_error": (p - o) ** 2}
                            for qid, p, o in zip(self._ids, yours, self._outcomes)]
        return result

    @property
    def scores(self) -> dict:
        """Brier scores of you, the article and always-50% (``{}`` before the reveal)."""
        return {k: dict(v) for k, v in self.result.get("scores", {}).items()}

    @property
    def decomposition(self) -> dict:
        """Murphy's decomposition for you and for the article (``{}`` before the reveal)."""
        return {k: dict(v) for k, v in self.result.get("decomposition", {}).items()}

    # -- views ----------------------------------------------------------------------------
    def _plot(self, r: dict) -> str:
        size, pad = 260, 34
        span = size - 2 * pad

        def xy(p: float, o: float) -> tuple[float, float]:
            return pad + p * span, size - pad - o * span

        you, art = r["calibration"]["you"], r["calibration"]["article"]
        alt = ("Calibration plot: observed share of questions that happened (vertical) against the mean "
               "forecast in each bin (horizontal); the diagonal is perfect calibration. You: "
               + "; ".join(f"{row['mean_forecast']:.2f} said, {row['observed_rate']:.2f} happened (n={row['n']})"
                           for row in you)
               + ". Article: " + "; ".join(f"{row['mean_forecast']:.2f} said, {row['observed_rate']:.2f} "
                                           f"happened (n={row['n']})" for row in art) + ".")
        parts = [f"<svg role='img' aria-label='{html.escape(alt, quote=True)}' width='{size}' height='{size}' "
                 f"style='font:10px sans-serif'><title>{html.escape(alt)}</title>"]
        x0, y0 = xy(0, 0)
        x1, y1 = xy(1, 1)
        parts.append(f"<rect x='{x0}' y='{y1}' width='{span}' height='{span}' fill='none' stroke='{GRID}'/>"
                     f"<line x1='{x0}' y1='{y0}' x2='{x1}' y2='{y1}' stroke='{GRID}' stroke-dasharray='4 3'/>")
        for tick in (0, 0.5, 1):
            tx, ty = xy(tick, tick)
            parts.append(f"<text x='{tx}' y='{y0 + 12}' text-anchor='middle'>{tick:g}</text>"
                         f"<text x='{x0 - 4}' y='{ty + 3}' text-anchor='end'>{tick:g}</text>")
        parts.append(f"<text x='{size / 2}' y='{size - 4}' text-anchor='middle'>forecast</text>"
                     f"<text x='10' y='{size / 2}' transform='rotate(-90 10 {size / 2})' "
                     f"text-anchor='middle'>happened</text>")
        for rows, colour, shape in ((art, ARTICLE, "square"), (you, YOU, "circle")):
            for row in rows:
                cx, cy = xy(row["mean_forecast"], row["observed_rate"])
                radius = 3 + 2 * row["n"] ** 0.5
                if shape == "circle":
                    parts.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='{radius:.1f}' fill='{colour}' "
                                 f"fill-opacity='0.7'/>")
                else:
                    parts.append(f"<rect x='{cx - radius:.1f}' y='{cy - radius:.1f}' width='{2 * radius:.1f}' "
                                 f"height='{2 * radius:.1f}' fill='none' stroke='{colour}' stroke-width='2'/>")
        parts.append(f"<circle cx='{pad + 8}' cy='{pad - 20}' r='4' fill='{YOU}'/>"
                     f"<text x='{pad + 16}' y='{pad - 17}'>you</text>"
                     f"<rect x='{pad + 50}' y='{pad - 24}' width='8' height='8' fill='none' stroke='{ARTICLE}' "
                     f"stroke-width='2'/><text x='{pad + 62}' y='{pad - 17}'>article (Kent scale)</text></svg>")
        return "".join(parts)

    def render_html(self, r: dict) -> str:
        style = "font:12px sans-serif"
        if not r["reveal"]:
            rows = "".join(f"<tr><td>{qid}</td><td>{html.escape(q)}</td><td>{p:.2f}</td></tr>"
                           for qid, q, p in zip(self._ids, self._questions["question"].astype(str), r["yours"]))
            return (f"<div style='{style}'><p>Give each question your probability (as of 21 Jan 2022), then tick "
                    f"<i>reveal</i>. Outcomes stay hidden until then.</p><div style='max-height:300px;overflow-y:auto'>"
                    f"<table><tr><th>id</th><th>question</th><th>your p</th></tr>{rows}</table></div></div>")
        s, d = r["scores"], r["decomposition"]
        table = ("<table><tr><th></th><th>Brier (all it answered)</th><th>n</th><th>Brier (common questions)</th>"
                 "<th>n</th></tr>" + "".join(
                     f"<tr><td>{name}</td><td>{v['brier']:.3f}</td><td>{v['n']}</td><td>{v['brier_common']:.3f}</td>"
                     f"<td>{v['n_common']}</td></tr>" for name, v in s.items()) + "</table>")
        murphy = ("<table><tr><th></th><th>reliability</th><th>resolution</th><th>uncertainty</th>"
                  "<th>within-bin terms</th></tr>" + "".join(
                      f"<tr><td>{name}</td><td>{v['reliability']:.3f}</td><td>{v['resolution']:.3f}</td>"
                      f"<td>{v['uncertainty']:.3f}</td><td>{v['within_variance'] - 2 * v['within_covariance']:+.3f}"
                      f"</td></tr>" for name, v in d.items()) + "</table>")
        worst = sorted(r["errors"], key=lambda e: -e["squared_error"])[:3]
        worst_text = "; ".join(f"{e['question_id']} (you {e['p']:.2f}, outcome {e['outcome']})" for e in worst)
        return (f"<div style='{style};display:flex;flex-wrap:wrap;gap:16px'><div>{self._plot(r)}"
                f"<p style='max-width:260px'>Calibration plot (text alternative in the figure's title).</p></div>"
                f"<div style='flex:1 1 420px;max-width:600px'><p><b>Brier score</b> = mean squared error over 0/1 outcomes (0 best, 0.25 = always 50%).</p>"
                f"{table}<p><b>Murphy (1973)</b>: Brier = reliability - resolution + uncertainty (+ within-bin terms "
                f"when bins group different forecasts).</p>{murphy}<p>Your largest errors: "
                f"{html.escape(worst_text)}</p></div></div>")

    def render_text(self, r: dict) -> str:
        if not r["reveal"]:
            given = ", ".join(f"{qid} {p:.2f}" for qid, p in zip(self._ids, r["yours"]))
            return f"Forecast scorer ({len(self._ids)} questions, outcomes hidden until reveal=True): {given}"
        s, d = r["scores"], r["decomposition"]
        lines = ["Forecast scorer: Brier score = mean squared error over 0/1 outcomes (0 best; always-50% = 0.25)."]
        for name, v in s.items():
            lines.append(f"  {name:11s} Brier {v['brier']:.3f} on {v['n']} questions; "
                         f"{v['brier_common']:.3f} on the {v['n_common']} the article speaks to")
        binning = "each distinct value" if r["bins"] is None else f"{r['bins']} equal bins"
        for name, v in d.items():
            lines.append(f"  Murphy ({binning}), {name}: reliability {v['reliability']:.3f} - resolution "
                         f"{v['resolution']:.3f} + uncertainty {v['uncertainty']:.3f}"
                         + (f" + within-bin {v['within_variance'] - 2 * v['within_covariance']:+.3f}"
                            if r["bins"] is not None else "")
                         + f" = {v['brier']:.3f}")
        return "\n".join(lines)
