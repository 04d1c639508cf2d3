"""Exercises that check themselves: ``check("05.2", answer)``, ``hint("05.2")``, ``solution("05.2")``.

Each exercise is declared once, in :data:`REGISTRY`: its question, the form the answer must take,
how the library computes the right answer (at check time, seeded where a simulation is
involved: no expected number is typed in), a tolerance for numbers, the options of a multiple
choice, two hints, and the known misconceptions, each with a message that names and corrects it.

:func:`check` never raises on a learner's answer: a wrong answer, an answer of the wrong type or
the ``...`` placeholder all give a :class:`Feedback` that says what to do next.

Examples
--------
>>> from edu_survival import exercises
>>> exercises.check("04.1", ...).status
'unanswered'
>>> exercises.check("04.1", 1.38).misconception
'median ratio read as the hazard ratio'
>>> exercises.check("04.1", "0.72").status
'wrong form'
>>> exercises.check("04.1", exercises.answer("04.1")).correct
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from . import design, teaching
from .claims import check_claims
from .montecarlo import power
from .scenario import LAPATINIB

FORMS = {
    "number": "a number, such as 0.72 or 15 (no quotes)",
    "proportion": "a proportion between 0 and 1, such as 0.25 (no quotes, not a percentage)",
    "count": "a whole number, such as 42 (no quotes)",
    "choice": 'one letter in quotes, such as "b"',
}


# ----- results ------------------------------------------------------------------------------
_STYLES = {
    "correct": ("#e6f4ea", "#1e7b34", "Correct"),
    "misconception": ("#fdecea", "#b3261e", "A common misconception"),
    "incorrect": ("#fdecea", "#b3261e", "Not yet"),
    "wrong form": ("#fff4e5", "#8a5300", "Check the form of your answer"),
    "unanswered": ("#f1f3f4", "#3c4043", "Not answered yet"),
    "unknown exercise": ("#fff4e5", "#8a5300", "Unknown exercise"),
    "hint": ("#e8f0fe", "#1a4fa0", "Hint"),
    "solution": ("#f3e8fd", "#5b2a86", "Solution (for teachers)"),
    "question": ("#f8f9fa", "#1967d2", "Exercise"),  # 5.1:1 on its background (WCAG AA)
}


def _box(status: str, title: str, message: str) -> str:
    background, colour, label = _STYLES[status]
    body = "<br>".join(html.escape(line) for line in message.split("\n"))
    return (
        f'<div style="background:{background};border-left:6px solid {colour};color:#202124;'
        f'padding:8px 12px;margin:4px 0;border-radius:4px;font-family:sans-serif">'
        f'<b style="color:{colour}">{html.escape(label)}</b> '
        f'<span style="color:#5f6368">({html.escape(title)})</span><br>{body}</div>'
    )


@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says about an answer.

    ``correct`` is True only for a right answer; ``status`` is one of "correct",
    "misconception", "incorrect", "wrong form", "unanswered", "unknown exercise";
    ``misconception`` names the misconception recognised, if any.
    """

    exercise_id: str
    correct: bool
    status: str
    message: str
    misconception: str | None = None

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        label = _STYLES[self.status][2]
        return f"{label} ({self.exercise_id}): {self.message}"

    def __repr__(self) -> str:
        return f"<Feedback {self.exercise_id} correct={self.correct} status={self.status!r}: {self.message}>"

    def _repr_html_(self) -> str:
        return _box(self.status, f"exercise {self.exercise_id}", self.message)


@dataclass(frozen=True)
class Note:
    """A hint or a solution: plain text with a coloured box in a notebook."""

    exercise_id: str
    kind: str  # "question", "hint" or "solution"
    text: str

    def __str__(self) -> str:
        return f"{_STYLES[self.kind][2]} ({self.exercise_id}): {self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return _box(self.kind, f"exercise {self.exercise_id}", self.text)


