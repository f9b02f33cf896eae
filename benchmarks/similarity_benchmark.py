"""Benchmark: the similarity report (``course/grading/similarity.py``) on 200 submissions.

200 students × 15 questions (13 code answers of 2–6 statements, 2 essays of 350 words drawn
from one small vocabulary, so that essays share most of their words — a hard case for the
cheap prefilters) plus two planted copies. The code vocabulary is tiny (10 names), so a few
chance matches between short random answers show up too: the limit docs/grading.md names. Prints the time, the pairs found and how many exact
``SequenceMatcher.ratio`` calls the prefilters left. Run: ``.venv/bin/python
benchmarks/similarity_benchmark.py [-n 200]``.
"""

from __future__ import annotations

import argparse
import random
import time

from course.grading import similarity as sim

VOCAB = ("the a of to and in that is was for on with as by it at from this be not are or have which "
         "russia nato united states guarantee security treaty talks moscow washington europe ukraine "
         "demand proposal arms control missiles military").split()
NAMES = ["total", "share", "rows", "value", "count", "year", "region", "members", "window", "linked"]


def _code(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(2, 6)):
        a, b, c = rng.sample(NAMES, 3)
        lines.append(f'{a} = {b}[{b}["{c}"] == "{rng.choice(VOCAB)}"].{rng.choice(["sum", "mean", "count"])}()')
    return "\n".join(lines)


def make_entries(n: int, seed: int = 1) -> list[sim.Entry]:
    rng = random.Random(seed)
    entries = []
    for i in range(n):
        cells = [{"role": "answer", "grade_id": f"q{j}_answer", "source": _code(rng), "answered": True}
                 for j in range(1, 14)]
        cells += [{"role": "essay", "grade_id": f"q{j}_essay", "answered": True,
                   "source": " ".join(rng.choice(VOCAB) for _ in range(350))} for j in (14, 15)]
        entries.append(sim.entry_of(f"s{i:03d}", "bench_exercises", f"sha{i}", {"cells": cells}))
    copy = entries[0].items["q14_essay"].tokens
    planted = " ".join(copy[:300]) + " and a few words of my own at the end"
    for name in ("copy_a", "copy_b"):
        entries.append(sim.entry_of(name, "bench_exercises", name, {"cells": [
            {"role": "essay", "grade_id": "q14_essay", "source": planted, "answered": True}]}))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="submissions (default 200)")
    args = parser.parse_args()
    entries = make_entries(args.n)
    counters = sim.Counters()
    started = time.perf_counter()
    pairs = sim.find_pairs(entries, counters)
    seconds = time.perf_counter() - started
    n = len(entries)
    print(f"{n} submissions, {n * (n - 1) // 2} pairs per question, 15 questions: {seconds:.2f} s")
    print(f"{counters.candidates} item pairs past the length window, {counters.exact_ratios} exact ratios")
    for pair in pairs:
        print("  " + ", ".join(pair.row()))


if __name__ == "__main__":
    main()
