"""Feasibility of the proposals Trenin weighs: a weighted-sum multi-criteria model and its
agreement with the article's verdicts.

Model (weighted additive value, the simplest model of multi-criteria decision analysis; Keeney
and Raiffa, *Decisions with Multiple Objectives: Preferences and Value Tradeoffs*, 1976): each
proposal *i* gets a score ``s[i][c]`` between 0 and 10 on each criterion *c*, oriented so that
**a higher score always favours agreement** (e.g. "verifiability" 10 = easy to verify, "face"
10 = no loss of face). With non-negative weights ``w[c]`` the feasibility of *i* is

    F(i) = sum_c w[c] * s[i][c] / (10 * sum_c w[c])          (0 <= F <= 1)

Normalisation: scores are divided by the fixed top of the scale (10), not by the range of the
data, so adding or removing a proposal never changes another proposal's F; weights are divided by
their sum, so only their ratios matter (``{a: 1, b: 3}`` is the same model as ``{a: 2, b: 6}``).

Rule for all-zero weights: if every weight is 0 the model treats the criteria as equally
important (``F`` = the plain mean of the scores / 10). A front end with sliders can reach all
zeros, and "no preference among the criteria" is the natural reading; :func:`effective_weights`
reports the weights actually used so a view can say so.

Agreement with the article: the article's verdicts are coded 0-4 in
``course/data/proposals.csv`` (``verdict_score``; see :data:`course.data.catalog.VERDICT_SCORES`).
:func:`rank_agreement` compares the model's F with those codes by Spearman's rank correlation
(Pearson correlation of average ranks) and Kendall's tau-b (Kendall, "The treatment of ties in ranking problems",
*Biometrika* 33, 1945; his tau of 1938, "A new measure of rank correlation", *Biometrika* 30,
has no tie correction; tau-b corrects for ties, which the 5-level verdicts have many of). :func:`disagreements` lists the proposals the model ranks outside the block of ranks the
article's (tied) verdict gives them, by more than a tolerance.

The model is a teaching device: it makes a judgement explicit and arguable; it does not
measure feasibility. The weights and scores are the student's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from course.data.schema import name_mismatch

SCORE_MIN = 0.0
SCORE_MAX = 10.0

CRITERIA: dict[str, str] = {
    "stakes": "Low stakes for the side asked to concede (10 = it gives up little)",
    "verifiability": "Compliance can be verified (10 = easily)",
    "legal_form": "Light legal form suffices (10 = a political statement would do; 0 = needs a ratified treaty or a change to an alliance's founding commitments)",
    "face": "No loss of face (10 = no public retreat from a stated principle)",
    "reciprocity": "Something can be traded in return (10 = a clear reciprocal concession exists)",
}
"""The default criteria: id → what a score of 10 means. Every criterion is oriented so that a
higher score favours agreement."""

Scores = Mapping[str, Mapping[str, float]]
Weights = Mapping[str, float]


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what} must be a finite number, not {number}")
    return number


def validate_weights(weights: Weights) -> dict[str, float]:
    """Check ``weights`` (criterion → weight ≥ 0) and return them as a dict of floats.

    Raises ``ValueError`` for an empty mapping, a negative or non-finite weight, and
    ``TypeError`` for a weight that is not a number.
    """
    if not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of criterion to weight, not {type(weights).__name__}")
    if not weights:
        raise ValueError("weights is empty: give at least one criterion and its weight (>= 0)")
    clean: dict[str, float] = {}
    for criterion, weight in weights.items():
        number = _number(weight, f"the weight of {criterion!r}")
        if number < 0:
            raise ValueError(f"the weight of {criterion!r} is {number:g}; weights must be 0 or more")
        clean[str(criterion)] = number
    return clean


def validate_scores(scores: Scores, criteria: Sequence[str]) -> dict[str, dict[str, float]]:
    """Check ``scores`` (proposal → criterion → score in [0, 10]) against ``criteria``.

    Every proposal must score every criterion; extra criteria are an error too (a typo in a
    criterion name would otherwise be silently ignored). Returns plain nested dicts of floats.
    """
    if not isinstance(scores, Mapping):
        raise TypeError(f"scores must be a mapping of proposal to criterion scores, not {type(scores).__name__}")
    if not scores:
        raise ValueError("scores is empty: give at least one proposal")
    wanted = list(criteria)
    clean: dict[str, dict[str, float]] = {}
    for proposal, row in scores.items():
        if not isinstance(row, Mapping):
            raise TypeError(f"the scores of {proposal!r} must be a mapping of criterion to score")
        mismatch = name_mismatch(wanted, row)
        if mismatch:
            raise ValueError(f"the scores of {proposal!r}: {mismatch} "
                             f"(criteria are {', '.join(map(repr, wanted))})")
        clean_row = {}
        for criterion in wanted:
            number = _number(row[criterion], f"the score of {proposal!r} on {criterion!r}")
            if not SCORE_MIN <= number <= SCORE_MAX:
                raise ValueError(f"the score of {proposal!r} on {criterion!r} is {number:g}; "
                                 f"scores run from {SCORE_MIN:g} to {SCORE_MAX:g}")
            clean_row[criterion] = number
        clean[str(proposal)] = clean_row
    return clean


def effective_weights(weights: Weights) -> dict[str, float]:
    """The normalised weights the model uses: non-negative, summing to 1.

    All-zero weights become equal weights (the documented rule of this model).
    """
    clean = validate_weights(weights)
    total = sum(clean.values())
    if total == 0:
        return {c: 1 / len(clean) for c in clean}
    return {c: w / total for c, w in clean.items()}


def feasibility_scores(scores: Scores, weights: Weights) -> dict[str, float]:
    """Weighted-sum feasibility F in [0, 1] of every proposal (see the module docstring).

    >>> feasibility_scores({"a": {"x": 10, "y": 0}, "b": {"x": 0, "y": 5}}, {"x": 1, "y": 1})
    {'a': 0.5, 'b': 0.25}
    """
    used = effective_weights(weights)
    clean = validate_scores(scores, list(used))
    return {p: sum(used[c] * row[c] for c in used) / SCORE_MAX for p, row in clean.items()}


def ranking(feasibility: Mapping[str, float]) -> list[str]:
    """Proposal ids from most to least feasible; ties keep the order of ``feasibility``."""
    order = list(feasibility)
    return sorted(order, key=lambda p: (-feasibility[p], order.index(p)))


def average_ranks(values: Mapping[str, float]) -> dict[str, float]:
    """Rank 1 = highest value; tied values share the average of their ranks (pandas 'average')."""
    series = pd.Series(dict(values), dtype="float64")
    return series.rank(ascending=False, method="average").to_dict()


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation: the Pearson correlation of the average ranks of x and y.

    Returns ``nan`` when either side is constant (every item tied): the correlation is then
    undefined, and saying so is better than returning 0.
    """
    a, b = _paired(x, y)
    ra, rb = a.rank(method="average"), b.rank(method="average")
    if ra.nunique() < 2 or rb.nunique() < 2:
        return float("nan")
    return float(ra.corr(rb))


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b (Kendall 1945, the tie-corrected form of his 1938 tau), via pandas and SciPy.

    tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2)), with C concordant and D discordant pairs,
    n0 = n(n-1)/2 and n1, n2 the pairs tied in x and in y. ``nan`` when either side is constant.
    """
    a, b = _paired(x, y)
    if a.nunique() < 2 or b.nunique() < 2:
        return float("nan")
    return float(a.corr(b, method="kendall"))


def _paired(x: Sequence[float], y: Sequence[float]) -> tuple[pd.Series, pd.Series]:
    a = pd.Series(list(x), dtype="float64")
    b = pd.Series(list(y), dtype="float64")
    if len(a) != len(b):
        raise ValueError(f"x and y must have the same length ({len(a)} and {len(b)})")
    if len(a) < 2:
        raise ValueError("a rank correlation needs at least two items")
    if a.isna().any() or b.isna().any():
        raise ValueError("x and y may not contain missing values")
    return a, b


def rank_agreement(feasibility: Mapping[str, float], verdicts: Mapping[str, float]) -> dict[str, float]:
    """Spearman's rho and Kendall's tau-b between the model's F and the article's verdicts.

    ``verdicts`` maps proposal id → the article's verdict score (0-4); both mappings must
    cover the same proposals. 1 = same order, -1 = reversed, ``nan`` = undefined (all tied).
    """
    _same_keys(feasibility, verdicts)
    ids = list(verdicts)
    model = [feasibility[p] for p in ids]
    article = [verdicts[p] for p in ids]
    return {"spearman": spearman(model, article), "kendall": kendall_tau_b(model, article)}


def article_rank_ranges(verdicts: Mapping[str, float]) -> dict[str, tuple[int, int]]:
    """The block of ranks each proposal occupies in the article's (tied) order.

    A verdict shared by several proposals does not order them among themselves: six proposals
    judged "possible" just below one "already de facto" occupy ranks 2-7 together. Returns
    proposal id → (first rank, last rank) of its block (1 = most feasible).
    """
    values = {p: float(v) for p, v in verdicts.items()}
    return {
        p: (sum(w > v for w in values.values()) + 1, sum(w >= v for w in values.values()))
        for p, v in values.items()
    }


def disagreements(feasibility: Mapping[str, float], verdicts: Mapping[str, float],
                  tolerance: float = 1.0) -> list[dict]:
    """Proposals that the model ranks more than ``tolerance`` places outside the article's block.

    The article's verdicts are ties in blocks (see :func:`article_rank_ranges`); a model rank
    anywhere inside a proposal's block agrees with the article. Outside it, the distance is the
    number of places to the nearer end of the block (model ranks are average ranks, so a tie in
    the model counts at its mean position). Each entry is a dict: ``proposal_id``,
    ``model_rank``, ``article_ranks`` (first, last), ``gap`` (positive: the model ranks the
    proposal *lower*, i.e. finds it less feasible than the article does) and ``direction``
    ("model more optimistic" / "model less optimistic"). Sorted by the size of the gap.
    """
    tolerance = _number(tolerance, "tolerance")
    if tolerance < 0:
        raise ValueError(f"tolerance is {tolerance:g}; it must be 0 or more")
    _same_keys(feasibility, verdicts)
    model_ranks = average_ranks(feasibility)
    blocks = article_rank_ranges(verdicts)
    rows = []
    for proposal in verdicts:
        rank = model_ranks[proposal]
        first, last = blocks[proposal]
        gap = rank - last if rank > last else rank - first if rank < first else 0.0
        if abs(gap) > tolerance:
            rows.append({
                "proposal_id": proposal,
                "model_rank": rank,
                "article_ranks": (first, last),
                "gap": gap,
                "direction": "model less optimistic" if gap > 0 else "model more optimistic",
            })
    return sorted(rows, key=lambda r: (-abs(r["gap"]), r["proposal_id"]))


def _same_keys(a: Mapping, b: Mapping) -> None:
    if set(a) != set(b):
        only_a = sorted(set(a) - set(b))
        only_b = sorted(set(b) - set(a))
        raise ValueError(f"the model and the verdicts cover different proposals "
                         f"(only in the model: {only_a}; only in the verdicts: {only_b})")


def evaluate(scores: Scores, weights: Weights, verdicts: Mapping[str, float],
             tolerance: float = 1.0) -> dict:
    """Everything a view needs in one call: F, ranking, ranks, agreement and disagreements."""
    feasibility = feasibility_scores(scores, weights)
    _same_keys(feasibility, verdicts)
    return {
        "feasibility": feasibility,
        "ranking": ranking(feasibility),
        "model_ranks": average_ranks(feasibility),
        "article_ranks": average_ranks(verdicts),
        "article_rank_ranges": article_rank_ranges(verdicts),
        "agreement": rank_agreement(feasibility, verdicts),
        "disagreements": disagreements(feasibility, verdicts, tolerance),
        "weights_used": effective_weights(weights),
        "all_weights_zero": sum(validate_weights(weights).values()) == 0,
    }


def equal_weights(criteria: Sequence[str] = tuple(CRITERIA)) -> dict[str, float]:
    """Weight 1 on every criterion."""
    return {c: 1.0 for c in criteria}


def neutral_scores(proposal_ids: Sequence[str], criteria: Sequence[str] = tuple(CRITERIA),
                   value: float = 5.0) -> dict[str, dict[str, float]]:
    """Every proposal scored ``value`` on every criterion: a blank sheet to score from."""
    return {p: {c: float(value) for c in criteria} for p in proposal_ids}


ILLUSTRATIVE_SCORES: dict[str, dict[str, float]] = {
    # stakes, verifiability, legal_form, face, reciprocity (0-10, higher favours agreement).
    # The course author's reading of the article and of the US reply, for teaching only:
    # students are expected to disagree with some of these and re-score them.
    "no_expansion_fsu":          {"stakes": 6, "verifiability": 10, "legal_form": 3, "face": 2, "reciprocity": 2},
    "bucharest_retraction":      {"stakes": 7, "verifiability": 10, "legal_form": 6, "face": 0, "reciprocity": 2},
    "membership_moratorium":     {"stakes": 6, "verifiability": 9, "legal_form": 6, "face": 5, "reciprocity": 3},
    "no_missiles_ukraine":       {"stakes": 9, "verifiability": 7, "legal_form": 7, "face": 8, "reciprocity": 7},
    "no_bases_ukraine":          {"stakes": 8, "verifiability": 8, "legal_form": 7, "face": 7, "reciprocity": 6},
    "end_military_cooperation":  {"stakes": 2, "verifiability": 4, "legal_form": 5, "face": 2, "reciprocity": 3},
    "arms_supply_limits":        {"stakes": 5, "verifiability": 3, "legal_form": 6, "face": 5, "reciprocity": 5},
    "exercise_limits":           {"stakes": 6, "verifiability": 6, "legal_form": 8, "face": 6, "reciprocity": 8},
    "inf_type_agreement":        {"stakes": 6, "verifiability": 5, "legal_form": 5, "face": 7, "reciprocity": 8},
    "missile_defence_launchers": {"stakes": 6, "verifiability": 6, "legal_form": 7, "face": 6, "reciprocity": 8},
    "eastern_flank_cbms":        {"stakes": 7, "verifiability": 6, "legal_form": 9, "face": 7, "reciprocity": 7},
    "rollback_1997":             {"stakes": 1, "verifiability": 8, "legal_form": 2, "face": 0, "reciprocity": 1},
}
"""An illustrative scoring of the twelve proposals in ``proposals.csv`` on :data:`CRITERIA`.

These numbers are a judgement, not data: the course author's reading of the article (e.g. US
missile sites in Ukraine are "not a military priority for Washington" → low stakes; renouncing
Bucharest would be "too much of a loss of face" → face 0) and of what the US reply of 26 January
2022 offered reciprocally (→ reciprocity). They exist so that exercises have a common starting
point; the explorer lets every student replace them."""
