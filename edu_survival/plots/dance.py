"""The dance of the p-values, and of the confidence intervals, over simulated trials."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..analysis.words import level_of
from .figure import _own_axes, _Shown, _text_width_px, new_figure
from .style import _RC, ARM_COLORS, COVER_COLORS, FONT, GREY, SMALL, STYLE

_TRIAL = STYLE["markers"]["trial"]

_P_FLOOR = 1e-6  # p-values below this are drawn on the floor of the log axis
_HR_LIMITS = (1 / 20, 20)  # intervals reaching beyond are drawn to the edge of the axis
_DANCE_SHOWS = ("both", "p", "intervals")


def _outside_legend(ax, handles, labels):
    """A legend in the margin right of ``ax``: it can never hide a point."""
    return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.015, 1.0),
                     borderaxespad=0.0, frameon=False, handlelength=1.6,
                     fontsize=SMALL)


class DancePlot(_Shown):
    """p-values and hazard-ratio intervals of many simulated trials (see :func:`plot_dance`)."""

    def __init__(self, result, ax=None, *, n_show: int | None = 100, show: str | None = None):
        ax, pair, show = _check_dance_args(result, ax, n_show, show)
        self.n_show, self.show = n_show, show
        fig, p_ax, hr_ax = _dance_axes(ax, pair, show)
        self.figure, self.ax, self.hr_ax = fig, p_ax if p_ax is not None else hr_ax, hr_ax
        self.p_ax = p_ax
        self.significant = self.not_significant = self.threshold = self.legend = None
        self.title = self.hr_title = self.intervals = self.hr_points = self.true_line = None
        with mpl.rc_context(_RC):
            if p_ax is not None:
                self._build_p(p_ax)
            if hr_ax is not None:
                self._build_intervals(hr_ax)
            (hr_ax if hr_ax is not None else p_ax).set_xlabel(
                "Simulated trial (simulated data, not patient data)")
        self.update(result)

    def _build_p(self, p_ax):
        p_ax.set_yscale("log")
        p_ax.set_ylim(_P_FLOOR / 2, 1.5)
        p_ax.yaxis.set_major_locator(FixedLocator([1e-6, 1e-4, 1e-3, 0.01, 0.05, 1]))
        p_ax.yaxis.set_minor_locator(NullLocator())
        p_ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: "≤ 1e-06" if v <= _P_FLOOR else f"{v:g}"))
        p_ax.set_ylabel("p-value (log scale)")
        self.threshold = p_ax.axhline(0.05, color="black", linewidth=1.2, linestyle="--")
        (self.significant,) = p_ax.plot([], [], _TRIAL["marker"], color="black",
                                     markersize=_TRIAL["size"])
        (self.not_significant,) = p_ax.plot([], [], _TRIAL["marker"], markerfacecolor="white",
                                            markeredgecolor=GREY, markersize=_TRIAL["size"])
        self.legend = _outside_legend(
            p_ax, [self.significant, self.not_significant, self.threshold],
            ["significant", "not significant", "threshold"])
        self.title = p_ax.set_title("", loc="left", y=1.0, pad=8)

    def _build_intervals(self, hr_ax):
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D

        hr_ax.set_yscale("log")
        hr_ax.yaxis.set_minor_locator(NullLocator())
        hr_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        hr_ax.set_ylabel("Hazard ratio (log scale)")
        self.no_effect = hr_ax.axhline(1.0, color=STYLE["colors"]["no_effect"], linewidth=1.0,
                                        zorder=1)
        self.intervals = LineCollection([], linewidths=1.6, zorder=2)
        hr_ax.add_collection(self.intervals)
        (self.hr_points,) = hr_ax.plot([], [], "o", color="black", markersize=3, zorder=3)
        self.true_line = hr_ax.axhline(1.0, color=ARM_COLORS[1], linewidth=1.8, linestyle="--",
                                       zorder=4)
        handles = [Line2D([], [], color=COVER_COLORS[1], linewidth=1.6),
                   Line2D([], [], color=COVER_COLORS[0], linewidth=1.6), self.true_line,
                   self.no_effect]
        self.hr_legend = _outside_legend(
            hr_ax, handles, ["contains the\ntrue HR", "misses it", "true HR", "no effect (1)"])
        self.hr_title = hr_ax.set_title("", loc="left", y=1.0, pad=8, fontsize=SMALL,
                                        linespacing=1.3)

    def update(self, result) -> DancePlot:
        """Show another PowerResult by changing the existing artists."""
        _check_power_result(result)
        if self.hr_ax is not None and getattr(result, "hr_lower", None) is None:
            raise ValueError("result has no confidence intervals (hr_lower, hr_upper); make it "
                             "with edu_survival.power")
        self.result = result
        k = result.n_sims if self.n_show is None else min(self.n_show, result.n_sims)
        self.k = k
        trial = np.arange(1, k + 1)
        (self.p_ax or self.hr_ax).set_xlim(0, k + 1)
        from ..montecarlo import _rate_name

        name = ("The dance of the p-values" if self.hr_ax is None else
                "The dance of the confidence intervals" if self.p_ax is None else
                "The dance of the p-values and of the confidence intervals")
        parts = [f"{name}: the first {k:,} of {result.n_sims:,} simulated trials of the same "
                 "design."]
        if self.p_ax is not None:
            p = np.asarray(result.p_values[:k], dtype=float)
            shown = np.clip(p, _P_FLOOR, None)
            sig = p < result.alpha  # NaN compares False: not significant
            self.significant.set_data(trial[sig], shown[sig])
            ok = ~sig & np.isfinite(p)
            self.not_significant.set_data(trial[ok], shown[ok])
            self.threshold.set_ydata([result.alpha, result.alpha])
            self.legend.get_texts()[2].set_text(f"p = {result.alpha:g}")
            lo, hi = result.ci
            rate = _rate_name(result.scenario)
            rate = rate[0].lower() + rate[1:]
            head = f"{result.n_significant:,} of {result.n_sims:,} trials had p < {result.alpha:g}:"
            tail = f"{rate} {result.power:.0%} (95% CI {lo:.0%} to {hi:.0%})"
            # Two lines when one would run past the figure's right edge.
            one_line = f"{head} {tail}"
            room = self.figure.bbox.width * (1 - self.p_ax.get_position().x0) - 10
            self.title.set_text(one_line if _text_width_px(self.figure, one_line, FONT) <= room
                                else f"{head}\n{tail}")
            where = "Top" if self.hr_ax is not None else "Shown"
            floor = int(np.count_nonzero(p <= _P_FLOOR))
            floor_text = (f" {floor:,} of them had p ≤ 1e-06 and sit on the floor of the axis."
                          if floor else "")
            parts.append(f"{where}: their p-values on a log scale, with the {result.alpha:g} "
                         f"threshold dashed; filled dots are significant.{floor_text} {result}")
        if self.hr_ax is not None:
            parts.append(self._update_intervals(result, k, trial))
        self.alt_text = " ".join(parts)
        return self

    def _update_intervals(self, result, k, trial) -> str:
        """Draw the first ``k`` trials' intervals; return their part of the alt text."""
        hrs = np.asarray(result.hrs[:k], dtype=float)
        lower = np.asarray(result.hr_lower[:k], dtype=float)
        upper = np.asarray(result.hr_upper[:k], dtype=float)
        true_hr = float(result.scenario.hr)
        defined = ~np.isnan(lower) & ~np.isnan(upper)
        covers = np.asarray(result.covers[:k]) & defined
        lo_edge, hi_edge = _HR_LIMITS
        finite = np.r_[lower[defined & (lower > 0)], upper[defined & np.isfinite(upper)],
                       true_hr, 1.0]
        y_lo = max(finite.min() / 1.15, lo_edge)
        y_hi = min(finite.max() * 1.15, hi_edge)
        self.hr_ax.set_ylim(y_lo, y_hi)
        # Fewer ticks over a wide range, so that their labels never touch.
        ticks = ((0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10) if y_hi / y_lo <= 12
                 else (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20))
        self.hr_ax.yaxis.set_major_locator(FixedLocator([v for v in ticks if y_lo <= v <= y_hi]))
        ends_lo = np.clip(lower, y_lo, y_hi)
        ends_hi = np.clip(upper, y_lo, y_hi)
        rows = np.flatnonzero(defined)
        self.intervals.set_segments([[(trial[i], ends_lo[i]), (trial[i], ends_hi[i])]
                                     for i in rows])
        self.intervals.set_color([COVER_COLORS[int(covers[i])] for i in rows])
        point = defined & np.isfinite(hrs) & (hrs > 0)
        self.hr_points.set_data(trial[point], hrs[point])
        self.true_line.set_ydata([true_hr, true_hr])
        level = level_of(result.alpha)
        n_def, n_cov = int(defined.sum()), int(covers.sum())
        share, se, trials = result.coverage
        all_text = (f"all {result.n_sims:,} trials: {share:.1%} (Monte Carlo SE {se:.1%})"
                    if trials else "no trial had an interval")
        self.hr_title.set_text(f"{level}% CIs: {n_cov:,} of these {n_def:,} contain the true "
                               f"hazard ratio {true_hr:.2f}\nOver {all_text}")
        return self._intervals_text(result, k, hrs, defined & ~point, n_def, n_cov)

    def _intervals_text(self, result, k, hrs, no_end, n_def, n_cov) -> str:
        """The intervals' part of the alt text: coverage, spread, what is missing and why."""
        from ..montecarlo import _defined_hrs, _why_undefined

        true_hr = float(result.scenario.hr)
        level = level_of(result.alpha)
        share, se, trials = result.coverage
        estimates, undefined = _defined_hrs(hrs)
        spread = (f" The estimates range from {estimates.min():.2f} to {estimates.max():.2f}."
                  if len(estimates) else " No trial shown could estimate the hazard ratio.")
        open_ended = int(np.count_nonzero(no_end))
        missing = ""
        if undefined and len(estimates):
            why = _why_undefined(hrs, np.asarray(result.deaths[:k]))
            missing = (f" {undefined:,} of these {k:,} trials had an undefined hazard ratio "
                       f"({why}): no dot")
            missing += (f"; {open_ended:,} of them have an interval without a lower or upper end, "
                        "drawn to the edge of the axis." if open_ended else ".")
        delayed = ""
        if result.scenario.delay > 0 and result.scenario.early_hr != result.scenario.hr:
            delayed = (" The effect starts after a delay, so the hazards are not proportional: "
                       "the Cox model estimates an average of the early and later hazard ratios, "
                       "and its intervals contain the later one less often than their level says.")
        where = "Below" if self.p_ax is not None else "Shown"
        among = (f"all {result.n_sims:,} trials" if trials == result.n_sims else
                 f"the {trials:,} of {result.n_sims:,} trials with an interval")
        over = (f"over {among}, {share:.1%} of the intervals do (Monte Carlo SE {se:.1%}; the "
                f"nominal level is {level}%)" if trials else "no trial had an interval")
        return (f"{where}: each trial's estimated hazard ratio (dot) with its {level}% confidence "
                f"interval (vertical line), grey when it contains the true hazard ratio "
                f"{true_hr:.2f} (dashed) and vermillion when it misses it: {n_cov:,} of these "
                f"{n_def:,} contain it; {over}.{spread}{missing}{delayed}")


