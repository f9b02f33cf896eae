"""Jervis's four worlds (Jervis 1978, "Cooperation under the Security Dilemma", *World Politics*
30(2), pp. 211-214).

Two variables decide how hard cooperation is: whether the offence or the defence has the advantage,
and whether offensive and defensive postures can be told apart. Crossing them gives four worlds.
"""

from __future__ import annotations

WORLDS = {
    # (offence has the advantage, postures distinguishable) -> (name, gloss)
    (True, False): ("doubly dangerous",
                    "the offence has the advantage and arms cannot be told apart: every defensive step looks "
                    "like a threat and striking first pays; the security dilemma is at its sharpest"),
    (False, False): ("security dilemma, but security requirements may be compatible",
                     "the defence has the advantage but postures look alike: states still fear each other's "
                     "arms, yet a state that is secure in its defence can afford to wait"),
    (True, True): ("no security dilemma, but aggression possible",
                   "the offence has the advantage but offensive arms are recognisable: status-quo states can "
                   "signal their intentions, yet an aggressor is tempted and others get warning"),
    (False, True): ("doubly stable",
                    "the defence has the advantage and postures can be told apart: states can be secure "
                    "without threatening others"),
}


def jervis_world(offence_defence_balance: float, distinguishability: float) -> dict:
    """Jervis's world for a balance in [-1, 1] (negative: defence has the advantage; positive: offence)
    and a distinguishability in [0, 1] (0: offensive and defensive postures look the same; 1: clearly
    different; 0.5 or above counts as distinguishable).

    A balance of exactly 0 is coded as offence-dominant: Jervis stresses that what matters is what
    states *believe*, and a state unsure whether the defence holds acts as if it might not (the
    course's coding, stated so it can be argued with).

    >>> jervis_world(0.5, 0.2)["world"]
    'doubly dangerous'
    """
    for name, value, lo in (("offence_defence_balance", offence_defence_balance, -1.0),
                            ("distinguishability", distinguishability, 0.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= float(value) <= 1.0:
            raise ValueError(f"{name} must be a number from {lo:g} to 1, not {value!r}")
    offence = float(offence_defence_balance) >= 0.0
    distinct = float(distinguishability) >= 0.5
    name, gloss = WORLDS[(offence, distinct)]
    return {"offence_advantage": offence, "distinguishable": distinct, "world": name, "gloss": gloss}
