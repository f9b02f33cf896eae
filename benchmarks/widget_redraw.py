"""Redraw time of every explorer in course.widgets.

Finds every subclass of ``course.widgets.base.Explorer`` defined in a module of the
``course.widgets`` package (so explorers added later are measured without editing this file),
builds each with its default arguments, changes its controls N times in turn (sliders step back
and forth, dropdowns and toggle buttons cycle, checkboxes flip) and prints, per explorer, the
median and the maximum time of

- ``wall``: setting the control's value until every observer has returned (what a user waits
  for after moving a slider, minus the browser's own rendering), and
- ``redraw``: the explorer's own recompute + HTML render (``explorer.last_redraw_ms``).

Usage::

    python benchmarks/widget_redraw.py            # 200 changes per explorer
    python benchmarks/widget_redraw.py -n 50 --fail-above 100

Exit status 1 when ``--fail-above MS`` is given and some explorer's maximum wall time exceeds it,
or when an explorer cannot be built with its defaults.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ipywidgets as widgets  # noqa: E402

import course.widgets  # noqa: E402
from course.widgets.base import Explorer  # noqa: E402


def discover() -> list[type[Explorer]]:
    """Every Explorer subclass defined in a course.widgets module, sorted by name."""
    found: dict[str, type[Explorer]] = {}
    for info in pkgutil.iter_modules(course.widgets.__path__, "course.widgets."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Explorer) and obj is not Explorer and obj.__module__ == module.__name__:
                found[obj.__name__] = obj
    for name in getattr(course.widgets, "__all__", []):
        obj = getattr(course.widgets, name)
        if inspect.isclass(obj) and issubclass(obj, Explorer) and obj is not Explorer:
            found[obj.__name__] = obj
    return [found[name] for name in sorted(found)]


def perturbation(control: widgets.Widget) -> Callable[[], None] | None:
    """A function that changes ``control``'s value to a different valid value, or None."""
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        start = control.value
        other = start + control.step if start + control.step <= control.max else start - control.step

        def flip() -> None:
            control.value = other if control.value == start else start
        return flip
    options = getattr(control, "_options_values", None)
    if options is not None and len(options) > 1:
        values = list(options)

        def cycle() -> None:
            index = values.index(control.value) if control.value in values else -1
            control.value = values[(index + 1) % len(values)]
        return cycle
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        def toggle() -> None:
            control.value = not control.value
        return toggle
    return None


def measure(cls: type[Explorer], n: int) -> dict:
    explorer = cls()
    changes = [(name, fn) for name, control in explorer.controls.items() if (fn := perturbation(control))]
    if not changes:
        return {"controls": 0, "wall": [], "redraw": []}
    wall, redraw = [], []
    for i in range(n):
        _, change = changes[i % len(changes)]
        start = time.perf_counter()
        change()
        wall.append((time.perf_counter() - start) * 1000)
        redraw.append(explorer.last_redraw_ms)
    return {"controls": len(changes), "wall": wall, "redraw": redraw}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="value changes per explorer (default 200)")
    parser.add_argument("--fail-above", type=float, default=None, metavar="MS",
                        help="exit 1 if an explorer's maximum wall time exceeds MS milliseconds")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")

    status = 0
    print(f"Redraw time per value change ({args.n} changes per explorer), milliseconds")
    print(f"{'explorer':28s} {'controls':>8s} {'wall median':>12s} {'wall max':>9s} {'redraw median':>14s} {'redraw max':>11s}")
    for cls in discover():
        try:
            result = measure(cls, args.n)
        except TypeError as exc:
            print(f"{cls.__name__:28s} cannot be built with its default arguments: {exc}")
            status = 1
            continue
        if not result["wall"]:
            print(f"{cls.__name__:28s} {0:8d}  (no controls to change)")
            continue
        wall_med, wall_max = statistics.median(result["wall"]), max(result["wall"])
        red_med, red_max = statistics.median(result["redraw"]), max(result["redraw"])
        print(f"{cls.__name__:28s} {result['controls']:8d} {wall_med:12.2f} {wall_max:9.2f} {red_med:14.2f} {red_max:11.2f}")
        if args.fail_above is not None and wall_max > args.fail_above:
            print(f"  ! {cls.__name__}: maximum {wall_max:.1f} ms is above {args.fail_above:g} ms")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
