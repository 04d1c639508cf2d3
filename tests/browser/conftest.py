"""Fixtures for the browser tests: headless Chromium, and JupyterLab and Voila on 127.0.0.1.

Each server gets a random free port, a random token and throw-away Jupyter config, data,
runtime, settings and workspace folders, so nothing leaks in from (or out to) the user's own
Jupyter. The kernel imports ``edu_survival`` from this checkout (the repository is appended to
``PYTHONPATH``). Every server is stopped when its fixture ends, pass or fail: its process group
and every kernel it started (kernels run in sessions of their own).

Without Playwright or Chromium the tests skip and say how to enable them; with ``CI=true`` they
fail instead, so CI cannot go green by skipping them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))  # pytest's importlib mode does not
import measure  # the timeouts every wait shares

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    "To run them: `sudo apt-get install chromium` (Debian/Ubuntu; or set ES_CHROMIUM to a "
    "Chromium binary) and `pip install playwright axe-playwright-python` plus the lab and "
    'dashboard extras (`pip install -e ".[test,lab,dashboard]"`). `playwright install` is '
    "not needed: the tests drive the system Chromium."
)
SERVER_START_TIMEOUT = 60


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str):
    """Skip on a learner's machine; fail in CI, where a skipped browser test would hide a gap."""
    message = f"browser tests cannot run: {reason}. {HOW_TO_ENABLE}"
    if in_ci():
        pytest.fail(message + " (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(message)


def missing_requirements() -> list[str]:
    missing = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"no Chromium at {CHROMIUM}")
    for module, package in (
        ("playwright", "playwright"),
        ("axe_playwright_python", "axe-playwright-python"),
        ("jupyterlab", "jupyterlab"),
        ("ipympl", "ipympl"),
        ("voila", "voila"),
    ):
        if importlib.util.find_spec(module) is None:
            missing.append(f"Python package {package} is not installed")
    return missing


