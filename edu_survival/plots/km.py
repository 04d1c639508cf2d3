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
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from ..analyze import Analysis, format_p, nice_times

__all__ = [
    "ARM_COLORS",
    "AXIS_NAMES",
    "COUNT_NAMES",
    "SIMULATED_CAPTION",
    "ARM_LINESTYLES",
    "ARM_TEXT_COLORS",
    "DPI",
    "COVER_COLORS",
    "DancePlot",
    "HRPlot",
    "KMPlot",
    "LogLogPlot",
    "MIN_AT_RISK",
    "PowerCurvePlot",
    "arm_style",
    "describe",
    "draw",
    "img_html",
    "new_figure",
    "plot_dance",
    "plot_hr",
    "plot_km",
    "plot_loglog",
    "plot_power_curve",
    "png_bytes",
    "table_height",
    "table_times",
    "time_phrase",
]

# Okabe–Ito: vermillion for the reference (control) arm, blue for the other (treatment) arm.
ARM_COLORS = ("#D55E00", "#0072B2")
ARM_LINESTYLES = ("--", "-")
# The arms' colours for text on white in HTML: vermillion darkened to 5.5:1 contrast (WCAG AA
# asks 4.5:1; #D55E00 has 3.9:1), blue as it is (5.2:1).
ARM_TEXT_COLORS = ("#B34700", "#0072B2")
GREY = "#555555"
SIMULATED_CAPTION = "Simulated data, not patient data"
# 90 dpi: a 8.5 x 6.8 inch figure is 765 x 612 pixels, sharp on a projector and quick to draw
# and encode (every extra pixel costs in the Agg fill and in the PNG encoder).
DPI = 90
FONT = 13
SMALL = 11.5
_RC = {
    "font.size": FONT,
    "axes.titlesize": FONT,
    "axes.labelsize": FONT,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.2,
}
COUNT_NAMES = {"at risk": "At risk", "censored": "Censored", "events": "Events"}
# Curves are drawn faded once fewer than this many patients remain at risk. KMunicate (Morris
# et al. 2019) asks for confidence intervals and the extended table but sets no cut-off; a
# handful of patients is where one death moves the curve by 20% or more.
MIN_AT_RISK = 5
_TAIL_ALPHA = 0.35
_MAX_COLUMNS = 8  # nice_times gives at most 7 round times; one spare


def arm_style(position: int) -> dict:
    """Colour and line style of the arm at ``position`` (0 = reference/control, 1 = other).

    Examples
    --------
    >>> arm_style(1)
    {'color': '#0072B2', 'linestyle': '-'}
    """
    if position not in (0, 1):
        raise ValueError(f"position must be 0 (reference arm) or 1 (other arm); got {position!r}")
    return {"color": ARM_COLORS[position], "linestyle": ARM_LINESTYLES[position]}


def new_figure(width: float = 8.5, height: float = 6.8, dpi: float = DPI) -> Figure:
    """A figure on its own Agg canvas: it never shows itself (no pyplot, no double display)."""
    for name, value in (("width", width), ("height", height), ("dpi", dpi)):
        if not (isinstance(value, (int, float)) and 0 < value < 1000):
            raise ValueError(f"{name} must be a positive number below 1000; got {value!r}")
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


# Unhinted glyphs render about 20% faster and look the same at these sizes.
_DRAW_RC = {"text.hinting": "no_hinting"}