# ----- declarations -------------------------------------------------------------------------
@dataclass(frozen=True)
class Misconception:
    """A wrong answer that reflects a known misunderstanding, with the message that corrects it.

    ``value`` is an option letter for a multiple choice, or a number (or a function of no
    arguments computing it with the library) for a numeric question. ``tolerance`` (numbers only)
    defaults to the exercise's.
    """

    name: str
    value: Any
    message: str
    tolerance: float | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise, declared: the answer is computed by ``answer()`` at check time."""

    id: str
    question: str
    form: str
    answer: Callable[[], Any]
    tolerance: float = 0.0
    options: dict = field(default_factory=dict)
    misconceptions: tuple = ()
    hints: tuple = ()
    explanation: Callable[[Any], str] | str = ""
    how: str = ""

    @property
    def lesson(self) -> int:
        return int(self.id.split(".")[0])

    def explain(self, value) -> str:
        return self.explanation(value) if callable(self.explanation) else self.explanation

    def expected_form(self) -> str:
        if self.form == "choice":
            letters = ", ".join(f'"{k}"' for k in self.options)
            return f"one of the letters {letters}, in quotes"
        return FORMS[self.form]

    def misconception_value(self, m: Misconception):
        return m.value() if callable(m.value) else m.value


REGISTRY: dict[str, Exercise] = {}


def _register(*items: Exercise) -> None:
    for ex in items:
        if ex.id in REGISTRY:
            raise ValueError(f"exercise {ex.id} declared twice")
        if ex.form not in FORMS:
            raise ValueError(f"exercise {ex.id}: form must be one of {list(FORMS)}")
        if (ex.form == "choice") != bool(ex.options):
            raise ValueError(f"exercise {ex.id}: a choice needs options, and only a choice has them")
        if len(ex.hints) != 2:
            raise ValueError(f"exercise {ex.id}: give exactly two hints")
        REGISTRY[ex.id] = ex


def _lapatinib_trial(seed):
    return teaching.simulated_trial(seed=seed)


_TINY = teaching.tiny_trial
_P_WORKS = (
    "A p-value is not the probability that the drug works (or does not). It is computed assuming "
    "the drug makes no difference: how often chance alone would give a difference at least as large "
    "as the one seen."
)

# ----- lesson 00: the news story ------------------------------------------------------------
_register(
    Exercise(
        id="00.1",
        question="What was the primary endpoint of the trial in the story?",
        form="choice",
        options={
            "a": "tumour shrinkage",
            "b": "overall survival: time from the start of treatment to death from any cause",
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
               "The endpoint is a time: from starting treatment until one particular event."),
        explanation="Overall survival: the event is death from any cause, the clock starts at randomisation.",
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
)

# ----- lesson 01: time to event and censoring -----------------------------------------------
_register(
    Exercise(
        id="01.1",
        question=("In the simulated trial with seed 7, how many patients were censored (alive at the "
                  "analysis or lost to follow-up), both arms together?"),
        form="count",
        answer=lambda: int(sum(teaching.simulated_trial(seed=7).censored.values())),
        misconceptions=(
            Misconception("deaths counted instead of censored patients",
                          lambda: teaching.simulated_trial(seed=7).total_deaths,
                          "That is the number of deaths. Censored patients are the others: their death, "
                          "if it comes, happens after we stop watching."),
        ),
        hints=("The follow-up table has one column for deaths and one for each reason of censoring.",
               "Add 'alive at the analysis' and 'lost to follow-up' over both arms."),
        explanation=lambda v: f"{v} patients were censored: we know only that they lived at least as long as their recorded time.",
        how="sum(teaching.simulated_trial(seed=7).censored.values())",
    ),
    Exercise(
        id="01.3",
        question="Why is the average of all recorded times shorter than the true mean survival?",
        form="choice",
        options={
            "a": "because the treatment shortens life",
            "b": "because a censored patient's time stops at the analysis, as if their life ended there",
            "c": "because of random noise; it would even out in a bigger trial",
            "d": "because a mean is always shorter than a median",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("averaging follow-up times", "c",
                          "It does not even out: averaging follow-up times is biased, not just noisy. "
                          "A bigger trial with the same follow-up gives the same too-short average, "
                          "because every censored time is shorter than that patient's survival."),
            Misconception("blaming the treatment", "a",
                          "Both arms show it, and it has nothing to do with the drug: censored times "
                          "are cut short by the end of the study."),
            Misconception("mean vs median", "d",
                          "Neither is always shorter. The problem is the censored times, which are "
                          "lower bounds, not survival times."),
        ),
        hints=("What does the 'time' of a patient who is alive at the analysis measure?",
               "A censored time is a lower bound: the patient lived at least that long."),
        explanation="Censored times are lower bounds; averaging them with death times pulls the average down.",
        how="teaching.naive_summaries(data)",
    ),
    Exercise(
        id="01.2",
        question=("Enrolment runs for the first 24 months and the analysis happens at month 48. A patient "
                  "enrolled at month 20 is alive at the analysis. What is their recorded time, in months?"),
        form="number",
        answer=lambda: LAPATINIB.analysis_time - 20,
        tolerance=0.01,
        misconceptions=(
            Misconception("clock started at the opening of the study", lambda: LAPATINIB.analysis_time,
                          "Each patient's clock starts at their own randomisation (month 20 here), not at "
                          "the day the study opened."),
            Misconception("enrolment month taken as the time", 20,
                          "Month 20 is when this patient started; their time runs from then until the "
                          "analysis."),
        ),
        hints=("Time is measured from each patient's own start.",
               "From month 20 to month 48."),
        explanation=lambda v: f"{v:g} months, and the patient is censored there: alive, fate unknown after.",
        how="LAPATINIB.analysis_time - 20",
    ),
    Exercise(
        id="01.4",
        question=("In a trial whose endpoint is overall survival, a patient dies in a road accident at "
                  "month 9. How is this recorded?"),
        form="choice",
        options={
            "a": "as censored at month 9, because the death was not caused by the cancer",
            "b": "as a death (an event) at month 9",
            "c": "removed from the data",
            "d": "as lost to follow-up",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("censoring deaths from other causes", "a",
                          "Overall survival counts death from any cause, so this is an event. (Censoring "
                          "such deaths would also assume they tell us nothing about cancer deaths.)"),
            Misconception("dropping awkward patients", "c",
                          "Removing randomised patients breaks the comparison the randomisation made fair; "
                          "everyone stays in, with what happened to them."),
        ),
        hints=("Re-read the definition of overall survival.",
               "'Death from any cause'."),
        explanation="A death, at month 9: overall survival counts every death.",
        how="definition of overall survival",
    ),
)

# ----- lesson 02: Kaplan–Meier by hand ------------------------------------------------------
_register(
    Exercise(
        id="02.1",
        question=("Twelve invented patients: the first death is at month 2, with all 12 at risk. What is the "
                  "Kaplan–Meier survival just after month 2?"),
        form="proportion",
        answer=lambda: teaching.km_at(_TINY(), 2),
        tolerance=0.005,
        misconceptions=(
            Misconception("the share who died instead of the share alive", 1 / 12,
                          "1/12 is the share who died at that step; survival is the share who did not: "
                          "1 - 1/12."),
        ),
        hints=("Survival after a step = 1 - (deaths / number at risk).",
               "1 - 1/12."),
        explanation=lambda v: f"{v:.3f} = 11/12.",
        how="teaching.km_at(teaching.tiny_trial(), 2)",
    ),
    Exercise(
        id="02.2",
        question="Using the life table of the twelve invented patients, what is the Kaplan–Meier survival at month 8?",
        form="proportion",
        answer=lambda: teaching.km_at(_TINY(), 8),
        tolerance=0.005,
        misconceptions=(
            Misconception("censored patients counted as survivors",
                          lambda: teaching.naive_share_alive(_TINY(), 8, "alive"),
                          "You counted everyone not seen to die as alive (7 of 12). The patients censored "
                          "at months 3 and 7 might have died before month 8; Kaplan–Meier lets them count "
                          "only while they were followed."),
            Misconception("censored patients dropped",
                          lambda: teaching.naive_share_alive(_TINY(), 8, "dropped"),
                          "You dropped the censored patients (5 of 10). They were alive when they left, "
                          "and that information counts: Kaplan–Meier keeps them in the risk set until "
                          "their censoring time."),
        ),
        hints=("Multiply the 'share surviving this step' column up to and including month 8.",
               "(11/12) x (9/10) x (7/9) x (5/6)."),
        explanation=lambda v: f"{v:.3f}: the product of the step survivals up to month 8.",
        how="teaching.km_at(teaching.tiny_trial(), 8)",
    ),
    Exercise(
        id="02.3",
        question="What does a censored patient do to the Kaplan–Meier curve at their censoring time?",
        form="choice",
        options={
            "a": "the curve drops, as for a death",
            "b": "the curve stays level, and the number at risk falls by one for later steps",
            "c": "the curve rises",
            "d": "nothing at all: censored patients are left out of the calculation",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("censoring treated as death", "a",
                          "A censored patient was alive when last seen: no drop. Only deaths make the "
                          "curve step down."),
            Misconception("censored patients ignored", "d",
                          "They count in every step while they were followed; they leave the risk set "
                          "only after their censoring time. That is what makes the later steps bigger."),
        ),
        hints=("Look at the life-table rows with a censoring but no death.",
               "The survival column stays the same there; look at 'at risk' on the next row."),
        explanation="Level curve (a tick mark on plots); the next steps are computed over fewer patients.",
        how="teaching.life_table(teaching.tiny_trial())",
    ),
    Exercise(
        id="02.4",
        question="Why is the confidence band around a Kaplan–Meier curve wider at the right-hand end?",
        form="choice",
        options={
            "a": "because fewer patients are still at risk there, so each step rests on less information",
            "b": "because the treatment effect grows with time",
            "c": "because patients are sicker later",
            "d": "because the curve is lower",
        },
        answer=lambda: "a",
        misconceptions=(
            Misconception("band width read as effect size", "b",
                          "The band is about the precision of one arm's curve, not about the difference "
                          "between arms."),
        ),
        hints=("Greenwood's formula adds up a term per death: deaths / (at risk x (at risk - deaths)).",
               "Look at the numbers-at-risk table under the plot."),
        explanation="Few at risk, big uncertain steps: the Greenwood variance grows as the risk set shrinks.",
        how="Greenwood's formula, in analyze.kaplan_meier",
    ),
)

# ----- lesson 03: median survival -----------------------------------------------------------
_register(
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
)

# ----- lesson 04: hazards and the hazard ratio ----------------------------------------------
_register(
    Exercise(
        id="04.1",
        question=("Assuming exponential survival, what hazard ratio (lapatinib vs chemotherapy alone) do the "
                  "story's medians, 23.9 and 17.3 months, imply?"),
        form="number",
        answer=lambda: teaching.STORY.hr_from_medians,
        tolerance=0.005,
        misconceptions=(
            Misconception("median ratio read as the hazard ratio", lambda: teaching.STORY.median_ratio,
                          "23.9 / 17.3 = 1.38 is the ratio of the medians, upside down for a hazard ratio. "
                          "A longer median means a lower hazard: the hazard ratio is 17.3 / 23.9."),
            Misconception("the story's figure repeated", lambda: teaching.STORY.hr_reported,
                          "0.62 is what the story's '38% reduction' would mean. The question asks what the "
                          "medians imply; they do not agree with the 38%."),
        ),
        hints=("Under exponential survival, hazard = ln(2) / median, so the ratio of hazards is a ratio of medians.",
               "Treatment hazard / control hazard = control median / treatment median."),
        explanation=lambda v: f"{v:.3f}: a {100 * (1 - v):.0f}% lower hazard, not 38%.",
        how="teaching.STORY.hr_from_medians",
    ),
    Exercise(
        id="04.2",
        question="The story reports a '38% reduction in the risk of death'. Which hazard ratio is that?",
        form="number",
        answer=lambda: teaching.STORY.hr_reported,
        tolerance=0.005,
        misconceptions=(
            Misconception("the reduction read as the ratio", lambda: teaching.STORY.reduction,
                          "0.38 is the reduction, not the ratio. The hazard ratio is what remains of the "
                          "hazard: 1 - 0.38 = 0.62. (And a 38% lower hazard is not the same thing as a "
                          "median 38% longer: the puzzle below.)"),
            Misconception("the 38% read as a hazard ratio of 38", lambda: 100 * teaching.STORY.reduction,
                          "38 is the percentage reduction, not a hazard ratio. A hazard ratio divides two "
                          "hazards (1 means no difference); a 38% reduction leaves 62% of the hazard, a ratio "
                          "of 1 - 0.38 = 0.62. (And a 38% lower hazard is not the same thing as a median 38% "
                          "longer: the puzzle below.)"),
            Misconception("the increase in the median read as the hazard ratio", lambda: 1 + teaching.STORY.reduction,
                          "1.38 is how many times longer the median is (23.9 / 17.3), not a hazard ratio; a "
                          "hazard ratio above 1 would mean a higher risk of death on lapatinib. A 38% "
                          "reduction leaves 62% of the hazard."),
        ),
        hints=("A reduction of 38% leaves what share of the hazard?", "1 - 0.38."),
        explanation=lambda v: f"{v:.2f}: patients on lapatinib would have {100 * v:.0f}% of the hazard of those without.",
        how="teaching.STORY.hr_reported",
    ),
    Exercise(
        id="04.3",
        question=("With a control median of 17.3 months (exponential) and a hazard ratio of 0.62, how many fewer "
                  "deaths per 100 patients would there be within 24 months?"),
        form="number",
        answer=lambda: teaching.deaths_per_100(LAPATINIB, 24, 0.62)["fewer deaths"],
        tolerance=1.0,
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", 38,
                          "A 38% lower hazard is relative: it lowers each patient's risk at each moment. "
                          "Only the patients who would have died are affected, so far fewer than 38 in "
                          "100 deaths are avoided by 24 months."),
            Misconception("risk ratio and hazard ratio mixed up",
                          lambda: teaching.deaths_per_100(LAPATINIB, 24)["control"] * teaching.STORY.reduction,
                          "You cut the deaths by 38%. A hazard ratio multiplies the hazard, not the share "
                          "who die: survival becomes the control survival to the power 0.62."),
        ),
        hints=("Use the per-100 table: deaths by 24 months in each arm.",
               "Subtract the deaths with lapatinib from the deaths with chemotherapy alone."),
        explanation=lambda v: f"About {v:.0f} fewer deaths per 100 by 24 months: real, but not 38.",
        how="teaching.deaths_per_100(LAPATINIB, 24, 0.62)['fewer deaths']",
    ),
    Exercise(
        id="04.4",
        question="Which sentence describes a hazard ratio of 0.62 correctly?",
        form="choice",
        options={
            "a": "38 of every 100 patients are saved",
            "b": "at any moment, a patient alive on lapatinib has 62% of the risk of dying of a similar patient without it",
            "c": "patients on lapatinib live 38% longer",
            "d": "62% of patients respond to lapatinib",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", "a",
                          "The reduction is relative and applies moment by moment to those still alive; "
                          "the absolute number saved is much smaller (exercise 04.3)."),
            Misconception("hazard ratio read as a ratio of survival times", "c",
                          "A hazard ratio compares rates of dying, not lengths of life. How much longer "
                          "people live depends on the shape of the curves (under exponential survival, "
                          "1/0.62 = 1.6 times the median)."),
            Misconception("hazard ratio read as a response rate", "d",
                          "A hazard ratio compares two arms; it says nothing about how many patients "
                          "respond."),
        ),
        hints=("A hazard is a rate of dying among those still alive.", "'At any moment' is the key phrase."),
        explanation="A ratio of rates, at every moment, among those still alive.",
        how="definition",
    ),
)

# ----- lesson 05: the log-rank test and p-values --------------------------------------------
_register(
    Exercise(
        id="05.1",
        question=("In the simulated trial with seed 1, how many deaths would we expect in the lapatinib arm if "
                  "the treatment made no difference (the log-rank 'E')?"),
        form="number",
        answer=lambda: teaching.simulated_trial(seed=1).expected["treatment"],
        tolerance=0.5,
        misconceptions=(
            Misconception("expected deaths taken as half the deaths",
                          lambda: teaching.simulated_trial(seed=1).total_deaths / 2,
                          "E is not simply half the deaths. At each death, the share expected in an arm is "
                          "its share of the patients still at risk then; an arm that keeps more patients "
                          "alive keeps more at risk, so it is expected to have more of the later deaths."),
            Misconception("observed deaths given instead of expected",
                          lambda: teaching.simulated_trial(seed=1).observed["treatment"],
                          "That is the observed number, O. The question asks for E, the deaths expected "
                          "if both arms had the same hazard."),
        ),
        hints=("Read the 'expected if no difference (E)' column.", "The lapatinib row."),
        explanation=lambda v: f"About {v:.1f}: more than observed, which is what a benefit looks like.",
        how="teaching.simulated_trial(seed=1).expected['treatment']",
    ),
    Exercise(
        id="05.2",
        question="A trial reports a log-rank p = 0.02. Which statement is right?",
        form="choice",
        options={
            "a": "there is a 2% chance that the drug does not work",
            "b": "there is a 98% chance that the drug works",
            "c": "if the drug made no difference, a difference at least this large would turn up in about 2% of such trials",
            "d": "the drug has a large effect",
        },
        answer=lambda: "c",
        misconceptions=(
            Misconception("p-value as the probability the drug does not work", "a", _P_WORKS),
            Misconception("p-value as the probability the drug works", "b", _P_WORKS),
            Misconception("significance read as size of effect", "d",
                          "A small p-value says the data are hard to explain by chance; it does not say the "
                          "effect is large. A huge trial finds tiny effects 'significant'. Look at the "
                          "hazard ratio and its interval for the size."),
        ),
        hints=("A p-value is computed under an assumption. Which one?",
               "It assumes no difference, then asks how surprising the data are."),
        explanation="It describes the data under 'no difference'; it is not a probability about the drug.",
        how="definition of the p-value",
    ),
    Exercise(
        id="05.3",
        question=("In the 1,000 trials simulated with seed 2024 (each simulated from the story's summary figures, "
                  "true HR 0.72), what share gave p < 0.05?"),
        form="proportion",
        answer=lambda: power(LAPATINIB, n_sims=1000, seed=2024, progress=False).power,
        tolerance=0.005,
        misconceptions=(
            Misconception("a real effect expected to be significant every time", 1.0,
                          "The effect is real in every simulated trial, yet many miss p < 0.05: one trial is "
                          "one draw. That share is the power."),
            Misconception("alpha confused with power", 0.05,
                          "0.05 is the threshold (alpha), and the share significant when there is no "
                          "effect. Here there is an effect; read the share from the result."),
        ),
        hints=("The sentence printed with the dance gives it as a percentage.",
               "Convert the percentage into a proportion: 65% is 0.65."),
        explanation=lambda v: f"{v:.3f}: about {round(v * 10)} trials in 10, though the drug works in all of them.",
        how="power(LAPATINIB, n_sims=1000, seed=2024).power",
    ),
    Exercise(
        id="05.4",
        question="A trial of the story's design gives p = 0.20. What follows?",
        form="choice",
        options={
            "a": "lapatinib has no effect",
            "b": "the data are compatible both with no effect and with a useful effect: this trial could not tell",
            "c": "lapatinib is harmful",
            "d": "there is an 80% chance that lapatinib has no effect",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'not significant' read as 'no effect'", "a",
                          "Not significant means the trial could not rule out chance, not that there is no "
                          "effect. In the dance, a third of trials of a drug that works come out like this."),
            Misconception("p-value as the probability of no effect", "d", _P_WORKS),
        ),
        hints=("Look at the dance: how often does a working drug give p > 0.05?",
               "Absence of evidence is not evidence of absence."),
        explanation="Inconclusive: look at the confidence interval, which will span both 1 and useful effects.",
        how="power(...).p_values",
    ),
)

# ----- lesson 06: sample size and power -----------------------------------------------------
_register(
    Exercise(
        id="06.1",
        question=("How many deaths (rounded up) does Schoenfeld's formula say a trial needs to detect a hazard "
                  "ratio of 17.3 / 23.9 with 80% power (two-sided alpha 0.05, 1:1)?"),
        form="count",
        answer=lambda: math.ceil(design.schoenfeld_events(teaching.STORY.hr_from_medians, 0.8)),
        misconceptions=(
            Misconception("rounded down", lambda: math.floor(design.schoenfeld_events(teaching.STORY.hr_from_medians, 0.8)),
                          "You rounded down. The formula gives the fewest deaths that reach 80% power, so "
                          "any fewer fall short: round up to the next whole death."),
            Misconception("not rounded", lambda: design.schoenfeld_events(teaching.STORY.hr_from_medians, 0.8),
                          "That is the formula's exact value. A trial cannot observe part of a death, and "
                          "the value is a minimum: round it up to the next whole number.",
                          tolerance=0.05),
            Misconception("patients instead of deaths",
                          lambda: design.sample_size(teaching.STORY.hr_from_medians, 0.8, median_control=17.3,
                                                     accrual=24, follow_up=24),
                          "That is the number of patients. The formula gives deaths; patients follow from "
                          "how many of them will die during the trial."),
            Misconception("the story's hazard ratio used", lambda: math.ceil(design.schoenfeld_events(0.62, 0.8)),
                          "That is for HR 0.62, the story's claim. The question asks about the HR the "
                          "medians imply, 17.3 / 23.9."),
        ),
        hints=("es.schoenfeld_events(hr, power) computes it.",
               "Round up: you cannot observe part of a death."),
        explanation=lambda v: f"{v} deaths: close to the 321 patients, and more than the trial could expect to see.",
        how="math.ceil(es.schoenfeld_events(17.3 / 23.9, 0.8))",
    ),
    Exercise(
        id="06.2",
        question=("With 321 patients, 24 months of enrolment and 24 more months of follow-up, about how many deaths "
                  "should the story's trial expect by the analysis?"),
        form="number",
        answer=lambda: design.expected_events(LAPATINIB),
        tolerance=2.0,
        misconceptions=(
            Misconception("everyone expected to die", 321,
                          "Patients enrolled late are followed for only two years or so; many are alive at "
                          "the analysis. Only the deaths seen by then count."),
        ),
        hints=("es.expected_events(es.LAPATINIB).", "It is printed in the planning summary."),
        explanation=lambda v: (
            f"About {v:.0f} deaths: fewer than the "
            f"{math.ceil(design.schoenfeld_events(LAPATINIB.hr, 0.8))} needed for 80% power at HR "
            f"{LAPATINIB.hr:.2f}."
        ),
        how="es.expected_events(es.LAPATINIB)",
    ),
    Exercise(
        id="06.3",
        question=("What is the (analytic, Schoenfeld) power of the story's design if the true hazard ratio is the "
                  "one the medians imply?"),
        form="proportion",
        answer=lambda: design.analytic_power(LAPATINIB),
        tolerance=0.02,
        misconceptions=(
            Misconception("the conventional target quoted", 0.8,
                          "80% is what trials usually aim for, not what this design delivers: it expects "
                          "fewer deaths than 80% power needs."),
            Misconception("alpha confused with power", 0.05,
                          "0.05 is alpha, the false-alarm rate when there is no effect. Power is the chance "
                          "of p < 0.05 when the effect is real."),
        ),
        hints=("es.analytic_power(es.LAPATINIB).", "The planning summary prints it."),
        explanation=lambda v: f"{v:.2f}: about two chances in three of a significant result.",
        how="es.analytic_power(es.LAPATINIB)",
    ),
    Exercise(
        id="06.4",
        question="What mainly determines the power of a log-rank test, for a given hazard ratio?",
        form="choice",
        options={
            "a": "the number of patients enrolled",
            "b": "the number of deaths observed",
            "c": "the median survival of the control arm",
            "d": "the p-value",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("patients, not events", "a",
                          "Patients matter only through the deaths they contribute: 1,000 patients followed "
                          "for a week tell us almost nothing. Longer follow-up adds deaths without adding "
                          "patients."),
        ),
        hints=("Look at Schoenfeld's formula: which count appears in it?",
               "Compare the power curves over n and over follow-up."),
        explanation="Deaths: Schoenfeld's formula counts events, and patients help only by dying during follow-up.",
        how="es.schoenfeld_events",
    ),
)

# ----- lesson 07: non-proportional hazards --------------------------------------------------
_DELAYED = LAPATINIB.replace(delay=6.0)
_register(
    Exercise(
        id="07.2",
        question=("What is the true restricted mean survival time (RMST) up to 24 months with chemotherapy alone, "
                  "under the model from the story's medians?"),
        form="number",
        answer=lambda: teaching.true_rmst(LAPATINIB, "control", 24),
        tolerance=0.1,
        misconceptions=(
            Misconception("the median given for the RMST", 17.3,
                          "17.3 months is the median. The RMST is the area under the survival curve up to "
                          "24 months: the average months lived in the first 24."),
            Misconception("the horizon given for the RMST", 24,
                          "24 months would need everyone to survive the whole window. The RMST is the area "
                          "under the curve, which falls below 1."),
        ),
        hints=("RMST = the area under the survival curve from 0 to the horizon.",
               "teaching.true_rmst(es.LAPATINIB, 'control', 24)."),
        explanation=lambda v: f"{v:.1f} months: on average, patients live that many of the first 24 months.",
        how="teaching.true_rmst(LAPATINIB, 'control', 24)",
    ),
    Exercise(
        id="07.3",
        question=("In the simulated trial with seed 4 and a 6-month delay before lapatinib acts, what is the "
                  "difference in RMST (lapatinib minus chemotherapy alone) up to 36 months?"),
        form="number",
        answer=lambda: teaching.simulated_trial(seed=4, scenario=_DELAYED, rmst_horizon=36).rmst_diff,
        tolerance=0.05,
        misconceptions=(
            Misconception("difference of medians taken for the RMST difference",
                          lambda: teaching.median_difference(teaching.simulated_trial(seed=4, scenario=_DELAYED)),
                          "That is the difference of the medians, one point on each curve. The RMST "
                          "difference is the area between the curves up to 36 months."),
        ),
        hints=("The RMST sentence printed under the delayed trial gives it.",
               "It is in months, lapatinib minus chemotherapy alone."),
        explanation=lambda v: f"{v:.2f} months gained on average in the first 36 months.",
        how="teaching.simulated_trial(seed=4, delay=6, rmst_horizon=36).rmst_diff",
    ),
    Exercise(
        id="07.1",
        question=("If lapatinib only starts to act after 6 months, what does the usual power formula (which assumes "
                  "proportional hazards) do?"),
        form="choice",
        options={
            "a": "it gives the right power",
            "b": "it overstates the power: the early months add deaths but no difference",
            "c": "it understates the power",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("proportional-hazards formulas trusted without checking", "a",
                          "The formula assumes the same hazard ratio at every moment. With a delay, the "
                          "early deaths carry no information about the effect, so simulation finds less "
                          "power than the formula."),
        ),
        hints=("Compare the analytic and the simulated power printed above.",
               "Which is larger?"),
        explanation="It overstates it; simulate (es.power) when hazards are not proportional.",
        how="es.analytic_power vs es.power on LAPATINIB.replace(delay=6)",
    ),
    Exercise(
        id="07.4",
        question=("In the crossing-curves trial the hazard ratio is close to 1 and the log-rank test is not "
                  "significant. What is the best reading?"),
        form="choice",
        options={
            "a": "the new treatment has no effect",
            "b": "the effect changes over time (early harm, later benefit); one hazard ratio averages it away",
            "c": "the trial must have been analysed wrongly",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'not significant' read as 'no effect'", "a",
                          "The curves clearly differ, in opposite directions early and late; a single "
                          "average hazard ratio near 1 hides that. Look at the curves, survival at fixed "
                          "times, and the RMST."),
        ),
        hints=("Look at the survival table at months 4 and 36.", "Which arm is ahead early, which late?"),
        explanation="An effect that changes sign over time: report the curves and RMST, not one HR.",
        how="teaching.crossing_trial(seed=0)",
    ),
)

# ----- lesson 08: capstone ------------------------------------------------------------------
_register(
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


# ----- the learner's functions --------------------------------------------------------------
def _unknown(exercise_id) -> Feedback:
    known = ", ".join(REGISTRY)
    return Feedback(str(exercise_id), False, "unknown exercise",
                    f"There is no exercise {exercise_id!r}. Exercises are: {known}.")


def _get(exercise_id) -> Exercise | None:
    return REGISTRY.get(str(exercise_id).strip()) if isinstance(exercise_id, str) else None


def answer(exercise_id: str):
    """The right answer, computed by the library now (for teachers and tests)."""
    ex = _get(exercise_id)
    if ex is None:
        raise KeyError(f"no exercise {exercise_id!r}; exercises are {list(REGISTRY)}")
    value = ex.answer()
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _as_number(value):
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _form_message(ex: Exercise, value) -> str:
    extra = ""
    if isinstance(value, str) and ex.form != "choice":
        extra = f" You gave the text {value!r}; remove the quotes."
    elif ex.form == "choice" and isinstance(value, str):
        extra = f" {value!r} is not one of them."
    elif isinstance(value, (list, tuple, dict, set)):
        extra = " You gave a collection; give one value."
    return f"Your answer must be {ex.expected_form()}.{extra}"


def _misconception(ex: Exercise, given) -> Misconception | None:
    for m in ex.misconceptions:
        target = ex.misconception_value(m)
        if ex.form == "choice":
            if given == target:
                return m
        elif abs(given - float(target)) <= max(ex.tolerance if m.tolerance is None else m.tolerance, 1e-9):
            return m
    return None


def check(exercise_id: str, answer) -> Feedback:
    """Check a learner's answer and say why it is right or what to rethink. Never raises.

    Parameters
    ----------
    exercise_id : str
        The exercise, e.g. ``"05.2"`` (lesson 05, exercise 2).
    answer :
        The learner's answer; ``...`` (the placeholder) means "not answered yet".
    """
    ex = _get(exercise_id)
    if ex is None:
        return _unknown(exercise_id)
    if answer is Ellipsis:
        return Feedback(ex.id, False, "unanswered",
                        f"Replace ... with your answer ({ex.expected_form()}) and run the cell again.")
    try:
        return _check(ex, answer)
    except Exception as error:  # the library failed, not the learner: say so, do not raise
        return Feedback(ex.id, False, "unknown exercise",
                        f"The checker could not compute the answer ({type(error).__name__}: {error}). "
                        "Please tell your teacher.")


def _check(ex: Exercise, given) -> Feedback:
    if ex.form == "choice":
        if not isinstance(given, str) or given.strip().strip("()").lower() not in ex.options:
            return Feedback(ex.id, False, "wrong form", _form_message(ex, given))
        given = given.strip().strip("()").lower()
        right = ex.answer()
        if given == right:
            return Feedback(ex.id, True, "correct", ex.explain(right))
        m = _misconception(ex, given)
        if m is not None:
            return Feedback(ex.id, False, "misconception", m.message, m.name)
        return Feedback(ex.id, False, "incorrect",
                        f"Not {given!r}: option {given} says \"{ex.options[given]}\". Think again, or ask for "
                        f'es.exercises.hint("{ex.id}").')

    number = _as_number(given)
    if number is None:
        return Feedback(ex.id, False, "wrong form", _form_message(ex, given))
    if ex.form == "count" and number != int(number):
        m = _misconception(ex, number)  # e.g. a formula's value left unrounded
        if m is not None:
            return Feedback(ex.id, False, "misconception", m.message, m.name)
        return Feedback(ex.id, False, "wrong form", _form_message(ex, given) + " A count has no decimals.")
    value = answer(ex.id)
    right = float(value)
    tol = max(ex.tolerance, 1e-9)
    if abs(number - right) <= tol:
        return Feedback(ex.id, True, "correct", ex.explain(value))
    m = _misconception(ex, number)
    if m is not None:
        return Feedback(ex.id, False, "misconception", m.message, m.name)
    if ex.form == "proportion" and 1 < number <= 100 and abs(number / 100 - right) <= tol:
        return Feedback(ex.id, False, "wrong form",
                        f"That looks like a percentage. Give it as a proportion: {number:g}% is {number / 100:g}.")
    if ex.form == "proportion" and not 0 <= number <= 1:
        return Feedback(ex.id, False, "wrong form", f"Your answer must be {ex.expected_form()}.")
    direction = "too high" if number > right else "too low"
    return Feedback(ex.id, False, "incorrect",
                    f"{number:g} is {direction}. Check your working, or ask for es.exercises.hint(\"{ex.id}\").")


_hints_given: dict[str, int] = {}


def hint(exercise_id: str, which: int | None = None) -> Note:
    """A hint: the first on the first call, the second on the next call (or ``hint(id, 2)``)."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "hint", _unknown(exercise_id).message)
    if which is None:
        which = min(_hints_given.get(ex.id, 0) + 1, 2)
    if which not in (1, 2):
        return Note(ex.id, "hint", "There are two hints: hint(id, 1) and hint(id, 2).")
    _hints_given[ex.id] = max(_hints_given.get(ex.id, 0), which)
    more = " (Call hint again for the second.)" if which == 1 else ""
    return Note(ex.id, "hint", f"Hint {which} of 2: {ex.hints[which - 1]}{more}")


