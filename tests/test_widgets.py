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


# --- readable at 1280x720 and accessible (issue 13) --------------------------------------------
import math  # noqa: E402
import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import ipywidgets as widgets  # noqa: E402
import pandas as pd  # noqa: E402

from course.widgets import (  # noqa: E402
    CoercionCalculator,
    FeasibilityExplorer,
    MoratoriumExplorer,
    PackageVsTracksExplorer,
    TimelineExplorer,
    style,
)
from course.widgets import enlargement as enlargement_widget  # noqa: E402
from course.widgets import tilemap  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

#: colours a view may use: the Okabe-Ito palette, its darker text variants, and neutral greys
ALLOWED_COLOURS = {c.upper() for c in [*style.OKABE_ITO.values(), style.BACKGROUND, style.TEXT, style.MUTED,
                                       style.RULE, style.EMPTY, style.TEXT_BLUE, style.TEXT_VERMILLION,
                                       style.TEXT_GREEN, style.TEXT_PURPLE, "#FFFFFF"]}
HEX_IN_MARKUP = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def _views(cls):
    """The explorer's view in its starting state and after each control is pushed to its ends
    (sliders to min and max, every option of a dropdown or toggle, each checkbox flipped)."""
    explorer = cls()
    yield "start", explorer.view.value
    for name, control in list(explorer.controls.items()):
        if getattr(control.layout, "display", None) == "none" or getattr(control, "disabled", False):
            continue
        before = control.value
        if isinstance(control, widgets.Checkbox):
            values = [not before]
        elif hasattr(control, "options") and control.options:
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            values = options if len(options) <= 12 else [options[0], options[-1]]
        elif hasattr(control, "min"):
            values = [control.min, control.max]
        else:
            continue
        for value in values:
            try:
                control.value = value
            except Exception:  # a value the explorer refuses is not a state it can show
                continue
            yield f"{name}={value}", explorer.view.value
        control.value = before


def test_contrast_ratio_follows_wcag():
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert style.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert style.contrast_ratio("#0072B2", "#FFFFFF") == pytest.approx(5.19, abs=0.01)
    assert style.contrast_ratio("#E69F00", "#FFFFFF") < style.AA_TEXT        # why orange is never text
    with pytest.raises(ValueError, match="'#RRGGBB'"):
        style.contrast_ratio("red", "#fff")


def test_the_contrast_audit_finds_low_contrast_text():
    markup = ("<div style='background:#FFFFFF'><span style='color:#E69F00'>orange</span>"
              "<div style='background:#0072B2;color:#111111'>dark on blue</div><b>fine</b></div>")
    found = style.low_contrast(markup)
    assert [text for text, *_ in found] == ["orange", "dark on blue"]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_text_in_every_view_has_aa_contrast(cls):
    checked = 0
    for state, markup in _views(cls):
        pairs = style.text_colour_pairs(markup)
        assert pairs, f"{cls.__name__} ({state}): no text found"
        low = style.low_contrast(markup)
        assert low == [], f"{cls.__name__} ({state}): text below 4.5:1: {low[:5]}"
        checked += len(pairs)
    assert checked > 10


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_views_use_only_the_course_palette(cls):
    for state, markup in _views(cls):
        markup = re.sub(r"data:image/[^'\"]+", "", markup)
        used = {c.upper() if len(c) == 7 else "#" + "".join(d * 2 for d in c[1:]).upper()
                for c in HEX_IN_MARKUP.findall(markup)}
        # neutral greys (#RRGGBB with R = G = B) are safe for every kind of colour vision
        outside = {c for c in used - ALLOWED_COLOURS if not (c[1:3] == c[3:5] == c[5:7])}
        assert outside == set(), f"{cls.__name__} ({state}): colours outside the palette: {outside}"


