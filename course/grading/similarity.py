"""Duplicates and near-duplicates among the students' answers (``similarity.csv`` and
``similarity.html`` in ``GRADES/``, and a ``similar_to`` column in ``grades.csv``).

What is compared, per notebook and per question, between every two students:

- **code** answer cells, and the code cells a student added (taken together as one item,
  ``added cells``): tokenised with Python's tokenizer, comments, blank lines and layout dropped,
  string quotes unified, the lines of the release placeholder removed (``q1 = None  # replace
  None …``), and the names the cell itself binds (assignment and loop targets, function names
  and arguments, comprehension variables) renamed in order of first use (``v1``, ``v2`` …), so
  a consistent renaming of variables changes nothing. Names the cell uses but does not bind
  (``members``, ``np``, ``q3``, attributes, builtins) are kept;
- **essays**: the words, lower-cased (markdown and punctuation dropped).

An item counts only when the student **answered** it (it differs from the release placeholder,
as the gradebook records) and it is **non-trivial**: at least :data:`MIN_CODE_TOKENS` tokens of
code or :data:`MIN_ESSAY_WORDS` words of essay once normalised. The exercises' short answers
(``q3 = 7``, ``q8 = "b"``) are not evidence of copying — every correct student writes them — so
two blank, untouched or short-answer-only submissions are never flagged.

Two students are reported when at least one such question of theirs has a similarity
(:class:`difflib.SequenceMatcher` ratio of the normalised token lists, ``2·matches / total``)
of at least :data:`THRESHOLD` (0.9), or when their files are byte-identical (the SHA-256 the
gradebook stores) and answer at least one question. The report is a pointer for a human, not
a verdict: it changes no score.

Cost: pairs within a notebook grow as n²/2 (200 students: 19,900 pairs), so each question's
items are first bucketed by hash (identical ones need no comparison), sorted by length and
compared only within the length window a ratio ≥ threshold allows, and through
``real_quick_ratio`` and ``quick_ratio`` (cheap upper bounds) before the exact ``ratio``.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import hashlib
import html
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

#: Two answers are near-identical from this SequenceMatcher ratio on (0–1).
THRESHOLD = 0.9
#: Fewest normalised code tokens for a code answer to count (``q1 = int(df["x"].sum())`` has 14).
MIN_CODE_TOKENS = 25
#: Fewest words for an essay to count.
MIN_ESSAY_WORDS = 25
#: The item name of the code cells a student added (all of them, in order).
ADDED = "added cells"
STUBS = ("YOUR CODE HERE", "YOUR ANSWER HERE", "raise NotImplementedError()")
COLUMNS = ["notebook", "student_a", "student_b", "kind", "similarity", "questions"]

_BUILTINS = frozenset(dir(builtins))
_SKIPPED_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.ENDMARKER}
_WORD = re.compile(r"\w+(?:['’]\w+)*")


# --- normalisation ---------------------------------------------------------------------------
def _without_placeholder(source: str, placeholder: str) -> str:
    """The source without the lines of its placeholder (the starter text every student has)."""
    starter = {line.strip() for line in placeholder.splitlines() if line.strip()}
    kept = [line for line in source.splitlines()
            if line.strip() not in starter and not any(stub in line for stub in STUBS)]
    return "\n".join(kept)


def _bound_names(source: str) -> set[str]:
    """Names the code binds itself (its own variables, functions, arguments)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _string_token(text: str) -> str:
    try:
        return repr(ast.literal_eval(text))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def code_tokens(source: str, placeholder: str = "", keep: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The normalised tokens of a code answer (see the module docstring).

    ``keep``: names never renamed (the answer variables the prompt names, e.g. ``q1``); the
    names the placeholder binds are kept too. Code that does not tokenise (e.g. a magic) is
    compared as its whitespace-separated words.
    """
    text = _without_placeholder(source, placeholder)
    if not text.strip():
        return ()
    keep = set(keep) | _bound_names(placeholder)
    rename = {n for n in _bound_names(text) if n not in keep and n not in _BUILTINS}
    mapping: dict[str, str] = {}
    out: list[str] = []
    try:
        previous = ""
        for tok in tokenize.generate_tokens(io.StringIO(text + "\n").readline):
            if tok.type in _SKIPPED_TOKENS:
                continue
            value = tok.string
            if tok.type == tokenize.NAME and value in rename and previous != "." and not keyword.iskeyword(value):
                value = mapping.setdefault(value, f"v{len(mapping) + 1}")
            elif tok.type == tokenize.STRING:
                value = _string_token(value)
            out.append(value)
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return tuple(re.sub(r"#.*", "", text).split())
    return tuple(out)


def essay_words(text: str) -> tuple[str, ...]:
    """The lower-cased words of an essay (markdown and punctuation dropped, stub removed)."""
    for stub in STUBS:
        text = text.replace(stub, " ")
    return tuple(w.lower() for w in _WORD.findall(text))


# --- what is compared ------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One normalised, answered answer of one student."""

    tokens: tuple[str, ...]
    kind: str  # "code" or "essay"

    @property
    def trivial(self) -> bool:
        return len(self.tokens) < (MIN_ESSAY_WORDS if self.kind == "essay" else MIN_CODE_TOKENS)

    @property
    def digest(self) -> str:
        return hashlib.sha256("\x1f".join(self.tokens).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One submission, as far as similarity goes."""

    student_id: str
    notebook: str
    content_sha256: str
    items: dict[str, Item]  # question (grade_id or ADDED) → answered item, trivial ones included

    @property
    def answered(self) -> bool:
        return bool(self.items)


@dataclass
class Pair:
    notebook: str
    student_a: str
    student_b: str
    kind: str  # "identical file", "identical answers", "near-identical answers"
    questions: dict[str, float] = field(default_factory=dict)  # question → ratio (≥ threshold)
    similarity: float = 0.0  # over every non-trivial question both answered, weighted by length

    def row(self) -> list[str]:
        shown = "; ".join(f"{q} {r:.2f}" for q, r in sorted(self.questions.items()))
        return [self.notebook, self.student_a, self.student_b, self.kind, f"{self.similarity:.2f}", shown]


def entry_of(student_id: str, notebook: str, content_sha256: str, feedback: dict,
             placeholders: dict[str, str] | None = None) -> Entry:
    """The comparable items of one gradebook row (its stored feedback cells: the student's
    answer, essay and added cells with their ``answered`` flags)."""
    placeholders = placeholders or {}
    answer_names = {m for text in placeholders.values() for m in _bound_names(text)}
    items: dict[str, Item] = {}
    added: list[str] = []
    for cell in feedback.get("cells", []):
        role, gid, source = cell.get("role"), cell.get("grade_id"), str(cell.get("source", ""))
        if role == "extra":
            added.append(source)
        elif role == "answer" and gid and cell.get("answered"):
            tokens = code_tokens(source, placeholders.get(gid, ""), frozenset(answer_names))
            if tokens:
                items[gid] = Item(tokens, "code")
        elif role == "essay" and gid and cell.get("answered"):
            words = essay_words(source)
            if words:
                items[gid] = Item(words, "essay")
    if added:
        tokens = code_tokens("\n".join(added), "", frozenset(answer_names))
        if tokens:
            items[ADDED] = Item(tokens, "code")
    return Entry(student_id, notebook, content_sha256, items)


# --- comparison -------------------------------------------------------------------------------
@dataclass
class Counters:
    """How much work the prefilters saved (for tests and the benchmark)."""

    candidates: int = 0  # pairs of distinct non-trivial items of one question
    exact_ratios: int = 0  # SequenceMatcher.ratio() calls


def _similar_items(items: list[tuple[str, Item]], counters: Counters) -> dict[tuple[str, str], float]:
    """(student_a, student_b) → ratio ≥ THRESHOLD, for one question's non-trivial items."""
    found: dict[tuple[str, str], float] = {}
    buckets: dict[str, list[str]] = {}
    reps: dict[str, Item] = {}
    for student, item in items:
        buckets.setdefault(item.digest, []).append(student)
        reps.setdefault(item.digest, item)
    for students in buckets.values():  # identical after normalisation: ratio 1, no comparison
        for i, a in enumerate(students):
            for b in students[i + 1:]:
                found[tuple(sorted((a, b)))] = 1.0
    ordered = sorted(reps.items(), key=lambda kv: len(kv[1].tokens))
    bound = (2 - THRESHOLD) / THRESHOLD  # ratio ≤ 2·short/(short+long) ⇒ long ≤ short·bound
    matcher = difflib.SequenceMatcher(autojunk=False)
    for i, (digest_a, item_a) in enumerate(ordered):
        matcher.set_seq2(item_a.tokens)  # seq2 is the one SequenceMatcher indexes: reuse it
        for digest_b, item_b in ordered[i + 1:]:
            if len(item_b.tokens) > len(item_a.tokens) * bound:
                break
            counters.candidates += 1
            matcher.set_seq1(item_b.tokens)
            if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
                continue
            counters.exact_ratios += 1
            ratio = matcher.ratio()
            if ratio >= THRESHOLD:
                for a in buckets[digest_a]:
                    for b in buckets[digest_b]:
                        key = tuple(sorted((a, b)))
                        found[key] = max(found.get(key, 0.0), ratio)
    return found


def _overall(a: Entry, b: Entry, ratios: dict[str, float]) -> float:
    """Length-weighted mean ratio over the non-trivial questions both answered."""
    total = weight = 0.0
    for question in sorted(set(a.items) & set(b.items)):
        ia, ib = a.items[question], b.items[question]
        if ia.trivial or ib.trivial:
            continue
        ratio = ratios.get(question)
        if ratio is None:
            ratio = 1.0 if ia.digest == ib.digest else difflib.SequenceMatcher(
                None, ia.tokens, ib.tokens, autojunk=False).ratio()
        w = len(ia.tokens) + len(ib.tokens)
        total, weight = total + ratio * w, weight + w
    return total / weight if weight else 1.0


def find_pairs(entries: list[Entry], counters: Counters | None = None) -> list[Pair]:
    """Every reported pair of students (see the module docstring), sorted by notebook, then by
    similarity (highest first), then by names."""
    counters = counters if counters is not None else Counters()
    pairs: list[Pair] = []
    by_notebook: dict[str, list[Entry]] = {}
    for entry in entries:
        by_notebook.setdefault(entry.notebook, []).append(entry)
    for notebook, group in sorted(by_notebook.items()):
        by_student = {e.student_id: e for e in group}
        flagged: dict[tuple[str, str], dict[str, float]] = {}
        questions = sorted({q for e in group for q in e.items})
        for question in questions:
            items = [(e.student_id, e.items[question]) for e in group
                     if question in e.items and not e.items[question].trivial]
            for key, ratio in _similar_items(items, counters).items():
                flagged.setdefault(key, {})[question] = ratio
        same_file: dict[str, list[str]] = {}
        for e in group:
            if e.answered and e.content_sha256:
                same_file.setdefault(e.content_sha256, []).append(e.student_id)
        identical_files = {tuple(sorted((a, b))) for ids in same_file.values()
                           for i, a in enumerate(ids) for b in ids[i + 1:]}
        for key in sorted(set(flagged) | identical_files):
            a, b = by_student[key[0]], by_student[key[1]]
            ratios = flagged.get(key, {})
            if key in identical_files:
                kind = "identical file"
            elif all(r == 1.0 for r in ratios.values()):
                kind = "identical answers"
            else:
                kind = "near-identical answers"
            pairs.append(Pair(notebook, key[0], key[1], kind, ratios,
                              1.0 if key in identical_files else _overall(a, b, ratios)))
    return sorted(pairs, key=lambda p: (p.notebook, -p.similarity, p.student_a, p.student_b))


def similar_to(pairs: list[Pair]) -> dict[tuple[str, str], list[str]]:
    """(student_id, notebook) → the other students of its reported pairs, sorted."""
    out: dict[tuple[str, str], set[str]] = {}
    for p in pairs:
        out.setdefault((p.student_a, p.notebook), set()).add(p.student_b)
        out.setdefault((p.student_b, p.notebook), set()).add(p.student_a)
    return {k: sorted(v) for k, v in out.items()}


# --- the gradebook and the files ----------------------------------------------------------------
def placeholders_of(book) -> dict[str, dict[str, str]]:
    """notebook → grade_id → release placeholder, from the latest run's solutions (empty when
    they cannot be read any more: the comparison then keeps the starter lines, which are short)."""
    options = book.last_options()
    try:
        from course.grading.solutions import load_exercises

        exercises = options.get("exercises")
        exercises = Path(exercises) if exercises and exercises != "None" and Path(exercises).is_dir() else None
        specs = load_exercises(Path(options["solutions"]), exercises)
    except Exception:  # noqa: BLE001 - the report still works without them
        return {}
    return {s.name: {c.grade_id: c.placeholder for c in s.cells if c.grade_id and c.placeholder} for s in specs}


def book_pairs(book, counters: Counters | None = None) -> list[Pair]:
    """The reported pairs of every notebook in the gradebook."""
    placeholders = placeholders_of(book)
    entries = [entry_of(s.student_id, s.notebook, s.content_sha256, s.feedback, placeholders.get(s.notebook))
               for s in book.submissions()]
    return find_pairs(entries, counters)


_STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border:1px solid #ccc;text-align:left}"""


def similarity_html(pairs: list[Pair]) -> str:
    """The report as a page that works offline; every name escaped; no script allowed."""
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             f"<title>Similar submissions</title><style>{_STYLE}</style></head><body>",
             "<h1>Similar submissions</h1>",
             f"<p>Pairs of students whose answers to a question are identical or nearly so (similarity "
             f"&ge; {THRESHOLD:g} after comments, layout and variable names are normalised; only answers "
             f"of at least {MIN_CODE_TOKENS} code tokens or {MIN_ESSAY_WORDS} essay words count, so blank "
             "and short answers are never flagged), and pairs of byte-identical files. A pointer for a "
             "closer look, not a verdict: no score is changed. See docs/grading.md.</p>"]
    if not pairs:
        parts.append("<p>No pair found.</p>")
    else:
        parts.append("<table><tr>" + "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in COLUMNS) + "</tr>")
        for p in pairs:
            cells = [f"<td>{esc(v)}</td>" for v in p.row()]
            for column, student in ((1, p.student_a), (2, p.student_b)):  # link their feedback pages
                href = f"feedback/{quote(student)}/{quote(p.notebook)}.html"
                cells[column] = f"<td><a href='{esc(href)}'>{esc(student)}</a></td>"
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_similarity(book, out_dir: Path, pairs: list[Pair] | None = None) -> list[Pair]:
    """Write ``similarity.csv`` and ``similarity.html`` into ``out_dir``; returns the pairs."""
    from course.grading.reports import _csv, to_spreadsheet, write_atomic

    pairs = book_pairs(book) if pairs is None else pairs
    rows = [COLUMNS] + [[to_spreadsheet(v) for v in p.row()] for p in pairs]
    write_atomic(Path(out_dir) / "similarity.csv", _csv(rows))
    write_atomic(Path(out_dir) / "similarity.html", similarity_html(pairs))
    return pairs
