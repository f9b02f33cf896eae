"""Self-check for students: right / not yet answered / not right yet (with a hint).

In an exercise notebook::

    from course.selfcheck import Checker
    check = Checker("01_roots_exercises")
    ...
    check("q1", q1, hint="Count countries, not waves.")

The right answers are not stored in plain form: ``course release`` executes the solution
notebook and records, for each ``check`` call, a salted PBKDF2 hash of the answer's canonical
form in ``course/selfcheck/keys/<notebook>.json``. The check hashes the student's value the
same way and compares. For a list, a tuple, a set or a dict it also records one hash per part,
so that a wrong answer is told which of its parts are right (without being told the others).

Every check also records its status (never the answer) in the progress file of
:mod:`course.selfcheck.progress`, so ``course progress`` and the Start here notebook can show
progress across the course after the kernel restarts. In the self-study edition,
``check.explain("q3")`` shows the worked explanation of q3 once it is right, and
``check.give_up("q3")`` shows it at once (see :mod:`course.selfcheck.explanations`).

What the self-check protects: the keys are hashes, so nobody reads an answer off them; but
an answer drawn from a small space (a letter, a year, a count) can be recovered by trying every
possible answer against its hash, and per-part hashes make that easier still. The self-check is
feedback for learning; the grade comes from the instructor's hidden tests and hand-scored essays.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from course.selfcheck import progress as _progress
from course.selfcheck.canonical import Unanswerable, canonical, digest, is_unanswered

__all__ = ["Checker", "CheckResult", "partial_credit", "canonical", "digest", "part_digests", "RECORD_ENV"]

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
    """The answer keys of ``notebook`` (``{question: {"digest", "digits", "ordered"[, "parts"]}}``)."""
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

    def __init__(self, notebook: str, *, record: bool = True) -> None:
        """``record=False`` for demonstrations outside the exercise notebook: checks are then
        not written to the progress file."""
        self.notebook = notebook
        self.record = record
        self.results: dict[str, CheckResult] = {}
        self._keys: dict[str, dict] | None = None
        self._given_up: set[str] = set()
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
        if self.record and result.status in _progress.STATUSES:
            _progress.record(self.notebook, question, result.status)
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
        parts = "" if kind else part_feedback(value, key, salt_for(self.notebook, question))
        return CheckResult(question, WRONG, f"✗ {question}: not right yet.{parts}{kind}{tip}")

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
        """Counts that add up: right, not right yet and not yet checked, questions in natural order.

        A question not checked since the kernel started shows its status from an earlier session
        (from the progress file), marked as such."""
        earlier = _progress.load().get(self.notebook, {})
        questions = sorted(set(self.keys) | set(self.results), key=natural_key)
        statuses: dict[str, str] = {}
        for q in questions:
            if q in self.results:
                statuses[q] = self.results[q].status
            elif q in earlier and earlier[q].get("status") in (RIGHT, WRONG):
                statuses[q] = f"{earlier[q]['status']} (earlier session)"
        right = sum(1 for q in questions if statuses.get(q, "").startswith(RIGHT))
        checked = sum(1 for q in questions if statuses.get(q, "").startswith((RIGHT, WRONG)))
        lines = [f"{right} right of {len(questions)} questions; {checked} answered and checked, "
                 f"{len(questions) - checked} not yet."]
        for question in questions:
            lines.append(f"  {question}: {statuses.get(question, 'not yet checked')}")
        return "\n".join(lines)

    def is_right(self, question: str) -> bool:
        """Right in this session or, by the progress file, in an earlier one."""
        if question in self.results:
            return self.results[question].ok
        return _progress.load().get(self.notebook, {}).get(question, {}).get("status") == RIGHT

    def explain(self, question: str) -> None:
        """Show the worked explanation of ``question`` (self-study edition) once it is right, or
        after :meth:`give_up`; otherwise say how to get it."""
        from course.selfcheck.explanations import load_explanations

        texts = load_explanations(self.notebook)
        if question not in texts:
            print(f"No worked explanation of {question} is installed: worked explanations come with the "
                  f"self-study edition of the course (`course publish OUT --self-study`).")
            return None
        gave_up = _progress.load().get(self.notebook, {}).get(question, {}).get("gave_up", False)
        if not (self.is_right(question) or gave_up or question in self._given_up):
            print(f"The worked explanation of {question} opens once your check of {question} shows ✓. "
                  f"To see it now, run check.give_up(\"{question}\") (your progress will say so).")
            return None
        self._show(question, texts[question])
        return None

    def give_up(self, question: str) -> None:
        """Show the worked explanation of ``question`` now, and note in the progress file that it
        was seen before the question was right."""
        self._given_up.add(question)
        if not self.is_right(question):
            _progress.record(self.notebook, question, gave_up=True)
        self.explain(question)

    def _show(self, question: str, blob: str) -> None:
        from course.selfcheck.explanations import reveal

        text = reveal(blob, self.notebook, question)
        try:
            from IPython import get_ipython
            from IPython.display import Markdown, display
            if get_ipython() is not None:
                display(Markdown(text))
                return
        except ImportError:  # pragma: no cover
            pass
        print(text)

    def _record(self, path: str, question: str, value: Any, *, digits: int, ordered: bool) -> None:
        if is_unanswered(value):
            raise ValueError(f"the solution leaves {question} unanswered")
        salt = salt_for(self.notebook, question)
        entry = {
            "question": question,
            "digest": digest(value, salt=salt, digits=digits, ordered=ordered),
            "digits": digits,
            "ordered": ordered,
        }
        parts = part_digests(value, salt=salt, digits=digits, ordered=ordered)
        if parts is not None:
            entry["parts"] = parts
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


natural_key = _progress.natural_key


def _part_hash(form: Any, salt: str) -> str:
    import hashlib

    from course.selfcheck.canonical import ITERATIONS
    text = json.dumps(form, separators=(",", ":"))
    return hashlib.pbkdf2_hmac("sha256", text.encode(), salt.encode(), ITERATIONS).hex()


def _kind(value: Any, ordered: bool) -> str | None:
    if isinstance(value, (set, frozenset)):
        return "set"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, (list, tuple)) or (callable(getattr(value, "tolist", None)) and not isinstance(value, (str, bytes))):
        return "sequence" if ordered else "set"
    return None


def part_digests(value: Any, *, salt: str, digits: int = 3, ordered: bool = True) -> dict | None:
    """One hash per part of a list / tuple (by position), set (by member) or dict (by key), or
    None for a single value (or a collection of fewer than two parts)."""
    kind = _kind(value, ordered)
    if kind is None:
        return None
    form = canonical(value, digits=digits, ordered=ordered)
    if kind == "mapping":
        pairs = form[1]
        if len(pairs) < 2:
            return None
        return {"kind": kind, "digests": {_part_hash(k, f"{salt}/key"): _part_hash([k, v], f"{salt}/entry")
                                          for k, v in pairs}}
    items = form[1]
    if not isinstance(items, list) or len(items) < 2:
        return None
    if kind == "sequence":
        return {"kind": kind, "digests": [_part_hash(item, f"{salt}/{i}") for i, item in enumerate(items)]}
    return {"kind": kind, "digests": sorted({_part_hash(item, f"{salt}/member") for item in items})}


def _show_item(form: Any) -> str:
    """A student's own part, as they would write it (their own value: safe to repeat)."""
    if isinstance(form, list) and len(form) == 2 and form[0] in ("s", "n", "b"):
        return repr(form[1]) if form[0] == "s" else str(form[1])
    return json.dumps(form)


