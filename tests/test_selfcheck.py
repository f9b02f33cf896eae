"""Self-check: right / not yet answered / not right yet, without storing answers in plain form."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from course import selfcheck
from course.selfcheck import Checker, partial_credit
from course.selfcheck.canonical import Unanswerable, canonical, digest


@pytest.fixture()
def keyed(tmp_path, monkeypatch):
    """A Checker whose keys were recorded the way `course release` records them."""
    record = tmp_path / "record.jsonl"
    monkeypatch.setenv(selfcheck.RECORD_ENV, str(record))
    recorder = Checker("demo")
    recorder("q1", 7)
    recorder("q2", ["Estonia", "Latvia"], ordered=False)
    recorder("q3", 0.4231, digits=2)
    recorder("q4", ["fact", "judgment", "forecast", "fact"])
    recorder("q5", {"A": "fact", "B": "judgment", "C": "forecast"})
    recorder("q6", {"Estonia", "Latvia", "Lithuania"})
    monkeypatch.delenv(selfcheck.RECORD_ENV)
    keys = {}
    for line in record.read_text().splitlines():
        entry = json.loads(line)
        keys[entry.pop("question")] = entry
    checker = Checker("demo")
    checker._keys = keys
    return checker


def test_right_answers_in_any_equivalent_form(keyed):
    assert keyed.evaluate("q1", 7).status == "right"
    assert keyed.evaluate("q1", np.int64(7)).status == "right"
    assert keyed.evaluate("q1", 7.0).status == "right"
    assert keyed.evaluate("q2", ["latvia", "Estonia "]).status == "right"
    assert keyed.evaluate("q2", pd.Series(["Latvia", "Estonia"])).status == "right"
    assert keyed.evaluate("q3", 0.42).status == "right"


def test_wrong_answers_get_the_hint(keyed):
    result = keyed.evaluate("q1", 6, hint="Count countries, not waves.")
    assert result.status == "not right yet"
    assert "Count countries, not waves." in result.message
    assert keyed.evaluate("q2", ["Estonia"]).status == "not right yet"
    assert keyed.evaluate("q3", 0.44).status == "not right yet"


def test_placeholders_are_not_yet_answered(keyed):
    assert keyed.evaluate("q1", None).status == "not yet answered"
    assert keyed.evaluate("q1", ...).status == "not yet answered"


def test_uncomparable_values_say_why(keyed):
    result = keyed.evaluate("q1", print)
    assert result.status == "not right yet"
    assert "cannot compare a builtin_function_or_method" in result.message


def test_unknown_question_says_no_key(keyed):
    assert keyed.evaluate("q99", 1).status == "no key"


def test_check_prints_one_line_and_returns_nothing(keyed, capsys):
    assert keyed("q1", 7) is None
    assert capsys.readouterr().out.strip() == "✓ q1: right."
    keyed.progress()
    assert "1 right of 6 questions; 1 answered and checked, 5 not yet." in capsys.readouterr().out


def test_the_key_does_not_contain_the_answer_in_plain_form(keyed):
    text = json.dumps(keyed.keys)
    assert "estonia" not in text.lower()
    for key in keyed.keys.values():
        assert set(key) <= {"digest", "digits", "ordered", "parts"}
        assert len(key["digest"]) == 64 and int(key["digest"], 16) >= 0
    assert "parts" not in keyed.keys["q1"]  # a single value has no parts
    assert len(keyed.keys["q2"]["parts"]["digests"]) == 2


def test_canonical_forms():
    assert canonical(7) == canonical(7.0) == canonical(np.float64(7.0004))
    assert canonical(-0.0) == canonical(0.0)
    assert canonical({"b": 1, "a": 2}) == canonical({"a": 2, "b": 1})
    assert canonical([2, 1], ordered=False) == canonical([1, 2], ordered=False)
    assert canonical([2, 1]) != canonical([1, 2])
    assert canonical(True) != canonical(1)
    with pytest.raises(Unanswerable):
        canonical(object())


def test_digest_depends_on_the_salt():
    assert digest(7, salt="a") != digest(7, salt="b")
    assert digest(7, salt="a") == digest(7, salt="a")


def test_recording_an_unanswered_solution_fails(tmp_path, monkeypatch):
    monkeypatch.setenv(selfcheck.RECORD_ENV, str(tmp_path / "r.jsonl"))
    with pytest.raises(ValueError, match="leaves q1 unanswered"):
        Checker("demo")("q1", None)


@pytest.mark.parametrize("conditions, points, expected", [
    ((True, True), 2, 2.0), ((True, False), 2, 1.0), ((False, False), 2, 0.0), ((True, False, False), 3, 1.0),
])
def test_partial_credit(conditions, points, expected):
    assert partial_credit(*conditions, points=points) == expected


def test_partial_credit_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one condition"):
        partial_credit(points=2)
    with pytest.raises(ValueError, match="negative"):
        partial_credit(True, points=-1)


def test_progress_counts_add_up_in_natural_order(keyed):
    keyed.results.clear()
    keyed._keys = {q: keyed.keys[q] for q in ("q1", "q2", "q3")}
    keyed._keys["q10"] = keyed.keys["q1"]
    keyed.results["q10"] = keyed.evaluate("q10", 5)
    keyed.results["q1"] = keyed.evaluate("q1", 7)
    keyed.results["q2"] = keyed.evaluate("q2", None)
    text = keyed.summary()
    assert text.splitlines()[0] == "1 right of 4 questions; 2 answered and checked, 2 not yet."
    order = [line.split(":")[0].strip() for line in text.splitlines()[1:]]
    assert order == ["q1", "q2", "q3", "q10"]


def test_a_number_given_as_text_gets_a_type_note(keyed):
    assert "number as text" in keyed.evaluate("q1", "7").message
    assert "number as text" not in keyed.evaluate("q1", "6").message


def test_name_error_messages_say_what_to_do():
    from course.selfcheck import name_error_message
    assert "run the answer cell" in name_error_message(NameError("name 'q5' is not defined"))
    assert 'q5 = "B"' in name_error_message(NameError("name 'B' is not defined"))


def test_checker_installs_the_name_error_handler_in_ipython():
    # InteractiveShell.instance(): the one shell of this process, whichever test made it first
    # (a second, sibling shell class would raise MultipleInstanceError).
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    Checker("demo")
    assert NameError in shell.custom_exceptions


def test_spelling_variants_the_course_uses_are_accepted(keyed):
    assert keyed.evaluate("q4", ["Fact", "judgement", "forecast", "fact"]).status == "right"
    assert canonical("the Organisation's defence centre") == canonical("the organization's defense center")
    assert canonical("wise premise") == ["s", "wise premise"]  # -ise words that are not British spellings
    assert canonical("judgement") != canonical("judge")


def test_a_list_answer_says_which_positions_are_right(keyed):
    message = keyed.evaluate("q4", ["fact", "fact", "forecast", "judgment"]).message
    assert "items 1, 3 right" in message and "items 2, 4 not yet" in message
    assert "judgment" not in message.split("Parts")[1].replace("'judgment'", "")  # the right label is not told
    short = keyed.evaluate("q4", ["fact", "judgment"]).message
    assert "items 1, 2 right" in short and "The answer has 4 items; you gave 2." in short


def test_a_dict_answer_says_which_keys_are_right(keyed):
    message = keyed.evaluate("q5", {"A": "fact", "B": "forecast", "D": "fact"}).message
    assert "right for 'a'" in message and "not yet for 'b'" in message
    assert "not an expected key: 'd'" in message and "1 expected key is missing" in message
    assert "judgment" not in message


def test_a_set_answer_says_which_members_are_in_it(keyed):
    message = keyed.evaluate("q6", ["Estonia", "Finland"]).message
    assert "in the answer: 'estonia'" in message and "not in it: 'finland'" in message
    assert "latvia" not in message.lower()
    assert keyed.evaluate("q6", {"Lithuania", "Latvia", "Estonia"}).status == "right"
    assert "asks for a set, not a list" in keyed.evaluate("q6", ["Lithuania", "Latvia", "Estonia"]).message


def test_old_keys_without_parts_still_work(keyed):
    old = {k: v for k, v in keyed.keys["q4"].items() if k != "parts"}
    keyed._keys["q4"] = old
    assert keyed.evaluate("q4", ["fact", "judgment", "forecast", "fact"]).status == "right"
    assert keyed.evaluate("q4", ["fact", "fact", "forecast", "fact"]).message == "✗ q4: not right yet."


def test_a_set_given_as_a_list_gets_a_type_note(tmp_path, monkeypatch):
    record = tmp_path / "record.jsonl"
    monkeypatch.setenv(selfcheck.RECORD_ENV, str(record))
    Checker("demo")("q1", {"a", "b"})
    monkeypatch.delenv(selfcheck.RECORD_ENV)
    entry = json.loads(record.read_text())
    checker = Checker("demo")
    checker._keys = {"q1": {k: v for k, v in entry.items() if k != "question"}}
    assert checker.evaluate("q1", {"b", "a"}).status == "right"


def test_checks_persist_progress_across_sessions(keyed, tmp_path, monkeypatch, capsys):
    from course.selfcheck import progress
    monkeypatch.setenv(progress.PROGRESS_ENV, str(tmp_path / "p.json"))
    keyed("q1", 7)
    keyed("q2", ["Estonia"])
    keyed("q3", None)
    text = (tmp_path / "p.json").read_text()
    assert "estonia" not in text.lower() and '"7"' not in text  # ids and statuses only
    fresh = Checker("demo")  # a new kernel
    fresh._keys = keyed.keys
    lines = fresh.summary().splitlines()
    assert lines[0] == "1 right of 6 questions; 2 answered and checked, 4 not yet."
    assert lines[1] == "  q1: right (earlier session)" and lines[2] == "  q2: not right yet (earlier session)"
    keys = {"demo": list(keyed.keys), "other": ["q1", "q2"]}
    items = progress.course_progress(keys)
    demo = items[0]
    assert (demo.right, demo.wrong, demo.unanswered, len(demo.questions)) == (1, 1, 4, 6)
    assert demo.right + demo.wrong + demo.unanswered == len(demo.questions)
    assert items[1].unanswered == 2
    text = progress.progress_text(keys)
    assert "demo: 1 right, 1 not right yet, 4 not yet answered — 6 self-checked questions" in text
    assert "Course: 1 right, 1 not right yet, 6 not yet answered — 8 self-checked questions." in text
    table = progress.progress_table(keys)
    assert table.loc["demo", "right: which"] == "q1" and table.loc["other", "right: which"] == "—"


def test_progress_survives_a_broken_or_unwritable_file(tmp_path):
    from course.selfcheck import progress
    bad = tmp_path / "p.json"
    bad.write_text("{not json")
    assert progress.load(bad) == {}
    assert progress.record("demo", "q1", "right", path=bad)
    assert progress.load(bad)["demo"]["q1"]["status"] == "right"
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert progress.record("demo", "q1", "right", path=blocked / "p.json") is False
    with pytest.raises(ValueError, match="status must be one of"):
        progress.record("demo", "q1", "maybe", path=bad)


def test_explanations_open_after_a_right_answer_or_giving_up(keyed, tmp_path, monkeypatch, capsys):
    from course.selfcheck import explanations, progress
    monkeypatch.setenv(progress.PROGRESS_ENV, str(tmp_path / "p.json"))
    folder = tmp_path / "explanations"
    folder.mkdir()
    doc = explanations.document("demo", {"q1": "**Worked explanation (q1).** Seven countries.",
                                         "q2": "**Worked explanation (q2).** The Baltic states."})
    (folder / "demo.json").write_text(json.dumps(doc))
    assert "Seven" not in (folder / "demo.json").read_text()
    monkeypatch.setattr(explanations, "explanations_dir", lambda: folder)
    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # plain Python: the text is printed
    keyed.explain("q1")
    assert "opens once your check of q1 shows ✓" in capsys.readouterr().out
    keyed("q1", 7)
    keyed.explain("q1")
    assert "Seven countries." in capsys.readouterr().out
    keyed.give_up("q2")
    assert "The Baltic states." in capsys.readouterr().out
    assert progress.load()["demo"]["q2"]["gave_up"] is True
    keyed.explain("q3")
    assert "self-study edition" in capsys.readouterr().out


def test_obfuscation_round_trips():
    from course.selfcheck.explanations import obfuscate, reveal
    text = "Ünïcode — and a long text " * 20
    blob = obfuscate(text, "nb", "q1")
    assert reveal(blob, "nb", "q1") == text and "long" not in blob


def test_a_demonstration_checker_does_not_record_progress(keyed, tmp_path, monkeypatch):
    from course.selfcheck import progress
    monkeypatch.setenv(progress.PROGRESS_ENV, str(tmp_path / "p.json"))
    demo = Checker("demo", record=False)
    demo._keys = keyed.keys
    demo("q1", 6)
    assert not (tmp_path / "p.json").exists()
    keyed("q1", 6)
    assert progress.load()["demo"]["q1"]["status"] == "not right yet"
