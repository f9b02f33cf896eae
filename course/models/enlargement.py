"""NATO enlargement: membership at a date, counts by category, waves and who ruled in Moscow.

Data: :func:`course.data.load_enlargement` (one row per member state). A *wave* here is the
set of states that joined NATO by accession in one calendar year; the founding of 1949 and
the former GDR's entry by German reunification in 1990 are not accessions and are not waves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

AsOf = int | str | dt.date | pd.Timestamp


def as_of_timestamp(when: AsOf) -> pd.Timestamp:
    """Turn a year (end of that year), an ISO date string or a date into a Timestamp."""
    if isinstance(when, bool):
        raise TypeError("a year or a date is needed, not a bool")
    if isinstance(when, int):
        if not 1900 <= when <= 2100:
            raise ValueError(f"year {when} is outside 1900-2100")
        return pd.Timestamp(year=when, month=12, day=31)
    try:
        return pd.Timestamp(when)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{when!r} is not a year or a date (YYYY-MM-DD)") from exc


def members_as_of(members: pd.DataFrame, when: AsOf) -> pd.DataFrame:
    """The rows of ``members`` whose accession date is on or before ``when``.

    ``when`` is a year (meaning 31 December of it), an ISO date or a date.
    """
    cutoff = as_of_timestamp(when)
    return members[members["accession_date"] <= cutoff].sort_values(["accession_date", "country"])


def member_count(members: pd.DataFrame, when: AsOf, *, count_east_germany: bool = False) -> int:
    """How many member states NATO had at ``when``.

    East Germany is a row in the data (its territory joined with united Germany in 1990)
    but not a member state: it is left out of the count unless ``count_east_germany``.
    """
    rows = members_as_of(members, when)
    if not count_east_germany:
        rows = rows[rows["accession_type"] != "reunification"]
    return int(len(rows))


def counts_by_category(members: pd.DataFrame, when: AsOf) -> dict[str, int]:
    """Member rows at ``when`` counted by category, every category listed (zeros included)."""
    rows = members_as_of(members, when)
    counts = rows["category"].value_counts(sort=False)
    return {str(category): int(counts.get(category, 0)) for category in members["category"].cat.categories}


def waves(members: pd.DataFrame) -> pd.DataFrame:
    """One row per accession wave: year, date, countries, size, and Moscow's leaders.

    Columns: ``wave_year``, ``accession_date`` (the first of the wave), ``countries`` (a
    comma-separated, sorted string), ``n_countries``, ``moscow_top_office``,
    ``moscow_paramount_leader``, ``moscow_head_of_government``.
    """
    accessions = members[members["accession_type"] == "accession"]
    grouped = accessions.sort_values("country").groupby("wave_year", sort=True)
    table = grouped.agg(
        accession_date=("accession_date", "min"),
        countries=("country", lambda names: ", ".join(names)),
        n_countries=("country", "size"),
        moscow_top_office=("moscow_top_office", "first"),
        moscow_paramount_leader=("moscow_paramount_leader", "first"),
        moscow_head_of_government=("moscow_head_of_government", "first"),
    )
    return table.reset_index()


def recent_waves(members: pd.DataFrame, before: AsOf, n: int = 5) -> pd.DataFrame:
    """The ``n`` most recent waves that happened before ``before``.

    A bare year means the start of that year: ``before=2004`` leaves the 2004 wave out.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    cutoff = as_of_timestamp(before)
    if isinstance(before, int):
        cutoff = pd.Timestamp(year=before, month=1, day=1)
    table = waves(members)
    return table[table["accession_date"] < cutoff].tail(n).reset_index(drop=True)


def waves_on_watch(
    members: pd.DataFrame,
    leader: str,
    *,
    before: AsOf,
    n: int = 5,
    offices: Iterable[str] = ("moscow_top_office", "moscow_head_of_government"),
) -> int:
    """How many of the ``n`` most recent waves before ``before`` had ``leader`` in one of ``offices``.

    Trenin (Jan 2022): "Of the five most recent waves of NATO expansion, four of them happened
    on Putin's watch." Whether that holds depends on the offices counted: with the head of
    government included, 2009 (Putin as prime minister under Medvedev) counts; so it does with
    ``offices=["moscow_paramount_leader"]``, the reading that Putin stayed the paramount leader in
    the 2008-12 tandem. With ``["moscow_top_office"]`` (the president) it does not.
    """
    table = recent_waves(members, before, n)
    offices = list(offices)
    if not offices:
        raise ValueError(
            "name at least one office: 'moscow_top_office', 'moscow_paramount_leader' "
            "or 'moscow_head_of_government'"
        )
    for office in offices:
        if office not in table.columns:
            raise ValueError(f"unknown office {office!r}")
    held = table[offices].apply(lambda row: leader in set(row), axis=1)
    return int(held.sum())
