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
