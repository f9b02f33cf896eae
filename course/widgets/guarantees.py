"""Module 03's explorers: treaty lifetimes (:mod:`course.models.durability`), the commitment
problem (:mod:`course.models.commitment`) and the Senate arithmetic (:mod:`course.models.ratification`)."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from course import data
from course.models import commitment, durability, ratification
from course.widgets import style
from course.widgets.base import Explorer

# Okabe-Ito palette (colour-blind safe): the colours mark bars and markers; text stays in the body
# colour or in style's darker TEXT_* shades (AA contrast).
OKABE_ITO = style.OKABE_ITO


def _verdict(ok: bool, yes: str, no: str) -> str:
    """The explorer's verdict in bold, green when ``ok`` and vermillion when not (AA-contrast shades)."""
    return f"<b style='color:{style.TEXT_GREEN if ok else style.TEXT_VERMILLION}'>{yes if ok else no}</b>"


def _error_html(message: str) -> str:
    return f"<p style='font:13px sans-serif;color:{style.TEXT_VERMILLION}'>{html.escape(message)}</p>"

EVENT_STYLE = {  # event -> (colour, SVG marker shape)
    "notice of withdrawal": (OKABE_ITO["orange"], "triangle"),
    "suspension": (OKABE_ITO["vermillion"], "square"),
    "halted participation": (OKABE_ITO["vermillion"], "square"),
    "withdrawal effective": (OKABE_ITO["black"], "cross"),
    "declared void": (OKABE_ITO["black"], "cross"),
    "alleged violation": (OKABE_ITO["reddish purple"], "diamond"),
    "compliance finding": (OKABE_ITO["reddish purple"], "diamond"),
    "rebuttal": (OKABE_ITO["sky blue"], "circle"),
    "extension": (OKABE_ITO["bluish green"], "circle"),
    "expiry": (OKABE_ITO["bluish green"], "cross"),
    "superseded": (OKABE_ITO["bluish green"], "cross"),
    "ratification rejected": (OKABE_ITO["vermillion"], "diamond"),
    "ratification revoked": (OKABE_ITO["vermillion"], "diamond"),
}
PARTIES = ("all", "United States", "Russia")
LEGAL_FORMS = ("all", "legally binding", "political")
AS_OF = ("2022-01-20", "latest")
"""The article's date (first published about 20 Jan 2022) or the latest event in the data."""
STYLE = {"description_width": "initial"}


def _choice(value: Any, options: tuple, name: str) -> Any:
    if value not in options:
        raise ValueError(f"{name} is {value!r}; choose one of {options}")
    return value


