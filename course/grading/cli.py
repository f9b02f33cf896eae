"""The grading commands of ``course``: ``course grade``, ``course grade-merge`` and ``course grade-export``.

``course/cli.py`` imports :data:`commands` and registers each of them.
"""

from __future__ import annotations

from pathlib import Path

import click

from course.grading.merge import SheetError, merge_sheet
from course.grading.runner import GradeOptions, GradingError, format_summary, grade


def default_solutions() -> Path:
    """``./solutions`` when it exists, else the ``solutions/`` folder next to the course package."""
    here = Path("solutions")
    if here.is_dir():
        return here
    import course

    return Path(course.__file__).resolve().parent.parent / "solutions"


@click.command("grade")
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", required=True, type=click.Path(path_type=Path),
              help="Folder for the gradebook, grades.csv, by_notebook/, feedback/, essays/, statistics.html "
                   "and exports/ (created if needed).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default="one per CPU",
              help="Submissions graded in parallel.")
@click.option("--solutions", type=click.Path(path_type=Path), default=None,
              help="Folder of *_exercises.ipynb solutions [default: ./solutions].")
@click.option("--cell-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="CPU seconds one cell may use (load on the machine does not use them up); a cell that "
                   "waits is stopped after 4 times as many wall-clock seconds.")
@click.option("--timeout", type=click.FloatRange(min=0.5), default=300.0, show_default=True,
              help="Seconds one submission may run.")
@click.option("--memory", type=click.IntRange(min=16), default=1024, show_default=True,
              help="MB a submission may allocate on top of the preloaded libraries.")
@click.option("--scratch", "scratch_mb", type=click.IntRange(min=1), default=256, show_default=True,
              help="MB a submission may write in total (its working folder, /tmp and /dev/shm).")
@click.option("--processes", type=click.IntRange(min=2), default=64, show_default=True,
              help="Processes a submission may run at once.")
@click.option("--sandbox", type=click.Choice(["auto", "bubblewrap", "none"]), default="auto", show_default=True,
              help="auto: bubblewrap when it works here, else none (said plainly).")
@click.option("--force", is_flag=True, help="Grade again even the submissions unchanged since the last run "
              "(hand scores of essays are kept).")
@click.option("--only", "only", multiple=True, metavar="STUDENT_ID",
              help="Regrade only this student (repeatable), even if unchanged; hand scores are kept.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of student_id, name, email (and LMS ids) for the exports; copied to OUT/roster.csv.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def grade_command(submissions, out, jobs, solutions, cell_timeout, timeout, memory, scratch_mb, processes, sandbox,
                  force, only, roster, no_progress):
    """Grade every SUBMISSIONS/<student_id>/<notebook>.ipynb against solutions/.

    Writes OUT/gradebook.sqlite, OUT/grades.csv (and OUT/by_notebook/<notebook>.csv),
    OUT/feedback/<student_id>/<notebook>.html, OUT/essays/<notebook>.csv, OUT/statistics.html and
    OUT/exports/ (Canvas, Moodle and plain CSV files for the LMS). Re-running skips what is already graded and completes an
    interrupted run. Exit code 0 when the run completed, even if some submissions failed
    (their rows in grades.csv say why). See docs/grading.md.
    """
    solutions = solutions or default_solutions()
    exercises = solutions.parent / "exercises"
    options = GradeOptions(submissions=submissions, out=out, solutions=solutions,
                           exercises=exercises if exercises.is_dir() else None, jobs=jobs,
                           cell_seconds=cell_timeout, submission_seconds=max(timeout, cell_timeout),
                           memory_mb=memory, scratch_mb=scratch_mb, processes=processes, sandbox=sandbox, force=force, progress=not no_progress,
                           only=tuple(only))
    if roster is not None:
        install_roster(roster, out)
    try:
        summary = grade(options, echo=lambda line: click.echo(line, err=True))
    except GradingError as exc:
        raise click.UsageError(str(exc)) from None
    except RuntimeError as exc:  # e.g. --sandbox bubblewrap where it cannot work
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted: every submission finished so far is in the gradebook; "
                   "run the same command again to grade the rest.", err=True)
        raise SystemExit(130) from None
    click.echo(format_summary(summary, out))
    for line in earlier_failures(summary, out):
        click.echo(line)
    click.echo(f"LMS files: {out / 'exports'} (canvas.csv, moodle/<notebook>.csv, grades_by_student.csv); "
               f"per-question statistics: {out / 'statistics.html'}.")


