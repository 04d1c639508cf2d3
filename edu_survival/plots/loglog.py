"""The log-log plot: a picture of whether the hazards are proportional."""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from ..analyze import Analysis, nice_times
from .figure import _check_analysis, _own_axes, _Shown, _steps
from .style import _RC, GRID, SIMULATED_CAPTION, SMALL, STYLE, arm_style
from .text import _fmt_t, time_phrase

_WORDS = [arm["words"] for arm in STYLE["arms"]]  # "solid blue", ...


class LogLogPlot(_Shown):
    """log(−log S(t)) against log time for both arms (see :func:`plot_loglog`)."""

    def __init__(self, analysis: Analysis, ax=None):
        _check_analysis(analysis)
        fig, ax = _own_axes(ax, 8.5, 5.6)
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.13)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_ylabel("log(−log S(t))")
            ax.grid(color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            self.lines = {}
            for pos in (1, 0):
                style = arm_style(pos)
                (self.lines[pos],) = ax.plot([], [], color=style["color"],
                                             linestyle=style["linestyle"])
            self.legend = ax.legend([self.lines[1], self.lines[0]], ["", ""], loc="upper left",
                                    framealpha=0.9)
            self.title = ax.set_title(
                "Parallel curves: proportional hazards (the gap is the log hazard ratio).\n"
                "Curves that meet, cross or move apart: hazards not proportional.",
                loc="left", fontsize=SMALL, linespacing=1.3, y=1.0, pad=8)
        self.update(analysis)

    def update(self, analysis: Analysis) -> LogLogPlot:
        """Show another analysis by changing the existing artists."""
        _check_analysis(analysis)
        self.analysis = analysis
        arms = {0: analysis.reference, 1: analysis.other}
        xs, ys = [], []
        for pos, arm in arms.items():
            curve = analysis.curves[arm]
            keep = (curve.time > 0) & (curve.survival > 0) & (curve.survival < 1)
            t, y = curve.time[keep], np.log(-np.log(curve.survival[keep]))
            self.lines[pos].set_data(*_steps(t, y))
            xs.append(t)
            ys.append(y)
        t_all, y_all = np.concatenate(xs), np.concatenate(ys)
        if len(t_all):
            self.ax.set_xlim(t_all.min() / 1.2, t_all.max() * 1.2)
            pad = max(0.1, 0.05 * (y_all.max() - y_all.min()))
            self.ax.set_ylim(y_all.min() - pad, y_all.max() + pad)
        for text, pos in zip(self.legend.get_texts(), (1, 0), strict=True):
            text.set_text(analysis.labels[arms[pos]])
        phrase = time_phrase(analysis)
        self.ax.set_xlabel(f"{phrase[0].upper() + phrase[1:]} (log scale)")
        self.gaps = self._gaps(analysis)
        gap_text = ""
        if self.gaps:
            gap_text = (" Here the gap, " + analysis.labels[analysis.other] + " minus "
                        + analysis.labels[analysis.reference] + ", is "
                        + ", ".join(f"{g:+.2f} at {_fmt_t(t)} {analysis.unit}"
                                    for t, g in self.gaps) + ".")
            if analysis.hr_defined:
                gap_text += (f" Under proportional hazards it would be the log of the Cox hazard "
                             f"ratio everywhere: log {analysis.hr:.2f} = {math.log(analysis.hr):+.2f}.")
        elif not len(t_all):
            gap_text = " No curve has fallen yet (no deaths), so there is nothing to draw."
        self.alt_text = (
            f"Log-log plot: log(−log S(t)), the log of the cumulative hazard from the "
            f"Kaplan–Meier curve, against {phrase} on a log scale, for "
            f"{analysis.labels[arms[1]]} ({_WORDS[1]}) and {analysis.labels[arms[0]]} "
            f"({_WORDS[0]}). Under proportional hazards the two curves are parallel: the vertical "
            "gap between them is the log hazard ratio at every time. Curves that meet, cross or "
            "move apart say the hazards are not proportional, and a single hazard ratio then "
            f"averages an effect that changes over time.{gap_text}"
            + (f" {SIMULATED_CAPTION}." if analysis.simulated else "")
        )
        return self

    @staticmethod
    def _gaps(analysis):
        """The vertical gap (other arm minus reference) at up to four round times at which
        both curves are below 1 and above 0."""
        ref, oth = analysis.curves[analysis.reference], analysis.curves[analysis.other]
        out = []
        t_end = min(float(ref.time[-1]), float(oth.time[-1]))
        for t in nice_times(t_end, 5)[1:]:
            s_ref, s_oth = float(ref.at(t)[()]), float(oth.at(t)[()])
            if 0 < s_ref < 1 and 0 < s_oth < 1:
                out.append((float(t), math.log(-math.log(s_oth)) - math.log(-math.log(s_ref))))
        return out


def plot_loglog(analysis: Analysis, ax=None) -> LogLogPlot:
    """The log-log plot: a picture of whether the hazards are proportional.

    Draws log(−log S(t)) from each arm's Kaplan–Meier curve against time on a log scale.
    If the hazards are proportional, the curves are parallel and the vertical gap between
    them is the log hazard ratio; curves that meet, cross or move apart say the hazards are
    not proportional (a delayed effect, an effect that wears off). Straight lines mean
    Weibull survival, with the shape as their slope. Few deaths make the ends ragged: judge
    the middle. For a test rather than a picture, see ``Analysis.ph_test``.

    Parameters
    ----------
    analysis : Analysis
        From :func:`edu_survival.analyze`.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    LogLogPlot
        With ``figure``, ``ax``, ``lines`` (by arm position: 0 reference, 1 other), ``gaps``
        (``(time, gap)`` pairs at round times), ``alt_text`` and ``update(new_analysis)``.

    Examples
    --------
    >>> import edu_survival as es
    >>> plot = plot_loglog(es.analyze(es.simulate(es.LAPATINIB, seed=1)))
    >>> [(t, round(gap, 2)) for t, gap in plot.gaps]
    [(12.0, -0.23), (24.0, -0.3), (36.0, -0.14)]
    """
    return LogLogPlot(analysis, ax)
