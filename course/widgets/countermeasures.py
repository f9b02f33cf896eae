"""Module 05's explorers, thin views over :mod:`course.models.bargaining`, ``security_dilemma``,
``games``, ``iterated`` and ``escalation``: Fearon's bargaining range, Jervis's four worlds, 2x2 games
(equilibria from nashpy), the noisy iterated Prisoner's Dilemma and Kahn's escalation ladder."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from course import data
from course.models import bargaining, escalation, games, iterated, security_dilemma
from course.widgets import style
from course.widgets.base import Explorer

# Okabe-Ito palette (colour-blind safe), from course.widgets.style; a neutral grey
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY = (style.OKABE_ITO[name] for name in (
    "blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue"))
GREY = "#999999"
STYLE = {"description_width": "initial"}
FONT = "font:13px sans-serif"


def _slider(value, lo, hi, step, description, width="300px"):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=".2f", style=STYLE, layout=widgets.Layout(width=width))


# --------------------------------------------------------------------------------------------
class BargainingRangeExplorer(Explorer):
    """Fearon's (1995) bargaining range on [0, 1], with an optional status quo.

    >>> e = BargainingRangeExplorer(p=0.7, cost_a=0.1, cost_b=0.2)
    >>> round(e.low, 2), round(e.high, 2)
    (0.6, 0.9)
    """

    title = "Bargaining range (Fearon 1995)"

    def __init__(self, p: float = 0.5, cost_a: float = 0.1, cost_b: float = 0.1,
                 status_quo: float | None = None) -> None:
        bargaining.bargaining_range(p, cost_a, cost_b, status_quo)  # the model's checks
        self._initial = {"p": float(p), "cost_a": float(cost_a), "cost_b": float(cost_b),
                         "status_quo": status_quo}
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s = self._initial
        sq = s["status_quo"]
        return {
            "p": _slider(s["p"], 0, 1, 0.01, "p (A wins)"),
            "cost_a": _slider(s["cost_a"], 0, 1, 0.01, "A's cost of war"),
            "cost_b": _slider(s["cost_b"], 0, 1, 0.01, "B's cost of war"),
            "show_status_quo": widgets.Checkbox(value=sq is not None, description="show status quo", indent=False,
                                                layout=widgets.Layout(width="140px")),
            "status_quo": _slider(0.5 if sq is None else float(sq), 0, 1, 0.01, "status quo (A's share)"),
        }

    @property
    def state(self) -> dict[str, Any]:
        """``{"p", "cost_a", "cost_b", "status_quo"}`` (status_quo None when hidden)."""
        c = self.controls
        return {"p": float(c["p"].value), "cost_a": float(c["cost_a"].value), "cost_b": float(c["cost_b"].value),
                "status_quo": float(c["status_quo"].value) if c["show_status_quo"].value else None}

    def set(self, **values: Any) -> "BargainingRangeExplorer":
        """Change ``p``, ``cost_a``, ``cost_b`` and/or ``status_quo`` (None hides it)."""
        unknown = sorted(set(values) - {"p", "cost_a", "cost_b", "status_quo"})
        if unknown:
            raise KeyError(f"BargainingRangeExplorer has no control {', '.join(map(repr, unknown))}; "
                           "its settings are 'p', 'cost_a', 'cost_b', 'status_quo'")
        merged = {**self.state, **values}
        bargaining.bargaining_range(merged["p"], merged["cost_a"], merged["cost_b"], merged["status_quo"])
        with self._batch():
            for name in ("p", "cost_a", "cost_b"):
                self.controls[name].value = float(merged[name])
            self.controls["show_status_quo"].value = merged["status_quo"] is not None
            if merged["status_quo"] is not None:
                self.controls["status_quo"].value = float(merged["status_quo"])
        return self

    def compute(self) -> bargaining.BargainingRange:
        s = self.state
        return bargaining.bargaining_range(s["p"], s["cost_a"], s["cost_b"], s["status_quo"])

    @property
    def low(self) -> float:
        return float(self.result.low)

    @property
    def high(self) -> float:
        return float(self.result.high)

    @property
    def width(self) -> float:
        return float(self.result.width)

    @property
    def position(self) -> str | None:
        """"inside", "below", "above" or None (no status quo)."""
        return self.result.position

    def render_html(self, r: bargaining.BargainingRange) -> str:
        w, left, right = 640, 30, 30
        span = w - left - right

        def x(v: float) -> float:
            return left + v * span

        alt = html.escape(f"Bargaining range: deals giving A between {r.low:.2f} and {r.high:.2f} of the good "
                          f"are better for both than war (p = {r.p:.2f}).", quote=True)
        parts = [f"<svg role='img' aria-label='{alt}' width='{w}' height='110' style='font:11px sans-serif'>",
                 f"<title>{alt}</title>",
                 f"<line x1='{x(0)}' y1='60' x2='{x(1)}' y2='60' stroke='#333'/>",
                 f"<rect x='{x(r.low):.1f}' y='48' width='{max(x(r.high) - x(r.low), 2):.1f}' height='24' "
                 f"fill='{SKY}' opacity='0.7'/>",
                 f"<line x1='{x(r.p):.1f}' y1='40' x2='{x(r.p):.1f}' y2='80' stroke='{BLUE}' stroke-width='2'/>",
                 f"<text x='{x(r.p):.1f}' y='34' text-anchor='middle' fill='{BLUE}'>p = {r.p:.2f}</text>",
                 f"<text x='{x(r.low):.1f}' y='92' text-anchor='end'>{r.low:.2f}</text>",
                 f"<text x='{x(r.high):.1f}' y='92' text-anchor='start'>{r.high:.2f}</text>",
                 f"<text x='{x(0)}' y='106'>0 (all to B)</text>",
                 f"<text x='{x(1)}' y='106' text-anchor='end'>1 (all to A)</text>"]
        if r.status_quo is not None:
            colour = GREEN if r.position == "inside" else VERMILION
            label = style.TEXT_GREEN if r.position == "inside" else style.TEXT_VERMILLION  # AA on white
            parts.append(f"<polygon points='{x(r.status_quo) - 6:.1f},14 {x(r.status_quo) + 6:.1f},14 "
                         f"{x(r.status_quo):.1f},26' fill='{colour}'><title>status quo {r.status_quo:.2f}</title>"
                         f"</polygon><text x='{x(r.status_quo):.1f}' y='10' text-anchor='middle' fill='{label}'>"
                         f"status quo</text>")
        parts.append("</svg>")
        return f"<div style='{FONT}'>{''.join(parts)}<p>{html.escape(bargaining.describe(r))}</p></div>"

    def render_text(self, r: bargaining.BargainingRange) -> str:
        return bargaining.describe(r)


# --------------------------------------------------------------------------------------------
class SecurityDilemmaExplorer(Explorer):
    """Jervis's (1978) four worlds from the offence-defence balance and distinguishability.

    >>> SecurityDilemmaExplorer(balance=0.5, distinguishability=0.2).world
    'doubly dangerous'
    """

    title = "Jervis's four worlds (Jervis 1978)"

    def __init__(self, balance: float = 0.3, distinguishability: float = 0.3) -> None:
        security_dilemma.jervis_world(balance, distinguishability)
        self._initial = {"balance": float(balance), "distinguishability": float(distinguishability)}
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s = self._initial
        return {"balance": _slider(s["balance"], -1, 1, 0.05, "offence-defence balance (- defence, + offence)",
                                   width="460px"),
                "distinguishability": _slider(s["distinguishability"], 0, 1, 0.05,
                                              "distinguishability of postures", width="460px")}

    @property
    def state(self) -> dict[str, Any]:
        return {name: float(c.value) for name, c in self.controls.items()}

    def compute(self) -> dict:
        s = self.state
        return security_dilemma.jervis_world(s["balance"], s["distinguishability"])

    @property
    def world(self) -> str:
        return str(self.result["world"])

    def render_html(self, r: dict) -> str:
        cells = []
        for offence in (True, False):
            row = []
            for distinct in (False, True):
                name, _ = security_dilemma.WORLDS[(offence, distinct)]
                on = (offence, distinct) == (r["offence_advantage"], r["distinguishable"])
                style = (f"background:{ORANGE};font-weight:bold" if on else "background:#f4f4f4")
                row.append(f"<td style='{style};padding:8px;width:220px'>{html.escape(name)}</td>")
            label = "offence has the advantage" if offence else "defence has the advantage"
            cells.append(f"<tr><th style='text-align:right;padding-right:8px'>{label}</th>{''.join(row)}</tr>")
        table = ("<table role='table' aria-label=\"Jervis's four worlds\" style='border-collapse:separate;"
                 "border-spacing:4px'><tr><th></th><th>postures look alike</th><th>postures distinguishable</th></tr>"
                 + "".join(cells) + "</table>")
        s = self.state
        return (f"<div style='{FONT}'>{table}<p>Balance {s['balance']:+.2f}, distinguishability "
                f"{s['distinguishability']:.2f}: <b>{html.escape(r['world'])}</b>, {html.escape(r['gloss'])}.</p>"
                "<p style='color:#555'>Jervis stresses beliefs: what matters is what leaders think the balance "
                "is. The two sliders are the course's simplification of his two variables.</p></div>")

    def render_text(self, r: dict) -> str:
        return (f"Balance {self.state['balance']:+.2f}, distinguishability {self.state['distinguishability']:.2f}: "
                f"{r['world']} ({r['gloss']}).")


# --------------------------------------------------------------------------------------------
CELLS = [(who, i, j) for who in ("row", "col") for i in range(2) for j in range(2)]


def _cell(who: str, i: int, j: int) -> str:
    return f"{who}{i}{j}"


class GameExplorer(Explorer):
    """A 2x2 game: set the payoffs, see best responses, every Nash equilibrium (nashpy) and the name.

    ``game`` picks a classic symmetric game (``games.CLASSIC``); ``row`` (and optionally ``col``; default
    the symmetric game) give the payoffs directly.

    >>> e = GameExplorer(game="Chicken")
    >>> e.name, e.equilibrium_labels
    ('Chicken', ['(C, D)', '(D, C)', 'mixed'])
    """

    title = "2x2 game explorer (equilibria by nashpy)"
    PRESETS = ("custom", *games.CLASSIC)

    def __init__(self, game: str | None = "Prisoner's Dilemma", row=None, col=None) -> None:
        self._initial = self._resolve(game, row, col)
        super().__init__()

    @classmethod
    def _resolve(cls, game, row, col) -> dict:
        if row is not None:
            a, b = games.symmetric(row) if col is None else (games._matrix("row", row).tolist(),
                                                           games._matrix("col", col).tolist())
            # keep the preset's name when the payoffs are exactly the preset's (so state round-trips)
            name = game if game in games.CLASSIC and games.symmetric(games.CLASSIC[game]) == (a, b) else "custom"
            return {"game": name, "row": a, "col": b}
        if game not in games.CLASSIC:
            raise ValueError(f"game must be one of {', '.join(games.CLASSIC)} (or give row=...), not {game!r}")
        a, b = games.symmetric(games.CLASSIC[game])
        return {"game": game, "row": a, "col": b}

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s = self._initial
        controls: dict[str, widgets.Widget] = {
            "game": widgets.Dropdown(options=self.PRESETS, value=s["game"], description="preset", style=STYLE,
                                     layout=widgets.Layout(width="260px"))}
        for who, i, j in CELLS:
            label = f"{'row' if who == 'row' else 'col'} ({games.STRATEGIES[i]},{games.STRATEGIES[j]})"
            controls[_cell(who, i, j)] = widgets.FloatText(value=s[who][i][j], description=label, style=STYLE,
                                                           layout=widgets.Layout(width="150px"))
        return controls

    def _tables(self) -> tuple[list[list[float]], list[list[float]]]:
        t = {who: [[float(self.controls[_cell(who, i, j)].value) for j in range(2)] for i in range(2)]
             for who in ("row", "col")}
        return t["row"], t["col"]

    @property
    def state(self) -> dict[str, Any]:
        """``{"game", "row", "col"}``: the preset's name (or "custom") and the two payoff tables."""
        row, col = self._tables()
        return {"game": str(self.controls["game"].value), "row": row, "col": col}

    def set(self, **values: Any) -> "GameExplorer":
        """``set(game="Stag Hunt")`` loads a preset; ``set(row=..., col=...)`` sets payoffs (custom)."""
        unknown = sorted(set(values) - {"game", "row", "col"})
        if unknown:
            raise KeyError(f"GameExplorer has no control {', '.join(map(repr, unknown))}; "
                           "its settings are 'game', 'row', 'col'")
        if "row" in values or "col" in values:
            row = values.get("row", self.state["row"])
            col = values.get("col") if "col" in values else (None if "row" in values else self.state["col"])
            resolved = self._resolve(values.get("game"), row, col)
        else:
            resolved = self._resolve(values["game"], None, None)
        with self._batch():
            self._load(resolved)
        return self

    def _load(self, resolved: dict) -> None:
        self.controls["game"].value = resolved["game"]
        for who, i, j in CELLS:
            self.controls[_cell(who, i, j)].value = resolved[who][i][j]

    def _before_redraw(self, change: dict) -> None:
        with self._batch(redraw=False):
            if change["owner"] is self.controls["game"]:
                if change["new"] != "custom":
                    self._load(self._resolve(change["new"], None, None))
            else:
                self.controls["game"].value = "custom"

    def compute(self) -> dict:
        row, col = self._tables()
        return games.analyse(row, col)

    @property
    def name(self) -> str:
        return str(self.result["name"])

    @property
    def equilibria(self) -> list[dict]:
        return [dict(e) for e in self.result["equilibria"]]

    @property
    def equilibrium_labels(self) -> list[str]:
        return [e["label"] for e in self.result["equilibria"]]

    @property
    def best_responses(self) -> dict:
        return self.result["best_responses"]

    def render_html(self, r: dict) -> str:
        pure = {e["label"] for e in r["equilibria"] if e["pure"]}
        rows = []
        for i, s in enumerate(games.STRATEGIES):
            tds = []
            for j, t in enumerate(games.STRATEGIES):
                row_best = s in r["best_responses"]["row"][t]
                col_best = t in r["best_responses"]["col"][s]
                a = f"<u><b>{r['row'][i][j]:g}</b></u>" if row_best else f"{r['row'][i][j]:g}"
                b = f"<u><b>{r['col'][i][j]:g}</b></u>" if col_best else f"{r['col'][i][j]:g}"
                bg = ORANGE if f"({s}, {t})" in pure else "#f4f4f4"
                tds.append(f"<td style='background:{bg};padding:8px 16px;text-align:center'>{a}, {b}</td>")
            rows.append(f"<tr><th>row {s}</th>{''.join(tds)}</tr>")
        table = ("<table role='table' aria-label='payoff table; best responses underlined; pure equilibria shaded'>"
                 "<tr><th></th><th>col C</th><th>col D</th></tr>" + "".join(rows) + "</table>")
        eqs = "".join(f"<li>{html.escape(_eq_text(e))}</li>" for e in r["equilibria"])
        note = (" <i>Ties: the game is degenerate; extreme points of a set of equilibria are listed.</i>"
                if r["degenerate"] else "")
        return (f"<div style='{FONT}'>{table}<p>Game: <b>{html.escape(r['name'])}</b>. Best responses are "
                f"underlined, pure equilibria shaded.{note}</p><p>Nash equilibria (nashpy):</p><ul>{eqs}</ul></div>")

    def render_text(self, r: dict) -> str:
        return (f"{r['name']}: row {r['row']}, col {r['col']}; Nash equilibria: "
                + "; ".join(_eq_text(e) for e in r["equilibria"]) + ".")


