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


def _register() -> None:
    from course.grading.cli import commands as grading_commands
    from course.release.cli import publish, release, slides, strip

    for command in (release, strip, publish, slides, handouts, *grading_commands):
        main.add_command(command)


_register()


if __name__ == "__main__":  # python -m course.cli
    main()