class TreatyLifetimeChart(Explorer):
    """Lifetimes of the instruments in ``treaties.csv`` with the events of ``treaty_events.csv``.

    ``party`` counts only that party's steps (and joint ones; another party's formal exit ends the
    clock uncounted); ``legal_form`` keeps legally
    binding treaties or political commitments; ``exit_on`` says which date an exit statistic
    uses (see :data:`course.models.durability.EXIT_MEASURES`); ``count_violations`` also ends
    an instrument's clock at the first alleged violation or compliance finding.

    >>> chart = TreatyLifetimeChart(party="United States", legal_form="legally binding")
    >>> chart.state["exit_on"], chart.exits["inf"]
    ('first step', '2019-02-02')
    """

    title = "Treaty lifetime chart"

    def __init__(self, party: str = "all", legal_form: str = "all", exit_on: str = "first step",
                 count_violations: bool = False, as_of: str = "2022-01-20") -> None:
        if not isinstance(count_violations, bool):
            raise TypeError("count_violations must be True or False")
        self._initial = {"party": _choice(party, PARTIES, "party"),
                         "legal_form": _choice(legal_form, LEGAL_FORMS, "legal_form"),
                         "exit_on": _choice(exit_on, durability.EXIT_MEASURES, "exit_on"),
                         "count_violations": count_violations,
                         "as_of": _choice(as_of, AS_OF, "as_of")}
        self._treaties = data.load_treaties()
        self._events = data.load_treaty_events()
        self._records = [{"treaty_id": e["treaty_id"], "date": e["date"], "event": str(e["event"]), "party": str(e["party"])}
                         for e in self._events.to_dict("records")]
        self._cache: dict[tuple, dict] = {}
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s = self._initial
        return {
            "party": widgets.Dropdown(options=PARTIES, value=s["party"], description="events by",
                                      style=STYLE, layout={"width": "220px"}),
            "legal_form": widgets.Dropdown(options=LEGAL_FORMS, value=s["legal_form"], description="legal form",
                                           style=STYLE, layout={"width": "230px"}),
            "exit_on": widgets.Dropdown(options=durability.EXIT_MEASURES, value=s["exit_on"],
                                        description="date an exit by", style=STYLE, layout={"width": "250px"}),
            "count_violations": widgets.Checkbox(value=s["count_violations"], description="count violations",
                                                 indent=False, layout={"width": "150px"}),
            "as_of": widgets.Dropdown(options=AS_OF, value=s["as_of"], description="as of",
                                      style=STYLE, layout={"width": "180px"}),
        }

    def compute(self) -> dict:
        key = tuple(sorted(self.state.items()))
        if key not in self._cache:   # the data are fixed, so a state's result never changes
            self._cache[key] = self._compute(self.state)
        return self._cache[key]

    def _compute(self, s: dict) -> dict:
        treaties, events = self._treaties, self._events
        if s["legal_form"] != "all":
            treaties = treaties[treaties["legally_binding"] == (s["legal_form"] == "legally binding")]
        events = events[events["treaty_id"].isin(treaties["treaty_id"])]
        party = None if s["party"] == "all" else s["party"]
        as_of = self._events["date"].max() if s["as_of"] == "latest" else pd.Timestamp(s["as_of"])
        table = durability.durability_table(treaties, events, as_of=as_of, exit_on=s["exit_on"],
                                            count_violations=s["count_violations"], party=party)
        rates = durability.exit_rates(table) if len(table) else pd.DataFrame()
        shown: dict[str, list[dict]] = {}
        for e in self._records:
            if e["date"] <= as_of and (party is None or e["party"] in (party, "both")):
                shown.setdefault(e["treaty_id"], []).append(e)
        never = treaties[treaties["legal_nature"].str.contains("never in force")]
        return {
            "as_of": as_of,
            "measure": s["exit_on"] + (" + violations" if s["count_violations"] else ""),
            "rows": [{
                "treaty_id": r.treaty_id, "instrument": r.instrument, "start": r.start, "end": r.end,
                "legally_binding": bool(r.legally_binding), "exited": bool(r.exited),
                "first_exit": r.first_exit_date.date().isoformat() if r.exited else None,
                "first_exit_event": r.first_exit_event, "first_exit_party": r.first_exit_party,
                "ended_by": r.ended_by if isinstance(r.ended_by, str) else None,
                "years": float(r.years),
                "events": shown.get(r.treaty_id, []),
            } for r in table.itertuples()],
            "never_in_force": [str(t) for t in never["instrument"]],
            "rates": {("legally binding" if bool(k) else "political"): {
                "instruments": int(v["instruments"]), "exits": int(v["exits"]),
                "per_100_years": round(float(v["exits_per_100_years"]), 2)} for k, v in rates.iterrows()},
        }

    @property
    def state(self) -> dict[str, Any]:
        return {name: (bool(c.value) if name == "count_violations" else str(c.value))
                for name, c in self.controls.items()}

    @property
    def exits(self) -> dict[str, str | None]:
        """treaty_id → date (ISO) of the first counted exit, or None."""
        return {r["treaty_id"]: r["first_exit"] for r in self.result["rows"]}

    @property
    def rates(self) -> dict[str, dict]:
        """Per legal form: instruments, exits and exits per 100 instrument-years."""
        return {k: dict(v) for k, v in self.result["rates"].items()}

    def render_html(self, r: dict) -> str:
        rows = r["rows"]
        width, left, row_h = 760, 200, 20
        lo = pd.Timestamp("1970-01-01")
        hi = r["as_of"] + pd.Timedelta(days=365)
        span = (hi - lo).days

        def x(d: pd.Timestamp) -> float:
            return left + (d - lo).days / span * (width - left - 10)

        height = row_h * max(len(rows), 1) + 34
        alt = (f"Lifetime chart of {len(rows)} instruments in force, 1970 to {r['as_of'].date()}: a bar from entry "
               f"into force to the first counted exit ({r['measure']}); markers for events.")
        parts = [f"<svg role='img' aria-label='{html.escape(alt)}' width='{width}' height='{height}' "
                 f"style='font:11px sans-serif'><title>{html.escape(alt)}</title>"]
        for i, row in enumerate(rows):
            y = 12 + i * row_h
            colour = OKABE_ITO["blue"] if row["legally_binding"] else OKABE_ITO["orange"]
            name = row["instrument"] if len(row["instrument"]) <= 32 else row["instrument"][:31] + "…"
            parts.append(f"<text x='0' y='{y + 4}'>{html.escape(name)}</text>"
                         f"<line x1='{x(row['start']):.1f}' y1='{y}' x2='{x(row['end']):.1f}' y2='{y}' "
                         f"stroke='{colour}' stroke-width='6' opacity='0.6'/>")
            for e in row["events"]:
                c, shape = EVENT_STYLE.get(e["event"], (OKABE_ITO["black"], "circle"))
                ex = x(e["date"])
                tip = f"<title>{e['date'].date()}: {html.escape(e['party'])}, {html.escape(e['event'])}</title>"
                if shape == "square":
                    parts.append(f"<rect x='{ex - 4:.1f}' y='{y - 4}' width='8' height='8' fill='{c}'>{tip}</rect>")
                elif shape == "triangle":
                    parts.append(f"<polygon points='{ex:.1f},{y - 5} {ex - 5:.1f},{y + 4} {ex + 5:.1f},{y + 4}' "
                                 f"fill='{c}'>{tip}</polygon>")
                elif shape == "diamond":
                    parts.append(f"<polygon points='{ex:.1f},{y - 5} {ex + 5:.1f},{y} {ex:.1f},{y + 5} {ex - 5:.1f},{y}' "
                                 f"fill='{c}'>{tip}</polygon>")
                elif shape == "cross":
                    parts.append(f"<path d='M{ex - 4:.1f},{y - 4} L{ex + 4:.1f},{y + 4} M{ex - 4:.1f},{y + 4} "
                                 f"L{ex + 4:.1f},{y - 4}' stroke='{c}' stroke-width='2.5'>{tip}</path>")
                else:
                    parts.append(f"<circle cx='{ex:.1f}' cy='{y}' r='4' fill='{c}'>{tip}</circle>")
        base = height - 6
        for year in range(1970, r["as_of"].year + 1, 10):
            parts.append(f"<text x='{x(pd.Timestamp(f'{year}-01-01')):.1f}' y='{base}' text-anchor='middle'>{year}</text>")
        parts.append("</svg>")
        legend = (f"<p style='font:12px sans-serif'>Bars: {style.swatch(OKABE_ITO['blue'])} legally binding, "
                  f"{style.swatch(OKABE_ITO['orange'])} political. Markers: &#9650; notice, &#9632; suspension, "
                  "× exit took effect / ended, &#9670; alleged violation or compliance finding, &#9679; other.</p>")
        rates = "".join(f"<tr><td>{k}</td><td>{v['instruments']}</td><td>{v['exits']}</td>"
                        f"<td>{v['per_100_years']}</td></tr>" for k, v in r["rates"].items())
        table = ("<table style='font:12px sans-serif'><tr><th>legal form</th><th>instruments</th><th>exits</th>"
                 f"<th>exits per 100 instrument-years</th></tr>{rates}</table>"
                 f"<p style='font:12px sans-serif;color:#555'>Exit counted: <b>{html.escape(r['measure'])}</b>, as of "
                 f"{r['as_of'].date()}. Never in force (left out): {html.escape(', '.join(r['never_in_force']) or 'none')}. "
                 "The list is a selection of famous cases, many famous because they broke down.</p>")
        return f"<div>{''.join(parts)}{legend}{table}</div>"

    def render_text(self, r: dict) -> str:
        lines = [f"Treaty lifetimes as of {r['as_of'].date()}, exit counted: {r['measure']}."]
        for row in r["rows"]:
            end = (f"first exit {row['first_exit']} ({row['first_exit_party']}, {row['first_exit_event']})"
                   if row["exited"] else "no counted exit" + (f" (ended: {row['ended_by']})" if row["ended_by"] else ""))
            lines.append(f"  {row['instrument']}: from {row['start'].date()}, {row['years']:.1f} years, {end}")
        for k, v in r["rates"].items():
            lines.append(f"  {k}: {v['exits']} exits / {v['instruments']} instruments, "
                         f"{v['per_100_years']} per 100 instrument-years")
        if r["never_in_force"]:
            lines.append("  never in force: " + ", ".join(r["never_in_force"]))
        return "\n".join(lines)


