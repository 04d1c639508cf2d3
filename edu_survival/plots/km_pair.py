"""Two Kaplan–Meier plots, one above the other: the same trial analysed two ways.

Used for responders (the naive comparison from randomisation above the landmark analysis from
the visit) and for surrogate endpoints (time to progression above overall survival). Each
panel is a :class:`~edu_survival.plots.KMPlot` with its numbers-at-risk table.
"""

from __future__ import annotations

import html
import re

import matplotlib as mpl

from .._checks import check_sequence
from ..analyze import Analysis
from ..traps.landmark import ResponderComparison
from .figure import _check_analysis, _Shown, draw, new_figure
from .km import plot_km
from .km_table import table_height
from .style import _RC, FONT

_COUNTS = ("at risk",)

# A Kaplan–Meier plot speaks of deaths and survival; for time to progression its event is a
# progression (a death first censors). The pair rewords such a panel's legend, axis and alt text.
PROGRESSION_WORDS = {
    "proportion alive": "proportion without progression",
    "Proportion alive": "Proportion without progression",
    "Median survival": "Median time to progression",
    "Restricted mean survival": "Restricted mean time without progression",
    "Censored (alive at the analysis or lost to follow-up)":
        "Censored (died before progressing, alive at the analysis, or lost to follow-up)",
}


def _reword(text: str, words: dict | None) -> str:
    """``text`` with each of ``words`` replaced, and "<number> deaths" as "<number> progressions"."""
    if not words:
        return text
    for old, new in words.items():
        text = text.replace(old, new)
    return re.sub(r"(\d) deaths\b", r"\1 progressions", text)


class KMPairPlot(_Shown):
    """Two Kaplan–Meier plots stacked, each under a heading (see :func:`plot_km_pair`)."""

    def __init__(self, top: Analysis, bottom: Analysis, headings=("", ""), intro: str = "",
                 words=(None, None), numbers: bool = True):
        _check_analysis(top, "top")
        _check_analysis(bottom, "bottom")
        self.numbers = bool(numbers)
        table, km_h, head, gap = table_height(_COUNTS if numbers else ()), 3.3, 1.05, 0.35
        height = 2 * (table + km_h + head) + gap
        fig = new_figure(8.5, height)
        left, width = 0.14, 0.83
        lower = (table, km_h, head)
        upper_bottom = table + km_h + head + gap + table
        with mpl.rc_context(_RC):
            self.axes = (fig.add_axes((left, upper_bottom / height, width, km_h / height)),
                         fig.add_axes((left, table / height, width, km_h / height)))
            self.headings = [
                fig.text(0.02, (upper_bottom + km_h + head - 0.12) / height, "", fontsize=FONT,
                         fontweight="bold", va="top"),
                fig.text(0.02, (sum(lower) - 0.12) / height, "", fontsize=FONT, fontweight="bold", va="top"),
            ]
        self.figure = fig
        self.plots = (plot_km(top, ax=self.axes[0], counts=_COUNTS, numbers=numbers),
                      plot_km(bottom, ax=self.axes[1], counts=_COUNTS, numbers=numbers))
        self.words = tuple(words)
        self.update(top, bottom, headings, intro)

    @property
    def ax(self):
        """The upper axes (``axes`` holds both)."""
        return self.axes[0]

    def update(self, top: Analysis, bottom: Analysis, headings=("", ""), intro: str = "") -> KMPairPlot:
        """Show two other analyses (and headings) by changing the existing artists."""
        headings = check_sequence("headings", headings, 2)
        if not all(isinstance(h, str) for h in headings):
            raise ValueError(f"headings must be two strings; got {headings!r}")
        if not isinstance(intro, str):
            raise ValueError(f"intro must be a string; got {intro!r}")
        alts = []
        for plot, analysis, words in zip(self.plots, (top, bottom), self.words, strict=True):
            plot.update(analysis)
            if words:
                plot.ax.set_ylabel(_reword(plot.ax.get_ylabel(), words))
                for text in plot.legend_texts.values():
                    text.set_text(_reword(text.get_text(), words))
            alts.append(_reword(plot.alt_text, words))
        for text, heading in zip(self.headings, headings, strict=True):
            text.set_text(heading)
        self.alt_text = (f"{intro} Top, {headings[0] or 'first analysis'}: {alts[0]} "
                         f"Bottom, {headings[1] or 'second analysis'}: {alts[1]}").strip()
        return self

    def _draw(self) -> None:
        draw(self.figure)

    def tables_html(self) -> str:
        """Each panel's hazard-ratio headline and numbers-at-risk table as HTML, under its
        heading: what a widget shows beside the picture when it is drawn with ``numbers=False``."""
        parts = []
        for text, plot in zip(self.headings, self.plots, strict=True):
            words = self.words[self.plots.index(plot)]
            parts.append(f"<h4>{html.escape(text.get_text())}</h4>"
                         f"{_reword(plot.headline_html(), words)}{_reword(plot.table_html(), words)}")
        return "".join(parts)