def part_feedback(value: Any, key: dict, salt: str) -> str:
    """Which parts of a wrong multi-part answer are right, naming only the student's own parts."""
    parts = key.get("parts")
    if not parts:
        return ""
    digits, ordered = key.get("digits", 3), key.get("ordered", True)
    kind = parts.get("kind")
    try:
        form = canonical(value, digits=digits, ordered=ordered)
    except Unanswerable:
        return ""
    if kind == "mapping":
        if form[0] != "d":
            return f" The answer is a dict of {len(parts['digests'])} entries."
        right, wrong, unknown = [], [], []
        for k, v in form[1]:
            wanted = parts["digests"].get(_part_hash(k, f"{salt}/key"))
            if wanted is None:
                unknown.append(_show_item(k))
            elif wanted == _part_hash([k, v], f"{salt}/entry"):
                right.append(_show_item(k))
            else:
                wrong.append(_show_item(k))
        bits = []
        if right:
            bits.append(f"right for {', '.join(right)}")
        if wrong:
            bits.append(f"not yet for {', '.join(wrong)}")
        if unknown:
            bits.append(f"not an expected key: {', '.join(unknown)}")
        missing = len(parts["digests"]) - len(right) - len(wrong)
        if missing > 0:
            bits.append(f"{missing} expected {'key is' if missing == 1 else 'keys are'} missing")
        return " Parts: " + "; ".join(bits) + "."
    if form[0] != "l" or not isinstance(form[1], list):
        return f" The answer has {len(parts['digests'])} parts (a list, tuple or set)."
    items = form[1]
    expected = len(parts["digests"])
    size = "" if len(items) == expected else f" The answer has {expected} items; you gave {len(items)}."
    if kind == "sequence":
        right = [str(i + 1) for i, item in enumerate(items[:expected]) if _part_hash(item, f"{salt}/{i}") == parts["digests"][i]]
        wrong = [str(i + 1) for i in range(min(len(items), expected)) if str(i + 1) not in right]
        bits = []
        if right:
            bits.append(f"item{'s' if len(right) > 1 else ''} {', '.join(right)} right")
        if wrong:
            bits.append(f"item{'s' if len(wrong) > 1 else ''} {', '.join(wrong)} not yet")
        return (" Parts (counting from 1): " + "; ".join(bits) + "." if bits else "") + size
    members = set(parts["digests"])
    inside = [_show_item(item) for item in items if _part_hash(item, f"{salt}/member") in members]
    outside = [_show_item(item) for item in items if _part_hash(item, f"{salt}/member") not in members]
    bits = []
    if inside:
        bits.append(f"in the answer: {', '.join(inside)}")
    if outside:
        bits.append(f"not in it: {', '.join(outside)}")
    return (" Parts: " + "; ".join(bits) + "." if bits else "") + size


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
