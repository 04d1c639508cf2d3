"""The Kaplan–Meier plot's legend, key and title: drawn by hand, placed clear of the curves.

matplotlib's own Legend lays itself out again on every draw, which cost more than all the
curves together (measured 10 to 15 ms of a 50 ms draw); this one is a few text artists that
:meth:`_place_legend` moves to the corner the curves cross least.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.transforms import ScaledTranslation

from .figure import _axes_height_in, _text_width_px
from .style import FONT, GREY, SMALL, STYLE, arm_style


class _Legend:
    """The legend part of :class:`KMPlot <edu_survival.plots.KMPlot>`."""

    def _build_legend(self):
        """The legend, the key above the axes, the title and the caption (texts set later)."""
        ax = self.ax
        # A hand-made legend: matplotlib's Legend lays itself out again on every draw, which
        # cost more than all the curves together (measured 10 to 15 ms of a 50 ms draw).
        self.legend_texts, self.legend_samples = {}, {}
        for k, pos in enumerate(STYLE["order"]):
            y = 0.965 - 0.075 * k
            style = arm_style(pos)
            (self.legend_samples[pos],) = ax.plot([0.9, 0.985], [y, y], transform=ax.transAxes,
                                                  color=style["color"],
                                                  linestyle=style["linestyle"], zorder=5)
            self.legend_texts[pos] = ax.text(
                0.885, y, "", transform=ax.transAxes, ha="right", va="center", fontsize=SMALL,
                zorder=5, bbox={"boxstyle": "square,pad=0.15", "facecolor": "white",
                                "edgecolor": "none", "alpha": 0.85},
            )
        # What the shading and the faded ends are: a key above the axes, right of the title
        # (inside the axes a longer legend found no free corner on some data).
        self.key = ax.text(1.0, 1.0, "", transform=ax.transAxes + ScaledTranslation(
            0, 3 / 72, self.figure.dpi_scale_trans), ha="right", va="bottom",
            fontsize=SMALL, color=GREY, linespacing=1.15, multialignment="right")
        # y given: otherwise every draw measures the axes' tight box to place the title.
        self.title = ax.set_title("", loc="left", fontsize=FONT, y=1.0, pad=8)
        self.caption = ax.text(0.01, 0.02, "", transform=ax.transAxes, fontsize=SMALL,
                               style="italic", color=GREY, zorder=5)

    # Where the hand-made legend may go: (side, y of its first row), in order of preference.
    # Top right is where the curves have usually fallen; bottom left sits above the caption
    # ("simulated data") when there is one, lower without.
    _LEGEND_PLACES = (("right", 0.965), ("right", 0.16), ("left", 0.195))
    _LEGEND_PLACES_NO_CAPTION = (("right", 0.965), ("right", 0.16), ("left", 0.12), ("left", 0.195))
    _LEGEND_ROW = 0.075  # axes fraction between the legend's rows

    def _place_legend(self, analysis, labels) -> None:
        """Put the legend where it crosses the fewest points of the curves (ties: the first
        of :attr:`_LEGEND_PLACES`), judged from the curves' values without drawing."""
        ax = self.ax
        x_lo, x_hi = ax.get_xlim()
        width_pt = ax.get_position().width * self.figure.get_figwidth() * 72
        # text width estimated from its length (about 0.55 em a character), plus the sample
        text_w = 0.55 * SMALL * max(len(label) for label in labels) / width_pt
        # half a text line with its white box and the curve's width, axes fraction
        half_row = SMALL / 72 / _axes_height_in(ax)
        curves = list(analysis.curves.values())
        best, best_score = self._LEGEND_PLACES[0], math.inf
        places = self._LEGEND_PLACES if analysis.simulated else self._LEGEND_PLACES_NO_CAPTION
        for side, y in places:
            x0, x1 = (0.885 - text_w, 0.985) if side == "right" else (0.015, 0.115 + text_w)
            y0, y1 = y - self._LEGEND_ROW - half_row, y + half_row
            xs = x_lo + np.linspace(x0, x1, 40) * (x_hi - x_lo)
            score = 0
            for curve in curves:
                seen = xs[(xs >= 0) & (xs <= curve.time[-1])] if len(curve.time) else xs[:0]
                ys = curve.at(seen)
                score += int(np.count_nonzero((ys >= y0) & (ys <= y1)))
                # a drop straight through the box between two samples
                score += int(np.count_nonzero((ys[:-1] > y1) & (ys[1:] < y0)))
            if score < best_score:
                best, best_score = (side, y), score
        side, y = best
        for k, (pos, label) in enumerate(zip(STYLE["order"], labels, strict=True)):
            row = y - self._LEGEND_ROW * k
            text, sample = self.legend_texts[pos], self.legend_samples[pos]
            text.set_text(label)
            if side == "right":
                text.set_position((0.885, row))
                text.set_horizontalalignment("right")
                sample.set_data([0.9, 0.985], [row, row])
            else:
                text.set_position((0.115, row))
                text.set_horizontalalignment("left")
                sample.set_data([0.015, 0.1], [row, row])

    def _fit_title(self, title: str) -> str:
        """The title, on two lines when it would run into the key on its right (narrow axes)."""
        key = self.key.get_text()
        room = self.ax.get_position().width * self.figure.bbox.width
        need = (_text_width_px(self.figure, title, FONT)
                + (_text_width_px(self.figure, key, SMALL) if key else 0) + 12)
        if need <= room or "; " not in title:
            return title
        return title.replace("; ", ";\n", 1)
