"""Grade submitted exercise notebooks against ``solutions/`` (``course grade``).

One module per job:

- :mod:`course.grading.solutions`   read ``solutions/*_exercises.ipynb`` into exercise specs
- :mod:`course.grading.submissions` find submitted notebooks, read them, match them to an exercise
- :mod:`course.grading.assemble`    rebuild the notebook to run from the solution's cell order
- :mod:`course.grading.sandbox`     bubblewrap detection, the sandbox command line, the minimal env
- :mod:`course.grading.zygote`      the warm worker process that forks one child per submission
- :mod:`course.grading.executor`    runs the cells inside that child (IPython semantics, limits)
- :mod:`course.grading.workers`     the grader's side of a pool of zygotes
- :mod:`course.grading.scoring`     points per question from the cells' outputs (nbgrader's rule)
- :mod:`course.grading.gradebook`   the SQLite gradebook
- :mod:`course.grading.reports`     grades.csv, by_notebook/, feedback pages, essay sheets
- :mod:`course.grading.stats`       statistics.html: mean, share at 0 and at full marks, histograms
- :mod:`course.grading.exports`     exports/: Canvas gradebook CSV, Moodle grading worksheets, plain CSV
- :mod:`course.grading.merge`       merging hand-scored essay sheets back
- :mod:`course.grading.runner`      one ``course grade`` run from start to summary
- :mod:`course.grading.cli`         the click commands

The instructor's guide is ``docs/grading.md``.
"""
