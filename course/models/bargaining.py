"""Fearon's bargaining range (Fearon 1995, "Rationalist Explanations for War", *International
Organization* 49(3), pp. 386-390).

Two states, A and B, dispute a good of size 1 (the issue space [0, 1]; x is A's share). War gives A
the whole good with probability ``p`` and costs each side a share of the good (``cost_a``, ``cost_b``).
A's expected value of war is ``p - cost_a``; B's is ``(1 - p) - cost_b``. Every deal x with
``p - cost_a <= x <= p + cost_b`` leaves both at least as well off as war: because war is costly the
range is never empty, and its width is ``cost_a + cost_b``. Rational states fight anyway when they
hold private information and have incentives to misrepresent it, or cannot commit to keep a deal
(Fearon 1995, pp. 390-409; Powell 2006, "War as a Commitment Problem").
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class BargainingRange:
    """The deals both sides prefer to war, as plain numbers (``as_dict()`` for answers)."""

    p: float
    cost_a: float
    cost_b: float
    low: float          # A's reservation value p - cost_a (clipped to 0)
    high: float         # p + cost_b, the most B concedes rather than fight (clipped to 1)
    width: float
    status_quo: float | None
    position: str | None  # "inside", "below" (A prefers war), "above" (B prefers war), or None

    def as_dict(self) -> dict:
        return asdict(self)


def _share(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number from 0 to 1, not {value!r}")
    value = float(value)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a number from 0 to 1, not {value!r}")
    return value


def bargaining_range(p: float, cost_a: float, cost_b: float, status_quo: float | None = None) -> BargainingRange:
    """The bargaining range [p - cost_a, p + cost_b] on [0, 1] (Fearon 1995).

    ``p``: A's probability of winning a war; ``cost_a``, ``cost_b``: each side's cost of war as a share of
    the good (0 to 1); ``status_quo``: A's current share, or None. The range is clipped to [0, 1]: a
    side cannot get more than the whole good. With zero costs the range shrinks to the single point p.

    >>> r = bargaining_range(0.7, 0.1, 0.2)
    >>> round(r.low, 3), round(r.high, 3), round(r.width, 3)
    (0.6, 0.9, 0.3)
    >>> bargaining_range(0.7, 0.1, 0.2, status_quo=0.4).position
    'below'
    """
    p = _share("p (the probability that A wins)", p)
    cost_a = _share("cost_a (A's cost of war)", cost_a)
    cost_b = _share("cost_b (B's cost of war)", cost_b)
    low = max(0.0, p - cost_a)
    high = min(1.0, p + cost_b)
    position = None
    if status_quo is not None:
        status_quo = _share("status_quo (A's current share)", status_quo)
        position = "below" if status_quo < low - 1e-12 else "above" if status_quo > high + 1e-12 else "inside"
    return BargainingRange(p, cost_a, cost_b, round(low, 12), round(high, 12), round(high - low, 12),
                           status_quo, position)


POSITION_TEXT = {
    "inside": "inside the range: both sides prefer the status quo to war",
    "below": "below the range: A expects more from war than the status quo gives it (A is dissatisfied)",
    "above": "above the range: B expects more from war than the status quo leaves it (B is dissatisfied)",
}


def describe(result: BargainingRange) -> str:
    """One sentence on the range and, if given, where the status quo lies."""
    text = (f"With p = {result.p:.2f}, cost_a = {result.cost_a:.2f} and cost_b = {result.cost_b:.2f}, "
            f"both sides prefer any deal giving A between {result.low:.2f} and {result.high:.2f} to war "
            f"(width {result.width:.2f}).")
    if result.position is not None:
        text += f" Status quo {result.status_quo:.2f}: {POSITION_TEXT[result.position]}."
    return text
