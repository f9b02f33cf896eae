"""Module 06 (Afterwards): the course-wide claims register and its render helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course import data
from course.data.catalog import CLAIM_SECTIONS
from course.models.claims import render_claim

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "trenin-2022-article.txt"


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u201c", "'").replace("\u201d", "'").replace('"', "'")
    return re.sub(r"\s+", " ", re.sub(r"-\s+", "-", text))


def test_register_covers_every_section_with_at_least_30_claims():
    claims = data.load_claims()
    assert len(claims) >= 30
    assert set(claims["section"].astype(str)) == set(CLAIM_SECTIONS)
    assert claims["source"].str.len().min() > 0


def test_the_slips_the_course_teaches_are_in_the_register():
    claims = data.load_claims().set_index("claim_id")
    assert claims.loc["C02", "verdict"] == "wrong" and "Permanent Council" in claims.loc["C02", "what_happened"]
    assert claims.loc["C18", "quote"] == "two-thirds of U.S. senators" and claims.loc["C18", "verdict"] == "loose"
    assert "next decade" in claims.loc["C37", "quote"] and claims.loc["C37", "verdict"] == "loose"
    assert "four of them" in claims.loc["C21", "quote"] and claims.loc["C21", "verdict"] == "loose"
    assert claims.loc["K01", "verdict"] == "not borne out"


def test_verdicts_fit_the_kind_of_claim():
    claims = data.load_claims()
    facts = claims[claims["kind"] == "fact"]
    assert facts["verdict"].isin(["accurate", "loose", "wrong", "open"]).all()
    forecasts = claims[claims["kind"] == "forecast"]
    assert forecasts["verdict"].isin(["borne out", "not borne out", "open"]).all()


@pytest.mark.skipif(not ARTICLE.exists(), reason="the article text is not beside the repository")
def test_every_article_quote_is_verbatim_and_short():
    article = _norm(ARTICLE.read_text(encoding="utf-8"))
    claims = data.load_claims()
    for row in claims[claims["section"] != "Kommersant interview"].itertuples():
        assert _norm(row.quote) in article, f"{row.claim_id}: quote not found verbatim in the article"
        assert len(row.quote.split()) < 25, f"{row.claim_id}: quote too long"


def test_claim_returns_plain_values_and_unknown_ids_are_named():
    row = data.claim("C34")
    assert row["verdict"] == "borne out" and row["date"] == "2022-06-29"
    assert all(isinstance(v, (str, type(None))) for v in row.values())
    assert data.claim("C05")["date"] is None
    with pytest.raises(KeyError, match="no claim 'C99'"):
        data.claim("C99")


def test_render_claim_shows_quote_verdict_and_source():
    shown = render_claim("C02")
    assert "the OSCE Standing Committee in Vienna" in shown.text
    assert "verdict: wrong" in shown.text
    assert "osce.org" in shown.markdown and "Verdict: wrong" in shown._repr_markdown_()
    assert "Kommersant" in render_claim("K01").text


# -- forecasts.csv ------------------------------------------------------------------------------
from course.data import DataError  # noqa: E402
from course.data.catalog import FORECASTS, KENT_SCALE  # noqa: E402
from course.data.schema import read_dataset  # noqa: E402
from course.models import forecasting as fc  # noqa: E402


def test_forecast_questions_are_sourced_resolved_and_tied_to_the_register():
    forecasts = data.load_forecasts()
    assert len(forecasts) >= 10
    assert (forecasts["as_of"] == "2022-01-21").all()
    assert set(forecasts["outcome"].astype(int)) == {0, 1}
    assert forecasts["source"].str.len().min() > 0 and forecasts["resolution"].str.len().min() > 0
    coded = forecasts.dropna(subset=["article_probability"])
    assert len(coded) >= 8
    claims = data.load_claims().set_index("claim_id")
    for row in coded.itertuples():
        assert str(row.claim_id) in claims.index
        assert claims.loc[str(row.claim_id), "kind"] in ("forecast", "judgment")
        assert row.article_probability == KENT_SCALE[str(row.article_estimate)]
    # the author's own "no war in the coming month" is scored
    assert forecasts.set_index("question_id").loc["F04", "claim_id"] == "K01"


def test_a_probability_that_does_not_match_its_estimate_is_named(tmp_path):
    text = data.data_path("forecasts.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",almost certain,0.93,", ",almost certain,0.5,")
    bad = tmp_path / "forecasts.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"forecasts.csv, line 2, column 'article_probability'"):
        read_dataset(bad, FORECASTS)


def test_an_outcome_other_than_0_or_1_is_named(tmp_path):
    text = data.data_path("forecasts.csv").read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace(",2022-02-28,0,", ",2022-02-28,2,", 1)
    bad = tmp_path / "forecasts.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3, column 'outcome'"):
        read_dataset(bad, FORECASTS)


def test_timeline_covers_what_happened_after_january_2022():
    timeline = data.load_timeline()
    after = timeline[timeline["date"] > "2022-01-31"]
    events = " ".join(after["event"].astype(str))
    for needle in ("recognises", "invasion", "Madrid", "Finland joins", "Vilnius", "Sweden joins",
                   "New START suspension", "CFE"):
        assert needle in events, needle
    assert not timeline.duplicated(["date", "event"]).any()


# -- the scoring model ------------------------------------------------------------------------
OUT = [1, 0, 1, 1, 0, 0, 1, 0]


def test_a_perfect_forecaster_scores_zero_with_full_resolution():
    assert fc.brier_score(OUT, OUT) == 0.0
    d = fc.murphy_decomposition([float(o) for o in OUT], OUT)
    assert d["reliability"] == 0.0
    assert d["resolution"] == pytest.approx(d["uncertainty"]) == pytest.approx(0.25)


def test_always_fifty_percent_scores_a_quarter_with_no_resolution():
    d = fc.murphy_decomposition([0.5] * len(OUT), OUT)
    assert fc.brier_score([0.5] * len(OUT), OUT) == 0.25 == d["brier"]
    assert d["resolution"] == 0.0
    assert d["reliability"] == pytest.approx(0.0)  # base rate here is 0.5


def test_certain_and_wrong_scores_one_and_zero_one_probabilities_are_accepted():
    assert fc.brier_score([0, 1, 0], [1, 0, 1]) == 1.0
    assert fc.brier_score([0.0, 1.0], [0, 1]) == 0.0


@pytest.mark.parametrize("bins", [None, 1, 2, 3, 5, 10])
def test_murphy_identity_holds_for_every_binning(bins):
    ps = [0.05, 0.1, 0.3, 0.3, 0.55, 0.7, 0.75, 0.9, 0.93, 1.0, 0.0, 0.42]
    os_ = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0]
    d = fc.murphy_decomposition(ps, os_, bins=bins)
    rebuilt = d["reliability"] - d["resolution"] + d["uncertainty"] + d["within_variance"] - 2 * d["within_covariance"]
    assert rebuilt == pytest.approx(fc.brier_score(ps, os_), abs=1e-12)
    if bins is None:
        assert d["within_variance"] == 0.0 and d["within_covariance"] == 0.0
        assert d["reliability"] - d["resolution"] + d["uncertainty"] == pytest.approx(d["brier"], abs=1e-12)


def test_reliability_by_hand():
    # two groups: 0.2 said twice (1 of 2 happened), 0.8 said twice (2 of 2)
    d = fc.murphy_decomposition([0.2, 0.2, 0.8, 0.8], [1, 0, 1, 1])
    assert d["reliability"] == pytest.approx((2 * 0.3 ** 2 + 2 * 0.2 ** 2) / 4)
    assert d["resolution"] == pytest.approx((2 * 0.25 ** 2 + 2 * 0.25 ** 2) / 4)
    assert d["uncertainty"] == pytest.approx(0.75 * 0.25)


def test_calibration_table_bins_and_edges():
    rows = fc.calibration_table([0.0, 0.19, 0.2, 0.99, 1.0], [0, 0, 1, 1, 1], bins=5)
    assert [(r["lower"], r["n"]) for r in rows] == [(0.0, 2), (0.2, 1), (0.8, 2)]
    assert rows[2]["observed_rate"] == 1.0 and rows[2]["mean_forecast"] == pytest.approx(0.995)
    assert [r["lower"] for r in fc.calibration_table([0.3, 0.3, 0.6], [1, 0, 1], bins=None)] == [0.3, 0.6]


@pytest.mark.parametrize("ps, os_, message", [
    ([1.2], [1], r"probability 1 is 1.2: probabilities lie between 0 and 1"),
    ([-0.1], [0], r"between 0 and 1"),
    ([70], [1], r"percentage"),
    ([0.5, 0.5], [1, None], r"outcome 2 is missing"),
    ([0.5, 0.5], [1, float("nan")], r"outcome 2 is missing"),
    ([0.5], [2], r"outcome 1 is 2: an outcome is 1"),
    ([0.5, None], [1, 1], r"probability 2 is missing"),
    (["0.5"], [1], r"not a number"),
    ([0.5, 0.5], [1], r"2 probabilities but 1 outcomes"),
    ([], [], r"no forecasts"),
])
def test_invalid_input_is_rejected_with_a_clear_message(ps, os_, message):
    with pytest.raises(ValueError, match=message):
        fc.brier_score(ps, os_)


def test_bad_bins_rejected():
    with pytest.raises(ValueError, match="bins must be None"):
        fc.murphy_decomposition([0.5], [1], bins=0)


def test_compare_scores_on_common_questions():
    result = fc.compare({"student": [0.9, 0.1, 0.5], "article": [0.93, None, 0.07]}, [1, 0, 1])
    assert result["article"]["n"] == 2 and result["student"]["n"] == 3
    assert result["student"]["n_common"] == 2
    assert result["always 50%"]["brier"] == 0.25
    assert result["student"]["brier_common"] == pytest.approx((0.01 + 0.25) / 2)
    with pytest.raises(ValueError, match="has 1 forecasts for 3 questions"):
        fc.compare({"x": [0.5]}, [1, 0, 1])


def test_the_articles_view_on_the_course_questions():
    f = data.load_forecasts().dropna(subset=["article_probability"])
    score = fc.brier_score(f["article_probability"].astype(float).tolist(), f["outcome"].astype(int).tolist())
    # recomputed by hand from the rows: stays correct if the rows change
    by_hand = sum((float(p) - int(o)) ** 2 for p, o in zip(f["article_probability"], f["outcome"])) / len(f)
    assert score == pytest.approx(by_hand)
    assert 0 <= score <= 1


# -- the ForecastScorer explorer ----------------------------------------------------------------
from course.widgets import ForecastScorer  # noqa: E402


def test_scorer_hides_outcomes_until_reveal():
    scorer = ForecastScorer()
    assert scorer.scores == {} and "outcomes hidden" in scorer.summary()
    assert "happened" not in scorer.view.value and "Brier" not in scorer.view.value


def test_scorer_state_round_trips_and_scores_match_the_model():
    outcomes = data.load_forecasts()["outcome"].astype(int).tolist()
    probs = [0.9 if o else 0.2 for o in outcomes]
    scorer = ForecastScorer(probabilities=probs, bins=0, reveal=True)
    assert ForecastScorer(**scorer.state).state == scorer.state
    assert scorer.scores["you"]["brier"] == pytest.approx(fc.brier_score(probs, outcomes))
    assert scorer.scores["always 50%"]["brier"] == 0.25
    d = scorer.decomposition["you"]
    assert d["reliability"] - d["resolution"] + d["uncertainty"] == pytest.approx(d["brier"])
    assert "<title>Calibration plot" in scorer.view.value
    scorer.set(probabilities={"F01": 1.0}, bins=10)
    assert scorer.state["probabilities"]["F01"] == 1.0 and scorer.state["bins"] == 10
    assert scorer.state["probabilities"]["F02"] == probs[1]


def test_scorer_rejects_bad_settings():
    with pytest.raises(ValueError, match="between 0 and 1"):
        ForecastScorer(probabilities={"F01": 1.2})
    with pytest.raises(KeyError, match="no question 'F99'"):
        ForecastScorer(probabilities={"F99": 0.5})
    with pytest.raises(ValueError, match="for 14 questions"):
        ForecastScorer(probabilities=[0.5, 0.5])
    with pytest.raises(ValueError, match="bins is 3"):
        ForecastScorer(bins=3)
    with pytest.raises(KeyError, match="no control 'colour'"):
        ForecastScorer().set(colour="red")


# -- the lesson plan ----------------------------------------------------------------------------
def test_docstring_examples_of_the_forecasting_modules_hold():
    import doctest

    import course.models.forecasting
    import course.widgets.afterwards

    for module in (course.models.forecasting, course.widgets.afterwards):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
