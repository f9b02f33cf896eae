"""Loaders return typed frames, reject malformed rows precisely, and the data hold the facts."""

from __future__ import annotations

import pandas as pd
import pytest

from course import data
from course.data.schema import Column, DataError, Dataset, read_dataset


@pytest.mark.parametrize("name", sorted(data.DATASETS))
def test_every_dataset_loads_typed_and_sourced(name):
    frame = data.load(name)
    spec = data.DATASETS[name]
    assert list(frame.columns) == spec.names
    assert len(frame) > 0
    assert frame["source"].str.len().min() > 10, "every row needs a real source"
    for column in spec.columns:
        dtype = frame[column.name].dtype
        if column.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), column.name
        elif column.kind == "category":
            assert isinstance(dtype, pd.CategoricalDtype), column.name
        elif column.kind == "int":
            assert pd.api.types.is_integer_dtype(dtype), column.name


def test_load_returns_a_copy_that_callers_may_change():
    first = data.load_enlargement()
    first.loc[0, "country"] = "Atlantis"
    assert "Atlantis" not in set(data.load_enlargement()["country"])


def test_unknown_dataset_names_the_ones_that_exist():
    with pytest.raises(KeyError, match="enlargement"):
        data.load("enlargment")


SPEC = Dataset(
    file="demo.csv",
    columns=(
        Column("country"),
        Column("date", "date"),
        Column("year", "int", minimum=1949),
        Column("kind", "category", choices=("a", "b")),
        Column("note", required=False),
        Column("source"),
    ),
    key=("country",),
)
GOOD = "country,date,year,kind,note,source\nX,2004-03-29,2004,a,,NATO\n"


def _write(tmp_path, text):
    path = tmp_path / "demo.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_reads(tmp_path):
    frame = read_dataset(_write(tmp_path, GOOD), SPEC)
    assert frame.loc[0, "year"] == 2004
    assert frame.loc[0, "date"] == pd.Timestamp("2004-03-29")
    assert pd.isna(frame.loc[0, "note"])


@pytest.mark.parametrize(
    "row, message",
    [
        ("Y,2004-13-29,2004,a,,NATO", "demo.csv, line 3, column 'date': '2004-13-29' is not a date"),
        ("Y,2004-03-29,20x4,a,,NATO", "demo.csv, line 3, column 'year': '20x4' is not a whole number"),
        ("Y,2004-03-29,1900,a,,NATO", "demo.csv, line 3, column 'year': 1900 is below the minimum 1949"),
        ("Y,2004-03-29,2004,c,,NATO", "demo.csv, line 3, column 'kind': 'c' is not one of 'a', 'b'"),
        ("Y,2004-03-29,2004,a,,", "demo.csv, line 3, column 'source': is empty"),
        ("X,2004-03-29,2004,a,,NATO", "demo.csv, line 3: duplicate row for country='X'"),
    ],
)
def test_a_malformed_row_is_named_by_file_line_and_column(tmp_path, row, message):
    with pytest.raises(DataError) as info:
        read_dataset(_write(tmp_path, GOOD + row + "\n"), SPEC)
    assert str(info.value).startswith(message)


def test_missing_and_unexpected_columns_are_named(tmp_path):
    text = "country,date,year,kind,source,extra\nX,2004-03-29,2004,a,NATO,1\n"
    with pytest.raises(DataError, match="missing column\\(s\\) 'note'; unexpected column\\(s\\) 'extra'"):
        read_dataset(_write(tmp_path, text), SPEC)


def test_a_file_that_is_not_csv_is_reported(tmp_path):
    path = tmp_path / "demo.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x00")
    with pytest.raises(DataError, match="demo.csv"):
        read_dataset(path, SPEC)


def test_enlargement_wave_year_must_match_the_date(tmp_path):
    source = data.data_path("nato_enlargement.csv").read_text(encoding="utf-8")
    broken = source.replace("Montenegro,2017-06-05,2017", "Montenegro,2017-06-05,2016")
    path = tmp_path / "nato_enlargement.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataError, match="line 31, column 'wave_year': 2016 differs"):
        read_dataset(path, data.DATASETS["enlargement"])


# --- facts the course relies on (checked against shared/reference/facts.md) -----------------

def test_the_four_us_withdrawals_the_article_lists():
    events = data.load_treaty_events()
    us_exits = events[(events["party"] == "United States")
                      & events["event"].isin(["withdrawal effective"])].set_index("treaty_id")["date"]
    assert us_exits["abm"] == pd.Timestamp("2002-06-13")
    assert us_exits["inf"] == pd.Timestamp("2019-08-02")
    assert us_exits["open_skies"] == pd.Timestamp("2020-11-22")
    assert us_exits["jcpoa"] == pd.Timestamp("2018-05-08")


def test_treaty_facts():
    treaties = data.load_treaties().set_index("treaty_id")
    assert treaties.loc["new_start", "in_force"] == pd.Timestamp("2011-02-05")
    assert treaties.loc["adapted_cfe", "signed"] == pd.Timestamp("1999-11-19")
    assert pd.isna(treaties.loc["adapted_cfe", "in_force"])
    assert not treaties.loc["jcpoa", "legally_binding"]
    assert not treaties.loc["founding_act", "legally_binding"]
    events = data.load_treaty_events()
    russia_cfe = events[(events["treaty_id"] == "cfe") & (events["party"] == "Russia")]
    assert pd.Timestamp("2023-11-07") in set(russia_cfe["date"])


