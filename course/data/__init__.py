"""Packaged datasets and their loaders.

Every loader returns a typed :class:`pandas.DataFrame` (dates as ``datetime64``, categories as
``Categorical``, integers as nullable ``Int64``) and raises :class:`DataError` naming the file,
line and column of the first malformed row. Every row carries a ``source``.

>>> from course import data
>>> data.load_enlargement().query("wave_year == 2004").shape[0]
7
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from course.data.catalog import DATASETS
from course.data.schema import Column, DataError, Dataset, read_dataset

__all__ = [
    "DATASETS",
    "Column",
    "DataError",
    "Dataset",
    "claim",
    "data_path",
    "load",
    "load_claims",
    "load_enlargement",
    "load_forecasts",
    "load_postwar_orders",
    "load_proposals",
    "load_timeline",
    "load_draft_articles",
    "load_treaties",
    "load_troop_estimates",
    "load_treaty_events",
]


def data_path(file: str) -> Path:
    """The path of a packaged data file."""
    return Path(str(resources.files("course.data").joinpath(file)))


@lru_cache(maxsize=None)
def _load_cached(name: str) -> pd.DataFrame:
    spec = DATASETS[name]
    return read_dataset(data_path(spec.file), spec)


def load(name: str) -> pd.DataFrame:
    """Load the dataset called ``name`` (a key of ``DATASETS``); a fresh copy each call."""
    if name not in DATASETS:
        raise KeyError(f"no dataset called {name!r}; the course has {', '.join(sorted(DATASETS))}")
    return _load_cached(name).copy()


def load_enlargement() -> pd.DataFrame:
    """NATO members, one row per country (1949-2024), with Moscow's leaders at accession."""
    return load("enlargement")


def load_treaties() -> pd.DataFrame:
    """Treaties and agreements: parties, signed, in force, legal nature, legally binding."""
    return load("treaties")


def load_treaty_events() -> pd.DataFrame:
    """Notices, suspensions, withdrawals, extensions and expiries, by party and date.

    Every ``treaty_id`` must name a row of ``treaties.csv``; an unknown one raises
    :class:`DataError` naming the line.
    """
    events = load("treaty_events")
    known = set(load("treaties")["treaty_id"])
    unknown = events[~events["treaty_id"].isin(known)]
    if len(unknown):
        index = unknown.index[0]
        raise DataError(
            f"treaty_events.csv, line {index + 2}, column 'treaty_id': {unknown.loc[index, 'treaty_id']!r} "
            f"is not a treaty_id in treaties.csv"
        )
    return events


def load_timeline() -> pd.DataFrame:
    """Dated events 1990-2026, each with a category and a source."""
    return load("timeline")


def load_postwar_orders() -> pd.DataFrame:
    """Post-war settlements (1815, 1919, 1945, 1991) and how the defeated power was treated."""
    return load("postwar_orders")


def load_proposals() -> pd.DataFrame:
    """The proposals Trenin weighs, his verdicts (0-4) and the US/NATO replies of 26 Jan 2022."""
    return load("proposals")


def load_troop_estimates() -> pd.DataFrame:
    """Named estimates of Russian troops near Ukraine in the spring and autumn build-ups of 2021."""
    return load("troop_estimates")


def load_draft_articles() -> pd.DataFrame:
    """Articles of Russia's drafts of 17 Dec 2021 mapped to the three demands and to proposals.csv.

    Every id in ``proposal_ids`` (semicolon-separated) must be a ``proposal_id`` of proposals.csv;
    an unknown one raises :class:`DataError` naming the line.
    """
    articles = load("draft_articles")
    known = set(load("proposals")["proposal_id"])
    for index, value in articles["proposal_ids"].items():
        for pid in _split_ids(value):
            if pid not in known:
                raise DataError(f"draft_articles.csv, line {index + 2}, column 'proposal_ids': {pid!r} "
                                f"is not a proposal_id in proposals.csv")
    return articles


def _split_ids(value) -> list[str]:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]



def load_claims() -> pd.DataFrame:
    """The register of the article's checkable claims (fact / judgment / forecast) and verdicts."""
    return load("claims")


def claim(claim_id: str) -> dict:
    """One row of the claims register as plain Python values (dates as ``YYYY-MM-DD`` or None).

    >>> claim("C02")["verdict"]
    'wrong'

    Raises ``KeyError`` naming the known ids if ``claim_id`` is not in the register. To show a row
    in a notebook use :func:`course.models.claims.render_claim`.
    """
    claims = load_claims().set_index("claim_id")
    if claim_id not in claims.index:
        raise KeyError(f"no claim {claim_id!r} in claims.csv; the ids run {', '.join(claims.index[:3])} ... "
                       f"{claims.index[-1]}")
    row = claims.loc[claim_id]
    date = row["date"]
    return {
        "claim_id": claim_id,
        "section": str(row["section"]),
        "quote": str(row["quote"]),
        "kind": str(row["kind"]),
        "verdict": str(row["verdict"]),
        "what_happened": str(row["what_happened"]),
        "date": None if pd.isna(date) else date.date().isoformat(),
        "source": str(row["source"]),
    }


def load_forecasts() -> pd.DataFrame:
    """Forecasting questions as of 21 Jan 2022: resolution, outcome (0/1), source, and the article's
    implied probability (Kent scale) with the id of the register row it comes from.

    Every non-empty ``claim_id`` must be a ``claim_id`` of claims.csv; an unknown one raises
    :class:`DataError` naming the line.
    """
    forecasts = load("forecasts")
    known = set(load("claims")["claim_id"])
    for index, value in forecasts["claim_id"].items():
        if value is not pd.NA and value is not None and str(value) not in known:
            raise DataError(f"forecasts.csv, line {index + 2}, column 'claim_id': {value!r} "
                            f"is not a claim_id in claims.csv")
    return forecasts
