# Security Guarantees and Their Limits: the two commands.
#   make lab    set up .venv on first use, then open the course in JupyterLab
#   make test   install the test dependencies on first use, then run every test
#   make site   build the course website into build/site/_build/html
# ARGS is passed to JupyterLab (make lab ARGS=--no-browser) or to pytest (make test ARGS="-k release").

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=
# JupyterLab refuses to run as root without --allow-root (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test release benchmark clean site handouts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the dependency list changes.
$(VENV)/.course-installed: pyproject.toml jupyter/overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	# JupyterLab defaults for the course: no news or update checks (the course runs offline).
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

$(VENV)/.course-test-installed: pyproject.toml $(VENV)/.course-installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Install only (e.g. a grader who runs `course grade` and never opens JupyterLab).
setup: $(VENV)/.course-installed

lab: $(VENV)/.course-installed
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
		$(ROOT_FLAG) $(ARGS)

test: $(VENV)/.course-test-installed
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax $(ARGS)

# The course website (Jupyter Book 1): every lecture notebook executed; fails on a warning or a cell error.
site: $(VENV)/.course-test-installed
	$(BIN)/python -m course.site build/site

# Printable handouts and rubric sheets per module (PDF through Chromium).
handouts: $(VENV)/.course-test-installed
	$(BIN)/course handouts build/handouts

release: $(VENV)/.course-installed
	$(BIN)/course release

benchmark: $(VENV)/.course-test-installed
	$(BIN)/python benchmarks/widget_redraw.py
	$(BIN)/python benchmarks/grade_benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
