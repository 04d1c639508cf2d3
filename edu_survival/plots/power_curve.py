"""Power against one design parameter: simulated (with its 95% CI) and analytic."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter

from .._checks import check_number
from .figure import _own_axes, _Shown
from .style import _RC, ARM_COLORS, AXIS_NAMES, GREY, GRID, STYLE

_SIMULATED = STYLE["markers"]["simulated_power"]


class PowerCurvePlot(_Shown):
    """Simulated and analytic power against one design parameter (see :func:`plot_power_curve`)."""

    def __init__(self, curve, ax=None, *, target: float | None = 0.8):
        vary = _check_curve(curve)
        if target is not None:
            target = check_number("target", target, "a power strictly between 0 and 1, or None",
                                  lambda v: 0 < v < 1)
        self.vary = vary
        fig, ax = _own_axes(ax, 8.5, 5.5)
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.14)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            ax.set_ylim(0, 1.02)
            ax.yaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
            ax.set_ylabel("Power")
            ax.set_xlabel(AXIS_NAMES.get(vary, vary))
            ax.grid(color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            if target is not None:
                ax.axhline(target, color=GREY, linewidth=1, linestyle=":")
            (self.analytic,) = ax.plot([], [], color=ARM_COLORS[1], linestyle="-",
                                       label="analytic (Schoenfeld)")
            from matplotlib.collections import LineCollection

            self.ci = LineCollection([], colors="black", linewidths=1.5)
            ax.add_collection(self.ci)
            (self.simulated,) = ax.plot([], [], linestyle="none",
                                        marker=_SIMULATED["marker"], color="black",
                                        markersize=_SIMULATED["size"], label="simulated (95% CI)")
            ax.legend(loc="lower right", framealpha=0.9)
            self.title = ax.set_title("", loc="left")
        self.update(curve)

    def update(self, curve) -> PowerCurvePlot:
        """Show a new curve (same varied parameter) by changing the existing artists."""
        vary = _check_curve(curve)
        if vary != self.vary:
            raise ValueError(f"curve must vary {self.vary!r}, as when the plot was made; got {vary!r}")
        x = curve[vary].to_numpy(dtype=float)
        order = np.argsort(x)
        x = x[order]
        sim = curve["power"].to_numpy(dtype=float)[order]
        ana = curve["analytic_power"].to_numpy(dtype=float)[order]
        lo = curve["ci_low"].to_numpy(dtype=float)[order]
        hi = curve["ci_high"].to_numpy(dtype=float)[order]
        self.simulated.set_data(x, sim)
        self.analytic.set_data(x, ana)
        self.ci.set_segments([[(xi, a), (xi, b)] for xi, a, b in zip(x, lo, hi, strict=True)])
        pad = (x.max() - x.min()) * 0.05 or abs(x[0]) * 0.1 or 1
        self.ax.set_xlim(x.min() - pad, x.max() + pad)
        name = AXIS_NAMES.get(vary, vary)
        self.title.set_text(f"Power against {name.split(' (')[0].lower()}")
        points = "; ".join(f"{xi:g}: {s:.0%} simulated, {a:.0%} analytic"
                           for xi, s, a in zip(x, sim, ana, strict=True))
        self.alt_text = (f"Power curve: the power of the log-rank test against {name.lower()}, "
                         f"simulated (dots with 95% intervals) and analytic (line). {points}.")
        return self


def _check_curve(curve) -> str:
    import pandas as pd

    needed = ["power", "se", "ci_low", "ci_high", "analytic_power"]
    if not isinstance(curve, pd.DataFrame) or any(c not in curve.columns for c in needed):
        raise ValueError("curve must be the DataFrame from edu_survival.power_curve, with columns "
                         f"[<varied field>, {', '.join(needed)}]")
    if len(curve) == 0:
        raise ValueError("curve must have at least one row; got an empty table")
    for column in [curve.columns[0], *needed]:
        values = curve[column]
        if (isinstance(values, pd.DataFrame) or not pd.api.types.is_numeric_dtype(values)
                or not np.isfinite(values.to_numpy(float)).all()):
            raise ValueError(f"curve's column {column!r} must be one column of finite numbers")
    return curve.columns[0]


def plot_power_curve(curve, ax=None, *, target: float | None = 0.8) -> PowerCurvePlot:
    """Power against a varied design parameter: simulated (with 95% CI) and analytic.

    Parameters
    ----------
    curve : pandas.DataFrame
        From :func:`edu_survival.power_curve`: the varied field first, then ``power``, ``se``,
        ``ci_low``, ``ci_high`` and ``analytic_power``.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.
    target : float or None
        Draw a dotted reference line at this power (0.8 by default).

    Returns
    -------
    PowerCurvePlot
        With ``figure``, ``ax``, ``simulated``, ``analytic``, ``alt_text`` and ``update(new_curve)``.

    Examples
    --------
    >>> import edu_survival as es
    >>> curve = es.power_curve(es.LAPATINIB, vary="n", values=[200, 400], n_sims=200, seed=1)
    >>> plot = plot_power_curve(curve)
    >>> plot.simulated.get_xdata().tolist()
    [200.0, 400.0]
    """
    return PowerCurvePlot(curve, ax, target=target)
