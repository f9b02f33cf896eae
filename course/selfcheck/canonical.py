"""Canonical forms and salted hashes of answers, so a right answer can be recognised without
being stored anywhere in plain form."""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Mapping
from typing import Any

ITERATIONS = 20_000  # PBKDF2 rounds: ~10 ms a check, slow enough to make guessing tedious

UNANSWERED = (None, Ellipsis)


class Unanswerable(TypeError):
    """The value is of a kind the self-check cannot compare (a function, a widget, ...)."""


def is_unanswered(value: Any) -> bool:
    """True for the placeholders a student has not replaced yet (``None`` and ``...``)."""
    return any(value is placeholder for placeholder in UNANSWERED)


def canonical(value: Any, *, digits: int = 3, ordered: bool = True) -> Any:
    """A JSON-able canonical form of ``value``.

    Numbers are rounded to ``digits`` decimals (so ``7``, ``7.0`` and ``numpy.int64(7)`` agree),
    strings are case-folded with white space collapsed, sets are sorted, mappings are sorted by
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
        return ["s", " ".join(value.casefold().split())]
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
