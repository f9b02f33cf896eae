"""Module 05 models: Fearon's bargaining range, Jervis's four worlds, 2x2 games (nashpy), noisy iterated PD."""

import pytest

from course.models import bargaining, games, iterated, security_dilemma


def test_bargaining_range_example_and_status_quo():
    r = bargaining.bargaining_range(0.7, 0.1, 0.2)
    assert (r.low, r.high, r.width) == pytest.approx((0.6, 0.9, 0.3))
    assert bargaining.bargaining_range(0.7, 0.1, 0.2, 0.4).position == "below"
    assert bargaining.bargaining_range(0.7, 0.1, 0.2, 0.95).position == "above"
    assert bargaining.bargaining_range(0.7, 0.1, 0.2, 0.6).position == "inside"


def test_bargaining_edge_cases():
    r = bargaining.bargaining_range(0.4, 0, 0)
    assert r.low == r.high == pytest.approx(0.4) and r.width == 0
    assert bargaining.bargaining_range(0, 0.2, 0.1).low == 0.0
    assert bargaining.bargaining_range(1, 0.2, 0.3).high == 1.0
    for bad in (-0.1, 1.1, "0.5", True, float("nan")):
        with pytest.raises(ValueError, match="from 0 to 1"):
            bargaining.bargaining_range(bad, 0.1, 0.1)


def test_jervis_four_worlds():
    assert security_dilemma.jervis_world(0.5, 0.1)["world"] == "doubly dangerous"
    assert security_dilemma.jervis_world(-0.5, 0.9)["world"] == "doubly stable"
    assert security_dilemma.jervis_world(-0.5, 0.1)["world"].startswith("security dilemma")
    assert security_dilemma.jervis_world(0.5, 0.9)["world"].startswith("no security dilemma")
    with pytest.raises(ValueError):
        security_dilemma.jervis_world(2, 0.5)


@pytest.mark.parametrize("name", list(games.CLASSIC))
def test_classic_games_are_named(name):
    assert games.game_name(games.CLASSIC[name]) == name


def test_equilibria_of_chicken_and_pd():
    eq = games.nash_equilibria(*games.symmetric(games.CLASSIC["Chicken"]))
    assert [e["label"] for e in eq] == ["(C, D)", "(D, C)", "mixed"]
    assert eq[2]["row"] == pytest.approx([0.5, 0.5])
    assert [e["label"] for e in games.nash_equilibria(*games.symmetric(games.CLASSIC["Prisoner's Dilemma"]))] == ["(D, D)"]


def test_degenerate_game_with_ties_lists_every_pure_equilibrium():
    flat = [[1, 1], [1, 1]]
    eq = games.nash_equilibria(flat, flat)
    assert {e["label"] for e in eq} == {"(C, C)", "(C, D)", "(D, C)", "(D, D)"}
    assert games.is_degenerate(flat, flat)
    assert games.game_name(flat) == "other"
    assert not games.is_degenerate(*games.symmetric(games.CLASSIC["Stag Hunt"]))


def test_games_bad_input():
    with pytest.raises(ValueError, match="2x2"):
        games.nash_equilibria([[1, 2, 3]], [[1, 2, 3]])
    with pytest.raises(ValueError, match="2x2"):
        games.game_name([["a", 1], [2, 3]])


def test_iterated_zero_noise_and_determinism():
    m = iterated.play_match("TitForTat", "Grim", rounds=50, noise=0.0)
    assert m["cooperation"] == 1.0 and m["flips"] == 0
    assert iterated.play_match("Defector", "TitForTat", 5)["moves_b"] == "CDDDD"
    a = iterated.play_match("GenerousTitForTat", "TitForTat", 200, 0.05, seed=3)
    assert a == iterated.play_match("GenerousTitForTat", "TitForTat", 200, 0.05, seed=3)
    assert iterated.generosity() == pytest.approx(1 / 3)


def test_noise_hurts_tit_for_tat_more_than_generous_tit_for_tat():
    tft = iterated.play_match("TitForTat", "TitForTat", 2000, 0.05, seed=0)["cooperation"]
    gtft = iterated.play_match("GenerousTitForTat", "GenerousTitForTat", 2000, 0.05, seed=0)["cooperation"]
    assert gtft > tft


def test_iterated_bad_input():
    with pytest.raises(ValueError, match="strategy_a"):
        iterated.play_match("Nice", "Grim")
    with pytest.raises(ValueError, match="noise"):
        iterated.play_match("Grim", "Grim", noise=1.5)
    with pytest.raises(ValueError, match="rounds"):
        iterated.play_match("Grim", "Grim", rounds=0)
    with pytest.raises(ValueError, match="T > R > P > S"):
        iterated.play_match("Grim", "Grim", payoffs={"R": 3, "S": 0, "T": 2, "P": 1})


# --- escalation dataset and model ------------------------------------------------------------------

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

