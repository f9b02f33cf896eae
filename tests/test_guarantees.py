"""Module 03 (Guarantees): data facts, the commitment and ratification models, durability's
measures (notice vs effect, formal exits vs violations, by party), the explorers, the lesson plan."""

from __future__ import annotations


import pandas as pd
import pytest

from course import data
from course.data import DataError
from course.data.schema import read_dataset
from course.models import commitment, durability, ratification
from course.widgets import CommitmentProblemExplorer, RatificationCalculator, TreatyLifetimeChart



# --- data -----------------------------------------------------------------------------------

def test_corrected_treaty_dates():
    treaties = data.load_treaties().set_index("treaty_id")
    assert treaties.loc["abm", "in_force"] == pd.Timestamp("1972-10-03")
    assert pd.isna(treaties.loc["ctbt", "in_force"]) and "never in force" in treaties.loc["ctbt", "legal_nature"]
    events = data.load_treaty_events()
    us_inf = events[(events["treaty_id"] == "inf") & (events["party"] == "United States")].set_index("event")
    assert us_inf.loc["suspension", "date"] == pd.Timestamp("2019-02-02")
    assert us_inf.loc["suspension", "announced"] == pd.Timestamp("2019-02-01")
    assert us_inf.loc["notice of withdrawal", "date"] == pd.Timestamp("2019-02-02")
    assert us_inf.loc["withdrawal effective", "date"] == pd.Timestamp("2019-08-02")


def test_every_exit_is_dated_at_notice_and_at_effect_or_says_why_not():
    events = data.load_treaty_events()
    for row in events[events["event"] == "withdrawal effective"].itertuples():
        own = events[(events["treaty_id"] == row.treaty_id) & (events["party"] == row.party)]
        noticed = (own["event"] == "notice of withdrawal").any() or not pd.isna(row.announced)
        assert noticed or "not verified" in str(row.detail), (row.treaty_id, row.party)


def test_violations_are_recorded_from_both_sides():
    events = data.load_treaty_events()
    accusations = events[events["event"].isin(["alleged violation", "compliance finding", "rebuttal"])]
    assert {"United States", "Russia"} <= set(accusations["party"])
    finding = accusations[(accusations["treaty_id"] == "inf") & (accusations["event"] == "compliance finding")].iloc[0]
    assert finding["date"].year == 2014 and finding["against"] == "Russia"
    assert "did not name the missile" in finding["detail"] and "9M729" in finding["detail"]
    russian = accusations[(accusations["treaty_id"] == "inf") & (accusations["party"] == "Russia")].iloc[0]
    assert "Mk-41" in russian["detail"] and russian["against"] == "United States"
    crimea = accusations[accusations["treaty_id"] == "budapest"]
    assert set(crimea["party"]) == {"United States", "Russia"}


def test_unverified_rows_say_what_was_not_checked():
    events = data.load_treaty_events()
    for row in events[~events["verified"]].itertuples():
        assert "not" in str(row.detail) and ("verified" in str(row.detail) or "re-checked" in str(row.detail))


def test_nuclear_arsenals():
    arsenals = data.load_nuclear_arsenals()
    assert arsenals["source"].str.len().min() > 10 and arsenals["table"].str.len().min() > 5
    official = arsenals[arsenals["estimate"] == "official"].set_index("year")["warheads"]
    assert official[1967] == 31255 == official.max()
    assert official[2020] == 3750
    early_2022 = arsenals[(arsenals["year"] == 2022)].set_index(["country", "measure"])["warheads"]
    assert early_2022[("Russia", "total inventory")] == 5977 and early_2022[("United States", "total inventory")] == 5428
    wide = arsenals.pivot_table(index=["year", "country", "estimate"], columns="measure", values="warheads").dropna()
    assert (wide["military stockpile"] <= wide["total inventory"]).all() and len(wide) == 6


def test_a_bad_arsenal_row_names_file_line_and_column(tmp_path):
    text = data.data_path("nuclear_arsenals.csv").read_text(encoding="utf-8")
    broken = text.replace(",Russia,total inventory,5977,", ",Russia,total inventory,lots,")
    path = tmp_path / "nuclear_arsenals.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError, match=r"nuclear_arsenals.csv, line \d+, column 'warheads'"):
        read_dataset(path, data.DATASETS["nuclear_arsenals"])


# --- commitment (Fearon 1995; Powell 2006) ----------------------------------------------------

def test_no_shift_means_a_deal_always_exists():
    for p in (0.0, 0.3, 1.0):
        for c in (0.0, 0.5):
            assert commitment.commitment_problem(p, 0.0, c, 0.9)["self_enforcing"]


