"""Cell builders for writing solution notebooks in code, in the format of docs/authoring.md.

>>> cells = [markdown_cell("# Title"), setup_cell("01_roots_exercises"),
...          answer_cell("q1", "q1 = None  # a whole number", "q1 = 7"),
...          check_cell("q1", 2, 'check("q1", q1)', "assert int(q1) == 7")]
>>> nb = notebook(cells)
>>> [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
[None, 'setup', 'q1_answer', 'q1']
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.release import nbgrader_format as fmt


def _meta(grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown_cell(text: str, grade_id: str | None = None) -> nbformat.NotebookNode:
    """Prose; locked (students cannot edit it under nbgrader) when a ``grade_id`` is given."""
    cell = new_markdown_cell(text.strip())
    if grade_id:
        cell.metadata.update(_meta(grade_id, locked=True))
    return cell


def code_cell(code: str, grade_id: str | None = None) -> nbformat.NotebookNode:
    """Ordinary code; locked when a ``grade_id`` is given."""
    cell = new_code_cell(code.strip())
    if grade_id:
        cell.metadata.update(_meta(grade_id, locked=True))
    return cell


def setup_cell(notebook_name: str, extra: str = "") -> nbformat.NotebookNode:
    """The locked first code cell: the self-check and any imports the questions need."""
    code = f'from course.selfcheck import Checker\ncheck = Checker("{notebook_name}")\n{extra.strip()}'
    return code_cell(code, grade_id="setup")


def answer_cell(question: str, placeholder: str, solution: str) -> nbformat.NotebookNode:
    """A student answer cell: ``placeholder`` stays, ``solution`` becomes ``# YOUR CODE HERE``."""
    code = f"{placeholder.strip()}\n{fmt.MARK}{fmt.BEGIN_SOLUTION}\n{solution.strip()}\n{fmt.MARK}{fmt.END_SOLUTION}"
    cell = new_code_cell(code)
    cell.metadata.update(_meta(f"{question}_answer", solution=True))
    return cell


def check_cell(question: str, points: float, public: str, hidden: str) -> nbformat.NotebookNode:
    """An auto-graded test cell: the public self-check, then hidden tests."""
    code = f"{public.strip()}\n{fmt.MARK}{fmt.BEGIN_HIDDEN}\n{hidden.strip()}\n{fmt.MARK}{fmt.END_HIDDEN}"
    cell = new_code_cell(code)
    cell.metadata.update(_meta(question, grade=True, locked=True, points=points))
    return cell


def essay_cell(question: str, points: float, model_answer: str, rubric: str) -> nbformat.NotebookNode:
    """A hand-graded answer cell: the model answer and rubric become ``YOUR ANSWER HERE``."""
    text = (f"{fmt.MARK}{fmt.BEGIN_SOLUTION}\n{model_answer.strip()}\n\n#### Rubric\n{rubric.strip()}\n"
            f"{fmt.MARK}{fmt.END_SOLUTION}")
    cell = new_markdown_cell(text)
    cell.metadata.update(_meta(f"{question}_essay", solution=True, grade=True, points=points))
    return cell


def notebook(cells: list) -> nbformat.NotebookNode:
    """A notebook with the course's kernel metadata."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