from course import data  # noqa: E402
from course.data.schema import read_dataset  # noqa: E402
from course.models import escalation  # noqa: E402
from course.widgets import (BargainingRangeExplorer, EscalationLadder, GameExplorer,  # noqa: E402
                            IteratedGameExplorer, SecurityDilemmaExplorer)

ROOT = Path(__file__).resolve().parents[1]


def test_escalation_rows_the_brief_asks_for():
    frame = data.load_escalation()
    by_date = {(row.date.date().isoformat(), int(row.rung)) for row in frame.itertuples()}
    assert ("2022-02-21", 4) in by_date          # recognition of the DPR/LPR
    assert ("2022-02-24", 12) in by_date         # invasion: large conventional war
    assert ("2022-02-27", 11) in by_date         # deterrence forces' special regime: super-ready status
    assert ("2022-02-19", 5) in by_date          # strategic forces exercise
    assert ("2023-03-25", 5) in by_date          # nuclear weapons in Belarus announced
    assert ("2022-02-04", 2) in by_date          # joint statement with China
    assert {"2022-02-10", "2022-01-18"} <= {d for d, _ in by_date}  # Union Resolve 2022
    assert frame["source"].str.len().min() > 10
    assert frame["coding_rationale"].str.contains("the course's coding", regex=False).all()
    assert set(frame["countermeasure"].astype(str)) == set(data.catalog.ESCALATION_COUNTERMEASURES)
    article = (ROOT.parent / "shared" / "reference" / "trenin-2022-article.txt")
    if article.exists():
        text = " ".join(article.read_text(encoding="utf-8").split()).replace("\u2019", "'")
        for quote in frame["article_quote"]:
            for piece in str(quote).split(" ... "):
                assert piece in text, piece


def _write_escalation(tmp_path, edit):
    text = data.data_path("escalation.csv").read_text(encoding="utf-8").splitlines()
    text[1] = edit(text[1])
    path = tmp_path / "escalation.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def test_escalation_bad_rows_raise_data_error_naming_line_and_column(tmp_path):
    spec = data.DATASETS["escalation"]
    wrong_name = _write_escalation(tmp_path, lambda line: line.replace(",Show of Force,", ",Show of Strength,", 1))
    with pytest.raises(data.DataError, match=r"line 2, column 'rung_name'.*Show of Strength"):
        read_dataset(wrong_name, spec)
    too_high = _write_escalation(tmp_path, lambda line: line.replace(",5,Show of Force,", ",21,Show of Force,", 1))
    with pytest.raises(data.DataError, match=r"line 2, column 'rung'"):
        read_dataset(too_high, spec)
    unmarked = _write_escalation(tmp_path, lambda line: line.replace("(the course's coding)", "", 1))
    with pytest.raises(data.DataError, match=r"line 2, column 'coding_rationale'"):
        read_dataset(unmarked, spec)


def test_kahn_rungs_groups_and_thresholds():
    assert len(escalation.RUNGS) == 20 and escalation.TOP == 44
    assert escalation.rung_name(1) == "Ostensible Crisis"
    assert escalation.rung_name(12) == "Large Conventional War (or Actions)"
    assert escalation.group(3) == "Subcrisis Maneuvering" and escalation.group(4) == "Traditional Crises"
    assert escalation.group(44) == "Civilian Central Wars"
    assert "Bizarre Crises" in escalation.rung_name(22)
    assert escalation.thresholds_crossed(3) == []
    assert escalation.thresholds_crossed(12) == ["Don't rock the boat", "Nuclear war is unthinkable"]
    covered = [r for lo, hi, _ in escalation.GROUPS for r in range(lo, hi + 1)]
    assert covered == list(range(1, 45))
    for bad in (0, 45, 2.0, True, "5", None):
        with pytest.raises(ValueError, match="whole number from 1 to 44"):
            escalation.rung_name(bad)


def test_ladder_at_walks_by_date_and_rungs_are_not_climbed_in_order():
    frame = data.load_escalation()
    before = escalation.ladder_at(frame, "2021-12-31")
    assert before["events"] == [] and before["highest_rung"] is None
    on_24 = escalation.ladder_at(frame, pd.Timestamp("2022-02-24"))
    assert on_24["latest_rung"] == 12 and on_24["highest_rung"] == 12 and len(on_24["events"]) == 6
    end = escalation.ladder_at(frame, "2030-01-01")
    assert end["latest_rung"] == 5 and end["highest_rung"] == 12 and len(end["events"]) == len(frame)
    changes = [s["change"] for s in escalation.steps(frame)]
    assert changes[0] is None and any(c < 0 for c in changes[1:])  # the ladder goes down as well as up
    with pytest.raises(ValueError, match="date"):
        escalation.ladder_at(frame, "not a date")
    with pytest.raises(ValueError, match="missing rung"):
        escalation.ladder_at(frame.drop(columns="rung"), "2022-02-24")


# --- explorers ------------------------------------------------------------------------------------

