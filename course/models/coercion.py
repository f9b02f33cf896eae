"""Coercion: when does a target give in? A one-line expected-value model and what it leaves out.

Theory. Schelling (*Arms and Influence*, 1966, ch. 2) separates **deterrence** (a threat that keeps
an adversary from *starting* something) from **compellence** (a threat, often already under way,
that makes an adversary *stop or do* something; harder, because giving in is visible).
George (*Forceful Persuasion*, 1991) calls the defensive use of threats, with limited force and
an offer, **coercive diplomacy**. Pape (*Bombing to Win*, 1996, ch. 2) states the target's choice
as an expected-value comparison:

    value of resisting  R = B · p(B) − C · p(C)

where B is the benefit of resisting (what the target keeps), p(B) the probability it keeps it by
resisting, C the cost the coercer threatens and p(C) the probability the cost is inflicted. The
target **concedes when R is below the value of conceding** V (0 by default: conceding leaves it
where it is; a positive V stands for carrots offered with the threat, George's "positive
inducements").

Leaves out, by construction: the coercer's own costs and resolve (a threat must be credible to
raise p(C)); reputation and audience costs (why compellence is harder, Schelling); domestic
politics; several rounds and learning; private information (Fearon 1995); and the possibility
that the "target" reads the threat as an attack and escalates (Jervis 1976, spiral model).
"""

from __future__ import annotations

import math


def _number(name: str, value: float, *, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} is {value}; it must be a finite number")
    if low is not None and value < low:
        raise ValueError(f"{name} is {value}; it must be at least {low:g}")
    if high is not None and value > high:
        raise ValueError(f"{name} is {value}; it must be at most {high:g}")
    return value


def _check(benefit, p_benefit, cost, p_cost, concession_value=0.0):
    return (
        _number("benefit", benefit, low=0),
        _number("p_benefit", p_benefit, low=0, high=1),
        _number("cost", cost, low=0),
        _number("p_cost", p_cost, low=0, high=1),
        _number("concession_value", concession_value),
    )


def resistance_value(benefit: float, p_benefit: float, cost: float, p_cost: float) -> float:
    """Pape's (1996) value of resisting: benefit × p(benefit) − cost × p(cost).

    >>> resistance_value(10, 0.5, 8, 0.5)
    1.0
    """
    b, pb, c, pc, _ = _check(benefit, p_benefit, cost, p_cost)
    return b * pb - c * pc


def concedes(benefit: float, p_benefit: float, cost: float, p_cost: float,
             concession_value: float = 0.0) -> bool:
    """True when resisting is worth strictly less than conceding (a tie: the target resists)."""
    b, pb, c, pc, v = _check(benefit, p_benefit, cost, p_cost, concession_value)
    return b * pb - c * pc < v


def coercion_outcome(benefit: float, p_benefit: float, cost: float, p_cost: float,
                     concession_value: float = 0.0) -> dict:
    """Everything the calculator shows, as plain values.

    Returns ``{"resist": R, "concede": V, "margin": R − V, "concedes": bool,
    "cost_threshold": the threatened cost above which the target concedes}``.

    >>> coercion_outcome(10, 0.5, 12, 0.5)["concedes"]
    True
    """
    b, pb, c, pc, v = _check(benefit, p_benefit, cost, p_cost, concession_value)
    resist = b * pb - c * pc
    return {
        "resist": resist,
        "concede": v,
        "margin": resist - v,
        "concedes": resist < v,
        "cost_threshold": cost_threshold(b, pb, pc, v),
    }


def cost_threshold(benefit: float, p_benefit: float, p_cost: float, concession_value: float = 0.0) -> float:
    """The threatened cost C* at which resisting and conceding are worth the same:
    C* = (B · p(B) − V) / p(C); the target concedes for any cost above it.

    0.0 when the target concedes even to no threat (B · p(B) < V); ``math.inf`` when p(C) = 0
    and it would not (a threat that will surely not be carried out compels nothing).

    >>> cost_threshold(10, 0.5, 0.25)
    20.0
    """
    b, pb, _, pc, v = _check(benefit, p_benefit, 0.0, p_cost, concession_value)
    gain = b * pb - v
    if gain < 0:
        return 0.0
    if pc == 0:
        return math.inf
    return gain / pc
