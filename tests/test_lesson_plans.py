"""Every lesson plan's timing tables add up (docs/lesson_plans/*.md).

The format the test reads (docs/lesson_plans/02_evolution.md is the model):

- A *timing table* is a Markdown table whose first header cell is ``minutes`` (each row gives the
  minutes of one activity) or ``time`` (each row gives a range such as ``13–25`` or ``0–7 min``).
- A ``minutes`` table is followed by a line ``Total: a + b + ... = N minutes``: the terms must be the
  table's minutes in order, and they must add up to N.
- A ``time`` table's ranges must run from 0 without gaps or overlaps; a ``Total:`` line after it,
  if present, must match the sum, as must an ``(N minutes)`` in the heading above it.
- When the heading above a table names a length (``## 50-minute version``, ``## Timing (70 minutes)``),
  the table must add up to exactly that length.
- A table for a session of 90 minutes or more must contain a break (a row whose activity is "Break").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PLANS_DIR = Path(__file__).resolve().parents[1] / "docs" / "lesson_plans"
PLANS = sorted(PLANS_DIR.glob("*.md"))

RANGE = re.compile(r"^\s*(\d+)\s*[–-]\s*(\d+)\s*(?:min)?\s*$")
TOTAL = re.compile(r"^Total:\s*([\d\s+]+?)\s*=\s*(\d+)\s*minutes")
HEADING_LENGTH = re.compile(r"(\d+)-minute|\((\d+) minutes\)")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def timing_tables(text: str) -> list[dict]:
    """Each timing table: heading, kind, row cells, and the Total line that follows (if any)."""
    lines = text.splitlines()
    tables, heading, i = [], "", 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[i + 1].strip()):
            header = _cells(line)
            rows, j = [], i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(_cells(lines[j]))
                j += 1
            kind = header[0].lower()
            if kind in ("minutes", "time"):
                total = None
                for k in range(j, min(j + 3, len(lines))):
                    match = TOTAL.match(lines[k].strip())
                    if match:
                        total = ([int(t) for t in match.group(1).split("+")], int(match.group(2)))
                        break
                tables.append({"heading": heading, "kind": kind, "rows": rows, "total": total, "line": i + 1})
            i = j
            continue
        i += 1
    return tables


def _minutes(table: dict) -> list[int]:
    if table["kind"] == "minutes":
        return [int(row[0]) for row in table["rows"]]
    spans, expected_start = [], 0
    for row in table["rows"]:
        match = RANGE.match(row[0])
        assert match, f"line {table['line']}: {row[0]!r} is not a range like 13–25"
        start, end = int(match.group(1)), int(match.group(2))
        assert start == expected_start, f"line {table['line']}: range {row[0]} should start at {expected_start}"
        assert end > start, f"line {table['line']}: empty range {row[0]}"
        spans.append(end - start)
        expected_start = end
    return spans


def test_there_are_lesson_plans():
    assert len(PLANS) >= 4


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_timing_tables_add_up(plan):
    tables = timing_tables(plan.read_text(encoding="utf-8"))
    assert tables, f"{plan.name}: no timing table (first header cell 'minutes' or 'time')"
    for table in tables:
        where = f"{plan.name}, table at line {table['line']} ({table['heading']!r})"
        minutes = _minutes(table)
        total = sum(minutes)
        if table["kind"] == "minutes":
            assert table["total"], f"{where}: no 'Total: a + b + ... = N minutes' line after the table"
        if table["total"]:
            terms, stated = table["total"]
            assert terms == minutes, f"{where}: the Total line's terms {terms} are not the table's {minutes}"
            assert sum(terms) == stated, f"{where}: {' + '.join(map(str, terms))} = {sum(terms)}, not {stated}"
        match = HEADING_LENGTH.search(table["heading"])
        if match:
            length = int(match.group(1) or match.group(2))
            assert total == length, f"{where}: the heading says {length} minutes, the table adds up to {total}"
        if total >= 90:
            activities = [row[1].strip("* ").lower() for row in table["rows"]]
            assert "break" in activities, f"{where}: a {total}-minute session needs a break row"


@pytest.mark.parametrize("name", [p.name for p in PLANS])
def test_every_plan_has_the_short_and_long_versions(name):
    text = (PLANS_DIR / name).read_text(encoding="utf-8")
    lengths = {int(m.group(1) or m.group(2)) for t in timing_tables(text)
               if (m := HEADING_LENGTH.search(t["heading"]))}
    wanted = {20, 30} if name.startswith("00") else {50, 90}
    assert wanted <= lengths, f"{name}: versions found {sorted(lengths)}, wanted {sorted(wanted)}"


def test_the_checker_catches_a_wrong_sum():
    """The parser must be able to fail: a table that adds up to 62 under a 50-minute heading."""
    bad = "## 50-minute version\n\n| minutes | a | b |\n|---|---|---|\n| 30 | x | y |\n| 32 | x | y |\n\nTotal: 30 + 32 = 62 minutes.\n"
    (table,) = timing_tables(bad)
    assert sum(_minutes(table)) == 62 and table["total"] == ([30, 32], 62)
    assert int(HEADING_LENGTH.search(table["heading"]).group(1)) != sum(_minutes(table))
