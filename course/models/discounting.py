"""How much of "never" is a moratorium of n years worth? Discounting over a decision-maker's horizon.

Trenin (Jan 2022): Ryabkov asked for "never ever", but "for the vast majority of today's
politicians and officials, however, 'never' may well mean 'not in my lifetime.' A figure of
sixty-nine or even forty-nine years would work just as well." Two standard ideas make the remark
precise.

1. **Discounting** (the present-value formula of any finance or public-economics textbook): a
   benefit of 1 in each future year t = 1, 2, … is worth (1 + r)^−t today at the discount rate r.
   A moratorium of n years is worth the annuity Σ_{t=1..n} (1 + r)^−t = (1 − (1 + r)^−n) / r;
   "never" is the perpetuity 1 / r. The share of "never" that n years are worth is therefore

       share(n, r) = 1 − (1 + r)^−n                      (discrete, annual)
       share(n, r) = 1 − e^(−r n)                         (continuous compounding)

2. **A horizon** H: a decision-maker who values only the years within H ("not in my lifetime",
   "not on my watch") sees a moratorium of n years as min(n, H) years, and "never" as H years:

       share(n, r, H) = (1 − (1 + r)^−min(n, H)) / (1 − (1 + r)^−H)     (r > 0)
       share(n, 0, H) = min(n, H) / H                                   (r = 0)

Edge cases, by definition here: n = 0 is worth 0; n = ∞ ("never") is worth 1; with r = 0 and
no horizon a finite moratorium is worth 0 of "never" (an infinite stream of undiscounted years
dwarfs any finite one — the logic of "never ever").
"""

from __future__ import annotations

import math

COMPOUNDING = ("discrete", "continuous")


def _check(years: float, rate: float, horizon: float | None, compounding: str) -> tuple[float, float, float | None]:
    for name, value in (("years", years), ("rate", rate)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    years, rate = float(years), float(rate)
    if math.isnan(years) or years < 0:
        raise ValueError(f"years is {years}; a moratorium lasts 0 or more years (math.inf = never)")
    if math.isnan(rate) or math.isinf(rate) or rate < 0:
        raise ValueError(f"rate is {rate}; the discount rate must be a finite number, 0 or more (0.05 = 5%)")
    if rate > 1:
        raise ValueError(f"rate is {rate}; give it as a fraction (0.05 for 5%), at most 1")
    if horizon is not None:
        if isinstance(horizon, bool) or not isinstance(horizon, (int, float)):
            raise TypeError(f"horizon must be a number of years or None, not {type(horizon).__name__}")
        horizon = float(horizon)
        if math.isnan(horizon) or horizon <= 0:
            raise ValueError(f"horizon is {horizon}; it must be more than 0 years (or None for no horizon)")
    if compounding not in COMPOUNDING:
        raise ValueError(f"compounding is {compounding!r}; choose 'discrete' or 'continuous'")
    return years, rate, horizon


def present_value(years: float, rate: float, compounding: str = "discrete") -> float:
    """Present value of a benefit of 1 a year for ``years`` years (math.inf = forever).

    Discrete: (1 − (1 + r)^−n) / r, with the limit n at r = 0. Continuous: (1 − e^(−rn)) / r.
    Forever at r = 0 is infinite.
    """
    years, rate, _ = _check(years, rate, None, compounding)
    if rate == 0:
        return math.inf if math.isinf(years) else years
    if math.isinf(years):
        return 1 / rate
    if compounding == "discrete":
        return (1 - (1 + rate) ** -years) / rate
    return (1 - math.exp(-rate * years)) / rate


def share_of_never(years: float, rate: float, horizon: float | None = None,
                   compounding: str = "discrete") -> float:
    """The share of "never" that a moratorium of ``years`` is worth (0 to 1); see the module docstring.

    >>> round(share_of_never(49, 0.05), 3)
    0.908
    """
    years, rate, horizon = _check(years, rate, horizon, compounding)
    if horizon is not None:
        seen = min(years, horizon)
        if rate == 0:
            return seen / horizon
        return present_value(seen, rate, compounding) / present_value(horizon, rate, compounding)
    if math.isinf(years):
        return 1.0
    if rate == 0:
        return 0.0
    if compounding == "discrete":
        return 1 - (1 + rate) ** -years
    return 1 - math.exp(-rate * years)


def years_for_share(share: float, rate: float, compounding: str = "discrete") -> float:
    """The (fractional) length of moratorium worth ``share`` of "never" with no horizon.

    Inverts 1 − (1 + r)^−n = share: n = −ln(1 − share) / ln(1 + r) (continuous: −ln(1 − share) / r).
    ``share`` must be in [0, 1); with r = 0 no finite length reaches a positive share (math.inf).
    """
    if isinstance(share, bool) or not isinstance(share, (int, float)):
        raise TypeError(f"share must be a number, not {type(share).__name__}")
    share = float(share)
    if math.isnan(share) or not 0 <= share < 1:
        raise ValueError(f"share is {share}; it must be at least 0 and below 1 (1 is only reached by never)")
    _, rate, _ = _check(0, rate, None, compounding)
    if share == 0:
        return 0.0
    if rate == 0:
        return math.inf
    if compounding == "discrete":
        return -math.log(1 - share) / math.log(1 + rate)
    return -math.log(1 - share) / rate


def share_table(lengths: tuple[float, ...], rate: float, horizon: float | None = None,
                compounding: str = "discrete") -> dict[float, float]:
    """``share_of_never`` for several moratorium lengths at once (length → share)."""
    return {length: share_of_never(length, rate, horizon, compounding) for length in lengths}
