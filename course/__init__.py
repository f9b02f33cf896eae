"""Security Guarantees and Their Limits: the course package.

Layout (one direction of dependency):

- ``course.data``      packaged CSV datasets and their typed, validated loaders
- ``course.models``    pure functions implementing the course's models (no widgets, no I/O)
- ``course.widgets``   thin ipywidgets views over the models
- ``course.selfcheck`` students' self-check against hashed answer keys
- ``course.release``   generates ``exercises/`` from ``solutions/``
- ``course.grading``   grades submitted exercise notebooks against ``solutions/``
- ``course.cli``       the ``course`` command
"""

__version__ = "0.1.0"