def _check_dance_args(result, ax, n_show, show):
    """:func:`plot_dance`'s arguments checked (ValueError naming the bad one): returns ``ax``
    (a list for a pair of Axes), whether it is a pair, and what to show."""
    _check_power_result(result)
    if n_show is not None and not (isinstance(n_show, int) and n_show >= 1):
        raise ValueError(f"n_show must be a whole number >= 1 or None (all); got {n_show!r}")
    pair = (ax is not None and not hasattr(ax, "plot")
            and isinstance(ax, (Sequence, np.ndarray)) and not isinstance(ax, str))
    if pair:
        ax = list(np.ravel(np.asarray(ax, dtype=object)))
    if show is None:
        show = "p" if (ax is not None and not pair) else "both"
    if show not in _DANCE_SHOWS:
        raise ValueError(f"show must be one of {list(_DANCE_SHOWS)} (or None); got {show!r}")
    if pair and (len(ax) != 2 or show != "both"):
        raise ValueError("ax must be one Axes (show='p' or 'intervals') or a pair of Axes "
                         f"(show='both'); got {len(ax)} Axes with show={show!r}")
    if ax is not None and not pair and show == "both":
        raise ValueError("show='both' needs two Axes (p-values, intervals) or ax=None; "
                         "got one Axes")
    if show in ("both", "intervals") and getattr(result, "hr_lower", None) is None:
        raise ValueError("result has no confidence intervals (hr_lower, hr_upper); make it "
                         "with edu_survival.power, or use show='p'")
    return ax, pair, show


