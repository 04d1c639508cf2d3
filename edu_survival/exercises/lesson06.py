"""Lesson 06 (sample size and power): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

import math

from .. import design, teaching
from ..montecarlo import power
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

register(
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
                          "medians imply, 17.3 / 23.9.",
                          tolerance=1.0),
            Misconception("the story's patients given for deaths", lambda: teaching.STORY.n,
                          "321 is the number of patients in the story. The formula gives the deaths a trial "
                          "must observe, whatever the number of patients; read the deaths needed."),
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
        tolerance=0.005,
        misconceptions=(
            Misconception("the simulated power given for the analytic one",
                          lambda: power(LAPATINIB, n_sims=1000, seed=2024, progress=False).power,
                          "That is the share of 1,000 simulated trials that reached p < 0.05. The question "
                          "asks for the formula's (analytic) power, printed in the planning summary.",
                          tolerance=0.004),
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
    Exercise(
        id="06.5",
        question="Which of these statements about power are true? Give the letters of all that are.",
        form="choices",
        options={
            "a": "power is the chance of a significant result if the true effect is the one the design assumes",
            "b": "power is the probability that the drug works",
            "c": "a trial with two chances in three of success that gives p = 0.2 shows the drug has no effect",
            "d": "longer follow-up raises power because it adds deaths",
        },
        answer=lambda: "ad",
        misconceptions=(
            Misconception("power read as the probability the drug works", "abd",
                          "Power is computed for an effect we assume; it is a property of the design, not "
                          "a probability that the drug works."),
            Misconception("'not significant' read as 'no effect'", "acd",
                          "A trial that misses one time in three will often give p > 0.05 for a drug that "
                          "works: p = 0.2 is inconclusive, not proof of no effect."),
            Misconception("power tied to patients, not deaths", "a",
                          "d is true too: in a survival trial power comes from deaths, and longer follow-up "
                          "adds deaths without adding patients."),
        ),
        hints=("Power is defined for a specified true effect.",
               "Two are true: a definition and a fact from the power curves."),
        explanation=("a and d: power is a property of a design and an assumed effect, and it comes from "
                     "deaths."),
        how="definition of power; es.power_curve",
    ),
)
