"""Where submissions run: bubblewrap's command line, its detection, and the explicit fallback
(no sandbox), which must still grade exactly, with a minimal environment, and say so plainly.
(The sandbox itself is exercised on real submissions in test_grading_bad_input.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.grading import sandbox
from course.grading.gradebook import Gradebook
from tests.conftest import ROOT
from tests.fixtures.grading.helpers import (
    FIXTURE_NAME, answer_output, copy_solutions, rows, set_source, submission, write,
)

NB = f"{FIXTURE_NAME}.ipynb"


def test_bwrap_command_isolates_and_binds_only_system_python_and_course(tmp_path):
    secret = ROOT / "course" / "secret-inside-a-bound-folder"
    args = sandbox.bwrap_args("/usr/bin/bwrap", str(tmp_path), [secret, ROOT / "solutions"])
    for flag in ("--unshare-all", "--die-with-parent", "--clearenv", "--new-session"):
        assert flag in args
    assert args[args.index("--cap-drop") + 1] == "ALL"
    bound = [args[i + 1] for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    assert str(ROOT) not in bound and str(ROOT / "solutions") not in bound
    assert str((ROOT / "course").resolve()) in bound
    assert [args[i + 1] for i, a in enumerate(args) if a == "--bind"] == [str(tmp_path)]
    env = {args[i + 1] for i, a in enumerate(args) if a == "--setenv"}
    assert env <= set(sandbox.ENV_NAMES)


def test_a_secret_inside_a_bound_folder_is_masked(tmp_path):
    secret = (ROOT / "course").resolve()  # exists and is bound: must be hidden under a tmpfs
    args = sandbox.bwrap_args("/usr/bin/bwrap", str(tmp_path), [secret])
    assert [args[i + 1] for i, a in enumerate(args) if a == "--tmpfs"][-1] == str(secret)


def test_missing_bubblewrap_is_said_plainly(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    chosen = sandbox.detect("auto", str(tmp_path))
    assert chosen.kind == "none"
    assert chosen.description.startswith("NO SANDBOX: bubblewrap (bwrap) is not installed")
    with pytest.raises(RuntimeError, match="--sandbox bubblewrap was asked for but bubblewrap"):
        sandbox.detect("bubblewrap", str(tmp_path))


def test_bubblewrap_is_used_when_it_works(tmp_path):
    if not shutil.which("bwrap"):
        pytest.skip("bubblewrap is not installed here")
    chosen = sandbox.detect("auto", str(tmp_path))
    if chosen.kind == "none":
        pytest.skip(f"bubblewrap does not work here: {chosen.description}")
    assert chosen.description.startswith("sandbox: bubblewrap")


def test_fallback_grades_exactly_with_a_minimal_environment_and_says_no_sandbox(tmp_path, monkeypatch):
    solutions = copy_solutions(tmp_path / "course" / "solutions")
    write(submission("correct"), tmp_path / "subs" / "alice" / NB)
    write(submission("untouched"), tmp_path / "subs" / "bob" / NB)
    probe = ("import os\nq1 = 10\nprint('ENV', sorted(os.environ))\n"
             f"try:\n    open('../../solutions/{NB}')\n    print('relative: READABLE')\n"
             "except OSError:\n    print('relative: UNREADABLE')\nprint('CWD', os.getcwd())")
    write(set_source(submission("correct"), "q1_answer", probe), tmp_path / "subs" / "carol" / NB)
    monkeypatch.setenv("COURSE_TEST_SECRET", "hunter2")
    lines = []
    from course.grading.runner import GradeOptions, grade

    summary = grade(GradeOptions(submissions=tmp_path / "subs", out=tmp_path / "g", solutions=solutions,
                                 jobs=1, cell_seconds=5, sandbox="none", progress=False), echo=lines.append)
    assert lines[0].startswith("NO SANDBOX: the sandbox was turned off (--sandbox none)")
    assert "CAN read and write any file" in lines[0]
    table = rows(tmp_path / "g")
    assert [table[(s, FIXTURE_NAME)]["total"] for s in ("alice", "bob", "carol")] == ["6", "0", "6"]
    text = answer_output(tmp_path / "g", "carol", "q1_answer")
    names = eval(text.split("ENV ", 1)[1].splitlines()[0])
    assert set(names) <= set(sandbox.ENV_NAMES) and "hunter2" not in text
    assert "relative: UNREADABLE" in text
    cwd = Path(text.split("CWD ", 1)[1].splitlines()[0])
    assert solutions.parent not in cwd.parents and (tmp_path / "g") not in cwd.parents
    book = Gradebook(tmp_path / "g")
    try:
        assert book.runs()[-1]["sandbox"].startswith("NO SANDBOX")
    finally:
        book.close()
    assert summary.graded == 3


def test_a_course_under_tmp_stays_importable_and_read_only_in_the_fresh_tmp(tmp_path):
    """A CI clone lives in /tmp: each submission's fresh /tmp must not hide the venv or the
    package (they are bound back, read-only), while everything else in /tmp is gone."""
    import os
    import tempfile

    from course.grading.zygote import private_scratch

    kept = tempfile.mkdtemp(dir="/tmp", prefix="course-kept-")
    stray = tempfile.mkdtemp(dir="/tmp", prefix="another-students-")
    try:
        Path(kept, "module.py").write_text("VALUE = 1\n")
        workdir = tmp_path / "scratch" / "work"
        workdir.parent.mkdir()
        pid = os.fork()
        if pid == 0:  # the child: the same calls a submission's process makes
            try:
                if not private_scratch(str(workdir), 8, False, kept=[kept]):
                    os._exit(3)              # no user namespaces here
                code = 0
                code |= 0 if Path(kept, "module.py").read_text() == "VALUE = 1\n" else 1
                code |= 0 if not os.path.exists(stray) else 2
                try:
                    Path(kept, "planted.py").write_text("x")
                    code |= 4                # the kept folder must not be writable
                except OSError:
                    pass
                Path("/tmp/mine.txt").write_text("scratch is writable")
            except BaseException:  # noqa: BLE001
                code = 20
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 3:
            pytest.skip("unprivileged user namespaces are not allowed here")
        assert code == 0, {1: "kept folder hidden", 2: "/tmp not fresh", 4: "kept folder writable",
                           20: "child raised"}.get(code, code)
        assert not Path(kept, "planted.py").exists() and not Path("/tmp/mine.txt").exists()
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        shutil.rmtree(stray, ignore_errors=True)