def draw(figure: Figure) -> None:
    """Draw the figure on its Agg canvas (with the fast text settings used for all plots)."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    with mpl.rc_context(_DRAW_RC):
        figure.canvas.draw()


def png_bytes(figure: Figure, redraw: bool = True, compress_level: int = 1,
              colors: int | None = None) -> bytes:
    """The figure as PNG bytes, encoded straight from the Agg buffer.

    ``savefig`` would draw the whole figure a second time; here the canvas is drawn once (or
    not at all with ``redraw=False``, when it already is) and only encoded. Compression level 1
    is several times faster than the default 6 for a plot's flat colours, and hardly larger.
    ``colors`` (2 to 256) makes a palette PNG: measured on the Kaplan–Meier plot, 64 colours
    look the same, and the picture is about 2.5 times smaller and faster to encode (the
    encoder does not filter palette rows).
    """
    from PIL import Image

    if colors is not None and not (isinstance(colors, int) and 2 <= colors <= 256):
        raise ValueError(f"colors must be a whole number from 2 to 256 or None; got {colors!r}")
    if redraw or not isinstance(figure.canvas, FigureCanvasAgg):
        draw(figure)
    buffer = figure.canvas.buffer_rgba()
    height, width = buffer.shape[:2]
    image = Image.frombuffer("RGBA", (width, height), buffer, "raw", "RGBA", 0, 1)
    if colors is not None:
        image = image.convert("RGB").quantize(colors, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=compress_level)
    return out.getvalue()


def _fmt_t(t: float) -> str:
    return f"{t:g}"


def time_phrase(analysis: Analysis) -> str:
    """What the time axis measures, in words: the analysis's ``time_label`` when it has one
    (e.g. "days since diagnosis"; "since diagnosis" gets the unit in front), otherwise
    "months since randomisation" for a simulated trial and "<unit> since the start of
    follow-up" for real data (its groups are not always randomised).

    Examples
    --------
    >>> import edu_survival as es
    >>> time_phrase(es.analyze(es.simulate(es.LAPATINIB, seed=1)))
    'months since randomisation'
    """
    unit = analysis.unit
    label = getattr(analysis, "time_label", None)
    if label:
        label = str(label).strip()
        # "days since diagnosis" as it is; "since diagnosis" gets the unit in front.
        first = label.split(" ", 1)[0].lower()
        return f"{unit} {label}" if first in ("since", "from", "after") else label
    if analysis.simulated:
        return f"{unit} since randomisation"
    return f"{unit} since the start of follow-up"


def _hr_text(analysis: Analysis) -> str:
    level = round(100 * (1 - analysis.alpha))
    if analysis.hr_defined:
        lo, hi = analysis.hr_ci
        hr = f"HR {analysis.hr:.2f} ({level}% CI {lo:.2f} to {hi:.2f})"
    else:
        hr = "HR undefined"
    return f"{hr}; log-rank {format_p(analysis.logrank_p)}"


def describe(analysis: Analysis) -> str:
    """The plain-language summary of a trial, with the censored patients per arm.

    The text a learner reads under the plot, and the plot's text alternative.

    Examples
    --------
    >>> import edu_survival as es
    >>> text = describe(es.analyze(es.simulate(es.LAPATINIB, seed=1)))
    >>> text.split(". ")[0]
    'Median survival 23.2 months (95% CI 19.6 to 27.8) with treatment vs 14.2 months (95% CI 12.6 to 20.5) with control'
    >>> "Censored (alive at the analysis or lost to follow-up): treatment 50 of 161" in text
    True
    """
    if not isinstance(analysis, Analysis):
        raise ValueError(f"analysis must be an edu_survival Analysis; got {type(analysis).__name__}")
    lab = analysis.labels
    censored = "; ".join(
        f"{lab[arm]} {analysis.censored[arm]} of {analysis.n[arm]}"
        for arm in (analysis.other, analysis.reference)
    )
    return (
        f"{analysis.summary()} Censored (alive at the analysis or lost to follow-up): {censored}."
    )


def _own_axes(ax, width, height):
    if ax is None:
        fig = new_figure(width, height)
        return fig, None
    if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
        raise ValueError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    return ax.figure, ax


def img_html(png: bytes, alt_text: str, width_px: int | None = None) -> str:
    """``<img alt=... src=data:...>`` for a PNG: how figures reach a notebook or a widget."""
    import base64
    import html

    limit = f"max-width:{width_px}px;" if width_px else ""
    return (f'<img alt="{html.escape(alt_text, quote=True)}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
            f'style="width:100%;{limit}height:auto">')


class _Shown:
    """A plot object shows its figure, with its alt text, when it is a notebook cell's value."""

    def _draw(self) -> None:
        draw(self.figure)

    def _repr_mimebundle_(self, include=None, exclude=None):
        self._draw()
        png = png_bytes(self.figure, redraw=False)
        width = int(self.figure.get_figwidth() * self.figure.dpi)
        return {"text/html": img_html(png, self.alt_text, width), "text/plain": self.alt_text}


# ----- Kaplan–Meier ------------------------------------------------------------------------
_LINE_PT = SMALL * 1.25  # one row of the at-risk table, points
_TABLE_TOP_PT = 2.6 * FONT + 10  # the table starts below the tick labels and the axis label


