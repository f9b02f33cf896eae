"""``course release`` and ``course strip``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import nbformat

from course.release.nbgrader_format import FormatError
from course.release.publish import PublishError
from course.release.publish import publish as run_publish
from course.release.release import release as run_release
from course.release.slides import add_slide_metadata


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming any stale or missing file.")
@click.option("--solutions", type=click.Path(path_type=Path, file_okay=False), default=Path("solutions"),
              show_default=True, help="Folder of solution notebooks.")
@click.option("--exercises", type=click.Path(path_type=Path, file_okay=False), default=Path("exercises"),
              show_default=True, help="Folder to write exercise notebooks to.")
def release(check: bool, solutions: Path, exercises: Path) -> None:
    """Generate exercises/ and the self-check answer keys from solutions/."""
    if not solutions.is_dir():
        raise click.UsageError(f"no solutions folder at {solutions} (run from the course's top folder)")
    try:
        report = run_release(solutions, exercises, check=check)
    except FormatError as exc:  # a solution nbgrader would refuse: one line naming the cell
        click.echo(f"course release: {exc}", err=True)
        sys.exit(1)
    except (FileNotFoundError, RuntimeError) as exc:
        click.echo(f"course release: {exc}", err=True)
        sys.exit(2)
    for path in report.written:
        click.echo(f"wrote {path}")
    for path in report.orphans:
        click.echo(f"warning: {path} has no solution notebook (delete it if the module was removed)", err=True)
    if check:
        if report.stale or report.orphans:
            for path in report.stale:
                click.echo(f"stale: {path} is out of date with solutions/ — run `course release`", err=True)
            sys.exit(1)
        click.echo(f"exercises/ and answer keys are up to date ({len(report.unchanged)} files).")
    else:
        click.echo(f"release: {len(report.written)} written, {len(report.unchanged)} unchanged.")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def strip(paths: tuple[Path, ...]) -> None:
    """Clear outputs and execution counts of notebooks (default: notebooks/ solutions/ exercises/)."""
    targets = list(paths) or [Path("notebooks"), Path("solutions"), Path("exercises")]
    files = [p for t in targets for p in ([t] if t.is_file() else sorted(t.glob("*.ipynb")))]
    changed = 0
    for path in files:
        nb = nbformat.read(path, as_version=4)
        dirty = False
        for cell in nb.cells:
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
                cell.outputs, cell.execution_count, dirty = [], None, True
        if dirty:
            nbformat.write(nb, path)
            changed += 1
            click.echo(f"stripped {path}")
    click.echo(f"{changed} of {len(files)} notebooks stripped.")


@click.command()
@click.argument("out", type=click.Path(path_type=Path, file_okay=False))
@click.option("--skip-check", is_flag=True, help="Do not check first that exercises/ is up to date.")
@click.option("--self-study", is_flag=True,
              help="Add the worked explanations (obfuscated), opened by check.explain after a right "
                   "answer or by check.give_up: the edition for learners on their own.")
def publish(out: Path, skip_check: bool, self_study: bool) -> None:
    """Write the student edition of the course into OUT: notebooks, exercises, the package and
    the setup files; no solutions, tests or lesson plans (with --self-study: plus the worked
    explanations, hidden until answered or given up)."""
    root = Path.cwd()
    if not (root / "solutions").is_dir() or not (root / "exercises").is_dir():
        raise click.UsageError("run `course publish` from the course's top folder")
    if not skip_check:
        report = run_release(root / "solutions", root / "exercises", check=True)
        if report.stale or report.orphans:
            names = ", ".join(str(p) for p in report.stale + report.orphans)
            click.echo(f"course publish: out of date with solutions/: {names}; run `course release` first", err=True)
            sys.exit(1)
    try:
        files = run_publish(root, out, self_study=self_study)
    except PublishError as exc:
        click.echo(f"course publish: {exc}", err=True)
        sys.exit(2)
    name = "self-study" if self_study else "student"
    click.echo(f"wrote the {name} edition ({len(files)} files) to {out}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def slides(paths: tuple[Path, ...]) -> None:
    """Lay lecture notebooks out as 1280x720 slides (default: notebooks/); keeps skip/fragment/notes."""
    targets = list(paths) or [Path("notebooks")]
    files = [p for t in targets for p in ([t] if t.is_file() else sorted(t.glob("*.ipynb")))]
    for path in files:
        nb = nbformat.read(path, as_version=4)
        if add_slide_metadata(nb):
            nbformat.write(nb, path)
            click.echo(f"slide metadata added to {path}")
    click.echo(f"{len(files)} notebooks ready for slides mode (jupyterlab-slideshow: the slideshow button in the notebook toolbar).")