def test_tile_labels_have_aa_contrast_on_every_fill():
    fills = [*enlargement_widget.CATEGORY_COLOURS.values(), enlargement_widget.RUSSIA_COLOUR, style.EMPTY]
    for fill in fills:
        assert style.contrast_ratio(style.text_colour_on(fill), fill) >= style.AA_TEXT, fill
    # the outline that marks "joined this year" is visible against the page and the tiles (SC 1.4.11)
    assert style.contrast_ratio(enlargement_widget.NEW_OUTLINE, style.BACKGROUND) >= style.AA_GRAPHICS


class _Accessibility(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.unlabelled, self.alt_texts, self._in_alt = 0, [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" or a.get("role") == "img":
            self.images += 1
            if not (a.get("aria-label") or "").strip():
                self.unlabelled.append(tag)
        if tag == "img":
            self.images += 1
            if not (a.get("alt") or "").strip():
                self.unlabelled.append("img")
        if "course-alt" in (a.get("class") or ""):
            self._in_alt = True

    def handle_data(self, data):
        if self._in_alt and data.strip():
            self.alt_texts.append(data.strip())
            self._in_alt = False


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_view_has_a_text_alternative(cls):
    explorer = cls()
    parser = _Accessibility()
    parser.feed(explorer.view.value)
    assert parser.unlabelled == [], f"{cls.__name__}: figures without a text alternative: {parser.unlabelled}"
    assert parser.alt_texts and parser.alt_texts[0] == explorer.description
    assert explorer.view.value.startswith("<div role='group' aria-label=")
    # its own background and text colour: the contrast holds in a dark theme as well
    first = explorer.view.value.split(">", 1)[0]
    assert f"color:{style.TEXT}" in first and f"background:{style.BACKGROUND}" in first
    assert len(explorer.description) > 20


def test_the_tile_map_can_be_read_without_seeing_it():
    explorer = EnlargementExplorer(year=2004)
    markup = explorer.view.value
    label = re.search(r'role="img" aria-label="([^"]+)"', markup).group(1)
    assert "26 member states at the end of 2004" in label and "Estonia" in label
    table = re.search(r"<table><caption.*?</table>", markup, re.S).group(0)
    assert table.count("<tr>") == 1 + len(explorer.result["rows"])      # header + one row per member row
    assert "<td>Estonia</td><td>29 Mar 2004</td><td>former Soviet republic</td>" in table
    assert "Members: Belgium" in explorer.description and "Estonia" in explorer.description


def test_the_legend_is_no_wider_than_the_map():
    legend = tilemap.legend_html({**enlargement_widget.CATEGORY_COLOURS, "Russia": "#555555"},
                                 outline=("joined", "#000000"))
    assert f"width:{tilemap.grid_width()}px" in legend and "grid-template-columns:repeat(2,1fr)" in legend
    assert tilemap.grid_width() <= 400


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, pd.NA, "", "  "])
def test_missing_values_show_as_a_dash(value):
    assert style.is_missing(value)
    assert style.show(value, "{:.2f}") == "—"


def test_present_values_are_not_missing():
    for value in (0, 0.0, False, "x", pd.Timestamp("2022-01-20")):
        assert not style.is_missing(value)
    assert style.show(0.5, "{:.2f}") == "0.50"


def test_tables_show_a_dash_for_nan_and_nat():
    frame = pd.DataFrame({"date": [pd.Timestamp("2022-01-20"), pd.NaT], "value": [1.5, math.nan],
                          "note": ["a", None]})
    for text in (style.frame_html(frame), style.frame_text(frame), style.series_text(frame["value"])):
        assert "—" in text and "NaN" not in text and "NaT" not in text and "None" not in text
    assert "2022-01-20" in style.frame_text(frame)


def test_notebooks_show_a_dash_once_the_widgets_are_imported():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert style.use_course_display()
    frame = pd.DataFrame({"x": [1.0, math.nan]})
    data, _ = shell.display_formatter.format(frame)
    assert "NaN" not in data["text/html"] and "—" in data["text/html"]
    assert "NaN" not in data["text/plain"] and "—" in data["text/plain"]
    import matplotlib as mpl

    assert [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]] == style.CYCLE