def test_bargaining_explorer_state_round_trip_and_position():
    e = BargainingRangeExplorer(p=0.7, cost_a=0.1, cost_b=0.2)
    assert (e.low, e.high, e.position) == (0.6, 0.9, None)
    assert e.state == {"p": 0.7, "cost_a": 0.1, "cost_b": 0.2, "status_quo": None}
    e.set(status_quo=0.95)
    assert e.position == "above" and "status quo" in e.summary().lower()
    assert BargainingRangeExplorer(**e.state).state == e.state
    assert "<title>" in e.view.value
    with pytest.raises(KeyError, match="no control 'q'"):
        e.set(q=1)
    with pytest.raises(ValueError, match="p"):
        BargainingRangeExplorer(p=1.5)


def test_security_dilemma_explorer():
    e = SecurityDilemmaExplorer(balance=-0.5, distinguishability=0.9)
    assert e.world == "doubly stable"
    e.set(balance=0.5, distinguishability=0.1)
    assert e.world == "doubly dangerous" and "doubly dangerous" in e.summary()
    with pytest.raises(ValueError):
        SecurityDilemmaExplorer(balance=2)


def test_game_explorer_presets_custom_payoffs_and_front_end_edits():
    e = GameExplorer(game="Chicken")
    assert e.name == "Chicken" and e.equilibrium_labels == ["(C, D)", "(D, C)", "mixed"]
    mixed = e.equilibria[-1]
    assert mixed["row"] == [0.5, 0.5] and mixed["col"] == [0.5, 0.5]
    e.set(game="Prisoner's Dilemma")
    assert e.equilibrium_labels == ["(D, D)"] and e.best_responses["row"]["C"] == ["D"]
    e.set(row=[[4, 1], [3, 2]])
    assert e.state["game"] == "custom" and e.name == "Stag Hunt"
    assert GameExplorer(row=e.state["row"], col=e.state["col"]).equilibrium_labels == e.equilibrium_labels
    e.controls["game"].value = "Deadlock"          # as a front end would
    assert e.name == "Deadlock" and e.state["row"] == [[1.0, 0.0], [3.0, 2.0]]
    e.controls["row00"].value = 0.5                 # editing a cell makes the game custom
    assert e.state["game"] == "custom" and e.name == "Deadlock"
    with pytest.raises(ValueError, match="game must be one of"):
        GameExplorer(game="Poker")
    with pytest.raises(ValueError, match="2x2"):
        GameExplorer(row=[[1, 2, 3]])


def test_iterated_explorer_caches_and_matches_the_model():
    e = IteratedGameExplorer("TitForTat", "TitForTat", noise=0.05, rounds=200, seed=0)
    expected = iterated.play_match("TitForTat", "TitForTat", rounds=200, noise=0.05, seed=0)
    assert e.cooperation == expected["cooperation"]
    e.set(noise=0.0)
    assert e.cooperation == 1.0
    e.set(noise=0.05)
    assert len(e._cache) == 2 and e.cooperation == expected["cooperation"]
    assert e.state == {"strategy_a": "TitForTat", "strategy_b": "TitForTat", "noise": 0.05, "rounds": 200, "seed": 0}
    with pytest.raises(ValueError, match="strategy_a"):
        IteratedGameExplorer("Nice")
    with pytest.raises(ValueError, match="2000"):
        IteratedGameExplorer(rounds=5000)


def test_escalation_ladder_explorer():
    e = EscalationLadder(date="2022-02-21")
    assert e.highest_rung == 5 and e.latest_rung == 4 and len(e.events) == 5
    e.set(date="2022-02-27")
    assert e.highest_rung == 12 and e.latest_rung == 11
    assert "course's coding" in e.summary()
    with pytest.raises(ValueError, match="has no event"):
        e.set(date="2022-03-01")


@pytest.mark.parametrize("cls", [BargainingRangeExplorer, SecurityDilemmaExplorer, GameExplorer,
                                 IteratedGameExplorer, EscalationLadder])
def test_explorers_have_text_and_alt_text(cls):
    e = cls()
    assert e.summary() and repr(e) == e.summary()
    assert "<title>" in e.view.value or "aria-label" in e.view.value


def test_mixed_equilibrium_with_float_rounding_is_kept():
    # nashpy's is_best_response compares floats exactly and rejects this mixed equilibrium; the course's
    # check has a tolerance (each plays C with probability 0.9: 0*q - (1-q) = q - 10(1-q) gives q = 0.9).
    eqs = games.nash_equilibria(*games.symmetric([[0, -1], [1, -10]]))
    assert [e["label"] for e in eqs] == ["(C, D)", "(D, C)", "mixed"]
    assert eqs[-1]["row"] == [0.9, 0.1] and eqs[-1]["col"] == [0.9, 0.1]
    # ...and the tolerance does not admit a profile that is not an equilibrium
    assert all(e["label"] != "(C, C)" for e in eqs)
