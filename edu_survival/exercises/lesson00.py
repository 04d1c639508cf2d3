"""Lesson 00 (the news story): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register


def _lapatinib_trial(seed):
    return teaching.simulated_trial(seed=seed)


register(
    Exercise(
        id="00.1",
        question="What was the primary endpoint of the trial in the story?",
        form="choice",
        options={
            "a": "tumour shrinkage",
            "b": "overall survival: the time until death from any cause",
            "c": "progression-free survival",
            "d": "clearance of the circulating tumour cells",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("confusing the endpoints", "c",
                          "Progression-free survival counts progression or death; the story's primary "
                          "endpoint is death from any cause, overall survival."),
            Misconception("CTCs as the endpoint", "d",
                          "The circulating tumour cells define who could enrol (HER2-positive CTCs); "
                          "the story says the primary endpoint was overall survival. (A real trial with "
                          "this population, DETECT III, did use CTC clearance as its primary endpoint.)"),
        ),
        hints=("Look for 'primary endpoint' in the summary printed above.",
               "The endpoint is a time: from the start of a patient's follow-up until one particular event."),
        explanation=("Overall survival: the event is death from any cause. The story times it from the start "
                     "of treatment; a randomised trial usually starts each patient's clock at "
                     "randomisation, as these lessons do."),
        how='teaching.story_summary()',
    ),
    Exercise(
        id="00.2",
        question=("Under the model built from the story's medians (exponential survival), what share of "
                  "patients on chemotherapy alone have died within 24 months of starting treatment?"),
        form="proportion",
        answer=lambda: 1 - float(LAPATINIB.survival(24, "control")),
        tolerance=0.02,
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
        question=("In the simulated trial with seed 1 (simulated from the story's summary figures), how many "
                  "patients had died by the analysis, both arms together?"),
        form="count",
        answer=lambda: _lapatinib_trial(1).total_deaths,
        misconceptions=(
            Misconception("everyone counted as dead", 321,
                          "Not every patient has died by the analysis: the others are still alive when "
                          "the data are analysed (censored). Read the deaths in the summary."),
        ),
        hints=("The summary printed under the trial counts the deaths.",
               "Look for '... deaths among 321 patients'."),
        explanation=lambda v: f"{v} of the 321 simulated patients died; the rest were alive at the analysis.",
        how="teaching.simulated_trial(seed=1).total_deaths",
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
