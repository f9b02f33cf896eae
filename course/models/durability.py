"""Legal form versus durability: what a treaty costs to conclude, and how long agreements last.

Trenin (Jan 2022) judges that any agreement would be "of a political, not legally binding
nature", because a treaty would have to be ratified "by two-thirds of U.S. senators" — which is
imprecise: the US Constitution (Art. II, §2, cl. 2) requires "two thirds of the Senators
present". He also reminds the reader that states "are free to end those agreements too".

Two pieces of arithmetic follow.

- **The cost of concluding** (US side): votes needed = ceil(2/3 × senators present). In the
  117th Congress (January 2022) the Senate was split 50 Republicans to 48 Democrats plus 2
  independents caucusing with them (U.S. Senate, "Party Division", senate.gov); with all 100
  present a treaty needs 67 votes, so at least 17 senators from outside the Democratic caucus
  even if all 50 vote yes. Executive (intergovernmental) agreements and political declarations
  need no two-thirds vote — the basis of the article's "intergovernmental agreement" idea. But
  the Arms Control and Disarmament Act (22 U.S.C. §2573(b)) adds a rule: no action may
  "obligate the United States to reduce or limit the Armed Forces or armaments of the United
  States in a militarily significant manner" except by treaty or "further affirmative
  legislation" — so a *binding* arms-limitation agreement needs a treaty or a statute (majorities
  in both houses), and only a *political* commitment avoids Congress altogether. (Putnam, "Diplomacy and Domestic
  Politics: The Logic of Two-Level Games", International Organization 42(3), 1988: the size of
  the domestic "win-set" constrains what a negotiator can sign.)

- **Durability** (from ``treaties.csv`` and ``treaty_events.csv``): for each instrument, the
  years from entry into force (or signature, where the course has not verified entry into
  force) to the *first unilateral exit step by any party* — a notice of withdrawal, a suspension,
  halted participation, a withdrawal taking effect, or a declaration that the agreement is void.
  Expiry at the end of an agreed term and supersession by a new agreement are endings, not
  exits: they stop the clock without counting as an exit. Instruments with no exit are
  *censored* at the end of observation (``as_of``), so the crude exit rate per 100
  instrument-years (exits ÷ years observed, the person-time rate of epidemiology) is a fairer
  summary than the mean of the exited ones. Fearon ("Rationalist Explanations for War", 1995)
  names the underlying problem: a commitment problem arises when a party cannot credibly
  promise not to exploit a future change in its power or interests.

Caveat worth teaching: the course's list of instruments is a selection of famous cases, many
of them famous *because* they broke down; rates computed on it describe the list, not all
agreements.
"""

from __future__ import annotations

import math

import pandas as pd

SENATE_SIZE = 100

SENATE_JANUARY_2022 = {"Republicans": 50, "Democrats": 48, "Independents (caucusing with the Democrats)": 2}
"""117th Congress, January 2022 (U.S. Senate, "Party Division"): a 50-50 Senate; the Vice President breaks ties."""

EXIT_EVENTS = ("notice of withdrawal", "suspension", "halted participation", "withdrawal effective", "declared void")
"""Events counted as a unilateral exit step."""

END_EVENTS = ("expiry", "superseded")
"""Events that end an instrument without anyone leaving it."""

LEGAL_FORMS = {
    "treaty": {
        "to conclude (US)": "advice and consent of two thirds of the senators present (US Constitution, Art. II, s. 2, cl. 2)",
        "legally binding": True,
    },
    "intergovernmental (executive) agreement": {
        "to conclude (US)": (
            "no two-thirds Senate vote; but if it binds the US to limit its armaments in a militarily "
            "significant manner, a statute passed by Congress (22 U.S.C. s. 2573(b))"
        ),
        "legally binding": True,
    },
    "political declaration or commitment": {
        "to conclude (US)": "no ratification and no act of Congress; a statement by the executive or an alliance decision",
        "legally binding": False,
    },
}
"""The three legal forms the article weighs, and what each needs on the US side."""


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
    return value


