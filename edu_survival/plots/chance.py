"""Could chance alone do this? The gaps of many simulated trials, with a reported one marked.

The gap is ``|ln HR - ln(median ratio)|`` between two estimates from the same patients: a
report's hazard ratio and the ratio of its medians (control / treatment). Under constant
hazards both estimate the same number, so the gap is chance; a histogram of the gaps of many
simulated trials shows how often chance alone opens one as wide as the report's.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np

from .._checks import check_mapping
from .figure import _own_axes, _Shown
from .style import _RC, ARM_COLORS, ARM_TEXT_COLORS, GREY, GRID, SIMULATED_CAPTION, SMALL

_BARS, _BEYOND, _REPORTED = "#a6c8e0", ARM_COLORS[1], ARM_COLORS[0]  # light and full blue; vermillion
_REPORTED_TEXT = ARM_TEXT_COLORS[0]  # vermillion darkened for text (WCAG AA on white)


def _check_chance(chance):
    gaps = getattr(chance, "gaps", None)
    gap = getattr(chance, "reported_gap", None)
    if gaps is None or gap is None:
        raise ValueError("chance must be the result of chance_gaps (with gaps and "
                         f"reported_gap); got {type(chance).__name__}")
    gaps = np.asarray(gaps, dtype=float)
    if gaps.ndim != 1 or not len(gaps) or not np.isfinite(gaps).all():
        raise ValueError("chance.gaps must be a non-empty list of finite gaps")
    return gaps, float(gap)


def _hazards(chance) -> str:
    shape = getattr(getattr(chance, "scenario", None), "shape", 1.0)
    if shape == 1:
        return "constant hazards"
    return f"a Weibull shape of {shape:.3g}, a hazard that {'rises' if shape > 1 else 'falls'} over time"


class ChanceGapsPlot(_Shown):
    """Histogram of simulated gaps with the reported gap marked (see :func:`plot_chance_gaps`)."""

    def __init__(self, chance, ax=None, *, marks: dict | None = None, label: str = "the story"):
        self.marks = check_mapping("marks", {} if marks is None else marks)
        for name, value in self.marks.items():
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"marks[{name!r}] must be a gap >= 0; got {value!r}")
        self.label = str(label)
        fig, ax = _own_axes(ax, 8.5, 5.2)
        with mpl.rc_context(_RC):
            if ax is None:
                fig.subplots_adjust(left=0.11, right=0.97, top=0.88, bottom=0.2)
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            ax.set_xlabel("gap between ln HR and ln(median ratio)")
            ax.set_ylabel("simulated trials")
            ax.grid(axis="y", color=GRID, linewidth=0.8)
            ax.set_axisbelow(True)
            self.title = ax.set_title("", loc="left")
            self.caption = fig.text(0.01, 0.01, "", fontsize=SMALL, color=GREY)
        self.update(chance)

    def update(self, chance) -> ChanceGapsPlot:
        """Show another simulation's gaps by drawing the histogram again on the same axes."""
        gaps, gap = _check_chance(chance)
        ax = self.ax
        for artist in [*ax.patches, *ax.lines, *ax.texts]:
            artist.remove()
        top = max(float(gaps.max()), gap, *self.marks.values()) * 1.05
        edges = np.linspace(0, top, 41)
        counts, _ = np.histogram(gaps, bins=edges)
        beyond = edges[:-1] >= gap - 1e-12
        width = edges[1] - edges[0]
        with mpl.rc_context(_RC):
            ax.bar(edges[:-1], counts, width=width, align="edge", color=np.where(beyond, _BEYOND, _BARS),
                   edgecolor="white", linewidth=0.5)
            ax.axvline(gap, color=_REPORTED, linewidth=2.2)
            share = float(np.mean(gaps >= gap - 1e-12))
            self._label(gap, 0.97, f"{self.label}: {gap:.3f}\n{share:.1%} of trials at or beyond", _REPORTED_TEXT, top)
            for k, (name, value) in enumerate(self.marks.items()):
                ax.axvline(value, color=GREY, linewidth=1.5, linestyle="--")
                self._label(value, 0.72 - 0.12 * k, f"{name}: {value:.3f}", GREY, top)
            ax.set_xlim(0, top)
        self.title.set_text(f"{len(gaps):,} simulated trials, {_hazards(chance)}")
        self.caption.set_text(SIMULATED_CAPTION)
        self.share = share
        self.alt_text = self._alt_text(chance, gaps, gap, share)
        return self

    def _label(self, x: float, y: float, text: str, colour: str, top: float) -> None:
        """A line's label beside it, on the side with room (left of a line in the right third)."""
        right = x < 0.66 * top
        lines = "\n".join(("  " + part) if right else (part + "  ") for part in text.split("\n"))
        self.ax.text(x, y, lines, transform=self.ax.get_xaxis_transform(), va="top",
                     ha="left" if right else "right", color=colour, fontsize=SMALL,
                     bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})

    def _alt_text(self, chance, gaps, gap, share) -> str:
        n = getattr(getattr(chance, "scenario", None), "n", None)
        size = f" of {n:,} patients" if n else ""
        marks = "".join(f" A dashed grey line marks {name}: {value:.3f}, at or beyond which lie "
                        f"{np.mean(gaps >= value - 1e-12):.1%} of the trials." for name, value in self.marks.items())
        return (f"Histogram of the gap between ln HR and ln(median ratio) in {len(gaps):,} simulated "
                f"trials{size} with {_hazards(chance)}. Half the gaps are below {np.median(gaps):.3f} and "
                f"nine in ten below {np.quantile(gaps, 0.9):.3f}. A vermillion line marks {self.label}'s gap, "
                f"{gap:.3f}; the darker bars at or beyond it hold {share:.1%} of the trials.{marks} "
                f"{SIMULATED_CAPTION}.")


def plot_chance_gaps(chance, ax=None, *, marks: dict | None = None, label: str = "the story") -> ChanceGapsPlot:
    """Where a reported gap between a hazard ratio and the medians falls among chance's gaps.

    Parameters
    ----------
    chance : ChanceGaps
        From ``chance_gaps`` (the claims module): the simulated gaps and the reported one.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure of its own.
    marks : dict of name -> gap, optional
        Other gaps to mark (dashed grey), such as one simulated trial's.
    label : str
        What the reported gap is called in the plot and its alt text.

    Returns
    -------
    ChanceGapsPlot
        With ``figure``, ``ax``, ``share`` (of trials at or beyond the reported gap),
        ``alt_text`` and ``update(new_chance)``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import numpy as np
    >>> fake = SimpleNamespace(gaps=np.abs(np.random.default_rng(1).normal(0, 0.1, 2000)), reported_gap=0.155)
    >>> plot = plot_chance_gaps(fake)
    >>> round(plot.share, 2)
    0.12
    """
    return ChanceGapsPlot(chance, ax, marks=marks, label=label)
