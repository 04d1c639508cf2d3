"""Lesson 00 (the news story): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_ALIVE_18 = {arm: float(LAPATINIB.survival(18, arm)) for arm in ("control", "treatment")}
_MORE_ALIVE_18 = 100 * (round(_ALIVE_18["treatment"], 2) - round(_ALIVE_18["control"], 2))  # as shown
"""Model values of lesson 00's exercise 00.1: the share alive at 18 months, and how many more per 100."""


def _medians_fall_both_sides() -> bool:
    """True when twenty trials of the story's design give chemotherapy-alone medians on both sides of
    the true 17.3 months (the premise of exercise 00.4)."""
    medians = teaching.medians_over_trials(LAPATINIB, n_trials=20, seed=11).iloc[:, 0]
    truth = LAPATINIB.median_control
    return bool((medians < truth).any() and (medians > truth).any())


register(
    Exercise(
        id="00.1",
        question=(f"Under the model built from the story's medians (the model's values, not a trial's), the "
                  f"share alive at 18 months is {_ALIVE_18['control']:.2f} with chemotherapy alone and "
                  f"{_ALIVE_18['treatment']:.2f} with lapatinib. Which sentence reads these two points of the "
                  "survival curves correctly?"),
        form="choice",
        options={
            "a": (f"at 18 months, about {_MORE_ALIVE_18:.0f} more patients in every 100 are alive with "
                  "lapatinib than without it"),
            "b": f"patients on lapatinib live {_MORE_ALIVE_18:.0f}% longer",
            "c": f"{100 * _ALIVE_18['treatment']:.0f} of every 100 patients on lapatinib will never die",
            "d": f"{100 * (1 - _ALIVE_18['treatment']):.0f} of every 100 patients on lapatinib die at month 18",
        },
        answer=lambda: "a",
        misconceptions=(
            Misconception("a share alive read as a length of life", "b",
                          "A survival curve's height is a share of patients alive at a time, not a length "
                          "of life. The gap between the curves at 18 months says how many more in 100 are "
                          "alive then; how much longer they live is read along the time axis (the medians)."),
            Misconception("alive at a time read as cured", "c",
                          "Alive at 18 months is not cured: the curve keeps falling after 18 months. It "
                          "says who is alive then, not who will never die."),
            Misconception("'by' read as 'at'", "d",
                          "1 minus the share alive is the share who have died *by* 18 months, at any time "
                          "up to then, not the share who die at month 18."),
        ),
        hints=("A survival curve gives, at each time, the share of patients still alive.",
               "Compare the two shares at the same time: how many more per 100 are alive?"),
        explanation=lambda v: (
            f"Both numbers are heights of the curves at 18 months: {100 * _ALIVE_18['treatment']:.0f} and "
            f"{100 * _ALIVE_18['control']:.0f} alive in every 100, so about {_MORE_ALIVE_18:.0f} more with "
            "lapatinib. They say nothing yet about later months, or about a cure."),
        how='LAPATINIB.survival(18, arm) for each arm',
    ),
    Exercise(
        id="00.2",
        question=("Under the model built from the story's medians (exponential survival), what share of "
                  "patients on chemotherapy alone have died within 24 months of starting treatment?"),
        form="proportion",
        answer=lambda: 1 - float(LAPATINIB.survival(24, "control")),
        tolerance=0.005,  # 1 - 0.38, from the printed table, is inside it
        misconceptions=(
            Misconception("the share alive read as the share who died", lambda: float(LAPATINIB.survival(24, "control")),
                          "That is the share still alive: a survival curve shows who is alive. The share who "
                          "have died is 1 minus that."),
            Misconception("the median read as the share at any time", 0.5,
                          "Half have died at the median, 17.3 months. By 24 months, later than the median, "
                          "more than half have died."),
        ),
        hints=("Read the share alive at 24 months in the table, then ask how many are not alive.",
               "Share who have died = 1 - share alive."),
        explanation=lambda v: f"About {v:.2f}: 24 months is past the median, so more than half have died.",
        how='1 - LAPATINIB.survival(24, "control")',
    ),
    Exercise(
        id="00.3",
        question="Which of these does the story report?",
        form="choice",
        options={
            "a": "a confidence interval for the hazard ratio",
            "b": "a p-value",
            "c": "the number of deaths in each arm",
            "d": "the median overall survival in each arm",
        },
        answer=lambda: "d",
        misconceptions=(
            Misconception("assuming the CI was reported", "a",
                          "The story gives a '38% reduction' but no interval around it, so we cannot "
                          "tell how precise it is."),
            Misconception("'significant' taken as a reported p-value", "b",
                          "The story calls the improvement significant, but prints no p-value; we have "
                          "to take its word for it."),
            Misconception("assuming deaths were reported", "c",
                          "No death counts appear. Deaths are what give a survival trial its power, so "
                          "their absence matters (lesson 06)."),
        ),
        hints=("Re-read the list 'What it leaves out' printed earlier.",
               "Only one of these four figures appears in the story, with one number per arm."),
        explanation="Only the medians (and the '38%'); no CI, p-value or death counts.",
        how="teaching.STORY.not_reported",
    ),
    Exercise(
        id="00.4",
        question=("The simulated trial with seed 1 was built from a true chemotherapy-alone median of 17.3 months, "
                  "yet its estimated median is about three months shorter. Which is the best explanation?"),
        form="choice",
        options={
            "a": "the simulation is faulty: a trial built from a median of 17.3 months should estimate 17.3",
            "b": ("chance: the trial's patients are one sample of many possible ones; another seed gives "
                  "another median, sometimes above 17.3 and sometimes below"),
            "c": "censoring: patients still alive at the analysis pull every estimated median below the truth",
            "d": "the lapatinib arm's longer survival pushes the other arm's median down",
        },
        answer=lambda: "b" if _medians_fall_both_sides() else "c",
        misconceptions=(
            Misconception("one trial expected to reproduce its true values", "a",
                          "A trial is a sample of patients. Even when we know the truth, as in a "
                          "simulation, each sample gives its own estimate: close to the truth, rarely on it."),
            Misconception("censoring thought to bias the estimate", "c",
                          "The Kaplan–Meier estimate allows for censored patients (lessons 01 and 02): other "
                          "seeds give medians above 17.3 as well as below it (lesson 03 shows twenty). The "
                          "gap in this trial is chance."),
            Misconception("the arms thought to affect each other", "d",
                          "Each arm's median is estimated from its own patients only; the other arm cannot "
                          "move it. The gap is the chance of drawing these 160 or so patients."),
        ),
        hints=("What would another seed, another sample of patients, give?",
               "Would every other sample also come out short of 17.3?"),
        explanation=("Chance: one trial is one draw. Other seeds give medians above and below 17.3 (lesson 03 "
                     "runs twenty); a single trial's estimate is never exact."),
        how="teaching.medians_over_trials(LAPATINIB, 20, seed=11): medians on both sides of 17.3",
    ),
    Exercise(
        id="00.5",
        question="Which headline says no more than the story reports?",
        form="choice",
        options={
            "a": "Lapatinib saves 38 of every 100 women with this cancer",
            "b": ("In one trial of 321 patients, half of those given lapatinib were estimated to live "
                  "23.9 months or longer, against 17.3 months without it"),
            "c": "Lapatinib significantly prolongs survival (p < 0.05)",
            "d": "Lapatinib cures HER2-positive breast cancer",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", "a",
                          "The story's 38% is a relative figure about the risk of death, not a count of "
                          "patients saved. Lesson 04 shows how few deaths per 100 a 38% lower hazard "
                          "avoids."),
            Misconception("a p-value the story does not give", "c",
                          "The story calls the result significant but prints no p-value, interval or "
                          "number of deaths: a headline with 'p < 0.05' claims something we cannot see."),
            Misconception("a longer median read as a cure", "d",
                          "A longer median survival means many patients still die, later. Nothing in the "
                          "story speaks of a cure."),
        ),
        hints=("Which headline uses only numbers printed in the story's summary?",
               "A median is where an estimated half of the patients have died."),
        explanation=("The medians, with the size of the trial, are what the story gives; every other "
                     "headline adds something it does not report."),
        how="teaching.story_summary()",
    ),
)
