"""The US ratification arithmetic, in full.

**The Constitution.** The President "shall have Power, by and with the Advice and Consent of the
Senate, to make Treaties, provided two thirds of the Senators present concur" (US Constitution,
Art. II, s. 2, cl. 2). Two thirds of those *present*, not of all senators: absences and
vacancies lower the bar, and a quorum — a majority (Art. I, s. 5), counted in Senate practice
of the senators duly chosen and sworn — must be present. The Vice President votes only when the
Senate is "equally divided" (Art. I, s. 3), so in the 50-50 Senate of January 2022 the tie-breaker
was no help on a two-thirds vote: with all 100 present a treaty needed 67 votes, at least 17 from
outside the Democratic caucus even if all 50 of its members voted yes. Trenin's "two-thirds of
U.S. senators" is therefore loose.

**The statute the article leaves out.** Under the Arms Control and Disarmament Act
(22 U.S.C. s. 2573(b)), no action "would obligate the United States to reduce or limit the Armed
Forces or armaments of the United States in a militarily significant manner, except pursuant to
the treaty-making power ... or unless authorized by the enactment of further affirmative
legislation by the Congress". A *binding* US commitment to limit armaments significantly thus
needs a treaty (two thirds of the senators present) or a statute (a majority in both Houses: a
congressional-executive agreement). Only a *political* commitment — not legally binding —
avoids Congress altogether; an "intergovernmental agreement" that binds does not.

Putnam ("Diplomacy and Domestic Politics: The Logic of Two-Level Games", International
Organization 42(3), 1988): the domestic ratification rule sets the size of the win-set and so
what a negotiator can credibly sign.
"""

from __future__ import annotations

import math

__all__ = [
    "SENATE_SEATS",
    "JANUARY_2022",
    "votes_needed",
    "quorum",
    "ratification_vote",
    "approval_route",
]

SENATE_SEATS = 100

JANUARY_2022 = {"supporters": 50, "opponents": 50, "vacancies": 0}
"""117th Congress, January 2022: 48 Democrats + 2 independents caucusing with them (the
President's party, "supporters" of a treaty he signs, in the model's default) and 50 Republicans."""


def _whole(value: object, name: str, low: int = 0, high: int = SENATE_SEATS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} is {value}; it must be between {low} and {high}")
    return value


def votes_needed(present: int) -> int:
    """Two thirds of the senators present, rounded up (Art. II, s. 2, cl. 2).

    >>> votes_needed(100), votes_needed(99), votes_needed(97), votes_needed(51)
    (67, 66, 65, 34)
    """
    present = _whole(present, "present", 1)
    return math.ceil(2 * present / 3)  # exact for present <= 100


def quorum(vacancies: int = 0) -> int:
    """A majority of the senators duly chosen and sworn (Art. I, s. 5; Senate practice).

    >>> quorum(0), quorum(2)
    (51, 50)
    """
    vacancies = _whole(vacancies, "vacancies", 0, SENATE_SEATS - 1)
    return (SENATE_SEATS - vacancies) // 2 + 1


def ratification_vote(
    supporters: int = 50,
    opponents: int = 50,
    vacancies: int = 0,
    *,
    absent_supporters: int = 0,
    absent_opponents: int = 0,
    defections: int = 0,
    crossovers: int = 0,
) -> dict:
    """Does a treaty get the advice and consent of two thirds of the senators present?

    ``supporters`` and ``opponents`` are the seats of the two camps (e.g. the President's caucus
    and the other party); with ``vacancies`` they must add up to 100. ``defections`` are
    supporters present who vote no; ``crossovers`` are opponents present who vote yes. Every
    senator present votes. Returns plain values: ``present``, ``quorum``, ``quorum_met``,
    ``needed``, ``yes``, ``no``, ``passes``, ``crossovers_needed`` (with the defections given)
    and ``margin`` (yes minus needed).

    >>> r = ratification_vote(50, 50)
    >>> r["needed"], r["crossovers_needed"], r["passes"]
    (67, 17, False)
    >>> ratification_vote(50, 50, crossovers=17)["passes"]
    True
    """
    supporters = _whole(supporters, "supporters")
    opponents = _whole(opponents, "opponents")
    vacancies = _whole(vacancies, "vacancies", 0, SENATE_SEATS - 1)
    if supporters + opponents + vacancies != SENATE_SEATS:
        raise ValueError(
            f"supporters ({supporters}) + opponents ({opponents}) + vacancies ({vacancies}) "
            f"= {supporters + opponents + vacancies}; they must add up to {SENATE_SEATS}"
        )
    absent_supporters = _whole(absent_supporters, "absent_supporters", 0, supporters)
    absent_opponents = _whole(absent_opponents, "absent_opponents", 0, opponents)
    supporters_present = supporters - absent_supporters
    opponents_present = opponents - absent_opponents
    present = supporters_present + opponents_present
    if present == 0:
        raise ValueError("no senator is present; nothing can be voted on")
    defections = _whole(defections, "defections", 0, supporters_present)
    crossovers = _whole(crossovers, "crossovers", 0, opponents_present)
    needed = votes_needed(present)
    q = quorum(vacancies)
    yes = supporters_present - defections + crossovers
    quorum_met = present >= q
    return {
        "present": present,
        "quorum": q,
        "quorum_met": quorum_met,
        "needed": needed,
        "yes": yes,
        "no": present - yes,
        "passes": bool(quorum_met and yes >= needed),
        "crossovers_needed": max(0, needed - (supporters_present - defections)),
        "crossovers_available": opponents_present,
        "margin": yes - needed,
    }


def approval_route(legally_binding: bool, limits_armaments_significantly: bool) -> str:
    """What US domestic approval a commitment needs (Art. II s. 2; 22 U.S.C. s. 2573(b)).

    >>> approval_route(False, True)
    'none: a political commitment binds no one in law, so Congress need not approve it'
    """
    if not isinstance(legally_binding, bool) or not isinstance(limits_armaments_significantly, bool):
        raise TypeError("legally_binding and limits_armaments_significantly must be True or False")
    if not legally_binding:
        return "none: a political commitment binds no one in law, so Congress need not approve it"
    if limits_armaments_significantly:
        return ("treaty (two thirds of the senators present) or statute (majority of both Houses): "
                "22 U.S.C. s. 2573(b)")
    return ("treaty, or an executive agreement on the President's own authority or under a statute "
            "(no two-thirds vote)")
