"""The ``course`` command: ``course release``, ``course grade`` and friends (click)."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="security-guarantees-course")
def main() -> None:
    """Security Guarantees and Their Limits: course tools for instructors and authors."""


def _register() -> None:
    from course.grading.cli import commands as grading_commands
    from course.release.cli import publish, release, slides, strip

    for command in (release, strip, publish, slides, *grading_commands):
        main.add_command(command)


_register()


if __name__ == "__main__":  # python -m course.cli
    main()