def senate_votes_needed(present: int) -> int:
    """Votes needed for a treaty: two thirds of the senators present, rounded up.

    >>> senate_votes_needed(100), senate_votes_needed(98), senate_votes_needed(96)
    (67, 66, 64)
    """
    present = _whole(present, "present")
    if not 1 <= present <= SENATE_SIZE:
        raise ValueError(f"present is {present}; between 1 and {SENATE_SIZE} senators can be present")
    return math.ceil(2 * present / 3)  # exact in floating point for present <= 100


def cross_party_votes_needed(present: int, caucus_present: int) -> int:
    """Votes needed from outside a caucus whose ``caucus_present`` members are all present and vote yes.

    >>> cross_party_votes_needed(100, 50)   # January 2022: the Democratic caucus needs 17 Republicans
    17
    """
    needed = senate_votes_needed(present)
    caucus_present = _whole(caucus_present, "caucus_present")
    if not 0 <= caucus_present <= present:
        raise ValueError(f"caucus_present is {caucus_present}; it must be between 0 and the {present} present")
    return max(0, needed - caucus_present)


def durability_table(treaties: pd.DataFrame, events: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per instrument in force: start, first exit step (if any) and years to it.

    Columns: ``treaty_id``, ``instrument``, ``legal_nature``, ``legally_binding``, ``start``,
    ``start_basis`` ("in force" or "signed"), ``first_exit_date``, ``first_exit_party``,
    ``first_exit_event``, ``ended_by`` (expiry / superseded, if that came first), ``end``
    (end of observation), ``years`` (start → end, in years of 365.25 days), ``exited`` (bool).

    Instruments that never entered into force (``legal_nature`` says so) are left out. Events
    after ``as_of`` are ignored; ``as_of`` defaults to the latest event date in ``events``.
    """
    cutoff = pd.Timestamp(as_of) if as_of is not None else events["date"].max()
    known = set(treaties["treaty_id"])
    unknown = sorted(set(events["treaty_id"]) - known)
    if unknown:
        raise ValueError(f"events refer to instruments not in the treaties table: {unknown}")
    rows = []
    for t in treaties.itertuples(index=False):
        if "never in force" in str(t.legal_nature):
            continue
        start, basis = (t.in_force, "in force") if not pd.isna(t.in_force) else (t.signed, "signed")
        if start > cutoff:
            continue
        own = events[(events["treaty_id"] == t.treaty_id) & (events["date"] <= cutoff)].sort_values("date")
        exits = own[own["event"].astype(str).isin(EXIT_EVENTS)]
        endings = own[own["event"].astype(str).isin(END_EVENTS)]
        first_exit = exits.iloc[0] if len(exits) else None
        first_end = endings.iloc[0] if len(endings) else None
        exited = first_exit is not None and (first_end is None or first_exit["date"] <= first_end["date"])
        if exited:
            end = first_exit["date"]
        elif first_end is not None:
            end = first_end["date"]
        else:
            end = cutoff
        rows.append({
            "treaty_id": t.treaty_id,
            "instrument": t.instrument,
            "legal_nature": t.legal_nature,
            "legally_binding": bool(t.legally_binding),
            "start": start,
            "start_basis": basis,
            "first_exit_date": first_exit["date"] if exited else pd.NaT,
            "first_exit_party": first_exit["party"] if exited else None,
            "first_exit_event": str(first_exit["event"]) if exited else None,
            "ended_by": None if exited or first_end is None else str(first_end["event"]),
            "end": end,
            "years": (end - start).days / 365.25,
            "exited": bool(exited),
        })
    return pd.DataFrame(rows)


def exit_rates(table: pd.DataFrame, by: str = "legally_binding") -> pd.DataFrame:
    """Exits per 100 instrument-years, grouped by ``by`` (a column of :func:`durability_table`).

    Columns: ``instruments``, ``exits``, ``years_observed``, ``exits_per_100_years``,
    ``median_years_to_exit`` (among those that exited; NaN if none did).
    """
    if by not in table.columns:
        raise ValueError(f"no column {by!r} to group by; choose one of {list(table.columns)}")
    grouped = table.groupby(by)
    result = pd.DataFrame({
        "instruments": grouped.size(),
        "exits": grouped["exited"].sum().astype(int),
        "years_observed": grouped["years"].sum(),
    })
    result["exits_per_100_years"] = 100 * result["exits"] / result["years_observed"]
    result["median_years_to_exit"] = table[table["exited"]].groupby(by)["years"].median()
    return result
