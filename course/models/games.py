"""2x2 games: best responses, every Nash equilibrium (pure and mixed) computed by **nashpy**, and the
game's name from the ordinal order of the payoffs (Rapoport & Guyer 1966; Robinson & Goforth 2005).

Strategy 0 is "cooperate" (C), strategy 1 "defect" (D). ``row[i][j]`` is the row player's payoff
and ``col[i][j]`` the column player's when row plays i and column plays j. For each player write
R (both cooperate), S (I cooperate, the other defects), T (I defect, the other cooperates),
P (both defect). The named games, when both players have the same strict order:

- Prisoner's Dilemma: T > R > P > S      - Chicken (Hawk-Dove): T > R > S > P
- Stag Hunt (assurance): R > T > P > S   - Deadlock: T > P > R > S
- Harmony: R > T > S > P

Equilibria: nashpy's support enumeration assumes a non-degenerate game and can warn or miss
equilibria when payoffs tie; the course runs vertex enumeration *and* support enumeration (with
``non_degenerate=False``), keeps only profiles in which each strategy is a best response to the
other (checked with a tolerance of 1e-9: nashpy's own ``is_best_response`` compares floats exactly
and rejects, e.g., the mixed equilibrium (0.9, 0.1) of a Chicken game whose computed payoffs differ
in the 16th digit), and drops duplicates. In a degenerate game the equilibria can form a continuum; then the extreme points
are listed and ``degenerate`` is True.
"""

from __future__ import annotations

import math
import warnings
from itertools import product

import numpy as np

STRATEGIES = ("C", "D")
GAME_ORDERS = {
    "Prisoner's Dilemma": "TRPS",
    "Stag Hunt": "RTPS",
    "Chicken": "TRSP",
    "Deadlock": "TPRS",
    "Harmony": "RTSP",
}
CLASSIC = {
    "Prisoner's Dilemma": ((3, 0), (5, 1)),
    "Stag Hunt": ((4, 1), (3, 2)),
    "Chicken": ((3, 1), (4, 0)),
    "Deadlock": ((1, 0), (3, 2)),
    "Harmony": ((4, 2), (3, 1)),
}


