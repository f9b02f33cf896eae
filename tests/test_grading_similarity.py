"""Duplicates and near-duplicates surfaced: similarity.csv / similarity.html and the
``similar_to`` column of grades.csv (issue 11)."""

from __future__ import annotations

import csv
import random

import pytest

from course.grading import similarity as sim
from tests.fixtures.grading.helpers import FIXTURE_NAME, copy_solutions, rows, run, set_source, submission, write

NB = f"{FIXTURE_NAME}.ipynb"
PLACEHOLDER = "result = None  # replace None with your answer\n# YOUR CODE HERE"

CODE = '''result = None  # replace None with your answer
def shares(table, column):
    totals = {}
    for row in table:
        key = row[column]
        totals[key] = totals.get(key, 0) + row["count"]
    grand = sum(totals.values())
    return {k: round(v / grand, 3) for k, v in totals.items()}
result = shares(members, "region")'''

# The same code, variables renamed consistently, comments and blank lines added, quotes changed.
CODE_RENAMED = '''result = None  # replace None with your answer
# my own work, honest
def proportions(rows, col):
    acc = {}   # running sums

    for r in rows:
        k = r[col]
        acc[k] = acc.get(k, 0) + r['count']
    everything = sum(acc.values())
    return {kk: round(vv / everything, 3) for kk, vv in acc.items()}
result = proportions(members, 'region')'''

# One real change on top of the renaming (a different rounding): near-identical, not identical.
CODE_EDITED = CODE_RENAMED.replace("round(vv / everything, 3)", "round(100 * vv / everything, 1)")

CODE_DIFFERENT = '''result = None  # replace None with your answer
import collections
counter = collections.Counter()
for entry in members:
    counter[entry["region"]] += entry["count"]
n = float(sum(counter.values()))
result = dict((region, round(c / n, 3)) for region, c in sorted(counter.items()))'''

ESSAY = ("Credibility rests on capability and on the cost of walking away. In the 2022 talks Moscow "
         "massed troops on the border to show capability, and it tied its demands to a deadline so "
         "that walking away would look costly for the United States and its allies in Europe.")
ESSAY_REWORDED = ESSAY.replace("massed troops", "gathered troops").replace("Europe", "Europe, too")
ESSAY_DIFFERENT = ("A guarantee is credible when the one who gives it would lose more by breaking it than by "
                   "keeping it. Written treaties help because ratification binds future governments, but "
                   "in January 2022 neither side believed the other would keep its word for long.")


def entry(student, items, sha=None, notebook="nb"):
    cells = []
    for gid, (role, source) in items.items():
        cells.append({"role": role, "grade_id": gid if role != "extra" else None, "source": source,
                      "answered": True, "outputs": []})
    return sim.entry_of(student, notebook, sha or f"sha-{student}", {"cells": cells}, {"q1_answer": PLACEHOLDER})


def pairs_of(entries):
    return {(p.student_a, p.student_b): p for p in sim.find_pairs(entries)}


# --- normalisation ------------------------------------------------------------------------------
def test_comments_layout_quotes_and_renamed_variables_normalise_away():
    assert sim.code_tokens(CODE, PLACEHOLDER, frozenset({"result"})) == \
        sim.code_tokens(CODE_RENAMED, PLACEHOLDER, frozenset({"result"}))


def test_names_the_cell_does_not_bind_are_kept():
    a = sim.code_tokens("x = members.total(1)")
    b = sim.code_tokens("x = others.total(1)")
    assert a != b  # `members` is the course's data, not the student's variable


def test_the_placeholder_alone_is_nothing():
    assert sim.code_tokens(PLACEHOLDER, PLACEHOLDER) == ()
    assert sim.essay_words("YOUR ANSWER HERE") == ()


def test_code_that_does_not_tokenise_is_still_compared():
    assert sim.code_tokens("%timeit x = (1,\n") != ()


# --- pairs --------------------------------------------------------------------------------------
def test_identical_after_normalisation_is_reported_as_identical():
    found = pairs_of([entry("alice", {"q1_answer": ("answer", CODE)}),
                      entry("bob", {"q1_answer": ("answer", CODE_RENAMED)})])
    pair = found[("alice", "bob")]
    assert pair.kind == "identical answers" and pair.questions == {"q1_answer": 1.0}
    assert pair.similarity == 1.0