def table_height(counts=("at risk",)) -> float:
    """Inches :func:`plot_km` needs below its axes for tick labels, axis label and table
    (``counts=()``: no table)."""
    counts = tuple(counts)
    rows = len(ARM_COLORS) * (1 + len(counts)) if counts else 0
    return (_TABLE_TOP_PT + rows * _LINE_PT) / 72 + 0.15


class KMPlot(_Shown):
    """Kaplan–Meier curves of the two arms with a numbers-at-risk table (see :func:`plot_km`)."""

    def __init__(self, analysis: Analysis, ax=None, *, counts=("at risk",), ci: bool = True,
                 censor_marks: bool = True, medians: bool = True, t_max: float | None = None,
                 min_at_risk: int | None = MIN_AT_RISK, tail: str = "faded",
                 numbers: bool = True):
        _check_analysis(analysis)
        if min_at_risk is not None and (isinstance(min_at_risk, bool)
                                        or not isinstance(min_at_risk, (int, np.integer))
                                        or min_at_risk < 0):
            raise ValueError("min_at_risk must be a whole number of patients >= 0, or None (draw "
                             f"every curve to its end); got {min_at_risk!r}")
        if tail not in ("faded", "stopped"):
            raise ValueError(f"tail must be 'faded' or 'stopped'; got {tail!r}")
        self.min_at_risk = int(min_at_risk) if min_at_risk else 0
        self.tail = tail
        counts = tuple(counts)
        bad = [c for c in counts if c not in COUNT_NAMES]
        if bad or not counts:
            raise ValueError(
                f"counts must be a non-empty subset of {list(COUNT_NAMES)}; got {list(counts)!r}"
            )
        if t_max is not None and not (isinstance(t_max, (int, float)) and 0 < t_max < math.inf):
            raise ValueError(f"t_max must be a positive number of time units or None; got {t_max!r}")
        self.counts, self.ci, self.t_max = counts, ci, t_max
        # numbers=False: what changes from trial to trial in words and numbers is not drawn
        # (a widget shows it as HTML: table_html(), headline_html()).
        self.table_drawn = self.numbers = bool(numbers)
        bottom_in = table_height(counts if numbers else ())
        fig, ax = _own_axes(ax, 8.5, 4.6 + bottom_in)
        # Only a figure of its own can keep a picture of its unchanging parts (see draw()).
        self.owns_figure = ax is None
        self._background = self._background_key = None
        with mpl.rc_context(_RC):
            if ax is None:
                # Room below the axes: tick labels, the axis label, then the table.
                fig.subplots_adjust(left=0.14, right=0.97, top=1 - 0.45 / fig.get_figheight(),
                                    bottom=bottom_in / fig.get_figheight())
                ax = fig.add_subplot()
            self.figure, self.ax = fig, ax
            self._build(analysis, censor_marks, medians)
        self.update(analysis)

    def _build(self, analysis, censor_marks, medians):
        ax = self.ax
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}"))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _fmt_t(v)))
        ax.set_ylabel("Proportion alive")
        # Fixed label positions: otherwise every draw measures all tick labels to place them.
        ax.yaxis.set_label_coords(-0.085, 0.5)
        ax.xaxis.set_label_coords(0.5, -(1.6 * SMALL + 8) / 72 / _axes_height_in(ax))
        ax.grid(axis="y", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        self.lines, self.bands, self.marks, self.median_lines = {}, {}, {}, {}
        self.tails, self.tail_marks, self.tail_from = {}, {}, {}
        for pos in (1, 0):  # treatment drawn last-but-one, legend lists it first
            style = arm_style(pos)
            (line,) = ax.plot([0, 1], [1, 1], color=style["color"], linestyle=style["linestyle"],
                              zorder=3)
            self.lines[pos] = line
            # Where fewer than min_at_risk patients remain, the curve goes on faded (or stops).
            (self.tails[pos],) = ax.plot([], [], color=style["color"],
                                         linestyle=style["linestyle"], alpha=_TAIL_ALPHA,
                                         zorder=3, visible=self.tail == "faded")
            if self.ci:
                self.bands[pos] = ax.fill_between([0, 1], [1, 1], [1, 1], step="post",
                                                  color=style["color"], alpha=0.15, linewidth=0,
                                                  zorder=1)
            if censor_marks:
                (self.marks[pos],) = ax.plot([], [], linestyle="none", marker="|", markersize=8,
                                             markeredgewidth=1.4, color=style["color"], zorder=4)
                (self.tail_marks[pos],) = ax.plot([], [], linestyle="none", marker="|",
                                                  markersize=8, markeredgewidth=1.4,
                                                  color=style["color"], alpha=_TAIL_ALPHA,
                                                  zorder=4, visible=self.tail == "faded")
            if medians:
                (self.median_lines[pos],) = ax.plot([], [], color=style["color"], linewidth=1.2,
                                                    linestyle=(0, (1.5, 2.5)), zorder=2)
        # A hand-made legend: matplotlib's Legend lays itself out again on every draw, which
        # cost more than all the curves together (measured 10 to 15 ms of a 50 ms draw).
        self.legend_texts, self.legend_samples = {}, {}
        for k, pos in enumerate((1, 0)):
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
        self._headings, self._labels, self._columns = {}, {}, {}
        if self.table_drawn:
            self._build_table()

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

    def update(self, analysis: Analysis) -> KMPlot:
        """Show another analysis (same layout) by changing the existing artists."""
        _check_analysis(analysis)
        self.analysis = analysis
        ax = self.ax
        arms = {0: analysis.reference, 1: analysis.other}
        # A simulated trial's axis ends at its analysis date, the same for every trial of a
        # design, so the axis (and draw()'s cached background) stays put between trials.
        scenario = analysis.scenario
        if self.t_max is not None:
            t_max = self.t_max
        elif analysis.simulated and getattr(scenario, "analysis_time", None):
            t_max = float(scenario.analysis_time)
        else:
            t_max = max(float(c.time[-1]) for c in analysis.curves.values())
        times = table_times(t_max)
        x_hi = max(t_max, times[-1]) * 1.03 if t_max > 0 else 1.0
        ax.set_xlim(-0.01 * x_hi, x_hi)
        ax.xaxis.set_major_locator(FixedLocator(times))
        phrase = time_phrase(analysis)
        ax.set_xlabel(phrase[0].upper() + phrase[1:])
        labels = []
        self.tail_from = {}
        for pos in (1, 0):
            arm = arms[pos]
            curve = analysis.curves[arm]
            # The solid curve runs to the first time after which fewer than min_at_risk
            # patients remain at risk; the rest is the (faded or hidden) tail.
            after = curve.at_risk - curve.events - curve.censored  # at risk just after each time
            few = np.flatnonzero(after < self.min_at_risk)
            cut = int(few[0]) if len(few) else len(curve.time) - 1
            if cut < len(curve.time) - 1:
                self.tail_from[arm] = float(curve.time[cut])
            solid = slice(0, cut + 1)
            self.lines[pos].set_data(*_steps(curve.time[solid], curve.survival[solid]))
            self.tails[pos].set_data(*_steps(curve.time[cut:], curve.survival[cut:]))
            if self.ci:
                self.bands[pos].set_data(curve.time[solid], curve.lower[solid],
                                         curve.upper[solid])
            if pos in self.marks:
                cens = curve.censored > 0
                late = np.arange(len(cens)) > cut
                self.marks[pos].set_data(curve.time[cens & ~late], curve.survival[cens & ~late])
                self.tail_marks[pos].set_data(curve.time[cens & late], curve.survival[cens & late])
            if pos in self.median_lines:
                m = analysis.median[arm].estimate
                xy = ([0, m, m], [0.5, 0.5, 0]) if math.isfinite(m) else ([], [])
                self.median_lines[pos].set_data(*map(np.asarray, xy))
            labels.append(f"{analysis.labels[arm]} (n = {analysis.n[arm]}, "
                          f"{analysis.deaths[arm]} deaths)" if self.numbers else analysis.labels[arm])
        level = round(100 * (1 - analysis.alpha))
        key = [f"shaded: pointwise {level}% CI"] if self.ci else []
        if self.tail_from:
            key.append(f"{'faded' if self.tail == 'faded' else 'stopped'}: "
                       f"< {self.min_at_risk} at risk")
        self.key.set_text("\n".join(key))
        self._place_legend(analysis, labels)
        self.title.set_text(self._fit_title(_hr_text(analysis)) if self.numbers else "")
        self.caption.set_text(SIMULATED_CAPTION if analysis.simulated else "")
        self._update_table(analysis, arms, times)
        shading = (f", each with its pointwise {level}% confidence interval shaded (the interval "
                   "at each time on its own, not a band for the whole curve)" if self.ci else "")
        tails = ""
        if self.tail_from:
            where = " and ".join(f"{analysis.labels[arm]} after {_fmt_t(round(t, 1))} {analysis.unit}"
                                 for arm, t in self.tail_from.items())
            drawn = "drawn faded" if self.tail == "faded" else "stopped"
            tails = (f" Where fewer than {self.min_at_risk} patients remain at risk a curve is "
                     f"{drawn}, as a few patients make it jump ({where}).")
        self.alt_text = (
            f"Kaplan–Meier plot: proportion alive against {phrase} for "
            f"{analysis.labels[arms[1]]} (solid blue) and {analysis.labels[arms[0]]} "
            f"(dashed vermillion){shading}, with numbers at risk below.{tails} "
            f"{describe(analysis)}"
        )
        return self

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
        for k, (pos, label) in enumerate(zip((1, 0), labels, strict=True)):
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

    # -- fast drawing
    def _dynamic_artists(self):
        """What changes from one trial to the next, in drawing (z) order."""
        artists = [*self.bands.values(), *self.median_lines.values(), *self.lines.values(),
                   *self.tails.values(), *self.marks.values(), *self.tail_marks.values(),
                   self.key]  # the key changes when a curve gains or loses its faded end
        if self.numbers:  # else the legend and caption stay put: part of the kept background
            artists += [*self.legend_samples.values(), *self.legend_texts.values(), self.title,
                        self.caption]
        for texts in self._columns.values():
            artists += [t for t in texts if t.get_visible()]
        return sorted(artists, key=lambda a: a.get_zorder())  # stable: ties keep this order

    def _static_key(self):
        fig, ax = self.figure, self.ax
        legend = () if self.numbers else (
            self.caption.get_text(),
            *((t.get_text(), t.get_position(), t.get_horizontalalignment())
              for t in self.legend_texts.values()))
        return (fig.dpi, tuple(fig.bbox.bounds), ax.get_xlim(), ax.get_ylim(),
                tuple(ax.get_xticks()), ax.get_xlabel(), ax.get_ylabel(), legend,
                tuple(t.get_text() for t in self._headings.values()),
                tuple(t.get_text() for t in self._labels.values()))

    def invalidate(self) -> None:
        """Forget the cached background; call after changing the figure other than by update()."""
        self._background = self._background_key = None

    def draw(self) -> None:
        """Draw the figure on its canvas, reusing a picture of the parts that did not change.

        Axes, ticks, axis labels and the table's row labels are drawn once and kept (text is
        what matplotlib draws slowest: these are half of the text on the plot); each call then
        restores that picture and draws only the curves, legend, title and numbers on top
        (with ``numbers=False``, only the curves: the legend and caption are kept too).
        The result is the same image as a full draw. Falls back to a full draw when the plot
        shares its figure with other axes.
        """
        if not self.owns_figure:
            draw(self.figure)
            return
        canvas = self.figure.canvas
        dynamic = self._dynamic_artists()
        key = self._static_key()
        with mpl.rc_context(_DRAW_RC):
            if key != self._background_key or self._background is None:
                for artist in dynamic:
                    artist.set_animated(True)  # a full draw skips animated artists
                try:
                    canvas.draw()
                finally:
                    for artist in dynamic:
                        artist.set_animated(False)
                self._background = canvas.copy_from_bbox(self.figure.bbox)
                self._background_key = key
            else:
                canvas.restore_region(self._background)
            renderer = canvas.get_renderer()
            for artist in dynamic:
                artist.draw(renderer)

    def _draw(self) -> None:
        self.draw()

    def table_text(self):
        """The numbers the table shows, read back from its text artists (a DataFrame).

        Rows are ``(arm label, count)``, columns the times, as
        :meth:`~edu_survival.analyze.Analysis.at_risk_table`.
        """
        import pandas as pd

        rows = {}
        for pos in (1, 0):
            if self.table_drawn:
                label = self._headings[pos].get_text()
                cells = [t.get_text().split("\n") for t in self._columns[pos] if t.get_visible()]
            else:  # not drawn: the numbers table_html() shows
                label, values = self._table[pos]
                cells = values.T
            for i, what in enumerate(self.counts):
                rows[(label, what)] = [int(c[i]) for c in cells]
        frame = pd.DataFrame.from_dict(rows, orient="index",
                                       columns=[_fmt_t(t) for t in self.times])
        frame.index = pd.MultiIndex.from_tuples(frame.index, names=["arm", "count"])
        return frame

    def headline_html(self) -> str:
        """The hazard ratio, log-rank p and each arm's patients and deaths, as HTML (class
        es-headline): the title and legend numbers of a plot made with ``numbers=False``."""
        import html

        a, arms = self.analysis, {1: self.analysis.other, 0: self.analysis.reference}
        parts = [f'<b>{html.escape(_hr_text(a))}</b>']
        for pos in (1, 0):
            style = "solid" if ARM_LINESTYLES[pos] == "-" else "dashed"
            parts.append(f'<span style="display:inline-block"><span aria-hidden="true" '
                         f'style="display:inline-block;width:1.6em;vertical-align:middle;'
                         f'border-top:3px {style} {ARM_COLORS[pos]}"></span> '
                         f'{html.escape(a.labels[arms[pos]])}: {a.n[arms[pos]]} patients, '
                         f'{a.deaths[arms[pos]]} deaths</span>')
        return f'<div class="es-headline">{" &ensp; ".join(parts)}</div>'

    def table_html(self, visual: bool = True) -> str:
        """The numbers-at-risk table as HTML to put under the picture (class es-risk).

        Each number is placed at its time's share of the figure's width, so under a picture
        shown at 100% width of the same box the columns stand under the time axis's ticks,
        sharp at any size. A real ``<table>`` (visually hidden) gives screen readers the same
        numbers. With ``plot_km(..., numbers=False)`` this is the only table. ``visual=False``
        gives the plain table alone, shown (for a static copy, where no style sheet places
        the numbers).
        """
        import html

        fig_w = self.figure.bbox.width
        to_px = self.ax.transData.transform
        xs = [100 * to_px((t, 0))[0] / fig_w for t in self.times]
        left = 100 * self.ax.bbox.x0 / fig_w
        names = [COUNT_NAMES[c] for c in self.counts]
        cells_html, rows = [], []
        for pos in (1, 0):
            label, values = self._table[pos]
            colour, name = ARM_TEXT_COLORS[pos], html.escape(label)
            cells_html.append(f'<div class="es-risk-arm" style="margin-left:{left:.2f}%;'
                              f'color:{colour}">{name}</div>')
            for what, row in zip(names, values, strict=True):
                cells = "".join(f'<span style="left:{x:.2f}%">{v}</span>'
                                for x, v in zip(xs, row, strict=True))
                cells_html.append(f'<div class="es-risk-row" style="color:{colour}">'
                                  f'<span class="es-risk-label" style="right:{100 - left:.2f}%">'
                                  f'{what}</span>{cells}</div>')
                rows.append(f'<tr><th scope="row">{name}: {what.lower()}</th>'
                            + "".join(f"<td>{v}</td>" for v in row) + "</tr>")
        head = "".join(f"<th scope='col'>{_fmt_t(t)}</th>" for t in self.times)
        columns = html.escape(time_phrase(self.analysis))
        table = (f'<caption>Numbers at risk (columns: {columns})</caption>'
                 f'<tr><td></td>{head}</tr>{"".join(rows)}</table>')
        if not visual:
            # Spaced columns: numbers such as 161 and 111 must not run together.
            return f'<table style="border-collapse:separate;border-spacing:1em 0.1em">{table}'
        return (f'<div class="es-risk" aria-hidden="true">{"".join(cells_html)}</div>'
                f'<table class="es-sr-only">{table}')


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
    times = nice_times(t_max)
    if len(times) >= 3 or not (math.isfinite(t_max) and t_max > 0):
        return times
    ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(0, t_max)
    return np.round(ticks[(ticks >= 0) & (ticks <= t_max * (1 + 1e-9))], 10)


def _axes_height_in(ax) -> float:
    return ax.get_position().height * ax.figure.get_figheight()


def _steps(time, survival):
    """Vertices of a right-continuous step function (cheaper than a steps-post drawstyle)."""
    x = np.repeat(time, 2)[1:]
    y = np.repeat(survival, 2)[:-1]
    return x, y


def _check_analysis(analysis):
    if not isinstance(analysis, Analysis):
        raise ValueError(
            f"analysis must be an edu_survival Analysis (from edu_survival.analyze); "
            f"got {type(analysis).__name__}"
        )


def plot_km(analysis: Analysis, ax=None, *, counts=("at risk",), ci: bool = True,
            censor_marks: bool = True, medians: bool = True, t_max: float | None = None,
            min_at_risk: int | None = MIN_AT_RISK, tail: str = "faded",
            numbers: bool = True) -> KMPlot:
    """Kaplan–Meier curves of both arms, as printed in journals.

    Draws each arm's curve with censoring marks (``|``), its pointwise confidence band and a
    dotted line to its median; the legend gives each arm's patients and deaths, the title the
    hazard ratio with its confidence interval and the log-rank p-value, and below the axes a
    numbers-at-risk table (KMunicate style) at round times. Simulated data are labelled so.

    Parameters
    ----------
    analysis : Analysis
        From :func:`edu_survival.analyze`; times in its ``unit`` (months for simulated trials).
    ax : matplotlib Axes, optional
        Where to draw. Leave :func:`table_height` inches below it for the table. By default
        a new figure of its own (which never displays itself; see :func:`png_bytes`).
    counts : sequence of {"at risk", "censored", "events"}
        Rows of the table per arm: at risk just before each time, and censored and deaths
        (events) up to it.
    ci : bool
        Shade each curve's pointwise 95% (``1 - alpha``) confidence interval: the interval at
        each time on its own, not a band that holds the whole curve with 95% confidence.
    censor_marks, medians : bool
        Mark censored times; draw lines to the medians (when reached).
    t_max : float, optional
        Right end of the time axis (in the analysis's unit); default the last observed time.
    min_at_risk : int or None
        Once fewer than this many patients (5 by default) remain at risk, where a single death
        makes the curve jump, the rest of the curve is drawn faded (or stopped, see ``tail``)
        and the key above the plot and the alt text say so. None or 0: every curve in full.
    tail : {"faded", "stopped"}
        Draw that last part faded, or leave it out.
    numbers : bool
        Draw what changes from trial to trial in words into the figure (default): the
        numbers-at-risk table, the hazard ratio in the title, patients and deaths in the legend.
        False leaves them out (the legend names the arms only), for a view that shows
        :meth:`KMPlot.headline_html` and :meth:`KMPlot.table_html` beside the picture: drawing
        text was most of a widget's drawing time.

    Returns
    -------
    KMPlot
        With ``figure``, ``ax``, ``lines`` (by arm position: 0 reference, 1 other), ``alt_text``,
        ``table_text()`` and ``update(new_analysis)``.

    Examples
    --------
    >>> import edu_survival as es
    >>> plot = plot_km(es.analyze(es.simulate(es.LAPATINIB, seed=1)), counts=("at risk", "events"))
    >>> plot.title.get_text()
    'HR 0.80 (95% CI 0.61 to 1.03); log-rank p = 0.083'
    >>> plot.table_text().loc["treatment"].loc["at risk"].tolist()
    [161, 111, 78, 27, 0]
    """
    return KMPlot(analysis, ax, counts=counts, ci=ci, censor_marks=censor_marks, medians=medians,
                  t_max=t_max, min_at_risk=min_at_risk, tail=tail, numbers=numbers)


# ----- hazard ratio (forest) -----------------------------------------------------------------
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
            (self.points,) = ax.plot([], [], linestyle="none", marker="s", markersize=10,
                                     color=ARM_COLORS[1], zorder=3)
            (self.truth,) = ax.plot([], [], linestyle="none", marker="D", markersize=8,
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


# ----- the dance of the p-values (and of the confidence intervals) ------------------------------
_P_FLOOR = 1e-6  # p-values below this are drawn on the floor of the log axis
_HR_LIMITS = (1 / 20, 20)  # intervals reaching beyond are drawn to the edge of the axis
COVER_COLORS = ("#D55E00", "#555555")  # (misses the true HR, contains it): vermillion, grey
_DANCE_SHOWS = ("both", "p", "intervals")


def _outside_legend(ax, handles, labels):
    """A legend in the margin right of ``ax``: it can never hide a point."""
    return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.015, 1.0),
                     borderaxespad=0.0, frameon=False, handlelength=1.6,
                     fontsize=SMALL)


