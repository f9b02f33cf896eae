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
    assert "1 right of 3 questions; 1 answered and checked, 2 not yet." in capsys.readouterr().out


def test_the_key_does_not_contain_the_answer_in_plain_form(keyed):
    text = json.dumps(keyed.keys)
    assert "estonia" not in text.lower()
    for key in keyed.keys.values():
        assert set(key) == {"digest", "digits", "ordered"}
        assert len(key["digest"]) == 64 and int(key["digest"], 16) >= 0


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
    keyed._keys = {**keyed.keys, "q10": keyed.keys["q1"]}
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
    from IPython.testing.globalipapp import start_ipython
    shell = start_ipython()
    Checker("demo")
    assert NameError in shell.custom_exceptions
