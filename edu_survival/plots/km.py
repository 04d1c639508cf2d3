"""The Kaplan–Meier plot: both arms' curves, as printed in journals, with numbers at risk.

:func:`plot_km` draws each arm's curve with censoring marks, its pointwise confidence band, a
dotted line to its median and, once few patients remain, a faded tail; the hand-made legend,
the hazard-ratio title and the at-risk table (``km_table``) change in place on ``update``, and
:meth:`KMPlot.draw` redraws only what changed, so a widget can show a new trial many times a
second. Colours, dashes, markers and labels come from ``style``.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter

from .._checks import check_sequence
from ..analysis import words
from ..analyze import Analysis
from .figure import (
    _axes_height_in,
    _check_analysis,
    _own_axes,
    _Shown,
    _steps,
    draw,
)
from .km_legend import _Legend
from .km_table import _AtRiskTable, table_height, table_times
from .style import (
    _DRAW_RC,
    _RC,
    _TAIL_ALPHA,
    ARM_COLORS,
    ARM_LINESTYLES,
    ARM_TEXT_COLORS,
    COUNT_NAMES,
    GRID,
    MIN_AT_RISK,
    SIMULATED_CAPTION,
    SMALL,
    STYLE,
    arm_style,
)
from .text import _fmt_t, _hr_text, describe, time_phrase


class KMPlot(_AtRiskTable, _Legend, _Shown):
    """Kaplan–Meier curves of the two arms with a numbers-at-risk table (see :func:`plot_km`)."""

    def __init__(self, analysis: Analysis, ax=None, *, counts=("at risk",), ci: bool = True,
                 censor_marks: bool = True, medians: bool = True, t_max: float | None = None,
                 min_at_risk: int | None = MIN_AT_RISK, tail: str = "faded",
                 numbers: bool = True, alt: str = "summary"):
        _check_analysis(analysis)
        counts = _check_options(min_at_risk, tail, counts, t_max)
        if alt not in ("summary", "picture"):
            raise ValueError(f"alt must be 'summary' or 'picture'; got {alt!r}")
        self.alt, self.show_medians = alt, bool(medians)
        self.min_at_risk = int(min_at_risk) if min_at_risk else 0
        self.tail = tail
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
        self._build_axes()
        self.lines, self.bands, self.marks, self.median_lines = {}, {}, {}, {}
        self.tails, self.tail_marks, self.tail_from = {}, {}, {}
        # By arm position: the curve, cut, censoring marks and median line the artists show
        # (see _update_arm); a view that draws the curves itself (the browser) reads these,
        # and sets defer_artists so that update() leaves the artists to the next draw().
        self.shapes, self._stale_arms, self.defer_artists = {}, set(), False
        for pos in STYLE["order"]:  # treatment drawn last-but-one, legend lists it first
            self._build_arm(pos, censor_marks, medians)
        self._build_legend()
        self._headings, self._labels, self._columns = {}, {}, {}
        if self.table_drawn:
            self._build_table()

    def _build_axes(self):
        """The axes that every trial shares: survival from 0 to 1, labels, grid."""
        ax = self.ax
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}"))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _fmt_t(v)))
        ax.set_ylabel(STYLE["labels"]["survival_axis"])
        # Fixed label positions: otherwise every draw measures all tick labels to place them.
        ax.yaxis.set_label_coords(-0.085, 0.5)
        ax.xaxis.set_label_coords(0.5, -(1.6 * SMALL + 8) / 72 / _axes_height_in(ax))
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)

    def _build_arm(self, pos, censor_marks, medians):
        """One arm's artists, empty until :meth:`update`: its curve, faded tail, confidence
        band, censoring marks and the line to its median."""
        ax, style, km = self.ax, arm_style(pos), STYLE["km"]
        (line,) = ax.plot([0, 1], [1, 1], color=style["color"], linestyle=style["linestyle"],
                          zorder=3)
        self.lines[pos] = line
        # Where fewer than min_at_risk patients remain, the curve goes on faded (or stops).
        (self.tails[pos],) = ax.plot([], [], color=style["color"],
                                     linestyle=style["linestyle"], alpha=_TAIL_ALPHA,
                                     zorder=3, visible=self.tail == "faded")
        if self.ci:
            self.bands[pos] = ax.fill_between([0, 1], [1, 1], [1, 1], step="post",
                                              color=style["color"], alpha=km["ci_alpha"],
                                              linewidth=0, zorder=1)
        if censor_marks:
            mark = {"linestyle": "none", "marker": km["censor"]["marker"],
                    "markersize": km["censor"]["size"],
                    "markeredgewidth": km["censor"]["edge_width"], "color": style["color"]}
            (self.marks[pos],) = ax.plot([], [], **mark, zorder=4)
            (self.tail_marks[pos],) = ax.plot([], [], **mark, alpha=_TAIL_ALPHA, zorder=4,
                                              visible=self.tail == "faded")
        if medians:
            median = km["median"]
            (self.median_lines[pos],) = ax.plot([], [], color=style["color"],
                                                linewidth=median["width"],
                                                linestyle=(0, tuple(median["dash"])), zorder=2)

    def update(self, analysis: Analysis) -> KMPlot:
        """Show another analysis (same layout) by changing the existing artists."""
        _check_analysis(analysis)
        self.analysis = analysis
        arms = {0: analysis.reference, 1: analysis.other}
        times = self._update_time_axis(analysis)
        labels = []
        self.tail_from = {}
        for pos in STYLE["order"]:
            arm = arms[pos]
            self._update_arm(pos, arm, analysis.curves[arm], analysis.median[arm].estimate)
            labels.append(f"{analysis.labels[arm]} (n = {analysis.n[arm]}, "
                          f"{analysis.deaths[arm]} deaths)" if self.numbers else analysis.labels[arm])
        level = words.level_of(analysis.alpha)
        key = [f"shaded: pointwise {level}% CI"] if self.ci else []
        if self.tail_from:
            key.append(f"{'faded' if self.tail == 'faded' else 'stopped'}: "
                       f"< {self.min_at_risk} at risk")
        self.key.set_text("\n".join(key))
        self._place_legend(analysis, labels)
        self.title.set_text(self._fit_title(_hr_text(analysis)) if self.numbers else "")
        self.caption.set_text(SIMULATED_CAPTION if analysis.simulated else "")
        self._update_table(analysis, arms, times)
        self.alt_text = self._alt_text(analysis, arms, level)
        return self

    def _update_time_axis(self, analysis: Analysis) -> np.ndarray:
        """Set the time axis for ``analysis``; return the round times of its ticks and table."""
        ax = self.ax
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
        return times

    def _update_arm(self, pos, arm, curve, median: float) -> None:
        """One arm's layout for ``curve`` (in :attr:`shapes`): where its solid curve ends and
        its tail begins, its censoring marks and the line to its median; and its artists
        set to it, now or (``defer_artists``) when the figure is next drawn."""
        # The solid curve runs to the first time after which fewer than min_at_risk
        # patients remain at risk; the rest is the (faded or hidden) tail.
        after = curve.at_risk - curve.events - curve.censored  # at risk just after each time
        few = np.flatnonzero(after < self.min_at_risk)
        cut = int(few[0]) if len(few) else len(curve.time) - 1
        if cut < len(curve.time) - 1:
            self.tail_from[arm] = float(curve.time[cut])
        cens = curve.censored > 0
        late = np.arange(len(cens)) > cut
        m = median
        self.shapes[pos] = {
            "curve": curve, "cut": cut,
            "marks": (curve.time[cens & ~late], curve.survival[cens & ~late]),
            "tail_marks": (curve.time[cens & late], curve.survival[cens & late]),
            "median": tuple(map(np.asarray, ([0, m, m], [0.5, 0.5, 0]) if math.isfinite(m) else ([], []))),
        }
        self._stale_arms.add(pos)
        if not self.defer_artists:
            self.apply_artists()

    def apply_artists(self) -> None:
        """Set the artists of every arm whose layout changed since they were last set."""
        for pos in sorted(self._stale_arms):
            shape = self.shapes[pos]
            curve, cut = shape["curve"], shape["cut"]
            solid = slice(0, cut + 1)
            self.lines[pos].set_data(*_steps(curve.time[solid], curve.survival[solid]))
            self.tails[pos].set_data(*_steps(curve.time[cut:], curve.survival[cut:]))
            if self.ci:
                self.bands[pos].set_data(curve.time[solid], curve.lower[solid],
                                         curve.upper[solid])
            if pos in self.marks:
                self.marks[pos].set_data(*shape["marks"])
                self.tail_marks[pos].set_data(*shape["tail_marks"])
            if pos in self.median_lines:
                self.median_lines[pos].set_data(*shape["median"])
        self._stale_arms.clear()

    def _alt_text(self, analysis: Analysis, arms: dict, level: int) -> str:
        """What the plot shows, in words: its text alternative."""
        shading = (f", each with its pointwise {level}% confidence interval shaded (the interval "
                   "at each time on its own, not a band for the whole curve)" if self.ci else "")
        tails = ""
        if self.tail_from:
            where = " and ".join(f"{analysis.labels[arm]} after {_fmt_t(round(t, 1))} {analysis.unit}"
                                 for arm, t in self.tail_from.items())
            drawn = "drawn faded" if self.tail == "faded" else "stopped"
            tails = (f" Where fewer than {self.min_at_risk} patients remain at risk a curve is "
                     f"{drawn}, as a few patients make it jump ({where}).")
        words = [arm["words"] for arm in STYLE["arms"]]
        return (
            f"Kaplan–Meier plot: proportion alive against {time_phrase(analysis)} for "
            f"{analysis.labels[arms[1]]} ({words[1]}) and {analysis.labels[arms[0]]} "
            f"({words[0]}){shading}, with numbers at risk below.{tails} "
            f"{describe(analysis) if self.alt == 'summary' else self._drawn_words(analysis, arms)}"
        )

    def _drawn_words(self, analysis: Analysis, arms: dict) -> str:
        """``alt="picture"``: only what the figure itself prints (no estimate a reader must find)."""
        parts = []
        if self.numbers:
            parts.append(f"The title reads: {self.title.get_text()}.")
            parts.append("The legend gives each arm's patients and deaths: " + "; ".join(
                f"{analysis.labels[arms[pos]]}, {analysis.n[arms[pos]]} patients, "
                f"{analysis.deaths[arms[pos]]} deaths" for pos in STYLE["order"]) + ".")
        if self.show_medians:
            parts.append("Dotted lines run from where each curve first reaches one half down to "
                         "the time axis, marking the medians.")
        if analysis.simulated:
            parts.append(words.SIMULATED)
        return " ".join(parts)

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
        self.apply_artists()
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


def _check_options(min_at_risk, tail, counts, t_max) -> tuple:
    """:func:`plot_km`'s options checked (ValueError naming the bad one); the counts as a tuple."""
    if min_at_risk is not None and (isinstance(min_at_risk, bool)
                                    or not isinstance(min_at_risk, (int, np.integer))
                                    or min_at_risk < 0):
        raise ValueError("min_at_risk must be a whole number of patients >= 0, or None (draw "
                         f"every curve to its end); got {min_at_risk!r}")
    if tail not in ("faded", "stopped"):
        raise ValueError(f"tail must be 'faded' or 'stopped'; got {tail!r}")
    counts = check_sequence("counts", counts)
    bad = [c for c in counts if c not in COUNT_NAMES]
    if bad or not counts:
        raise ValueError(
            f"counts must be a non-empty subset of {list(COUNT_NAMES)}; got {list(counts)!r}"
        )
    if t_max is not None and not (isinstance(t_max, (int, float)) and 0 < t_max < math.inf):
        raise ValueError(f"t_max must be a positive number of time units or None; got {t_max!r}")
    return counts


def plot_km(analysis: Analysis, ax=None, *, counts=("at risk",), ci: bool = True,
            censor_marks: bool = True, medians: bool = True, t_max: float | None = None,
            min_at_risk: int | None = MIN_AT_RISK, tail: str = "faded",
            numbers: bool = True, alt: str = "summary") -> KMPlot:
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
    alt : {"summary", "picture"}
        The text alternative: ``"summary"`` (default) adds the analysis's summary (medians with
        their intervals, RMST, hazard ratio, deaths); ``"picture"`` says only what the figure
        prints (title, legend), for a lesson that asks the learner to read an estimate off the
        plot, or that keeps an analysis the figure does not show for later.

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
                  t_max=t_max, min_at_risk=min_at_risk, tail=tail, numbers=numbers, alt=alt)