def test_near_identical_code_is_reported_with_its_ratio():
    found = pairs_of([entry("alice", {"q1_answer": ("answer", CODE)}),
                      entry("bob", {"q1_answer": ("answer", CODE_EDITED)})])
    pair = found[("alice", "bob")]
    assert pair.kind == "near-identical answers"
    assert sim.THRESHOLD <= pair.questions["q1_answer"] < 1.0


def test_genuinely_different_code_and_essays_are_not_reported():
    assert pairs_of([entry("alice", {"q1_answer": ("answer", CODE), "q4_essay": ("essay", ESSAY)}),
                     entry("bob", {"q1_answer": ("answer", CODE_DIFFERENT),
                                   "q4_essay": ("essay", ESSAY_DIFFERENT)})]) == {}


def test_near_identical_essays_are_reported():
    found = pairs_of([entry("alice", {"q4_essay": ("essay", ESSAY)}),
                      entry("bob", {"q4_essay": ("essay", ESSAY_REWORDED)}),
                      entry("carol", {"q4_essay": ("essay", ESSAY_DIFFERENT)})])
    assert set(found) == {("alice", "bob")}
    assert found[("alice", "bob")].kind == "near-identical answers"


def test_short_answers_that_every_correct_student_writes_are_not_evidence():
    short = {"q1_answer": ("answer", "result = 10"), "q2_answer": ("answer", 'q2 = ["a", "b"]')}
    assert pairs_of([entry("alice", short), entry("bob", short), entry("carol", short)]) == {}


def test_blank_submissions_are_not_copies_even_when_byte_identical():
    blank = sim.entry_of("alice", "nb", "same", {"cells": [
        {"role": "answer", "grade_id": "q1_answer", "source": PLACEHOLDER, "answered": False},
        {"role": "essay", "grade_id": "q4_essay", "source": "YOUR ANSWER HERE", "answered": False}]})
    other = sim.entry_of("bob", "nb", "same", {"cells": [
        {"role": "answer", "grade_id": "q1_answer", "source": PLACEHOLDER, "answered": False}]})
    assert sim.find_pairs([blank, other]) == []


def test_byte_identical_answered_files_are_reported():
    short = {"q1_answer": ("answer", "result = 10")}
    found = pairs_of([entry("alice", short, sha="same"), entry("bob", short, sha="same")])
    assert found[("alice", "bob")].kind == "identical file"


def test_added_cells_are_compared_as_one_item():
    found = pairs_of([entry("alice", {"helper": ("extra", CODE)}), entry("bob", {"helper": ("extra", CODE_RENAMED)})])
    assert found[("alice", "bob")].questions == {sim.ADDED: 1.0}


def test_pairs_are_per_notebook():
    a = entry("alice", {"q1_answer": ("answer", CODE)}, notebook="one")
    b = entry("bob", {"q1_answer": ("answer", CODE)}, notebook="two")
    assert sim.find_pairs([a, b]) == []


def test_similar_to_lists_the_other_students():
    entries = [entry(s, {"q1_answer": ("answer", CODE)}) for s in ("alice", "bob", "carol")]
    flags = sim.similar_to(sim.find_pairs(entries))
    assert flags[("alice", "nb")] == ["bob", "carol"] and flags[("carol", "nb")] == ["alice", "bob"]


def _varied_code(rng):
    """A plausible, distinct answer: random statements over a small vocabulary."""
    names = ["total", "share", "rows", "value", "count", "year", "region", "members"]
    lines = ["result = None  # replace None with your answer"]
    for _ in range(rng.randint(4, 9)):
        a, b, c = rng.sample(names, 3)
        op = rng.choice(["+", "-", "*", "/", "//", "%"])
        lines.append(f"{a} = {b} {op} {c} + {rng.randint(0, 999)}")
    lines.append(f"result = {rng.choice(names)}")
    return "\n".join(lines)


