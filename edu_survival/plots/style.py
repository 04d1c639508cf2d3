"""The one style every picture reads: colours, line styles, markers, fonts and labels.

:data:`STYLE` is plain data (``json.dumps(STYLE)`` writes it as it is), so that the matplotlib
plots in this package and a view drawn in the browser read the same definition and can never
disagree on colour, dash, label or order. The names below it (:data:`ARM_COLORS`,
:data:`FONT`, ...) are read from it, for code that wants one value.

One palette runs through all plots: the reference (control) arm is vermillion with dashed
lines, the other (treatment) arm blue with solid lines (Okabe–Ito colours, safe for colour
blindness, and the line styles keep the arms apart in greyscale). Arms are given by position:
0 the reference (control) arm, 1 the other (treatment) arm. Fonts are sized to be read on a
projector.

Examples
--------
>>> import json
>>> json.loads(json.dumps(STYLE))["arms"][1]["color"] == ARM_COLORS[1]
True
"""

from __future__ import annotations

import copy

STYLE: dict = {
    # By position: 0 the reference (control) arm, 1 the other (treatment) arm. "linestyle" is
    # matplotlib's; "dash" is the same pattern in line widths (matplotlib's dashed pattern,
    # scaled by the line's width), empty for a solid line; "words" is how the alt texts name it.
    "arms": [
        # Okabe–Ito vermillion; its text colour is darkened to 5.5:1 contrast on white (WCAG AA
        # asks 4.5:1; #D55E00 has 3.9:1).
        {"color": "#D55E00", "text_color": "#B34700", "linestyle": "--", "dash": [3.7, 1.6],
         "words": "dashed vermillion"},
        # Okabe–Ito blue, 5.2:1 on white as it is.
        {"color": "#0072B2", "text_color": "#0072B2", "linestyle": "-", "dash": [],
         "words": "solid blue"},
    ],
    "order": [1, 0],  # legend and at-risk table list the other (treatment) arm first
    "colors": {
        "grey": "#555555",  # secondary text, reference lines
        "grid": "#dddddd",
        "no_effect": "#999999",  # the dance's line at HR 1
        # a confidence interval that (misses, contains) the true hazard ratio
        "cover": ["#D55E00", "#555555"],
    },
    # 90 dpi: a 8.5 x 6.8 inch figure is 765 x 612 pixels, sharp on a projector and quick to
    # draw and encode (every extra pixel costs in the Agg fill and in the PNG encoder).
    "dpi": 90,
    "font": {"size": 13, "small": 11.5},  # points
    "line_width": 2.2,  # points
    "km": {
        "ci_alpha": 0.15,  # the pointwise confidence band's shading
        # Curves are drawn faded once fewer than min_at_risk patients remain at risk. KMunicate
        # (Morris et al. 2019) asks for confidence intervals and the extended table but sets no
        # cut-off; a handful of patients is where one death moves the curve by 20% or more.
        "min_at_risk": 5,
        "tail_alpha": 0.35,
        "censor": {"marker": "|", "size": 8, "edge_width": 1.4},  # points
        "median": {"dash": [1.5, 2.5], "width": 1.2},  # the dotted line to each median, points
        # The dash-dotted line at a time the curves are compared at (the censoring explorer's
        # and the competing-risks plot's horizon), points.
        "horizon": {"color": "#555555", "linestyle": "-.", "width": 1.0},
    },
    "markers": {
        "estimate": {"marker": "s", "size": 10},  # a hazard ratio in the forest plot
        "truth": {"marker": "D", "size": 8},  # the true hazard ratio (open diamond)
        "trial": {"marker": "o", "size": 6},  # one simulated trial's p-value
        "simulated_power": {"marker": "o", "size": 7},
    },
    "labels": {
        "simulated": "Simulated data, not patient data",
        "survival_axis": "Proportion alive",
        "counts": {"at risk": "At risk", "censored": "Censored", "events": "Events"},
        # The power curve's x axis, by the Scenario field varied.
        "axes": {
            "n": "Patients randomised",
            "median_control": "Median survival, control (months)",
            "median_treatment": "Median survival, treatment (months)",
            "accrual": "Accrual (months)",
            "follow_up": "Follow-up after the last enrolment (months)",
            "dropout": "Dropout (annual probability)",
            "allocation": "Share allocated to treatment",
            "shape": "Weibull shape",
            "delay": "Delay before the treatment acts (months)",
        },
    },
}


def style_spec() -> dict:
    """A copy of :data:`STYLE` to send elsewhere (e.g. as JSON to a browser view).

    Examples
    --------
    >>> style_spec()["font"]
    {'size': 13, 'small': 11.5}
    """
    return copy.deepcopy(STYLE)


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


# One value each, read from STYLE.
ARM_COLORS = tuple(arm["color"] for arm in STYLE["arms"])
ARM_LINESTYLES = tuple(arm["linestyle"] for arm in STYLE["arms"])
ARM_TEXT_COLORS = tuple(arm["text_color"] for arm in STYLE["arms"])
GREY = STYLE["colors"]["grey"]
GRID = STYLE["colors"]["grid"]
COVER_COLORS = tuple(STYLE["colors"]["cover"])  # (misses the true HR, contains it)
SIMULATED_CAPTION = STYLE["labels"]["simulated"]
DPI = STYLE["dpi"]
FONT = STYLE["font"]["size"]
SMALL = STYLE["font"]["small"]
COUNT_NAMES = STYLE["labels"]["counts"]
AXIS_NAMES = STYLE["labels"]["axes"]
MIN_AT_RISK = STYLE["km"]["min_at_risk"]
_TAIL_ALPHA = STYLE["km"]["tail_alpha"]

# matplotlib's settings for every figure made here (projector font sizes, no top/right spines).
_RC = {
    "font.size": FONT,
    "axes.titlesize": FONT,
    "axes.labelsize": FONT,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": STYLE["line_width"],
}
# Unhinted glyphs render about 20% faster and look the same at these sizes.
_DRAW_RC = {"text.hinting": "no_hinting"}
