"""The pattern every explorer follows: controls → pure model → HTML view (+ text summary)."""

from __future__ import annotations

import html
import time
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from course.widgets import style


class Explorer:
    """Base class for the course's interactive explorers.

    Subclasses implement:

    - ``_make_controls()`` → dict of name → ipywidgets control, built from constructor values;
    - ``compute()`` → the model's result for the current ``state`` (call pure functions only);
    - ``render_html(result)`` → HTML for the view;
    - ``render_text(result)`` → a plain-text summary (shown without a front end).

    Optionally ``_layout_controls()`` → the widgets that hold the controls (default: one row that
    wraps), and ``alt_text(result)`` → the text alternative of the view (default: the summary).

    Every view carries its text alternative: the view is a ``role="group"`` labelled with the
    explorer's title and holds a visually hidden description of what it shows (read by screen
    readers, not drawn); charts inside it are ``role="img"`` with an ``aria-label``.

    ``state`` returns the controls' values as plain Python values; ``set(**values)`` changes
    several at once and redraws once. ``result`` is the latest model result.
    """

    title: str = ""

    def __init__(self) -> None:
        self.controls: dict[str, widgets.Widget] = self._make_controls()
        self.view = widgets.HTML()
        self.last_redraw_ms: float = 0.0
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = self._compose(self._layout_controls())
        self.redraw()

    def _layout_controls(self) -> list[widgets.Widget]:
        """The widgets that hold the controls, between the title and the view (override to group)."""
        return [widgets.HBox(list(self.controls.values()), layout={"flex_flow": "row wrap", "max_width": "100%"})]

    def _compose(self, middle: list[widgets.Widget]) -> widgets.VBox:
        """Title, ``middle`` (the controls), view: the explorer's widget, marked for the browser test."""
        header = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        box = widgets.VBox(header + list(middle) + [self.view], layout={"max_width": "100%"})
        box.add_class("course-explorer")  # found by the browser test (tests/test_browser.py)
        self.view.add_class("course-explorer-view")
        return box

    # -- to implement -------------------------------------------------------------------
    def _make_controls(self) -> dict[str, widgets.Widget]:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render_html(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def render_text(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- state --------------------------------------------------------------------------
    @property
    def state(self) -> dict[str, Any]:
        """The controls' current values as plain Python values."""
        return {name: _plain(control.value) for name, control in self.controls.items()}

    def set(self, **values: Any) -> "Explorer":
        """Set several controls at once (redraws once); unknown names raise ``KeyError``."""
        self._check_control_names(values)
        with self._batch():
            for name, value in values.items():
                self.controls[name].value = value
        return self

    def _check_control_names(self, names) -> None:
        """Raise ``KeyError`` naming any of ``names`` that is not a control."""
        unknown = sorted(set(names) - set(self.controls))
        if unknown:
            raise KeyError(f"{type(self).__name__} has no control {', '.join(map(repr, unknown))}; "
                           f"it has {', '.join(map(repr, self.controls))}")

    @contextmanager
    def _batch(self, redraw: bool = True):
        """Change several controls without a redraw for each; redraw once at the end (unless
        ``redraw`` is False or an outer batch is open). Nothing is redrawn if the block fails."""
        holding, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = holding
        if redraw and not holding:
            self.redraw()

    # -- drawing ------------------------------------------------------------------------
    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self._before_redraw(change)
            self.redraw()

    def _before_redraw(self, change: dict) -> None:
        """Hook for a control change made in the front end (``change["owner"]`` is the control):
        keep other controls in step before the view redraws, e.g. enable a dependent slider.
        Changes made through :meth:`set` do not pass here. Default: nothing."""

    def redraw(self) -> None:
        """Recompute and redraw the view; records the time taken in ``last_redraw_ms``."""
        start = time.perf_counter()
        self.result = self.compute()
        self.view.value = self._accessible(self.render_html(self.result))
        self.last_redraw_ms = (time.perf_counter() - start) * 1000

    def _accessible(self, markup: str) -> str:
        """The view's HTML inside a labelled group with its text alternative (visually hidden). The
        group draws its own white background under dark text, so the contrast the tests measure
        holds in JupyterLab's dark theme too."""
        label = html.escape(self.title or type(self).__name__, quote=True)
        return (f"<div role='group' aria-label='{label}' style='position:relative;color:{style.TEXT};"
                f"background:{style.BACKGROUND}'>"
                f"{style.visually_hidden(self.alt_text(self.result))}{markup}</div>")

    def alt_text(self, result: Any) -> str:
        """The text alternative of the view for ``result`` (default: the text summary)."""
        return self.render_text(result)

    @property
    def description(self) -> str:
        """The text alternative of what the view shows now (what a screen reader reads)."""
        return self.alt_text(self.result)

    def summary(self) -> str:
        """The text summary of the current result."""
        return self.render_text(self.result)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle = dict(bundle)
        bundle["text/plain"] = self.summary()
        return bundle

    def __repr__(self) -> str:
        return self.summary()


def _plain(value: Any) -> Any:
    """ipywidgets values as plain Python (tuples from range sliders become lists)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