def _eq_text(e: dict) -> str:
    if e["pure"]:
        return f"{e['label']} with payoffs {e['payoffs'][0]:g}, {e['payoffs'][1]:g}"
    return (f"mixed: row plays C with probability {e['row'][0]:.3f}, col plays C with probability "
            f"{e['col'][0]:.3f}; expected payoffs {e['payoffs'][0]:.3f}, {e['payoffs'][1]:.3f}")


# --------------------------------------------------------------------------------------------
class IteratedGameExplorer(Explorer):
    """A noisy iterated Prisoner's Dilemma (:func:`course.models.iterated.play_match`), seeded.

    Each setting's match is computed once and cached; moving back to it only redraws.

    >>> e = IteratedGameExplorer("TitForTat", "TitForTat", noise=0.0, rounds=50)
    >>> e.cooperation
    1.0
    """

    title = "Noisy iterated Prisoner's Dilemma"

    def __init__(self, strategy_a: str = "TitForTat", strategy_b: str = "TitForTat", noise: float = 0.05,
                 rounds: int = 200, seed: int = 0) -> None:
        self._cache: dict[tuple, dict] = {}
        if isinstance(rounds, int) and not isinstance(rounds, bool) and rounds > 2000:
            raise ValueError(f"rounds is {rounds}; the explorer's slider runs from 10 to 2000")
        self._initial = {"strategy_a": strategy_a, "strategy_b": strategy_b, "noise": noise, "rounds": rounds,
                         "seed": seed}
        self._cached(**self._initial)  # the model's checks
        super().__init__()

    def _cached(self, **s) -> dict:
        key = (s["strategy_a"], s["strategy_b"], float(s["noise"]), int(s["rounds"]), int(s["seed"]))
        if key not in self._cache:
            self._cache[key] = iterated.play_match(s["strategy_a"], s["strategy_b"], rounds=s["rounds"],
                                                   noise=s["noise"], seed=s["seed"])
        return self._cache[key]

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s = self._initial
        return {
            "strategy_a": widgets.Dropdown(options=iterated.STRATEGY_NAMES, value=s["strategy_a"],
                                           description="player A", style=STYLE, layout=widgets.Layout(width="260px")),
            "strategy_b": widgets.Dropdown(options=iterated.STRATEGY_NAMES, value=s["strategy_b"],
                                           description="player B", style=STYLE, layout=widgets.Layout(width="260px")),
            "noise": _slider(float(s["noise"]), 0, 0.5, 0.01, "noise (chance a move is flipped)", width="400px"),
            "rounds": widgets.IntSlider(value=int(s["rounds"]), min=10, max=2000, step=10, description="rounds",
                                        style=STYLE, layout=widgets.Layout(width="400px")),
            "seed": widgets.BoundedIntText(value=int(s["seed"]), min=0, max=10**9, description="seed", style=STYLE,
                                           layout=widgets.Layout(width="180px")),
        }

    @property
    def state(self) -> dict[str, Any]:
        c = self.controls
        return {"strategy_a": str(c["strategy_a"].value), "strategy_b": str(c["strategy_b"].value),
                "noise": round(float(c["noise"].value), 6), "rounds": int(c["rounds"].value),
                "seed": int(c["seed"].value)}

    def compute(self) -> dict:
        return self._cached(**self.state)

    @property
    def cooperation(self) -> float:
        """Share of cooperative moves by both players over the match."""
        return float(self.result["cooperation"])

    @property
    def scores(self) -> tuple[float, float]:
        """Average payoff per round of A and B."""
        return float(self.result["score_a"]), float(self.result["score_b"])

    def render_html(self, r: dict) -> str:
        w, h, left = 640, 120, 40
        n = r["rounds"]
        step = max(1, n // 200)  # at most ~200 points per line

        def line(moves: str, colour: str) -> str:
            points, coop = [], 0
            for t, m in enumerate(moves, 1):
                coop += m == "C"
                if t % step == 0 or t == n:
                    points.append(f"{left + (t / n) * (w - left - 10):.1f},{10 + (1 - coop / t) * (h - 30):.1f}")
            return f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{' '.join(points)}'/>"

        alt = html.escape(f"Running share of cooperative moves over {n} rounds: A (blue) ends at "
                          f"{r['cooperation_a']:.2f}, B (orange) at {r['cooperation_b']:.2f}.", quote=True)
        svg = (f"<svg role='img' aria-label='{alt}' width='{w}' height='{h}' style='font:11px sans-serif'>"
               f"<title>{alt}</title>"
               f"<line x1='{left}' y1='10' x2='{left}' y2='{h - 20}' stroke='#333'/>"
               f"<text x='0' y='14'>100%</text><text x='0' y='{h - 20}'>0%</text>"
               f"<text x='{left}' y='{h - 4}'>round 1</text><text x='{w - 10}' y='{h - 4}' text-anchor='end'>"
               f"round {n}</text>{line(r['moves_a'], BLUE)}{line(r['moves_b'], ORANGE)}</svg>")
        first = 60
        return (f"<div style='{FONT}'>{svg}<p>{html.escape(self.render_text(r))}</p>"
                f"<pre style='font-size:11px'>A: {r['moves_a'][:first]}\nB: {r['moves_b'][:first]}"
                f"{' ...' if n > first else ''}</pre></div>")

    def render_text(self, r: dict) -> str:
        return (f"{r['strategy_a']} v {r['strategy_b']}, {r['rounds']} rounds, noise {r['noise']:.2f}, seed "
                f"{r['seed']}: cooperation {r['cooperation']:.3f} (A {r['cooperation_a']:.3f}, B "
                f"{r['cooperation_b']:.3f}), mutual cooperation {r['mutual_cooperation']:.3f}, average scores "
                f"{r['score_a']:.2f} and {r['score_b']:.2f}, {r['flips']} moves flipped by noise.")


# --------------------------------------------------------------------------------------------
class EscalationLadder(Explorer):
    """Walk Kahn's escalation ladder by date over ``escalation.csv`` (the rung is the course's coding).

    >>> e = EscalationLadder(date="2022-02-24")
    >>> e.highest_rung, e.latest_rung
    (12, 12)
    """

    title = "Kahn's escalation ladder, walked by date (the course's coding)"

    def __init__(self, date: str = "2022-02-24") -> None:
        self._events = data.load_escalation()
        self._dates = sorted({d.date().isoformat() for d in self._events["date"]})
        self._initial = {"date": self._check(date)}
        super().__init__()

    def _check(self, date) -> str:
        day = escalation._date(date, "date").date().isoformat()
        if day not in self._dates:
            raise ValueError(f"date {day} has no event; the ladder's dates are {', '.join(self._dates)}")
        return day

    def _make_controls(self) -> dict[str, widgets.Widget]:
        return {"date": widgets.SelectionSlider(options=self._dates, value=self._initial["date"],
                                                description="up to", style=STYLE,
                                                layout=widgets.Layout(width="520px"))}

    def set(self, **values: Any) -> "EscalationLadder":
        if "date" in values:
            values = {**values, "date": self._check(values["date"])}
        return super().set(**values)

    def compute(self) -> dict:
        result = escalation.ladder_at(self._events, self.controls["date"].value)
        shown = self._events[self._events["date"] <= escalation._date(result["date"], "date")]
        result["rows"] = [{"date": row.date.date().isoformat(), "event": str(row.event), "rung": int(row.rung),
                           "rung_name": str(row.rung_name), "rationale": str(row.coding_rationale),
                           "source": str(row.source), "verified": bool(row.verified)}
                          for row in shown.sort_values(["date", "rung"], kind="stable").itertuples()]
        return result

    @property
    def date(self) -> str:
        return str(self.controls["date"].value)

    @property
    def events(self) -> list[str]:
        return [r["event"] for r in self.result["events"]]

    @property
    def highest_rung(self) -> int | None:
        return self.result["highest_rung"]

    @property
    def latest_rung(self) -> int | None:
        return self.result["latest_rung"]

    def render_html(self, r: dict) -> str:
        top, rung_h, w, left = 13, 16, 640, 300
        h = top * rung_h + 20
        alt = html.escape(f"Escalation ladder up to {r['date']}: {len(r['events'])} events, highest rung "
                          f"{r['highest_rung']}.", quote=True)
        parts = [f"<svg role='img' aria-label='{alt}' width='{w}' height='{h}' style='font:11px sans-serif'>",
                 f"<title>{alt}</title>"]
        for rung in range(1, top + 1):
            y = h - 10 - rung * rung_h
            bold = " font-weight='bold'" if rung == r["highest_rung"] else ""
            parts.append(f"<text x='{left - 6}' y='{y + 4}' text-anchor='end'{bold}>{rung}. "
                         f"{html.escape(escalation.rung_name(rung))}</text>"
                         f"<line x1='{left}' y1='{y}' x2='{w - 10}' y2='{y}' stroke='#ddd'/>")
        n = max(len(self._dates) - 1, 1)
        previous = None
        for e in r["rows"]:
            x = left + 10 + self._dates.index(e["date"]) / n * (w - left - 30)
            y = h - 10 - e["rung"] * rung_h
            if previous:
                parts.append(f"<line x1='{previous[0]:.1f}' y1='{previous[1]}' x2='{x:.1f}' y2='{y}' "
                             f"stroke='{GREY}' stroke-dasharray='3,2'/>")
            parts.append(f"<circle cx='{x:.1f}' cy='{y}' r='5' fill='{VERMILION if e['rung'] >= 10 else BLUE}'>"
                         f"<title>{e['date']}: {html.escape(e['event'])} (rung {e['rung']})</title></circle>")
            previous = (x, y)
        parts.append("</svg>")
        rows = "".join(f"<tr><td>{e['date']}</td><td>{e['rung']}</td><td>{html.escape(e['event'])}</td>"
                       f"<td style='color:#555'>{html.escape(e['rationale'])}</td></tr>" for e in r["rows"])
        table = ("<div style='max-height:240px;overflow-y:auto'><table style='font:12px sans-serif'>"
                 "<tr><th>date</th><th>rung</th><th>event</th><th>why this rung</th></tr>" + rows + "</table></div>")
        return f"<div style='{FONT}'>{''.join(parts)}<p>{html.escape(self.render_text(r))}</p>{table}</div>"

    def render_text(self, r: dict) -> str:
        if not r["events"]:
            return f"Escalation ladder on {r['date']}: no events yet."
        latest = r["events"][-1]
        return (f"Escalation ladder up to {r['date']}: {len(r['events'])} events; latest: {latest['event']} "
                f"(rung {latest['rung']}, {escalation.rung_name(latest['rung'])}); highest rung so far "
                f"{r['highest_rung']} ({escalation.rung_name(r['highest_rung'])}, group '{r['group']}'). "
                "Rungs are the course's coding.")