class DancePlot(_Shown):
    """p-values and hazard-ratio intervals of many simulated trials (see :func:`plot_dance`)."""

    def __init__(self, result, ax=None, *, n_show: int | None = 100, show: str | None = None):
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
        self.n_show, self.show = n_show, show
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
        (self.significant,) = p_ax.plot([], [], "o", color="black", markersize=6)
        (self.not_significant,) = p_ax.plot([], [], "o", markerfacecolor="white",
                                            markeredgecolor=GREY, markersize=6)
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
        self.no_effect = hr_ax.axhline(1.0, color="#999999", linewidth=1.0, zorder=1)
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
        level = round(100 * (1 - result.alpha))
        n_def, n_cov = int(defined.sum()), int(covers.sum())
        share, se, trials = result.coverage
        all_text = (f"all {result.n_sims:,} trials: {share:.1%} (Monte Carlo SE {se:.1%})"
                    if trials else "no trial had an interval")
        self.hr_title.set_text(f"{level}% CIs: {n_cov:,} of these {n_def:,} contain the true "
                               f"hazard ratio {true_hr:.2f}\nOver {all_text}")
        from ..montecarlo import _defined_hrs, _why_undefined

        estimates, undefined = _defined_hrs(hrs)
        spread = (f" The estimates range from {estimates.min():.2f} to {estimates.max():.2f}."
                  if len(estimates) else " No trial shown could estimate the hazard ratio.")
        open_ended = int(np.count_nonzero(defined & ~point))
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