def question(exercise_id: str) -> Note:
    """The question as the learner should see it: text, options and the form of the answer."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "question", _unknown(exercise_id).message)
    lines = [ex.question]
    lines += [f"  {key}. {text}" for key, text in ex.options.items()]
    lines.append(f"Answer with {ex.expected_form()}.")
    return Note(ex.id, "question", "\n".join(lines))


def solution(exercise_id: str) -> Note:
    """The answer, computed now by the library, with its explanation and the call that computes it."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "solution", _unknown(exercise_id).message)
    value = answer(ex.id)
    if ex.form == "choice":
        shown = f'"{value}": {ex.options[value]}'
    elif ex.form == "count":
        shown = f"{value:g}" if isinstance(value, float) else str(value)
    else:
        shown = f"{value:.4g}" + (f" (accepted within {ex.tolerance:g})" if ex.tolerance else "")
    text = f"{ex.question}\nAnswer: {shown}.\n{ex.explain(value)}\nComputed by: {ex.how}"
    if ex.misconceptions:
        text += "\nWatch for: " + "; ".join(m.name for m in ex.misconceptions) + "."
    return Note(ex.id, "solution", text)


def exercises(lesson: int | str | None = None) -> pd.DataFrame:
    """The exercises (of one lesson, if given) with their question and the form of answer."""
    rows = [
        {"id": ex.id, "lesson": ex.lesson, "question": ex.question, "answer form": ex.expected_form()}
        for ex in REGISTRY.values()
        if lesson is None or ex.lesson == int(lesson)
    ]
    return pd.DataFrame(rows, columns=["id", "lesson", "question", "answer form"]).set_index("id")