class CommitmentProblemExplorer(Explorer):
    """Fearon (1995) / Powell (2006): does any deal today survive the expected shift in power?

    >>> CommitmentProblemExplorer(p_now=0.5, shift=0.0, cost=0.1).self_enforcing
    True
    >>> CommitmentProblemExplorer(p_now=0.5, shift=0.3, cost=0.1).self_enforcing
    False
    """

    title = "Commitment problem explorer (Fearon 1995; Powell 2006)"
    GRID = 21

    def __init__(self, p_now: float = 0.5, shift: float = 0.1, cost: float = 0.1, delta: float = 0.9) -> None:
        commitment.commitment_problem(p_now, shift, cost, delta)  # the model's checks
        self._initial = {"p_now": float(p_now), "shift": float(shift), "cost": float(cost), "delta": float(delta)}
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s, layout = self._initial, {"width": "400px"}
        return {
            "p_now": widgets.FloatSlider(value=s["p_now"], min=0, max=1, step=0.01, style=STYLE, layout=layout,
                                         description="declining state wins a war now, p"),
            "shift": widgets.FloatSlider(value=s["shift"], min=0, max=1, step=0.01, style=STYLE, layout=layout,
                                         description="expected shift in power (p falls by)"),
            "cost": widgets.FloatSlider(value=s["cost"], min=0, max=1, step=0.01, style=STYLE, layout=layout,
                                        description="cost of war a period, c"),
            "delta": widgets.FloatSlider(value=s["delta"], min=0.05, max=0.95, step=0.05, style=STYLE,
                                         layout=layout, description="weight of the future, δ"),
        }

    @property
    def state(self) -> dict[str, Any]:
        return {name: float(c.value) for name, c in self.controls.items()}

    def compute(self) -> dict:
        s = self.state
        if s["shift"] > s["p_now"]:
            return {"error": f"the shift ({s['shift']:.2f}) cannot exceed p ({s['p_now']:.2f})", **s}
        r = commitment.commitment_problem(s["p_now"], s["shift"], s["cost"], s["delta"])
        # the last column is p itself: written as p, not p * 20/20, so rounding cannot push it past p
        shifts = [s["p_now"] * i / (self.GRID - 1) for i in range(self.GRID - 1)] + [s["p_now"]]
        costs = [i / (self.GRID - 1) * 0.5 for i in range(self.GRID)]
        r["grid"] = commitment.deal_region(s["p_now"], s["delta"], shifts, costs)
        r["error"] = None
        return r

    @property
    def self_enforcing(self) -> bool:
        return bool(self.result.get("self_enforcing", False))

    @property
    def critical_shift(self) -> float:
        return float(self.result["critical_shift"])

    def render_html(self, r: dict) -> str:
        if r["error"]:
            return _error_html(f"{r['error']}.")
        verdict = _verdict(r["self_enforcing"], "a self-enforcing deal exists", "no deal today is self-enforcing")
        cell, n = 10, self.GRID
        alt = (f"Grid of expected power shifts (0 to {r['p_now']:.2f}, across) by costs of war (0 to 0.5, up): "
               f"green where a deal is self-enforcing, vermillion where not; the black ring is the current setting.")
        parts = [f"<svg role='img' aria-label='{html.escape(alt)}' width='{n * cell + 60}' height='{n * cell + 30}' "
                 f"style='font:10px sans-serif'><title>{html.escape(alt)}</title>"]
        for i, row in enumerate(r["grid"]):
            for j, ok in enumerate(row):
                colour = OKABE_ITO["bluish green"] if ok else OKABE_ITO["vermillion"]
                parts.append(f"<rect x='{40 + j * cell}' y='{(n - 1 - i) * cell}' width='{cell}' height='{cell}' "
                             f"fill='{colour}' opacity='0.55'/>")
        px = 40 + (r["shift"] / r["p_now"] * (n - 1) if r["p_now"] else 0) * cell + cell / 2
        py = (n - 1 - min(r["cost"] / 0.5, 1) * (n - 1)) * cell + cell / 2
        parts.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='5' fill='none' stroke='black' stroke-width='2'/>"
                     f"<text x='40' y='{n * cell + 12}'>shift 0</text>"
                     f"<text x='{40 + n * cell}' y='{n * cell + 12}' text-anchor='end'>{r['p_now']:.2f}</text>"
                     f"<text x='0' y='{n * cell}'>c 0</text><text x='0' y='10'>c 0.5</text></svg>")
        return ("<div style='font:13px sans-serif'>"
                f"<p>War now is worth <b>{r['war_now']:.2f}</b> to the declining state; the best the rising state "
                f"can credibly offer (all of today's pie, then only what war would bring once p = {r['p_next']:.2f}) "
                f"is worth <b>{r['best_offer']:.2f}</b>: {verdict}.</p>"
                f"<p>Largest shift a deal can absorb: δ·shift ≤ (1 − δ)(1 − p + c), i.e. shift ≤ "
                f"<b>{r['critical_shift']:.3f}</b>.</p>{''.join(parts)}"
                "<p style='color:#555'>Left out: private information, uncertainty about the shift, several "
                "rising and declining parties, institutions that change the costs of breaking a promise.</p></div>")

    def render_text(self, r: dict) -> str:
        if r["error"]:
            return f"Commitment problem: {r['error']}."
        return (f"p = {r['p_now']:.2f} falling to {r['p_next']:.2f}, cost {r['cost']:.2f}, delta {r['delta']:.2f}: "
                f"war now {r['war_now']:.2f}, best credible offer {r['best_offer']:.2f}: "
                f"{'a self-enforcing deal exists' if r['self_enforcing'] else 'no deal is self-enforcing'} "
                f"(critical shift {r['critical_shift']:.3f}).")


