"""`course release`: exercises without answers, hidden tests or outputs; --check finds stale files."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_output

from course.release import nbgrader_format as fmt
from course.release.authoring import (answer_cell, check_cell, code_cell, essay_cell, markdown_cell,
                                      notebook, setup_cell)
from course.release.exercise import make_exercise
from course.release.release import release
from tests.conftest import ROOT


def _solution():
    answer = answer_cell("q1", "q1 = None  # a whole number", "q1 = 40 + 2")
    answer.outputs = [new_output("stream", name="stdout", text="secret output")]
    answer.execution_count = 3
    answer.metadata["course"] = {"note": "instructor only"}
    return notebook([
        markdown_cell("# Demo", grade_id="intro"),
        setup_cell("demo_exercises"),
        answer,
        check_cell("q1", 2, 'check("q1", q1)', "assert int(q1) == 42"),
        essay_cell("q2", 4, "**Model answer.** The secret model answer.", "- (4 pts) Anything."),
        code_cell("print('plain')"),
    ])


def test_make_exercise_removes_solutions_hidden_tests_and_outputs():
    exercise = make_exercise(_solution(), "demo")
    text = nbformat.writes(exercise)
    for secret in ("40 + 2", "int(q1) == 42", "secret model answer", "Rubric", "secret output",
                   "instructor only", fmt.BEGIN_SOLUTION, fmt.BEGIN_HIDDEN):
        assert secret not in text, secret
    answer, test, essay = exercise.cells[2], exercise.cells[3], exercise.cells[4]
    assert answer.source == "q1 = None  # a whole number\n# YOUR CODE HERE"
    assert answer.outputs == [] and answer.execution_count is None
    assert test.source == 'check("q1", q1)'
    assert essay.source == "YOUR ANSWER HERE"
    assert fmt.points(test) == 2 and fmt.grade_id(essay) == "q2_essay"


def test_make_exercise_drops_worked_explanations():
    solution = _solution()
    explanation = markdown_cell("**Worked explanation (q1).** 40 + 2 gives the secret 42.")
    explanation.metadata = {"course": {"explanation": "q1"}}
    solution.cells.insert(4, explanation)
    exercise = make_exercise(solution, "demo")
    assert len(exercise.cells) == len(solution.cells) - 1
    assert "Worked explanation" not in nbformat.writes(exercise)


def test_make_exercise_keeps_indentation_of_nested_regions():
    cell = answer_cell("q1", "def f():", "    return 1")
    cell.source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    exercise = make_exercise(notebook([cell]), "demo")
    assert exercise.cells[0].source == "def f():\n    # YOUR CODE HERE\n    pass"
    compile(exercise.cells[0].source, "<exercise>", "exec")  # a comment alone would not compile


def test_make_exercise_does_not_change_its_input():
    solution = _solution()
    before = nbformat.writes(solution)
    make_exercise(solution, "demo")
    assert nbformat.writes(solution) == before


@pytest.mark.parametrize("mutate, message", [
    (lambda nb: setattr(nb.cells[2], "source", "### BEGIN SOLUTION\nq1 = 1"), "never closed"),
    (lambda nb: setattr(nb.cells[3], "source", "### END HIDDEN TESTS"), "without 'BEGIN HIDDEN TESTS'"),
    (lambda nb: nb.cells[3].metadata.nbgrader.pop("points"), "needs points"),
    (lambda nb: nb.cells[4].metadata.nbgrader.update(grade_id="q1"), "grade_id 'q1' already used"),
    (lambda nb: nb.cells[2].metadata.nbgrader.pop("grade_id"), "need a grade_id"),
])
def test_format_errors_name_the_cell(mutate, message):
    solution = _solution()
    mutate(solution)
    with pytest.raises(fmt.FormatError, match=message) as info:
        make_exercise(solution, "demo.ipynb")
    assert "demo.ipynb, cell " in str(info.value)


def test_split_essay_solution():
    model, rubric = fmt.split_essay_solution(_solution().cells[4].source)
    assert model == "**Model answer.** The secret model answer."
    assert rubric == "- (4 pts) Anything."


def test_release_writes_then_check_finds_stale_and_orphans(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(_solution(), solutions / "demo_exercises.ipynb")
    first = release(solutions, exercises, tmp_path / "keys", with_keys=False)
    assert [p.name for p in first.written] == ["demo_exercises.ipynb"]
    assert release(solutions, exercises, tmp_path / "keys", check=True, with_keys=False).stale == []

    changed = _solution()
    changed.cells[0].source = "# Demo, revised"
    nbformat.write(changed, solutions / "demo_exercises.ipynb")
    (exercises / "old_exercises.ipynb").write_text("{}")
    report = release(solutions, exercises, tmp_path / "keys", check=True, with_keys=False)
    assert [p.name for p in report.stale] == ["demo_exercises.ipynb"]
    assert [p.name for p in report.orphans] == ["old_exercises.ipynb"]


def test_release_with_no_solutions_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no solution notebooks"):
        release(tmp_path, tmp_path / "exercises", with_keys=False)


def test_course_exercises_and_keys_are_up_to_date():
    """The contract: `course release --check` passes on the repository as committed."""
    result = subprocess.run([sys.executable, "-m", "course.cli", "release", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_check_exits_1_and_names_the_stale_file(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    exercises.mkdir()
    nb = _solution()
    nb.cells = [c for c in nb.cells if fmt.grade_id(c) != "setup" and fmt.grade_id(c) not in ("q1",)]
    nbformat.write(nb, solutions / "demo_exercises.ipynb")
    (exercises / "demo_exercises.ipynb").write_text("{}")
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "release", "--check",
         "--solutions", str(solutions), "--exercises", str(exercises)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "stale: " in result.stderr and "demo_exercises.ipynb" in result.stderr


def test_publish_writes_a_student_edition_without_answers(tmp_path):
    from course.release.publish import publish, student_files

    files = publish(ROOT, tmp_path / "edition")
    tops = {f.parts[0] for f in files}
    assert {"notebooks", "exercises", "course", "Makefile", "pyproject.toml", "README.md"} <= tops
    assert not tops & {"solutions", "tests", "docs", "benchmarks", ".ci"}
    assert (tmp_path / "edition" / "course" / "selfcheck" / "keys").is_dir()
    for path in (tmp_path / "edition").rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert fmt.BEGIN_SOLUTION not in text and fmt.BEGIN_HIDDEN not in text, path
    assert len(student_files(ROOT)) + 1 == len(files)  # + course/EDITION
    assert (tmp_path / "edition" / "course" / "EDITION").read_text() == "student\n"
    assert not (tmp_path / "edition" / "course" / "selfcheck" / "explanations").exists()


def test_publish_self_study_adds_obfuscated_explanations_and_explain_cells(tmp_path):
    from course.release.publish import publish, worked_explanations
    from course.selfcheck.explanations import load_explanations, reveal

    publish(ROOT, tmp_path / "edition", self_study=True)
    edition = tmp_path / "edition"
    assert (edition / "course" / "EDITION").read_text() == "self-study\n"
    folder = edition / "course" / "selfcheck" / "explanations"
    solution = nbformat.read(ROOT / "solutions" / "00_start_here_exercises.ipynb", as_version=4)
    texts = worked_explanations(solution)
    assert set(texts) == {"q1", "q2", "q3", "q4", "q5"}
    stored = load_explanations("00_start_here_exercises", folder)
    assert set(stored) == set(texts)
    raw = (folder / "00_start_here_exercises.json").read_text()
    assert "Worked explanation" not in raw and "2022-01" not in raw
    assert reveal(stored["q3"], "00_start_here_exercises", "q3") == texts["q3"]
    exercise = nbformat.read(edition / "exercises" / "00_start_here_exercises.ipynb", as_version=4)
    sources = [cell.source for cell in exercise.cells]
    for question in texts:
        grade = next(i for i, c in enumerate(exercise.cells) if fmt.grade_id(c) == question and fmt.is_grade(c))
        assert sources[grade + 1].endswith(f'check.explain("{question}")')
    for path in edition.rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert fmt.BEGIN_SOLUTION not in text and "Worked explanation (q" not in text, path


def test_update_saves_changed_notebooks_then_restores_and_pulls(tmp_path):
    from course.update import is_checkout, plan, update

    def git(cwd, *args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                       capture_output=True)

    upstream = tmp_path / "upstream"
    (upstream / "notebooks").mkdir(parents=True)
    (upstream / "exercises").mkdir()
    (upstream / "notebooks" / "01_x.ipynb").write_text("v1")
    (upstream / "exercises" / "01_x_exercises.ipynb").write_text("v1")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "v1")
    student = tmp_path / "student"
    git(tmp_path, "clone", "-q", str(upstream), str(student))
    assert is_checkout(student) and not is_checkout(tmp_path)
    (student / "exercises" / "01_x_exercises.ipynb").write_text("my answers")
    (student / "notebooks" / "Copy of 01_x.ipynb").write_text("my copy")
    (upstream / "exercises" / "01_x_exercises.ipynb").write_text("v2")
    git(upstream, "commit", "-qam", "v2")
    todo = plan(student)
    assert [str(p) for p in todo.changed] == ["exercises/01_x_exercises.ipynb"]
    assert [str(p) for p in todo.new] == ["notebooks/Copy of 01_x.ipynb"]
    done = update(student, stamp="then")
    assert (student / "exercises" / "01_x_exercises.ipynb").read_text() == "v2"
    assert (student / "my-work" / "then" / "exercises" / "01_x_exercises.ipynb").read_text() == "my answers"
    assert (student / "my-work" / "then" / "notebooks" / "Copy of 01_x.ipynb").read_text() == "my copy"
    assert done.backup == student / "my-work" / "then"


def test_publish_refuses_an_existing_folder_and_a_notebook_with_answers(tmp_path):
    from course.release.publish import PublishError, assert_no_answers, publish

    (tmp_path / "edition").mkdir()
    with pytest.raises(PublishError, match="exists already"):
        publish(ROOT, tmp_path / "edition")
    nbformat.write(_solution(), tmp_path / "leaky.ipynb")
    with pytest.raises(PublishError, match="leaky.ipynb, cell 3 holds a solution"):
        assert_no_answers(tmp_path / "leaky.ipynb")


def test_slide_metadata_follows_headings_and_keeps_what_authors_set():
    from course.release.slides import add_slide_metadata

    cells = [markdown_cell("# Title"), markdown_cell("## Section"), markdown_cell("### Part"),
             markdown_cell("Plain text"), code_cell("x = 1"), markdown_cell("## Kept"),
             markdown_cell("**Speaker notes.** Ask the class first.")]
    cells[5].metadata["slideshow"] = {"slide_type": "skip"}
    nb = notebook(cells)
    nb.metadata["rise"] = {"scroll": True}
    assert add_slide_metadata(nb) is True
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == [
        "slide", "slide", "subslide", "-", "-", "skip", "notes"]
    assert "rise" not in nb.metadata
    assert add_slide_metadata(nb) is False  # idempotent


def test_a_long_section_is_split_into_subslides_that_fit_720_px():
    from course.release.slides import SLIDE_BUDGET_PX, add_slide_metadata, estimated_height

    cells = [markdown_cell("## Long section")] + [
        code_cell(f"explorer_{i} = Explorer()\nexplorer_{i}") for i in range(4)]
    nb = notebook(cells)
    add_slide_metadata(nb)
    types = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    assert types == ["slide", "-", "subslide", "subslide", "subslide"]
    # every slide (a break and the cells up to the next break) stays within the budget
    slides, current = [], []
    for cell, kind in zip(nb.cells, types):
        if kind in ("slide", "subslide") and current:
            slides.append(current)
            current = []
        current.append(estimated_height(cell))
    slides.append(current)
    assert all(sum(s) <= SLIDE_BUDGET_PX for s in slides), slides
