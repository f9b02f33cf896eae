"""The course's primary source, cited in ONE place.

Every notebook cites the article through :data:`ARTICLE` (and :func:`article_citation`), so a
correction here reaches every module.

What is checked, and how (December 2026):

- ``publisher`` and the first publication: the course's copy of the text ends "This article was
  first published by the Carnegie Moscow Center."
- ``url``: carnegiemoscow.org/commentary/86222, given by a secondary report (EIR News, January
  2022, "Dmitri Trenin: What a week of meetings between the U.S. and Moscow revealed"), which
  also dates it 20 January 2022. The Carnegie Moscow Center closed in 2022 and its site is no
  longer served, so ``archived_url`` points to the Internet Archive's copy of that address.
- ``title``: the title by which the course cites the article. The course's copy of the text
  does not carry its title, and no copy of the original page was found to check it against:
  ``title_verified`` is False until someone checks it against the archived page.
- ``republished``: the course's copy of the text links the author's page at The Moscow Times,
  which republished the commentary about 21 January 2022 (its exact address is not checked).
"""

from __future__ import annotations

ARTICLE: dict[str, object] = {
    "title": "What Is Russia Up To in Its Talks With the United States?",
    "title_verified": False,
    "author": "Dmitry Trenin",
    "date": "2022-01-20",
    "publisher": "Carnegie Moscow Center",
    "url": "https://carnegiemoscow.org/commentary/86222",
    "url_verified": False,   # from a secondary report only (see the module docstring)
    "archived_url": "https://web.archive.org/web/2022/https://carnegiemoscow.org/commentary/86222",
    "republished": "The Moscow Times, about 21 January 2022",
    "republished_url": "https://www.themoscowtimes.com/author/dmitry-trenin",
}
"""Dmitry Trenin's January 2022 commentary: the course's primary source."""


def article_citation(markdown: bool = True) -> str:
    """The full citation of the article, as Markdown (default) or plain text."""
    a = ARTICLE
    title = f'"{a["title"]}"'
    if markdown:
        return (
            f'{a["author"]}, [{title}]({a["url"]}), {a["publisher"]}, 20 January 2022 '
            f'([archived copy]({a["archived_url"]}); republished by {a["republished"]}).'
        )
    return (
        f'{a["author"]}, {title}, {a["publisher"]}, 20 January 2022. {a["url"]} '
        f'(archived: {a["archived_url"]}); republished by {a["republished"]}.'
    )


def cite_article() -> None:
    """Display the citation as Markdown in a notebook (plain text without IPython)."""
    try:
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython is installed with the course
        print(article_citation(markdown=False))
        return
    display(Markdown(article_citation()))
