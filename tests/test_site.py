"""The course website builds (Jupyter Book 1) with every lecture notebook executed, no warning and
no cell error, offline, with navigation, the syllabus and the instructor guide."""

from __future__ import annotations

import re

import pytest

from course.site import build, images
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(600)
# MathJax is the one script the theme loads from a CDN; offline, formulas show as TeX source.
ALLOWED_REMOTE = ("https://cdn.jsdelivr.net/npm/mathjax@3/",)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # build() raises when jupyter-book exits non-zero: it runs with -W (a warning is an error)
    # and allow_errors: false (a cell error stops the build).
    return build(tmp_path_factory.mktemp("site"))


def test_every_lecture_notebook_and_guide_has_a_page(site):
    lectures = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert lectures, "no lecture notebooks found"
    for stem in lectures:
        page = site / "notebooks" / f"{stem}.html"
        assert page.exists(), f"{stem} has no page"
        # executed: at least one code cell shows an output
        assert 'class="cell_output' in page.read_text(encoding="utf-8"), f"{stem} shows no outputs"
    for guide in ("syllabus", "instructor_guide", "index"):
        assert (site / f"{guide}.html").exists()


def test_navigation_links_every_page(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for stem in [p.stem for p in (ROOT / "notebooks").glob("*.ipynb")] + ["syllabus", "instructor_guide"]:
        assert re.search(rf'href="[^"]*{re.escape(stem)}\.html"', index), f"navigation lacks {stem}"


def test_no_script_or_stylesheet_comes_from_the_internet(site):
    remote = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'<(?:script|link)[^>]*(?:src|href)="(https?://[^"]+)"', text):
            if not url.startswith(ALLOWED_REMOTE):
                remote.add((page.name, url))
    assert remote == set()


def test_every_figure_has_a_text_alternative(site):
    missing = [(page.name, img.get("src")) for page in site.rglob("*.html") for img in images(page)
               if not (img.get("alt") or "").strip() and "_static" not in (img.get("src") or "")]
    assert missing == []
