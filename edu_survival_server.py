"""The Jupyter server's side of edu_survival: kernel websockets that send each message at once.

A slider's answer is a burst of small messages from the kernel: "busy", the slider's "taken",
"idle", the new picture's data. The Jupyter server relays them to the browser on a websocket
with Nagle's algorithm on (tornado's default), so every message after the first of a burst
waits until the browser acknowledges the first, and a browser delays that acknowledgement by
up to 40 ms. Measured in Voila and Chromium on one machine, in one run of
``benchmarks/bench_browser.py``: a key press took 62 ms to new pixels with Nagle's algorithm
on the kernel's websockets and 30 ms with ``TCP_NODELAY``. Nothing else changes: the same
messages, in the same order.

How the server gets it:

* JupyterLab, Notebook 7, and Voila's pages in them (Binder's dashboard link): Jupyter
  Server loads this module as a server extension, enabled when the package is installed
  (``etc/jupyter/jupyter_server_config.d/edu_survival.json``); ``jupyter server extension
  list`` shows it;
* Voila on its own (``voila dashboards/trial_explorer.ipynb``) loads no server extensions:
  pass ``--Voila.kernel_websocket_connection_class=edu_survival_server.NoDelayKernelConnection``
  (``make dashboard`` does).

A module of its own beside ``edu_survival`` so that the server imports only this file, not
the library (matplotlib, lifelines, pandas: 1.5 s and the memory they take, measured).
"""

from __future__ import annotations

import contextlib

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["VOILA_OPTION", "NoDelayKernelConnection", "without_nagle"]

# The option for Voila on its own (the Makefile, the browser tests and the benchmark pass it).
VOILA_OPTION = ("--Voila.kernel_websocket_connection_class="
                "edu_survival_server.NoDelayKernelConnection")


def without_nagle(base: type) -> type:
    """The kernel websocket connection class ``base``, with Nagle's algorithm turned off on
    each websocket it serves (``base`` itself if it does so already)."""
    if not isinstance(base, type) or not callable(getattr(base, "connect", None)):
        raise ValueError("base must be a kernel websocket connection class (with a connect "
                         f"method); got {base!r}")
    if getattr(base, "sends_at_once", False):
        return base

    class Connection(base):
        sends_at_once = True

        def connect(self):
            _send_at_once(self.websocket_handler)
            return super().connect()

    Connection.__name__ = Connection.__qualname__ = f"NoDelay{base.__name__}"
    Connection.__doc__ = f"{base.__name__}, its websocket with TCP_NODELAY (edu_survival_server)."
    return Connection


def _send_at_once(handler) -> None:
    # Closed already, or not a tornado websocket: nothing to speed up, nothing to break.
    with contextlib.suppress(AssertionError, AttributeError, OSError):
        handler.set_nodelay(True)


NoDelayKernelConnection = without_nagle(ZMQChannelsWebsocketConnection)


def _jupyter_server_extension_points():
    return [{"module": "edu_survival_server"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Wrap the server's kernel websocket connection class (whatever it is configured to be:
    the kernels' own, a gateway's) in :func:`without_nagle`."""
    settings = serverapp.web_app.settings
    base = settings.get("kernel_websocket_connection_class") or ZMQChannelsWebsocketConnection
    settings["kernel_websocket_connection_class"] = without_nagle(base)
    serverapp.log.info("edu_survival_server: kernel websockets send each message at once "
                       "(TCP_NODELAY)")
