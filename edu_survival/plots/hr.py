"""The forest plot: hazard ratios with their confidence intervals on a log scale."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from ..analyze import Analysis
from .figure import _own_axes, _Shown, _text_width_px
from .style import _RC, ARM_COLORS, FONT, GREY, SMALL, STYLE

_ESTIMATE, _TRUTH = STYLE["markers"]["estimate"], STYLE["markers"]["truth"]


class HRPlot(_Shown):
    """Hazard ratios with confidence intervals on a log scale (see :func:`plot_hr`)."""

    def __init__(self, results, ax=None, *, true_hr: bool = True):
        rows = _as_rows(results)
        fig, ax = _own_axes(ax, 8.5, 2.1 + 0.62 * len(rows))
        self.owns_figure = ax is None
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.3, right=0.72, top=1 - 0.5 / fig.get_figheight(),
                                    bottom=1.25 / fig.get_figheight())
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            ax.tick_params(axis="y", labelsize=SMALL)
            self.n_rows = len(rows)
            y = np.arange(self.n_rows)[::-1]
            self._y = y
            ax.set_ylim(-0.7, self.n_rows - 0.3)
            ax.set_xscale("log")
            ax.axvline(1.0, color=GREY, linewidth=1.2, zorder=1)
            ax.spines["left"].set_visible(False)
            ax.yaxis.set_major_locator(FixedLocator(y))
            ax.tick_params(axis="y", length=0)
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            self.ci_lines = [ax.plot([], [], color="black", linewidth=2, solid_capstyle="butt")[0]
                             for _ in y]
            (self.points,) = ax.plot([], [], linestyle="none", marker=_ESTIMATE["marker"],
                                     markersize=_ESTIMATE["size"],
                                     color=ARM_COLORS[1], zorder=3)
            (self.truth,) = ax.plot([], [], linestyle="none", marker=_TRUTH["marker"],
                                    markersize=_TRUTH["size"],
                                    markerfacecolor="white", markeredgecolor="black",
                                    markeredgewidth=1.5, zorder=4, label="true hazard ratio")
            self.show_truth = true_hr
            trans = blended_transform_factory(ax.transAxes, ax.transData)
            self.values = [ax.text(1.03, yi, "", transform=trans, va="center", fontsize=SMALL,
                                   clip_on=False) for yi in y]
            ax.text(1.03, self.n_rows - 0.45, "HR (95% CI)", transform=trans, va="bottom",
                    fontsize=SMALL, fontweight="bold", clip_on=False)
            ax.set_xlabel("Hazard ratio (log scale)")
            # Below the axis title (a fixed distance in points whatever the number of rows),
            # from the figure's left edge, where it has the whole width.
            below = ScaledTranslation(0, -(2 * FONT + 3.5 + 2 * 3.5 + 10) / 72,
                                      fig.dpi_scale_trans)
            self.favours = ax.text(0.02, 0.0, "", fontsize=SMALL - 1, color=GREY, va="top",
                                   transform=blended_transform_factory(fig.transFigure,
                                                                       ax.transAxes) + below)
        self.update(results)

    def update(self, results) -> HRPlot:
        """Show new results (the same number of rows) by changing the existing artists."""
        rows = _as_rows(results)
        if len(rows) != self.n_rows:
            raise ValueError(f"results must have {self.n_rows} rows, as when the plot was made; "
                             f"got {len(rows)}")
        names, px, py, tx, ty, spans, sentences = [], [], [], [], [], [], []
        for (name, a), yi, line, text in zip(rows, self._y, self.ci_lines, self.values,
                                             strict=True):
            names.append(name)
            if a.hr_defined:
                lo, hi = a.hr_ci
                px.append(a.hr)
                py.append(yi)
                line.set_data(np.array([lo, hi]), np.array([yi, yi], float))
                spans += [lo, hi, a.hr]
                text.set_text(f"{a.hr:.2f} ({lo:.2f} to {hi:.2f})")
                sentences.append(f"{name}: {a.hr:.2f} (95% CI {lo:.2f} to {hi:.2f})")
            else:
                line.set_data([], [])
                text.set_text("undefined")
                sentences.append(f"{name}: undefined ({' '.join(a.problems[:1])})")
            scenario = a.scenario
            if self.show_truth and scenario is not None and getattr(scenario, "hr", None):
                tx.append(scenario.hr)
                ty.append(yi)
                spans.append(scenario.hr)
        self.points.set_data(np.asarray(px, float), np.asarray(py, float))
        self.truth.set_data(np.asarray(tx, float), np.asarray(ty, float))
        self.ax.set_yticks(self._y, self._fit_labels(names))
        finite = [v for v in spans if math.isfinite(v) and v > 0] + [1.0]
        lo, hi = min(finite), max(finite)
        lo, hi = max(lo / 1.15, 1 / 50), min(hi * 1.15, 50)
        self.ax.set_xlim(lo, hi)
        ticks = [v for v in (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20, 50)
                 if lo <= v <= hi]
        self.ax.xaxis.set_major_locator(FixedLocator(ticks))
        first = rows[0][1]
        other = first.labels[first.other]
        self.favours.set_text(f"Hazard ratio < 1: a lower hazard (death rate) with {other}\n"
                              f"Hazard ratio > 1: a higher hazard with {other}")
        truth = " Open diamonds: the true hazard ratio of the simulation." if tx else ""
        self.alt_text = ("Forest plot of hazard ratios on a log scale with the line of no effect "
                         f"at 1. {'; '.join(sentences)}.{truth}")
        return self


    _LABEL_MAX_IN = 3.0  # row labels wrap at this width (inches); the margin grows to fit them

    def _fit_labels(self, names):
        """Row labels wrapped to at most :attr:`_LABEL_MAX_IN` inches, and (in a figure of its
        own) a left margin wide enough for the widest, so that no label is ever cut."""
        import textwrap

        def width_in(text):
            return _text_width_px(self.figure, text, SMALL) / self.figure.dpi

        fitted = []
        for name in names:
            text = str(name)
            for chars in range(max(len(text), 1), 7, -1):
                if width_in(text) <= self._LABEL_MAX_IN:
                    break
                text = "\n".join(textwrap.wrap(str(name), chars, break_long_words=True))
            fitted.append(text)
        if self.owns_figure:
            widest = max(width_in(t) for t in fitted)
            left = (widest + 0.35) / self.figure.get_figwidth()  # labels, tick pad, a margin
            self.figure.subplots_adjust(left=max(left, 0.12))
        return fitted


def _as_rows(results):
    if isinstance(results, Analysis):
        a = results
        return [(f"{a.labels[a.other]} vs {a.labels[a.reference]}", a)]
    if isinstance(results, Mapping):
        rows = list(results.items())
    elif isinstance(results, Sequence) and not isinstance(results, str):
        rows = [(f"trial {i + 1}", a) for i, a in enumerate(results)]
    else:
        raise ValueError("results must be an Analysis, a list of them or a dict name -> Analysis; "
                         f"got {type(results).__name__}")
    if not rows:
        raise ValueError("results must hold at least one Analysis; got none")
    for name, a in rows:
        if not isinstance(a, Analysis):
            raise ValueError(f"results[{name!r}] must be an Analysis; got {type(a).__name__}")
    return rows


def plot_hr(results, ax=None, *, true_hr: bool = True) -> HRPlot:
    """Hazard ratio and confidence interval on a log scale, with the line of no effect.

    One trial, or several scenarios forest style, one row each.

    Parameters
    ----------
    results : Analysis, list of Analysis or dict of name -> Analysis
        What to show; a dict's keys label the rows.
    ax : matplotlib Axes, optional
        Where to draw (leave room at the right for the numbers); by default a new figure.
    true_hr : bool
        For simulated trials, mark the hazard ratio they were simulated from (open diamond).

    Returns
    -------
    HRPlot
        With ``figure``, ``ax``, ``points`` (the estimates), ``ci_lines``, ``alt_text`` and
        ``update(new_results)`` (same number of rows).

    Examples
    --------
    >>> import edu_survival as es
    >>> trials = {f"seed {s}": es.analyze(es.simulate(es.LAPATINIB, seed=s)) for s in (1, 2)}
    >>> plot = plot_hr(trials)
    >>> [t.get_text() for t in plot.values]
    ['0.80 (0.61 to 1.03)', '0.67 (0.52 to 0.87)']
    """
    return HRPlot(results, ax, true_hr=true_hr)
