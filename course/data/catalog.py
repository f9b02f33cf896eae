"""The catalogue of packaged datasets: one :class:`Dataset` schema per CSV file.

To add a dataset: put ``name.csv`` (with a ``source`` column) beside this file, declare its
schema here, add it to ``DATASETS``, and give it a ``load_name()`` function in ``__init__``.
"""

from __future__ import annotations

import pandas as pd

from course.data.schema import Column, Dataset

SOURCE = Column("source")

ENLARGEMENT_CATEGORIES = (
    "founding member",
    "Cold War accession",
    "former Warsaw Pact state",
    "former Soviet republic",
    "former Yugoslav republic",
    "formerly non-aligned",
)


def _wave_year_matches_date(frame: pd.DataFrame) -> list[str]:
    wrong = frame[frame["wave_year"] != frame["accession_date"].dt.year]
    return [
        f"line {i + 2}, column 'wave_year': {row.wave_year} differs from the year of "
        f"accession_date {row.accession_date.date()}"
        for i, row in wrong.iterrows()
    ]


ENLARGEMENT = Dataset(
    file="nato_enlargement.csv",
    description="NATO members 1949-2024, one row per country, with Moscow's leaders at accession.",
    columns=(
        Column("country"),
        Column("accession_date", "date"),
        Column("wave_year", "int", minimum=1949, maximum=2100),
        Column("category", "category", choices=ENLARGEMENT_CATEGORIES),
        Column("accession_type", "category", choices=("founding", "accession", "reunification")),
        Column("moscow_leader"),
        Column("moscow_head_of_government"),
        SOURCE,
    ),
    key=("country",),
    checks=(_wave_year_matches_date,),
)

TREATIES = Dataset(
    file="treaties.csv",
    description="Arms-control treaties and political agreements: signed, in force, legal nature.",
    columns=(
        Column("treaty_id"),
        Column("instrument"),
        Column("parties"),
        Column("signed", "date"),
        Column("in_force", "date", required=False),
        Column("legal_nature"),
        Column("legally_binding", "bool"),
        Column("notes", required=False),
        SOURCE,
    ),
    key=("treaty_id",),
)

TREATY_EVENTS = Dataset(
    file="treaty_events.csv",
    description="What happened to each instrument afterwards: notices, suspensions, exits, expiry.",
    columns=(
        Column("treaty_id"),
        Column("date", "date"),
        Column("party"),
        Column(
            "event",
            "category",
            choices=(
                "notice of withdrawal",
                "suspension",
                "halted participation",
                "withdrawal effective",
                "extension",
                "expiry",
                "superseded",
                "declared void",
            ),
        ),
        Column("detail", required=False),
        SOURCE,
    ),
    key=("treaty_id", "date", "party", "event"),
)

TIMELINE = Dataset(
    file="timeline.csv",
    description="Dated events 1990-2026 that the course refers to.",
    columns=(
        Column("date", "date"),
        Column("event"),
        Column(
            "category",
            "category",
            choices=("negotiation", "military", "nato", "treaty", "statement", "war"),
        ),
        Column("detail", required=False),
        SOURCE,
    ),
    key=("date", "event"),
)

DATASETS: dict[str, Dataset] = {
    "enlargement": ENLARGEMENT,
    "treaties": TREATIES,
    "treaty_events": TREATY_EVENTS,
    "timeline": TIMELINE,
}
