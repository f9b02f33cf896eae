"""Module 04 (Limits): the proposals dataset and the four models behind the lecture and the
exercises — feasibility (weighted sum + rank agreement), unbundling (package vs tracks),
discounting (moratorium length) and durability (Senate arithmetic, treaty exits).

Facts pinned against shared/reference/facts.md (§1 #12, #14, #18; §2 P1-P3; §3 Senate rule)
and the published reports of the US/NATO replies of 26 Jan 2022 cited in proposals.csv.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from course import data
from course.models import discounting, durability, feasibility, unbundling
from tests.conftest import ROOT

ARTICLE = ROOT.parent / "shared" / "reference" / "trenin-2022-article.txt"
CRITERIA = list(feasibility.CRITERIA)


@pytest.fixture(scope="module")
def proposals() -> pd.DataFrame:
    return data.load_proposals()


@pytest.fixture(scope="module")
def verdicts(proposals) -> dict[str, float]:
    return dict(zip(proposals["proposal_id"], proposals["verdict_score"].astype(float)))


# --- the proposals dataset --------------------------------------------------------------------

def test_twelve_proposals_under_the_three_demands(proposals):
    assert len(proposals) == 12
    counts = proposals["demand"].value_counts()
    assert counts["end NATO expansion"] == 3
    assert counts["no new NATO infrastructure or offensive weapons"] == 6
    assert counts["withdraw post-1997 infrastructure"] == 3
    assert proposals["source"].str.contains("Trenin").all()


@pytest.mark.parametrize("proposal_id, verdict", [
    ("no_expansion_fsu", "already de facto"),        # "is de facto being implemented"
    ("bucharest_retraction", "unlikely"),            # facts.md P3: "unlikely" at Madrid
    ("membership_moratorium", "possible"),
    ("no_missiles_ukraine", "possible"),             # facts.md P9
    ("end_military_cooperation", "unlikely"),        # "harder, if not impossible"
    ("rollback_1997", "impossible"),                 # "as impossible as it is largely unnecessary"
])
def test_article_verdicts(proposals, proposal_id, verdict):
    row = proposals.set_index("proposal_id").loc[proposal_id]
    assert row["article_verdict"] == verdict


def test_quotes_are_short(proposals):
    lengths = proposals["article_quote"].str.split().str.len()
    assert (lengths <= 25).all(), proposals.loc[lengths > 25, "proposal_id"].tolist()


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared/reference is not beside the repository")
def test_quotes_are_verbatim_from_the_article(proposals):
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    missing = [p for p, q in zip(proposals["proposal_id"], proposals["article_quote"]) if q not in article]
    assert missing == []


def test_us_reply_facts(proposals):
    rows = proposals.set_index("proposal_id")
    # facts.md §2 P1: the open door was kept -> nothing on enlargement offered
    assert (rows.loc[["no_expansion_fsu", "bucharest_retraction", "membership_moratorium"],
                     "us_reply_status"] == "not offered").all()
    aegis = rows.loc["missile_defence_launchers", "us_reply_2022_01_26"]
    assert "Romania and Poland" in aegis and "Tomahawk" in aegis and "reciprocal" in aegis
    assert "two ground-launched missile bases" in aegis
    assert rows.loc["no_missiles_ukraine", "us_reply_status"] == "offered"
    assert "intermediate" in rows.loc["inf_type_agreement", "us_reply_2022_01_26"]
    # what the course could not verify is marked as such, not guessed
    assert rows.loc["arms_supply_limits", "us_reply_status"] == "not verified"
    assert rows.loc["arms_supply_limits", "us_reply_2022_01_26"].startswith("Not verified")
    statuses = rows["us_reply_status"].value_counts()
    assert statuses["offered"] == 3 and statuses["partly offered"] == 3 and statuses["not offered"] == 5


def test_a_verdict_score_that_contradicts_its_label_is_rejected(tmp_path):
    from course.data.catalog import PROPOSALS
    from course.data.schema import DataError, read_dataset

    text = data.data_path("proposals.csv").read_text(encoding="utf-8")
    broken = text.replace(",impossible,0,", ",impossible,3,", 1)
    assert broken != text
    path = tmp_path / "proposals.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError, match=r"proposals.csv, line 13, column 'verdict_score'"):
        read_dataset(path, PROPOSALS)


# --- feasibility: the weighted sum ------------------------------------------------------------

def test_weighted_sum_by_hand():
    scores = {"a": {"x": 10, "y": 0}, "b": {"x": 4, "y": 8}}
    assert feasibility.feasibility_scores(scores, {"x": 3, "y": 1}) == pytest.approx({"a": 0.75, "b": 0.5})
    # only the ratios of the weights matter
    assert feasibility.feasibility_scores(scores, {"x": 6, "y": 2}) == pytest.approx({"a": 0.75, "b": 0.5})


def test_all_zero_weights_mean_equal_weights():
    scores = {"a": {"x": 10, "y": 0}, "b": {"x": 4, "y": 8}}
    assert feasibility.effective_weights({"x": 0, "y": 0}) == {"x": 0.5, "y": 0.5}
    assert feasibility.feasibility_scores(scores, {"x": 0, "y": 0}) == pytest.approx({"a": 0.5, "b": 0.6})


def test_scores_at_the_ends_of_the_scale():
    scores = {"top": {"x": 10, "y": 10}, "bottom": {"x": 0, "y": 0}}
    assert feasibility.feasibility_scores(scores, {"x": 1, "y": 2}) == {"top": 1.0, "bottom": 0.0}


def test_ranking_breaks_ties_in_input_order():
    assert feasibility.ranking({"b": 0.5, "a": 0.9, "c": 0.5}) == ["a", "b", "c"]


@pytest.mark.parametrize("weights, error, message", [
    ({"x": -1, "y": 1}, ValueError, "weights must be 0 or more"),
    ({"x": float("nan"), "y": 1}, ValueError, "finite"),
    ({"x": "high", "y": 1}, TypeError, "must be a number"),
    ({"x": True, "y": 1}, TypeError, "must be a number"),
    ({}, ValueError, "weights is empty"),
    ([1, 2], TypeError, "mapping"),
])
def test_invalid_weights(weights, error, message):
    with pytest.raises(error, match=message):
        feasibility.feasibility_scores({"a": {"x": 1, "y": 1}}, weights)


@pytest.mark.parametrize("scores, message", [
    ({"a": {"x": 11, "y": 1}}, r"is 11; scores run from 0 to 10"),
    ({"a": {"x": -0.5, "y": 1}}, r"is -0.5; scores run from 0 to 10"),
    ({"a": {"x": 1}}, r"missing 'y'"),
    ({"a": {"x": 1, "y": 1, "z": 1}}, r"unknown 'z'"),
    ({}, "scores is empty"),
])
def test_invalid_scores(scores, message):
    with pytest.raises(ValueError, match=message):
        feasibility.feasibility_scores(scores, {"x": 1, "y": 1})


# --- feasibility: agreement with the article --------------------------------------------------

def test_rank_correlations_perfect_reversed_and_undefined():
    assert feasibility.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert feasibility.kendall_tau_b([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)
    # equal scores: every proposal tied, the correlation is undefined
    assert math.isnan(feasibility.spearman([0.5, 0.5, 0.5], [1, 2, 3]))
    assert math.isnan(feasibility.kendall_tau_b([0.5, 0.5, 0.5], [1, 2, 3]))
    with pytest.raises(ValueError, match="same length"):
        feasibility.spearman([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="at least two"):
        feasibility.kendall_tau_b([1], [1])


def test_rank_correlations_match_scipy_with_ties():
    from scipy import stats

    x = [0.8, 0.77, 0.67, 0.67, 0.6, 0.6, 0.6, 0.6, 0.57, 0.43, 0.3, 0.27]
    y = [3, 3, 3, 3, 4, 2, 3, 3, 1, 2, 0, 1]
    assert feasibility.spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)
    assert feasibility.kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y).statistic)


def test_article_rank_blocks(verdicts):
    blocks = feasibility.article_rank_ranges(verdicts)
    assert blocks["no_expansion_fsu"] == (1, 1)
    assert blocks["no_missiles_ukraine"] == (2, 7)      # six proposals judged "possible"
    assert blocks["exercise_limits"] == (8, 9)
    assert blocks["bucharest_retraction"] == (10, 11)
    assert blocks["rollback_1997"] == (12, 12)


def test_disagreements_are_measured_from_the_article_block():
    verdicts = {"a": 2, "b": 1, "c": 1, "d": 1, "e": 0}
    # a model that puts "a" last: 4 places below its block (rank 1)
    model_f = {"a": 0.1, "b": 0.9, "c": 0.8, "d": 0.7, "e": 0.2}
    found = feasibility.disagreements(model_f, verdicts, tolerance=1)
    assert [d["proposal_id"] for d in found] == ["a"]
    assert found[0]["gap"] == 4 and found[0]["direction"] == "model less optimistic"
    # moving within a tied block is never a disagreement
    assert feasibility.disagreements({"a": 0.9, "b": 0.2, "c": 0.5, "d": 0.7, "e": 0.1}, verdicts, 0) == []
    with pytest.raises(ValueError, match="0 or more"):
        feasibility.disagreements(model_f, verdicts, tolerance=-1)
    with pytest.raises(ValueError, match="different proposals"):
        feasibility.disagreements({"a": 1, "b": 1}, verdicts)


def test_illustrative_scores_cover_the_dataset(verdicts):
    assert set(feasibility.ILLUSTRATIVE_SCORES) == set(verdicts)
    feasibility.validate_scores(feasibility.ILLUSTRATIVE_SCORES, CRITERIA)


def test_equal_weights_on_the_illustrative_scores(verdicts):
    result = feasibility.evaluate(feasibility.ILLUSTRATIVE_SCORES, feasibility.equal_weights(), verdicts)
    assert result["ranking"][:2] == ["no_missiles_ukraine", "no_bases_ukraine"]
    assert result["ranking"][-1] == "rollback_1997"
    assert result["agreement"]["spearman"] == pytest.approx(0.488, abs=1e-3)
    # the article's only "de facto" item is where the weighted sum disagrees most
    assert result["disagreements"][0]["proposal_id"] == "no_expansion_fsu"


def test_the_best_integer_weights_on_the_exercise_grid(verdicts):
    """Solutions Q5: integer weights 0-5, not all zero -> the best Spearman's rho is 0.777."""
    best = feasibility.evaluate(feasibility.ILLUSTRATIVE_SCORES,
                                dict(zip(CRITERIA, (3, 4, 0, 4, 0))), verdicts)["agreement"]["spearman"]
    assert best == pytest.approx(0.7774, abs=1e-4)
    assert best > feasibility.evaluate(feasibility.ILLUSTRATIVE_SCORES, feasibility.equal_weights(),
                                       verdicts)["agreement"]["spearman"]


