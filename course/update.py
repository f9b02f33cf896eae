"""``course update``: get the new version of the course without losing, or being blocked by, your work.

A student's copy of the course changes as they work: the exercise notebooks hold their answers,
and every notebook they run holds outputs. ``git pull`` refuses to overwrite such changes. This
command, run in the course's top folder of a git checkout:

1. copies every changed or new notebook under ``notebooks/`` and ``exercises/`` to
   ``my-work/<date-time>/`` (same sub-folders), so nothing of the student's is lost;
2. restores the changed notebooks to the version they came with (``git checkout --``);
3. pulls the new version (``git pull --ff-only``).

The student's answers are then in ``my-work/…/exercises/``: open them there, or copy answer
cells into the new exercise notebooks. Outside a git checkout (a downloaded folder), it says how to
update by hand. Progress (``course progress``) lives outside the folder and is kept.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

WATCHED = ("notebooks", "exercises")
BACKUP = "my-work"


class UpdateError(RuntimeError):
    """The update cannot go ahead (not a course folder, git failed, ...)."""


@dataclass
class UpdatePlan:
    root: Path
    changed: list[Path] = field(default_factory=list)   # tracked notebooks with local changes
    new: list[Path] = field(default_factory=list)       # untracked notebooks (copies the student made)
    backup: Path | None = None

    @property
    def saved(self) -> list[Path]:
        return self.changed + self.new


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except FileNotFoundError as exc:
        raise UpdateError("git is not installed: update by hand (see the README)") from exc
    except subprocess.CalledProcessError as exc:
        raise UpdateError(f"git {' '.join(args)} failed: {exc.stderr.strip() or exc.stdout.strip()}") from exc
    return done.stdout


def is_checkout(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--show-toplevel").strip() != ""
    except UpdateError:
        return False


def plan(root: Path) -> UpdatePlan:
    """What :func:`update` would save and restore (it changes nothing)."""
    if not all((root / folder).is_dir() for folder in WATCHED):
        raise UpdateError(f"{root} is not the course's top folder (no notebooks/ and exercises/)")
    result = UpdatePlan(root)
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *WATCHED)
    for entry in filter(None, status.split("\0")):
        code, name = entry[:2], entry[3:]
        if not name.endswith(".ipynb") or ".ipynb_checkpoints" in name:
            continue
        (result.new if code == "??" else result.changed).append(Path(name))
    result.changed.sort()
    result.new.sort()
    return result


def update(root: Path, *, pull: bool = True, stamp: str | None = None) -> UpdatePlan:
    """Save the student's notebooks aside, restore the changed ones, then pull (see module doc)."""
    todo = plan(root)
    if todo.saved:
        stamp = stamp or datetime.now(timezone.utc).strftime("%Y-%m-%d_%H%M%S")
        todo.backup = root / BACKUP / stamp
        for relative in todo.saved:
            target = todo.backup / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if (root / relative).exists():
                shutil.copy2(root / relative, target)
        deleted_or_changed = [str(p) for p in todo.changed]
        if deleted_or_changed:
            _git(root, "checkout", "--", *deleted_or_changed)
    if pull:
        _git(root, "pull", "--ff-only")
    return todo


HAND_UPDATE = """This copy of the course is not a git checkout, so it cannot update itself.
To update by hand:
  1. get the new edition into a NEW folder (download it, or `git clone` it);
  2. copy your own exercise notebooks (exercises/*.ipynb, with your answers) into a folder
     my-work/ inside the new folder, and open them from there or copy your answers across;
  3. run `make lab` in the new folder. Your progress (`course progress`) is kept: it is stored
     outside the course folder."""
