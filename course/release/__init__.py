"""Generate ``exercises/`` (and the self-check answer keys) from ``solutions/``.

- :mod:`course.release.nbgrader_format` — nbgrader's cell format, shared with grading
- :mod:`course.release.exercise` — one solution notebook → one exercise notebook (pure)
- :mod:`course.release.answer_keys` — run a solution notebook and record hashed answers
- :mod:`course.release.release` — the whole folder, and ``--check``
- :mod:`course.release.authoring` — cell builders for writing solution notebooks in code
"""
