"""Lesson 03 (median survival): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_TINY = teaching.tiny_trial


def _last_time_above_half(deaths_only: bool = True) -> float:
    """The last death time (or, with ``deaths_only=False``, the last time of any row) at which the
    twelve invented patients' curve is still above one half."""
    table = teaching.life_table(_TINY())
    rows = table[(table["survival"] > 0.5) & ((table["died"] > 0) | (not deaths_only))]
    return float(rows["time"].max())


def _seed3_median():
    return teaching.simulated_trial(seed=3).median["control"]


def _seed3_interval_misses_the_truth() -> bool:
    """The premise of exercise 03.2: the seed-3 interval excludes the true 17.3 months."""
    m = _seed3_median()
    return not m.lower <= LAPATINIB.median_control <= m.upper


register(
    Exercise(
        id="03.1",
        question="What is the Kaplan–Meier median survival of the twelve invented patients, in months?",
        form="number",
        answer=lambda: teaching.km_median(_TINY()),
        tolerance=0.01,
        reading_check=True,  # the life table prints every time; reading the right one is the skill
        misconceptions=(
            Misconception("the last time above one half", lambda: _last_time_above_half(),
                          "At that time the curve is still just above one half. The median is the *first* "
                          "time the curve is at or below one half: the next death time."),
            Misconception("a censoring time read as the median", lambda: _last_time_above_half(deaths_only=False),
                          "At that time a patient is censored and the curve stays level, still above one "
                          "half. The median is the first time the curve is at or below one half, which can "
                          "only happen at a death."),
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
        question=("In the seed-3 trial (simulated from the story's summary figures), the 95% confidence "
                  "interval of the chemotherapy-alone median does not contain 17.3 months, the true median "
                  "the trial was simulated from. What does that tell you?"),
        form="choice",
        options={
            "a": "the simulation or the interval is faulty: a 95% interval always contains the true value",
            "b": ("nothing is wrong: a 95% interval is meant to contain the true value in about 95 of 100 "
                  "trials, so a few trials' intervals miss it, and this is one of them"),
            "c": "the true median of such patients must be below 17.3 months after all",
            "d": "the interval is too narrow because the trial has too many patients",
        },
        answer=lambda: "b" if _seed3_interval_misses_the_truth() else "a",
        misconceptions=(
            Misconception("a 95% interval read as a guarantee", "a",
                          "A 95% interval is a method that catches the true value in about 95 of 100 "
                          "trials, not in every one. Seeing it miss now and then is what 95% means."),
            Misconception("one trial trusted over the known truth", "c",
                          "Here we know the truth: we simulated from 17.3 months. The interval is an "
                          "estimate from one sample of patients; this sample happens to be an unlucky one."),
            Misconception("more patients thought to make an interval less trustworthy", "d",
                          "More patients make an interval narrower and just as trustworthy: it still "
                          "catches the truth about 95 times in 100. This interval misses by chance."),
        ),
        hints=("Twenty trials of this design give twenty different intervals. Would all of them contain 17.3?",
               "What does the '95%' of a 95% interval promise, over many trials?"),
        explanation=lambda v: (
            f"Chance. The seed-3 interval, {_seed3_median().lower:.1f} to {_seed3_median().upper:.1f} months, "
            "misses 17.3; about 5 trials in 100 do. We know because this is a simulation; a real trial "
            "never tells you whether it is one of the unlucky ones."),
        how="teaching.simulated_trial(seed=3).median['control'] against LAPATINIB.median_control",
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
