"""Competing risks in one picture: 1 − Kaplan–Meier against the cumulative incidence."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..analyze import nice_times
from ..traps.competing import CompetingRisks, true_cumulative_incidence, true_net_risk
from .figure import _own_axes, _Shown, _steps
from .style import _RC, GRID, SMALL, STYLE, arm_style

# The two estimates take the two arms' colours and dashes (the legend says which is which).
_KM, _CIF = 0, 1
_WORDS = [arm["words"] for arm in STYLE["arms"]]


class CompetingPlot(_Shown):
    """1 − Kaplan–Meier (other deaths censored) and the Aalen–Johansen cumulative incidence of
    death from the cancer, with the true curves dotted when the data are simulated."""

    def __init__(self, result: CompetingRisks, ax=None, horizon: float = 24.0):
        _check(result)
        fig, ax = _own_axes(ax, 8.5, 5.4)
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.12, right=0.97, top=0.85, bottom=0.13)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            ax.set_ylim(0, 1.02)
            ax.set_ylabel("Share who died of the cancer")
            ax.set_xlabel("Months since randomisation")
            ax.grid(axis="y", color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            self.lines, self.truths, self.marks = {}, {}, {}
            for pos in (_KM, _CIF):
                style = arm_style(pos)
                (self.lines[pos],) = ax.plot([], [], color=style["color"], linestyle=style["linestyle"], zorder=3)
                (self.truths[pos],) = ax.plot([], [], color=style["color"], linestyle=":", linewidth=1.4,
                                              alpha=0.8, zorder=2)
                (self.marks[pos],) = ax.plot([], [], linestyle="none", marker="o", markersize=7,
                                             color=style["color"], zorder=4)
            look = STYLE["km"]["horizon"]
            self.horizon_line = ax.axvline(0, color=look["color"], linewidth=look["width"],
                                           linestyle=look["linestyle"])
            self.legend = ax.legend(
                [self.lines[_KM], self.lines[_CIF], self.truths[_CIF]],
                ["1 − Kaplan–Meier (other deaths censored)", "cumulative incidence (Aalen–Johansen)",
                 "true curves (dotted)"], loc="upper left", framealpha=0.9, fontsize=SMALL)
            self.title = ax.set_title("", loc="left", fontsize=SMALL, linespacing=1.3, y=1.0, pad=8)
        self.update(result, horizon)

    def update(self, result: CompetingRisks, horizon: float | None = None) -> CompetingPlot:
        """Show another group (or another horizon) by changing the existing artists."""
        _check(result)
        self.result = result
        self.horizon = self.horizon if horizon is None else float(horizon)
        t_end = float(result.time[-1]) if len(result.time) else 1.0
        self.lines[_KM].set_data(*_steps(result.time, result.one_minus_km))
        self.lines[_CIF].set_data(*_steps(result.time, result.cif))
        km, cif = (float(v) for v in result.at(self.horizon))
        self.marks[_KM].set_data([self.horizon], [km])
        self.marks[_CIF].set_data([self.horizon], [cif])
        simulated = result.scenario is not None
        grid = np.linspace(0, t_end, 200)
        for pos, values in ((_KM, true_net_risk(result.scenario, grid) if simulated else None),
                            (_CIF, true_cumulative_incidence(result.scenario, result.competing, grid)
                             if simulated else None)):
            self.truths[pos].set_data(grid, values) if simulated else self.truths[pos].set_data([], [])
        self.ax.set_xlim(0, t_end)
        self.ax.set_xticks(nice_times(t_end))
        self.horizon_line.set_xdata([self.horizon, self.horizon])
        self.title.set_text(f"At {self.horizon:g} months: 1 − Kaplan–Meier {km:.0%}, cumulative incidence {cif:.0%}.\n"
                            f"{result.counts[2]} of {result.counts['n']} patients died of another cause.")
        truth = (" Dotted: the true curves of the simulation." if simulated else "")
        self.alt_text = (
            f"Share of patients who died of the cancer against months since randomisation: 1 − Kaplan–Meier "
            f"with the deaths from other causes censored ({_WORDS[_KM]}) and the Aalen–Johansen cumulative "
            f"incidence ({_WORDS[_CIF]}). At {self.horizon:g} months they read {km:.0%} and {cif:.0%}; "
            f"{result.counts[1]} patients died of the cancer and {result.counts[2]} of another cause. "
            f"1 − Kaplan–Meier is never below the cumulative incidence: it imagines a world in which "
            f"nobody dies of anything else.{truth}"
            + (" Simulated data, not patient data." if simulated else "")
        )
        return self


def _check(result):
    if not isinstance(result, CompetingRisks):
        raise ValueError(f"result must be a CompetingRisks (from edu_survival.traps.competing.competing_risks); "
                         f"got {type(result).__name__}")


def plot_competing(result: CompetingRisks, ax=None, horizon: float = 24.0) -> CompetingPlot:
    """1 − Kaplan–Meier against the cumulative incidence of death from the cancer.

    Parameters
    ----------
    result : CompetingRisks
        From :func:`edu_survival.traps.competing.competing_risks`.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.
    horizon : float
        Months at which both curves are read off (a dash-dotted line and two dots).

    Returns
    -------
    CompetingPlot
        With ``figure``, ``ax``, ``lines`` and ``truths`` (0: 1 − Kaplan–Meier, 1: cumulative
        incidence), ``alt_text`` and ``update(new_result, horizon=None)``.
    """
    return CompetingPlot(result, ax, horizon)