def plot_km_pair(top: Analysis, bottom: Analysis, headings=("", ""), intro: str = "") -> KMPairPlot:
    """Two analyses as Kaplan–Meier plots, one above the other, each under its heading.

    Returns
    -------
    KMPairPlot
        With ``figure``, ``axes`` and ``plots`` (top, bottom), ``alt_text`` (``intro`` then each
        panel's own) and ``update(top, bottom, headings, intro)``.
    """
    return KMPairPlot(top, bottom, headings, intro)


def responder_headings(comparison: ResponderComparison) -> tuple[str, str]:
    """The two panels' headings for a responder comparison."""
    return (f"Naive: everyone, counted from randomisation ({comparison.n} patients)",
            f"Landmark: alive at month {comparison.visit:g}, counted from then "
            f"({comparison.landmark.total_n} patients, {comparison.dropped} dropped)")


def plot_responders(comparison: ResponderComparison) -> KMPairPlot:
    """The naive responder comparison above the landmark analysis of the same trial.

    Parameters
    ----------
    comparison : ResponderComparison
        From :func:`edu_survival.traps.landmark.compare_responders` (or
        ``es.teaching.responder_trial()``).
    """
    if not isinstance(comparison, ResponderComparison):
        raise ValueError("comparison must be a ResponderComparison (from "
                         f"edu_survival.traps.landmark.compare_responders); got {type(comparison).__name__}")
    intro = ("Two Kaplan–Meier plots of responders against non-responders in a simulated trial where "
             "response does nothing.")
    return KMPairPlot(comparison.naive, comparison.landmark, responder_headings(comparison), intro)


def endpoint_headings(analyses: dict) -> tuple[str, str]:
    """Headings for time to progression (top) and overall survival (bottom)."""
    return (f"Time to progression: hazard ratio {analyses['ttp'].hr:.2f}",
            f"Overall survival: hazard ratio {analyses['os'].hr:.2f}")


def plot_endpoints(analyses: dict, numbers: bool = True) -> KMPairPlot:
    """Time to progression above overall survival, for the same simulated patients.

    ``analyses`` is :func:`edu_survival.traps.surrogate.endpoint_analyses`'s dictionary;
    ``numbers=False`` leaves the numbers out of the picture (see :meth:`KMPairPlot.tables_html`).
    """
    if not isinstance(analyses, dict) or not {"ttp", "os"} <= set(analyses):
        raise ValueError("analyses must be the dictionary of edu_survival.traps.surrogate.endpoint_analyses")
    intro = "Time to progression and overall survival of the same simulated patients."
    return KMPairPlot(analyses["ttp"], analyses["os"], endpoint_headings(analyses), intro,
                      words=(PROGRESSION_WORDS, None), numbers=numbers)
