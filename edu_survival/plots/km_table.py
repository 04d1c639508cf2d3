"""The Kaplan–Meier plot's numbers at risk: drawn under the axes, or as HTML beside a picture.

The table's rows (at risk, censored, events) per arm at round times (:func:`table_times`),
KMunicate style. :class:`KMPlot <edu_survival.plots.KMPlot>` draws it with the text artists
made here or, with ``numbers=False``, shows the same numbers as HTML beside its picture
(``KMPlot.table_html``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from .._checks import check_number
from ..analyze import nice_times
from .style import ARM_COLORS, COUNT_NAMES, FONT, GREY, SMALL

_MAX_COLUMNS = 8  # nice_times gives at most 7 round times; one spare
_LINE_PT = SMALL * 1.25  # one row of the at-risk table, points
_TABLE_TOP_PT = 2.6 * FONT + 10  # the table starts below the tick labels and the axis label


def table_height(counts=("at risk",)) -> float:
    """Inches :func:`plot_km` needs below its axes for tick labels, axis label and table
    (``counts=()``: no table)."""
    counts = tuple(counts)
    rows = len(ARM_COLORS) * (1 + len(counts)) if counts else 0
    return (_TABLE_TOP_PT + rows * _LINE_PT) / 72 + 0.15


def table_times(t_max: float) -> np.ndarray:
    """Round times for the at-risk table and the time axis, from 0 to ``t_max``.

    :func:`~edu_survival.analyze.nice_times` (steps of 1, 2, 3, 6, 12, ...) when that gives
    at least 3 times; for very short follow-up, finer round steps (0.1, 0.2, 0.25, 0.5).

    Examples
    --------
    >>> table_times(47.5).tolist()
    [0.0, 12.0, 24.0, 36.0]
    >>> table_times(0.5).tolist()
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    """
    t_max = check_number("t_max", t_max, ">= 0 and finite (the time axis's right end)",
                         lambda v: v >= 0)
    times = nice_times(t_max)
    if len(times) >= 3 or t_max == 0:
        return times
    ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(0, t_max)
    return np.round(ticks[(ticks >= 0) & (ticks <= t_max * (1 + 1e-9))], 10)


class _AtRiskTable:
    """The numbers-at-risk part of :class:`KMPlot <edu_survival.plots.KMPlot>`: its text
    artists under the axes, the numbers of the trial shown, and the same as HTML."""

    def _build_table(self):
        ax, fig = self.ax, self.figure
        line_pt, top_pt = _LINE_PT, _TABLE_TOP_PT
        base = blended_transform_factory(ax.transData, ax.transAxes)
        margin = ax.transAxes
        kw = {"fontsize": SMALL, "va": "top", "linespacing": 1.25, "clip_on": False,
              "multialignment": "center"}
        for k, pos in enumerate((1, 0)):
            y_pt = top_pt + k * (1 + len(self.counts)) * line_pt
            head = ScaledTranslation(0, -y_pt / 72, fig.dpi_scale_trans)
            rows = ScaledTranslation(0, -(y_pt + line_pt) / 72, fig.dpi_scale_trans)
            self._headings[pos] = ax.text(0, 0, "", transform=margin + head, ha="left",
                                          color=ARM_COLORS[pos], fontweight="bold", **kw)
            # Row labels sit in the left margin, clear of the numbers centred on time 0.
            left = ScaledTranslation(-24 / 72, -(y_pt + line_pt) / 72, fig.dpi_scale_trans)
            self._labels[pos] = ax.text(
                0, 0, "\n".join(COUNT_NAMES[c] for c in self.counts), transform=margin + left,
                ha="right", color=GREY, **{**kw, "multialignment": "right"},
            )
            self._columns[pos] = [
                ax.text(0, 0, "", transform=base + rows, ha="center", color=ARM_COLORS[pos], **kw)
                for _ in range(_MAX_COLUMNS)
            ]

    def _update_table(self, analysis, arms, times):
        # The same KMCurve methods as Analysis.at_risk_table, without building a DataFrame.
        self.times = times
        self._table = {}  # arm position -> (label, values: rows counts, columns times)
        for pos in (1, 0):
            curve = analysis.curves[arms[pos]]
            values = np.array([
                curve.number_at_risk(times) if what == "at risk" else curve.cumulative(times, what)
                for what in self.counts
            ])  # rows: counts, columns: times
            self._table[pos] = (analysis.labels[arms[pos]], values)
            if not self.table_drawn:
                continue
            self._headings[pos].set_text(analysis.labels[arms[pos]])
            for j, text in enumerate(self._columns[pos]):
                if j < len(times):
                    text.set_x(times[j])
                    text.set_text("\n".join(str(v) for v in values[:, j]))
                    text.set_visible(True)
                else:
                    text.set_visible(False)
