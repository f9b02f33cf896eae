"""Self-check for students: right / not yet answered / not right yet (with a hint).

In an exercise notebook::

    from course.selfcheck import Checker
    check = Checker("01_roots_exercises")
    ...
    check("q1", q1, hint="Count countries, not waves.")

The right answers are not stored in plain form: ``course release`` executes the solution
notebook and records, for each ``check`` call, a salted PBKDF2 hash of the answer's canonical
form in ``course/selfcheck/keys/<notebook>.json``. The check hashes the student's value the
same way and compares.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from course.selfcheck.canonical import Unanswerable, canonical, digest, is_unanswered

__all__ = ["Checker", "CheckResult", "partial_credit", "canonical", "digest", "RECORD_ENV"]

RECORD_ENV = "COURSE_SELFCHECK_RECORD"
"""When set to a file path, ``check`` records answer hashes there instead of checking (release)."""

RIGHT, UNANSWERED, WRONG, NO_KEY = "right", "not yet answered", "not right yet", "no key"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-check: ``status`` is right / not yet answered / not right yet."""

    question: str
    status: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status == RIGHT


def keys_dir() -> Path:
    return Path(str(resources.files("course.selfcheck").joinpath("keys")))


def load_keys(notebook: str) -> dict[str, dict]:
    """The answer keys of ``notebook`` (``{question: {"digest", "digits", "ordered"}}``)."""
    path = keys_dir() / f"{notebook}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


def salt_for(notebook: str, question: str) -> str:
    return f"security-guarantees-course/{notebook}/{question}"


class Checker:
    """The ``check`` function of one exercise notebook.

    ``check(question, value, hint=..., digits=3, ordered=True)`` prints one line and returns
    ``None`` (so nothing shows as a cell result); the last outcome of each question is kept in
    ``check.results`` and ``check.progress()`` prints a summary.
    """

    def __init__(self, notebook: str) -> None:
        self.notebook = notebook
        self.results: dict[str, CheckResult] = {}
        self._keys: dict[str, dict] | None = None
        install_name_error_help()

    @property
    def keys(self) -> dict[str, dict]:
        if self._keys is None:
            self._keys = load_keys(self.notebook)
        return self._keys

    def __call__(self, question: str, value: Any, *, hint: str = "", digits: int = 3,
                 ordered: bool = True) -> None:
        record_path = os.environ.get(RECORD_ENV)
        if record_path:
            self._record(record_path, question, value, digits=digits, ordered=ordered)
            print(f"[release] recorded the answer key for {question}")
            return None
        result = self.evaluate(question, value, hint=hint)
        self.results[question] = result
        print(result.message)
        return None

    def evaluate(self, question: str, value: Any, *, hint: str = "") -> CheckResult:
        """Compare ``value`` with the key of ``question`` and return the outcome (no printing)."""
        if is_unanswered(value):
            return CheckResult(question, UNANSWERED,
                               f"… {question}: not yet answered. Replace None with your answer and run this cell again.")
        key = self.keys.get(question)
        if key is None:
            return CheckResult(question, NO_KEY,
                               f"? {question}: no answer key is installed for this question "
                               f"(ask your instructor to run `course release`).")
        try:
            given = digest(value, salt=salt_for(self.notebook, question),
                           digits=key.get("digits", 3), ordered=key.get("ordered", True))
        except Unanswerable as exc:
            return CheckResult(question, WRONG, f"✗ {question}: not right yet: {exc}.")
        if given == key["digest"]:
            return CheckResult(question, RIGHT, f"✓ {question}: right.")
        tip = f" Hint: {hint}" if hint else ""
        kind = self._type_hint(question, value, key)
        return CheckResult(question, WRONG, f"✗ {question}: not right yet.{kind}{tip}")

    def _type_hint(self, question: str, value: Any, key: dict) -> str:
        """A note on the answer's type when another type of the same content would be right."""
        salt, digits, ordered = salt_for(self.notebook, question), key.get("digits", 3), key.get("ordered", True)
        alternatives: list[tuple[Any, str]] = []
        if isinstance(value, str):
            try:
                alternatives.append((float(value.strip()), " Note: you gave a number as text (in quotes); give the number itself."))
            except ValueError:
                pass
        if isinstance(value, (list, tuple)) and ordered:
            alternatives.append((set(map(lambda v: v if not isinstance(v, list) else tuple(v), value)),
                                 " Note: these items are right, but the question asks for a set, not a list."))
        for alternative, note in alternatives:
            try:
                if digest(alternative, salt=salt, digits=digits, ordered=ordered) == key["digest"]:
                    return note
            except (Unanswerable, TypeError):
                continue
        return ""

    def progress(self) -> None:
        """Print which questions are right, wrong or not yet answered."""
        if not self.results:
            print("No questions checked yet: run the check cells.")
            return
        print(self.summary())

    def summary(self) -> str:
        """Counts that add up: right, not right yet and not yet checked, questions in natural order."""
        questions = sorted(set(self.keys) | set(self.results), key=natural_key)
        right = sum(1 for q in questions if q in self.results and self.results[q].ok)
        checked = sum(1 for q in questions if q in self.results and self.results[q].status != UNANSWERED)
        lines = [f"{right} right of {len(questions)} questions; {checked} answered and checked, "
                 f"{len(questions) - checked} not yet."]
        for question in questions:
            status = self.results[question].status if question in self.results else "not yet checked"
            lines.append(f"  {question}: {status}")
        return "\n".join(lines)

    def _record(self, path: str, question: str, value: Any, *, digits: int, ordered: bool) -> None:
        if is_unanswered(value):
            raise ValueError(f"the solution leaves {question} unanswered")
        entry = {
            "question": question,
            "digest": digest(value, salt=salt_for(self.notebook, question), digits=digits, ordered=ordered),
            "digits": digits,
            "ordered": ordered,
        }
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def natural_key(question: str) -> list:
    """Sort key putting q2 before q10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", question)]


def name_error_message(exc: NameError) -> str:
    """The one-paragraph advice shown instead of a NameError traceback."""
    match = re.search(r"name '([^']+)' is not defined", str(exc))
    name = match.group(1) if match else "this name"
    if re.fullmatch(r"q\d+[a-z]?", name):
        return (f"{name} is not defined yet: run the answer cell that sets {name} = ... first "
                f"(or Run All Above), then this check again.")
    return (f"{name!r} is not defined. If you meant it as an answer (a letter or a word), put it in "
            f"quotes, e.g. q5 = \"{name}\"; if it is a name from an earlier cell, run that cell first.")


def install_name_error_help() -> bool:
    """In IPython, show :func:`name_error_message` instead of a NameError traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(shell, etype, value, tb, tb_offset=None):
        # Returned as the structured traceback: the cell still fails (Run All stops, nbval and
        # key recording still see an error), but it shows this advice instead of a traceback.
        return [f"✗ {name_error_message(value)}"]

    shell.set_custom_exc((NameError,), handler)
    return True


def partial_credit(*conditions: bool, points: float) -> float:
    """Points for the share of ``conditions`` that hold (nbgrader's numeric-output rule).

    Use as the last expression of a test cell's hidden tests: the cell's value becomes the
    score. ``partial_credit(a_ok, b_ok, points=2)`` gives 2, 1 or 0.
    """
    if not conditions:
        raise ValueError("give at least one condition")
    if points < 0:
        raise ValueError("points cannot be negative")
    share = sum(bool(c) for c in conditions) / len(conditions)
    return round(points * share, 4)
