"""Lesson 09's helpers: a "published" figure, its reconstruction and the reveal, and the story's
trial had the story printed a figure.

The figure is drawn from an invented, simulated trial (:func:`hidden_scenario`, not patient
data) that the learner does not see until the reveal; the clicks on it are fixed
(:func:`lesson_digitised`), and the files in ``lessons/data/`` are those clicks, written once by
``tools/make_lesson09_data.py`` (:func:`write_lesson_data`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ..analyze import Analysis, analyze
from ..reconstruct import Digitised, ReconstructionWarning, digitise, rebuild, trial

HIDDEN = None  # built on first use (see hidden_scenario), so importing stays quick
HIDDEN_SEED = 9
CLICK_SEEDS = {"control": 91, "treatment": 92}
LESSON_FILES = {"control": "09_control.csv", "treatment": "09_treatment.csv", "at_risk": "09_at_risk.csv"}


def hidden_scenario():
    """The invented trial behind lesson 09's "published" figure (simulated, not patient data).

    240 patients, medians 10 and 15 months, 18 months of enrolment and 18 more of follow-up,
    and 15% a year lost to follow-up, so that patients are censored all along the curve.
    """
    from ..scenario import Scenario

    return Scenario(n=240, median_control=10.0, median_treatment=15.0, accrual=18.0,
                    follow_up=18.0, dropout=0.15)


def hidden_trial() -> Analysis:
    """The trial behind lesson 09's figure: what the learner does not see until the reveal."""
    from ..simulate import simulate

    return analyze(simulate(hidden_scenario(), seed=HIDDEN_SEED))


def published_figure():
    """Lesson 09's "published" figure: the hidden trial's KM curves with the numbers at risk.

    Its text alternative says what the printed figure shows (title, legend, table), not the
    hidden trial's analysis: the lesson asks for an RMST the paper did not report.
    """
    from ..plots import plot_km

    return plot_km(hidden_trial(), ci=False, alt="picture")


def lesson_digitised() -> dict:
    """Lesson 09's clicks on the published figure, arm ->
    :class:`~edu_survival.reconstruct.Digitised` (fixed seeds).

    The files in ``lessons/data/`` are these, written once by ``tools/make_lesson09_data.py``.
    """
    hidden = hidden_trial()
    figure = published_figure()  # the clicks are on its axis, the table is the one it prints
    times, t_max = np.asarray(figure.times, dtype=float), float(figure.ax.get_xlim()[1])
    clicks = {arm: digitise(hidden.curves[arm], times, seed=CLICK_SEEDS[arm], t_max=t_max)
              for arm in hidden.arms}
    # As written to the files: times to 4 decimals, survival in percent to 4 decimals.
    return {arm: Digitised(d.curve.assign(time=d.curve["time"].round(4),
                                          survival=(d.curve["survival"] * 100).round(4) / 100), d.at_risk)
            for arm, d in clicks.items()}


def lesson_rebuilt() -> pd.DataFrame:
    """Lesson 09's reconstruction from its clicks: what the lesson gets from the files."""
    return trial(lesson_digitised())


def write_lesson_data(directory) -> list:
    """Write lesson 09's digitised points (one WebPlotDigitizer-style CSV per arm, no header,
    survival in percent as a typical figure's axis) and its at-risk table (as printed: one row
    per arm, one column per time). Returns the paths written."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    clicks = lesson_digitised()
    paths = []
    for arm, digitised in clicks.items():
        path = directory / LESSON_FILES[arm]
        points = digitised.curve.assign(survival=digitised.curve["survival"] * 100)
        points.round(4).to_csv(path, header=False, index=False)
        paths.append(path)
    table = pd.DataFrame({arm: d.at_risk.set_index("time")["at_risk"] for arm, d in clicks.items()}).T
    table.columns = [f"{t:g}" for t in table.columns]
    path = directory / LESSON_FILES["at_risk"]
    table.rename_axis("arm").to_csv(path)
    paths.append(path)
    return paths


def story_versions(seed: int = 1) -> dict:
    """Two trials simulated from the story's summary figures, one per reading of its numbers.

    Both have the story's medians (17.3 and 23.9 months) and its 321 patients. "medians":
    constant hazards, so the hazard ratio is the medians' ratio, about 0.72. "38%": hazards
    rising over time (Weibull shape chosen so that the same medians give a hazard ratio of 0.62).
    Same seed, so the same patients' random draws.
    """
    from ..scenario import LAPATINIB
    from ..simulate import simulate

    shape = math.log(0.62) / math.log(LAPATINIB.median_control / LAPATINIB.median_treatment)
    scenarios = {"medians": LAPATINIB, "38%": LAPATINIB.replace(shape=shape)}
    return {name: analyze(simulate(sc, seed=seed)) for name, sc in scenarios.items()}


def story_hazard_ratios() -> dict:
    """The true hazard ratio of each version of the story's trial (see :func:`story_versions`).

    Examples
    --------
    >>> story_hazard_ratios()
    {'medians': 0.724, '38%': 0.62}
    """
    return {name: round(result.scenario.hr, 3) for name, result in story_versions().items()}


def story_check(seeds=range(1, 6), click_seed: int = 5) -> pd.DataFrame:
    """Had the story printed its figure: for each version of its trial (see
    :func:`story_versions`) and several simulated trials of each, the hazard ratio the trial's
    hidden data give and the one a reader rebuilds from its figure, with the 95% CI.

    Simulated from the story's summary figures, not patient data. The simulated hand slips by
    a pixel now and then, across an at-risk time; the rebuild corrects that as
    :func:`~edu_survival.reconstruct.guyot` documents, and ``attrs["corrections"]`` lists its
    :class:`~edu_survival.reconstruct.ReconstructionWarning` messages rather than printing a
    dozen of them under the lesson's table.
    """
    rows, corrections = [], []
    for seed in seeds:
        for name, result in story_versions(seed).items():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ReconstructionWarning)
                clicked = rebuild(result, seed=click_seed)
            corrections += [f"{name}, trial {seed}: {w.message}" for w in caught
                            if issubclass(w.category, ReconstructionWarning)]
            for w in caught:
                if not issubclass(w.category, ReconstructionWarning):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            rebuilt = analyze(clicked, engine="numpy")
            rows.append({
                "version": name, "trial (seed)": seed, "true HR": round(result.scenario.hr, 3),
                "trial's HR (hidden data)": round(result.hr, 3), "rebuilt HR": round(rebuilt.hr, 3),
                "rebuilt 95% CI": f"{rebuilt.hr_ci[0]:.2f} to {rebuilt.hr_ci[1]:.2f}",
            })
    table = pd.DataFrame(rows).set_index(["version", "trial (seed)"]).sort_index(level=0, sort_remaining=False)
    table.attrs["corrections"] = corrections
    return table
