"""Lesson 03 (median survival): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from .engine import Exercise, Misconception, register

_TINY = teaching.tiny_trial


register(
    Exercise(
        id="03.1",
        question="What is the Kaplan–Meier median survival of the twelve invented patients, in months?",
        form="number",
        answer=lambda: teaching.km_median(_TINY()),
        tolerance=0.01,
        misconceptions=(
            Misconception("median of all recorded times", lambda: teaching.naive_medians(_TINY())["all times"],
                          "That is the middle of all recorded times, censored ones included: censored "
                          "times are lower bounds, so this median is too short. Read where the KM curve "
                          "first reaches 0.5 or below."),
            Misconception("median of the death times only",
                          lambda: teaching.naive_medians(_TINY())["death times only"],
                          "That is the middle of the death times only: it ignores everyone still alive, so "
                          "it is far too short. Read where the KM curve first reaches 0.5 or below."),
        ),
        hints=("Find the first row of the life table whose survival is 0.5 or less.",
               "At month 8 the survival is still just above 0.5."),
        explanation=lambda v: f"{v:g} months: the first time the curve is at or below one half.",
        how="teaching.km_median(teaching.tiny_trial())",
    ),
    Exercise(
        id="03.2",
        question=("In the simulated trial with seed 3 (simulated from the story's summary figures), what is "
                  "the estimated median survival with chemotherapy alone, in months?"),
        form="number",
        answer=lambda: teaching.simulated_trial(seed=3).median["control"].estimate,
        tolerance=0.05,
        misconceptions=(
            Misconception("the assumed median quoted instead of the estimate", 17.3,
                          "17.3 months is the true median we assumed when simulating. A trial estimates it "
                          "with error; read the estimate from this trial's summary."),
        ),
        hints=("The summary sentence lists both medians with their confidence intervals.",
               "The chemotherapy-alone median is the second one in the sentence."),
        explanation=lambda v: f"{v:.1f} months in this trial: one draw around the true 17.3.",
        how='teaching.simulated_trial(seed=3).median["control"].estimate',
    ),
    Exercise(
        id="03.3",
        question="A report says median survival was 'not reached' in one arm. What does that mean?",
        form="choice",
        options={
            "a": "nobody in that arm died",
            "b": "the treatment cured the patients",
            "c": "the Kaplan–Meier curve had not fallen to one half by the end of follow-up",
            "d": "the median is infinite",
        },
        answer=lambda: "c",
        misconceptions=(
            Misconception("'not reached' read as a cure", "b",
                          "It says nothing about a cure: the follow-up simply ended before the "
                          "Kaplan–Meier curve fell to one half. Longer follow-up would usually reach it."),
            Misconception("'not reached' read as no deaths", "a",
                          "Many may have died: 'not reached' means only that the Kaplan–Meier curve, "
                          "which allows for the censored patients, had not yet fallen to one half."),
            Misconception("'not reached' read as infinite", "d",
                          "It is unknown, not infinite: the data stop before the curve crosses one half."),
        ),
        hints=("Look at the short-follow-up trial above: where does its curve end?",
               "A median is the first time the curve is at or below one half."),
        explanation="The curve stops above one half: the median is later than we followed, and unknown.",
        how="Analysis.median[arm].reached",
    ),
    Exercise(
        id="03.4",
        question=("Two trials of the same treatment report median survival with its 95% confidence interval. "
                  "Trial A: 24 months (95% CI 15 to 33). Trial B: 21 months (95% CI 19.5 to 23). Which gives "
                  "the stronger evidence that the median is longer than 18 months?"),
        form="choice",
        options={
            "a": "trial A, because its median is higher",
            "b": "trial B, because its whole interval lies above 18 months",
            "c": "they are equally convincing: both medians are above 18 months",
            "d": "neither: a median cannot be compared with a number",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("a higher estimate read as stronger evidence", "a",
                          "Trial A's median is higher, but its interval reaches down to 15 months: its data "
                          "are compatible with a median below 18. Trial B's interval excludes 18."),
            Misconception("estimates compared without their intervals", "c",
                          "Both point estimates exceed 18, but the intervals say how far each could be off. "
                          "Only trial B's interval lies wholly above 18."),
        ),
        hints=("Look at the lower end of each interval.",
               "Which interval contains values below 18?"),
        explanation=("B: its interval (19.5 to 23) lies above 18 months, while A's (15 to 33) includes "
                     "medians below 18. A precise estimate can be more convincing than a larger one."),
        how="reading confidence intervals",
    ),
)