# Widths in the notebook at 1280x720: JupyterLab's cell content is about 1100 px wide there (no side
# panel); at JupyterLab's 13 px widget font a character is at most about 7.5 px wide on average.
CONTENT_WIDTH = 1100
CHAR_PX = 7.5


def _px(value, default=None):
    if str(value) == "initial":   # the label takes the room it needs
        return math.inf
    match = re.fullmatch(r"(\d+(?:\.\d+)?)px", str(value or ""))
    return float(match.group(1)) if match else default


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_no_control_label_is_cut_and_every_control_fits_1280(cls):
    explorer = cls()
    for name, control in explorer.controls.items():
        width = _px(control.layout.width)
        assert width is None or width <= CONTENT_WIDTH, f"{name}: {width}px is wider than the page"
        description = getattr(control, "description", "")
        if not description or isinstance(control, widgets.Checkbox):
            continue
        label_width = _px(getattr(control.style, "description_width", ""), 80.0)  # ipywidgets' default
        assert len(description) * CHAR_PX <= label_width, (
            f"{cls.__name__}.{name}: label {description!r} ({len(description)} characters) is cut in {label_width}px")
    if isinstance(explorer, FeasibilityExplorer):
        dropdown = explorer.controls["proposal"]
        longest = max(len(label) for label, _ in dropdown.options)
        room = _px(dropdown.layout.width) - _px(dropdown.style.description_width, 80.0) - 30  # the arrow
        assert longest * 6.5 <= room, f"the longest proposal ({longest} characters) is cut in {room}px"


# --- starting states are what the lesson plans demonstrate ---------------------------------------
def _plan(name):
    return (ROOT / "docs" / "lesson_plans" / name).read_text(encoding="utf-8")


def test_moratorium_starts_where_the_04_lesson_plan_starts():
    plan = _plan("04_limits.md")
    assert "49 yrs at 5% = 0.91, 69 yrs = 0.97, 10 yrs = 0.39" in plan
    assert "*limited horizon* = 25" in plan
    explorer = MoratoriumExplorer()
    assert (explorer.years, explorer.rate, explorer.horizon) == (49, 0.05, None)
    assert [round(explorer.table[n], 2) for n in (49, 69, 10)] == [0.91, 0.97, 0.39]
    explorer.controls["use_horizon"].value = True          # "tick limited horizon"
    assert explorer.horizon == 25


def test_feasibility_starts_where_the_04_lesson_plan_starts():
    plan = _plan("04_limits.md")
    assert "ρ ≈ 0.49" in plan and "is ranked 10th against the article's 1st" in plan
    explorer = FeasibilityExplorer()
    assert round(explorer.spearman, 2) == 0.49
    assert explorer.ranking.index("no_expansion_fsu") + 1 == 10
    explorer.set(weights={"stakes": 2, "verifiability": 0, "legal_form": 0, "face": 3, "reciprocity": 0})
    assert "ρ ≈ 0.62" in plan and round(explorer.spearman, 2) == 0.62


def test_package_and_calculator_and_timeline_start_where_their_lesson_plans_start():
    assert "0.6 × 0.5 × 0.4 = 0.12 against 0.6 + 0.5 + 0.4 = 1.5" in _plan("04_limits.md")
    package = PackageVsTracksExplorer()
    assert package.probabilities == [0.6, 0.5, 0.4] and package.linkage == 0.0
    assert round(package.package_probability, 2) == 0.12 and round(package.expected_agreements, 2) == 1.5
    assert "2014 – January 2022" in _plan("02_evolution.md")
    timeline = TimelineExplorer()
    assert (timeline.start, timeline.end) == ("2014-01", "2022-01")
    assert CoercionCalculator().state == {"benefit": 50.0, "p_benefit": 0.6, "cost": 40.0, "p_cost": 0.5,
                                          "concession_value": 0.0}


