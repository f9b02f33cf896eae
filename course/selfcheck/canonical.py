"""Canonical forms and salted hashes of answers, so a right answer can be recognised without
being stored anywhere in plain form."""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

ITERATIONS = 20_000  # PBKDF2 rounds: ~10 ms a check, slow enough to make guessing tedious

UNANSWERED = (None, Ellipsis)

#: British spellings the course itself uses (or a student may), and the one form they are compared in.
#: Each stem is listed with the endings it takes; the canonical form is the US one.
_SPELLING_FAMILIES = {
    "judgement": ("judgment", ("", "s", "al")),
    "defence": ("defense", ("", "s", "less")),
    "offence": ("offense", ("", "s")),
    "pretence": ("pretense", ("", "s")),
    "licence": ("license", ("", "s")),
    "centre": ("center", ("", "s", "d")),
    "metre": ("meter", ("", "s")),
    "programme": ("program", ("", "s")),
    "catalogue": ("catalog", ("", "s")),
    "dialogue": ("dialog", ("", "s")),
    "analyse": ("analyze", ("", "d", "s")),
    "analysing": ("analyzing", ("",)),
    "colour": ("color", ("", "s", "ed")),
    "favour": ("favor", ("", "s", "ed", "able", "ite", "ites")),
    "behaviour": ("behavior", ("", "s", "al")),
    "neighbour": ("neighbor", ("", "s", "ing", "hood")),
    "honour": ("honor", ("", "s", "ed")),
    "labour": ("labor", ("", "s")),
    "armour": ("armor", ("", "ed")),
    "rumour": ("rumor", ("", "s")),
    "endeavour": ("endeavor", ("", "s")),
    "travelled": ("traveled", ("",)),
    "cancelled": ("canceled", ("",)),
    "signalled": ("signaled", ("",)),
    "modelled": ("modeled", ("",)),
    "modelling": ("modeling", ("",)),
    "enrolment": ("enrollment", ("", "s")),
    "fulfil": ("fulfill", ("", "s")),
    "fulfilment": ("fulfillment", ("",)),
    "manoeuvre": ("maneuver", ("", "s", "d")),
    "sceptic": ("skeptic", ("", "s", "al", "ism")),
}
for _stem in ("organis", "recognis", "realis", "emphasis", "minimis", "maximis", "normalis", "militaris",
              "demilitaris", "neutralis", "legitimis", "stabilis", "destabilis", "formalis", "prioritis",
              "criticis", "apologis", "authoris", "characteris", "civilis", "mobilis", "modernis",
              "summaris", "utilis", "westernis", "globalis", "institutionalis", "liberalis", "polaris"):
    _us = _stem[:-1] + "z"
    for _ending in ("e", "es", "ed", "ing", "ation", "ations", "er", "ers"):
        _SPELLING_FAMILIES.setdefault(_stem + _ending, (_us + _ending, ("",)))

#: word -> canonical spelling ("judgement" -> "judgment", "organisations" -> "organizations").
SPELLING_VARIANTS: dict[str, str] = {
    british + ending: us + ending
    for british, (us, endings) in _SPELLING_FAMILIES.items() for ending in endings
}
_WORD = re.compile(r"[a-z]+")


def canonical_spelling(text: str) -> str:
    """``text`` (already case-folded) with British spellings replaced by the US ones, word by word."""
    return _WORD.sub(lambda match: SPELLING_VARIANTS.get(match.group(0), match.group(0)), text)


class Unanswerable(TypeError):
    """The value is of a kind the self-check cannot compare (a function, a widget, ...)."""


def is_unanswered(value: Any) -> bool:
    """True for the placeholders a student has not replaced yet (``None`` and ``...``)."""
    return any(value is placeholder for placeholder in UNANSWERED)


def canonical(value: Any, *, digits: int = 3, ordered: bool = True) -> Any:
    """A JSON-able canonical form of ``value``.

    Numbers are rounded to ``digits`` decimals (so ``7``, ``7.0`` and ``numpy.int64(7)`` agree),
    strings are case-folded with white space collapsed and British spellings mapped to US ones
    (``"Judgement"`` and ``"judgment"`` agree, see :data:`SPELLING_VARIANTS`), sets are sorted, mappings are sorted by
    key, sequences (lists, tuples, pandas Series, numpy arrays) keep their order unless
    ``ordered=False``.
    """
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return ["b", bool(value)]
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return ["n", str(number)]
        rounded = round(number, digits)
        return ["n", f"{rounded + 0.0:.{digits}f}"]  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, str):
        return ["s", canonical_spelling(" ".join(value.casefold().split()))]
    if isinstance(value, Mapping):
        items = [[canonical(k, digits=digits, ordered=ordered), canonical(v, digits=digits, ordered=ordered)]
                 for k, v in value.items()]
        return ["d", sorted(items, key=json.dumps)]
    if isinstance(value, (set, frozenset)):
        return ["l", sorted((canonical(v, digits=digits, ordered=ordered) for v in value), key=json.dumps)]
    to_list = getattr(value, "tolist", None)  # pandas Series / Index, numpy arrays and scalars
    if callable(to_list) and not isinstance(value, (list, tuple)):
        return canonical(to_list(), digits=digits, ordered=ordered)
    if isinstance(value, (list, tuple)):
        items = [canonical(v, digits=digits, ordered=ordered) for v in value]
        return ["l", items if ordered else sorted(items, key=json.dumps)]
    raise Unanswerable(f"cannot compare a {type(value).__name__}; give a number, text, list, set or dict")


def digest(value: Any, *, salt: str, digits: int = 3, ordered: bool = True) -> str:
    """Salted PBKDF2-SHA256 hash (hex) of the canonical form of ``value``."""
    text = json.dumps(canonical(value, digits=digits, ordered=ordered), separators=(",", ":"))
    return hashlib.pbkdf2_hmac("sha256", text.encode(), salt.encode(), ITERATIONS).hex()
