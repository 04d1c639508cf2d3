"""Lesson 01 (time to event and censoring): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

register(
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
            Misconception("the further follow-up taken as everyone's time",
                          lambda: LAPATINIB.analysis_time - LAPATINIB.accrual,
                          "24 months is the follow-up after enrolment closes: the time of a patient who "
                          "joined on the last day. This patient joined at month 20, before enrolment "
                          "closed, so was followed longer: from month 20 to the analysis."),
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
    Exercise(
        id="01.5",
        question=("In a trial whose endpoint is overall survival, which of these patients are censored? "
                  "Give the letters of all that are."),
        form="choices",
        options={
            "a": "alive on the day of the analysis",
            "b": "died of a heart attack at month 20",
            "c": "moved abroad at month 14 and could not be reached after that",
            "d": "died of the cancer at month 30",
        },
        answer=lambda: "ac",
        misconceptions=(
            Misconception("deaths from other causes censored", "abc",
                          "Overall survival counts death from any cause, so the heart attack at month 20 "
                          "is an event, not a censoring."),
            Misconception("losses to follow-up forgotten", "a",
                          "The patient who moved abroad is censored too, at month 14: we know they were "
                          "alive then and nothing after (lost to follow-up)."),
            Misconception("only losses to follow-up taken as censored", "c",
                          "A patient alive on the day of the analysis is censored too: the most common "
                          "kind, at the end of the study."),
        ),
        hints=("Censored means: the follow-up ended without the event.",
               "The event of overall survival is death from any cause."),
        explanation=("a and c: both were alive when their follow-up ended. Both deaths are events, "
                     "whatever the cause."),
        how="definition of censoring and of overall survival",
    ),
)
