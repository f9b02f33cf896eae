"""The ``course`` command: ``course release``, ``course grade`` and friends (click)."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="security-guarantees-course")
def main() -> None:
    """Security Guarantees and Their Limits: course tools for instructors and authors."""


@click.command()
@click.argument("out", type=click.Path(path_type=__import__("pathlib").Path))
@click.option("--html-only", is_flag=True, help="Write the HTML pages only (no Chromium needed).")
def handouts(out, html_only: bool) -> None:
    """Write printable handouts per module into OUT: key tables, questions, role cards (PDF), and
    the rubrics on their own (instructor side)."""
    from course.handouts import chromium, write_handouts

    files = write_handouts(out, pdf=not html_only)
    if not html_only and not chromium():
        click.echo("Chromium not found: wrote HTML only (apt-get install chromium for PDFs).", err=True)
    click.echo(f"wrote {len(files)} files to {out}")


@click.command()
def progress() -> None:
    """Show your self-check progress across the course: per exercise notebook, which questions are
    right, not right yet and not yet answered (kept between sessions; no answers are stored)."""
    from course.selfcheck.progress import progress_text

    click.echo(progress_text())


@click.command()
@click.option("--dry-run", is_flag=True, help="Only say which notebooks would be saved aside.")
def update(dry_run: bool) -> None:
    """Get the new version of the course (git pull), first copying your changed notebooks (answers
    and outputs) to my-work/<date-time>/ so that they never block the update or get lost."""
    from pathlib import Path

    from course.update import HAND_UPDATE, UpdateError, is_checkout, plan
    from course.update import update as run_update

    root = Path.cwd()
    if not is_checkout(root):
        click.echo(HAND_UPDATE)
        raise SystemExit(1)
    try:
        if dry_run:
            todo = plan(root)
        else:
            todo = run_update(root)
    except UpdateError as exc:
        click.echo(f"course update: {exc}", err=True)
        raise SystemExit(2) from exc
    verb = "would save" if dry_run else "saved"
    for path in todo.saved:
        click.echo(f"{verb} {path}")
    if todo.backup:
        click.echo(f"Your notebooks are in {todo.backup.relative_to(root)}/ (same sub-folders).")
    click.echo("Dry run: nothing changed." if dry_run else "The course is up to date.")


def _register() -> None:
    from course.grading.cli import commands as grading_commands
    from course.release.cli import publish, release, slides, strip

    for command in (release, strip, publish, slides, handouts, progress, update, *grading_commands):
        main.add_command(command)


_register()


if __name__ == "__main__":  # python -m course.cli
    main()
