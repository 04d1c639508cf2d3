"""Live widgets: move a slider, see the trial respond (times in months).

* :class:`TrialExplorer` (and :func:`explore`, which shows one): the two medians (or the control
  median and the hazard ratio), patients, accrual, follow-up and censoring of a simulated
  two-arm trial, with its Kaplan–Meier plot, a plain-language summary and, on request, 1,000
  trials at once (the dance of the p-values and the power).
* :class:`CensoringExplorer`: the same patients followed until they die against what the
  analysis sees, beside the Kaplan–Meier curves, and what ignoring censoring does.
* :class:`KMStepper`: the Kaplan–Meier calculation on a dozen patients, one time at a time.

Widgets hold a :class:`~edu_survival.scenario.Scenario` and call the library; they compute no
statistics themselves. Each figure reaches the browser through a :class:`FigureView`: one
small anywidget view holding an ``<img alt="...">`` (a PNG sent as binary, never base64), the
numbers that change from trial to trial as HTML beside it, and the summary in an
``aria-live`` region, all changed by one message per update. Measured in Voila and Chromium
(``benchmarks/bench_browser.py``), a picture beats an ipympl canvas to new pixels and is the
only way that gives the figure a text alternative. Every callback turns an error into a
message in the widget, so no traceback reaches a learner and the controls keep working.
All data shown are simulated from assumed summary figures, never patient data.
"""

from __future__ import annotations

import contextlib
import functools
import html
import math
import time

import anywidget
import ipywidgets as W
import numpy as np
import traitlets
from traitlets import validate

from .. import plots
from ..analyze import _check_events, _check_times, _plural, analyze, nice_times
from ..censoring import (
    MAX_DROPOUT,
    censored_share_range,
    dropout_for_censored_share,
    expected_censored_share,
    full_follow_up,
    naive_estimates,
)
from ..design import analytic_power
from ..lifetable import example_patients, life_table
from ..scenario import LAPATINIB, STORY_LABELS, Scenario

__all__ = ["CensoringExplorer", "FigureView", "KMStepper", "Snapshot", "TrialExplorer", "dashboard",
           "explore"]


def _pick_engine() -> str:
    """The fast numpy engine when the Monte Carlo module is there, else lifelines."""
    try:
        from ..montecarlo import cox_many, logrank_many  # noqa: F401
    except ImportError:
        return "lifelines"
    return "numpy"


ENGINE = _pick_engine()
SIMULATED_NOTE = "Simulated from the news story's summary figures: not patient data."
# Wide enough for the longest description ("Compare survival at (months)") at 1024 px and up.
_SLIDER_STYLE = {"description_width": "15em"}
# Buttons as wide as their words: at a fixed width "control median + HR" was cut.
_TOGGLE_STYLE = {**_SLIDER_STYLE, "button_width": "auto"}


def _wide() -> W.Layout:
    # A new Layout each time: widgets sharing one would all hide when one of them is hidden.
    # "auto", not "100%": a box stretches its children to its width, less their margins;
    # 100% plus the margins overflowed each box by 4 px, a sideways scroll bar (issue 15).
    return W.Layout(width="auto")


# The figure's front end: a persistent <img> whose picture and alt text change in one
# message, the kernel's PNG sent as binary (no base64), HTML above and below it (the
# headline and at-risk table of a Kaplan–Meier plot) and the summary in an aria-live region,
# so that screen readers hear each new trial. Plain JavaScript run by anywidget: no build
# step, nothing fetched from the network.
_FIGURE_ESM = """
export default {
  render({ model, el }) {
    const fig = document.createElement("div"), img = document.createElement("img");
    const above = document.createElement("div"), below = document.createElement("div");
    const summary = document.createElement("div");
    fig.className = "es-fig"; above.className = "es-above"; below.className = "es-below";
    summary.className = "es-summary";
    summary.setAttribute("aria-live", "polite");
    fig.append(above, img, below);
    const caption = model.get("caption");
    el.append(...(caption === "top" ? [summary, fig] : caption === "none" ? [fig] : [fig, summary]));
    let urls = [];
    const shown = {};
    img.addEventListener("load", () => {  // the old picture is off screen: free it
      urls = urls.filter((u) => u === img.src || (URL.revokeObjectURL(u), false));
    });
    const html = (node, key) => {
      const value = model.get(key);
      if (shown[key] !== value) { node.innerHTML = value; shown[key] = value; }
    };
    const update = () => {
      const png = model.get("png");
      if (png !== shown.png && png && png.byteLength) {
        shown.png = png;
        const url = URL.createObjectURL(new Blob([png], { type: "image/png" }));
        urls.push(url);
        img.src = url;
      }
      img.alt = model.get("alt");
      const timing = model.get("timing");
      Object.assign(img.dataset, {
        drawnFor: model.get("drawn_for"), minTextPx: model.get("min_text_px"),
        kernelStart: timing.start ?? "", kernelSent: timing.sent ?? "",
      });
      fig.style.maxWidth = model.get("width") + "px";
      fig.classList.toggle("es-stale", model.get("stale"));
      html(above, "above"); html(below, "below"); html(summary, "summary");
    };
    model.on("change", update);
    update();
    return () => { model.off("change", update); urls.forEach((u) => URL.revokeObjectURL(u)); };
  },
};
"""
_FIGURE_CSS = """
.es-fig { width: 100%; container-type: inline-size; }
.es-fig img { display: block; width: 100%; height: auto; }
.es-fig.es-stale img { opacity: 0.45; }
.es-summary { margin: 0.4em 0; }
.es-headline { margin: 0.2em 0 0.2em 1em; line-height: 1.5; }
.es-risk { margin-bottom: 0.6em; }
.es-risk-arm { font-weight: bold; line-height: 1.4; }
.es-risk-row { position: relative; height: 1.35em; }
.es-risk-row > span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.es-risk-row > span.es-risk-label { transform: none; color: #555; padding-right: 0.8em;
  font-size: min(1em, 2.1cqw); }  /* fits the picture's left margin, even on a phone */
/* The assumptions group's header: ipywidgets' grey on grey is 4.45:1, below WCAG AA's 4.5:1. */
.es-assumptions .jupyter-widget-Collapse-header,
.es-assumptions .jupyter-widget-Collapse-header > span { color: #333333; }
.es-sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
"""


class _FigureWidget(anywidget.AnyWidget):
    """The browser side of a :class:`FigureView` (one widget: one message per update)."""

    _esm = _FIGURE_ESM
    _css = _FIGURE_CSS
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

    def __init__(self, figure, css_class: str = "es-figure", draw=None, caption: str = "bottom"):
        self.figure = figure
        self._draw = draw or functools.partial(plots.draw, figure)
        self.widget = _FigureWidget(caption=caption, layout=_wide())
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


class _Summary:
    """The summary part of a :class:`FigureView`, read like the HTML widget it once was."""

    def __init__(self, view: FigureView):
        self._view = view

    @property
    def value(self) -> str:
        return self._view.widget.summary