def _dance_axes(ax, pair, show):
    """The figure and the (p-value, interval) Axes to draw in; None for the one not shown."""
    if ax is None:
        # The right margin holds the legends, so that they never hide a point.
        fig = new_figure(8.5, 7.4 if show == "both" else 4.4)
        with mpl.rc_context(_RC):
            if show == "both":
                fig.subplots_adjust(left=0.12, right=0.775, top=0.91, bottom=0.09,
                                    hspace=0.42)
                p_ax, hr_ax = fig.subplots(2, 1, sharex=True)
            else:
                fig.subplots_adjust(left=0.12, right=0.775, top=0.84, bottom=0.14)
                p_ax = hr_ax = fig.add_subplot()
    elif pair:
        p_ax, hr_ax = ax
        fig = p_ax.figure
    else:
        fig, p_ax = _own_axes(ax, 8.5, 4)
        hr_ax = p_ax
    if show == "p":
        hr_ax = None
    if show == "intervals":
        p_ax = None
    return fig, p_ax, hr_ax


def _check_power_result(result):
    needed = ("power", "se", "ci", "p_values", "hrs", "deaths", "scenario", "alpha", "n_sims")
    missing = [name for name in needed if not hasattr(result, name)]
    if missing:
        raise ValueError(f"result must be a PowerResult (from edu_survival.power); "
                         f"{type(result).__name__} lacks {missing}")


