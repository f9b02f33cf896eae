"""The course website (``make site``): Jupyter Book 1 over the lecture notebooks and the guides.

The book is assembled in a staging folder so that Sphinx sees only what the site shows:
``site/`` (``_config.yml``, ``_toc.yml``, ``index.md``), ``docs/syllabus.md``,
``docs/instructor_guide.md``, every ``notebooks/*.ipynb`` and ``exercises/*.ipynb`` (the table of contents globs them,
so new modules appear without editing it). Every lecture notebook is executed on every build; the build
fails on a cell error or on any Sphinx warning (``-W``), and runs offline.

    python -m course.site [OUT]      # default build/site; the pages are OUT/_build/html
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("syllabus.md", "instructor_guide.md", "grading.md")


def stage(src: Path) -> Path:
    """Copy the site's sources into ``src`` (emptied first); return it."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ROOT / "site", src)
    for page in PAGES:
        shutil.copy2(ROOT / "docs" / page, src / page)
    shutil.copytree(ROOT / "docs" / "lesson_plans", src / "lesson_plans")
    for folder in ("notebooks", "exercises"):
        (src / folder).mkdir()
        for nb in sorted((ROOT / folder).glob("*.ipynb")):
            shutil.copy2(nb, src / folder / nb.name)
    return src


def build(out: Path) -> Path:
    """Build the site into ``out``; return the HTML folder. Raises CalledProcessError on failure."""
    out = out.resolve()
    src = stage(out / "src")
    env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1640995200",
           "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    jb = [str(Path(sys.executable).parent / "jupyter-book")]
    subprocess.run([*jb, "build", str(src), "--path-output", str(out), "--builder", "html",
                    "-W", "-n", "--keep-going", "--all"], check=True, env=env, cwd=ROOT)
    return out / "_build" / "html"


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images(html_file: Path) -> list[dict]:
    """The ``<img>`` tags of one page, as attribute dicts."""
    parser = _Images()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.images


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "build" / "site"
    html = build(out)
    print(f"site: {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