def test_two_hundred_submissions_are_compared_through_the_cheap_prefilters():
    """20k pairs within one notebook: the exact ratio runs only for a few (not timing-based)."""
    rng = random.Random(11)
    entries = [entry(f"s{i:03d}", {"q1_answer": ("answer", _varied_code(rng)),
                                   "q4_essay": ("essay", " ".join(rng.choice(ESSAY_DIFFERENT.split() + ESSAY.split())
                                                                  for _ in range(60)))})
               for i in range(198)]
    entries.append(entry("copy1", {"q1_answer": ("answer", CODE)}))
    entries.append(entry("copy2", {"q1_answer": ("answer", CODE_RENAMED)}))
    counters = sim.Counters()
    pairs = sim.find_pairs(entries, counters)
    assert ("copy1", "copy2") in {(p.student_a, p.student_b) for p in pairs}
    assert len(pairs) < 5
    assert counters.exact_ratios < counters.candidates / 20  # the prefilters did their job


def test_the_html_report_escapes_names():
    pair = sim.Pair("nb", "<script>alert(1)</script>", "bob", "identical file", {}, 1.0)
    page = sim.similarity_html([pair])
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "default-src 'none'" in page


# --- the run writes the files and flags the rows --------------------------------------------------
@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("similarity")
    solutions = copy_solutions(tmp / "solutions")
    subs = tmp / "subs"
    long_double = ("def double(x):\n    # twice x, by addition of the value to itself\n    result = x\n"
                   "    for _ in range(1):\n        result = result + x\n    assert result == x * 2, (x, result)\n"
                   "    return result")
    renamed_double = long_double.replace("result", "acc").replace("# twice x", "# doubling")

    def essay_submission(text, q3=None):
        nb = set_source(submission("correct"), "q4_essay", text)
        return set_source(nb, "q3_answer", q3) if q3 else nb

    write(essay_submission(ESSAY, long_double), subs / "alice" / NB)
    write(essay_submission(ESSAY_REWORDED, renamed_double), subs / "bob" / NB)
    write(essay_submission(ESSAY_DIFFERENT), subs / "carol" / NB)
    write(submission("untouched"), subs / "dave" / NB)
    write(submission("untouched"), subs / "erin" / NB)  # byte-identical to dave's, but blank
    write(essay_submission("=HYPERLINK(\"x\") " + ESSAY_DIFFERENT.replace("credible", "believable")),
          subs / "=frank" / NB)
    out = tmp / "g"
    run(subs, out, solutions, cell_seconds=60.0, submission_seconds=120.0)
    return out


def test_the_run_writes_similarity_csv_naming_the_pairs(graded):
    with open(graded / "similarity.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    found = {(r["student_a"], r["student_b"]): r for r in table}
    assert set(found) == {("alice", "bob"), ("'=frank", "carol")}, found
    alice_bob = found[("alice", "bob")]
    assert alice_bob["notebook"] == FIXTURE_NAME and alice_bob["kind"] == "near-identical answers"
    assert "q4_essay" in alice_bob["questions"] and "q3_answer 1.00" in alice_bob["questions"]
    assert float(alice_bob["similarity"]) >= sim.THRESHOLD


def test_the_run_flags_the_rows_in_grades_csv(graded):
    table = rows(graded)
    assert table[("alice", FIXTURE_NAME)]["similar_to"] == "bob"
    assert table[("bob", FIXTURE_NAME)]["similar_to"] == "alice"
    assert table[("carol", FIXTURE_NAME)]["similar_to"] == "'=frank"  # formula-safe
    for student in ("dave", "erin"):
        assert table[(student, FIXTURE_NAME)]["similar_to"] == ""
    with open(graded / "grades.csv", newline="", encoding="utf-8") as handle:
        assert "similar_to" in next(csv.reader(handle))


def test_the_run_writes_an_escaped_similarity_page(graded):
    page = (graded / "similarity.html").read_text(encoding="utf-8")
    assert "alice" in page and "bob" in page and "dave" not in page
    assert "default-src 'none'" in page


def test_the_html_report_links_both_feedback_pages_safely():
    pair = sim.Pair("nb", "o'neil", "bob", "identical file", {}, 1.0)
    page = sim.similarity_html([pair])
    assert "href='feedback/o%27neil/nb.html'" in page and "href='feedback/bob/nb.html'" in page
