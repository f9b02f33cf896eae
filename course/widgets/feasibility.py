"""Feasibility explorer: score the proposals on criteria, weight the criteria, and compare the
resulting ranking with Trenin's verdicts (model: :mod:`course.models.feasibility`)."""

from __future__ import annotations

import copy
import html
import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course import data
from course.models import feasibility as model
from course.widgets import style
from course.widgets.base import Explorer

WEIGHT_MAX = 10.0
SLIDER_STYLE = {"description_width": "100px"}
# Okabe-Ito (colour-blind safe): verdict 0 (least feasible) to 4; the marker is drawn beside the
# verdict's text, which stays in the body colour.
VERDICT_COLOURS = {0: style.OKABE_ITO["vermillion"], 1: style.OKABE_ITO["orange"], 2: style.OKABE_ITO["yellow"],
                   3: style.OKABE_ITO["bluish green"], 4: style.OKABE_ITO["blue"]}
BAR_COLOUR = style.OKABE_ITO["blue"]


class FeasibilityExplorer(Explorer):
    """Rank the proposals by a weighted sum of criterion scores, beside the article's verdicts.

    Everything is set from the constructor and read back as plain values:

    >>> explorer = FeasibilityExplorer(weights={"stakes": 1, "verifiability": 1, "legal_form": 0,
    ...                                         "face": 1, "reciprocity": 0})
    >>> explorer.ranking[0]
    'no_missiles_ukraine'
    >>> sorted(explorer.state)
    ['proposal', 'scores', 'weights']

    ``scores`` maps proposal id → criterion → score (0-10, higher favours agreement); it
    defaults to :data:`course.models.feasibility.ILLUSTRATIVE_SCORES`. ``weights`` maps
    criterion → weight (0-10 in the explorer); its keys define the criteria, so a student can
    add a criterion of their own. ``proposal`` is the proposal shown in the scoring panel;
    ``tolerance`` is how many places a proposal may sit outside the block of ranks the
    article's verdict gives it before a disagreement is flagged.
    """

    title = "Feasibility explorer"

    def __init__(self, scores: Mapping[str, Mapping[str, float]] | None = None,
                 weights: Mapping[str, float] | None = None, proposal: str | None = None,
                 tolerance: float = 1.0, proposals: pd.DataFrame | None = None) -> None:
        table = data.load_proposals() if proposals is None else proposals
        self._ids: list[str] = [str(p) for p in table["proposal_id"]]
        self._labels = dict(zip(self._ids, (str(p) for p in table["proposal"])))
        self._verdicts = dict(zip(self._ids, (float(v) for v in table["verdict_score"])))
        self._verdict_labels = dict(zip(self._ids, (str(v) for v in table["article_verdict"])))

        clean_weights = _check_weights(model.equal_weights() if weights is None else weights)
        self._criteria = list(clean_weights)
        self._scores = self._check_scores(self._default_scores() if scores is None else scores)
        self._initial_weights = clean_weights
        self._initial_proposal = self._check_proposal(self._ids[0] if proposal is None else proposal)
        self._tolerance = _check_tolerance(tolerance)
        super().__init__()

    def _layout_controls(self) -> list[widgets.Widget]:
        """Two panels side by side (they stack when the window is narrow): the scores of the chosen
        proposal, and the weights."""
        scoring = widgets.VBox(
            [widgets.HTML("<b>Scores</b> of the chosen proposal (0-10; 10 always favours agreement)")]
            + [self.controls[f"score_{c}"] for c in self._criteria], layout={"width": "470px"}
        )
        weighting = widgets.VBox(
            [widgets.HTML("<b>Weights</b> (only their ratios matter)")]
            + [self.controls[f"weight_{c}"] for c in self._criteria], layout={"width": "340px"}
        )
        # The dropdown has a row of its own, 900 px wide: the longest proposal (118 characters)
        # is not cut at 1280x720.
        return [self.controls["proposal"],
                widgets.HBox([scoring, weighting], layout={"flex_flow": "row wrap", "gap": "4px 20px",
                                                           "max_width": "100%"})]

    # -- construction -----------------------------------------------------------------------
    def _default_scores(self) -> dict[str, dict[str, float]]:
        neutral = {c: 5.0 for c in self._criteria}
        if list(self._criteria) == list(model.CRITERIA):
            return {p: dict(model.ILLUSTRATIVE_SCORES.get(p, neutral)) for p in self._ids}
        return {p: dict(neutral) for p in self._ids}

    def _check_scores(self, scores: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
        clean = model.validate_scores(scores, self._criteria)
        missing = [p for p in self._ids if p not in clean]
        extra = [p for p in clean if p not in self._ids]
        if missing or extra:
            raise ValueError(f"scores must cover exactly the {len(self._ids)} proposals "
                             f"(missing: {missing}; unknown: {extra})")
        return {p: dict(clean[p]) for p in self._ids}

    def _check_proposal(self, proposal: str) -> str:
        if proposal not in self._ids:
            raise ValueError(f"no proposal {proposal!r}; choose one of {', '.join(self._ids)}")
        return proposal

    def _make_controls(self) -> dict[str, widgets.Widget]:
        controls: dict[str, widgets.Widget] = {
            "proposal": widgets.Dropdown(
                options=[(self._labels[p], p) for p in self._ids], value=self._initial_proposal,
                description="Proposal", layout={"width": "900px", "max_width": "100%"},
                style={"description_width": "80px"},
            )
        }
        for c in self._criteria:
            controls[f"score_{c}"] = widgets.FloatSlider(
                value=self._scores[self._initial_proposal][c], min=model.SCORE_MIN, max=model.SCORE_MAX,
                step=0.5, description=c, tooltip=model.CRITERIA.get(c, c), style=SLIDER_STYLE,
                continuous_update=False, layout={"width": "420px"},
            )
        for c in self._criteria:
            controls[f"weight_{c}"] = widgets.FloatSlider(
                value=self._initial_weights[c], min=0.0, max=WEIGHT_MAX, step=0.5, description=c,
                style=SLIDER_STYLE, continuous_update=False, layout={"width": "360px"},
            )
        return controls

    # -- state ------------------------------------------------------------------------------
    @property
    def criteria(self) -> list[str]:
        return list(self._criteria)

    @property
    def proposal(self) -> str:
        """The proposal shown in the scoring panel."""
        return self.controls["proposal"].value

    @property
    def scores(self) -> dict[str, dict[str, float]]:
        """Proposal id → criterion → score, as plain floats (a copy)."""
        return copy.deepcopy(self._scores)

    @property
    def weights(self) -> dict[str, float]:
        """Criterion → weight, as set on the sliders."""
        return {c: float(self.controls[f"weight_{c}"].value) for c in self._criteria}

    @property
    def state(self) -> dict[str, Any]:
        """``{"scores": ..., "weights": ..., "proposal": ...}`` — pass it back as keyword arguments
        to rebuild the same explorer: ``FeasibilityExplorer(**explorer.state)``."""
        return {"scores": self.scores, "weights": self.weights, "proposal": self.proposal}

    def set(self, scores: Mapping | None = None, weights: Mapping | None = None,
            proposal: str | None = None, **controls: Any) -> "FeasibilityExplorer":
        """Change scores (all or some proposals), weights and/or the proposal shown; redraws once.

        ``scores`` may cover only some proposals (each fully scored); ``weights`` must give every
        criterion. Other keyword arguments name controls directly (e.g. ``weight_face=3``).
        """
        new_scores = self.scores
        if scores is not None:
            partial = model.validate_scores(scores, self._criteria)
            unknown = [p for p in partial if p not in self._ids]
            if unknown:
                raise ValueError(f"unknown proposal(s) {unknown}; the proposals are {', '.join(self._ids)}")
            new_scores.update({p: dict(row) for p, row in partial.items()})
        new_weights = None
        if weights is not None:
            new_weights = _check_weights(weights)
            if set(new_weights) != set(self._criteria):
                raise ValueError(f"weights must give exactly the criteria {self._criteria}; "
                                 f"to use other criteria, build a new explorer")
        if proposal is not None:
            self._check_proposal(proposal)
        self._check_control_names(controls)
        with self._batch():
            self._scores = new_scores
            if new_weights is not None:
                for c, w in new_weights.items():
                    self.controls[f"weight_{c}"].value = w
            if proposal is not None:
                self.controls["proposal"].value = proposal
            for name, value in controls.items():
                self.controls[name].value = value
                if name.startswith("score_"):
                    self._scores[self.proposal][name[len("score_"):]] = float(value)
            self._load_sliders()
        return self

    def set_score(self, proposal: str, criterion: str, value: float) -> "FeasibilityExplorer":
        """Change one score (redraws)."""
        self._check_proposal(proposal)
        if criterion not in self._criteria:
            raise ValueError(f"no criterion {criterion!r}; the criteria are {', '.join(self._criteria)}")
        row = dict(self._scores[proposal])
        row[criterion] = value
        return self.set(scores={proposal: row})

    def _load_sliders(self) -> None:
        """Show the scores of the selected proposal on the score sliders (without redrawing)."""
        with self._batch(redraw=False):
            for c in self._criteria:
                self.controls[f"score_{c}"].value = self._scores[self.proposal][c]

    def _before_redraw(self, change: dict) -> None:
        owner = change.get("owner")
        if owner is self.controls["proposal"]:
            self._load_sliders()
        else:
            for c in self._criteria:
                if owner is self.controls[f"score_{c}"]:
                    self._scores[self.proposal][c] = float(change["new"])
                    break

    # -- model ------------------------------------------------------------------------------
    def compute(self) -> dict:
        result = model.evaluate(self._scores, self.weights, self._verdicts, self._tolerance)
        result["selected"] = self.proposal
        return result

    @property
    def feasibility(self) -> dict[str, float]:
        """Proposal id → feasibility F (0-1)."""
        return dict(self.result["feasibility"])

    @property
    def ranking(self) -> list[str]:
        """Proposal ids from most to least feasible under the current scores and weights."""
        return list(self.result["ranking"])

    @property
    def agreement(self) -> dict[str, float]:
        """Spearman's rho and Kendall's tau-b against the article's verdicts."""
        return dict(self.result["agreement"])

    @property
    def spearman(self) -> float:
        return float(self.result["agreement"]["spearman"])

    @property
    def kendall(self) -> float:
        return float(self.result["agreement"]["kendall"])

    @property
    def disagreements(self) -> list[str]:
        """Ids of the proposals ranked more than ``tolerance`` places outside the article's rank block."""
        return [d["proposal_id"] for d in self.result["disagreements"]]

    @property
    def disagreement_details(self) -> list[dict]:
        return [dict(d) for d in self.result["disagreements"]]

    # -- views ------------------------------------------------------------------------------
    def render_html(self, result: dict) -> str:
        flagged = {d["proposal_id"]: d for d in result["disagreements"]}
        rows = []
        for position, p in enumerate(result["ranking"], start=1):
            f = result["feasibility"][p]
            verdict = int(self._verdicts[p])
            flag = ""
            if p in flagged:
                arrow = "▲" if flagged[p]["direction"] == "model more optimistic" else "▼"
                flag = (f"<span title='{flagged[p]['direction']}' style='color:{style.TEXT_VERMILLION}'>{arrow} "
                        f"{flagged[p]['direction'].replace('model ', '')}</span>")
            bold = "font-weight:bold;" if p == result["selected"] else ""
            rows.append(
                f"<tr style='{bold}'><td style='text-align:right'>{position}</td>"
                f"<td>{html.escape(self._labels[p])}</td>"
                f"<td><div aria-hidden='true' style='background:{BAR_COLOUR};height:10px;width:{f * 120:.0f}px'>"
                f"</div></td><td style='text-align:right'>{f:.2f}</td>"
                f"<td style='white-space:nowrap'><span aria-hidden='true' style='display:inline-block;width:10px;"
                f"height:10px;border-radius:50%;border:1px solid {style.MUTED};background:{VERDICT_COLOURS[verdict]}'>"
                f"</span> {html.escape(self._verdict_labels[p])}</td>"
                f"<td style='text-align:right'>{_block(result['article_rank_ranges'][p])}</td>"
                f"<td style='white-space:nowrap'>{flag}</td></tr>"
            )
        note = (f"<p style='color:{style.TEXT_VERMILLION}'>All weights are 0: the model treats every criterion as "
                "equally important.</p>" if result["all_weights_zero"] else "")
        return (
            f"<div style='font:13px sans-serif'>{note}<p style='margin:4px 0'>Agreement with the article: Spearman's ρ = "
            f"<b>{_fmt(result['agreement']['spearman'])}</b>, Kendall's τ-b = "
            f"<b>{_fmt(result['agreement']['kendall'])}</b> (1 = same order; −1 = reversed). "
            f"{len(result['disagreements'])} proposal(s) more than {self._tolerance:g} place(s) outside the article's rank block.</p>"
            # compact rows (12px, little padding): the whole explorer fits a 720-pixel slide
            f"<style>.course-feasibility td,.course-feasibility th{{padding:0 4px;line-height:1.3}}</style>"
            f"<table class='course-feasibility' style='font-size:12px;border-collapse:collapse'><tr><th>#</th>"
            f"<th style='text-align:left'>proposal</th><th colspan='2'>feasibility F</th>"
            f"<th>article's verdict</th><th>article's ranks</th><th>model vs article</th></tr>{''.join(rows)}"
            f"</table></div>"
        )

    def render_text(self, result: dict) -> str:
        weights = ", ".join(f"{c} {w:g}" for c, w in self.weights.items())
        flagged = {d["proposal_id"]: d["direction"] for d in result["disagreements"]}
        lines = [f"Feasibility ranking (weights: {weights}):"]
        for position, p in enumerate(result["ranking"], start=1):
            extra = f"  <- {flagged[p]}" if p in flagged else ""
            lines.append(f"{position:2d}. {p} F={result['feasibility'][p]:.2f} "
                         f"(article: {self._verdict_labels[p]}){extra}")
        lines.append(f"Spearman's rho {_fmt(result['agreement']['spearman'])}, "
                     f"Kendall's tau-b {_fmt(result['agreement']['kendall'])}.")
        if result["all_weights_zero"]:
            lines.append("All weights are 0: the criteria count equally.")
        return "\n".join(lines)


def _block(ranks: tuple[int, int]) -> str:
    first, last = ranks
    return str(first) if first == last else f"{first}-{last}"


def _fmt(value: float) -> str:
    return "undefined (all tied)" if math.isnan(value) else f"{value:.2f}"


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    clean = model.validate_weights(weights)
    too_big = {c: w for c, w in clean.items() if w > WEIGHT_MAX}
    if too_big:
        raise ValueError(f"the explorer's weight sliders run from 0 to {WEIGHT_MAX:g}; {too_big} is "
                         f"above that (only ratios matter: divide all the weights by the same number)")
    return clean


def _check_tolerance(tolerance: float) -> float:
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise ValueError(f"tolerance must be a number of rank places, 0 or more, not {tolerance!r}")
    return float(tolerance)
