"""One package or parallel tracks: what "unbundling" does to the chances of agreement.

Trenin (Jan 2022): "More potential for reaching agreements could lie in the unbundling of
Russia's raft of proposals and demands, and willingness to pursue parallel tracks". Moscow had
presented its drafts as a whole. This module makes the arithmetic behind the remark explicit.

Set-up: n items; item i would be agreed with probability p_i if negotiated on its own.

- **Package** (all or nothing): agreed only if every item is, with probability
  P(all) = p_1 × p_2 × … × p_n when the items are independent (the product rule of probability).
  Expected number of items agreed in the package: n × P(all).
- **Parallel tracks**: each item stands or falls alone. Expected number agreed:
  E[K] = p_1 + … + p_n (linearity of expectation; true whatever the dependence between items).
  P(at least one) = 1 − Π(1 − p_i) under independence. The number agreed, K, follows the
  Poisson-binomial distribution (computed exactly by convolution).

Dependence ("linkage"): items are rarely independent — the same political climate lifts or
sinks them together. Whatever the dependence, P(all) lies between the Fréchet–Hoeffding bounds
max(0, Σp_i − (n − 1)) and min_i p_i. The ``linkage`` parameter λ ∈ [0, 1] mixes the
independent case (λ = 0) with perfect positive dependence (λ = 1, the "comonotone" case in which
one common draw decides everything, so P(all) = min p_i). The mixture is a valid joint
distribution with the same p_i, so E[K] is unchanged; only the spread of K and P(all) move.

What the model leaves out: the p_i are taken as given, but the choice of agenda changes them.
Splitting a conflict into smaller issues can make each easier to settle (Roger Fisher,
"Fractionating Conflict", 1964 — the classic case for unbundling); adding issues to a package
can also *create* agreement by allowing trades across them, or destroy it (Sebenius,
"Negotiation arithmetic: adding and subtracting issues and parties", International
Organization 37(2), 1983, pp. 281-316, which cites Fisher).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def validate_probabilities(probabilities: Sequence[float]) -> list[float]:
    """Check a non-empty sequence of probabilities in [0, 1]; return them as floats."""
    if isinstance(probabilities, (str, bytes)) or not hasattr(probabilities, "__iter__"):
        raise TypeError("probabilities must be a list of numbers between 0 and 1")
    values = list(probabilities)
    if not values:
        raise ValueError("give at least one item's probability of agreement")
    clean = []
    for i, p in enumerate(values, start=1):
        if isinstance(p, bool) or not isinstance(p, (int, float)) and not hasattr(p, "__float__"):
            raise TypeError(f"item {i}: the probability must be a number, not {type(p).__name__}")
        number = float(p)
        if math.isnan(number) or not 0.0 <= number <= 1.0:
            raise ValueError(f"item {i}: the probability is {number}; it must be between 0 and 1")
        clean.append(number)
    return clean


def _linkage(linkage: float) -> float:
    if isinstance(linkage, bool) or not isinstance(linkage, (int, float)):
        raise TypeError(f"linkage must be a number between 0 and 1, not {type(linkage).__name__}")
    value = float(linkage)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"linkage is {value}; it must be between 0 (independent) and 1 (one common draw)")
    return value


def package_probability(probabilities: Sequence[float], linkage: float = 0.0) -> float:
    """P(every item agreed): Π p_i when independent, min p_i at linkage 1, a mixture between.

    >>> round(package_probability([0.6, 0.5, 0.4]), 6)
    0.12
    """
    ps = validate_probabilities(probabilities)
    lam = _linkage(linkage)
    return (1 - lam) * math.prod(ps) + lam * min(ps)


def expected_agreements(probabilities: Sequence[float]) -> float:
    """E[number of items agreed] on parallel tracks: Σ p_i (any dependence)."""
    return math.fsum(validate_probabilities(probabilities))


def expected_agreements_package(probabilities: Sequence[float], linkage: float = 0.0) -> float:
    """E[number of items agreed] when all are tabled as one package: n × P(all)."""
    ps = validate_probabilities(probabilities)
    return len(ps) * package_probability(ps, linkage)


def at_least_one(probabilities: Sequence[float], linkage: float = 0.0) -> float:
    """P(at least one item agreed) on parallel tracks: 1 − Π(1 − p_i) independent, max p_i at linkage 1."""
    ps = validate_probabilities(probabilities)
    lam = _linkage(linkage)
    return (1 - lam) * (1 - math.prod(1 - p for p in ps)) + lam * max(ps)


def agreements_distribution(probabilities: Sequence[float], linkage: float = 0.0) -> list[float]:
    """P(K = k) for k = 0..n, K = the number of items agreed on parallel tracks.

    Independent part: the Poisson-binomial distribution by convolution. Comonotone part (one
    common draw U; item i agreed when U < p_i): P(K ≥ k) is the k-th largest p_i.
    """
    ps = validate_probabilities(probabilities)
    lam = _linkage(linkage)
    n = len(ps)
    independent = [1.0] + [0.0] * n
    for p in ps:
        nxt = [0.0] * (n + 1)
        for k, mass in enumerate(independent):
            if mass:
                nxt[k] += mass * (1 - p)
                if k + 1 <= n:
                    nxt[k + 1] += mass * p
        independent = nxt
    ordered = sorted(ps, reverse=True)
    at_least = [1.0] + ordered + [0.0]  # P(K >= k) for k = 0..n+1
    comonotone = [at_least[k] - at_least[k + 1] for k in range(n + 1)]
    return [(1 - lam) * a + lam * b for a, b in zip(independent, comonotone)]


def frechet_bounds(probabilities: Sequence[float]) -> tuple[float, float]:
    """The bounds on P(all agreed) over every possible dependence: (max(0, Σp − (n−1)), min p)."""
    ps = validate_probabilities(probabilities)
    return max(0.0, math.fsum(ps) - (len(ps) - 1)), min(ps)


def compare(probabilities: Sequence[float], linkage: float = 0.0) -> dict:
    """Package versus tracks in one dict of plain values (for views and exercises)."""
    ps = validate_probabilities(probabilities)
    lower, upper = frechet_bounds(ps)
    return {
        "probabilities": ps,
        "linkage": _linkage(linkage),
        "n": len(ps),
        "package_probability": package_probability(ps, linkage),
        "package_probability_independent": math.prod(ps),
        "expected_agreements_tracks": expected_agreements(ps),
        "expected_agreements_package": expected_agreements_package(ps, linkage),
        "at_least_one_tracks": at_least_one(ps, linkage),
        "distribution_tracks": agreements_distribution(ps, linkage),
        "frechet_bounds": (lower, upper),
    }
