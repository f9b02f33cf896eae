"""Module 04 (Limits): the feasibility, package-vs-tracks and moratorium explorers — state set
from the constructor and read back as plain values, what a student's clicks do, invalid input,
redraw time, and the benchmark script that measures every explorer."""

from __future__ import annotations

import copy
import importlib.util
import json

import pytest

from course.models import discounting, feasibility, unbundling
from course.widgets import FeasibilityExplorer, MoratoriumExplorer, PackageVsTracksExplorer
from tests.conftest import ROOT

CRITERIA = list(feasibility.CRITERIA)
ZEROS = dict.fromkeys(CRITERIA, 0.0)


# --- feasibility explorer ---------------------------------------------------------------------

def test_feasibility_state_round_trip_is_plain_and_json_safe():
    weights = {"stakes": 3, "verifiability": 4, "legal_form": 0, "face": 4, "reciprocity": 0}
    explorer = FeasibilityExplorer(weights=weights, proposal="rollback_1997")
    state = explorer.state
    assert json.loads(json.dumps(state)) == state
    assert state["weights"] == {c: float(w) for c, w in weights.items()}
    assert state["proposal"] == "rollback_1997"
    assert state["scores"] == feasibility.ILLUSTRATIVE_SCORES
    rebuilt = FeasibilityExplorer(**state)
    assert rebuilt.state == state and rebuilt.ranking == explorer.ranking
    assert explorer.spearman == pytest.approx(0.7774, abs=1e-4)
    assert explorer.disagreements == ["no_expansion_fsu"]


def test_feasibility_explorer_agrees_with_the_model():
    explorer = FeasibilityExplorer()
    from course import data

    table = data.load_proposals()
    verdicts = dict(zip(table["proposal_id"], table["verdict_score"].astype(float)))
    expected = feasibility.evaluate(feasibility.ILLUSTRATIVE_SCORES, feasibility.equal_weights(), verdicts)
    assert explorer.ranking == expected["ranking"]
    assert explorer.feasibility == pytest.approx(expected["feasibility"])
    assert explorer.agreement["kendall"] == pytest.approx(expected["agreement"]["kendall"])


def test_choosing_a_proposal_loads_its_scores_and_sliders_edit_it():
    explorer = FeasibilityExplorer()
    explorer.controls["proposal"].value = "bucharest_retraction"     # the dropdown
    assert explorer.controls["score_face"].value == 0
    assert explorer.scores["bucharest_retraction"] == feasibility.ILLUSTRATIVE_SCORES["bucharest_retraction"]
    before = explorer.feasibility["bucharest_retraction"]
    explorer.controls["score_face"].value = 10                       # the slider
    assert explorer.scores["bucharest_retraction"]["face"] == 10
    assert explorer.feasibility["bucharest_retraction"] == pytest.approx(before + 10 / 50)
    # other proposals are untouched, and switching back shows the edited score
    assert explorer.scores["rollback_1997"]["face"] == 0
    explorer.controls["proposal"].value = "rollback_1997"
    explorer.controls["proposal"].value = "bucharest_retraction"
    assert explorer.controls["score_face"].value == 10


def test_weight_sliders_change_the_ranking():
    explorer = FeasibilityExplorer(weights=ZEROS | {"verifiability": 1})
    assert explorer.ranking[0] == "no_expansion_fsu"
    explorer.controls["weight_verifiability"].value = 0
    explorer.controls["weight_reciprocity"].value = 1
    assert explorer.weights["reciprocity"] == 1 and explorer.ranking[0] == "exercise_limits"


def test_set_and_set_score():
    explorer = FeasibilityExplorer()
    explorer.set(weights=ZEROS | {"face": 1}, proposal="exercise_limits")
    assert explorer.proposal == "exercise_limits" and explorer.weights["face"] == 1
    explorer.set_score("rollback_1997", "face", 10)
    assert explorer.scores["rollback_1997"]["face"] == 10
    explorer.set(scores={"rollback_1997": dict.fromkeys(CRITERIA, 10)})
    assert explorer.ranking[0] == "rollback_1997" and explorer.feasibility["rollback_1997"] == 1.0
    explorer.set(weight_stakes=2.5)
    assert explorer.weights["stakes"] == 2.5


def test_all_weights_zero_and_equal_scores():
    explorer = FeasibilityExplorer(weights=ZEROS)
    assert explorer.result["all_weights_zero"]
    assert explorer.ranking == FeasibilityExplorer().ranking          # equal weights
    assert "All weights are 0" in explorer.summary() and "All weights are 0" in explorer.view.value
    flat = {p: dict.fromkeys(CRITERIA, 5.0) for p in feasibility.ILLUSTRATIVE_SCORES}
    tied = FeasibilityExplorer(scores=flat)
    assert set(tied.feasibility.values()) == {0.5}
    assert "undefined" in tied.summary()


def test_custom_criteria_come_from_the_weights():
    explorer = FeasibilityExplorer(weights={"ukraine_consent": 1.0, "face": 1.0})
    assert explorer.criteria == ["ukraine_consent", "face"]
    assert explorer.scores["rollback_1997"] == {"ukraine_consent": 5.0, "face": 5.0}
    assert "score_ukraine_consent" in explorer.controls


@pytest.mark.parametrize("kwargs, error, message", [
    ({"weights": ZEROS | {"face": -1}}, ValueError, "weights must be 0 or more"),
    ({"weights": ZEROS | {"face": 12}}, ValueError, "sliders run from 0 to 10"),
    ({"scores": {"rollback_1997": dict.fromkeys(CRITERIA, 5)}}, ValueError, "cover exactly the 12 proposals"),
    ({"proposal": "nato_dissolution"}, ValueError, "no proposal 'nato_dissolution'"),
    ({"tolerance": -1}, ValueError, "0 or more"),
])
def test_feasibility_invalid_construction(kwargs, error, message):
    with pytest.raises(error, match=message):
        FeasibilityExplorer(**kwargs)


