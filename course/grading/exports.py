"""The files an LMS imports as they are, written to ``GRADES/exports/`` from the gradebook alone.

- ``canvas.csv``: a Canvas gradebook import. Canvas's own leading columns ``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment. Canvas matches
  a student by ``ID`` (its user id), else ``SIS User ID``, else ``SIS Login ID``; it matches an
  assignment column by its name with the assignment id in parentheses, as in a Canvas export
  (``Module 04 exercises (12345)``), and takes a column with an unknown plain name as a new
  assignment. A blank cell changes nothing in Canvas, so a total that is not final (an essay not
  scored yet) is left blank there and listed in ``exports/NOT_FINAL.txt``.
- ``moodle/<notebook>.csv``: a Moodle assignment "offline grading worksheet", the columns Moodle's
  "Download grading worksheet" writes (``Identifier``, ``Full name``, ``Email address``, ``Status``,
  ``Grade``, ``Maximum Grade``, ``Grade can be changed``, ``Last modified (submission)``,
  ``Last modified (grade)``, ``Feedback comments``). Moodle finds a student by ``Identifier``
  ``Participant N`` (N: the number in Moodle's submission folder name, or the roster's
  ``moodle_participant``); it reads ``Grade`` and ``Feedback comments`` and ignores ``Status``,
  where a total that is not final says so (its ``Grade`` is blank, which Moodle skips).
- ``grades_by_student.csv``: one row per student, per assignment its total (blank when not
  final), maximum and status, for any other system or a spreadsheet.

Names, e-mails and LMS ids come from an optional roster, ``GRADES/roster.csv`` (columns
``student_id, name, email`` and, if known, ``canvas_id, sis_user_id, sis_login_id, section,
moodle_participant``). Canvas column names can be set in ``GRADES/assignments.csv``
(``notebook, canvas_column``). Both may be comma- or semicolon-separated, with or without a BOM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course.grading.gradebook import Gradebook
from course.grading.reports import AWAITING, _csv, fmt_points, read_csv, to_spreadsheet, write_atomic

ROSTER_FILE = "roster.csv"
ASSIGNMENTS_FILE = "assignments.csv"
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                  "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                  "Feedback comments"]
ROSTER_COLUMNS = ["student_id", "name", "email", "canvas_id", "sis_user_id", "sis_login_id", "section",
                  "moodle_participant"]


class RosterError(ValueError):
    """The roster or assignments file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Person:
    student_id: str
    name: str = ""
    email: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    moodle_participant: str = ""


