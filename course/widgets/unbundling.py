"""Package versus parallel tracks: the chance that a whole package is agreed against the expected
number of agreements when each item has its own track (model: :mod:`course.models.unbundling`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from course.models import unbundling as model
from course.widgets import style
from course.widgets.base import Explorer

MAX_ITEMS = 8
SLIDER_STYLE = {"description_width": "70px"}
# Okabe-Ito (colour-blind safe); bars are graphics beside their numbers, never the only carrier of a value.
ITEM_COLOUR = style.OKABE_ITO["reddish purple"]
DISTRIBUTION_COLOUR = style.OKABE_ITO["bluish green"]
PACKAGE_COLOUR = style.OKABE_ITO["vermillion"]
TRACKS_COLOUR = style.OKABE_ITO["blue"]


class PackageVsTracksExplorer(Explorer):
    """Set each item's chance of agreement; compare one package with parallel tracks.

    >>> explorer = PackageVsTracksExplorer(probabilities=[0.6, 0.5, 0.4])
    >>> round(explorer.package_probability, 3), round(explorer.expected_agreements, 3)
    (0.12, 1.5)
    >>> explorer.state
    {'probabilities': [0.6, 0.5, 0.4], 'linkage': 0.0}

    ``probabilities``: 1 to 8 numbers in [0, 1], one per item; ``linkage`` in [0, 1]: 0 =
    items independent, 1 = one common draw decides them all. ``labels`` optionally names the
    items in the view.
    """

    title = "One package or parallel tracks?"

    def __init__(self, probabilities: Sequence[float] = (0.6, 0.5, 0.4), linkage: float = 0.0,
                 labels: Sequence[str] | None = None) -> None:
        ps = model.validate_probabilities(probabilities)
        if len(ps) > MAX_ITEMS:
            raise ValueError(f"the explorer shows at most {MAX_ITEMS} items, not {len(ps)}")
        model.package_probability(ps, linkage)  # validates linkage
        if labels is not None:
            labels = [str(label) for label in labels]
            if len(labels) != len(ps):
                raise ValueError(f"give one label per item ({len(ps)}), not {len(labels)}")
        self._labels = list(labels) if labels is not None else []
        self._initial = ps
        self._initial_linkage = float(linkage)
        super().__init__()
        self._show_items()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        controls: dict[str, widgets.Widget] = {
            "items": widgets.IntSlider(value=len(self._initial), min=1, max=MAX_ITEMS, description="items",
                                       style=SLIDER_STYLE, layout={"width": "300px"}),
            "linkage": widgets.FloatSlider(value=self._initial_linkage, min=0.0, max=1.0, step=0.05,
                                           description="linkage", style=SLIDER_STYLE,
                                           layout={"width": "300px"}),
        }
        padded = self._initial + [0.5] * (MAX_ITEMS - len(self._initial))
        for i, p in enumerate(padded, start=1):
            controls[f"p{i}"] = widgets.FloatSlider(value=p, min=0.0, max=1.0, step=0.01, description=f"p{i}",
                                                    style=SLIDER_STYLE, layout={"width": "300px"})
        return controls

    def _show_items(self) -> None:
        n = self.controls["items"].value
        for i in range(1, MAX_ITEMS + 1):
            self.controls[f"p{i}"].layout.display = None if i <= n else "none"

    def _before_redraw(self, change: dict) -> None:
        if change.get("owner") is self.controls["items"]:
            self._show_items()

    # -- state ----------------------------------------------------------------------------
    @property
    def probabilities(self) -> list[float]:
        n = self.controls["items"].value
        return [float(self.controls[f"p{i}"].value) for i in range(1, n + 1)]

    @property
    def linkage(self) -> float:
        return float(self.controls["linkage"].value)

    @property
    def state(self) -> dict[str, Any]:
        """``{"probabilities": [...], "linkage": ...}``: ``PackageVsTracksExplorer(**state)`` rebuilds it."""
        return {"probabilities": self.probabilities, "linkage": self.linkage}

    def set(self, probabilities: Sequence[float] | None = None, linkage: float | None = None,
            **controls: Any) -> "PackageVsTracksExplorer":
        """Change the items' probabilities (any number from 1 to 8) and/or the linkage; redraws once."""
        if probabilities is not None:
            ps = model.validate_probabilities(probabilities)
            if len(ps) > MAX_ITEMS:
                raise ValueError(f"the explorer shows at most {MAX_ITEMS} items, not {len(ps)}")
        if linkage is not None:
            model.package_probability([0.5], linkage)
        self._check_control_names(controls)
        with self._batch():
            if probabilities is not None:
                self.controls["items"].value = len(ps)
                for i, p in enumerate(ps, start=1):
                    self.controls[f"p{i}"].value = p
            if linkage is not None:
                self.controls["linkage"].value = float(linkage)
            for name, value in controls.items():
                self.controls[name].value = value
            self._show_items()
        return self

    # -- model ----------------------------------------------------------------------------
    def compute(self) -> dict:
        return model.compare(self.probabilities, self.linkage)

    @property
    def package_probability(self) -> float:
        """P(every item agreed) when all are tabled as one package."""
        return float(self.result["package_probability"])

    @property
    def expected_agreements(self) -> float:
        """Expected number of items agreed on parallel tracks (Σ p_i)."""
        return float(self.result["expected_agreements_tracks"])

    @property
    def expected_agreements_package(self) -> float:
        """Expected number of items agreed in the package (n × P(all))."""
        return float(self.result["expected_agreements_package"])

    @property
    def at_least_one(self) -> float:
        return float(self.result["at_least_one_tracks"])

    @property
    def distribution(self) -> list[float]:
        """P(k items agreed), k = 0..n, on parallel tracks."""
        return list(self.result["distribution_tracks"])

    # -- views ----------------------------------------------------------------------------
    def _label(self, i: int) -> str:
        return self._labels[i] if i < len(self._labels) else f"item {i + 1}"

    def render_html(self, r: dict) -> str:
        n = r["n"]

        def bar(value: float, top: float, colour: str) -> str:
            width = 0 if top == 0 else 220 * value / top
            return f"<div aria-hidden='true' style='background:{colour};height:12px;width:{width:.0f}px'></div>"

        items = "".join(
            f"<tr><td>{html.escape(self._label(i))}</td><td>{p:.2f}</td><td>{bar(p, 1, ITEM_COLOUR)}</td></tr>"
            for i, p in enumerate(r["probabilities"])
        )
        dist = "".join(
            f"<tr><td>{k}</td><td>{q:.3f}</td><td>{bar(q, 1, DISTRIBUTION_COLOUR)}</td></tr>"
            for k, q in enumerate(r["distribution_tracks"])
        )
        lower, upper = r["frechet_bounds"]
        return (
            "<div style='font:13px sans-serif;display:flex;gap:28px;flex-wrap:wrap'>"
            f"<div><table><tr><th>item</th><th colspan='2'>chance alone</th></tr>{items}</table></div>"
            "<div><table>"
            f"<tr><td><b>Package</b>: chance all {n} are agreed</td><td>{r['package_probability']:.3f}</td>"
            f"<td>{bar(r['package_probability'], 1, PACKAGE_COLOUR)}</td></tr>"
            f"<tr><td>Package: expected items agreed (n × P(all))</td><td>{r['expected_agreements_package']:.2f}</td>"
            f"<td>{bar(r['expected_agreements_package'], n, PACKAGE_COLOUR)}</td></tr>"
            f"<tr><td><b>Tracks</b>: expected items agreed (Σ p)</td><td>{r['expected_agreements_tracks']:.2f}</td>"
            f"<td>{bar(r['expected_agreements_tracks'], n, TRACKS_COLOUR)}</td></tr>"
            f"<tr><td>Tracks: chance of at least one</td><td>{r['at_least_one_tracks']:.3f}</td>"
            f"<td>{bar(r['at_least_one_tracks'], 1, TRACKS_COLOUR)}</td></tr></table>"
            f"<p style='color:{style.MUTED};max-width:420px'>Linkage {r['linkage']:.2f}. Whatever the dependence "
            f"between items, P(all) lies between {lower:.3f} and {upper:.3f} (Fréchet bounds).</p></div>"
            f"<div><table><tr><th>k agreed on tracks</th><th colspan='2'>probability</th></tr>{dist}</table></div></div>"
        )

    def render_text(self, r: dict) -> str:
        ps = ", ".join(f"{p:.2f}" for p in r["probabilities"])
        return "\n".join([
            f"{r['n']} items with chances {ps}; linkage {r['linkage']:.2f}.",
            f"One package: P(all agreed) = {r['package_probability']:.3f}; "
            f"expected items agreed = {r['expected_agreements_package']:.2f}.",
            f"Parallel tracks: expected items agreed = {r['expected_agreements_tracks']:.2f}; "
            f"P(at least one) = {r['at_least_one_tracks']:.3f}.",
        ])
