"""Filtering the course timeline by date range and category (the data of module 02's explorer).

A descriptive tool, not a theory: which events fall in a window and how they divide among the
eight categories of ``timeline.csv`` (:data:`course.data.catalog.TIMELINE_CATEGORIES`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from course.data.catalog import TIMELINE_CATEGORIES


def to_date(value, name: str = "date") -> pd.Timestamp:
    """A date from ``"2014-01-31"``, ``"2014-01"`` (the first of the month), a date or a Timestamp."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} must be a date such as '2014-01-31', not {value!r}")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} {value!r} is not a date (write it as 'YYYY-MM-DD')") from exc
    if pd.isna(stamp):
        raise ValueError(f"{name} {value!r} is not a date (write it as 'YYYY-MM-DD')")
    return stamp.normalize()


def check_categories(categories: Iterable[str] | None) -> list[str]:
    """The categories as a list in the dataset's order; None means all. Unknown ones raise."""
    if categories is None:
        return list(TIMELINE_CATEGORIES)
    if isinstance(categories, str):
        categories = [categories]
    chosen = [str(c) for c in categories]
    unknown = sorted(set(chosen) - set(TIMELINE_CATEGORIES))
    if unknown:
        raise ValueError(f"unknown timeline categor{'y' if len(unknown) == 1 else 'ies'} "
                         f"{', '.join(map(repr, unknown))}; choose from {', '.join(TIMELINE_CATEGORIES)}")
    return [c for c in TIMELINE_CATEGORIES if c in chosen]


def filter_events(timeline: pd.DataFrame, start, end, categories: Iterable[str] | None = None) -> pd.DataFrame:
    """Rows of ``timeline`` dated from ``start`` to ``end`` (both included) in ``categories``.

    Raises ``ValueError`` if ``start`` is after ``end`` or a category is unknown; an empty list of
    categories selects nothing.
    """
    start, end = to_date(start, "start"), to_date(end, "end")
    if start > end:
        raise ValueError(f"start {start.date()} is after end {end.date()}")
    missing = {"date", "category"} - set(timeline.columns)
    if missing:
        raise ValueError(f"the timeline needs the columns {', '.join(sorted(missing))}")
    chosen = check_categories(categories)
    mask = timeline["date"].between(start, end) & timeline["category"].astype(str).isin(chosen)
    return timeline.loc[mask].sort_values("date", kind="stable").reset_index(drop=True)


def counts_by_category(events: pd.DataFrame) -> dict[str, int]:
    """Number of events per category, every category listed (0 where none), in the dataset's order."""
    counts = events["category"].astype(str).value_counts()
    return {c: int(counts.get(c, 0)) for c in TIMELINE_CATEGORIES}
