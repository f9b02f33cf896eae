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