def test_the_critical_shift_is_the_boundary():
    crit = commitment.critical_shift(0.5, 0.1, 0.9)
    assert crit == pytest.approx((1 - 0.9) * (1 - 0.5 + 0.1) / 0.9)
    assert commitment.commitment_problem(0.5, crit - 1e-6, 0.1)["self_enforcing"]
    assert not commitment.commitment_problem(0.5, crit + 1e-6, 0.1)["self_enforcing"]
    # costlier war and a more heavily discounted future both absorb larger shifts
    assert commitment.critical_shift(0.5, 0.3, 0.9) > crit
    assert commitment.critical_shift(0.5, 0.1, 0.5) > crit


def test_values_and_share_needed():
    r = commitment.commitment_problem(0.5, 0.2, 0.1, 0.9)
    assert r["war_now"] == pytest.approx(4.0)
    assert r["best_offer"] == pytest.approx(1 + 0.9 * 0.2 / 0.1)
    assert r["share_needed_today"] > 1 and not r["self_enforcing"]
    assert commitment.war_value(1, 0, 0.5) == pytest.approx(2.0)


@pytest.mark.parametrize("args, message", [
    ((0.5, 0.6, 0.1, 0.9), "larger than p_now"),
    ((1.5, 0.1, 0.1, 0.9), "p_now is 1.5"),
    ((0.5, -0.1, 0.1, 0.9), "shift is -0.1"),
    ((0.5, 0.1, 0.1, 1.0), r"delta is 1.0; it must lie in \(0, 1\)"),
    ((0.5, 0.1, float("nan"), 0.9), "cost is NaN"),
])
def test_commitment_errors(args, message):
    with pytest.raises(ValueError, match=message):
        commitment.commitment_problem(*args)


def test_commitment_type_errors_and_grid():
    with pytest.raises(TypeError, match="p_now must be a number"):
        commitment.commitment_problem("half", 0.1, 0.1)
    with pytest.raises(ValueError, match="at least one value"):
        commitment.deal_region(0.5, 0.9, [], [0.1])
    grid = commitment.deal_region(0.5, 0.9, [0.0, 0.08, 0.2], [0.0, 0.4])   # critical shifts 0.056 and 0.1
    assert grid == [[True, False, False], [True, True, False]]


# --- ratification (Art. II s. 2; 22 U.S.C. s. 2573(b)) -----------------------------------------

@pytest.mark.parametrize("present, needed", [(100, 67), (99, 66), (98, 66), (97, 65), (96, 64), (51, 34), (1, 1)])
def test_two_thirds_of_those_present(present, needed):
    assert ratification.votes_needed(present) == needed


def test_january_2022():
    r = ratification.ratification_vote(**ratification.JANUARY_2022)
    assert (r["present"], r["needed"], r["crossovers_needed"], r["passes"]) == (100, 67, 17, False)
    assert ratification.ratification_vote(50, 50, crossovers=17)["passes"]
    assert not ratification.ratification_vote(50, 50, crossovers=16)["passes"]


def test_vacancies_absences_and_defections():
    r = ratification.ratification_vote(49, 49, 2)                    # two vacant seats
    assert (r["present"], r["needed"], r["quorum"], r["crossovers_needed"]) == (98, 66, 50, 17)
    r = ratification.ratification_vote(50, 50, absent_opponents=4)   # four opponents away
    assert (r["needed"], r["crossovers_needed"]) == (64, 14)
    r = ratification.ratification_vote(50, 50, defections=2)
    assert r["crossovers_needed"] == 19
    r = ratification.ratification_vote(50, 50, absent_supporters=30, absent_opponents=30)
    assert not r["quorum_met"] and not r["passes"] and r["present"] == 40


@pytest.mark.parametrize("kwargs, message", [
    (dict(supporters=50, opponents=49), "must add up to 100"),
    (dict(supporters=50, opponents=50, absent_supporters=51), "absent_supporters is 51"),
    (dict(supporters=50, opponents=50, crossovers=51), "crossovers is 51"),
    (dict(supporters=0, opponents=0, vacancies=100), "vacancies is 100"),
    (dict(supporters=50, opponents=50, absent_supporters=50, absent_opponents=50), "no senator is present"),
])
def test_ratification_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ratification.ratification_vote(**kwargs)


def test_approval_routes():
    assert ratification.approval_route(False, True).startswith("none")
    assert "2573(b)" in ratification.approval_route(True, True)
    assert "no two-thirds" in ratification.approval_route(True, False)
    with pytest.raises(TypeError):
        ratification.approval_route("yes", True)
    assert durability.senate_votes_needed(100) == ratification.votes_needed(100)   # module 04's API agrees


# --- durability: which date, which events, whose exit ----------------------------------------

def _table(**kw):
    return durability.durability_table(data.load_treaties(), data.load_treaty_events(), **kw).set_index("treaty_id")


