"""Every explorer in course.widgets keeps the widget contract (DESIGN.md, "Widgets")."""

from __future__ import annotations

import inspect

import pytest

import course.widgets
from course.widgets import EnlargementExplorer, Explorer

EXPLORERS = sorted(
    (obj for obj in vars(course.widgets).values()
     if inspect.isclass(obj) and issubclass(obj, Explorer) and obj is not Explorer),
    key=lambda cls: cls.__name__,
)


def test_explorers_are_exported():
    assert EnlargementExplorer in EXPLORERS


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_state_round_trips_through_the_constructor(cls):
    explorer = cls()
    rebuilt = cls(**explorer.state)
    assert rebuilt.state == explorer.state
    assert rebuilt.summary() == explorer.summary()


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_text_summary_without_a_front_end(cls):
    explorer = cls()
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == explorer.summary()
    assert len(explorer.summary()) > 20
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_set_rejects_unknown_controls(cls):
    with pytest.raises(KeyError, match="has no control 'no_such_control'"):
        cls().set(no_such_control=1)


def test_enlargement_explorer_follows_the_slider():
    explorer = EnlargementExplorer(year=1999)
    assert explorer.member_count == 19
    explorer.controls["year"].value = 2004  # what a student's slider does
    assert explorer.member_count == 26
    assert explorer.joined_this_year == ["Bulgaria", "Estonia", "Latvia", "Lithuania", "Romania",
                                         "Slovakia", "Slovenia"]
    assert explorer.state == {"year": 2004}
    assert "26 member states" in explorer.summary()
    assert "Estonia: joined 29 Mar 2004" in explorer.view.value


def test_enlargement_explorer_counts_and_errors():
    explorer = EnlargementExplorer(year=2024)
    assert explorer.member_count == 32
    assert explorer.counts["formerly non-aligned"] == 2
    assert explorer.counts["former Soviet republic"] == 3
    explorer.year = 1990
    assert explorer.member_count == 16  # the former GDR is not a separate member
    with pytest.raises(ValueError, match="between 1949 and 2026"):
        EnlargementExplorer(year=1900)
    with pytest.raises(TypeError, match="whole number"):
        EnlargementExplorer(year="2004")
