"""What every widget's controls share: the engine, slider and button makers, column layouts.

Sliders (:mod:`~edu_survival.widgets.sliders`: the newest value wins) widen to hold a value
set from code rather than clamping it silently; layouts are
"auto" wide and never scroll sideways (issue 15); the figure's column is at least
:data:`FIGURE_MIN_PX` wide so that its smallest text stays legible.
"""

from __future__ import annotations

import math

import ipywidgets as W

from ..censoring import censored_share_range
from .sliders import FloatSlider, IntSlider


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


# ipywidgets' slider classes, as the widgets name them, to the newest-wins sliders (sliders.py).
_NEWEST_WINS = {W.FloatSlider: FloatSlider, W.IntSlider: IntSlider}


def _slider(cls, description, value, lo, hi, step, *, widen=True, **kw):
    """A slider from ``lo`` to ``hi``, wider if ``value`` (e.g. a scenario's) lies outside;
    with ``widen``, values set later from code widen it too, instead of being clamped
    silently (dragging stays within the range; invalid values get the library's message).
    ``cls`` is ``ipywidgets.FloatSlider`` or ``IntSlider``; the slider made behaves as one, but
    its newest value wins (see :mod:`~edu_survival.widgets.sliders`)."""
    return _NEWEST_WINS[cls](value=value, min=min(lo, value), max=max(hi, value), step=step,
                             description=description, widen=widen, style=_SLIDER_STYLE,
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
