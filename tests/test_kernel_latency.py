"""What keeps a slider's answer quick outside the drawing itself (issue 24).

* ``edu_survival_server``: the Jupyter server sends each of the kernel's messages at once
  (TCP_NODELAY on the kernel's websockets), as a server extension enabled on install and, for
  Voila on its own, as the connection class ``make dashboard`` names;
* ``sliders.OldGarbage``: while values arrive from the browser, Python's full garbage
  collection (90 to 125 ms in a kernel here) waits until they rest.
"""

from __future__ import annotations

import asyncio
import gc
import pathlib
import re
import subprocess
import sys
import threading
import zipfile

import pytest

from edu_survival.widgets import sliders
from edu_survival.widgets.sliders import FloatSlider

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONNECTION = "edu_survival_server.NoDelayKernelConnection"

pytest.importorskip("jupyter_server")  # in the lab and dashboard extras, and so in CI

import edu_survival_server as server  # noqa: E402


class Handler:
    """A websocket handler that records what it is told."""

    def __init__(self, closed=False):
        self.nodelay, self.closed = [], closed

    def set_nodelay(self, value):
        if self.closed:
            raise AssertionError("ws_connection is None")  # tornado's, once the socket is gone
        self.nodelay.append(value)


class Connection:
    """A kernel websocket connection: ``connect()`` says what the handler was told by then."""

    def __init__(self, handler):
        self.websocket_handler = handler

    def connect(self):
        return ("connected", list(self.websocket_handler.nodelay))


def test_a_connection_turns_nagles_algorithm_off_before_it_connects():
    handler = Handler()
    assert server.without_nagle(Connection)(handler).connect() == ("connected", [True])
    assert handler.nodelay == [True]


def test_a_closed_websocket_still_connects_as_before():
    assert server.without_nagle(Connection)(Handler(closed=True)).connect() == ("connected", [])


@pytest.mark.parametrize("base", [None, "ZMQChannelsWebsocketConnection", object])
def test_anything_but_a_connection_class_is_refused_by_name(base):
    with pytest.raises(ValueError, match="base must be a kernel websocket connection class"):
        server.without_nagle(base)


def test_wrapping_twice_changes_nothing_more():
    once = server.without_nagle(Connection)
    assert server.without_nagle(once) is once and issubclass(once, Connection)
    assert once.__name__ == "NoDelayConnection"


class Log:
    def __init__(self):
        self.lines = []

    def info(self, text, *args):
        self.lines.append(text % args if args else text)


class ServerApp:
    def __init__(self, settings):
        self.web_app = type("WebApp", (), {"settings": settings})()
        self.log = Log()


def test_the_extension_wraps_whatever_connection_class_the_server_has():
    app = ServerApp({"kernel_websocket_connection_class": Connection})
    server._load_jupyter_server_extension(app)
    wrapped = app.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(wrapped, Connection) and wrapped.sends_at_once
    assert any("TCP_NODELAY" in line for line in app.log.lines)
    server._load_jupyter_server_extension(app)  # loaded twice: still one wrapper
    assert app.web_app.settings["kernel_websocket_connection_class"] is wrapped


def test_the_extension_wraps_the_kernels_own_connection_when_none_is_set():
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )

    app = ServerApp({})
    server._load_jupyter_server_extension(app)
    wrapped = app.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(wrapped, ZMQChannelsWebsocketConnection) and wrapped.sends_at_once
    assert server._jupyter_server_extension_points() == [{"module": "edu_survival_server"}]


def test_the_installed_package_enables_the_extension():
    listed = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"],
                            capture_output=True, text=True, check=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)  # no colours
    assert re.search(r"edu_survival_server\s+enabled", text), text
    assert re.search(r"edu_survival_server\s+OK", text), text  # and it loads


def test_voila_on_its_own_accepts_the_connection_class_make_dashboard_names():
    voila_app = pytest.importorskip("voila.app")

    assert f"--Voila.kernel_websocket_connection_class={CONNECTION}" == server.VOILA_OPTION
    assert server.VOILA_OPTION in (ROOT / "Makefile").read_text()  # make dashboard passes it
    app = voila_app.Voila()
    app.kernel_websocket_connection_class = CONNECTION  # the option's trait checks the class
    assert app.kernel_websocket_connection_class is server.NoDelayKernelConnection


def test_the_wheel_holds_the_server_module_and_the_file_that_enables_it(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "edu_survival_server.py" in names
    assert any(n.endswith("data/etc/jupyter/jupyter_server_config.d/edu_survival.json")
               for n in names), sorted(names)


def test_the_server_module_imports_nothing_of_the_library():
    """The server imports it: it must not pull in lifelines, pandas and matplotlib."""
    code = ("import sys, edu_survival_server; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('edu_survival', 'lifelines', 'pandas', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# ----- the garbage collector waits while values arrive -----------------------------------------

def request(slider, value, seq):
    slider._on_request(slider, {"kind": "value", "value": value, "seq": seq, "final": True}, [])


def test_full_collections_wait_while_values_arrive_and_run_once_they_rest(monkeypatch):
    before = gc.get_threshold()
    monkeypatch.setattr(sliders, "GC_AFTER", 0.05)
    slider = FloatSlider(value=17.3, min=1, max=60, step=0.1, description="Median, control")
    collected, seen = [], {}

    def on_gc(phase, info):
        if phase == "stop":
            collected.append(info["generation"])

    async def drive():
        monkeypatch.setattr(sliders, "kernel_loop", asyncio.get_running_loop)
        request(slider, 12.0, 1)
        seen["held"] = gc.get_threshold()
        await asyncio.sleep(0.03)
        request(slider, 13.0, 2)  # a newer value: the wait starts again
        await asyncio.sleep(0.03)
        seen["still held"] = sliders.OLD_GARBAGE.held
        gc.callbacks.append(on_gc)
        try:
            while sliders.OLD_GARBAGE.held:
                await asyncio.sleep(0.005)
        finally:
            gc.callbacks.remove(on_gc)

    failed = []

    def run():  # in a thread of its own: a browser test's Playwright may hold this one's loop
        try:
            asyncio.run(drive())
        except BaseException as exc:  # re-raised in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=run)
    try:
        thread.start()
        thread.join()
    finally:
        sliders.OLD_GARBAGE.release()
    if failed:
        raise failed[0]
    assert seen["held"] == (before[0], before[1], sliders.OldGarbage.OUT_OF_REACH)
    assert seen["still held"] and slider.value == 13.0
    assert gc.get_threshold() == before
    assert 2 in collected  # the full collection ran once they rested


def test_outside_a_kernel_the_collector_is_left_as_it_is():
    before = gc.get_threshold()
    slider = FloatSlider(value=17.3, min=1, max=60, step=0.1, description="Median, control")
    request(slider, 12.0, 1)
    assert slider.value == 12.0 and gc.get_threshold() == before
    assert not sliders.OLD_GARBAGE.held