# --- unbundling: one package or parallel tracks -----------------------------------------------

def test_package_versus_tracks_three_items():
    ps = [0.6, 0.5, 0.4]
    assert unbundling.package_probability(ps) == pytest.approx(0.12)
    assert unbundling.expected_agreements(ps) == pytest.approx(1.5)
    assert unbundling.expected_agreements_package(ps) == pytest.approx(0.36)
    assert unbundling.at_least_one(ps) == pytest.approx(0.88)


def test_probabilities_zero_and_one():
    assert unbundling.package_probability([1.0, 1.0, 1.0]) == 1.0
    assert unbundling.package_probability([1.0, 0.0, 1.0]) == 0.0
    assert unbundling.expected_agreements([0.0, 0.0]) == 0.0
    assert unbundling.agreements_distribution([1.0, 1.0]) == [0.0, 0.0, 1.0]
    assert unbundling.agreements_distribution([0.0]) == [1.0, 0.0]
    assert unbundling.frechet_bounds([1.0, 1.0]) == (1.0, 1.0)


def test_linkage_moves_the_package_but_not_the_expectation():
    ps = [0.6, 0.5, 0.4]
    assert unbundling.package_probability(ps, linkage=1) == pytest.approx(0.4)      # min p
    assert unbundling.package_probability(ps, linkage=0.5) == pytest.approx(0.26)
    lower, upper = unbundling.frechet_bounds(ps)
    for lam in (0, 0.25, 0.5, 1):
        assert lower <= unbundling.package_probability(ps, lam) <= upper
        dist = unbundling.agreements_distribution(ps, lam)
        assert sum(dist) == pytest.approx(1.0)
        assert sum(k * q for k, q in enumerate(dist)) == pytest.approx(1.5)
        assert dist[-1] == pytest.approx(unbundling.package_probability(ps, lam))


