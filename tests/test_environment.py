"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

from __future__ import annotations

import re

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests.conftest import ROOT

CONDA_ONLY = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    requirement = requirement.split(";")[0].strip()
    match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return dict(_split(r) for r in requirements if "python_version" not in r)


def _environment() -> tuple[dict[str, str], list]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip.extend(item.get("pip", []))
        else:
            name, spec = _split(item)
            if name not in CONDA_ONLY:
                conda[name] = spec
    for item in pip:  # packages conda-forge lacks come from PyPI inside the conda env
        if not item.startswith("-"):
            name, spec = _split(item.split("#")[0])
            conda[name] = spec
    return conda, pip


def test_environment_lists_the_same_packages_as_pyproject():
    conda, _ = _environment()
    pip = _pyproject()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"


def test_environment_uses_the_same_minimum_versions():
    conda, _ = _environment()
    pip = _pyproject()
    differing = {name: (pip[name], conda[name]) for name in pip if conda.get(name) != pip[name]}
    assert differing == {}, "version bounds differ (pyproject, environment.yml)"


def test_environment_installs_the_course_package():
    _, pip = _environment()
    assert "-e ." in pip


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python" + project["requires-python"]]
