"""Interim looks: the z statistics of simulated trials at each look, with a boundary; and the
hazard ratio of the trials that stopped, look by look, against the truth."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..traps import boundaries as gs
from ..traps.looks import LookPaths, Stopping
from .figure import _own_axes, _Shown
from .style import _RC, ARM_COLORS, GREY, GRID, SIMULATED_CAPTION, SMALL

_DESIGNS = {"nominal": gs.nominal, "pocock": gs.pocock, "obrien-fleming": gs.obrien_fleming,
            "spending": gs.spending}
_CROSSED, _QUIET = ARM_COLORS[0], "#9a9a9a"


def _boundaries(paths: LookPaths, boundaries) -> gs.Boundaries:
    if boundaries is None:
        boundaries = "nominal"
    if isinstance(boundaries, str):
        if boundaries not in _DESIGNS:
            raise ValueError(f"boundaries must be one of {sorted(_DESIGNS)} or a Boundaries; got {boundaries!r}")
        return _DESIGNS[boundaries](fractions=paths.fractions)
    if not isinstance(boundaries, gs.Boundaries) or boundaries.looks != len(paths.deaths):
        raise ValueError(f"boundaries must have one z per look ({len(paths.deaths)}); got {boundaries!r}")
    return boundaries


class LooksPlot(_Shown):
    """The z statistic of ``trials`` simulated trials at each look, with the boundary: trials
    that cross it are drawn in colour up to the look where they stop (see :func:`plot_looks`)."""

    def __init__(self, paths: LookPaths, boundaries=None, trials: int = 40, ax=None):
        if not isinstance(paths, LookPaths):
            raise ValueError(f"paths must be a LookPaths (from edu_survival.traps.looks.simulate_looks); "
                             f"got {type(paths).__name__}")
        if isinstance(trials, bool) or not isinstance(trials, int) or not 1 <= trials <= paths.n_sims:
            raise ValueError(f"trials must be a whole number from 1 to {paths.n_sims}; got {trials!r}")
        b = _boundaries(paths, boundaries)
        self.paths, self.boundaries, self.trials = paths, b, trials
        stop = paths.stop(b)
        fig, ax = _own_axes(ax, 8.5, 5.6)
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.11, right=0.97, top=0.82, bottom=0.13)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            x = paths.deaths
            shown = stop.look[:trials]
            for i in range(trials):
                end = shown[i] if shown[i] > 0 else len(x)
                colour, width, z = (_CROSSED, 1.6, 4) if shown[i] > 0 else (_QUIET, 0.9, 2)
                ax.plot(x[:end], paths.z[i, :end], color=colour, linewidth=width, alpha=0.9, zorder=z)
                if shown[i] > 0:
                    ax.plot(x[end - 1], paths.z[i, end - 1], marker="o", color=_CROSSED, markersize=6, zorder=5)
            for sign in (1, -1):
                ax.plot(x, sign * b.z, color="black", linestyle="--", linewidth=1.6, marker="_",
                        markersize=14, zorder=6)
            ax.axhline(0, color=GREY, linewidth=0.8)
            top = min(6.0, max(4.0, float(b.z.max()) + 0.4))
            ax.set_ylim(-top, top)
            ax.set_xlim(x[0] - 0.3 * (x[-1] - x[0]) / max(len(x) - 1, 1), x[-1] * 1.04)
            ax.xaxis.set_major_locator(FixedLocator(x))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
            ax.set_xlabel("Deaths at each look")
            ax.set_ylabel("Log-rank z (above 0: drug looks better)")
            ax.grid(axis="y", color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            crossed = int(np.count_nonzero(shown))
            ax.set_title(f"{b.name}.\n{crossed} of these {trials} trials cross the dashed boundary (coloured, "
                         f"stopping at the dot);\nover all {paths.n_sims:,} trials, {stop.rate:.1%} stop (Monte Carlo "
                         f"SE {stop.se:.1%}).", loc="left", fontsize=SMALL, linespacing=1.3, y=1.0, pad=8)
        truth = "no effect" if paths.scenario.hr == 1 else f"a true hazard ratio of {paths.scenario.hr:.2f}"
        zs = ", ".join(f"{v:.2f}" for v in b.z)
        self.alt_text = (
            f"The log-rank z statistic of {trials} simulated trials with {truth}, each analysed at "
            f"{len(x)} looks (after {', '.join(str(int(d)) for d in x)} deaths), against the boundary "
            f"{b.name} (|z| of {zs}, dashed). {crossed} of the {trials} cross it and are drawn in colour up to "
            f"the look where they stop; over all {paths.n_sims:,} simulated trials {stop.rate:.1%} stop "
            f"(Monte Carlo SE {stop.se:.1%}). {SIMULATED_CAPTION}."
        )


def plot_looks(paths: LookPaths, boundaries=None, trials: int = 40, ax=None) -> LooksPlot:
    """The dance of the z statistics over interim looks, with a boundary.

    Parameters
    ----------
    paths : LookPaths
        From :func:`edu_survival.traps.looks.simulate_looks`.
    boundaries : None, str or Boundaries
        ``None`` or ``"nominal"`` (1.96 at every look), ``"pocock"``, ``"obrien-fleming"``,
        ``"spending"`` (Lan–DeMets, O'Brien–Fleming type), computed at the looks' information
        fractions, or a :class:`~edu_survival.traps.boundaries.Boundaries` of your own.
    trials : int
        How many of the simulated trials to draw (the counts in the title use all of them).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.
    """
    return LooksPlot(paths, boundaries, trials, ax)


class StoppingPlot(_Shown):
    """The hazard ratio where each simulated trial ended, by the look it stopped at (see
    :func:`plot_stopping`)."""

    def __init__(self, stopping: Stopping, ax=None):
        if not isinstance(stopping, Stopping):
            raise ValueError(f"stopping must be a Stopping (from LookPaths.stop); got {type(stopping).__name__}")
        self.stopping = stopping
        paths, looks = stopping.paths, stopping.boundaries.looks
        true_hr = paths.scenario.hr
        fig, ax = _own_axes(ax, 8.5, 5.6)
        rng = np.random.default_rng(0)  # the same jitter every time: the picture is reproducible
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.11, right=0.97, top=0.86, bottom=0.15)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            groups = [*range(1, looks + 1), 0]
            self.medians = {}
            for x, k in enumerate(groups):
                hr = stopping.hr_at_end[stopping.look == k]
                hr = hr[np.isfinite(hr) & (hr > 0)]
                if not len(hr):
                    continue
                colour = _CROSSED if k > 0 else _QUIET
                ax.scatter(x + rng.uniform(-0.28, 0.28, len(hr)), hr, s=6, color=colour, alpha=0.35,
                           linewidths=0, zorder=2)
                self.medians[k] = float(np.median(hr))
                ax.plot([x - 0.35, x + 0.35], [self.medians[k]] * 2, color="black", linewidth=2.4, zorder=4)
            ax.axhline(true_hr, color=ARM_COLORS[1], linewidth=1.8, zorder=3)
            ax.text(-0.45, true_hr, f"true {true_hr:.2f}", color=ARM_COLORS[1], va="bottom", ha="left",
                    fontsize=SMALL)
            ax.set_yscale("log")
            ax.yaxis.set_minor_locator(NullLocator())
            ticks = [0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5]
            ax.yaxis.set_major_locator(FixedLocator(ticks))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_ylim(0.3, 1.5)
            ax.set_xticks(range(len(groups)),
                          [f"look {k}\n{int(paths.deaths[k - 1])} deaths" for k in groups[:-1]] + ["never\nstopped"])
            ax.set_ylabel("Hazard ratio where the trial ended")
            ax.grid(axis="y", color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            ax.set_title(f"{stopping.boundaries.name}: {paths.n_sims:,} simulated trials; black bars are medians.",
                         loc="left", fontsize=SMALL, y=1.0, pad=8)
        parts = [f"look {k}: {m:.2f}" if k else f"never stopped: {m:.2f}" for k, m in self.medians.items()]
        self.alt_text = (
            f"The hazard ratio where each of {paths.n_sims:,} simulated trials ended, grouped by the look at which "
            f"it crossed the {stopping.boundaries.name} boundary, against the true hazard ratio of {true_hr:.2f} "
            f"(solid line). Median hazard ratio by group: {'; '.join(parts)}. Trials that stop early do so on "
            f"extreme estimates, further from 1 than the truth; trials that never stop lie closer to 1. "
            f"{SIMULATED_CAPTION}."
        )


def plot_stopping(stopping: Stopping, ax=None) -> StoppingPlot:
    """Where trials stopped, and how far their hazard ratio then was from the truth.

    Parameters
    ----------
    stopping : Stopping
        From :meth:`edu_survival.traps.looks.LookPaths.stop` (or ``es.teaching.stopping()``).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.
    """
    return StoppingPlot(stopping, ax)


__all__ = ["LooksPlot", "StoppingPlot", "plot_looks", "plot_stopping"]