@pytest.mark.parametrize("ps, linkage, error, message", [
    ([], 0, ValueError, "at least one"),
    ([0.5, 1.2], 0, ValueError, "item 2: the probability is 1.2"),
    ([-0.1], 0, ValueError, "between 0 and 1"),
    (["0.5"], 0, TypeError, "must be a number"),
    ("0.5", 0, TypeError, "list of numbers"),
    ([0.5], 1.5, ValueError, "linkage is 1.5"),
])
def test_unbundling_invalid_input(ps, linkage, error, message):
    with pytest.raises(error, match=message):
        unbundling.package_probability(ps, linkage)


# --- discounting: how long is "never"? --------------------------------------------------------

def test_forty_nine_and_sixty_nine_years_at_five_percent():
    assert discounting.share_of_never(49, 0.05) == pytest.approx(1 - 1.05 ** -49)
    assert discounting.share_of_never(49, 0.05) == pytest.approx(0.9084, abs=1e-4)
    assert discounting.share_of_never(69, 0.05) == pytest.approx(0.9655, abs=1e-4)
    assert discounting.share_of_never(10, 0.05) == pytest.approx(0.3861, abs=1e-4)


def test_continuous_compounding():
    assert discounting.share_of_never(49, 0.05, compounding="continuous") == pytest.approx(1 - math.exp(-2.45))