def install_roster(roster: Path, out: Path) -> None:
    """Check the roster and copy it to OUT/roster.csv, where every later report finds it."""
    from course.grading.exports import ROSTER_FILE, RosterError, read_roster

    try:
        read_roster(roster)
    except RosterError as exc:
        raise click.UsageError(str(exc)) from None
    Path(out).mkdir(parents=True, exist_ok=True)
    target = Path(out) / ROSTER_FILE
    if target.resolve() != Path(roster).resolve():
        target.write_bytes(Path(roster).read_bytes())


def earlier_failures(summary, out: Path) -> list[str]:
    """Summary lines for submissions that failed in an earlier run and were skipped this time
    (unchanged), so a re-run's summary still lists every failed submission."""
    from course.grading.gradebook import Gradebook

    if not (Path(out) / Gradebook.FILE_NAME).exists():
        return []
    now = {(student, notebook) for student, notebook, _, _ in summary.failed}
    book = Gradebook(out)
    try:
        rows = [r for r in book.failed() if (r[0], r[1]) not in now]
    finally:
        book.close()
    return [f"  FAILED {student} / {notebook}: {status}: {reason} (unchanged since an earlier run)"
            for student, notebook, status, reason in rows]


@click.command("grade-export")
@click.option("--out", "-o", "out", required=True, type=click.Path(path_type=Path),
              help="The folder `course grade --out` wrote (holds gradebook.sqlite).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of student_id, name, email (and LMS ids); copied to OUT/roster.csv.")
@click.option("--canvas-column", "canvas_columns", multiple=True, metavar="NOTEBOOK=COLUMN",
              help='Canvas column of a notebook, e.g. 04_limits_exercises="Module 04 exercises (12345)"; '
                   "stored in OUT/assignments.csv (repeatable).")
def grade_export_command(out, roster, canvas_columns):
    """Rewrite grades.csv, the feedback pages, the essay sheets, statistics.html and exports/
    from the gradebook, without grading anything (e.g. after adding a roster)."""
    from course.grading.exports import ASSIGNMENTS_FILE, read_assignment_names
    from course.grading.gradebook import Gradebook
    from course.grading.reports import _csv, write_atomic, write_reports

    if not (Path(out) / Gradebook.FILE_NAME).exists():
        raise click.UsageError(f"no gradebook in {out}: run `course grade SUBMISSIONS --out {out}` first")
    if roster is not None:
        install_roster(roster, out)
    if canvas_columns:
        names = read_assignment_names(Path(out) / ASSIGNMENTS_FILE)
        for item in canvas_columns:
            notebook, sep, column = item.partition("=")
            if not sep or not notebook.strip() or not column.strip():
                raise click.UsageError(f"--canvas-column {item!r}: expected NOTEBOOK=COLUMN")
            names[notebook.strip()] = column.strip()
        write_atomic(Path(out) / ASSIGNMENTS_FILE,
                     _csv([["notebook", "canvas_column"], *sorted(map(list, names.items()))]))
    book = Gradebook(out)
    try:
        notebooks = sorted({r.notebook for r in book.submissions()
                            if any(c.get("role") == "essay" for c in r.feedback.get("cells", []))})
        warnings = write_reports(book, Path(out), notebooks)
    finally:
        book.close()
    click.echo(f"Wrote {Path(out) / 'exports'}, {Path(out) / 'statistics.html'}, grades.csv, feedback/ and essays/.")
    for warning in warnings:
        click.echo(f"WARNING {warning}", err=True)


@click.command("grade-merge")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--out", "-o", "out", required=True, type=click.Path(path_type=Path),
              help="The folder `course grade --out` wrote (holds gradebook.sqlite).")
def grade_merge_command(sheet, out):
    """Merge a hand-scored essay sheet (OUT/essays/<notebook>.csv) into the gradebook.

    Checks the whole sheet first: on any problem nothing is merged and every problem is listed
    with its row and column. Then grades.csv, the feedback pages and the sheets are rewritten.
    Later `course grade` runs keep these scores.
    """
    try:
        result = merge_sheet(sheet, out)
    except SheetError as exc:
        raise click.ClickException(str(exc)) from None
    kept = f", {result.comments_only} comment(s) without a score kept" if result.comments_only else ""
    click.echo(f"Merged {result.merged} hand score(s) from {sheet} ({result.blank} row(s) left blank{kept}); "
               f"rewrote {out / 'grades.csv'} and {out / 'exports'}.")
    for warning in result.warnings:
        click.echo(f"WARNING {warning}", err=True)


#: Registered by course/cli.py.
commands = [grade_command, grade_merge_command, grade_export_command]
