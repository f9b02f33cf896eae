"""The catalogue of packaged datasets: one :class:`Dataset` schema per CSV file.

To add a dataset: put ``name.csv`` (with a ``source`` column) beside this file, declare its
schema here, add it to ``DATASETS``, and give it a ``load_name()`` function in ``__init__``.
"""

from __future__ import annotations

import pandas as pd

from course.data.schema import Column, Dataset, row_problems

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
    return row_problems(
        frame, frame["wave_year"] != frame["accession_date"].dt.year, "wave_year",
        lambda row: f"{row.wave_year} differs from the year of accession_date {row.accession_date.date()}")


ENLARGEMENT = Dataset(
    file="nato_enlargement.csv",
    description=(
        "NATO members 1949-2024, one row per country, with Moscow's leaders at accession: "
        "moscow_top_office (the party leader of the USSR - Gorbachev also President of the USSR from "
        "March 1990 - and the President of Russia from 1991), moscow_paramount_leader (the course's "
        "reading of who led: the same except in the 2008-12 tandem, coded Putin), "
        "moscow_head_of_government (chairman of the Council of Ministers / prime minister)."
    ),
    columns=(
        Column("country"),
        Column("accession_date", "date"),
        Column("wave_year", "int", minimum=1949, maximum=2100),
        Column("category", "category", choices=ENLARGEMENT_CATEGORIES),
        Column("accession_type", "category", choices=("founding", "accession", "reunification")),
        Column("moscow_top_office"),         # holder of Moscow's top office (see ENLARGEMENT_COLUMNS)
        Column("moscow_paramount_leader"),   # the course's reading of who led; differs only in 2009
        Column("moscow_head_of_government"),
        Column("category_note", required=False),
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

TIMELINE_CATEGORIES = (
    "diplomacy",     # talks, summits, calls, drafts, replies
    "military",      # exercises, build-ups, deployments
    "nato",          # NATO decisions, summits, accessions
    "arms control",  # treaty signature, entry into force, suspension, withdrawal
    "sanctions",
    "statement",     # speeches, essays, addresses
    "domestic",
    "war",           # annexation, invasion, fighting, recognition of the "republics"
)
"""The shared vocabulary of ``timeline.csv``'s ``category`` column (one word per event)."""

TIMELINE = Dataset(
    file="timeline.csv",
    description="Dated events 1990-2026 that the course refers to, in eight categories (TIMELINE_CATEGORIES).",
    columns=(
        Column("date", "date"),
        Column("event"),
        Column(
            "category",
            "category",
            choices=TIMELINE_CATEGORIES,
        ),
        Column("detail", required=False),
        SOURCE,
    ),
    key=("date", "event"),
)

POSTWAR_ORDERS = Dataset(
    file="postwar_orders.csv",
    description=(
        "Post-war settlements and how the defeated (or losing) great power was treated: whether and "
        "when it joined the victors' core institution - coded as the victors' central SECURITY "
        "institution (Concert, League, NATO, the US-Japan alliance) - which other institutions it "
        "joined (filled only where the coding is disputed: Russia after 1991), and whether it later "
        "challenged the order (cases after Ikenberry, After Victory, 2001; the coding is the course's)."
    ),
    columns=(
        Column("case_id"),
        Column("settlement"),
        Column("year", "int", minimum=1600, maximum=2100),
        Column("power"),
        Column("outcome_for_power"),
        Column("initial_terms"),
        Column("core_institution"),
        Column("joined_core_year", "int", required=False, minimum=1600, maximum=2100),
        Column("cooperative_arrangements", required=False),
        Column("other_institutions_joined", required=False),
        Column("later_challenge", "bool"),
        Column("what_followed"),
        SOURCE,
    ),
    key=("case_id",),
)

VERDICT_SCORES = {
    "impossible": 0,
    "unlikely": 1,
    "limited or conditional": 2,
    "possible": 3,
    "already de facto": 4,
}
"""Trenin's verdict on a proposal coded on an ordinal 0-4 scale (higher = more feasible).

The coding is the course's reading of the article's wording: "impossible" (0); "unlikely" or
"harder, if not impossible" (1); possible only in a limited form or as part of a trade (2);
"possible" or "there's a chance" (3); "de facto being implemented" (4).
"""


def _verdict_score_matches_label(frame: pd.DataFrame) -> list[str]:
    expected = frame["article_verdict"].astype(str).map(VERDICT_SCORES)
    return row_problems(
        frame, frame["verdict_score"] != expected, "verdict_score",
        lambda row: f"{row.verdict_score} does not match the verdict {row.article_verdict!r} "
                    f"(expected {VERDICT_SCORES[str(row.article_verdict)]})")


PROPOSALS = Dataset(
    file="proposals.csv",
    description=(
        "The proposals Trenin weighs (the three core demands and their sub-issues), his verdict on "
        "each, and what the US and NATO written replies of 26 Jan 2022 put on the table."
    ),
    columns=(
        Column("proposal_id"),
        Column(
            "demand",
            "category",
            choices=(
                "end NATO expansion",
                "no new NATO infrastructure or offensive weapons",
                "withdraw post-1997 infrastructure",
            ),
        ),
        Column("proposal"),
        Column("article_section", "category", choices=("The Limits of Possibility", "What Next?")),
        Column("article_verdict", "category", choices=tuple(VERDICT_SCORES)),
        Column("verdict_score", "int", minimum=0, maximum=4),
        Column("article_quote"),
        Column("us_reply_2022_01_26"),
        Column("us_reply_status", "category",
               choices=("offered", "partly offered", "not offered", "not verified")),
        SOURCE,
    ),
    key=("proposal_id",),
    checks=(_verdict_score_matches_label,),
)

DEMANDS = (
    "end NATO expansion",
    "no new NATO infrastructure or offensive weapons",
    "withdraw post-1997 infrastructure",
)

TROOP_ESTIMATES = Dataset(
    file="troop_estimates.csv",
    description=(
        "Estimates of Russian troops near Ukraine during the two build-ups of 2021: who estimated, "
        "when, the figure (low-high; an empty high means 'more than low'), and where it was reported."
    ),
    columns=(
        Column("date", "date"),
        Column("estimator"),
        Column("estimator_type", "category", choices=("US", "Ukraine", "EU", "NATO", "open source", "Russia")),
        Column("buildup", "category", choices=("spring 2021", "autumn 2021")),
        Column("low", "int", minimum=0, maximum=1_000_000),
        Column("high", "int", required=False, minimum=0, maximum=1_000_000),
        Column("what_was_estimated"),
        SOURCE,
    ),
    key=("date", "estimator"),
)

DRAFT_ARTICLES = Dataset(
    file="draft_articles.csv",
    description=(
        "Articles of Russia's two drafts of 17 Dec 2021 (the treaty with the US, the agreement with "
        "NATO members), each mapped to one of the article's three demands (or 'other') and to the "
        "rows of proposals.csv it bears on (semicolon-separated proposal_id values)."
    ),
    columns=(
        Column("document", "category", choices=("us_treaty", "nato_agreement")),
        Column("article", "int", minimum=1, maximum=9),
        Column("provision"),
        Column("wording", required=False),
        Column("demand", "category", choices=DEMANDS + ("other",)),
        Column("proposal_ids", required=False),
        Column("article_number_verified", "bool"),
        SOURCE,
    ),
    key=("document", "article"),
)

CLAIM_SECTIONS = (
    "Introduction",
    "Roots",
    "Evolution of the Confrontation",
    "Forced Negotiations",
    "Security Guarantees",
    "The Limits of Possibility",
    "What Next?",
    "Countermeasures",
    "Kommersant interview",
)
"""The article's sections in order, plus the author's Kommersant interview of 29 Jan 2022."""

CLAIM_VERDICTS = ("accurate", "loose", "wrong", "borne out", "not borne out", "open")
"""accurate / loose / wrong judge a fact; borne out / not borne out / open judge a judgment or
forecast against what happened (open: cannot be judged yet, or contested)."""

CLAIMS = Dataset(
    file="claims.csv",
    description=(
        "The course-wide register of the article's checkable claims: short quote, kind, verdict, "
        "what happened and a primary source. Notebooks read a verdict from here instead of restating it."
    ),
    columns=(
        Column("claim_id"),
        Column("section", "category", choices=CLAIM_SECTIONS),
        Column("quote"),
        Column("kind", "category", choices=("fact", "judgment", "forecast")),
        Column("verdict", "category", choices=CLAIM_VERDICTS),
        Column("what_happened"),
        Column("date", "date", required=False),
        SOURCE,
    ),
    key=("claim_id",),
)

KENT_SCALE = {
    "almost certain": 0.93,
    "probable": 0.75,
    "chances about even": 0.50,
    "probably not": 0.30,
    "almost certainly not": 0.07,
}
"""Sherman Kent's words of estimative probability and their central values (Kent, "Words of
Estimative Probability", Studies in Intelligence 8(4), Fall 1964). The course uses them to turn
the article's wording into the probability it implies (``forecasts.csv``); the coding is the
course's reading, not the author's."""


def _forecast_rows_consistent(frame: pd.DataFrame) -> list[str]:
    def expected(row) -> float | None:
        return None if pd.isna(row.article_estimate) else KENT_SCALE[str(row.article_estimate)]

    def mismatch(row) -> bool:
        want, given = expected(row), row.article_probability
        if want is None or pd.isna(given):
            return (want is None) != bool(pd.isna(given))
        return abs(float(given) - want) > 1e-9

    bad = pd.Series([mismatch(row) for row in frame.itertuples()], index=frame.index, dtype=bool)
    problems = row_problems(
        frame, bad, "article_probability",
        lambda row: f"{row.article_probability} does not match the estimate {row.article_estimate!r} "
                    f"(expected {expected(row)}: estimate and probability are given together or not at all)")
    late = frame["resolves_by"] < frame["as_of"]
    problems += row_problems(frame, late, "resolves_by",
                             lambda row: f"{row.resolves_by.date()} is before as_of {row.as_of.date()}")
    after = (frame["outcome"] == 1) & (frame["resolution_date"] > frame["resolves_by"])
    problems += row_problems(frame, after.fillna(False), "resolution_date",
                             lambda row: f"{row.resolution_date.date()} is after resolves_by "
                                         f"{row.resolves_by.date()}, so the outcome cannot be 1")
    return problems


FORECASTS = Dataset(
    file="forecasts.csv",
    description=(
        "Forecasting questions as they stood on 21 Jan 2022, each with a resolution date, the "
        "outcome (1 happened, 0 did not), the resolution and its source, and, where the claims "
        "register codes a matching judgment, the article's words, their Kent-scale estimate and "
        "the probability they imply."
    ),
    columns=(
        Column("question_id"),
        Column("question"),
        Column("as_of", "date"),
        Column("resolves_by", "date"),
        Column("outcome", "int", minimum=0, maximum=1),
        Column("resolution"),
        Column("resolution_date", "date", required=False),
        Column("claim_id", required=False),
        Column("article_words", required=False),
        Column("article_estimate", "category", required=False, choices=tuple(KENT_SCALE)),
        Column("article_probability", "float", required=False, minimum=0, maximum=1),
        SOURCE,
    ),
    key=("question_id",),
    checks=(_forecast_rows_consistent,),
)

DATASETS: dict[str, Dataset] = {
    "enlargement": ENLARGEMENT,
    "treaties": TREATIES,
    "treaty_events": TREATY_EVENTS,
    "timeline": TIMELINE,
    "postwar_orders": POSTWAR_ORDERS,
    "proposals": PROPOSALS,
    "troop_estimates": TROOP_ESTIMATES,
    "draft_articles": DRAFT_ARTICLES,
    "claims": CLAIMS,
    "forecasts": FORECASTS,
}