def test_zero_discount_rate():
    assert discounting.share_of_never(49, 0.0) == 0.0                  # no horizon: never dwarfs 49 years
    assert discounting.share_of_never(10, 0.0, horizon=40) == pytest.approx(0.25)
    assert discounting.share_of_never(math.inf, 0.0) == 1.0
    assert discounting.present_value(7, 0.0) == 7
    assert discounting.years_for_share(0.5, 0.0) == math.inf


def test_zero_years_and_never():
    assert discounting.share_of_never(0, 0.05) == 0.0
    assert discounting.share_of_never(math.inf, 0.05) == 1.0
    assert discounting.present_value(math.inf, 0.05) == pytest.approx(20.0)


def test_horizon():
    # a decision-maker who looks 25 years ahead sees a 49-year moratorium as never
    assert discounting.share_of_never(49, 0.05, horizon=25) == 1.0
    expected = (1 - 1.05 ** -10) / (1 - 1.05 ** -25)
    assert discounting.share_of_never(10, 0.05, horizon=25) == pytest.approx(expected)
    assert discounting.share_of_never(10, 0.05, horizon=25) == pytest.approx(0.5479, abs=1e-4)


def test_years_for_share_inverts_share_of_never():
    n = discounting.years_for_share(0.9, 0.05)
    assert n == pytest.approx(47.19, abs=0.01)
    assert discounting.share_of_never(n, 0.05) == pytest.approx(0.9)
    assert math.ceil(n) == 48
    assert discounting.years_for_share(0.0, 0.05) == 0.0


@pytest.mark.parametrize("args, error, message", [
    ((-1, 0.05), ValueError, "0 or more years"),
    ((10, -0.01), ValueError, "0 or more"),
    ((10, 5), ValueError, "as a fraction"),
    ((10, 0.05, 0), ValueError, "more than 0 years"),
    ((10, 0.05, None, "monthly"), ValueError, "'discrete' or 'continuous'"),
    (("ten", 0.05), TypeError, "years must be a number"),
])
def test_discounting_invalid_input(args, error, message):
    with pytest.raises(error, match=message):
        discounting.share_of_never(*args)
    with pytest.raises(ValueError, match="below 1"):
        discounting.years_for_share(1.0, 0.05)


# --- durability: Senate arithmetic and treaty exits -------------------------------------------

@pytest.mark.parametrize("present, needed", [(100, 67), (99, 66), (98, 66), (97, 65), (96, 64), (3, 2), (1, 1)])
def test_two_thirds_of_senators_present(present, needed):
    assert durability.senate_votes_needed(present) == needed