def read_roster(path: Path) -> dict[str, Person]:
    """student_id → :class:`Person` from a roster CSV (``student_id`` required, the rest optional)."""
    try:
        rows = read_csv(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: cannot read it ({exc}); save it as CSV UTF-8") from None
    if rows and "student_id" not in rows[0]:
        raise RosterError(f"{path}: no column student_id (expected {', '.join(ROSTER_COLUMNS[:3])}, …)")
    people: dict[str, Person] = {}
    for number, row in enumerate(rows, start=2):
        sid = (row.get("student_id") or "").strip()
        if not sid:
            continue
        if sid in people:
            raise RosterError(f"{path}: row {number}: student_id {sid!r} appears twice")
        people[sid] = Person(**{c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS})
    return people


def read_assignment_names(path: Path) -> dict[str, str]:
    """notebook → Canvas column name, from ``assignments.csv`` (``notebook, canvas_column``)."""
    if not path.exists():
        return {}
    try:
        rows = read_csv(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: cannot read it ({exc})") from None
    return {(r.get("notebook") or "").strip(): (r.get("canvas_column") or "").strip()
            for r in rows if (r.get("notebook") or "").strip() and (r.get("canvas_column") or "").strip()}


def canvas_column(notebook: str, names: dict[str, str]) -> str:
    """The Canvas column of a notebook: the configured name (``Module 04 exercises (12345)`` to
    update an existing assignment), else the notebook name, which Canvas imports as a new one."""
    return names.get(notebook) or notebook


def participant_number(person: Person) -> str:
    """The Moodle participant number: the roster's, else the digits of a Moodle folder name
    (``Jane Doe_123456_assignsubmission_file_`` → ``123456``) or a numeric student id."""
    if person.moodle_participant:
        return re.sub(r"^\s*participant\s*", "", person.moodle_participant, flags=re.I)
    match = re.search(r"_(\d+)_assignsubmission", person.student_id)
    if match:
        return match.group(1)
    return person.student_id if person.student_id.isdigit() else ""


def _person(people: dict[str, Person], sid: str) -> Person:
    return people.get(sid) or Person(sid)


def _canvas_id(person: Person) -> str:
    return person.canvas_id or (person.student_id if person.student_id.isdigit() else "")


def canvas_rows(results: dict, people: dict[str, Person], names: dict[str, str]) -> list[list[str]]:
    notebooks = sorted(results)
    students = sorted({s for per in results.values() for s in per} | set(people))
    rows = [[*CANVAS_COLUMNS, *[canvas_column(n, names) for n in notebooks]],
            ["    Points Possible", "", "", "", "",
             *[fmt_points(max((r["max"] for r in results[n].values()), default=0)) for n in notebooks]]]
    for sid in students:
        person = _person(people, sid)
        cells = []
        for notebook in notebooks:
            result = results[notebook].get(sid)
            cells.append("" if result is None or result["total"] is None else fmt_points(result["total"]))
        rows.append([to_spreadsheet(person.name or sid), _canvas_id(person), to_spreadsheet(person.sis_user_id),
                     to_spreadsheet(person.sis_login_id or ("" if _canvas_id(person) else sid)),
                     to_spreadsheet(person.section), *cells])
    return rows


def moodle_rows(notebook: str, results: dict, people: dict[str, Person]) -> tuple[list[list[str]], list[str]]:
    """The worksheet of one assignment, and the students left out (no participant number)."""
    rows, missing = [MOODLE_COLUMNS], []
    per = results[notebook]
    max_points = max((r["max"] for r in per.values()), default=0)
    for sid in sorted(per):
        person = _person(people, sid)
        number = participant_number(person)
        if not number:
            missing.append(sid)
            continue
        result = per[sid]
        if result["total"] is None:
            status, grade = "Not final: essays not scored yet", ""
        elif result["status"] == "graded":
            status, grade = "Graded", fmt_points(result["total"])
        else:
            status, grade = f"Graded: {result['status']}", fmt_points(result["total"])
        rows.append([f"Participant {number}", to_spreadsheet(person.name or sid), to_spreadsheet(person.email),
                     status, grade, fmt_points(max_points), "Yes", "", "",
                     to_spreadsheet(result["reason"] if result["status"] not in ("graded", AWAITING) else "")])
    return rows, missing


def plain_rows(results: dict, people: dict[str, Person]) -> list[list[str]]:
    notebooks = sorted(results)
    header = ["student_id", "name", "email"]
    for notebook in notebooks:
        header += [f"{notebook} total", f"{notebook} max", f"{notebook} status"]
    rows = [header]
    for sid in sorted({s for per in results.values() for s in per} | set(people)):
        person = _person(people, sid)
        row = [to_spreadsheet(sid), to_spreadsheet(person.name), to_spreadsheet(person.email)]
        for notebook in notebooks:
            result = results[notebook].get(sid)
            if result is None:
                row += ["", "", "not_submitted"]
            else:
                row += ["" if result["total"] is None else fmt_points(result["total"]),
                        fmt_points(result["max"]), result["status"]]
        rows.append(row)
    return rows


def unfiled_submissions(book: Gradebook) -> list[tuple[str, str]]:
    """(student, file stem) of wrong notebooks that could not be filed under any exercise (graded
    against no solution): they stay in grades.csv but are no LMS assignment."""
    return [(s.student_id, s.notebook) for s in book.submissions() if not s.solution_sha256]


def write_exports(book: Gradebook, out_dir: Path) -> list[str]:
    """Write ``exports/``; returns warnings (roster problems, students Moodle cannot match)."""
    from course.grading.reports import assignment_results

    out_dir = Path(out_dir)
    target = out_dir / "exports"
    warnings: list[str] = []
    people: dict[str, Person] = {}
    if (out_dir / ROSTER_FILE).exists():
        try:
            people = read_roster(out_dir / ROSTER_FILE)
        except RosterError as exc:
            warnings.append(f"roster ignored: {exc}")
    try:
        names = read_assignment_names(out_dir / ASSIGNMENTS_FILE)
    except RosterError as exc:
        names = {}
        warnings.append(f"assignment names ignored: {exc}")
    results = assignment_results(book)
    unfiled = unfiled_submissions(book)
    for student, notebook in unfiled:  # never an assignment of its own in an LMS
        results.get(notebook, {}).pop(student, None)
    results = {n: per for n, per in results.items() if per}
    if unfiled:
        warnings.append(f"{len(unfiled)} wrong notebook(s) that name no assignment are not exported: "
                        + ", ".join(f"{s} / {n}" for s, n in unfiled[:10]) + ("…" if len(unfiled) > 10 else "")
                        + " (see grades.csv; enter their grade by hand)")
    if not results:
        return warnings
    unknown = sorted({s for per in results.values() for s in per} - set(people)) if people else []
    if unknown:
        warnings.append(f"{len(unknown)} student(s) not in {ROSTER_FILE}: {', '.join(unknown[:10])}"
                        f"{'…' if len(unknown) > 10 else ''}")
    write_atomic(target / "canvas.csv", _csv(canvas_rows(results, people, names)))
    write_atomic(target / "grades_by_student.csv", _csv(plain_rows(results, people)), bom=True)
    for notebook in sorted(results):
        rows, missing = moodle_rows(notebook, results, people)
        write_atomic(target / "moodle" / f"{notebook}.csv", _csv(rows))
        if missing and (people or len(rows) > 1):  # without roster or Moodle folders: not a Moodle course
            warnings.append(f"exports/moodle/{notebook}.csv leaves out {len(missing)} student(s) without a "
                            f"Moodle participant number ({', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}): "
                            f"add a moodle_participant column to {ROSTER_FILE}")
    not_final = [(n, s, r["reason"]) for n in sorted(results) for s, r in sorted(results[n].items())
                 if r["total"] is None]
    lines = [f"{n}\t{s}\t{AWAITING}\t{reason}" for n, s, reason in not_final]
    write_atomic(target / "NOT_FINAL.txt",
                 ("Totals left blank in every export because essays are not scored yet:\n" + "\n".join(lines) + "\n")
                 if lines else "Every total in these exports is final.\n")
    if not_final:
        warnings.append(f"{len(not_final)} total(s) are not final (essays not scored yet): left blank in "
                        "exports/ (listed in exports/NOT_FINAL.txt)")
    return warnings
