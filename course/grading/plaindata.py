"""Answers as plain data: the only thing that crosses from a student's process to the tests.

:func:`encode` turns a value into *tagged JSON* that keeps its type (int, float with NaN and
infinities, bool, None, str, list, tuple, dict with any plain keys, set, frozenset) and refuses
everything else with :class:`NotPlainData` naming the type. The checks are exact (``type(x) is
int``), so a subclass of ``int`` with a custom ``__eq__``, an object whose ``__eq__`` always says
yes, a function, a DataFrame or a numpy array are all refused; numpy scalars become the Python
number they hold (``.item()``). :func:`decode` rebuilds the value in the trusted process from the
JSON alone: nothing the student wrote runs there. Pure functions, no imports of student code.
"""

from __future__ import annotations

import math

#: Limits on what one answer may be (a bigger one is refused, not truncated).
MAX_DEPTH = 64
MAX_ITEMS = 200_000
MAX_STR = 2_000_000


class NotPlainData(ValueError):
    """A value that is not plain data; ``type_name`` is what was found."""

    def __init__(self, type_name: str, why: str = ""):
        super().__init__(why or f"type {type_name}")
        self.type_name = type_name


def type_name(value) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", None) or getattr(kind, "__name__", "?")
    return name if module in ("builtins", "__main__", "") else f"{module}.{name}"


def _numpy_scalar(value):
    """A numpy scalar's Python value, or ``None`` when ``value`` is not one."""
    kind = type(value)
    if getattr(kind, "__module__", "") != "numpy":
        return None
    import sys

    numpy = sys.modules.get("numpy")
    if numpy is None or not isinstance(value, numpy.generic) or isinstance(value, (numpy.void, numpy.object_)):
        return None
    item = value.item()
    return item if type(item) in (bool, int, float, str) else None


def encode(value, _depth: int = 0, _count: list | None = None):
    """Tagged JSON of a plain-data value; :class:`NotPlainData` otherwise."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS:
        raise NotPlainData(type_name(value), f"more than {MAX_ITEMS:,} items")
    if _depth > MAX_DEPTH:
        raise NotPlainData(type_name(value), f"nested deeper than {MAX_DEPTH} levels")
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", bool(value)]
    if kind is int:
        return ["int", str(int.__repr__(value))]
    if kind is float:
        if math.isnan(value):
            return ["float", "nan"]
        if math.isinf(value):
            return ["float", "inf" if value > 0 else "-inf"]
        return ["float", float.__repr__(value)]
    if kind is str:
        if len(value) > MAX_STR:
            raise NotPlainData("str", f"a string longer than {MAX_STR:,} characters")
        return ["str", str.__str__(value)]
    if kind in (list, tuple, set, frozenset):
        items = list.__iter__(value) if kind is list else (
            tuple.__iter__(value) if kind is tuple else
            (set.__iter__(value) if kind is set else frozenset.__iter__(value)))
        tag = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset"}[kind]
        return [tag, [encode(v, _depth + 1, count) for v in items]]
    if kind is dict:
        return ["dict", [[encode(k, _depth + 1, count), encode(v, _depth + 1, count)]
                         for k, v in dict.items(value)]]
    item = _numpy_scalar(value)
    if item is not None:
        return encode(item, _depth, count)
    raise NotPlainData(type_name(value))


def decode(tagged):
    """The value a tagged JSON stands for (:class:`ValueError` on anything malformed)."""
    if not isinstance(tagged, list) or not tagged or not isinstance(tagged[0], str):
        raise ValueError(f"not tagged plain data: {tagged!r:.80}")
    tag = tagged[0]
    if tag == "none" and len(tagged) == 1:
        return None
    if len(tagged) != 2:
        raise ValueError(f"malformed tagged value {tag!r}")
    payload = tagged[1]
    if tag == "bool" and type(payload) is bool:
        return payload
    if tag == "int" and type(payload) is str:
        return int(payload)
    if tag == "float" and type(payload) is str:
        return float(payload)
    if tag == "str" and type(payload) is str:
        return payload
    if tag in ("list", "tuple", "set", "frozenset") and type(payload) is list:
        items = [decode(v) for v in payload]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
    if tag == "dict" and type(payload) is list:
        out = {}
        for pair in payload:
            if type(pair) is not list or len(pair) != 2:
                raise ValueError("malformed dict item")
            out[decode(pair[0])] = decode(pair[1])
        return out
    raise ValueError(f"unknown tagged value {tag!r}")


def describe_refusal(name: str, exc: NotPlainData) -> str:
    """The sentence a row's reason gives for an answer that is not plain data."""
    what = exc.type_name
    if what in ("function", "builtin_function_or_method", "method") or what.endswith("lambda>"):
        return f"{name} is a function, not plain data: assign a value"
    if str(exc) != f"type {what}":
        return f"answer {name} is not plain data ({exc}): assign a smaller plain value"
    return (f"answer {name} is not plain data (type {what}): assign a value made of numbers, "
            "strings, booleans, None, lists, tuples, dicts and sets")