def _matrix(name: str, payoffs) -> np.ndarray:
    try:
        array = np.array(payoffs, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2x2 table of numbers, e.g. [[3, 0], [5, 1]], not {payoffs!r}") from None
    if array.shape != (2, 2):
        raise ValueError(f"{name} must be a 2x2 table of numbers (2 rows of 2), not shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, not {payoffs!r}")
    return array


def symmetric(row) -> tuple[list[list[float]], list[list[float]]]:
    """The symmetric game whose row player has ``row``: the column player's table is its transpose."""
    a = _matrix("row", row)
    return a.tolist(), a.T.tolist()


def rstp(row, col) -> dict[str, dict[str, float]]:
    """Each player's R, S, T, P."""
    a, b = _matrix("row", row), _matrix("col", col)
    return {"row": {"R": a[0, 0], "S": a[0, 1], "T": a[1, 0], "P": a[1, 1]},
            "col": {"R": b[0, 0], "S": b[1, 0], "T": b[0, 1], "P": b[1, 1]}}


def _order(values: dict[str, float]) -> str | None:
    """The strict order of R, S, T, P from best to worst, or None if two tie."""
    if len(set(values.values())) < 4:
        return None
    return "".join(sorted(values, key=lambda k: -values[k]))


def game_name(row, col=None) -> str:
    """The game's name from the ordinal order of payoffs (``col`` defaults to the symmetric game);
    "other" when the players' orders differ, a payoff ties, or the order is none of the five.

    >>> game_name([[3, 0], [5, 1]])
    "Prisoner's Dilemma"
    """
    if col is None:
        row, col = symmetric(row)
    orders = rstp(row, col)
    mine, theirs = _order(orders["row"]), _order(orders["col"])
    if mine is None or mine != theirs:
        return "other"
    for name, order in GAME_ORDERS.items():
        if mine == order:
            return name
    return "other"


def best_responses(row, col) -> dict[str, dict[str, list[str]]]:
    """Each player's best pure responses to each pure strategy of the other (ties give both)."""
    a, b = _matrix("row", row), _matrix("col", col)
    out = {"row": {}, "col": {}}
    for j, s in enumerate(STRATEGIES):
        column = a[:, j]
        out["row"][s] = [STRATEGIES[i] for i in range(2) if math.isclose(column[i], column.max())]
    for i, s in enumerate(STRATEGIES):
        line = b[i, :]
        out["col"][s] = [STRATEGIES[j] for j in range(2) if math.isclose(line[j], line.max())]
    return out


def _clean(x: float) -> float:
    x = round(float(x), 9)
    return 0.0 if x == 0 else x


def _is_best_response(payoffs: np.ndarray, mine: np.ndarray, theirs: np.ndarray, tol: float = 1e-9) -> bool:
    """True when the mixed strategy ``mine`` earns, within ``tol``, the best payoff available against
    ``theirs`` (so every strategy it plays with positive probability is a best response)."""
    values = payoffs @ theirs
    return bool(mine @ values >= values.max() - tol * max(1.0, abs(values.max())))


def nash_equilibria(row, col) -> list[dict]:
    """Every Nash equilibrium (extreme points if there is a continuum), by nashpy.

    Each is ``{"row": [P(C), P(D)], "col": [P(C), P(D)], "pure": bool, "label": "(C, D)" or "mixed",
    "payoffs": [row's, col's]}``, sorted with pure equilibria first.

    >>> [e["label"] for e in nash_equilibria(*symmetric([[3, 1], [4, 0]]))]
    ['(C, D)', '(D, C)', 'mixed']
    """
    import nashpy as nash

    a, b = _matrix("row", row), _matrix("col", col)
    game = nash.Game(a, b)
    candidates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in (lambda: game.vertex_enumeration(),
                       lambda: game.support_enumeration(non_degenerate=False, tol=1e-12)):
            try:
                candidates.extend(method())
            except Exception:  # pragma: no cover - nashpy edge cases; the other method still runs
                continue
        # pure profiles checked directly, so no pure equilibrium is missed in a tied game
        for i, j in product(range(2), range(2)):
            candidates.append((np.eye(2)[i], np.eye(2)[j]))
    seen, found = set(), []
    for sigma_r, sigma_c in candidates:
        sigma_r, sigma_c = np.asarray(sigma_r, float), np.asarray(sigma_c, float)
        if not (np.all(sigma_r >= -1e-9) and np.all(sigma_c >= -1e-9)):
            continue
        if not (_is_best_response(a, sigma_r, sigma_c) and _is_best_response(b.T, sigma_c, sigma_r)):
            continue
        key = tuple(_clean(v) for v in (*sigma_r, *sigma_c))
        if key in seen:
            continue
        seen.add(key)
        pure = all(v in (0.0, 1.0) for v in key)
        label = f"({STRATEGIES[int(key[1] == 1.0)]}, {STRATEGIES[int(key[3] == 1.0)]})" if pure else "mixed"
        payoffs = game[sigma_r, sigma_c]
        found.append({"row": [key[0], key[1]], "col": [key[2], key[3]], "pure": pure, "label": label,
                      "payoffs": [_clean(payoffs[0]), _clean(payoffs[1])]})
    found.sort(key=lambda e: (not e["pure"], e["label"], -e["row"][0], -e["col"][0]))
    return found


def is_degenerate(row, col) -> bool:
    """True when some pure strategy has two best responses (a tie): the equilibria may then form a
    continuum, and methods that assume non-degeneracy can miss some."""
    return any(len(v) > 1 for side in best_responses(row, col).values() for v in side.values())


def analyse(row, col=None) -> dict:
    """Name, best responses, equilibria and degeneracy of a 2x2 game, as plain data."""
    if col is None:
        row, col = symmetric(row)
    a, b = _matrix("row", row), _matrix("col", col)
    return {"row": a.tolist(), "col": b.tolist(), "name": game_name(a, b),
            "best_responses": best_responses(a, b), "equilibria": nash_equilibria(a, b),
            "degenerate": is_degenerate(a, b)}
