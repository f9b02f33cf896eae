"""Declarative schemas for the packaged datasets, and the validator that enforces them.

Written by hand rather than with a validation library (pandera, frictionless): the course needs
one thing those do not give out of the box, an error that names the file, the line a student
or author sees in a spreadsheet, and the column, in one sentence.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd


class DataError(ValueError):
    """A packaged dataset has a malformed row, a missing column or a broken reference."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    kind: ``str``, ``int``, ``float``, ``date`` (YYYY-MM-DD), ``bool`` (true/false) or
    ``category`` (one of ``choices``). ``required`` columns may not be empty.
    """

    name: str
    kind: str = "str"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Dataset:
    """A packaged CSV file and its columns; ``key`` names the columns that identify a row."""

    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    description: str = ""
    checks: tuple[Callable[[pd.DataFrame], list[str]], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def name_mismatch(expected, given, *, missing: str = "missing", extra: str = "unknown") -> str:
    """``"missing 'a'; unknown 'b'"`` for the names ``given`` lacks or adds; ``""`` if they match."""
    expected, given = list(expected), list(given)
    parts = []
    lacking = [n for n in expected if n not in given]
    added = [n for n in given if n not in expected]
    if lacking:
        parts.append(f"{missing} " + ", ".join(map(repr, lacking)))
    if added:
        parts.append(f"{extra} " + ", ".join(map(repr, added)))
    return "; ".join(parts)


def row_problems(frame: pd.DataFrame, bad: pd.Series, column: str, describe: Callable) -> list[str]:
    """Messages ``line N, column 'c': ...`` for the rows where ``bad`` holds (for Dataset checks).

    ``describe(row)`` says what is wrong with one row; line numbers are as an editor shows them.
    """
    return [f"line {i + 2}, column {column!r}: {describe(row)}" for i, row in frame[bad].iterrows()]


def _parse(value: str, column: Column) -> object:
    """Parse one cell; raise ValueError with a short reason."""
    if column.kind == "str":
        return value
    if column.kind == "category":
        if value not in column.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(map(repr, column.choices))}")
        return value
    if column.kind == "date":
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    if column.kind == "bool":
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise ValueError(f"{value!r} is not true or false")
        return lowered == "true"
    if column.kind in ("int", "float"):
        try:
            number = int(value) if column.kind == "int" else float(value)
        except ValueError:
            kind = "a whole number" if column.kind == "int" else "a number"
            raise ValueError(f"{value!r} is not {kind}") from None
        if column.minimum is not None and number < column.minimum:
            raise ValueError(f"{number} is below the minimum {column.minimum:g}")
        if column.maximum is not None and number > column.maximum:
            raise ValueError(f"{number} is above the maximum {column.maximum:g}")
        return number
    raise ValueError(f"unknown column kind {column.kind!r}")  # pragma: no cover - schema bug


_DTYPES = {
    "str": "string",
    "category": "category",
    "date": "datetime64[ns]",
    "bool": "boolean",
    "int": "Int64",
    "float": "Float64",
}


def read_dataset(path: Path, spec: Dataset) -> pd.DataFrame:
    """Read ``path`` and return a typed DataFrame, or raise :class:`DataError`.

    The message names the file, the line number as a text editor shows it (the header is
    line 1) and the column, e.g. ``nato_enlargement.csv, line 5, column 'accession_date':
    '2004-13-29' is not a date in the form YYYY-MM-DD``.
    """
    name = path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{name}: cannot be read as CSV ({exc})") from exc

    mismatch = name_mismatch(spec.names, list(raw.columns), missing="missing column(s)",
                             extra="unexpected column(s)")
    if mismatch:
        raise DataError(f"{name}: {mismatch}")

    parsed: dict[str, list] = {c.name: [] for c in spec.columns}
    for index, row in raw.iterrows():
        line = int(index) + 2
        for column in spec.columns:
            value = row[column.name].strip()
            if value == "":
                if column.required:
                    raise DataError(f"{name}, line {line}, column {column.name!r}: is empty")
                parsed[column.name].append(None)
                continue
            try:
                parsed[column.name].append(_parse(value, column))
            except ValueError as exc:
                raise DataError(f"{name}, line {line}, column {column.name!r}: {exc}") from None

    frame = pd.DataFrame(parsed)
    for column in spec.columns:
        if column.kind == "category":
            frame[column.name] = pd.Categorical(frame[column.name], categories=list(column.choices))
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        else:
            frame[column.name] = frame[column.name].astype(_DTYPES[column.kind])

    if spec.key:
        duplicated = frame.duplicated(list(spec.key), keep="first")
        if duplicated.any():
            line = int(duplicated.idxmax()) + 2
            values = ", ".join(f"{k}={frame.loc[duplicated.idxmax(), k]!r}" for k in spec.key)
            raise DataError(f"{name}, line {line}: duplicate row for {values}")
    for check in spec.checks:
        problems = check(frame)
        if problems:
            raise DataError(f"{name}, " + problems[0])
    return frame
