"""Scoring probability forecasts of yes/no questions: the Brier score, Murphy's decomposition,
a calibration table and baselines (module 06).

**Which Brier score.** Brier (1950, "Verification of forecasts expressed in terms of
probability", *Monthly Weather Review* 78(1): 1-3) summed the squared error over every class of
the outcome, which for a yes/no question runs from 0 to 2. The course uses the common binary
form: the *mean squared error* between the probability given to "yes" and the outcome (1 if it
happened, 0 if not),

    BS = (1/N) * sum_i (p_i - o_i)**2,

from 0 (perfect) to 1 (certain and always wrong). Saying 50% to everything scores 0.25. (The
original form is exactly twice this one.)

**Murphy's decomposition.** Murphy (1973, "A new vector partition of the probability score",
*Journal of Applied Meteorology* 12: 595-600) split the score of forecasts grouped by their
value into

    BS = reliability - resolution + uncertainty

- reliability = (1/N) sum_k n_k (p_k - o_k)**2: how far each group's forecast is from the
  frequency observed in that group (0 = perfectly calibrated; lower is better);
- resolution = (1/N) sum_k n_k (o_k - o)**2: how much the groups' observed frequencies differ
  from the overall base rate o (higher is better: the forecasts sort events from non-events);
- uncertainty = o (1 - o): the base rate's own variance, the same for every forecaster.

**Binning.** With ``bins=None`` (the default) each distinct forecast value is its own group, as
in Murphy (1973), and the identity is exact. With ``bins=k`` the forecasts are grouped into
``k`` equal-width bins of [0, 1] (bin ``j`` holds ``j/k <= p < (j+1)/k``; 1.0 goes into the last
bin) and ``p_k`` is the mean forecast in bin ``k``; then forecasts inside one bin differ and two
extra terms restore the identity exactly:

    BS = reliability - resolution + uncertainty + within_variance - 2 * within_covariance

with within_variance = (1/N) sum_i (p_i - p_k(i))**2 and within_covariance =
(1/N) sum_i (p_i - p_k(i)) (o_i - o_k(i)). Both are returned.

Why experts do little better than simple baselines: Tetlock, *Expert Political Judgment: How
Good Is It? How Can We Know?* (Princeton University Press, 2005).

>>> brier_score([1.0, 0.0], [1, 0])
0.0
>>> brier_score([0.5, 0.5, 0.5], [1, 0, 1])
0.25
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Iterable, Sequence

__all__ = [
    "ALWAYS_HALF",
    "brier_score",
    "calibration_table",
    "check_forecasts",
    "compare",
    "murphy_decomposition",
]

ALWAYS_HALF = 0.5
"""The uninformed baseline: 50% on every question (Brier score 0.25 whatever happens)."""


def _as_list(values, name: str) -> list:
    if values is None or isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a list of numbers, not {values!r}")
    try:
        return list(values.tolist() if hasattr(values, "tolist") else values)
    except TypeError:
        raise ValueError(f"{name} must be a list of numbers, not {type(values).__name__}") from None


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pandas.NA
    except TypeError:  # pandas.NA refuses bool()
        return True


def check_forecasts(probabilities: Iterable, outcomes: Iterable) -> tuple[list[float], list[int]]:
    """Validate forecasts and outcomes; return them as a list of floats and a list of 0/1 ints.

    Raises ``ValueError`` naming the first problem: no forecasts, lengths that differ, a
    probability that is missing, not a number or outside [0, 1], an outcome that is missing or
    not 0/1 (``True``/``False`` are accepted).

    >>> check_forecasts([0.2, 1], [False, 1])
    ([0.2, 1.0], [0, 1])
    """
    ps, os_ = _as_list(probabilities, "probabilities"), _as_list(outcomes, "outcomes")
    if not ps:
        raise ValueError("no forecasts: give at least one probability and one outcome")
    if len(ps) != len(os_):
        raise ValueError(f"{len(ps)} probabilities but {len(os_)} outcomes: give one outcome per forecast")
    clean_p: list[float] = []
    for i, p in enumerate(ps):
        if _missing(p):
            raise ValueError(f"probability {i + 1} is missing: give a number from 0 to 1")
        if isinstance(p, bool) or not isinstance(p, Real):
            raise ValueError(f"probability {i + 1} is {p!r}, not a number from 0 to 1")
        if not 0.0 <= float(p) <= 1.0:
            hint = " (a percentage? divide by 100)" if 1 < float(p) <= 100 else ""
            raise ValueError(f"probability {i + 1} is {p!r}: probabilities lie between 0 and 1{hint}")
        clean_p.append(float(p))
    clean_o: list[int] = []
    for i, o in enumerate(os_):
        if _missing(o):
            raise ValueError(f"outcome {i + 1} is missing: every scored question needs an outcome (1 or 0)")
        if not isinstance(o, Real) or float(o) not in (0.0, 1.0):
            raise ValueError(f"outcome {i + 1} is {o!r}: an outcome is 1 (it happened) or 0 (it did not)")
        clean_o.append(int(o))
    return clean_p, clean_o


def brier_score(probabilities: Iterable, outcomes: Iterable) -> float:
    """The Brier score, binary form: mean of (p - o)**2; 0 is perfect, 0.25 is always-50%, 1 worst."""
    ps, os_ = check_forecasts(probabilities, outcomes)
    return sum((p - o) ** 2 for p, o in zip(ps, os_)) / len(ps)


def _bin_index(p: float, bins: int) -> int:
    return min(int(math.floor(p * bins)), bins - 1)


def _groups(ps: Sequence[float], bins: int | None) -> dict:
    """Group indices of forecasts by distinct value (bins=None) or by equal-width bin."""
    if bins is not None:
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise ValueError(f"bins must be None (one group per distinct forecast) or a whole number >= 1, not {bins!r}")
    groups: dict = {}
    for i, p in enumerate(ps):
        key = p if bins is None else _bin_index(p, bins)
        groups.setdefault(key, []).append(i)
    return dict(sorted(groups.items()))


def murphy_decomposition(probabilities: Iterable, outcomes: Iterable, bins: int | None = None) -> dict:
    """Murphy's (1973) partition of the Brier score; see the module docstring for the binning.

    Returns a dict of floats: ``brier``, ``reliability``, ``resolution``, ``uncertainty``,
    ``within_variance``, ``within_covariance`` (both 0 when ``bins=None``), ``base_rate``, and
    ``n``, such that ``brier == reliability - resolution + uncertainty + within_variance -
    2 * within_covariance`` up to rounding.

    >>> d = murphy_decomposition([0.5, 0.5], [1, 0])
    >>> d["reliability"], d["resolution"], d["uncertainty"]
    (0.0, 0.0, 0.25)
    """
    ps, os_ = check_forecasts(probabilities, outcomes)
    n = len(ps)
    base = sum(os_) / n
    reliability = resolution = within_var = within_cov = 0.0
    for members in _groups(ps, bins).values():
        nk = len(members)
        pk = sum(ps[i] for i in members) / nk
        ok = sum(os_[i] for i in members) / nk
        reliability += nk * (pk - ok) ** 2
        resolution += nk * (ok - base) ** 2
        within_var += sum((ps[i] - pk) ** 2 for i in members)
        within_cov += sum((ps[i] - pk) * (os_[i] - ok) for i in members)
    return {
        "brier": sum((p - o) ** 2 for p, o in zip(ps, os_)) / n,
        "reliability": reliability / n,
        "resolution": resolution / n,
        "uncertainty": base * (1 - base),
        "within_variance": within_var / n,
        "within_covariance": within_cov / n,
        "base_rate": base,
        "n": n,
    }


def calibration_table(probabilities: Iterable, outcomes: Iterable, bins: int | None = 5) -> list[dict]:
    """One row per non-empty group: ``lower``, ``upper`` (bin edges; equal to the value when
    ``bins=None``), ``n``, ``mean_forecast``, ``observed_rate`` (share that happened) and ``gap``
    (observed minus forecast). A calibrated forecaster's rows lie near observed = forecast.

    >>> calibration_table([0.1, 0.9, 0.9], [0, 1, 0], bins=2)[1]["observed_rate"]
    0.5
    """
    ps, os_ = check_forecasts(probabilities, outcomes)
    rows = []
    for key, members in _groups(ps, bins).items():
        lower, upper = (key, key) if bins is None else (key / bins, (key + 1) / bins)
        mean_p = sum(ps[i] for i in members) / len(members)
        rate = sum(os_[i] for i in members) / len(members)
        rows.append({"lower": lower, "upper": upper, "n": len(members), "mean_forecast": mean_p,
                     "observed_rate": rate, "gap": rate - mean_p})
    return rows


def compare(forecasters: dict[str, Sequence], outcomes: Sequence, include_half: bool = True) -> dict[str, dict]:
    """Brier scores of several forecasters on the same questions.

    ``forecasters`` maps a name to one probability per question, ``None`` where that forecaster
    gave none (the article does not speak to every question). Each is scored on the questions it
    answered (``brier``, ``n``) and, so that scores are comparable, on the questions that every
    forecaster answered (``brier_common``, ``n_common``). ``include_half`` adds the always-50%
    baseline. Raises ``ValueError`` if a list's length differs from the outcomes' or no
    question is answered by all.

    >>> compare({"me": [1.0, None]}, [1, 0])["always 50%"]["brier_common"]
    0.25
    """
    os_ = _as_list(outcomes, "outcomes")
    table = {name: _as_list(ps, f"forecasts of {name!r}") for name, ps in forecasters.items()}
    if include_half:
        table["always 50%"] = [ALWAYS_HALF] * len(os_)
    for name, ps in table.items():
        if len(ps) != len(os_):
            raise ValueError(f"{name!r} has {len(ps)} forecasts for {len(os_)} questions")
    common = [i for i in range(len(os_)) if all(not _missing(ps[i]) for ps in table.values())]
    if not common:
        raise ValueError("no question is answered by every forecaster, so the scores cannot be compared")
    result = {}
    for name, ps in table.items():
        answered = [i for i in range(len(os_)) if not _missing(ps[i])]
        result[name] = {
            "brier": brier_score([ps[i] for i in answered], [os_[i] for i in answered]),
            "n": len(answered),
            "brier_common": brier_score([ps[i] for i in common], [os_[i] for i in common]),
            "n_common": len(common),
        }
    return result
