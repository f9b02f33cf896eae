"""The commitment problem: why no promise made today binds a future in which power has shifted.

Fearon ("Rationalist Explanations for War", International Organization 49(3), 1995) names three
rationalist reasons why states fight although war is costly; one is the *commitment problem*:
a state whose power is rising cannot credibly promise not to use its future strength, so the
declining state may prefer to fight now. Powell ("War as a Commitment Problem", International
Organization 60(1), 2006) generalises it: war occurs when a large, rapid shift in the
distribution of power means that no agreement is *self-enforcing* — the most the rising side can
credibly offer is worth less to the declining side than fighting today.

The model (two states, an infinite horizon, a pie worth 1 each period, discount factor ``delta``):

- the declining state D wins a war fought now with probability ``p_now``; a war costs it ``cost``
  (as a share of one period's pie) in every period, so fighting now is worth
  ``(p_now - cost) / (1 - delta)``;
- from the next period the rising state R is stronger: D would win with ``p_next = p_now - shift``.
  Whatever R promises today, tomorrow it can hold D to D's war value then, ``p_next - cost`` a
  period. The best R can *credibly* offer is the whole pie today and D's war value afterwards:
  ``1 + delta * (p_next - cost) / (1 - delta)``.

A self-enforcing deal exists iff that best offer is at least the value of war now, i.e. iff

    delta * shift <= (1 - delta) * (1 - p_now + cost)

(Powell 2006, the condition in his simple example). With no shift there is always a deal; the
larger the costs of war and the more the future is discounted, the larger the shift a deal can
absorb. A promise (a treaty, a pledge) changes nothing in this arithmetic unless it changes the
future distribution of power or the costs of breaking it — the article's "Cast-iron guarantees
simply don't exist" in model form.
"""

from __future__ import annotations

import math

__all__ = ["war_value", "best_credible_offer", "critical_shift", "commitment_problem", "deal_region"]


def _number(value: object, name: str, low: float, high: float, *, open_low: bool = False, open_high: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} is NaN")
    too_low = value <= low if open_low else value < low
    too_high = value >= high if open_high else value > high
    if too_low or too_high:
        lo, hi = ("(" if open_low else "["), (")" if open_high else "]")
        raise ValueError(f"{name} is {value}; it must lie in {lo}{low}, {high}{hi}")
    return value


def _check(p_now: float, shift: float, cost: float, delta: float) -> tuple[float, float, float, float]:
    p_now = _number(p_now, "p_now", 0, 1)
    shift = _number(shift, "shift", 0, 1)
    cost = _number(cost, "cost", 0, 1)
    delta = _number(delta, "delta", 0, 1, open_low=True, open_high=True)
    if shift > p_now:
        raise ValueError(f"shift {shift} is larger than p_now {p_now}: the declining state's chance of winning cannot fall below 0")
    return p_now, shift, cost, delta


def war_value(p: float, cost: float, delta: float) -> float:
    """Value of fighting for a state that wins with probability ``p`` and pays ``cost`` a period.

    >>> round(war_value(0.5, 0.1, 0.9), 6)
    4.0
    """
    p = _number(p, "p", 0, 1)
    cost = _number(cost, "cost", 0, 1)
    delta = _number(delta, "delta", 0, 1, open_low=True, open_high=True)
    return (p - cost) / (1 - delta)


def best_credible_offer(p_now: float, shift: float, cost: float, delta: float) -> float:
    """The most the rising state can credibly give the declining one: all of today's pie, then its war value."""
    p_now, shift, cost, delta = _check(p_now, shift, cost, delta)
    return 1 + delta * (p_now - shift - cost) / (1 - delta)


def critical_shift(p_now: float, cost: float, delta: float) -> float:
    """The largest shift in power a self-enforcing deal can absorb: (1 - delta)(1 - p_now + cost) / delta.

    >>> round(critical_shift(0.5, 0.1, 0.9), 6)
    0.066667
    """
    p_now, _, cost, delta = _check(p_now, 0.0, cost, delta)
    return (1 - delta) * (1 - p_now + cost) / delta


def commitment_problem(p_now: float, shift: float, cost: float, delta: float = 0.9) -> dict:
    """Is there a self-enforcing deal today? Plain values, for widgets and exercises.

    Returns ``war_now`` (the declining state's value of fighting now), ``best_offer`` (the best
    credible offer), ``critical_shift``, ``self_enforcing`` (bool: ``best_offer >= war_now``),
    ``share_needed_today`` (the share of today's pie the declining state must get to prefer peace;
    above 1 means no deal is possible) and ``p_next``.

    >>> commitment_problem(0.5, 0.0, 0.1)["self_enforcing"]
    True
    >>> commitment_problem(0.5, 0.2, 0.1)["self_enforcing"]
    False
    """
    p_now, shift, cost, delta = _check(p_now, shift, cost, delta)
    p_next = p_now - shift
    war_now = (p_now - cost) / (1 - delta)
    later = delta * (p_next - cost) / (1 - delta)
    best = 1 + later
    crit = (1 - delta) * (1 - p_now + cost) / delta
    return {
        "p_now": p_now,
        "p_next": p_next,
        "shift": shift,
        "cost": cost,
        "delta": delta,
        "war_now": war_now,
        "best_offer": best,
        "critical_shift": crit,
        "self_enforcing": bool(best >= war_now - 1e-12),
        "share_needed_today": war_now - later,
    }


def deal_region(p_now: float, delta: float, shifts: list[float], costs: list[float]) -> list[list[bool]]:
    """A grid of :func:`commitment_problem` verdicts: rows follow ``costs``, columns ``shifts``.

    Shifts larger than ``p_now`` are impossible and raise ``ValueError``.
    """
    if not shifts or not costs:
        raise ValueError("shifts and costs must each hold at least one value")
    return [[commitment_problem(p_now, s, c, delta)["self_enforcing"] for s in shifts] for c in costs]
