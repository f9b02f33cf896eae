"""Kahn's escalation ladder (Herman Kahn, *On Escalation: Metaphors and Scenarios*, 1965).

Kahn's ladder has 44 rungs in seven groups, from "Ostensible Crisis" (rung 1) to "Spasm or
Insensate War" (rung 44), separated by thresholds such as "Don't rock the boat" and "No nuclear
use". The course names the first 20 rungs (the crisis rungs below the nuclear threshold, the ones
the events of 2022-2023 touch) and the seven groups; placing an event on a rung is always *the
course's coding*, stated with a rationale in ``escalation.csv`` so it can be argued with.

Kahn's own warning applies: the ladder is a metaphor and a "scenario generator", not a law. States
skip rungs, move down as well as up, and act on several rungs at once (the alert of 27 Feb 2022,
rung 11, came three days after the invasion, rung 12).
"""

from __future__ import annotations

import pandas as pd

RUNGS = {
    1: "Ostensible Crisis",
    2: "Political, Economic and Diplomatic Gestures",
    3: "Solemn and Formal Declarations",
    4: "Hardening of Positions - Confrontation of Wills",
    5: "Show of Force",
    6: "Significant Mobilization",
    7: "'Legal' Harassment - Retortions",
    8: "Harassing Acts of Violence",
    9: "Dramatic Military Confrontations",
    10: "Provocative Breaking Off of Diplomatic Relations",
    11: "Super-Ready Status",
    12: "Large Conventional War (or Actions)",
    13: "Large Compound Escalation",
    14: "Declaration of Limited Conventional War",
    15: "Barely Nuclear War",
    16: "Nuclear 'Ultimatums'",
    17: "Limited Evacuation (approximately 20 per cent)",
    18: "Spectacular Show or Demonstration of Force",
    19: "'Justifiable' Counterforce Attack",
    20: "'Peaceful' World-Wide Embargo or Blockade",
}
"""Kahn's rungs 1-20 (On Escalation, 1965, chs. III-V)."""

GROUPS = (
    (1, 3, "Subcrisis Maneuvering"),
    (4, 9, "Traditional Crises"),
    (10, 20, "Intense Crises"),
    (21, 25, "Bizarre Crises"),
    (26, 31, "Exemplary Central Attacks"),
    (32, 38, "Military Central Wars"),
    (39, 44, "Civilian Central Wars"),
)
"""Kahn's seven groups of rungs (first rung, last rung, name)."""

THRESHOLDS = {4: "Don't rock the boat", 10: "Nuclear war is unthinkable", 21: "No nuclear use"}
"""The thresholds crossed on entering a rung (Kahn 1965), for the rungs the course names."""

TOP = 44


def _rung(rung) -> int:
    if isinstance(rung, bool) or not isinstance(rung, int) or not 1 <= rung <= TOP:
        raise ValueError(f"a rung of Kahn's ladder is a whole number from 1 to {TOP}, not {rung!r}")
    return rung


def rung_name(rung: int) -> str:
    """The name of a rung (1-20); higher rungs give their group's name.

    >>> rung_name(11)
    'Super-Ready Status'
    """
    rung = _rung(rung)
    return RUNGS.get(rung, f"a rung of '{group(rung)}'")


def group(rung: int) -> str:
    """The group a rung belongs to (Kahn's seven units)."""
    rung = _rung(rung)
    return next(name for lo, hi, name in GROUPS if lo <= rung <= hi)


def thresholds_crossed(rung: int) -> list[str]:
    """The named thresholds at or below ``rung`` (crossed by reaching it)."""
    rung = _rung(rung)
    return [name for start, name in sorted(THRESHOLDS.items()) if start <= rung]


def _date(value, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as '2022-02-24', not {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as '2022-02-24', not {value!r}")
    return stamp.normalize()


def ladder_at(events: pd.DataFrame, date) -> dict:
    """Where the ladder stands on ``date``: the events up to and including it (oldest first), the
    latest event's rung, the highest rung reached so far, its group and the thresholds crossed.

    ``events`` needs the columns ``date`` (datetime), ``event`` and ``rung`` (as ``load_escalation()``
    gives). Before the first event: no events, rungs None.

    >>> from course.data import load_escalation
    >>> ladder_at(load_escalation(), "2022-02-28")["highest_rung"]
    12
    """
    missing = {"date", "event", "rung"} - set(events.columns)
    if missing:
        raise ValueError(f"events needs the columns date, event and rung; missing {', '.join(sorted(missing))}")
    day = _date(date, "date")
    shown = events[events["date"] <= day].sort_values(["date", "rung"], kind="stable")
    rows = [{"date": row.date.date().isoformat(), "event": str(row.event), "rung": int(row.rung)}
            for row in shown.itertuples()]
    if not rows:
        return {"date": day.date().isoformat(), "events": [], "latest_rung": None, "highest_rung": None,
                "group": None, "thresholds": []}
    highest = max(r["rung"] for r in rows)
    return {"date": day.date().isoformat(), "events": rows, "latest_rung": rows[-1]["rung"],
            "highest_rung": highest, "group": group(highest), "thresholds": thresholds_crossed(highest)}


def steps(events: pd.DataFrame) -> list[dict]:
    """Each event with the change of rung from the previous one (+ up, - down), oldest first."""
    out, previous = [], None
    for row in events.sort_values(["date", "rung"], kind="stable").itertuples():
        rung = int(row.rung)
        out.append({"date": row.date.date().isoformat(), "event": str(row.event), "rung": rung,
                    "change": None if previous is None else rung - previous})
        previous = rung
    return out
