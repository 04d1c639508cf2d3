"""Rebuild a trial from its published curve: the reconstruction of Guyot et al. (2012).

A reader who wants to check a survival claim rarely has the patients' data. They have the
paper's Kaplan–Meier figure and the numbers at risk printed under it. This module goes from those
two things back to approximate individual patient data (IPD), which
:func:`edu_survival.analyze` can then re-analyse:

1. :func:`read_digitised` reads the points a person clicked on the figure (a WebPlotDigitizer
   CSV) and cleans them;
2. :func:`guyot` rebuilds one arm's patients from its points and its numbers at risk;
3. :func:`trial` does both arms and gives a data set for :func:`edu_survival.analyze`;
4. :func:`compare` puts the original and the reconstruction side by side.

:func:`digitise` plays the person with the mouse (for round trips in tests and lessons) and
:func:`round_trip` chains everything for a data set whose true patients we know.

How close a reconstruction gets
-------------------------------
Measured by ``tools/reconstruct_accuracy.py`` with :func:`round_trip` and
:func:`round_trip_errors`: 200 digitisations per data set (seeds 1000 to 1199; a plot area of
500 by 350 pixels, clicks scattered by 1 pixel, the at-risk table at the figure's round times,
total deaths not used). The median and the 99th percentile of each error, the larger of the
two arms where there is one per arm:

======================  =============  =============  =============  ===========  =============
data set                KM gap         KM gap, 10+    abs. log HR    log-rank     median
                        (whole curve)  at risk        difference     chi-square   (data's unit)
======================  =============  =============  =============  ===========  =============
story, simulated (321)  0.043 / 0.197  0.028 / 0.044  0.010 / 0.078  0.28 / 2.3   0.15 / 1.5 mo
lung by sex (228)       0.046 / 0.074  0.043 / 0.058  0.013 / 0.026  0.74 / 1.2   2.2 / 54 days
gbsg2 by horTh (686)    0.115 / 0.144  0.042 / 0.052  0.005 / 0.015  0.25 / 0.71  8.9 / 62 days
leukemia by Rx (42)     0.19 / 0.19    0.19 / 0.19    0.045 / 0.082  0.50 / 1.2   0.09 / 0.19 wk
======================  =============  =============  =============  ===========  =============

Where at least 10 patients are still at risk, the rebuilt curve stays within about 0.03 to
0.06 of the original (a few pixels); the whole-curve gap is larger because it includes the
tail, where one patient is a tall step and the last interval's censoring is a guess. The
hazard ratio typically comes back within 1% (log HR 0.01), rarely worse than 8%, and the
log-rank chi-square within about one. A median sits where the curve crosses one half; where
the curve runs flat there, a small vertical error moves it along the flat stretch (54 days in
the lung data, 62 in gbsg2). Leukemia's 0.19 is ties: four of 21 patients died in the same
week, and a click one pixel left of that step puts the rebuilt drop before the original, a gap
of the whole step for one pixel's width. Knowing each arm's total deaths (``total_events``)
pins the last interval: for the story's trial the 99th percentile of the log HR error falls
from 0.078 to 0.028 and of the chi-square from 2.3 to 1.1; for the three real data sets it
changes nothing, because their last interval (after the last at-risk time) is short.
``tests/test_reconstruct.py`` checks these bounds on 30 other seeds per data set.

Guyot et al. report, from repeated reconstructions of published trials by several people, no
material systematic error, excellent accuracy for survival probabilities and medians, and
reasonable accuracy for hazard ratios only when the numbers at risk or the total number of
events are reported, which these runs agree with.

Against an R implementation (``tools/check_against_reconstructKM.py``, run by hand because the
R package's data stay out of this project): on the clicks that reconstructKM ships for the
EF-14 trial's placebo arm, the first six rebuilt deaths are the six its README prints, to the 7
decimals printed; on its KEYNOTE-189 clicks, the rebuilt trial gives HR 0.49 (95% CI 0.38 to
0.64) and 12-month survival 0.692 vs 0.495, beside the 0.49 (0.38 to 0.64) and 69.2% vs 49.4%
published by Gandhi et al. (NEJM 2018).

When the inputs contradict each other (a click far off the curve, a drop clicked just
before an at-risk time whose printed count says it came after, table rows beyond the curve's
end, a total of deaths the curve cannot hold), the rebuild does what its docstring says and a
:class:`ReconstructionWarning` names the point or the time and the numbers: nothing is changed
silently.

What cannot be recovered: *when* patients were censored within an interval of the at-risk
table (the algorithm spreads them evenly), ties (deaths at one time closer than a pixel merge),
and the last interval's censoring, which after the last at-risk time is a guess (below).

The rooms: ``read`` (the clicked points and the at-risk table, from files), ``guyot`` (the
algorithm, and :func:`trial` for every arm), ``validate`` (the simulated person with the mouse,
comparisons, round trips and the accuracy studies above). Lesson 09's figure and data live in
:mod:`edu_survival.teaching.lesson09`, the reconstruction figure in
:mod:`edu_survival.plots`; their names still work here.
"""

from .guyot import MAX_ADJUSTMENTS, SOURCE, guyot, guyot_steps, intervals, trial
from .guyot import _spread as _spread
from .read import SURVIVAL_SCALES, TIME_UNITS, ReconstructionWarning, read_at_risk, read_digitised
from .read import _clean as _clean
from .validate import (
    GAP_AT_RISK,
    VALIDATION_SETS,
    Digitised,
    accuracy_runs,
    compare,
    digitise,
    largest_gap,
    lost_table,
    rebuild,
    round_trip,
    round_trip_errors,
    validation_data,
)

__all__ = [
    "GAP_AT_RISK",
    "MAX_ADJUSTMENTS",
    "ReconstructionWarning",
    "SOURCE",
    "SURVIVAL_SCALES",
    "TIME_UNITS",
    "VALIDATION_SETS",
    "Digitised",
    "accuracy_runs",
    "compare",
    "digitise",
    "guyot",
    "guyot_steps",
    "intervals",
    "largest_gap",
    "lost_table",
    "read_at_risk",
    "read_digitised",
    "rebuild",
    "round_trip",
    "round_trip_errors",
    "trial",
    "validation_data",
]

# Names that moved up, out of the statistics, and still work here (loaded on first use, so that
# importing edu_survival stays quick): lesson 09's content went to teaching.lesson09, the
# reconstruction figure to plots. New code imports them from there.
_MOVED_UP = {
    "ReconstructionPlot": "plots", "plot_reconstruction": "plots",
    **dict.fromkeys(["CLICK_SEEDS", "HIDDEN", "HIDDEN_SEED", "LESSON_FILES", "hidden_scenario",
                     "hidden_trial", "lesson_digitised", "lesson_rebuilt", "published_figure",
                     "story_check", "story_hazard_ratios", "story_versions", "write_lesson_data"],
                    "teaching"),
}


def __getattr__(name):
    if _MOVED_UP.get(name) == "plots":
        from ..plots import reconstruction

        return getattr(reconstruction, name)
    if _MOVED_UP.get(name) == "teaching":
        from ..teaching import lesson09

        return getattr(lesson09, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_MOVED_UP])