def test_a_fifty_fifty_senate_needs_seventeen_republicans():
    senate = durability.SENATE_JANUARY_2022
    assert sum(senate.values()) == 100 and senate["Republicans"] == 50
    caucus = senate["Democrats"] + senate["Independents (caucusing with the Democrats)"]
    assert durability.cross_party_votes_needed(100, caucus) == 17
    assert durability.cross_party_votes_needed(96, caucus) == 14    # four Republicans absent
    assert durability.cross_party_votes_needed(60, 50) == 0


@pytest.mark.parametrize("args, error, message", [
    ((0,), ValueError, "between 1 and 100"),
    ((101,), ValueError, "between 1 and 100"),
    ((66.7,), TypeError, "whole number"),
    ((True,), TypeError, "whole number"),
])
def test_senate_invalid_input(args, error, message):
    with pytest.raises(error, match=message):
        durability.senate_votes_needed(*args)
    with pytest.raises(ValueError, match="between 0 and the 90 present"):
        durability.cross_party_votes_needed(90, 95)


@pytest.fixture(scope="module")
def exits() -> pd.DataFrame:
    return durability.durability_table(data.load_treaties(), data.load_treaty_events()).set_index("treaty_id")


def test_first_exits_from_the_data(exits):
    assert "adapted_cfe" not in exits.index                         # never in force
    assert exits.loc["inf", "first_exit_date"] == pd.Timestamp("2019-02-01")
    assert exits.loc["inf", "first_exit_party"] == "United States"
    assert exits.loc["inf", "years"] == pytest.approx(30.67, abs=0.01)
    assert exits.loc["cfe", "first_exit_party"] == "Russia"         # 2007 suspension
    assert exits.loc["jcpoa", "years"] == pytest.approx(2.31, abs=0.01)
    assert exits.loc["abm", "start_basis"] == "signed"              # entry into force not verified
    assert exits.loc["new_start", "first_exit_event"] == "suspension"  # extension 2021 is not an exit
    assert exits.loc["minsk_1", "ended_by"] == "superseded" and not exits.loc["minsk_1", "exited"]
    assert not exits.loc["founding_act", "exited"] and not exits.loc["budapest", "exited"]


def test_as_of_the_article(exits):
    before = durability.durability_table(data.load_treaties(), data.load_treaty_events(),
                                         as_of="2022-01-20").set_index("treaty_id")
    assert not before.loc["new_start", "exited"] and not before.loc["minsk_2", "exited"]
    assert before.loc["new_start", "end"] == pd.Timestamp("2022-01-20")
    rates = durability.exit_rates(before)
    assert rates.loc[True, "exits"] == 4 and rates.loc[False, "exits"] == 1


def test_exit_rates_by_legal_form(exits):
    rates = durability.exit_rates(exits.reset_index())
    assert rates.loc[True, "instruments"] == 5 and rates.loc[True, "exits"] == 5
    assert rates.loc[False, "instruments"] == 5 and rates.loc[False, "exits"] == 2
    expected = 100 * 5 / exits.loc[exits["legally_binding"], "years"].sum()
    assert rates.loc[True, "exits_per_100_years"] == pytest.approx(expected)
    with pytest.raises(ValueError, match="no column 'nature'"):
        durability.exit_rates(exits.reset_index(), by="nature")


def test_events_for_unknown_instruments_are_an_error():
    events = data.load_treaty_events()
    events.loc[0, "treaty_id"] = "salt_9"
    with pytest.raises(ValueError, match=re.escape("['salt_9']")):
        durability.durability_table(data.load_treaties(), events)


def test_q14_has_model_answers_from_both_sides_and_the_acda_rule():
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "solutions" / "04_limits_exercises.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    q14 = next("".join(c["source"]) for c in cells
               if c["metadata"].get("nbgrader", {}).get("grade_id") == "q14_essay")
    assert "advising the US Secretary of State" in q14 and "advising the Russian Foreign Minister" in q14
    assert "2573(b)" in q14 and "golden rule" not in q14


def test_kendall_citation_in_the_model():
    assert "1945" in feasibility.__doc__ and "ties in ranking problems" in feasibility.__doc__
    assert "1945" in feasibility.kendall_tau_b.__doc__