def _text_width_px(figure, text, size) -> float:
    """Width in pixels of ``text`` (its longest line) at font ``size``, without drawing."""
    from matplotlib.font_manager import FontProperties

    renderer = figure.canvas.get_renderer()
    font = FontProperties(size=size)
    with mpl.rc_context(_DRAW_RC):  # measured as drawn (unhinted glyphs are a little wider)
        return max(renderer.get_text_width_height_descent(line, font, ismath=False)[0]
                   for line in text.split("\n"))


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


# ----- log-log plot (checking proportional hazards) -------------------------------------------
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
            ax.grid(color="#dddddd", linewidth=0.8)
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
            f"{analysis.labels[arms[1]]} (solid blue) and {analysis.labels[arms[0]]} (dashed "
            "vermillion). Under proportional hazards the two curves are parallel: the vertical "
            "gap between them is the log hazard ratio at every time. Curves that meet, cross or "
            "move apart say the hazards are not proportional, and a single hazard ratio then "
            f"averages an effect that changes over time.{gap_text}"
            + (" Simulated data, not patient data." if analysis.simulated else "")
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


# ----- power curve ----------------------------------------------------------------------------
AXIS_NAMES = {
    "n": "Patients randomised",
    "median_control": "Median survival, control (months)",
    "median_treatment": "Median survival, treatment (months)",
    "accrual": "Accrual (months)",
    "follow_up": "Follow-up after the last enrolment (months)",
    "dropout": "Dropout (annual probability)",
    "allocation": "Share allocated to treatment",
    "shape": "Weibull shape",
    "delay": "Delay before the treatment acts (months)",
}


class PowerCurvePlot(_Shown):
    """Simulated and analytic power against one design parameter (see :func:`plot_power_curve`)."""

    def __init__(self, curve, ax=None, *, target: float | None = 0.8):
        vary = _check_curve(curve)
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
            ax.grid(color="#dddddd", linewidth=0.8)
            ax.set_axisbelow(True)
            if target is not None:
                ax.axhline(target, color=GREY, linewidth=1, linestyle=":")
            (self.analytic,) = ax.plot([], [], color=ARM_COLORS[1], linestyle="-",
                                       label="analytic (Schoenfeld)")
            from matplotlib.collections import LineCollection

            self.ci = LineCollection([], colors="black", linewidths=1.5)
            ax.add_collection(self.ci)
            (self.simulated,) = ax.plot([], [], linestyle="none", marker="o", color="black",
                                        markersize=7, label="simulated (95% CI)")
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

