"""Plots that teach: Kaplan–Meier curves, hazard ratios, log-log curves, the dance of the p-values
and of the confidence intervals, power.

Every function takes a result (an :class:`~edu_survival.analyze.Analysis`, a
:class:`~edu_survival.montecarlo.PowerResult` or a power-curve table), draws into ``ax`` (or a
new figure of its own) and returns a plot object with ``figure``, ``ax``, ``alt_text`` (a
sentence saying what the plot shows) and ``update(new_result)``, which changes the existing
artists in place, so a widget can redraw the same figure many times a second.

One palette runs through all plots: the reference (control) arm is vermillion with dashed
lines, the other (treatment) arm blue with solid lines (Okabe–Ito colours, safe for colour
blindness, and the line styles keep the arms apart in greyscale). Fonts are sized to be read
on a projector. Figures made here use the Agg canvas directly (``matplotlib.figure.Figure``),
so they never display themselves; :func:`png_bytes` turns one into a PNG.

The rooms, bottom up: ``style`` (the one definition of colours, dashes, markers, fonts and
labels, plain data a browser view can read too), ``figure`` (figures on their own canvas,
PNGs, display), ``text`` (the words plots share), then one module per plot family: ``km``
with ``km_table`` (Kaplan–Meier with its numbers at risk), ``hr`` (forest plot), ``dance``,
``loglog``, ``power_curve``, ``chance`` (could chance alone open a reported gap?) and
``reconstruction``.
"""

import matplotlib as mpl  # noqa: F401  (plots.mpl.rc_context(plots._RC), as the widgets use it)

from . import km_pair as km_pair
from .chance import ChanceGapsPlot, plot_chance_gaps
from .competing import CompetingPlot, plot_competing
from .dance import COVER_COLORS, DancePlot, plot_dance
from .figure import _steps as _steps
from .figure import draw, img_html, new_figure, png_bytes
from .hr import HRPlot, plot_hr
from .km import KMPlot, plot_km
from .km_pair import KMPairPlot, plot_endpoints, plot_km_pair, plot_responders
from .km_table import table_height, table_times
from .loglog import LogLogPlot, plot_loglog
from .looks import LooksPlot, StoppingPlot, plot_looks, plot_stopping
from .power_curve import PowerCurvePlot, plot_power_curve
from .reconstruction import ReconstructionPlot, plot_reconstruction
from .style import _DRAW_RC as _DRAW_RC
from .style import _RC as _RC
from .style import (
    ARM_COLORS,
    ARM_LINESTYLES,
    ARM_TEXT_COLORS,
    AXIS_NAMES,
    COUNT_NAMES,
    DPI,
    MIN_AT_RISK,
    SIMULATED_CAPTION,
    STYLE,
    arm_style,
    style_spec,
)
from .style import FONT as FONT
from .style import GREY as GREY
from .style import SMALL as SMALL
from .text import describe, time_phrase

__all__ = [
    "CompetingPlot",
    "KMPairPlot",
    "LooksPlot",
    "StoppingPlot",
    "plot_competing",
    "plot_endpoints",
    "plot_km_pair",
    "plot_looks",
    "plot_responders",
    "plot_stopping",
    "ARM_COLORS",
    "AXIS_NAMES",
    "COUNT_NAMES",
    "SIMULATED_CAPTION",
    "ARM_LINESTYLES",
    "ARM_TEXT_COLORS",
    "DPI",
    "COVER_COLORS",
    "ChanceGapsPlot",
    "DancePlot",
    "HRPlot",
    "KMPlot",
    "LogLogPlot",
    "MIN_AT_RISK",
    "PowerCurvePlot",
    "ReconstructionPlot",
    "STYLE",
    "arm_style",
    "describe",
    "draw",
    "img_html",
    "new_figure",
    "plot_chance_gaps",
    "plot_dance",
    "plot_hr",
    "plot_km",
    "plot_loglog",
    "plot_power_curve",
    "plot_reconstruction",
    "png_bytes",
    "style_spec",
    "table_height",
    "table_times",
    "time_phrase",
]