def test_feasibility_invalid_set_leaves_the_state_unchanged():
    explorer = FeasibilityExplorer()
    before = copy.deepcopy(explorer.state)
    bad_row = dict.fromkeys(CRITERIA, 5) | {"face": 11}
    with pytest.raises(ValueError, match="scores run from 0 to 10"):
        explorer.set(scores={"rollback_1997": bad_row})
    with pytest.raises(ValueError, match="exactly the criteria"):
        explorer.set(weights={"face": 1})
    with pytest.raises(ValueError, match="unknown proposal"):
        explorer.set(scores={"new_item": dict.fromkeys(CRITERIA, 5)})
    with pytest.raises(ValueError, match="no criterion 'trust'"):
        explorer.set_score("rollback_1997", "trust", 5)
    assert explorer.state == before


# --- package versus tracks --------------------------------------------------------------------

def test_package_explorer_state_and_values():
    explorer = PackageVsTracksExplorer(probabilities=[0.9, 0.8, 0.7], linkage=0.5,
                                       labels=["missiles", "bases", "exercises"])
    assert explorer.state == {"probabilities": [0.9, 0.8, 0.7], "linkage": 0.5}
    assert explorer.package_probability == pytest.approx(unbundling.package_probability([0.9, 0.8, 0.7], 0.5))
    assert explorer.expected_agreements == pytest.approx(2.4)
    assert sum(explorer.distribution) == pytest.approx(1)
    assert "missiles" in explorer.view.value
    assert PackageVsTracksExplorer(**explorer.state).state == explorer.state


def test_package_explorer_item_count_follows_the_slider():
    explorer = PackageVsTracksExplorer(probabilities=[0.6, 0.5, 0.4])
    explorer.controls["items"].value = 4                 # a fourth slider appears, at 0.5
    assert explorer.probabilities == [0.6, 0.5, 0.4, 0.5]
    assert explorer.controls["p4"].layout.display is None and explorer.controls["p5"].layout.display == "none"
    assert explorer.package_probability == pytest.approx(0.06)
    explorer.controls["p1"].value = 1.0
    assert explorer.package_probability == pytest.approx(0.1)
    explorer.set(probabilities=[0.0])
    assert explorer.state["probabilities"] == [0.0] and explorer.package_probability == 0.0


@pytest.mark.parametrize("kwargs, message", [
    ({"probabilities": [0.5] * 9}, "at most 8 items"),
    ({"probabilities": [1.5]}, "between 0 and 1"),
    ({"linkage": -0.1}, "linkage is -0.1"),
    ({"labels": ["only one"]}, "one label per item"),
])
def test_package_explorer_invalid_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PackageVsTracksExplorer(**kwargs)


# --- moratorium explorer ----------------------------------------------------------------------

def test_moratorium_explorer_state_and_values():
    explorer = MoratoriumExplorer(years=49, rate=0.05)
    assert explorer.share == pytest.approx(discounting.share_of_never(49, 0.05))
    assert explorer.table[69] == pytest.approx(discounting.share_of_never(69, 0.05))
    explorer.set(horizon=25, years=10)
    assert explorer.state == {"years": 10, "rate": 0.05, "horizon": 25, "compounding": "discrete"}
    assert explorer.share == pytest.approx(0.5479, abs=1e-4)
    assert MoratoriumExplorer(**explorer.state).state == explorer.state
    explorer.set(horizon=None)
    assert explorer.horizon is None and explorer.controls["horizon"].disabled


def test_moratorium_explorer_follows_the_controls():
    explorer = MoratoriumExplorer()
    explorer.controls["use_horizon"].value = True       # the checkbox enables the horizon slider
    # the lesson plan's 25 years (docs/lesson_plans/04_limits.md, section 5)
    assert explorer.horizon == 25 and not explorer.controls["horizon"].disabled
    assert explorer.share == 1.0                         # 49 years is beyond a 25-year horizon
    assert explorer.table[10] == pytest.approx(discounting.share_of_never(10, 0.05, 25))
    explorer.controls["use_horizon"].value = False
    explorer.controls["rate"].value = 0.0
    assert explorer.share == 0.0 and "0.000 of 'never'" in explorer.summary()
    explorer.controls["compounding"].value = "continuous"
    explorer.controls["rate"].value = 0.05
    assert explorer.share == pytest.approx(discounting.share_of_never(49, 0.05, compounding="continuous"))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"years": 150}, ValueError, "0 to 100"),
    ({"years": 12.5}, ValueError, "whole number"),
    ({"rate": -0.01}, ValueError, "0 or more"),
    ({"rate": 0.3}, ValueError, "runs from 0 to 0.2"),
    ({"horizon": 0}, ValueError, "more than 0 years"),
    ({"compounding": "monthly"}, ValueError, "'discrete' or 'continuous'"),
])
def test_moratorium_invalid_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        MoratoriumExplorer(**kwargs)


# --- speed: measured by benchmarks/widget_redraw.py (figures, not a timed test) -------------

def test_benchmark_script_measures_every_explorer(capsys):
    spec = importlib.util.spec_from_file_location("widget_redraw", ROOT / "benchmarks" / "widget_redraw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = [cls.__name__ for cls in module.discover()]
    for name in ("EnlargementExplorer", "FeasibilityExplorer", "MoratoriumExplorer", "PackageVsTracksExplorer"):
        assert name in names
    assert module.main(["-n", "5", "--fail-above", "1000"]) == 0
    out = capsys.readouterr().out
    assert "FeasibilityExplorer" in out and "wall median" in out