def test_every_treaty_event_refers_to_a_known_treaty():
    known = set(data.load_treaties()["treaty_id"])
    assert set(data.load_treaty_events()["treaty_id"]) <= known


def test_timeline_facts():
    timeline = data.load_timeline().set_index("date")
    assert timeline.index.min() >= pd.Timestamp("1990-01-01")
    assert timeline.index.max() <= pd.Timestamp("2026-12-31")
    assert "OSCE Permanent Council" in timeline.loc[pd.Timestamp("2022-01-13"), "event"]
    assert "invasion" in timeline.loc[pd.Timestamp("2022-02-24"), "event"]
    assert "written responses" in timeline.loc[pd.Timestamp("2022-01-26"), "event"]


def test_an_event_for_an_unknown_treaty_is_rejected(monkeypatch):
    events = data.load("treaty_events")
    events.loc[3, "treaty_id"] = "salt_iii"
    monkeypatch.setattr(data, "load", lambda name: events if name == "treaty_events" else data._load_cached(name))
    with pytest.raises(DataError, match="treaty_events.csv, line 5, column 'treaty_id': 'salt_iii' is not"):
        data.load_treaty_events()


# --- the fact-check of modules 01 and 04 (issue 13): primary sources, flagged codings ----------

import json as _json  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

from course.sources import ARTICLE, article_citation  # noqa: E402

_ROOT = _Path(__file__).resolve().parents[1]


def _notebook_text(relative: str) -> str:
    cells = _json.loads((_ROOT / relative).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def test_the_article_is_cited_from_one_constant():
    assert ARTICLE["author"] == "Dmitry Trenin" and ARTICLE["date"] == "2022-01-20"
    assert ARTICLE["publisher"] == "Carnegie Moscow Center"
    assert ARTICLE["url"] == "https://carnegiemoscow.org/commentary/86222"
    assert str(ARTICLE["archived_url"]).endswith(str(ARTICLE["url"]))
    assert ARTICLE["title_verified"] is False      # honest until checked against the archived page
    assert str(ARTICLE["title"]) in article_citation() and str(ARTICLE["url"]) in article_citation(markdown=False)


@pytest.mark.parametrize("notebook", ["notebooks/01_roots.ipynb", "notebooks/04_limits.ipynb",
                                      "solutions/01_roots_exercises.ipynb", "solutions/04_limits_exercises.ipynb"])
def test_modules_01_and_04_link_the_article_itself(notebook):
    text = _notebook_text(notebook)
    assert str(ARTICLE["url"]) in text and str(ARTICLE["title"]) in text
    assert "themoscowtimes.com/author" not in text      # the author's page is not the article


_MODULE_LECTURES = sorted(str(p.relative_to(_ROOT)) for p in (_ROOT / "notebooks").glob("0[0-9]_*.ipynb"))


@pytest.mark.parametrize("notebook", _MODULE_LECTURES)
def test_every_module_lecture_prints_the_citation_from_the_one_constant(notebook):
    cells = _json.loads((_ROOT / notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "cite_article()" in code                      # printed from course.sources.ARTICLE
    text = _notebook_text(notebook)
    assert str(ARTICLE["url"]) in text and str(ARTICLE["archived_url"]) in text
    assert "Commentary on the Russia–US talks" not in text   # the old title-less citation


def test_no_student_facing_text_cites_the_internal_fact_sheet():
    paths = [*(_ROOT / "notebooks").glob("*.ipynb"), *(_ROOT / "solutions").glob("*.ipynb"),
             *(_ROOT / "docs").rglob("*.md"), *(_ROOT / "course").rglob("*.py")]
    offenders = [str(p.relative_to(_ROOT)) for p in paths if "facts.md" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_module_04_cites_kendall_1945_and_the_arms_control_act():
    lecture = _notebook_text("notebooks/04_limits.ipynb")
    assert "Kendall 1945" in lecture and "Biometrika* 33(3), 1945" in lecture
    assert "Kendall 1938;" not in lecture
    for text in (lecture, _notebook_text("solutions/04_limits_exercises.ipynb"),
                 (_ROOT / "docs/lesson_plans/04_limits.md").read_text(encoding="utf-8")):
        assert "2573(b)" in text and "module 03" in text.lower()
    from course.models import durability
    assert "2573(b)" in durability.LEGAL_FORMS["intergovernmental (executive) agreement"]["to conclude (US)"]


def test_module_04_no_longer_rests_on_secondary_or_partisan_sources():
    lecture = _notebook_text("notebooks/04_limits.ipynb")
    assert "golden rule" not in lecture and "Daily Mail" not in lecture
    assert "1486680531169431555" in lecture                 # Kuleba's own post of 27 Jan 2022
    assert 'render_claim("C29")' in lecture and 'render_claim("C37")' in lecture   # Redzikowo; Biden's "decade"
    proposals = data.load_proposals()
    assert not proposals["source"].str.contains("Antiwar", case=False).any()


def test_the_2018_address_is_flagged_as_the_articles_rendering():
    row = data.load_timeline().set_index("date").loc[pd.Timestamp("2018-03-01")]
    assert "Trenin renders" in row["detail"] and "UNVERIFIED" in row["detail"]
    assert "kremlin.ru" in row["source"]
