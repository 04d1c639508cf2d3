"""The picture channel: a matplotlib figure shown in the browser with its text alternative.

One small anywidget view (its front end is ``figure.js`` and ``figure.css`` beside this file)
holds an ``<img alt="...">`` (a PNG sent as binary, never base64), the numbers that change
from trial to trial as HTML above and below it, and the summary in an ``aria-live`` region,
all changed by one message per update. Measured in Voila and Chromium
(``benchmarks/bench_browser.py``), a picture beats an ipympl canvas to new pixels and is the
only way that gives the figure a text alternative.
"""

from __future__ import annotations

import functools
import math
import pathlib
import time

import anywidget
import traitlets

from .. import plots
from .controls import _wide

HERE = pathlib.Path(__file__).parent


class _FigureWidget(anywidget.AnyWidget):
    """The browser side of a :class:`FigureView` (one widget: one message per update)."""

    # The front end: a persistent <img> whose picture and alt text change in one message,
    # the kernel's PNG sent as binary (no base64), HTML above and below it (the headline and
    # at-risk table of a Kaplan–Meier plot) and the summary in an aria-live region, so that
    # screen readers hear each new trial. Plain JavaScript run by anywidget: no build step,
    # nothing fetched from the network.
    _esm = HERE / "figure.js"
    _css = (HERE / "figure.css").read_text() + (HERE / "texts.css").read_text()
    png = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)  # the picture's own width: it is never enlarged
    stale = traitlets.Bool(False).tag(sync=True)
    above = traitlets.Unicode("").tag(sync=True)
    below = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    caption = traitlets.Unicode("bottom").tag(sync=True)  # where the summary goes, or "none"
    drawn_for = traitlets.Unicode("").tag(sync=True)  # the settings drawn (for tests)
    min_text_px = traitlets.Float(0).tag(sync=True)  # smallest text, pixels of the PNG
    timing = traitlets.Dict().tag(sync=True)  # kernel's start and send times (ms since epoch)


class FigureView:
    """A matplotlib figure shown in the browser with its text alternative and summary.

    The widget (class ``es-figure`` or ``css_class``) holds an ``<img alt=...>``, optional
    HTML above and below it, and the summary in an ``aria-live="polite"`` region (class
    es-summary; ``caption`` "bottom", "top" or "none"). ``render(alt_text, ...)`` draws the
    figure on its Agg canvas (with ``draw``, e.g. a plot's own faster
    :meth:`~edu_survival.plots.KMPlot.draw`), encodes a 64-colour PNG and sends picture, alt
    text and texts to the browser in one message, the PNG as binary. ``drawn_at`` and
    ``encoded_at`` (``time.perf_counter()``) record when each step finished.
    ``relabel(prefix)`` keeps the picture, fades it and puts ``prefix`` before its alt text.
    """

    COLORS = 64
    _widget_class = _FigureWidget  # the browser side

    def __init__(self, figure, css_class: str = "es-figure", draw=None, caption: str = "bottom"):
        self.figure = figure
        self._draw = draw or functools.partial(plots.draw, figure)
        self.widget = self._widget_class(caption=caption, layout=_wide())
        self.widget.add_class(css_class)
        self._drawn_alt = ""
        self.drawn_at = self.encoded_at = math.nan
        self.began = None  # when the callback drawing this began (time.time()), if known

    @property
    def alt_text(self) -> str:
        """The picture's alt text, as the browser has it."""
        return self.widget.alt

    @property
    def png(self) -> bytes:
        """The PNG last encoded: what the widget shows now."""
        return self.widget.png

    def render(self, alt_text: str, *, above: str | None = None, below: str | None = None,
               drawn_for: str = "") -> None:
        self._draw()
        self.drawn_at = time.perf_counter()
        png = plots.png_bytes(self.figure, redraw=False, colors=self.COLORS)
        self.encoded_at = time.perf_counter()
        w = self.widget
        with w.hold_sync():  # one message: picture, alt text and texts change together
            w.png, w.width = png, int(self.figure.bbox.width)
            if not w.min_text_px:
                w.min_text_px = smallest_text_px(self.figure)
            self._send_texts(alt_text, above, below, drawn_for)

    def _send_texts(self, alt_text, above, below, drawn_for) -> None:
        """The texts that go with a new picture (inside its message's ``hold_sync``)."""
        w = self.widget
        if above is not None:
            w.above = above
        if below is not None:
            w.below = below
        w.drawn_for = drawn_for
        self._drawn_alt = alt_text
        self.relabel("")
        now = time.time()
        w.timing = {"start": 1000 * (self.began or now), "sent": 1000 * now}

    def relabel(self, prefix: str) -> None:
        """Show the last picture again, its alt text preceded by ``prefix`` (faded if any)."""
        with self.widget.hold_sync():
            self.widget.alt = prefix + self._drawn_alt
            # A faded picture is the visible mark of one that no longer matches the controls.
            self.widget.stale = bool(prefix)


def smallest_text_px(figure) -> float:
    """The size of the smallest visible text in ``figure``, in pixels of its picture.

    Shown at ``d`` CSS pixels wide, a picture ``w`` pixels wide has this text at
    ``smallest_text_px * d / w`` CSS pixels: the browser tests check that it is at least 11.
    """
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in figure.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * figure.dpi / 72 if sizes else 0.0
