"""Lesson 08 (capstone): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import design, teaching
from ..claims import check_claims
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

register(
    Exercise(
        id="08.1",
        question=("Run check_claims on the story's figures (n 321, medians 17.3 and 23.9, hazard ratio 0.62). "
                  "How many checks find numbers that disagree?"),
        form="count",
        answer=lambda: len(check_claims(n=321, median_control=17.3, median_treatment=23.9, hr=0.62,
                                        simulate=False).problems),
        misconceptions=(
            Misconception("everything taken as consistent", 0,
                          "Read the checks marked '!!': the hazard ratio and the medians disagree."),
        ),
        hints=("Count the lines marked [!!] in the report.",
               "The last line of the report says it too."),
        explanation=lambda v: f"{v}: the medians imply HR 0.72, not the 0.62 the story states.",
        how="len(es.check_claims(...).problems)",
    ),
    Exercise(
        id="08.2",
        question="In the real lung cancer data (lifelines' load_lung), what is the median survival of the women, in days?",
        form="number",
        answer=lambda: teaching.lung_by_sex().median[2].estimate,
        tolerance=0.5,
        misconceptions=(
            Misconception("median of all recorded times",
                          lambda: teaching.naive_medians(teaching.load_lung().query("sex == 2"), event="status")["all times"],
                          "That is the middle of all recorded times, censored ones included, which are lower "
                          "bounds. Use the Kaplan–Meier median from the summary."),
        ),
        hints=("The summary of the lung analysis gives both medians.", "The women's median comes first."),
        explanation=lambda v: f"{v:g} days.",
        how="teaching.lung_by_sex().median[2].estimate",
    ),
    Exercise(
        id="08.3",
        question="In the lung data, what is the hazard ratio of women compared with men?",
        form="number",
        answer=lambda: teaching.lung_by_sex().hr,
        tolerance=0.01,
        misconceptions=(
            Misconception("hazard ratio inverted", lambda: 1 / teaching.lung_by_sex().hr,
                          "That is men vs women. The question takes men as the reference: women's hazard "
                          "divided by men's, below 1 because women lived longer."),
        ),
        hints=("The summary prints 'Hazard ratio women vs men'.", "It is below 1."),
        explanation=lambda v: f"{v:.2f}: women's hazard of death was about {100 * v:.0f}% of men's.",
        how="teaching.lung_by_sex().hr",
    ),
    Exercise(
        id="08.4",
        question="Which is the fairest one-paragraph verdict on the news story?",
        form="choice",
        options={
            "a": "Lapatinib saves 38 of every 100 patients.",
            "b": (f"The medians suggest a benefit, but the '38%' conflicts with them (they imply about "
                  f"{100 * teaching.STORY.reduction_from_medians:.0f}%), and without deaths, a p-value or an "
                  "interval we cannot judge significance; a trial this size finds an effect of that size "
                  f"only about {design.analytic_power(LAPATINIB):.0%} of the time."),
            "c": "With only 321 patients the trial shows nothing.",
            "d": "The result is false.",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", "a",
                          "A 38% lower hazard is relative, and the medians imply a smaller one anyway."),
            Misconception("'underpowered' read as 'worthless'", "c",
                          "A smaller trial is less likely to find an effect, but a significant result from "
                          "it is still evidence; we simply cannot see whether it was significant."),
            Misconception("inconsistent report read as false result", "d",
                          "Inconsistent reporting makes the story unreliable, not the drug ineffective. The "
                          "right response is to find the primary report."),
        ),
        hints=("Which answer uses everything the checks found, and claims no more?",
               "Look for the answer that mentions what is missing."),
        explanation="Benefit plausible, figure misreported, significance unknown, power modest.",
        how="es.check_claims(...)",
    ),
)
