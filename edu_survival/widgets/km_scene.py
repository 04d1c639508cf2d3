"""A Kaplan–Meier plot as data for the browser: its curves' arrays and a small spec.

:func:`km_scene` reads a :class:`~edu_survival.plots.KMPlot` as it stands after ``update``:
each arm's curve (time, survival and its band, with the index where the plot fades it),
the censoring marks and lines to the medians as the plot laid them out (``KMPlot.shapes``,
in the analysis's time unit and survival), and the few things around them (where the
axes are, their ranges, ticks and labels, the legend's words and place, the key and the
caption). The colours, dashes, widths, markers and fonts come from the one style,
:data:`~edu_survival.plots.style.STYLE`, that the matplotlib plot reads too. The browser
(``km_scene.js``) maps the arrays to pixels and draws them (steps, the band as a step-post
fill, the tail faded, as matplotlib's artists draw them), so that no drawing (and no
recording of one) is done in the kernel while a slider moves; the layout is still the one
:class:`~edu_survival.plots.KMPlot` made, so the two pictures cannot disagree on colour,
dash, label, place or order.

Positions are figure pixels with y upwards from the bottom edge (as matplotlib's); sizes in
the style are points, and ``px`` (pixels per point) converts them.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..plots.style import GREY, STYLE


def _look(px: float) -> dict:
    """The style's part the browser draws with, in pixels."""
    km, width = STYLE["km"], STYLE["line_width"] * px
    arms = []
    for look in STYLE["arms"]:
        arms.append({"colour": look["color"].lower(), "width": width,
                     "dash": [d * width for d in look["dash"]]})
    median_w = km["median"]["width"] * px
    return {"arms": arms, "ci_alpha": km["ci_alpha"], "tail_alpha": km["tail_alpha"],
            "censor": {"size": km["censor"]["size"] * px, "width": km["censor"]["edge_width"] * px},
            "median": {"width": median_w, "dash": [d * median_w for d in km["median"]["dash"]]},
            "font": STYLE["font"]["size"] * px, "small": STYLE["font"]["small"] * px,
            "grey": GREY.lower()}


def _ticks(axis, lim) -> list:
    """[[value, label], ...] of an axis's major ticks inside ``lim``."""
    values = [float(v) for v in axis.get_majorticklocs()]
    fmt = axis.get_major_formatter()
    lo, hi = min(lim), max(lim)
    return [[v, fmt(v, i)] for i, v in enumerate(values) if lo - 1e-9 <= v <= hi + 1e-9]


def _grid(axis, px: float) -> dict | None:
    """The grid lines along an axis's ticks, as the plot draws them (None: no grid)."""
    ticks = axis.get_major_ticks()
    if not ticks or not ticks[0].gridline.get_visible():
        return None
    line = ticks[0].gridline
    return {"colour": mpl.colors.to_hex(line.get_color()), "width": line.get_linewidth() * px}


def _frame(ax, px: float) -> dict:
    """The axes around the curves: box, ranges, ticks, axis labels, spines and grid."""
    tick = ax.xaxis.get_major_ticks()[0] if ax.xaxis.get_major_ticks() else None
    xlabel, ylabel = ax.xaxis.label, ax.yaxis.label
    xlim, ylim = [float(v) for v in ax.get_xlim()], [float(v) for v in ax.get_ylim()]
    return {
        "box": [round(float(v), 3) for v in ax.bbox.extents], "xlim": xlim, "ylim": ylim,
        "xticks": _ticks(ax.xaxis, xlim), "yticks": _ticks(ax.yaxis, ylim),
        "tick": {"size": (tick.tick1line.get_markersize() if tick else 3.5) * px,
                 "width": (tick.tick1line.get_markeredgewidth() if tick else 0.8) * px,
                 "pad": (tick.get_pad() if tick else 3.5) * px},
        "spine": ax.spines["left"].get_linewidth() * px,
        "grid": _grid(ax.yaxis, px),
        "xlabel": [xlabel.get_text(), *map(float, xlabel.get_transform().transform(xlabel.get_position()))],
        "ylabel": [ylabel.get_text(), *map(float, ylabel.get_transform().transform(ylabel.get_position()))],
    }


def _texts(km) -> dict:
    """The legend's rows (the style's order), the key above the axes, the title and caption."""
    ax = km.ax
    legend = []
    for pos in STYLE["order"]:
        text, sample = km.legend_texts[pos], km.legend_samples[pos]
        x, y = ax.transAxes.transform(text.get_position())
        xs, ys = sample.get_data()
        line = ax.transAxes.transform(np.column_stack([xs, ys]))
        legend.append({"pos": pos, "label": text.get_text(), "x": float(x), "y": float(y),
                       "ha": text.get_horizontalalignment(),
                       "sample": [round(float(v), 3) for v in line.ravel()]})
    key_x, key_y = km.key.get_transform().transform(km.key.get_position())
    title = km.title
    title_x, title_y = title.get_transform().transform(title.get_position())
    cap_x, cap_y = km.caption.get_transform().transform(km.caption.get_position())
    return {"legend": legend,
            "key": {"lines": km.key.get_text().split("\n") if km.key.get_text() else [],
                    "x": float(key_x), "y": float(key_y), "spacing": km.key.get_linespacing()},
            # the title's transform holds its pad above the axes
            "title": {"text": title.get_text(), "x": float(title_x), "y": float(title_y)},
            "caption": {"text": km.caption.get_text(), "x": float(cap_x), "y": float(cap_y)}}


def _arm(km, pos: int, add) -> dict:
    """One arm: its curve's arrays (offsets into the float32 buffer, from ``add``) in time and
    survival, with ``cut``, the index where its faded tail begins (the last index: none),
    and the censoring marks and the line to the median, as the plot laid them out."""
    shape = km.shapes[pos]
    curve = shape["curve"]
    arm = {"pos": pos, "time": add(curve.time), "survival": add(curve.survival),
           "cut": int(shape["cut"]), "tail": km.tail == "faded"}
    if pos in km.bands:
        arm["lower"], arm["upper"] = add(curve.lower), add(curve.upper)
    if pos in km.marks:
        arm["marks"] = add(np.column_stack(shape["marks"]))
        if km.tail == "faded":
            arm["tail_marks"] = add(np.column_stack(shape["tail_marks"]))
    if pos in km.median_lines and len(shape["median"][0]):
        arm["median"] = add(np.column_stack(shape["median"]))
    return arm


def km_scene(km, add) -> dict:
    """What the browser needs to draw ``km`` (a :class:`~edu_survival.plots.KMPlot` of its own
    figure): ``add(array)`` puts an array in the float32 buffer and returns ``[start, count]``.

    The arms are listed in the style's order, the order in which the plot adds their artists:
    the browser draws layer by layer (bands, lines to the medians, curves, tails, marks),
    each layer's arms in that order, as matplotlib draws artists by z-order and then by the
    order they were added.
    """
    px = km.figure.dpi / 72
    return {"px": px, "look": _look(px), "frame": _frame(km.ax, px), **_texts(km),
            "arms": [_arm(km, pos, add) for pos in STYLE["order"]]}