# --- static charts: labels that do not overlap, AA contrast, a text alternative ------------------
def _old_step_plot(members):
    """01's step plot as it was drawn before course.widgets.charts (the overlap the fix removes)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    states = members[members["accession_type"] != "reunification"].sort_values("accession_date")
    steps = states.groupby("accession_date").size().cumsum()
    end = pd.Timestamp("2025-12-31")
    fig = Figure(figsize=(9, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.step(list(steps.index) + [end], list(steps.values) + [steps.values[-1]], where="post")
    for date, count in steps.items():
        if date.year >= 1952:
            ax.annotate(str(date.year), (date, count), textcoords="offset points", xytext=(-12, 6), fontsize=8)
    ax.set_ylim(0, 35)
    return fig


def test_the_overlap_check_finds_the_old_step_plot_labels():
    from course import data
    from course.widgets import charts

    pairs = charts.overlapping_texts(_old_step_plot(data.load_enlargement()))
    assert ("2023", "2024") in pairs


def test_the_enlargement_step_plot_has_no_overlapping_labels():
    from course import data
    from course.widgets import charts

    members = data.load_enlargement()
    fig, alt = charts.enlargement_steps(members)
    assert charts.overlapping_texts(fig) == []
    assert style.figure_low_contrast(fig) == []
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"2017", "2020", "2023", "2024"} <= labels          # every wave is labelled
    assert "2024: 32" in alt and "NATO had 30 members" in alt   # 30 on 20 January 2022
    markup = style.figure_html(fig, alt, "caption")
    import html as html_module

    assert f"alt='{html_module.escape(alt, quote=True)}'" in markup


def test_the_durability_chart_is_readable_and_described():
    from course import data
    from course.models import durability
    from course.widgets import charts

    life = durability.durability_table(data.load_treaties(), data.load_treaty_events())
    fig, alt = charts.durability_bars(life)
    assert charts.overlapping_texts(fig) == []
    assert style.figure_low_contrast(fig) == []
    colours = {style.OKABE_ITO["blue"].lower(), style.OKABE_ITO["orange"].lower()}
    from matplotlib.colors import to_hex

    assert {to_hex(bar.get_facecolor()) for bar in fig.axes[0].patches} <= colours
    assert alt.startswith("Horizontal bar chart") and all(str(t) in alt for t in life["treaty_id"])


def test_show_gives_the_image_its_alt_text():
    from course.widgets import charts
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().plot([0, 1])
    shown = charts.show(fig, "A line from 0 to 1.", "caption text")
    assert "alt='A line from 0 to 1.'" in shown.data and "<figcaption" in shown.data
    with pytest.raises(ValueError, match="text alternative"):
        style.figure_html(fig, "  ")


def test_notebook_figures_are_shown_with_a_text_alternative():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    shell = InteractiveShell.instance()
    assert style.use_course_display()
    fig = Figure()
    ax = fig.add_subplot()
    for p in (0.9, 0.5):
        ax.plot([1, 2, 3], [p, p ** 2, p ** 3], label=f"each item p = {p}")
    ax.set_title("Independent items: P(all) = p^n")
    ax.set_xlabel("items in the package (n)")
    ax.legend()
    data, _ = shell.display_formatter.format(fig)
    alt = re.search(r"alt='([^']*)'", data["text/html"]).group(1)
    assert alt == ("Chart: Independent items: P(all) = p^n (2 lines). x axis: items in the package (n); "
                   "legend: each item p = 0.9, each item p = 0.5.")
    fig.course_alt = "Two falling curves."          # a notebook's own text alternative wins
    data, _ = shell.display_formatter.format(fig)
    assert "alt='Two falling curves.'" in data["text/html"]
    assert style.describe_figure(Figure()) == "A chart (it has no title or labels)."


def test_figure_descriptions_cope_with_dates_and_lists():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.step([pd.Timestamp("1949-08-24"), pd.Timestamp("1952-02-18"), pd.Timestamp("1955-05-06")], [12, 14, 15])
    ax.axvline(pd.Timestamp("2022-01-20"))
    ax.set_ylabel("member states")
    assert style.describe_figure(fig) == "Chart (1 line). y axis: member states."
    assert "alt='Chart (1 line)" in style.notebook_figure_html(fig)