def _friendly(method=None, *, stale: bool = True):
    """Run a callback; any exception becomes a message in the widget instead of a traceback.

    With ``stale`` (for callbacks that show new settings) the figure and summary, which still
    show the last valid settings, say so until valid settings are drawn again.
    """
    if method is None:
        return functools.partial(_friendly, stale=stale)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        view = getattr(self, "view", None)
        outer = view is not None and view.began is None
        if outer:  # the update's start, sent with its picture (for the browser benchmark)
            view.began = time.time()
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # every error, so the learner never sees a traceback
            self.last_error = exc
            if isinstance(exc, ValueError):
                text = f"This setting cannot be shown: {exc}. Change it, or press reset."
            else:
                text = (f"Something went wrong ({type(exc).__name__}: {exc}). The controls still "
                        "work: change a setting, or press reset.")
            self._say(text, "error")
            if stale:
                self._mark_stale()
            return None
        finally:
            if outer:
                view.began = None

    return wrapper


STALE_PREFIX = "Showing the last valid trial: "


class _Widget:
    """What all explorers share: a message area, display in notebooks, held updates, and a
    summary (also the figure's alt text) that says when it shows the last valid settings."""

    def _init_common(self):
        self.message = W.HTML(layout=_wide())
        self.message.add_class("es-message")
        self.last_error = None
        self._holding = False
        self._shown_in = None
        self.stale = False  # an invalid setting came after the trial shown
        self._summary = ("", "")  # (plain text, css style) of the summary shown

    @property
    def summary(self) -> _Summary:
        """The summary shown with the figure (``.value``: its HTML; class es-summary)."""
        return _Summary(self.view)

    def _set_summary(self, text: str, style: str) -> None:
        """Show ``text`` as the summary; a valid trial is shown, so nothing is stale."""
        self.stale = False
        self._summary = (text, style)
        self.view.widget.summary = f'<div style="{style}">{html.escape(text)}</div>'

    def _mark_stale(self) -> None:
        """After an invalid setting: say that the figure and summary show the last valid one."""
        view = getattr(self, "view", None)
        if self.stale or view is None or not self._summary[0]:
            return  # already said, or nothing drawn yet
        self.stale = True
        text, style = self._summary
        with view.widget.hold_sync():
            view.widget.summary = f'<div style="{style}">{html.escape(STALE_PREFIX + text)}</div>'
            view.relabel(STALE_PREFIX)

    def _say(self, text: str = "", kind: str = "info") -> None:
        """Show ``text`` in the message area (empty hides it)."""
        colour = {"error": "#a01010", "warning": "#7a4b00", "info": "#333333"}[kind]
        self.message.value = (
            f'<div role="status" style="color:{colour};font-size:1.05em">{html.escape(text)}</div>'
            if text else ""
        )

    def _text_panels(self):
        """The table beside the figure (the summary is part of the figure's view)."""
        self.table_widget = W.HTML(layout=_wide())
        self.table_widget.add_class("es-table")

    @contextlib.contextmanager
    def _hold(self):
        """Change several controls and update once afterwards."""
        before, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = before

    def snapshot(self) -> Snapshot:
        """A static copy of what the widget shows now: its settings, its picture (with the same
        alt text) and its text panels.

        It needs no running kernel, so it stays readable where widgets are not live: on GitHub,
        nbviewer, the course website or a printed handout. Lessons put one after a widget cell.
        """
        view = getattr(self, "view", None)
        parts, lines = [], []
        settings = self._settings_text()
        if settings:
            parts.append(f"<p><b>Settings:</b> {html.escape(settings)}</p>")
            lines.append(f"Settings: {settings}")
        if view is not None and view.png:
            width = int(view.figure.get_figwidth() * view.figure.dpi)
            parts.append(plots.img_html(view.png, view.alt_text, width))
            lines.append(f"Figure: {view.alt_text}")
            # The numbers shown as HTML beside the picture (a KM plot made with numbers=False).
            km = getattr(self, "km", None)
            if view.widget.above:
                parts.append(view.widget.above)
            if km is not None and not km.numbers and km.figure is view.figure:
                parts.append(km.table_html(visual=False))
        for name in ("message", "summary", "readout", "assumption_readout", "table_widget",
                     "power_text"):
            panel = getattr(self, name, None)
            if panel is not None and panel.value:
                parts.append(panel.value)
        if self._summary[0]:
            lines.append(self._summary[0])
        parts.append(f"<p><em>{html.escape(SNAPSHOT_NOTE)}</em></p>")
        lines.append(SNAPSHOT_NOTE)
        return Snapshot("\n".join(parts), "\n".join(lines))

    def _settings_text(self) -> str:
        """``"Median, control (months) = 17.3; ..."`` for the controls a learner can see."""
        shown = []
        for control in getattr(self, "controls", {}).values():
            if getattr(control.layout, "display", None) == "none" or not control.description:
                continue
            value = control.value
            if isinstance(control, W.ToggleButtons):
                text = next((label for label, v in control.options if v == value), str(value))
            elif isinstance(value, float):
                fmt = getattr(control, "readout_format", "")
                text = f"{value:{fmt if fmt.endswith('%') else 'g'}}"
            else:
                text = str(value)
            shown.append(f"{control.description} = {text}")
        return "; ".join(shown)

    def _ipython_display_(self):
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        # explore() has just displayed this explorer in this cell: do not show it twice.
        if self._shown_in is not None and count == self._shown_in:
            self._shown_in = None
            return
        display(self._display_bundle(), raw=True)

    def _display_bundle(self) -> dict:
        """The live widget, with its snapshot as the text/html and text/plain fallbacks that a
        page without a kernel (GitHub, nbviewer, the course website) shows instead."""
        bundle = dict(self.widget._repr_mimebundle_())
        snap = self.snapshot()
        bundle["text/html"] = snap.html
        bundle["text/plain"] = str(snap)
        return bundle


SNAPSHOT_NOTE = ("A picture of the live widget at these settings. Run the notebook (on Binder, "
                 "JupyterLab or Voila) to move the controls.")


class Snapshot:
    """A widget's picture and text at one moment, shown without a kernel (see ``snapshot()``)."""

    def __init__(self, html_text: str, text: str):
        self.html, self.text = html_text, text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _column(flex: str, min_width: str, **more) -> W.Layout:
    # overflow visible: a box that scrolls must be reachable by keyboard (axe-core
    # scrollable-region-focusable, found in JupyterLab when the output area is narrow).
    return W.Layout(flex=flex, min_width=min_width, overflow="visible", **more)


# Legibility (issue 15): a figure's smallest text is 11.5 pt in a picture 8.5 in wide, so it
# is at least 11 CSS px when the picture is at least 8.5 * 72 * 11 / 11.5 = 585 px wide. The
# figure's column is never narrower than 600 px (or the whole output, on a phone): when the
# sliders and 600 px do not fit side by side the figure goes below the sliders, full width.
FIGURE_MIN_PX = 600


def _figure_column() -> W.Layout:
    return _column("2 1 30em", f"min({FIGURE_MIN_PX}px, 100%)")


def _slider_column() -> W.Layout:
    return _column("1 1 26em", "min(20em, 100%)", padding="0 1em 0 0")


class _Widening:
    """A slider whose range grows to hold any value set from code, instead of clamping it
    silently (dragging stays within the range; invalid values get the library's message)."""

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if value < self.min:
            self.min = value
        if value > self.max:
            self.max = value
        return value


class _WideFloatSlider(_Widening, W.FloatSlider):
    pass


class _WideIntSlider(_Widening, W.IntSlider):
    pass


_WIDE = {W.FloatSlider: _WideFloatSlider, W.IntSlider: _WideIntSlider}


