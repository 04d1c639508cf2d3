"""The figure drawn in the browser: a widget's matplotlib figure sent as data, not as pixels.

:class:`DrawnView` has :class:`~edu_survival.widgets.figure_view.FigureView`'s interface
(``render(alt_text, ...)``, ``relabel``, ``alt_text``, ``png``). What it sends on each update
is data, drawn by its front end (``drawn_view.js``) on a canvas at the screen's resolution:

* a Kaplan–Meier plot (the trial explorer's) as a *scene*: its curves' arrays (steps, faded
  tails, bands, censoring marks, lines to the medians) in float32 and a small spec (axes,
  ticks, labels, legend, the style's colours and dashes), from
  :func:`~edu_survival.widgets.km_scene.km_scene`, drawn by ``km_scene.js``: nothing is drawn
  or recorded in the kernel while a slider moves;
* any other figure (the censoring explorer's and the stepper's, which add panels and lines of
  their own) as what matplotlib draws, recorded by :mod:`~edu_survival.widgets.recording`
  (paths, marks and lines of text in one float32 buffer and a small JSON list) and replayed.

Both come from the figure's own artists and the one style, so the picture in the browser and
the static PNG cannot disagree on colour, dash, label or order. Where the figure holds
Kaplan–Meier curves, their arrays go too
(:func:`~edu_survival.widgets.drawn_view.km_readings`): hovering or focusing the plot reads
time, survival with its CI and the number at risk per arm, and the arrow keys step along the
curves (an ``aria-live`` readout).

The PNG is still made, by matplotlib, but only when it is needed: for a static copy
(``png``, used by ``snapshot()``), and as the browser's fallback where the drawing cannot be
shown, brought up to date once updates have rested for :data:`PNG_AFTER` seconds (at once
outside a Jupyter kernel: a script or a test). Measured in ``benchmarks/bench_browser.py``.
"""

from __future__ import annotations

import json
import pathlib
import time

import numpy as np
import traitlets

from .. import plots
from ..plots.style import STYLE
from .figure_view import FigureView, _FigureWidget
from .recording import FigureRecording
from .sliders import kernel_loop

HERE = pathlib.Path(__file__).parent
PNG_AFTER = 1.0  # seconds without an update before the fallback PNG is made


class _DrawnWidget(_FigureWidget):
    """The browser side of a :class:`DrawnView` (one message per update); ``png`` is the
    fallback picture (see :data:`PNG_AFTER`), ``width`` the figure's own, its largest."""

    # One module: the view, then the Kaplan–Meier plot it draws from data (km_scene.js).
    _esm = (HERE / "drawn_view.js").read_text() + (HERE / "km_scene.js").read_text()
    _css = (HERE / "drawn_view.css").read_text() + (HERE / "texts.css").read_text()
    # What to draw (the scene or the recorded operations, and the curves to read), sent as
    # JSON text: a dict trait is walked for buffers in the kernel and compared key by key
    # (thousands of calls) in the browser on every update; text is compared at once.
    spec_json = traitlets.Unicode("{}").tag(sync=True)
    data = traitlets.Bytes(b"").tag(sync=True)  # their numbers, float32
    version = traitlets.Int(0).tag(sync=True)  # one more for every drawing sent

    @property
    def spec(self) -> dict:
        """What the browser is sent to draw, as a dict (``spec_json`` parsed)."""
        return json.loads(self.spec_json)

    @spec.setter
    def spec(self, value: dict) -> None:
        self.spec_json = json.dumps(value, separators=(",", ":"), default=_plain)