def test_notice_announcement_and_effect():
    first = _table(as_of="2022-01-20")
    announced = _table(as_of="2022-01-20", exit_on="announced")
    effect = _table(as_of="2022-01-20", exit_on="effect")
    assert first.loc["inf", "first_exit_date"] == pd.Timestamp("2019-02-02")
    assert announced.loc["inf", "first_exit_date"] == pd.Timestamp("2019-02-01")
    assert effect.loc["inf", "first_exit_date"] == pd.Timestamp("2019-08-02")
    assert first.loc["open_skies", "first_exit_date"] == pd.Timestamp("2020-05-22")
    assert effect.loc["open_skies", "first_exit_date"] == pd.Timestamp("2020-11-22")
    assert first.loc["cfe", "exited"] and not effect.loc["cfe", "exited"]   # suspended 2007, left only 2023
    assert (effect["measure"] == "effect").all()
    with pytest.raises(ValueError, match="exit_on is 'notice'"):
        _table(exit_on="notice")


def test_counting_violations_changes_the_figure():
    formal = _table(as_of="2022-01-20")
    breaches = _table(as_of="2022-01-20", count_violations=True)
    assert breaches.loc["inf", "first_exit_date"] == pd.Timestamp("2014-07-29")
    assert breaches.loc["inf", "first_exit_event"] == "compliance finding"
    assert breaches.loc["budapest", "exited"] and not formal.loc["budapest", "exited"]
    assert breaches.loc["budapest", "first_exit_against"] == "Russia"
    assert breaches["exited"].sum() > formal["exited"].sum()


def test_exits_by_one_party():
    russia = _table(party="Russia")
    assert not russia.loc["abm", "exited"] and russia.loc["abm", "ended_by"] == "exit by United States"
    assert russia.loc["abm", "end"] == pd.Timestamp("2002-06-13")
    assert russia.loc["cfe", "exited"] and russia.loc["new_start", "exited"]
    us = _table(party="United States")
    assert us.loc["inf", "first_exit_party"] == "United States" and not us.loc["cfe", "exited"]
    assert set(_table().index) == set(russia.index)   # never-in-force CTBT and Adapted CFE left out
    assert "ctbt" not in russia.index


# --- explorers --------------------------------------------------------------------------------

def test_lifetime_chart_filters_and_state():
    chart = TreatyLifetimeChart(party="Russia", legal_form="legally binding", exit_on="effect",
                                count_violations=False, as_of="latest")
    assert TreatyLifetimeChart(**chart.state).state == chart.state
    assert set(chart.rates) == {"legally binding"}
    assert chart.exits["cfe"] == "2023-11-07" and chart.exits["abm"] is None
    assert "Comprehensive Nuclear-Test-Ban Treaty" in chart.summary()
    political = TreatyLifetimeChart(legal_form="political")
    assert set(political.exits) == {"budapest", "founding_act", "minsk_1", "minsk_2", "jcpoa"}
    assert "<title>" in chart.view.value and "aria-label" in chart.view.value
    chart.set(count_violations=True, exit_on="first step")
    assert chart.exits["inf"] == "2014-07-30"   # Russia's allegation about the Mk-41 launchers
    with pytest.raises(ValueError, match="party is 'China'"):
        TreatyLifetimeChart(party="China")


def test_commitment_explorer():
    explorer = CommitmentProblemExplorer(p_now=0.6, shift=0.0, cost=0.2, delta=0.5)
    assert explorer.self_enforcing and explorer.state == {"p_now": 0.6, "shift": 0.0, "cost": 0.2, "delta": 0.5}
    explorer.set(shift=0.6, delta=0.9)
    assert not explorer.self_enforcing and "no deal" in explorer.summary()
    explorer.set(p_now=0.3)   # a shift above p from the sliders is shown as an error, not raised
    assert "cannot exceed" in explorer.summary()
    with pytest.raises(ValueError):
        CommitmentProblemExplorer(p_now=0.2, shift=0.5)


def test_ratification_calculator():
    calc = RatificationCalculator(supporters=49, vacancies=2, absent_opponents=3)
    assert calc.result["needed"] == 64 and calc.result["crossovers_needed"] == 15
    calc.set(crossovers=15)
    assert calc.result["passes"] and "passes" in calc.summary()
    calc.set(supporters=99)   # seats no longer add up: shown, not raised
    assert "more than the 100 seats" in calc.summary()
    with pytest.raises(ValueError, match="must add up|crossovers"):
        RatificationCalculator(supporters=50, crossovers=60)


@pytest.mark.parametrize("p_now", [i / 100 for i in range(101)])
def test_commitment_explorer_draws_at_every_slider_position_of_p(p_now):
    # every value the p slider can take (step 0.01): the deal-region grid's last column is p itself,
    # so rounding cannot push a grid shift past p (found by the browser test at p = 0.49)
    explorer = CommitmentProblemExplorer(p_now=0.5, shift=0.0, cost=0.1, delta=0.9)
    explorer.controls["p_now"].value = p_now
    assert explorer.result["error"] is None and explorer.result["p_now"] == p_now
    assert len(explorer.result["grid"]) == CommitmentProblemExplorer.GRID