def _slider(cls, description, value, lo, hi, step, *, widen=True, **kw):
    """A slider from ``lo`` to ``hi``, wider if ``value`` (e.g. a scenario's) lies outside;
    with ``widen``, values set later from code widen it too."""
    cls = _WIDE[cls] if widen else cls
    return cls(value=value, min=min(lo, value), max=max(hi, value), step=step,
               description=description, continuous_update=True, style=_SLIDER_STYLE,
               layout=_wide(), **kw)


def _button(description, icon=""):
    return W.Button(description=description, icon=icon, layout=W.Layout(width="auto"))


def _next_seed(box) -> None:
    """Move a seed box on by one; past its largest seed it wraps around to the smallest."""
    value = int(box.value) + 1
    box.value = value if value <= box.max else box.min


def _share_bounds(scenario) -> tuple[float, float]:
    """:func:`censored_share_range` rounded inwards to the slider's 1% steps."""
    low, high = censored_share_range(scenario)
    inner = math.ceil(low * 100 - 1e-9) / 100, math.floor(high * 100 + 1e-9) / 100
    return inner if inner[0] <= inner[1] else (low, high)


# ----- the trial explorer ---------------------------------------------------------------------
class TrialExplorer(_Widget):
    """A simulated two-arm trial that answers every slider at once.

    Parameters
    ----------
    scenario : Scenario
        The starting assumptions (months); by default the news story's (:data:`LAPATINIB`).
    seed : int
        The starting random seed; "new trial" moves it on by one.
    labels : dict, optional
        Names of the arms in the plot and summary, e.g. ``{"treatment": "lapatinib"}``.
    n_sims : int
        Trials simulated by the "run many trials" button.
    engine : {"numpy", "lifelines"}, optional
        Who computes the analysis; by default the fast numpy engine when available.

    Attributes
    ----------
    controls : dict of widgets
        ``median_control``, ``median_treatment``, ``n``, ``accrual``, ``follow_up``,
        ``dropout``, ``seed``, and ``hr``, ``effect_mode``, ``share_censored``,
        ``censoring_mode``; in the "assumptions" group (collapsed at first), ``shape`` (the
        Weibull shape of the hazard, 0.5 to 3) and ``delay`` (months before the treatment
        acts, 0 to 12).
    assumptions : Accordion
        The collapsed group holding ``shape``, ``delay`` and a readout in words.
    buttons : dict of Button
        ``new_trial``, ``run_trials``, ``reset``.
    figure : matplotlib Figure
        The Kaplan–Meier plot, redrawn in place.
    analysis : Analysis
        The trial now shown; ``scenario`` and ``seed`` made it.
    summary : HTML widget
        The live summary (class es-summary), also the figure's text alternative.
    message : HTML widget
        Problems and errors in plain words (class es-message); empty when all is well.

    Examples
    --------
    >>> import edu_survival as es
    >>> explorer = TrialExplorer(es.LAPATINIB, seed=1)
    >>> explorer.controls["median_control"].value = 12
    >>> round(explorer.analysis.scenario.median_control, 1), explorer.analysis.n["control"]
    (12.0, 160)
    """

    def __init__(self, scenario: Scenario = LAPATINIB, seed: int = 1, *, labels: dict | None = None,
                 n_sims: int = 1000, engine: str | None = None):
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
        if isinstance(n_sims, bool) or not isinstance(n_sims, int) or not 1 <= n_sims <= 100_000:
            raise ValueError(f"n_sims must be a whole number from 1 to 100,000; got {n_sims!r}")
        if engine not in (None, "numpy", "lifelines"):
            raise ValueError(f"engine must be 'numpy', 'lifelines' or None (best available); got {engine!r}")
        self._init_common()
        self.engine = engine or ENGINE
        # The news story's arms get their names; any other scenario keeps "control"/"treatment".
        self.labels = labels if labels is not None else (STORY_LABELS if scenario == LAPATINIB else None)
        self.n_sims = n_sims
        self.initial_scenario, self.initial_seed = scenario, int(seed)
        self.scenario, self.seed = scenario, int(seed)
        self.power_result = None
        self._build_controls(scenario, seed)
        self.readout = W.HTML(layout=_wide())
        self.readout.add_class("es-readout")
        self.assumption_readout = W.HTML(layout=_wide())
        self.assumption_readout.add_class("es-assumptions-readout")
        self.analysis = self._analyse(scenario, self.seed)
        # The numbers (at-risk table, hazard ratio, deaths) go beside the picture as HTML:
        # drawn into it they were most of each update's time.
        self.km = plots.plot_km(self.analysis, counts=("at risk", "censored", "events"),
                                numbers=False)
        self.figure = self.km.figure
        self.view = FigureView(self.figure, draw=self.km.draw)
        self._build_power_panel()
        self._layout()
        self._show(self.analysis)
        for name, control in self.controls.items():
            control.observe(functools.partial(self._on_change, name), names="value")
        self.buttons["new_trial"].on_click(self.new_trial)
        self.buttons["run_trials"].on_click(self.run_trials)
        self.buttons["reset"].on_click(self.reset)

    # -- construction
    def _build_controls(self, s, seed):
        F, I = W.FloatSlider, W.IntSlider  # noqa: E741
        low_share, high_share = _share_bounds(s)
        self.controls = {
            "effect_mode": W.ToggleButtons(
                options=[("two medians", "medians"), ("control median + HR", "hr")],
                value="medians", description="Effect as", style=_TOGGLE_STYLE),
            "median_control": _slider(F, "Median, control (months)", s.median_control, 1, 60, 0.1),
            "median_treatment": _slider(F, "Median, treatment (mo.)", s.median_treatment, 1, 60,
                                        0.1),
            "hr": _slider(F, "Hazard ratio (treatment / control)", round(s.hr, 2), 0.2, 2.0, 0.01),
            "n": _slider(I, "Patients", s.n, 10, 2000, 1),
            "accrual": _slider(F, "Accrual (months)", s.accrual, 0, 60, 1),
            "follow_up": _slider(F, "Further follow-up (months)", s.follow_up, 0, 60, 1),
            "censoring_mode": W.ToggleButtons(
                options=[("dropout per year", "dropout"), ("share censored", "share")],
                value="dropout", description="Censoring as", style=_TOGGLE_STYLE),
            "dropout": _slider(F, "Dropout (lost per year)", s.dropout, 0, MAX_DROPOUT, 0.01,
                               readout_format=".0%"),
            # Its range is the feasible one for the other settings (see _fit_share_range).
            "share_censored": _slider(F, "Share censored", low_share, low_share, high_share,
                                      0.01, widen=False, readout_format=".0%"),
            "seed": W.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Seed",
                                     style=_SLIDER_STYLE, layout=W.Layout(width="20em")),
            # The assumptions the story's verdict turns on: how the hazard changes with time,
            # and when the treatment starts to act.
            "shape": _slider(F, "Hazard shape (Weibull)", s.shape, 0.5, 3.0, 0.01),
            "delay": _slider(F, "Effect starts after (months)", s.delay, 0, 12, 0.5),
        }
        self.controls["hr"].layout.display = "none"
        self.controls["share_censored"].layout.display = "none"
        self.buttons = {
            "new_trial": _button("New trial", "refresh"),
            "run_trials": _button(f"Run {self.n_sims:,} trials", "play"),
            "reset": _button("Reset to the news story", "undo"),
        }

    def _build_power_panel(self):
        self.progress = W.IntProgress(value=0, min=0, max=self.n_sims, description="Trials",
                                      layout=W.Layout(display="none", width="auto"))
        self.progress.add_class("es-progress")
        self.power_text = W.HTML(layout=_wide())
        self.power_text.add_class("es-power")
        self.progress_output = W.Output()
        self.dance = None
        self.dance_view = None
        self.power_box = W.VBox([self.progress, self.progress_output, self.power_text],
                                layout=_wide())

    def _layout(self):
        c = self.controls
        sliders = W.VBox(
            [c["effect_mode"], c["median_control"], c["median_treatment"], c["hr"], c["n"],
             c["accrual"], c["follow_up"], c["censoring_mode"], c["dropout"],
             c["share_censored"], self.readout, self._assumptions_group(), c["seed"],
             W.HBox([self.buttons["new_trial"], self.buttons["reset"]]),
             self.buttons["run_trials"]],
            layout=_slider_column(),
        )
        note = W.HTML(f"<p><em>{html.escape(SIMULATED_NOTE)}</em></p>")
        right = W.VBox([self.message, self.view.widget, note, self.power_box],
                       layout=_figure_column())
        self.widget = W.Box([sliders, right], layout=W.Layout(display="flex", flex_flow="row wrap",
                                                               width="auto", overflow="visible"))
        self.widget.add_class("es-trial-explorer")

    def _assumptions_group(self) -> W.Accordion:
        """Hazard shape and delay, collapsed at first: the story's own numbers come first."""
        c = self.controls
        box = W.VBox([c["shape"], c["delay"], self.assumption_readout], layout=_wide())
        self.assumptions = W.Accordion(children=[box], selected_index=None, layout=_wide(),
                                       titles=("Assumptions: hazard shape, delayed effect",))
        self.assumptions.add_class("es-assumptions")
        return self.assumptions

    @staticmethod
    def hazard_words(shape: float) -> str:
        """How a Weibull hazard of this shape changes over time, in words.

        Examples
        --------
        >>> TrialExplorer.hazard_words(1.48)
        'hazard rises over time'
        """
        if shape < 1:
            return "hazard falls over time"
        return "hazard is constant over time" if shape == 1 else "hazard rises over time"

    @classmethod
    def truth_sentence(cls, scenario: Scenario) -> str:
        """The hazard ratio the trial is simulated from, with the assumptions behind it."""
        words = cls.hazard_words(scenario.shape)
        if scenario.delay > 0 and scenario.early_hr != scenario.hr:
            effect = (f"{scenario.early_hr:.2f} for the first {scenario.delay:g} months, then "
                      f"{scenario.hr:.2f}")
        else:
            effect = f"{scenario.hr:.2f}"
        return (f"True hazard ratio of this simulation (treatment / control): {effect} "
                f"({words}: Weibull shape {scenario.shape:.2f}).")

    # -- the library calls
    def _analyse(self, scenario, seed):
        from ..simulate import simulate

        return analyze(simulate(scenario, seed), engine=self.engine, labels=self.labels)

    def scenario_from_controls(self) -> Scenario:
        """The scenario the controls describe now (raises ValueError if they describe none)."""
        scenario = self._scenario_without_dropout()
        c = self.controls
        if c["censoring_mode"].value == "share":
            dropout = dropout_for_censored_share(scenario, float(c["share_censored"].value))
        else:
            dropout = float(c["dropout"].value)
        return scenario.replace(dropout=dropout)

    def _scenario_without_dropout(self) -> Scenario:
        """The scenario of every control but the censoring ones, with no dropout."""
        c = self.controls
        # Fields without a control (allocation, shape, delay, ...) stay as the scenario had them.
        shape = float(c["shape"].value)
        fields = {
            "n": int(c["n"].value), "accrual": float(c["accrual"].value),
            "follow_up": float(c["follow_up"].value), "dropout": 0.0, "shape": shape,
            "delay": float(c["delay"].value),
        }
        median_control = float(c["median_control"].value)
        if c["effect_mode"].value == "hr":
            median_treatment = Scenario.from_hr(median_control, float(c["hr"].value),
                                                shape=shape).median_treatment
        else:
            median_treatment = float(c["median_treatment"].value)
        return self.initial_scenario.replace(median_control=median_control,
                                             median_treatment=median_treatment, **fields)

    def _fit_share_range(self, scenario) -> None:
        """Make the share-censored slider span the shares reachable with ``scenario``'s other
        settings (its value moves inside if it was outside), without an update."""
        low, high = _share_bounds(scenario)
        slider = self.controls["share_censored"]
        with self._hold():
            # Widen first, so that min never exceeds max on the way.
            slider.min, slider.max = min(slider.min, low), max(slider.max, high)
            slider.min, slider.max = low, high

    # -- callbacks
    @_friendly
    def _on_change(self, name, change=None):
        if self._holding:
            return
        if name in ("effect_mode", "censoring_mode"):
            self._switch_modes()
            if name == "effect_mode":
                return  # the same trial, described the other way
        self.refresh()

    def _switch_modes(self):
        c = self.controls
        by_hr = c["effect_mode"].value == "hr"
        c["hr"].layout.display = None if by_hr else "none"
        c["median_treatment"].layout.display = "none" if by_hr else None
        by_share = c["censoring_mode"].value == "share"
        c["share_censored"].layout.display = None if by_share else "none"
        c["dropout"].layout.display = "none" if by_share else None
        self._sync_hidden(self.scenario)

    def _sync_hidden(self, scenario):
        """Set the hidden twin controls to describe the current scenario (no update)."""
        c = self.controls
        with self._hold():
            if c["effect_mode"].value == "hr":
                c["median_treatment"].value = scenario.median_treatment
            else:
                c["hr"].value = round(scenario.hr, 2)
            if c["censoring_mode"].value == "share":
                c["dropout"].value = scenario.dropout
            else:
                c["share_censored"].value = round(expected_censored_share(scenario), 2)

    @_friendly
    def refresh(self) -> None:
        """Simulate and analyse the trial the controls describe, and show it."""
        self._fit_share_range(self._scenario_without_dropout())
        scenario = self.scenario_from_controls()
        seed = int(self.controls["seed"].value)
        analysis = self._analyse(scenario, seed)
        self.scenario, self.seed, self.analysis = scenario, seed, analysis
        self._show(analysis)
        self._sync_hidden(scenario)

    def _show(self, analysis):
        self.km.update(analysis)
        scenario = analysis.scenario
        truth = self.truth_sentence(scenario)
        drawn_for = ";".join(f"{k}={getattr(scenario, k):g}" for k in (
            "median_control", "median_treatment", "n", "accrual", "follow_up", "dropout", "shape",
            "delay"))
        with self.view.widget.hold_sync():  # picture, alt text, table and summary: one message
            self.view.render(f"{self.km.alt_text} {truth}", above=self.km.headline_html(),
                             below=self.km.table_html(), drawn_for=drawn_for)
            self._set_summary(f"{plots.describe(analysis)} {truth}",
                              "font-size:1.1em;line-height:1.4")
        self.assumption_readout.value = (
            f"<small>The {html.escape(self.hazard_words(scenario.shape))} (Weibull shape "
            f"{scenario.shape:.2f}); the treatment acts "
            + (f"after {scenario.delay:g} months" if scenario.delay > 0 else "from randomisation")
            + f". True hazard ratio: <b>{scenario.hr:.2f}</b>"
            + (f" after the delay ({scenario.early_hr:.2f} before)." if scenario.delay > 0 else ".")
            + "</small>")
        share = expected_censored_share(scenario)
        censored = sum(analysis.censored.values())
        self.readout.value = (
            "<small style='line-height:1.4;display:block'>"
            f"Expected censored: {share:.0%} of patients (dropout "
            f"{scenario.dropout:.0%} a year). This trial: {censored} of {analysis.total_n} "
            f"({censored / analysis.total_n:.0%}).</small>"
        )
        self._say(" ".join(analysis.problems), "warning" if analysis.problems else "info")
        if self.power_result is not None and self.power_result.scenario != scenario:
            self.power_text.value = (
                "<p><em>The many trials below were simulated for the settings before your last "
                f"change; press “Run {self.n_sims:,} trials” again.</em></p>"
                + self._power_html(self.power_result)
            )

    @property
    def summary_text(self) -> str:
        """The summary as plain text (what the figure's alt text also says), beginning
        "Showing the last valid trial: " after an invalid setting."""
        return ((STALE_PREFIX if self.stale else "") + plots.describe(self.analysis) + " "
                + self.truth_sentence(self.analysis.scenario))

    @_friendly
    def new_trial(self, _button=None) -> None:
        """Another trial with the same settings: the seed moves on by one (after the largest
        seed, back to 0)."""
        _next_seed(self.controls["seed"])

    @_friendly
    def reset(self, _button=None) -> None:
        """Back to the news story's scenario and the first seed."""
        c, s = self.controls, LAPATINIB
        with self._hold():
            c["effect_mode"].value = "medians"
            c["censoring_mode"].value = "dropout"
            for name in ("median_control", "median_treatment", "n", "accrual", "follow_up",
                         "dropout", "shape", "delay"):
                c[name].value = getattr(s, name)
            c["seed"].value = self.initial_seed
            self._switch_modes()
        self.refresh()

    @_friendly(stale=False)  # the trial shown is still the one the controls describe
    def run_trials(self, _button=None) -> None:
        """Simulate ``n_sims`` trials of the current scenario; show the dance and the power."""
        from ..montecarlo import power

        button = self.buttons["run_trials"]
        button.disabled, label = True, button.description
        button.description = "Running…"
        self.progress.value, self.progress.layout.display = 0, None
        self.power_text.value = (f"<p>Simulating {self.n_sims:,} trials of "
                                 f"{self.scenario.n:,} patients…</p>")
        try:
            self.progress_output.clear_output()
            with self.progress_output:  # tqdm's bar appears here for long runs
                result = power(self.scenario, n_sims=self.n_sims, seed=self.seed, progress=None)
            self.progress_output.clear_output()
            self.progress.value = self.n_sims
            self.power_result = result
            if self.dance is None:
                self.dance = plots.plot_dance(result)
                self.dance_view = FigureView(self.dance.figure, "es-dance", caption="none")
                self.power_box.children = (*self.power_box.children, self.dance_view.widget)
            else:
                self.dance.update(result)
            self.dance_view.render(self.dance.alt_text)
            self.power_text.value = self._power_html(result)
        finally:
            button.disabled, button.description = False, label
            self.progress.layout.display = "none"

    def _power_html(self, result) -> str:
        analytic = analytic_power(result.scenario, result.alpha)
        return (f'<p style="font-size:1.1em">{html.escape(str(result))} Schoenfeld\'s formula '
                f"predicts {analytic:.0%}.</p>")


