"""Sliders whose newest value wins: the browser never waits for the kernel to follow the hand.

ipywidgets' sliders send one value and then wait until the kernel reports idle before they
send the next: a round trip of about 55 ms here, which capped a drag at 17 pictures a second
however fast the picture was made. These sliders (front end ``sliders.js``) send a value as a
custom message, and while the hand moves at most two values are on their way (sent, not yet
taken up by the kernel): the next goes only when the kernel has taken one up. With one, the
kernel sat idle for the round trip of its reply, about a picture's time here; with two, the
next value is already waiting when the kernel finishes a picture, so the kernel goes from one
picture straight to the next. Meanwhile the hand's newer values replace each other in the
browser, and in the kernel the newest of those waiting wins. The final value (pointer
released, key pressed) goes at once, even with values on their way; a value waits :data:`OVERTAKE` seconds in the
kernel for a newer one already behind it, and a value so overtaken is dropped, never
computed; a final value, with nothing newer behind it, does not wait. The final value after
a drag or a key press is always the one drawn.

For Python they behave as ``ipywidgets.FloatSlider`` and ``IntSlider``: ``value``, ``min``,
``max``, ``step``, ``description``, ``readout_format``, ``disabled``, ``continuous_update``,
``layout`` and ``observe``. In the browser each is a ``role="slider"`` element named by its
description, with arrow keys (one step), Page Up / Page Down (5 steps), Home and End.
"""

from __future__ import annotations

import asyncio
import logging
import math
import pathlib
import sys

import anywidget
import traitlets
from traitlets import validate

HERE = pathlib.Path(__file__).parent
_log = logging.getLogger(__name__)
# Seconds a value from the browser waits before it is computed, so that a newer value already
# in the kernel's queue (the final one after a drag) is read first and this one dropped: a few
# turns of the kernel's loop, small beside the 15 ms or more a picture takes.
OVERTAKE = 0.003


def kernel_loop():
    """The event loop of the Jupyter kernel this runs in, or None outside a kernel (a script,
    a test: there nothing waits, and what would wait for the loop is done at once)."""
    # Not imported: no kernel (importing ipykernel here would change how widgets' messages
    # go, even outside one).
    app = sys.modules.get("ipykernel.kernelapp")
    if app is None or not app.IPKernelApp.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def soon(callback, delay: float = 0.0):
    """Run ``callback`` once the kernel has read the messages already waiting for it (so that
    a newer request can overtake this one; ``delay`` seconds at least), or at once outside a
    kernel. Returns the loop's handle (``cancel()`` it), or None when run at once."""
    loop = kernel_loop()
    if loop is None:
        callback()
        return None
    if delay > 0:
        return loop.call_later(delay, callback)
    return loop.call_soon(callback)


class _Slider(anywidget.AnyWidget):
    """What :class:`FloatSlider` and :class:`IntSlider` share (see the module docstring).

    ``widen``: a value set from code outside [min, max] widens the range (dragging stays
    inside it), so that no value is clamped silently; without it values are clamped, as
    ipywidgets does. ``requests`` counts the values the browser sent, ``dropped`` those a
    newer one overtook before the kernel computed them.
    """

    _esm = HERE / "sliders.js"
    _css = HERE / "sliders.css"
    description = traitlets.Unicode("").tag(sync=True)
    readout_format = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    integer = traitlets.Bool(False).tag(sync=True)
    description_width = traitlets.Unicode("15em").tag(sync=True)

    def __init__(self, *, widen: bool = False, style: dict | None = None, **kwargs):
        self._widen = widen
        self._waiting, self._scheduled, self._timer = None, False, None
        self.requests = self.dropped = 0
        given = {key: kwargs.pop(key) for key in ("min", "max", "value") if key in kwargs}
        if style and "description_width" in style:
            kwargs.setdefault("description_width", style["description_width"])
        super().__init__(**kwargs)
        low, high = given.get("min", self.min), given.get("max", self.max)
        self.max = max(self.max, high)  # widen first, so that min never exceeds max on the way
        self.min = min(self.min, low)
        self.min, self.max = low, high
        if "value" in given:
            self.value = given["value"]
        self.on_msg(self._on_request)

    @validate("value")
    def _valid_value(self, proposal):
        value = proposal["value"]
        if self._widen:
            self.min, self.max = min(self.min, value), max(self.max, value)
            return value
        return min(max(value, self.min), self.max)

    @validate("min")
    def _valid_min(self, proposal):
        low = proposal["value"]
        if low > self.max:
            raise traitlets.TraitError(f"setting min > max ({low} > {self.max})")
        if low > self.value:
            self.value = low
        return low

    @validate("max")
    def _valid_max(self, proposal):
        high = proposal["value"]
        if high < self.min:
            raise traitlets.TraitError(f"setting max < min ({high} < {self.min})")
        if high < self.value:
            self.value = high
        return high

    # -- the browser's requests: the newest wins
    def _on_request(self, _widget, content, _buffers) -> None:
        """A value from the browser. It is taken up at once (the browser may send its next
        value, which waits here while this one is computed); a value that a newer one
        overtakes before :meth:`_apply_newest` runs (:data:`OVERTAKE` seconds on) is dropped.
        A final value (``"final": true``: a key press, the pointer released) has nothing
        newer behind it to wait for: it is computed on the loop's next turn."""
        if not isinstance(content, dict) or content.get("kind") != "value":
            return
        self.requests += 1
        if self._waiting is not None:
            self.dropped += 1
        self._waiting = content
        # The counts let the browser (and the benchmark) see what the kernel dropped.
        self.send({"kind": "taken", "seq": content.get("seq"), "requests": self.requests,
                   "dropped": self.dropped})
        final = content.get("final") is True
        if self._scheduled and final and self._timer is not None:
            self._timer.cancel()  # the value it waited for a newer one of is overtaken
            self._scheduled = False
        if not self._scheduled:
            self._scheduled = True
            self._timer = soon(self._apply_newest, 0.0 if final else OVERTAKE)

    def _apply_newest(self) -> None:
        content, self._waiting, self._scheduled, self._timer = self._waiting, None, False, None
        try:
            value = self._coerce(content.get("value"))
            if value is not None:
                # The browser shows this value already: do not send it back.
                with self._lock_property(value=value):
                    self.value = value
        except Exception:  # the widgets' callbacks show their own errors; log anything else
            _log.exception("slider %r, request %r", self.description, content)

    def _coerce(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return value


class FloatSlider(_Slider):
    """A slider of numbers (see :mod:`~edu_survival.widgets.sliders`); its readout has two
    decimals unless ``readout_format`` says otherwise (".0%", ".1f", ...)."""

    value = traitlets.CFloat(0.0).tag(sync=True)
    min = traitlets.CFloat(0.0).tag(sync=True)
    max = traitlets.CFloat(100.0).tag(sync=True)
    step = traitlets.CFloat(0.1).tag(sync=True)


class IntSlider(_Slider):
    """A slider of whole numbers (see :mod:`~edu_survival.widgets.sliders`)."""

    value = traitlets.CInt(0).tag(sync=True)
    min = traitlets.CInt(0).tag(sync=True)
    max = traitlets.CInt(100).tag(sync=True)
    step = traitlets.CInt(1).tag(sync=True)
    integer = traitlets.Bool(True).tag(sync=True)

    def _coerce(self, value):
        value = super()._coerce(value)
        return None if value is None else int(round(value))