@pytest.fixture(scope="session")
def browser():
    missing = missing_requirements()
    if missing:
        unavailable("; ".join(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:  # a broken Chromium install: same treatment as a missing one
            unavailable(f"Chromium at {CHROMIUM} did not start ({exc})")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(scratch: pathlib.Path) -> dict[str, str]:
    """The environment for a server and its kernels: isolated Jupyter state, this checkout."""
    env = dict(os.environ)
    for key in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_TOKEN", "JUPYTER_PREFER_ENV_PATH"):
        env.pop(key, None)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env.update(
        PYTHONPATH=os.pathsep.join([*paths, str(ROOT)]),
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        IPYTHONDIR=str(scratch / "ipython"),
        MPLCONFIGDIR=str(scratch / "matplotlib"),
        # The kernelspec's "python" must be this interpreter.
        PATH=os.pathsep.join([str(pathlib.Path(sys.executable).parent), env.get("PATH", "")]),
    )
    return env


class Server:
    def __init__(self, name: str, cmd: list[str], port: int, token: str, scratch: pathlib.Path):
        self.name, self.port, self.token = name, port, token
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = scratch / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=server_env(scratch),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )

    def log_tail(self, n: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        return ""

    def wait_ready(self, probe: str | None) -> None:
        """Until ``probe`` (a path) answers 200, or with None until the port accepts."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.proc.returncode}):\n{self.log_tail()}"
                )
            try:
                if probe is None:
                    socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                    return
                with urllib.request.urlopen(f"{self.base}{probe}", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready in {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the group (the server shuts its kernels down), then SIGKILL what is left."""
        import psutil

        try:
            family = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        _, alive = psutil.wait_procs(family, timeout=5)
        for proc in alive:  # kernels in their own sessions that outlived the server
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self._log.close()


@contextlib.contextmanager
def running(server: Server, probe: str | None):
    try:
        server.wait_ready(probe)
        yield server
    finally:
        server.stop()


def lab_app_dir(scratch: pathlib.Path) -> pathlib.Path:
    """A JupyterLab application-settings folder holding binder/overrides.json.

    The same admin overrides that binder/postBuild installs on Binder (no news toast), so the
    test sees what a Binder user sees. ``static`` links to the installed application, which
    JupyterLab reads next to the settings folder.
    """
    installed = pathlib.Path(sysconfig.get_paths()["data"]) / "share" / "jupyter" / "lab"
    app = scratch / "lab"
    (app / "settings").mkdir(parents=True)
    shutil.copy(ROOT / "binder" / "overrides.json", app / "settings" / "overrides.json")
    page_config = installed / "settings" / "page_config.json"
    if page_config.exists():
        shutil.copy(page_config, app / "settings" / "page_config.json")
    if (installed / "static").exists():
        (app / "static").symlink_to(installed / "static")
    return app / "settings"


def lab_user_settings(scratch: pathlib.Path) -> pathlib.Path:
    """Fresh user settings with autosave off, so running a lesson never writes its outputs."""
    settings = scratch / "user-settings"
    docmanager = settings / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    return settings


@pytest.fixture(scope="session")
def jupyterlab(browser, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("jupyterlab")
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--allow-root",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.app_settings_dir={lab_app_dir(scratch)}",
        f"--LabApp.user_settings_dir={lab_user_settings(scratch)}",
        # An absolute checkpoint folder: no .ipynb_checkpoints/ appears beside the lessons.
        f"--FileCheckpoints.checkpoint_dir={scratch / 'checkpoints'}",
        f"--LabApp.workspaces_dir={scratch / 'workspaces'}",
    ]  # fmt: skip
    with running(
        Server("jupyterlab", cmd, port, token, scratch), f"/api/status?token={token}"
    ) as s:
        yield s


# Voila on its own loads no server extensions, so it is told to use edu_survival_server's
# kernel websockets (each message sent at once), as `make dashboard` does.
def voila_nodelay() -> str:
    """The option that gives Voila on its own edu_survival_server's websockets."""
    import edu_survival_server  # imports jupyter_server, there whenever Voila is

    return edu_survival_server.VOILA_OPTION


@pytest.fixture(scope="session")
def voila(browser, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("voila")
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "voila",
        "dashboards/trial_explorer.ipynb",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--token={token}",
        "--show_tracebacks=True",  # a traceback must be visible to the test, then it fails
        voila_nodelay(),
    ]  # fmt: skip
    # Voila renders (and starts a kernel) on each page request, so readiness is a TCP probe.
    with running(Server("voila", cmd, port, token, scratch), None) as s:
        yield s


# --------------------------------------------------------------------------- pages


class WatchedPage:
    """A page plus everything it said on the console that a learner must never cause."""

    def __init__(self, context, server: Server, name: str):
        self.context, self.server, self.name = context, server, name
        self.page = context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        # These machines are offline: failed loads of external resources (e.g. Voila's icon
        # font from a CDN) are expected. A failed load from our own server is not.
        if msg.text.startswith("Failed to load resource") and not url.startswith(self.server.base):
            return
        self.console_errors.append(f"{msg.text} ({url})" if url else msg.text)

    def screenshot(self, artifacts: pathlib.Path, label: str) -> pathlib.Path:
        path = artifacts / f"{self.name}-{label}.png"
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="session")
def open_page(browser, artifacts):
    """``open_page(server, name[, (width, height)])``: a fresh browser context (1280 x 1000 by
    default); closed (and shot) at session end."""
    opened: list[WatchedPage] = []

    def _open(server: Server, name: str, viewport=(1280, 1000)) -> WatchedPage:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        context.set_default_timeout(measure.EVENT_TIMEOUT)
        watched = WatchedPage(context, server, name)
        opened.append(watched)
        return watched

    yield _open
    for watched in opened:
        watched.screenshot(artifacts, "final")
        watched.context.close()


@pytest.fixture(scope="session")
def explorer_available(tmp_path_factory) -> bool:
    """Whether the kernel the servers start can call ``es.explore()`` (issue 4's widget)."""
    scratch = tmp_path_factory.mktemp("probe")
    probe = "import edu_survival as es; print(callable(getattr(es, 'explore', None)))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=server_env(scratch), cwd=scratch, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout.strip() == "True"


# --------------------------------------------------------------------------- JupyterLab, as a person uses it

RUN_ALL_DONE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    if (!panel) return false;
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    const busy = panel.querySelector('.jp-Notebook-ExecutionIndicator[data-status="busy"]');
    return prompts.length > 0 && !busy && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""

WIDGETS_RENDERED = """() => {
    const views = [...document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]')];
    return views.every(v => v.querySelector('.jupyter-widgets, .jupyter-matplotlib'));
}"""

STARTED = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""


def accept_kernel_dialog(page) -> None:
    """Whenever JupyterLab asks which kernel to start (it does when the kernel is slow to
    start, e.g. on a busy CI machine), press "Select" before the next action, as a person
    would."""
    page.add_locator_handler(
        page.locator(".jp-Dialog", has_text="Select Kernel"),
        lambda dialog: dialog.locator(".jp-Dialog-button.jp-mod-accept").click(),
    )


def run_all_cells(page, timeout_ms: int, shoot=lambda label: None) -> None:
    """Run > Run All Cells from the menu bar, as a person would; then wait for the last cell.
    ``shoot(label)`` takes a screenshot when it does not start or does not finish."""
    import re

    for attempt in (1, 2):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function(STARTED, timeout=measure.EVENT_TIMEOUT, polling=100)
            break
        except Exception:
            shoot(f"run-all-not-started-{attempt}")
            page.keyboard.press("Escape")
    else:
        raise AssertionError("Run All Cells did not start any cell (screenshots in test-artifacts)")
    try:
        page.wait_for_function(RUN_ALL_DONE, timeout=timeout_ms, polling=100)
    except Exception as exc:
        shoot("run-all-timeout")
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        raise AssertionError(f"the notebook did not finish running; prompts {prompts}") from exc


def wait_kernel_connected(page, server: Server, path: str, timeout_ms: int) -> dict:
    """Until the server's session for the notebook ``path`` has a kernel that is idle with a
    websocket connected (asked of the server's REST API every 0.2 s); returns the kernel.
    JupyterLab's kernel dialog, if it comes up meanwhile, is answered as a person would."""
    import json

    deadline = time.monotonic() + timeout_ms / 1000
    kernel = {}
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    while time.monotonic() < deadline:
        if dialog.is_visible():  # not an action: the locator handler would not see it
            with contextlib.suppress(Exception):
                dialog.locator(".jp-Dialog-button.jp-mod-accept").click(timeout=5_000)
        with contextlib.suppress(OSError, ValueError):
            with urllib.request.urlopen(f"{server.base}/api/sessions?token={server.token}",
                                        timeout=10) as r:
                sessions = json.load(r)
            kernel = next((s["kernel"] for s in sessions if s.get("path") == path
                           and s.get("kernel")), {})
            if kernel.get("connections", 0) >= 1 and kernel.get("execution_state") == "idle":
                return kernel
        time.sleep(0.2)
    raise AssertionError(f"no idle kernel connected for {path} after {timeout_ms / 1000:.0f} s: "
                         f"{kernel or 'no session'}")


def open_and_run(page, server: Server, path: str, timeout_ms: int, shoot=lambda label: None):
    """Open ``path`` in JupyterLab (a fresh workspace), run all its cells and wait until every
    widget is rendered."""
    accept_kernel_dialog(page)
    page.goto(f"{server.base}/lab/tree/{path}?reset&token={server.token}")
    page.wait_for_selector(
        '.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]',
        timeout=timeout_ms,
    )
    # "idle" can show before the kernel's connection takes requests: wait until the server
    # says the page's websocket is connected to an idle kernel (run_all_cells() still retries
    # once if nothing started).
    wait_kernel_connected(page, server, path, timeout_ms)
    run_all_cells(page, timeout_ms, shoot)
    page.wait_for_function(WIDGETS_RENDERED, timeout=timeout_ms, polling=100)