def explore(scenario: Scenario = LAPATINIB, seed: int = 1, **options) -> TrialExplorer:
    """Show a :class:`TrialExplorer` for ``scenario`` in the notebook, and return it.

    Examples
    --------
    >>> import edu_survival as es
    >>> explorer = es.explore(es.LAPATINIB)  # doctest: +SKIP
    """
    explorer = TrialExplorer(scenario, seed, **options)
    from IPython import get_ipython
    from IPython.display import display

    display(explorer._display_bundle(), raw=True)
    explorer._shown_in = getattr(get_ipython(), "execution_count", None)
    return explorer


# ----- the dashboard ---------------------------------------------------------------------------
def _presentation_requested(query: str | None) -> bool:
    """Whether a page address's query (``presentation`` or ``view=presentation``) asks for it."""
    from urllib.parse import parse_qs

    fields = parse_qs(query or "", keep_blank_values=True)
    if "presentation" in fields:
        return fields["presentation"][-1].lower() not in ("0", "false", "no", "off")
    return "presentation" in fields.get("view", [])


class Dashboard:
    """What :func:`dashboard` returns: ``page`` (the widgets), ``explorer`` and ``switch``.

    Shown as a cell's value it is the live page, with the explorer's snapshot as the static
    fallback that a page without a kernel (GitHub, nbviewer) shows instead.
    """

    def __init__(self, page: W.VBox, explorer: TrialExplorer, switch: W.ToggleButton):
        self.page, self.explorer, self.switch = page, explorer, switch

    def _ipython_display_(self):
        from IPython.display import display

        bundle = dict(self.page._repr_mimebundle_())
        snap = self.explorer.snapshot()
        bundle["text/html"], bundle["text/plain"] = snap.html, str(snap)
        display(bundle, raw=True)


