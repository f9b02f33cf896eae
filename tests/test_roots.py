"""Module 01 (Roots): the data facts the lecture and the exercises rely on, the enlargement
model's answers to the article's "four of five waves on Putin's watch", the post-war orders
dataset, and the enlargement explorer's state round trips.

Facts checked against shared/reference/facts.md (§1 #16, §3) and nato.int's member list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import data
from course.models import enlargement as model
from course.widgets import EnlargementExplorer

FOUNDERS = {
    "Belgium", "Canada", "Denmark", "France", "Iceland", "Italy", "Luxembourg", "Netherlands",
    "Norway", "Portugal", "United Kingdom", "United States",
}
# Trenin, Jan 2022: "the Baltics, Slovakia, Slovenia, Romania, and Bulgaria in 2004"
ARTICLE_2004 = {"Estonia", "Latvia", "Lithuania", "Slovakia", "Slovenia", "Romania", "Bulgaria"}
ARTICLE_DATE = "2022-01-21"
BOTH_OFFICES = ["moscow_top_office", "moscow_head_of_government"]
PARAMOUNT = ["moscow_paramount_leader"]


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return data.load_enlargement()


def _date(members: pd.DataFrame, country: str) -> pd.Timestamp:
    return members.set_index("country").loc[country, "accession_date"]


# --- enlargement facts ------------------------------------------------------------------------

def test_twelve_founders_on_4_april_1949(members):
    founders = members[members["accession_type"] == "founding"]
    assert set(founders["country"]) == FOUNDERS
    assert set(founders["accession_date"]) == {pd.Timestamp("1949-04-04")}


def test_the_2004_wave_is_seven_countries_on_29_march_and_matches_the_article(members):
    wave = members[members["accession_date"] == pd.Timestamp("2004-03-29")]
    assert len(wave) == 7
    assert set(wave["country"]) == ARTICLE_2004
    assert set(members.loc[members["wave_year"] == 2004, "country"]) == ARTICLE_2004


@pytest.mark.parametrize("country, date", [
    ("West Germany", "1955-05-06"),       # accession; 9 May 1955 was the first Council session
    ("North Macedonia", "2020-03-27"),
    ("Spain", "1982-05-30"),
    ("Finland", "2023-04-04"),
    ("Sweden", "2024-03-07"),
])
def test_accession_dates(members, country, date):
    assert _date(members, country) == pd.Timestamp(date)


@pytest.mark.parametrize("when, expected", [
    ("1949-04-04", 12), ("1949-04-03", 0), (1990, 16), (1999, 19), (2004, 26),
    (2020, 30), (2021, 30), (2023, 31), (2024, 32),
])
def test_member_counts(members, when, expected):
    assert model.member_count(members, when) == expected


def test_the_former_gdr_is_a_row_but_not_a_member_state(members):
    assert model.member_count(members, 1990) == 16
    assert model.member_count(members, 1990, count_east_germany=True) == 17
    assert model.counts_by_category(members, 1990)["former Warsaw Pact state"] == 1


def test_category_counts_add_up_to_the_rows(members):
    for year in (1990, 2004, 2024):
        counts = model.counts_by_category(members, year)
        assert sum(counts.values()) == len(model.members_as_of(members, year))
    assert model.counts_by_category(members, 2024)["formerly non-aligned"] == 2


def test_waves(members):
    table = model.waves(members)
    assert table["wave_year"].tolist() == [1952, 1955, 1982, 1999, 2004, 2009, 2017, 2020, 2023, 2024]
    assert table.loc[table["n_countries"].idxmax(), "wave_year"] == 2004
    assert int(table["wave_year"].diff().max()) == 27          # 1955 -> 1982 (exercise Q4)


def test_former_soviet_republics_are_the_baltic_states_and_none_joined_after_2004(members):
    soviet = members[members["category"] == "former Soviet republic"]
    assert set(soviet["country"]) == {"Estonia", "Latvia", "Lithuania"}
    assert soviet["wave_year"].max() == 2004


def test_share_of_post_1990_accessions_from_the_former_east(members):
    recent = members[(members["accession_type"] == "accession") & (members["wave_year"] > 1990)]
    east = recent["category"].isin(["former Warsaw Pact state", "former Soviet republic"])
    assert (int(east.sum()), len(recent)) == (10, 16)           # exercise Q5: 0.625


# --- "four of the five most recent waves on Putin's watch" -------------------------------------

def test_the_five_waves_before_the_article(members):
    assert model.recent_waves(members, ARTICLE_DATE)["wave_year"].tolist() == [1999, 2004, 2009, 2017, 2020]


def test_on_putins_watch_depends_on_the_offices_counted(members):
    assert model.waves_on_watch(members, "Putin", before=ARTICLE_DATE, offices=BOTH_OFFICES) == 4
    assert model.waves_on_watch(members, "Putin", before=ARTICLE_DATE, offices=["moscow_top_office"]) == 3
    # the other reading of the tandem: Putin, prime minister, as the paramount leader -> four
    assert model.waves_on_watch(members, "Putin", before=ARTICLE_DATE, offices=PARAMOUNT) == 4
    # 2009 is the wave that separates the two readings: Medvedev president, Putin prime minister
    wave_2009 = model.waves(members).set_index("wave_year").loc[2009]
    assert (wave_2009["moscow_top_office"], wave_2009["moscow_head_of_government"]) == ("Medvedev", "Putin")
    assert wave_2009["moscow_paramount_leader"] == "Putin"


def test_paramount_leader_differs_from_the_top_office_only_in_the_tandem(members):
    top = members["moscow_top_office"].str.replace(" (party leader)", "", regex=False)
    differs = members.loc[top != members["moscow_paramount_leader"], "wave_year"]
    assert set(differs) == {2009}
    tandem = members[members["wave_year"] == 2009]
    assert tandem["category_note"].str.contains("Tandem").all()


def test_albania_coding_is_flagged_where_q5_depends_on_it(members):
    albania = members.set_index("country").loc["Albania"]
    assert albania["category"] == "former Warsaw Pact state"
    assert "1968" in albania["category_note"] and "Q5" in albania["category_note"]
    recent = members[(members["accession_type"] == "accession") & (members["wave_year"] > 1990)]
    east = recent["category"].isin(["former Warsaw Pact state", "former Soviet republic"])
    assert (int(east.sum()), int((east & (recent["country"] != "Albania")).sum()), len(recent)) == (10, 9, 16)


def test_on_putins_watch_after_finland_and_sweden(members):
    assert model.recent_waves(members, "2025-01-01")["wave_year"].tolist() == [2009, 2017, 2020, 2023, 2024]
    assert model.waves_on_watch(members, "Putin", before="2025-01-01", offices=BOTH_OFFICES) == 5
    assert model.waves_on_watch(members, "Putin", before="2025-01-01", offices=["moscow_top_office"]) == 4
    assert model.waves_on_watch(members, "Putin", before="2025-01-01", offices=PARAMOUNT) == 5


def test_waves_on_watch_rejects_bad_offices(members):
    with pytest.raises(ValueError, match="unknown office"):
        model.waves_on_watch(members, "Putin", before=ARTICLE_DATE, offices=["tsar"])
    with pytest.raises(ValueError, match="at least one office"):
        model.waves_on_watch(members, "Putin", before=ARTICLE_DATE, offices=[])


def test_the_2_plus_4_treaty_is_in_the_timeline():
    timeline = data.load_timeline().set_index("date")
    row = timeline.loc[pd.Timestamp("1990-09-12")]
    assert "2+4" in row["event"]
    assert "nuclear" in row["detail"] and "former GDR" in row["detail"]


# --- post-war orders --------------------------------------------------------------------------

def test_postwar_orders_cases_and_coding():
    orders = data.load_postwar_orders().set_index("case_id")
    assert list(orders.index) == ["france_1815", "germany_1919", "west_germany_1945", "japan_1945", "russia_1991"]
    joined = orders["joined_core_year"]
    assert joined["france_1815"] == 1818       # Congress of Aix-la-Chapelle
    assert joined["germany_1919"] == 1926      # League of Nations
    assert joined["west_germany_1945"] == 1955  # NATO, as in nato_enlargement.csv
    assert joined["japan_1945"] == 1952        # San Francisco treaties in force
    assert pd.isna(joined["russia_1991"])
    assert orders["later_challenge"].to_dict() == {
        "france_1815": False, "germany_1919": True, "west_germany_1945": False,
        "japan_1945": False, "russia_1991": True,
    }
    assert (orders["joined_core_year"].dropna() > orders.loc[orders["joined_core_year"].notna(), "year"]).all()
    assert orders["source"].str.contains("Ikenberry").all()


def test_russia_joined_other_western_institutions():
    """NATO is coded as the security core; the other institutions Russia joined are listed, with dates
    checked against coe.int (28 Feb 1996), wto.org (22 Aug 2012) and the Denver/Birmingham summits."""
    russia = data.load_postwar_orders().set_index("case_id").loc["russia_1991"]
    joined = russia["other_institutions_joined"]
    for fact in ("Council of Europe (28 Feb 1996", "Denver", "1997", "Birmingham", "1998", "WTO (member from 22 Aug 2012)"):
        assert fact in joined
    assert "coe.int" in russia["source"] and "wto.org" in russia["source"]


def test_postwar_orders_agree_with_the_enlargement_data(members):
    orders = data.load_postwar_orders().set_index("case_id")
    assert orders.loc["west_germany_1945", "joined_core_year"] == _date(members, "West Germany").year


# --- the enlargement explorer: state set in Python and read back as plain values ---------------

def test_explorer_state_round_trip():
    explorer = EnlargementExplorer(year=2004)
    assert explorer.state == {"year": 2004}
    rebuilt = EnlargementExplorer(**explorer.state)
    assert rebuilt.state == explorer.state
    assert rebuilt.members == explorer.members and rebuilt.counts == explorer.counts


@pytest.mark.parametrize("year, count, joined", [
    (1990, 16, ["East Germany"]),
    (1999, 19, ["Czech Republic", "Hungary", "Poland"]),
    (2004, 26, sorted(ARTICLE_2004)),
    (2009, 28, ["Albania", "Croatia"]),
    (2020, 30, ["North Macedonia"]),
    (2024, 32, ["Sweden"]),
])
def test_explorer_reports_the_model(year, count, joined):
    explorer = EnlargementExplorer(year=year)
    assert explorer.member_count == count
    assert explorer.joined_this_year == joined
    assert len(explorer.members) == count
    assert "East Germany" not in explorer.members
    members = data.load_enlargement()
    assert explorer.counts == model.counts_by_category(members, year)


def test_explorer_set_and_year_property_redraw():
    explorer = EnlargementExplorer(year=1990)
    explorer.set(year=2009)
    assert explorer.state == {"year": 2009}
    assert (explorer.member_count, explorer.counts["former Yugoslav republic"]) == (28, 2)  # exercise Q6
    explorer.year = 2020
    assert explorer.state == {"year": 2020} and explorer.member_count == 30
    explorer.controls["year"].value = 2024          # what the slider does
    assert explorer.member_count == 32 and explorer.joined_this_year == ["Sweden"]


def test_explorer_text_summary_without_a_front_end():
    explorer = EnlargementExplorer(year=2004)
    text = repr(explorer)
    assert text.startswith("NATO at the end of 2004: 26 member states.")
    assert "Bulgaria, Estonia, Latvia" in text
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == explorer.summary()
    assert "Slovenia" in explorer.view.value          # the HTML view names the new members


def test_explorer_accepts_numpy_whole_numbers():
    explorer = EnlargementExplorer(year=np.int64(2017))
    assert explorer.state == {"year": 2017} and type(explorer.state["year"]) is int


@pytest.mark.parametrize("bad, error", [(2029, ValueError), (1948, ValueError), (2004.0, TypeError),
                                        ("2004", TypeError), (True, TypeError)])
def test_explorer_rejects_bad_years_instead_of_clipping(bad, error):
    with pytest.raises(error, match="year"):
        EnlargementExplorer(year=bad)
    explorer = EnlargementExplorer(year=2004)
    with pytest.raises(error, match="year"):
        explorer.set(year=bad)
    assert explorer.state == {"year": 2004}


def test_recent_waves_before_a_bare_year_excludes_that_year():
    from course.data import load_enlargement
    from course.models.enlargement import recent_waves

    members = load_enlargement()
    assert recent_waves(members, 2004, n=1)["wave_year"].tolist() == [1999]
    assert recent_waves(members, "2004-12-31", n=1)["wave_year"].tolist() == [2004]


# --- the fact-check of the lecture (issue 13) ---------------------------------------------------

def _lecture_text() -> str:
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "notebooks" / "01_roots.ipynb"
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])


def test_ikenberry_table_balancing_follows_domination():
    """After Victory (2001), ch. 3: domination provokes balancing against the leading state;
    abandonment leaves the others to balance among themselves."""
    text = _lecture_text()
    domination = next(line for line in text.splitlines() if line.startswith("| **domination**"))
    abandonment = next(line for line in text.splitlines() if line.startswith("| **abandonment**"))
    assert "balance against the leading state" in domination
    assert "balance among themselves" in abandonment and "against" not in abandonment


def test_the_lecture_names_the_applicants_and_the_commitments():
    text = _lecture_text()
    for needle in ("Asmus", "Goldgeier", "Helsinki Final Act", "Charter of Paris", "Istanbul",
                   "Zubok", "Lukyanov", "Karaganov", "Gorbachev", "Council of Europe", "World Trade Organization"):
        assert needle in text, needle
    assert "moscow_leader" not in text
