"""Module 02 (Evolution): data facts, the coercion and timeline models, the two explorers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from course import data
from course.data.catalog import TIMELINE_CATEGORIES
from course.models import coercion
from course.models import timeline as tl
from course.widgets import CoercionCalculator, TimelineExplorer


# --- data ---------------------------------------------------------------------------------------

def test_timeline_uses_exactly_the_shared_categories():
    timeline = data.load_timeline()
    assert list(timeline["category"].cat.categories) == list(TIMELINE_CATEGORIES)
    assert set(timeline["category"].astype(str)) <= set(TIMELINE_CATEGORIES)
    assert timeline["source"].str.len().min() > 5


def test_timeline_facts_of_the_evolution_sections():
    timeline = data.load_timeline().set_index("date")
    assert timeline.loc[pd.Timestamp("2022-01-13"), "category"] == "diplomacy"
    assert "Permanent Council" in timeline.loc[pd.Timestamp("2022-01-13"), "event"]
    assert timeline.loc[pd.Timestamp("2014-03-18"), "category"] == "war"
    assert timeline.loc[pd.Timestamp("2019-08-02"), "category"] == "arms control"
    assert timeline.loc[pd.Timestamp("2018-03-01"), "category"] == "statement"
    assert "Sea Breeze" in timeline.loc[pd.Timestamp("2021-06-28"), "event"]
    in_window = timeline.loc["2014-01-01":"2022-01-31"]
    assert {"sanctions", "domestic", "nato", "military"} <= set(in_window["category"].astype(str))


def test_troop_estimates_are_named_and_sourced():
    est = data.load_troop_estimates()
    assert est["estimator"].str.len().min() > 2 and est["source"].str.len().min() > 5
    assert set(est["buildup"].astype(str)) == {"spring 2021", "autumn 2021"}
    planned = est[est["estimator"].str.contains("planned")]
    assert int(planned["low"].iloc[0]) == 175000
    borrell = est[(est["date"] == pd.Timestamp("2021-04-19")) & est["estimator"].str.contains("Borrell")]
    assert int(borrell["low"].iloc[0]) == 150000 and pd.isna(borrell["high"].iloc[0])
    ranged = est.dropna(subset=["high"])
    assert (ranged["high"] >= ranged["low"]).all()


def test_draft_articles_map_to_demands_and_to_proposals():
    arts = data.load_draft_articles()
    assert set(arts["document"].astype(str)) == {"us_treaty", "nato_agreement"}
    assert arts["article"].max() <= 9
    us4 = arts[(arts["document"] == "us_treaty") & (arts["article"] == 4)].iloc[0]
    assert "former Union of Soviet Socialist Republics" in us4["wording"]
    assert us4["demand"] == "end NATO expansion"
    nato6 = arts[(arts["document"] == "nato_agreement") & (arts["article"] == 6)].iloc[0]
    assert "Ukraine as well as other States" in nato6["wording"]
    known = set(data.load_proposals()["proposal_id"])
    linked = {p for ids in arts["proposal_ids"].dropna() for p in ids.split(";")}
    assert linked <= known and "rollback_1997" in linked
    assert set(arts["demand"].astype(str)) >= {"end NATO expansion", "withdraw post-1997 infrastructure"}


def test_draft_articles_reject_an_unknown_proposal(monkeypatch):
    real = data.load

    def fake(name):
        frame = real(name)
        if name == "draft_articles":
            frame.loc[0, "proposal_ids"] = "no_such_proposal"
        return frame
    monkeypatch.setattr(data, "load", fake)
    with pytest.raises(data.DataError, match="line 2.*no_such_proposal"):
        data.load_draft_articles()


# --- coercion model -----------------------------------------------------------------------------

def test_resistance_value_is_pape_expected_value():
    assert coercion.resistance_value(10, 0.5, 8, 0.25) == pytest.approx(3.0)
    assert coercion.resistance_value(0, 0, 0, 0) == 0.0


def test_concedes_only_when_resisting_is_worth_strictly_less():
    assert coercion.concedes(10, 0.5, 12, 0.5)            # 5 - 6 < 0
    assert not coercion.concedes(10, 0.5, 10, 0.5)        # a tie: resists
    assert coercion.concedes(10, 0.5, 0, 0, concession_value=6)  # the carrot alone is enough


def test_cost_threshold_edges():
    assert coercion.cost_threshold(10, 0.5, 0.25) == pytest.approx(20.0)
    assert math.isinf(coercion.cost_threshold(10, 0.5, 0.0))
    assert coercion.cost_threshold(10, 0.5, 0.0, concession_value=6) == 0.0
    out = coercion.coercion_outcome(10, 0.5, 20.0001, 0.25)
    assert out["concedes"] and out["margin"] < 0


@pytest.mark.parametrize("args, error, match", [
    ((10, 1.5, 1, 0.5), ValueError, "p_benefit .* at most 1"),
    ((10, 0.5, -1, 0.5), ValueError, "cost .* at least 0"),
    ((10, 0.5, 1, float("nan")), ValueError, "p_cost .* finite"),
    (("10", 0.5, 1, 0.5), TypeError, "benefit must be a number"),
    ((True, 0.5, 1, 0.5), TypeError, "benefit must be a number"),
])
def test_coercion_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        coercion.coercion_outcome(*args)


# --- timeline model -----------------------------------------------------------------------------

def test_filter_events_by_range_and_category():
    timeline = data.load_timeline()
    jan = tl.filter_events(timeline, "2022-01-01", "2022-01-31", ["diplomacy"])
    assert jan["date"].dt.strftime("%m-%d").tolist() == ["01-10", "01-12", "01-13", "01-21", "01-26"]
    both_ends = tl.filter_events(timeline, "2022-01-10", "2022-01-10")
    assert len(both_ends) == 1
    assert tl.filter_events(timeline, "2014-01-01", "2022-01-31", []).empty
    counts = tl.counts_by_category(tl.filter_events(timeline, "2014-01-01", "2022-01-31"))
    assert list(counts) == list(TIMELINE_CATEGORIES) and counts["sanctions"] == 2


def test_filter_events_errors():
    timeline = data.load_timeline()
    with pytest.raises(ValueError, match="after end"):
        tl.filter_events(timeline, "2022-02-01", "2022-01-01")
    with pytest.raises(ValueError, match="unknown timeline category 'negotiation'"):
        tl.filter_events(timeline, "2014-01-01", "2022-01-31", ["negotiation"])
    with pytest.raises(ValueError, match="not a date"):
        tl.filter_events(timeline, "soon", "2022-01-31")
    with pytest.raises(TypeError, match="must be a date"):
        tl.filter_events(timeline, None, "2022-01-31")


# --- widgets ------------------------------------------------------------------------------------

def test_timeline_explorer_defaults_and_constructor():
    explorer = TimelineExplorer()
    assert explorer.state == {"start": "2014-01", "end": "2022-01", "categories": list(TIMELINE_CATEGORIES)}
    assert explorer.events[-1]["date"] == "2022-01-26" and explorer.events[0]["date"] == "2014-02-27"
    narrow = TimelineExplorer(start="2022-01", end="2022-01", categories=["diplomacy", "military"])
    assert narrow.counts["diplomacy"] == 5 and narrow.counts["military"] == 1
    assert "2022-01-13" in narrow.view.value and "Permanent Council" in narrow.summary()


def test_timeline_explorer_follows_its_controls():
    explorer = TimelineExplorer(start="2021-01", end="2021-12")
    explorer.controls["sanctions"].value = False  # a student's click
    assert "sanctions" not in explorer.state["categories"]
    explorer.controls["start"].value = "2022-01"  # after 'to': a message, not an exception
    assert explorer.events == [] and "after" in explorer.summary()
    explorer.set(start="2021-04", end="2021-04", categories=["military"])
    assert [e["event"] for e in explorer.events] == ["Shoigu orders a pullback"]


def test_timeline_explorer_rejects_bad_settings():
    with pytest.raises(ValueError, match="after end"):
        TimelineExplorer(start="2022-01", end="2021-01")
    with pytest.raises(ValueError, match="unknown timeline category"):
        TimelineExplorer(categories=["treaty"])
    with pytest.raises(ValueError, match="outside the timeline's months"):
        TimelineExplorer(start="1980-01")


def test_coercion_calculator_state_and_result():
    calc = CoercionCalculator(benefit=10, p_benefit=0.5, cost=12, p_cost=0.5)
    assert calc.state == {"benefit": 10.0, "p_benefit": 0.5, "cost": 12.0, "p_cost": 0.5, "concession_value": 0.0}
    assert calc.concedes and calc.resist_value == pytest.approx(-1.0)
    calc.controls["p_cost"].value = 0.0
    assert not calc.concedes and math.isinf(calc.cost_threshold)
    assert "resists" in calc.summary()
    with pytest.raises(ValueError, match="slider runs from 0 to 100"):
        CoercionCalculator(benefit=500)
    with pytest.raises(ValueError, match="p_benefit"):
        CoercionCalculator(p_benefit=2)
