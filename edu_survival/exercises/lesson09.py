"""Lesson 09 (rebuilding a trial from its curve): its exercises, declared. The engine is in ``engine.py``.

Answers are computed from the lesson's digitised figure (``teaching.lesson09.lesson_digitised()``, the
same points as ``lessons/data/09_*.csv``) at check time.
"""

from __future__ import annotations

from .. import reconstruct
from ..analyze import analyze
from ..teaching import lesson09
from .engine import Exercise, Misconception, register


def _first_interval():
    clicks = lesson09.lesson_digitised()["control"]
    return reconstruct.intervals(*clicks).iloc[0]


def _rebuilt():
    return analyze(lesson09.lesson_rebuilt(), unit="months")


register(
    Exercise(
        id="09.1",
        question=("In the control arm's first interval (the first row of the table above), what is the "
                  "algorithm's first guess of the number of patients censored?"),
        form="count",
        answer=lambda: int(_first_interval()["first guess censored"]),
        misconceptions=(
            Misconception("everyone who left counted as censored",
                          lambda: int(_first_interval()["at risk at start"] - _first_interval()["at risk at end"]),
                          "That is everyone who left the risk set: the dead and the censored together. "
                          "The curve's fall says how many of them died; only the rest were censored."),
            Misconception("the deaths taken for the censored",
                          lambda: round(float(_first_interval()["at risk at start"]
                                              * (1 - _first_interval()["survival at end"]
                                                 / _first_interval()["survival at start"]))),
                          "That is roughly the number who died: the at-risk count times the curve's fall. "
                          "The censored are the ones who left without the curve falling for them."),
        ),
        hints=("Multiply the number at risk at the start by the survival at the end divided by the "
               "survival at the start: that many would still be at risk had nobody been censored.",
               "Subtract the number at risk at the end, and round."),
        explanation=lambda v: (f"{v}: without censoring the number at risk would have fallen with the curve; "
                               "the table shows it fell further, and those extra patients were censored."),
        how='reconstruct.intervals(curve, at_risk).loc[0, "first guess censored"]',
    ),
    Exercise(
        id="09.2",
        question=("The paper did not report the restricted mean survival time. From the rebuilt trial, what "
                  "is the RMST difference, treatment minus control, in months (the horizon as in the "
                  "table above)?"),
        form="number",
        answer=lambda: _rebuilt().rmst_diff,
        tolerance=0.1,  # the table shows each RMST to 0.1: their difference can be 0.1 off
        misconceptions=(
            Misconception("difference of the medians",
                          lambda: _rebuilt().median["treatment"].estimate - _rebuilt().median["control"].estimate,
                          "That is the difference of the medians, read at one point of each curve. The RMST is "
                          "the area under each curve up to the horizon, so its difference counts every month."),
            Misconception("control minus treatment", lambda: -_rebuilt().rmst_diff,
                          "The sign is reversed: the question asks for treatment minus control, positive when "
                          "treatment patients lived longer on average up to the horizon."),
        ),
        hints=("The summary printed above states it, and the table above has a column 'RMST to ... months' "
               "for each arm.",
               "Subtract the control arm's RMST from the treatment arm's."),
        explanation=lambda v: (f"{v:.1f} months: up to the horizon, patients on treatment lived on average that "
                               "much longer. The paper never printed it; the rebuilt data give it."),
        how="es.analyze(rebuilt).rmst_diff",
    ),
    Exercise(
        id="09.3",
        question=("Suppose every step of both curves had been clicked perfectly. Which of these would the "
                  "reconstruction still have to guess?"),
        form="choice",
        options={
            "a": "the number of deaths in each interval before the last time of the at-risk table",
            "b": "when, within each interval, patients were censored",
            "c": "the number of patients randomised to each arm",
            "d": "the height of the curve after each death",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("the deaths thought unknowable", "a",
                          "Those are pinned: the curve's drops give the deaths at each step once the number "
                          "at risk is known, and the table gives that number at each of its times."),
            Misconception("the number randomised thought unknown", "c",
                          "The at-risk table's first column is the number randomised in each arm."),
            Misconception("the clicked height thought a guess", "d",
                          "The height is what is clicked; with a perfect click it is exact."),
        ),
        hints=("What does the at-risk table say about the censored patients in an interval: how many, or when?",
               "The algorithm spreads the censored evenly over each interval."),
        explanation=("When patients were censored within an interval: the table gives how many left, not when, "
                     "so the algorithm spreads them evenly (and after the last table time even how many is a guess)."),
        how="the algorithm's step 2",
    ),
    Exercise(
        id="09.4",
        question="What would the news story have needed to print for a reader to rebuild its trial?",
        form="choice",
        options={
            "a": "the two medians and the hazard ratio",
            "b": "the Kaplan–Meier figure with the numbers at risk under it, ideally with each arm's deaths",
            "c": "the p-value",
            "d": "the number of patients in each arm",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("summaries taken for the data", "a",
                          "Medians and a hazard ratio are summaries: many different trials share them (this "
                          "lesson's two versions of the story's trial have the same medians). A curve with "
                          "its table pins the patients down."),
            Misconception("the p-value taken for the data", "c",
                          "A p-value says how surprising the difference would be by chance alone; it holds "
                          "no patients. It is worth printing, but nothing can be rebuilt from it."),
            Misconception("the arm sizes taken for enough", "d",
                          "The arm sizes are the first column of the at-risk table, but without the curve "
                          "nothing says who died when."),
        ),
        hints=("The algorithm of this lesson needs two inputs per arm.",
               "One is a picture, the other a table printed under it."),
        explanation=("The figure with its numbers at risk (and each arm's deaths, for the last interval): "
                     "from these a reader rebuilds the trial and computes any summary."),
        how="the inputs of reconstruct.trial",
    ),
)