def dashboard(scenario: Scenario = LAPATINIB, seed: int = 1, *,
              presentation: bool | None = None) -> Dashboard:
    """The trial explorer dashboard: the news story, things to try and the explorer.

    A "Presentation view" switch folds the story and the suggestions away, so that on a
    1024 x 768 projector the sliders and the whole Kaplan–Meier plot are on screen together.

    Parameters
    ----------
    scenario, seed
        As for :class:`TrialExplorer`.
    presentation : bool, optional
        Start folded. By default the page's address decides: Voila passes its query to the
        kernel (``QUERY_STRING``), so ``...?presentation`` (or ``?view=presentation``) is a
        bookmarkable presentation view.

    Examples
    --------
    >>> board = dashboard(presentation=True)
    >>> board.switch.value, board.page.children[1].layout.display
    (True, 'none')
    """
    import os

    if presentation is None:
        presentation = _presentation_requested(os.environ.get("QUERY_STRING"))
    s = scenario
    intro = W.HTML(  # line-height: the widget's own (its control height) spaces prose apart
        '<div style="line-height:1.5">'
        f"<p>The news story: {s.n} patients with metastatic breast cancer (HER2-positive "
        f"circulating tumour cells), median overall survival <b>{s.median_control:g} months</b> "
        f"on chemotherapy alone and <b>{s.median_treatment:g} months</b> with lapatinib added. "
        "The curves below are a trial <em>simulated</em> from those summary figures: "
        "<b>not patient data</b>.</p>"
        "<p><b>Try this</b></p><ol>"
        f"<li>Drag <em>Median, control</em> from {s.median_control:g} down to 12 months. How far "
        "apart do the curves move? What happens to the hazard ratio and the p-value?</li>"
        f"<li>Halve <em>Patients</em> from {s.n} to about {s.n // 2}. The medians stay the same, "
        "but does the trial still show a difference?</li>"
        "<li>Press <em>New trial</em> a few times without changing anything: the same "
        "assumptions give different trials.</li>"
        "<li>Add censoring (shorter follow-up, or dropout). Where do the tick marks appear, and "
        "which numbers at risk shrink?</li></ol>"
        "<p>The sliders also work with the keyboard: Tab to a slider, then the arrow keys "
        "(small steps) or Page Up / Page Down (large steps).</p></div>", layout=_wide())
    intro.add_class("es-intro")
    switch = W.ToggleButton(value=bool(presentation), description="Presentation view",
                            icon="expand", layout=W.Layout(width="auto"))
    switch.add_class("es-presentation")

    def fold(change=None):
        intro.layout.display = "none" if switch.value else None
        switch.description = "Show the instructions" if switch.value else "Presentation view"

    switch.observe(fold, names="value")
    fold()
    explorer = TrialExplorer(scenario, seed)
    page = W.VBox([W.HBox([switch]), intro, explorer.widget], layout=_wide())
    return Dashboard(page, explorer, switch)


