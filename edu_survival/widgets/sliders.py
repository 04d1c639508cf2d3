"""Sliders whose newest value wins: the browser never waits for the kernel to follow the hand.

ipywidgets' sliders send one value and then wait until the kernel reports idle before they
send the next: a round trip of about 55 ms here, which capped a drag at 17 pictures a second
however fast the picture was made. These sliders (front end ``sliders.js``) send a value as a
custom message, and while the hand moves at most one value is on its way (sent, not yet taken
up by the kernel): the next goes as soon as the kernel has taken one up, which it says at
once, before computing it. So the next value is already waiting when the kernel finishes a
picture, and the kernel goes from one picture straight to the next, while the hand's newer
values replace each other in the browser. Where the server holds the kernel's replies back
(Nagle's algorithm, up to 40 ms; ``edu_survival_server`` turns it off), that would leave the
kernel idle after each picture: while the kernel's reply to the first value of a drag or a
key press takes 20 ms or more, two values go.

The final value (pointer released, key pressed) goes at once, even with a value on its way; a
value waits :data:`OVERTAKE` seconds in the kernel for a newer one already behind it, and a
value so overtaken is dropped, never computed; a final value, with nothing newer behind it,
does not wait: it is computed while the kernel handles its message. The final value after a
drag or a key press is always the one drawn. While values arrive, Python's full garbage
collection waits until they rest (:class:`OldGarbage`).

For Python they behave as ``ipywidgets.FloatSlider`` and ``IntSlider``: ``value``, ``min``,
``max``, ``step``, ``description``, ``readout_format``, ``disabled``, ``continuous_update``,
``layout`` and ``observe``. In the browser each is a ``role="slider"`` element named by its
description, with arrow keys (one step), Page Up / Page Down (5 steps), Home and End.
"""

from __future__ import annotations

import asyncio
import gc
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


# Seconds without a value from any slider before the oldest garbage is collected (see
# OldGarbage); the same rest as the fallback picture's (drawn_view.PNG_AFTER).
GC_AFTER = 1.0


class OldGarbage:
    """While sliders move, Python's full garbage collection waits until they rest.

    A full collection (the oldest generation) of a kernel holding lifelines, pandas and
    matplotlib takes 90 to 125 ms here: run in the middle of a drag, it was the slowest final
    picture (145 ms from release instead of about 45). While values arrive, the oldest
    generation's threshold is out of reach; the young generations are still collected as
    usual (under a millisecond each), and once no value has come for :data:`GC_AFTER` seconds
    the thresholds are put back and a full collection runs, while nobody waits for a picture.
    Only in a Jupyter kernel: elsewhere (a script, a test) nothing changes.
    """

    OUT_OF_REACH = 1_000_000  # young collections before an old one: never, while held

    def __init__(self):
        self.thresholds = None  # those to put back, while held
        self._timer = None

    @property
    def held(self) -> bool:
        return self.thresholds is not None

    def hold(self) -> None:
        """A value came: no full collection until values have rested GC_AFTER seconds."""
        loop = kernel_loop()
        if loop is None:
            return
        if self.thresholds is None:
            self.thresholds = gc.get_threshold()
            young, middle, _ = self.thresholds
            gc.set_threshold(young, middle, self.OUT_OF_REACH)
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(GC_AFTER, self.release)

    def release(self) -> None:
        """Put the thresholds back and collect everything now (if collection is on)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        if self.thresholds is None:
            return
        thresholds, self.thresholds = self.thresholds, None
        gc.set_threshold(*thresholds)
        if gc.isenabled():
            gc.collect()


OLD_GARBAGE = OldGarbage()


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
        self._quiet, self._unsent = False, set()
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

    def set_shown(self, shown: bool) -> None:
        """Show or hide the slider. While it is hidden its value and range change in the
        kernel only (a hidden twin follows every trial: its messages were a fifth of each
        update's); they go to the browser in one message before it is shown again."""
        if shown and self._unsent:
            keys, self._unsent, self._quiet = sorted(self._unsent), set(), False
            self.send_state(keys)
        self._quiet = not shown
        self.layout.display = None if shown else "none"

    def _should_send_property(self, key, value):
        if self._quiet and key in ("value", "min", "max"):
            self._unsent.add(key)
            return False
        return super()._should_send_property(key, value)

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
        newer behind it to wait for: it is computed at once, while the kernel still handles
        its message, so that the kernel reports idle after the new picture, not before it
        (JupyterLab redraws its toolbar for each "idle", and the picture waited behind that:
        a key press there took about 41 ms to new pixels, 36 once computed inside)."""
        if not isinstance(content, dict) or content.get("kind") != "value":
            return
        self.requests += 1
        OLD_GARBAGE.hold()
        if self._waiting is not None:
            self.dropped += 1
        self._waiting = content
        # The counts let the browser (and the benchmark) see what the kernel dropped.
        self.send({"kind": "taken", "seq": content.get("seq"), "requests": self.requests,
                   "dropped": self.dropped})
        if content.get("final") is True:
            if self._timer is not None:
                self._timer.cancel()  # the value it waited for a newer one of is overtaken
            self._apply_newest()
        elif not self._scheduled:
            self._scheduled = True
            self._timer = soon(self._apply_newest, OVERTAKE)

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
