"""Benchmark: ``course grade`` against ``nbgrader autograde`` on the same submissions.

    python benchmarks/grade_benchmark.py [N] [--notebook NAME] [--jobs J]

Generates N submissions of a real exercise notebook (default: the first of
solutions/*_exercises.ipynb with the most questions): a mix of correct, wrong, partial and
untouched answers, plus one infinite loop and one corrupt file. Grades them with
``course grade`` (all its isolation: a fresh process per submission, sandbox when available,
limits) and with ``nbgrader autograde`` (a fresh kernel per submission), both with the same
per-cell time limit, on this machine. Prints seconds and submissions per second for each, and
the throughput ratio last. nbgrader's one-off ``generate_assignment`` is not timed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.grading.samples import KINDS, make_submission  # noqa: E402
from course.grading.solutions import ANSWER, load_exercises  # noqa: E402

CELL_SECONDS = 5


def make_set(spec, n: int, target: Path) -> list[str]:
    """N submissions of ``spec`` under ``target/<student>/<name>.ipynb``; returns student ids."""
    students = []
    for i in range(n):
        student = f"s{i:04d}"
        path = target / student / f"{spec.name}.ipynb"
        path.parent.mkdir(parents=True)
        if i == 0:
            nb = make_submission(spec, "correct")
            first_answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                                and c.cell_type == "code")
            first_answer.source += "\nwhile True:\n    pass"
            nbformat.write(nb, str(path))
        elif i == 1:
            path.write_text(nbformat.writes(make_submission(spec, "correct"))[:2000])
        else:
            nbformat.write(make_submission(spec, KINDS[i % len(KINDS)]), str(path))
        students.append(student)
    return students


def time_course_grade(subs: Path, out: Path, solutions: Path, jobs: int) -> float:
    command = [sys.executable, "-c", "from course.cli import main; main()", "grade", str(subs), "--out", str(out), "--solutions",
               str(solutions), "--cell-timeout", str(CELL_SECONDS), "--no-progress", "--force"]
    if jobs:
        command += ["-j", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"course grade failed:\n{done.stderr}\n{done.stdout}")
    print(done.stdout.strip().splitlines()[0])
    return seconds


def time_nbgrader(spec, subs: Path, students: list[str], workdir: Path) -> float:
    course = workdir / "nbgrader-course"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(spec.path, course / "source" / "ps1" / spec.path.name)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'benchmark'\n"
        "c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE'}\n"
        f"c.Execute.timeout = {CELL_SECONDS}\n")
    # nbgrader runs `alembic` and the kernel by name: the venv's bin must be on PATH
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "nbgrader", *args, "--force"], cwd=course,
                                       capture_output=True, text=True, env=env)
    made = run("generate_assignment", "ps1")
    if made.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{made.stderr[-3000:]}")
    for student in students:
        target = course / "submitted" / student / "ps1"
        target.mkdir(parents=True)
        shutil.copy(subs / student / spec.path.name, target / spec.path.name)
    started = time.perf_counter()
    graded = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "ps1", "--create"], cwd=course,
                            capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    autograded = list((course / "autograded").glob("*/ps1/*.ipynb"))
    print(f"nbgrader autograde: exit code {graded.returncode}, {len(autograded)} of {len(students)} "
          "notebooks autograded (the corrupt one cannot be)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=40, help="number of submissions (default 40)")
    parser.add_argument("--notebook", help="exercise notebook name (default: the one with most answers)")
    parser.add_argument("--jobs", type=int, default=0, help="course grade -j (default: one per CPU)")
    args = parser.parse_args()
    if args.n < 4:
        parser.error("N must be at least 4")
    specs = load_exercises(ROOT / "solutions", ROOT / "exercises")
    if not specs:
        raise SystemExit("no solutions/*_exercises.ipynb to benchmark with")
    spec = next((s for s in specs if s.name == args.notebook), None) if args.notebook else \
        max(specs, key=lambda s: sum(c.role == ANSWER for c in s.cells))
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as tmp:
        workdir = Path(tmp)
        solutions = workdir / "solutions"
        solutions.mkdir()
        shutil.copy(spec.path, solutions / spec.path.name)
        subs = workdir / "submissions"
        students = make_set(spec, args.n, subs)
        print(f"{args.n} submissions of {spec.name} (mixed {', '.join(KINDS)}; one infinite loop, one corrupt); "
              f"per-cell time limit {CELL_SECONDS} s")
        ours = time_course_grade(subs, workdir / "grades", solutions, args.jobs)
        theirs = time_nbgrader(spec, subs, students, workdir)
    print(f"course grade:       {ours:8.2f} s  {args.n / ours:8.2f} submissions/s")
    print(f"nbgrader autograde: {theirs:8.2f} s  {args.n / theirs:8.2f} submissions/s")
    print(f"throughput ratio (course grade / nbgrader autograde): {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
