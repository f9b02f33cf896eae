"""A noisy iterated Prisoner's Dilemma: spirals from misperception.

Strategies: Cooperator, Defector, TitForTat (Axelrod 1984), GenerousTitForTat (Nowak & Sigmund 1992,
"Tit for tat in heterogeneous populations", *Nature* 355: after a defection, cooperate anyway with
probability g = min(1 - (T - R)/(R - S), (R - P)/(T - P)), 1/3 with the payoffs 5, 3, 1, 0) and Grim
(cooperate until the other defects once, then defect for ever). Noise, as in the Axelrod library: each
intended move is flipped with probability ``noise`` before it is played, and both players see the move
that was played, so a flip reads as a real defection (or cooperation) - the misperception Jervis
(1976, ch. 3) puts at the heart of spirals.

Written with numpy rather than the ``axelrod`` package: axelrod 4.14 pulls in torch (with several GB of
CUDA libraries) and dask, and takes tens of seconds to import, which is unreasonable for a classroom
laptop or Binder. Runs are seeded: the same arguments give the same moves on every machine. Per round
the generator draws, in this order, one number for each player's own randomness and one for each
player's noise, whatever the strategies, so changing one strategy does not shift the other's draws.
"""

from __future__ import annotations

import math

import numpy as np

STRATEGY_NAMES = ("Cooperator", "Defector", "TitForTat", "GenerousTitForTat", "Grim")
PD_PAYOFFS = {"R": 3.0, "S": 0.0, "T": 5.0, "P": 1.0}
MAX_ROUNDS = 100_000


def generosity(payoffs: dict | None = None) -> float:
    """Nowak & Sigmund's (1992) generosity g = min(1 - (T-R)/(R-S), (R-P)/(T-P))."""
    pay = _payoffs(payoffs)
    return min(1 - (pay["T"] - pay["R"]) / (pay["R"] - pay["S"]), (pay["R"] - pay["P"]) / (pay["T"] - pay["P"]))


def _payoffs(payoffs: dict | None) -> dict[str, float]:
    pay = dict(PD_PAYOFFS if payoffs is None else payoffs)
    if set(pay) != {"R", "S", "T", "P"}:
        raise ValueError(f"payoffs must have exactly the keys R, S, T, P, not {sorted(pay)}")
    pay = {k: float(v) for k, v in pay.items()}
    if not pay["T"] > pay["R"] > pay["P"] > pay["S"]:
        raise ValueError(f"an iterated Prisoner's Dilemma needs T > R > P > S, not {pay}")
    return pay


def _move(strategy: str, own: list[int], other: list[int], g: float, u: float) -> int:
    """1 = cooperate, 0 = defect."""
    if strategy == "Cooperator":
        return 1
    if strategy == "Defector":
        return 0
    if not other:
        return 1
    if strategy == "TitForTat":
        return other[-1]
    if strategy == "GenerousTitForTat":
        return 1 if other[-1] == 1 or u < g else 0
    # Grim: defect for ever once the other has defected
    return 0 if 0 in other else 1


def play_match(strategy_a: str, strategy_b: str, rounds: int = 200, noise: float = 0.0, seed: int = 0,
               payoffs: dict | None = None) -> dict:
    """Play ``rounds`` rounds; return the moves ("C"/"D" strings), scores and cooperation shares.

    >>> m = play_match("TitForTat", "TitForTat", rounds=10, noise=0.0)
    >>> m["cooperation"], m["moves_a"]
    (1.0, 'CCCCCCCCCC')
    """
    for name, value in (("strategy_a", strategy_a), ("strategy_b", strategy_b)):
        if value not in STRATEGY_NAMES:
            raise ValueError(f"{name} must be one of {', '.join(STRATEGY_NAMES)}, not {value!r}")
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or not 1 <= rounds <= MAX_ROUNDS:
        raise ValueError(f"rounds must be a whole number from 1 to {MAX_ROUNDS}, not {rounds!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or math.isnan(noise) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a probability from 0 to 1, not {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number 0 or above, not {seed!r}")
    pay = _payoffs(payoffs)
    g = generosity(pay)
    rng = np.random.default_rng(int(seed))
    draws = rng.random((int(rounds), 4))
    a, b = [], []
    flips = 0
    for t in range(int(rounds)):
        ua, ub, na, nb = draws[t]
        move_a = _move(strategy_a, a, b, g, ua)
        move_b = _move(strategy_b, b, a, g, ub)
        if na < noise:
            move_a, flips = 1 - move_a, flips + 1
        if nb < noise:
            move_b, flips = 1 - move_b, flips + 1
        a.append(move_a)
        b.append(move_b)
    table = {(1, 1): (pay["R"], pay["R"]), (1, 0): (pay["S"], pay["T"]),
             (0, 1): (pay["T"], pay["S"]), (0, 0): (pay["P"], pay["P"])}
    scores = [table[(x, y)] for x, y in zip(a, b)]
    n = int(rounds)
    return {
        "strategy_a": strategy_a, "strategy_b": strategy_b, "rounds": n, "noise": float(noise), "seed": int(seed),
        "moves_a": "".join("C" if x else "D" for x in a),
        "moves_b": "".join("C" if x else "D" for x in b),
        "score_a": sum(s[0] for s in scores) / n, "score_b": sum(s[1] for s in scores) / n,
        "cooperation_a": sum(a) / n, "cooperation_b": sum(b) / n,
        "cooperation": (sum(a) + sum(b)) / (2 * n),
        "mutual_cooperation": sum(1 for x, y in zip(a, b) if x and y) / n,
        "flips": flips,
    }


def cooperation_by_noise(strategy_a: str, strategy_b: str, noises, rounds: int = 200, seed: int = 0) -> dict:
    """Share of cooperative moves for each noise level (same seed for each)."""
    return {float(q): play_match(strategy_a, strategy_b, rounds, float(q), seed)["cooperation"] for q in noises}