def _plain(value):
    """A numpy number as the Python number JSON can hold."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be sent to the browser as JSON")


def curve_readings(ax, curves, unit: str, level: int | None, add) -> dict:
    """Curves to read in the browser: where ``ax`` is (figure pixels, y upwards), its limits,
    and for each curve (a dict with ``label``, ``colour``, optionally ``text`` (its colour for
    words), and arrays ``time``, ``survival``, ``at_risk`` and optionally ``lower``, ``upper``)
    its arrays, put in the buffer by ``add``."""
    arms = []
    for curve in curves:
        arm = {"label": curve["label"], "colour": curve["colour"].lower(),
               "text": curve.get("text", "#222222").lower()}
        for key in ("time", "survival", "lower", "upper", "at_risk"):
            if curve.get(key) is not None:
                arm[key] = add(curve[key])
        arms.append(arm)
    return {"box": [round(float(v), 3) for v in ax.bbox.extents],
            "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
            "unit": unit, "level": level, "arms": arms}


def km_readings(km, add) -> dict:
    """The Kaplan–Meier curves of ``km`` (a :class:`~edu_survival.plots.KMPlot`) with their
    confidence bands and numbers at risk, in the order and colours of the plots' one style
    (:data:`~edu_survival.plots.style.STYLE`: legend order, line and text colours)."""
    analysis = km.analysis
    arms = {0: analysis.reference, 1: analysis.other}
    curves = []
    for pos in STYLE["order"]:
        curve, look = analysis.curves[arms[pos]], STYLE["arms"][pos]
        curves.append({"label": analysis.labels[arms[pos]], "colour": look["color"],
                       "text": look["text_color"], "time": curve.time, "survival": curve.survival,
                       "lower": curve.lower, "upper": curve.upper, "at_risk": curve.at_risk})
    return curve_readings(km.ax, curves, analysis.unit, round(100 * (1 - analysis.alpha)), add)


class DrawnView(FigureView):
    """A matplotlib figure drawn by the browser from data, with its text alternative.

    The widget (class ``es-figure`` or ``css_class``) holds the canvas (role ``img``, its
    ``aria-label`` the alt text), HTML above and below it, the reading's ``aria-live``
    region and the summary in another (``caption`` "bottom", "top" or "none").
    ``render(alt_text, ...)`` sends the drawing, alt text and texts in one message;
    ``relabel(prefix)`` keeps the drawing, fades it and puts ``prefix`` before its alt text.
    ``readings(add)``, if given, returns the curves to read (see :func:`~edu_survival.widgets.drawn_view.km_readings`).
    ``draw`` draws the figure on its Agg canvas for the PNG (e.g. a plot's own faster
    :meth:`~edu_survival.plots.KMPlot.draw`).
    ``scene(add)``, if given, returns the figure as data (see
    :func:`~edu_survival.widgets.km_scene.km_scene`) for the browser to draw, in place of the
    recording of what matplotlib draws: nothing is drawn or recorded in the kernel per update.
    """

    _widget_class = _DrawnWidget

    def __init__(self, figure, css_class: str = "es-figure", draw=None, caption: str = "bottom",
                 readings=None, scene=None):
        from matplotlib.figure import Figure

        if not isinstance(figure, Figure):
            raise ValueError(f"figure must be a matplotlib Figure; got {type(figure).__name__}")
        if caption not in ("bottom", "top", "none"):
            raise ValueError(f"caption must be 'bottom', 'top' or 'none'; got {caption!r}")
        if not isinstance(css_class, str) or not css_class:
            raise ValueError(f"css_class must be a class name; got {css_class!r}")
        for name, f in (("draw", draw), ("readings", readings), ("scene", scene)):
            if f is not None and not callable(f):
                raise ValueError(f"{name} must be a function or None; got {type(f).__name__}")
        super().__init__(figure, css_class, draw, caption)
        self.widget.width = int(figure.bbox.width)
        self.readings, self.scene = readings, scene
        self.recording = FigureRecording(figure)
        self._png_version = -1
        self._png_timer = None

    @property
    def png(self) -> bytes:
        """The figure as the browser draws it now, as a PNG drawn by matplotlib (made now if
        the last one is older than the drawing)."""
        if self._png_version != self.widget.version:
            self._make_png()
        return self.widget.png

    def _make_png(self) -> None:
        self._draw()
        png = plots.png_bytes(self.figure, redraw=False, colors=self.COLORS)
        self.encoded_at = time.perf_counter()
        self._png_version = self.widget.version
        self.widget.png = png

    def _png_later(self) -> None:
        """Make the fallback PNG once updates rest; outside a kernel, now."""
        loop = kernel_loop()
        if loop is None:
            self.png  # noqa: B018 (the property makes it)
            return
        if self._png_timer is not None:
            self._png_timer.cancel()
        self._png_timer = loop.call_later(PNG_AFTER, lambda: self.png)

    def _pack(self) -> tuple[dict, bytes]:
        """The drawing (and the curves to read) as (spec, float32 bytes)."""
        if self.scene is None:
            spec, numbers = self.recording.record()
        else:
            spec, numbers = self._scene_spec(), np.zeros(0, np.float32)
        parts, size = [numbers], len(numbers)

        # An array sent twice (a curve drawn and read) goes once; each is held here, so that
        # no other array can take its id while packing.
        placed: dict[int, tuple] = {}

        def add(values) -> list[int]:
            nonlocal size
            if id(values) in placed:
                return placed[id(values)][1]
            numbers = np.asarray(values, dtype=np.float32).ravel()
            parts.append(numbers)
            size += len(numbers)
            placed[id(values)] = (values, [size - len(numbers), len(numbers)])
            return placed[id(values)][1]

        if self.scene is not None:
            spec["scene"] = self.scene(add)
        if self.readings is not None:
            spec["km"] = self.readings(add)
        return spec, np.concatenate(parts).astype(np.float32, copy=False).tobytes()

    def _scene_spec(self) -> dict:
        """The frame of a drawing sent as a scene: the figure's size and its smallest text."""
        size = [float(self.figure.bbox.width), float(self.figure.bbox.height)]
        return {"size": size, "minText": STYLE["font"]["small"] * self.figure.dpi / 72}

    def render(self, alt_text: str, *, above: str | None = None, below: str | None = None,
               drawn_for: str = "") -> None:
        spec, data = self._pack()
        self.drawn_at = time.perf_counter()
        w = self.widget
        with w.hold_sync():  # one message: drawing, alt text and texts change together
            w.spec, w.data, w.version = spec, data, w.version + 1
            w.width = int(self.figure.bbox.width)
            self._send_texts(alt_text, above, below, drawn_for)
            if not w.png:
                self._make_png()  # a fallback from the first message on
        self._png_later()