class RatificationCalculator(Explorer):
    """Two thirds of the senators *present* (Art. II, s. 2): who must vote yes?

    >>> calc = RatificationCalculator()
    >>> calc.result["needed"], calc.result["crossovers_needed"]
    (67, 17)
    """

    title = "Ratification calculator (US Senate, two thirds of those present)"

    def __init__(self, supporters: int = 50, vacancies: int = 0, absent_supporters: int = 0,
                 absent_opponents: int = 0, defections: int = 0, crossovers: int = 0) -> None:
        for name, value in (("supporters", supporters), ("vacancies", vacancies)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be a whole number")
        ratification.ratification_vote(supporters, ratification.SENATE_SEATS - supporters - vacancies, vacancies,
                                       absent_supporters=absent_supporters, absent_opponents=absent_opponents,
                                       defections=defections, crossovers=crossovers)  # the model's checks
        self._initial = dict(supporters=supporters, vacancies=vacancies, absent_supporters=absent_supporters,
                             absent_opponents=absent_opponents, defections=defections, crossovers=crossovers)
        super().__init__()

    def _make_controls(self) -> dict[str, widgets.Widget]:
        s, layout = self._initial, {"width": "380px"}
        labels = {"supporters": "seats of the treaty's supporters", "vacancies": "vacant seats",
                  "absent_supporters": "supporters absent", "absent_opponents": "opponents absent",
                  "defections": "supporters voting no", "crossovers": "opponents voting yes (crossovers)"}
        return {name: widgets.IntSlider(value=s[name], min=0, max=100, description=label, style=STYLE, layout=layout)
                for name, label in labels.items()}

    @property
    def state(self) -> dict[str, Any]:
        return {name: int(c.value) for name, c in self.controls.items()}

    def compute(self) -> dict:
        s = self.state
        if s["supporters"] + s["vacancies"] > ratification.SENATE_SEATS:
            return {"error": f"{s['supporters']} supporters and {s['vacancies']} vacancies are more than the "
                             f"{ratification.SENATE_SEATS} seats"}
        try:
            r = ratification.ratification_vote(s["supporters"], ratification.SENATE_SEATS - s["supporters"] - s["vacancies"],
                                               s["vacancies"], absent_supporters=s["absent_supporters"],
                                               absent_opponents=s["absent_opponents"], defections=s["defections"],
                                               crossovers=s["crossovers"])
        except ValueError as error:
            return {"error": str(error)}
        r["error"] = None
        r["opponents"] = ratification.SENATE_SEATS - s["supporters"] - s["vacancies"]
        return r

    def render_html(self, r: dict) -> str:
        if r["error"]:
            return _error_html(r["error"])
        verdict = _verdict(r["passes"], "advice and consent given", "fails")
        quorum = "" if r["quorum_met"] else f" <b>No quorum</b> ({r['present']} present, {r['quorum']} needed)."
        return ("<div style='font:13px sans-serif'>"
                f"<p>{r['present']} senators present: two thirds is <b>{r['needed']}</b>. Yes {r['yes']}, no {r['no']}: "
                f"{verdict}.{quorum}</p>"
                f"<p>Crossover votes needed from the {r['opponents']} opponents ({r['crossovers_available']} present): "
                f"<b>{r['crossovers_needed']}</b>. The Vice President's tie-breaking vote does not count here.</p>"
                "<p style='color:#555'>A binding US commitment to limit armaments significantly needs this vote or a "
                "statute (22 U.S.C. s. 2573(b)); only a political commitment needs neither.</p></div>")

    def render_text(self, r: dict) -> str:
        if r["error"]:
            return f"Ratification calculator: {r['error']}"
        return (f"{r['present']} present, {r['needed']} needed (two thirds of those present); yes {r['yes']}: "
                f"{'passes' if r['passes'] else 'fails'}"
                f"{'' if r['quorum_met'] else ' (no quorum)'}; crossovers needed {r['crossovers_needed']}.")
