"""Thin ipywidgets views over :mod:`course.models`.

Every explorer:

- takes its whole state as constructor arguments and exposes it back as plain values
  (``explorer.state``), so an exercise can rebuild it from code and the answer survives
  re-execution;
- recomputes through a pure model function and redraws as HTML (no JavaScript of its own,
  no network), timing each redraw in ``explorer.last_redraw_ms``;
- shows a readable text summary where there is no front end (nbconvert, nbval, grading);
- draws in the course's style (:mod:`course.widgets.style`): the Okabe-Ito palette, text at WCAG AA
  contrast, a text alternative for every view.

Static charts in the same style, each with its text alternative and labels that do not overlap, are in
:mod:`course.widgets.charts` (``charts.show(*charts.enlargement_steps(members))``).

Importing this package also sets the course's display defaults in IPython
(:func:`course.widgets.style.use_course_display`): pandas tables show "—" for missing values, and
matplotlib uses the Okabe-Ito colour cycle.
"""

from course.widgets.afterwards import ForecastScorer
from course.widgets.base import Explorer
from course.widgets.countermeasures import (BargainingRangeExplorer, EscalationLadder, GameExplorer,
                                            IteratedGameExplorer, SecurityDilemmaExplorer)
from course.widgets.enlargement import EnlargementExplorer
from course.widgets.evolution import CoercionCalculator, TimelineExplorer
from course.widgets.feasibility import FeasibilityExplorer
from course.widgets.guarantees import CommitmentProblemExplorer, RatificationCalculator, TreatyLifetimeChart
from course.widgets.moratorium import MoratoriumExplorer
from course.widgets.style import use_course_display
from course.widgets.unbundling import PackageVsTracksExplorer

use_course_display()

__all__ = [
    "BargainingRangeExplorer",
    "CoercionCalculator",
    "CommitmentProblemExplorer",
    "EnlargementExplorer",
    "EscalationLadder",
    "Explorer",
    "FeasibilityExplorer",
    "ForecastScorer",
    "GameExplorer",
    "IteratedGameExplorer",
    "MoratoriumExplorer",
    "PackageVsTracksExplorer",
    "RatificationCalculator",
    "SecurityDilemmaExplorer",
    "TimelineExplorer",
    "TreatyLifetimeChart",
]