# ----- the censoring explorer ------------------------------------------------------------------
# The news story's design with 60 patients, so that every patient's line can be seen, and
# some dropout, so that patients are censored before the horizon. The horizon, 30 months, is
# past the shortest follow-up (24) but well before the longest (48), so both arms keep patients
# at risk there: at 36 months with 40 patients Kaplan–Meier often had nobody left (7 of 20
# arms for seeds 1-20) and fell to 0 on one late death. With 60 patients at 30 months, for
# seeds 1-100, Kaplan–Meier is closer to the same patients' full follow-up than both shortcuts
# in 150 of 200 arms (110 at 24 months, where few are censored before the horizon).
CENSORING_SCENARIO = LAPATINIB.replace(n=60, dropout=0.2)
CENSORING_HORIZON = 30.0

class CensoringExplorer(_Widget):
    """The same patients, followed for ever and as the analysis sees them.

    Left, a swimmer plot in calendar months: each patient's line runs from enrolment to death
    (×) or to censoring (|), the part the analysis cannot see dotted up to the death it will
    miss. Right, the Kaplan–Meier curves from what is seen, the true survival curves and, at
    a horizon, two shortcuts that ignore censoring; the table gives their errors.

    Parameters
    ----------
    scenario : Scenario
        The design (months); by default the news story's with 60 patients, so every line shows.
    seed : int
        Random seed; "new patients" moves it on by one.
    horizon : float
        Months from randomisation at which survival is compared (by default 30). Beyond an
        arm's last observed time Kaplan–Meier cannot be estimated, and the widget says so.

    Examples
    --------
    >>> explorer = CensoringExplorer(seed=2)
    >>> explorer.controls["follow_up"].value = 6
    >>> bool(explorer.table.loc[("control", "drop censored"), "error"] < 0)
    True
    """

    def __init__(self, scenario: Scenario = CENSORING_SCENARIO, seed: int = 1,
                 horizon: float = CENSORING_HORIZON):
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
        self._init_common()
        self.initial_scenario, self.scenario, self.seed = scenario, scenario, int(seed)
        F = W.FloatSlider
        self.controls = {
            "n": _slider(W.IntSlider, "Patients", scenario.n, 10, 200, 1),
            "accrual": _slider(F, "Accrual (months)", scenario.accrual, 0, 60, 1),
            "follow_up": _slider(F, "Further follow-up (months)", scenario.follow_up, 0, 60, 1),
            "dropout": _slider(F, "Dropout (lost per year)", scenario.dropout, 0, MAX_DROPOUT, 0.01,
                               readout_format=".0%"),
            "horizon": _slider(F, "Compare survival at (months)", horizon, 1, 60, 1),
            "seed": W.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Seed",
                                     style=_SLIDER_STYLE, layout=W.Layout(width="20em")),
        }
        self.buttons = {"new_patients": _button("New patients", "refresh")}
        self._text_panels()
        self._build_figure()
        self.view = FigureView(self.figure)
        self._update(scenario, self.seed, horizon)
        left = W.VBox([*self.controls.values(), self.buttons["new_patients"]],
                      layout=_slider_column())
        right = W.VBox([self.message, self.view.widget, self.table_widget,
                        W.HTML(f"<p><em>{html.escape(SIMULATED_NOTE)}</em></p>")],
                       layout=_figure_column())
        self.widget = W.Box([left, right], layout=W.Layout(display="flex", flex_flow="row wrap",
                                                           overflow="visible"))
        self.widget.add_class("es-censoring-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.buttons["new_patients"].on_click(self._new_patients)

    def _build_figure(self):
        from matplotlib.collections import LineCollection

        # The swimmer plot above the Kaplan–Meier plot, 8.5 inches wide like every widget
        # figure: side by side (13 inches) their text was 6 to 7 px in a 570 px column.
        table, swim_h, gap, km_h, top = plots.table_height(("at risk", "censored")), 3.4, 1.2, 3.5, 0.45
        height = table + km_h + gap + swim_h + top
        fig = plots.new_figure(8.5, height)
        self.figure = fig
        left, width = 0.14, 0.83
        with plots.mpl.rc_context(plots._RC):  # axes made here take the projector font sizes
            swim = fig.add_axes((left, (table + km_h + gap) / height, width, swim_h / height))
            km_ax = fig.add_axes((left, table / height, width, km_h / height))
        self.swim_ax, self.km_ax = swim, km_ax
        with plots.mpl.rc_context(plots._RC):
            swim.set_xlabel("Months since the trial opened")
            swim.set_ylabel("Patient (in order of enrolment)")
            swim.set_title("What happens, and what the analysis sees", loc="left", y=1.0, pad=8)
            self.seen = LineCollection([], linewidths=2.2)
            self.unseen = LineCollection([], linewidths=1.2, linestyles=(0, (1, 2)), colors="#999999")
            swim.add_collection(self.unseen)
            swim.add_collection(self.seen)
            (self.deaths_seen,) = swim.plot([], [], "x", color="black", markersize=7, mew=1.8,
                                            label="death seen")
            (self.deaths_missed,) = swim.plot([], [], "x", color="#999999", markersize=6, mew=1.4,
                                              label="death after censoring")
            (self.censor_marks,) = swim.plot([], [], "|", color="black", markersize=10, mew=1.8,
                                             label="censored")
            self.analysis_line = swim.axvline(0, color="black", linewidth=1.5, linestyle="--")
            self.analysis_label = swim.text(0, 1.0, " analysis", transform=swim.get_xaxis_transform(),
                                            va="top", fontsize=plots.SMALL)
            swim.legend(loc="lower right", fontsize=plots.SMALL, framealpha=0.9)
        self._placeholder = None

    @_friendly
    def _on_change(self, change=None):
        if self._holding:
            return
        c = self.controls
        scenario = self.initial_scenario.replace(
            n=int(c["n"].value), accrual=float(c["accrual"].value),
            follow_up=float(c["follow_up"].value), dropout=float(c["dropout"].value))
        self._update(scenario, int(c["seed"].value), float(c["horizon"].value))

    @_friendly
    def _new_patients(self, _button=None):
        _next_seed(self.controls["seed"])

    def _update(self, scenario, seed, horizon):
        full = full_follow_up(scenario, seed)
        analysis = analyze(full, engine=ENGINE)
        table = naive_estimates(full, horizon)
        self.scenario, self.seed, self.horizon = scenario, seed, horizon
        self.full, self.analysis, self.table = full, analysis, table
        self._draw_swimmers(full, scenario)
        if getattr(self, "km", None) is None:
            self.km = plots.plot_km(analysis, ax=self.km_ax, counts=("at risk", "censored"))
            self._add_truth_artists()
        else:
            self.km.update(analysis)
        self._draw_truth(scenario, table, horizon)
        text = self._sentence(analysis, table, horizon)
        with self.view.widget.hold_sync():
            self.view.render(f"Swimmer plot and Kaplan–Meier plot of {scenario.n} simulated "
                             f"patients. {text} {self.km.alt_text}")
            self._set_summary(text, "font-size:1.1em")
        self.table_widget.value = self._table_html(table)
        self._say(" ".join(analysis.problems), "warning" if analysis.problems else "info")

    def _draw_swimmers(self, full, scenario):
        order = np.argsort(full["entry"].to_numpy(), kind="stable")
        f = full.iloc[order]
        y = np.arange(1, len(f) + 1)
        entry, until, death_at = (f[k].to_numpy() for k in ("entry", "observed_until", "death_at"))
        seen = f["event"].to_numpy() == 1
        arm_pos = (f["arm"].to_numpy() == "treatment").astype(int)
        self.seen.set_segments([[(a, yi), (b, yi)] for a, b, yi in zip(entry, until, y, strict=True)])
        self.seen.set_color([plots.ARM_COLORS[p] for p in arm_pos])
        finite = np.isfinite(death_at)
        self.unseen.set_segments([[(b, yi), (d, yi)] for b, d, yi, ok, s in
                                  zip(until, death_at, y, finite, seen, strict=True) if ok and not s])
        self.deaths_seen.set_data(until[seen], y[seen])
        self.censor_marks.set_data(until[~seen], y[~seen])
        self.deaths_missed.set_data(death_at[~seen & finite], y[~seen & finite])
        t_end = scenario.analysis_time
        self.analysis_line.set_xdata([t_end, t_end])
        self.analysis_label.set_x(t_end)
        right = max(t_end * 1.6, np.nanmax(np.where(finite, death_at, 0)) * 0.5, 12)
        self.swim_ax.set_xlim(0, right)  # deaths far beyond are cut: they are dotted off the edge
        self.swim_ax.set_ylim(0, len(f) + 1)
        self.swim_ax.set_yticks(nice_times(len(f), 6)[1:])

    def _add_truth_artists(self):
        ax = self.km_ax
        self.truth_lines, self.shortcut_marks = {}, {}
        for pos in (0, 1):
            (self.truth_lines[pos],) = ax.plot([], [], color=plots.ARM_COLORS[pos], linewidth=1.2,
                                               alpha=0.7, linestyle=":", zorder=2)
            # Up: counting the censored as survivors (too rosy); down: dropping them (too grim).
            self.shortcut_marks[pos] = {
                method: ax.plot([], [], linestyle="none", marker=marker, markersize=10,
                                color=plots.ARM_COLORS[pos], markeredgecolor="black",
                                zorder=6)[0]
                for method, marker in (("share who died", "^"), ("drop censored", "v"))
            }
        self.horizon_line = ax.axvline(0, color=plots.GREY, linewidth=1, linestyle="-.")

    def _draw_truth(self, scenario, table, horizon):
        t = np.linspace(0, max(self.km_ax.get_xlim()[1], 1), 120)
        for pos, arm in ((0, "control"), (1, "treatment")):
            self.truth_lines[pos].set_data(t, scenario.survival(t, arm))
            for method, mark in self.shortcut_marks[pos].items():
                mark.set_data([horizon], [table.loc[(arm, method), "survival"]])
        self.horizon_line.set_xdata([horizon, horizon])

    @staticmethod
    def _no_value(table, arm, method) -> str:
        """Why ``method`` has no value (NaN) for ``arm`` in ``table``, in words."""
        if method == "Kaplan–Meier":
            return (f"cannot be estimated beyond {table.attrs['last_time'][arm]:.3g} months "
                    "(nobody left at risk)")
        return "cannot be computed (everyone was censored before then)"

    @classmethod
    def _sentence(cls, analysis, table, horizon):
        parts = []
        for arm in ("treatment", "control"):
            def says(method, arm=arm):
                value = table.loc[(arm, method), "survival"]
                return cls._no_value(table, arm, method) if np.isnan(value) else f"says {value:.0%}"
            sample = table.loc[(arm, "same patients, full follow-up"), "survival"]
            parts.append(
                f"{arm.capitalize()} arm: {sample:.0%} of these patients are really alive at {horizon:g} months; "
                f"Kaplan–Meier {says('Kaplan–Meier')}, counting the censored as survivors "
                f"{says('share who died')} and dropping them {says('drop censored')}")
        censored = sum(analysis.censored.values())
        return (f"{censored} of {analysis.total_n} patients are censored. " + ". ".join(parts)
                + ". On the plot, at the dash-dotted horizon, triangles pointing up mark counting the "
                "censored as survivors and pointing down dropping them; dotted curves are the "
                "true survival.")

    # The rows hold a proportion *alive*: name the shortcuts by what they do with the censored,
    # not "share who died" (whose row would show the share alive).
    _ROW_NAMES = {"share who died": "censored counted as alive", "drop censored": "censored dropped"}

    @classmethod
    def _table_html(cls, table) -> str:
        methods = list(dict.fromkeys(table.index.get_level_values("method")))
        head = "".join(f"<th>{html.escape(a)}</th>" for a in ("treatment", "control"))

        def cell(a, m):
            value, error = table.loc[(a, m), "survival"], table.loc[(a, m), "error"]
            if np.isnan(value):
                return f"<td>{html.escape(cls._no_value(table, a, m))}</td>"
            # "+0%" and "-0%" for errors that round to nothing read as a sign that matters
            shown = "±0%" if round(100 * error) == 0 else f"{error:+.0%}"
            return f"<td>{value:.0%} ({shown})</td>"

        rows = []
        for m in methods:
            cells = "".join(cell(a, m) for a in ("treatment", "control"))
            rows.append(f"<tr><th scope='row'>{html.escape(cls._ROW_NAMES.get(m, m))}</th>{cells}</tr>")
        return (f"<table><caption>Proportion alive at {table.attrs['horizon']:g} months "
                f"(error against the same patients with full follow-up)</caption>"
                f"<tr><th>method</th>{head}</tr>{''.join(rows)}</table>")


# ----- the Kaplan–Meier stepper ---------------------------------------------------------------
class KMStepper(_Widget):
    """Step through the Kaplan–Meier calculation on a dozen patients, one time at a time.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Columns ``time`` (months) and ``event`` (1 death, 0 censored), at most 40 rows;
        by default :func:`edu_survival.lifetable.example_patients`.

    Examples
    --------
    >>> stepper = KMStepper()
    >>> stepper.buttons["next"].click(); stepper.buttons["next"].click()
    >>> stepper.step, round(stepper.current_survival, 3)
    (2, 0.833)
    """

    def __init__(self, data=None):
        self._init_common()
        self.data = example_patients() if data is None else data
        if not hasattr(self.data, "columns") or not {"time", "event"} <= set(self.data.columns):
            raise ValueError("data must be a DataFrame with columns 'time' (months) and 'event' "
                             f"(1 death, 0 censored); got {type(self.data).__name__}")
        if len(self.data) > 40:
            raise ValueError(f"data must have at most 40 patients to follow by hand; got {len(self.data)}")
        if len(self.data) == 0:
            raise ValueError("data has no rows")
        _check_times(self.data, "time")  # the same checks as analyze
        _check_events(self.data, "event")
        self.table = life_table(self.data["time"], self.data["event"])
        self.step = 0
        self.controls = {"step": W.IntSlider(value=0, min=0, max=len(self.table),
                                             description="Step", style=_SLIDER_STYLE,
                                             layout=_wide(), continuous_update=True)}
        self.buttons = {"previous": _button("Previous", "step-backward"),
                        "next": _button("Next", "step-forward"),
                        "start": _button("Start over", "fast-backward")}
        self._text_panels()
        self._build_figure()
        self.view = FigureView(self.figure, caption="top")
        self.controls["step"].observe(self._on_step, names="value")
        self.buttons["previous"].on_click(lambda _: self._go(self.step - 1))
        self.buttons["next"].on_click(lambda _: self._go(self.step + 1))
        self.buttons["start"].on_click(lambda _: self._go(0))
        self._draw()
        source = self.data.attrs.get("source", "")
        note = f"Data {source}." if source else ""
        self.widget = W.VBox([
            W.HBox([self.buttons["start"], self.buttons["previous"], self.buttons["next"]]),
            self.controls["step"], self.message, self.view.widget, self.table_widget,
            W.HTML(f"<p><em>{html.escape(note)}</em></p>")])
        self.widget.add_class("es-km-stepper")

    @property
    def current_survival(self) -> float:
        """The Kaplan–Meier estimate after the rows shown so far."""
        return 1.0 if self.step == 0 else float(self.table["survival"].iloc[self.step - 1])

    def _build_figure(self):
        fig = plots.new_figure(8.5, 7.5)
        gs = fig.add_gridspec(2, 1, height_ratios=[1.1, 1], left=0.12, right=0.97, top=0.93,
                              bottom=0.09, hspace=0.4)
        self.figure = fig
        with plots.mpl.rc_context(plots._RC):  # axes made here take the projector font sizes
            km, pts = fig.add_subplot(gs[0]), fig.add_subplot(gs[1], sharex=None)
        self.km_ax, self.patients_ax = km, pts
        t_end = (float(self.data["time"].max()) or 1.0) * 1.05  # all times 0: still a visible axis
        table = self.table
        with plots.mpl.rc_context(plots._RC):
            km.set_ylim(0, 1.05)
            km.set_xlim(0, t_end)
            km.set_ylabel("Proportion alive")
            km.set_title("Kaplan–Meier estimate so far", loc="left", y=1.0, pad=8)
            x, y = plots._steps(np.r_[0.0, table["time"]], np.r_[1.0, table["survival"]])
            km.plot(x, y, color="#bbbbbb", linestyle=":", linewidth=1.5)  # the whole curve, faint
            (self.curve,) = km.plot([], [], color=plots.ARM_COLORS[1], linewidth=2.6)
            (self.point,) = km.plot([], [], "o", color=plots.ARM_COLORS[1], markersize=9)
            self.now_km = km.axvline(0, color=plots.GREY, linewidth=1, linestyle="--")
            order = np.argsort(self.data["time"].to_numpy(), kind="stable")
            self._order = order
            n = len(order)
            self._t = self.data["time"].to_numpy()[order]
            self._e = self.data["event"].to_numpy()[order]
            pts.set_xlim(0, t_end)
            pts.set_ylim(0.3, n + 0.7)
            pts.set_yticks(np.arange(1, n + 1), [str(p) for p in self.data["patient"].to_numpy()[order]]
                           if "patient" in self.data else np.arange(1, n + 1))
            pts.set_ylabel("Patient")
            pts.set_xlabel("Months since randomisation")
            ys = np.arange(1, n + 1)
            self.bars = pts.hlines(ys, 0, self._t, linewidth=5)
            (self.deaths,) = pts.plot(self._t[self._e == 1], ys[self._e == 1], "x", color="black",
                                      markersize=9, mew=2)
            (self.censors,) = pts.plot(self._t[self._e == 0], ys[self._e == 0], "|", color="black",
                                       markersize=14, mew=2)
            self.now_pts = pts.axvline(0, color=plots.GREY, linewidth=1, linestyle="--")
            self.at_risk_label = pts.set_title("", loc="left", y=1.0, pad=6)

    @_friendly
    def _on_step(self, change):
        if self._holding:
            return
        self.step = int(change["new"])
        self._draw()

    @_friendly
    def _go(self, step):
        self.controls["step"].value = int(min(max(step, 0), len(self.table)))

    def _draw(self):
        k, table = self.step, self.table
        shown = table.iloc[:k]
        x, y = plots._steps(np.r_[0.0, shown["time"]], np.r_[1.0, shown["survival"]])
        self.curve.set_data(x, y)
        now = float(shown["time"].iloc[-1]) if k else 0.0
        self.point.set_data([now], [self.current_survival])
        for line in (self.now_km, self.now_pts):
            line.set_xdata([now, now])
        # The life table's at-risk count: the patients followed longest (the bars are in order of
        # follow-up, ties in data order), those still followed just before this time.
        n = len(self._t)
        at_risk = int(shown["at_risk"].iloc[-1]) if k else n
        self.bars.set_color([plots.ARM_COLORS[1] if i >= n - at_risk else "#cccccc"
                             for i in range(n)])
        if k == 0:
            everyone = "The 1 patient starts" if n == 1 else f"All {n} patients start"
            text = (f"{everyone} alive: survival is 1. Press Next to go to "
                    "the first time a patient dies or is censored.")
            self.at_risk_label.set_text(f"{'' if n == 1 else 'All '}{_plural(n, 'patient')} at risk")
        else:
            row = shown.iloc[-1]
            what = []
            if row["deaths"]:
                what.append(f"{int(row['deaths'])} died")
            if row["censored"]:
                what.append(f"{int(row['censored'])} censored (still counted at risk at this time)")
            at = int(row["at_risk"])
            text = (f"Step {k} of {len(table)}: at {row['time']:g} months {_plural(at, 'patient')} "
                    f"{'was' if at == 1 else 'were'} at risk; {' and '.join(what)}. Chance of surviving this time: "
                    f"{row['factor_text']}. Survival so far: {row['product_text']}.")
            self.at_risk_label.set_text(f"{int(row['at_risk'])} at risk just before "
                                        f"{row['time']:g} months (coloured)")
        self.summary_text = text
        self.table_widget.value = self._table_html(k)
        with self.view.widget.hold_sync():
            self._set_summary(text, "font-size:1.15em")
            self.view.render(f"Kaplan–Meier curve built step by step from "
                             f"{_plural(n, 'patient')}, with their follow-up below. {text}")
        self._say()

    def _table_html(self, k) -> str:
        head = ("<tr><th>months</th><th>at risk</th><th>died</th><th>censored</th>"
                "<th>chance of surviving this time</th><th>survival so far</th></tr>")
        rows = []
        for i, row in self.table.iloc[:k].iterrows():
            style = ' style="font-weight:bold;background:#eef5fb"' if i == k - 1 else ""
            rows.append(f"<tr{style}><td>{row['time']:g}</td><td>{row['at_risk']}</td>"
                        f"<td>{row['deaths']}</td><td>{row['censored']}</td>"
                        f"<td>{html.escape(row['factor_text'])}</td>"
                        f"<td>{html.escape(row['product_text'])}</td></tr>")
        return (f"<table class='es-life-table'><caption>The life table so far</caption>{head}"
                f"{''.join(rows)}</table>")