def plot_dance(result, ax=None, *, n_show: int | None = 100, show: str | None = None) -> DancePlot:
    """The dance of the p-values, and of the confidence intervals, over simulated trials.

    Each column is one simulated trial of the same design. Top: its p-value (filled when
    below ``alpha``); the title gives the share significant, which is the power. Below: its
    estimated hazard ratio with its 95% confidence interval, grey when the interval contains
    the true hazard ratio and vermillion when it misses it; the title counts them, and gives
    the share over all trials with its Monte Carlo standard error (about 95% of intervals
    should contain the truth). The legends sit right of the axes, never over a point.

    Parameters
    ----------
    result : PowerResult
        From :func:`edu_survival.power`.
    ax : Axes or pair of Axes, optional
        Where to draw: a pair (p-values, intervals) for ``show="both"``, one Axes for
        ``"p"`` or ``"intervals"``; leave room at the right for the legend. Default: a new
        figure.
    n_show : int or None
        Trials shown (the first ``n_show``, 100 by default); None shows all. The titles count
        all of them.
    show : {"both", "p", "intervals"} or None
        What to show: p-values above intervals (the default for a new figure or a pair of
        Axes), p-values only (the default for one Axes), or intervals only.

    Returns
    -------
    DancePlot
        With ``figure``, ``ax`` (p-values, or intervals with ``show="intervals"``), ``hr_ax``
        (intervals, or None), ``intervals`` (a LineCollection), ``alt_text`` and
        ``update(new_result)``.

    Examples
    --------
    >>> import edu_survival as es
    >>> plot = plot_dance(es.power(es.LAPATINIB, n_sims=200, seed=1))
    >>> plot.title.get_text().startswith("1")
    True
    >>> plot.hr_title.get_text().split(" contain")[0]
    '95% CIs: 93 of these 100'
    """
    return DancePlot(result, ax, n_show=n_show, show=show)
