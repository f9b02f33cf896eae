"""The grading commands of ``course``: ``course grade`` and ``course grade-merge``.

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
              help="Folder for the gradebook, grades.csv, by_notebook/, feedback/ and essays/ (created if needed).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default="one per CPU",
              help="Submissions graded in parallel.")
@click.option("--solutions", type=click.Path(path_type=Path), default=None,
              help="Folder of *_exercises.ipynb solutions [default: ./solutions].")
@click.option("--cell-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds one cell may run.")
@click.option("--timeout", type=click.FloatRange(min=0.5), default=300.0, show_default=True,
              help="Seconds one submission may run.")
@click.option("--memory", type=click.IntRange(min=16), default=1024, show_default=True,
              help="MB a submission may allocate on top of the preloaded libraries.")
@click.option("--sandbox", type=click.Choice(["auto", "bubblewrap", "none"]), default="auto", show_default=True,
              help="auto: bubblewrap when it works here, else none (said plainly).")
@click.option("--force", is_flag=True, help="Grade again even the submissions unchanged since the last run.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def grade_command(submissions, out, jobs, solutions, cell_timeout, timeout, memory, sandbox, force, no_progress):
    """Grade every SUBMISSIONS/<student_id>/<notebook>.ipynb against solutions/.

    Writes OUT/gradebook.sqlite, OUT/grades.csv (and OUT/by_notebook/<notebook>.csv),
    OUT/feedback/<student_id>/<notebook>.html and OUT/essays/<notebook>.csv. Re-running skips what is already graded and completes an
    interrupted run. Exit code 0 when the run completed, even if some submissions failed
    (their rows in grades.csv say why). See docs/grading.md.
    """
    solutions = solutions or default_solutions()
    exercises = solutions.parent / "exercises"
    options = GradeOptions(submissions=submissions, out=out, solutions=solutions,
                           exercises=exercises if exercises.is_dir() else None, jobs=jobs,
                           cell_seconds=cell_timeout, submission_seconds=max(timeout, cell_timeout),
                           memory_mb=memory, sandbox=sandbox, force=force, progress=not no_progress)
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
    click.echo(f"Merged {result.merged} hand score(s) from {sheet} ({result.blank} row(s) left blank); "
               f"rewrote {out / 'grades.csv'}.")
    for warning in result.warnings:
        click.echo(f"WARNING {warning}", err=True)


#: Registered by course/cli.py.
commands = [grade_command, grade_merge_command]
