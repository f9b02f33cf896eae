"""End to end in a real browser: JupyterLab opens the front-door notebook, runs it, and the
enlargement explorer renders and responds to its slider.

Needs Chromium (Debian package `chromium`, installed by .ci/run) and Python Playwright (a test
dependency). Without Chromium the test is skipped with the reason; CI always has it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
READY = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return Boolean(panel && panel.content && kernel && kernel.connectionStatus === 'connected'
                 && kernel.status === 'idle');
}"""
NOTEBOOK = os.environ.get("COURSE_BROWSER_NOTEBOOK", "notebooks/00_start_here.ipynb")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = [
    # On a laptop without Chromium the test is skipped; in CI (.ci/run installs it) it must run.
    pytest.mark.skipif(CHROMIUM is None and not IN_CI, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.timeout(300),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def lab(tmp_path):
    # Serve a copy: JupyterLab autosaves what it runs, and the course's notebooks must stay
    # without outputs.
    served = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", served / "notebooks")
    port, token = _free_port(), "course-browser-test"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
               "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True", "--allow-root"]
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    else:
        server.kill()
    if server.poll() is not None:
        pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_lab_runs_the_start_notebook_and_the_explorer_responds(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "CI must have Chromium: .ci/run installs the Debian package"
    base, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        # Run all cells once the notebook is the current widget and its kernel is connected and idle
        # (on a loaded machine the page can be ready well before the kernel).
        page.wait_for_function(READY, timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # JupyterLab renders only the cells near the viewport: wait for the widget to exist, then
        # bring it into view.
        slider = page.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle").first
        try:
            slider.wait_for(state="attached", timeout=120_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "failed.png"))
            raise AssertionError(f"the explorer never appeared; see {tmp_path / 'failed.png'} and lab.log:\n"
                                 + (tmp_path / "lab.log").read_text()[-2000:]) from None
        slider.scroll_into_view_if_needed()
        slider.wait_for(timeout=30_000)
        summary = page.locator("text=/member states at the end of \\d{4}/").first
        summary.wait_for(timeout=30_000)
        before = summary.inner_text()
        slider.focus()
        slider.press("ArrowLeft")
        page.wait_for_function(
            "before => [...document.querySelectorAll('p')].some(p => /member states at the end of/.test(p.textContent)"
            " && p.textContent !== before)", arg=before, timeout=30_000)
        page.screenshot(path=str(tmp_path / "lab.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
        browser.close()
    assert tracebacks == [], tracebacks
    assert (tmp_path / "lab.png").stat().st_size > 10_000
