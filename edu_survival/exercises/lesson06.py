"""Lesson 06 (sample size and power): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

import math

from scipy.stats import norm

from .. import design, teaching
from ..scenario import LAPATINIB, Scenario
from .engine import Accepted, Exercise, Misconception, register

_HR_MEDIANS = teaching.STORY.hr_from_medians
_SHORTER = LAPATINIB.replace(follow_up=12.0)
_STORY_HR = Scenario.from_hr(LAPATINIB.median_control, teaching.STORY.hr_reported)


def _needed_2_to_1() -> float:
    """Schoenfeld's deaths for the medians' hazard ratio, 80% power, two on lapatinib for every one."""
    return design.schoenfeld_events(_HR_MEDIANS, 0.8, allocation=2 / 3)


def _power_with_medians_deaths() -> float:
    """Power at HR 0.62 with the deaths the medians' design expects: a defensible shortcut (06.3)."""
    z = design.expected_logrank_z(teaching.STORY.hr_reported, design.expected_events(LAPATINIB))
    return float(norm.cdf(z - norm.ppf(0.975)))


register(
    Exercise(
        id="06.1",
        question=("Schoenfeld's formula above has p, the share of patients on treatment. How many deaths (rounded "
                  "up) would a trial need to detect a hazard ratio of 17.3 / 23.9 with 80% power (two-sided "
                  "alpha 0.05) if it randomised two patients to lapatinib for every one to chemotherapy alone?"),
        form="count",
        answer=lambda: math.ceil(_needed_2_to_1()),
        misconceptions=(
            Misconception("the 1:1 figure kept", lambda: math.ceil(design.schoenfeld_events(_HR_MEDIANS, 0.8)),
                          "That is for a 1:1 trial, p = 1/2. With two on lapatinib for every one without, "
                          "p = 2/3, and p (1 - p) = 2/9 instead of 1/4: an unequal split needs more deaths."),
            Misconception("rounded down", lambda: math.floor(_needed_2_to_1()),
                          "You rounded down. The formula gives the fewest deaths that reach 80% power, so "
                          "any fewer fall short: round up to the next whole death."),
            Misconception("not rounded", _needed_2_to_1,
                          "That is the formula's exact value. A trial cannot observe part of a death, and "
                          "the value is a minimum: round it up to the next whole number.",
                          tolerance=0.05),
            Misconception("the deaths expected given for the deaths needed", lambda: design.expected_events(LAPATINIB),
                          "That is how many deaths the story's design can expect by the analysis (the planning "
                          "summary). The question asks how many a trial needs: a different number, and here a "
                          "larger one.", tolerance=1.0),
            Misconception("patients instead of deaths",
                          lambda: design.sample_size(_HR_MEDIANS, 0.8, median_control=17.3, accrual=24,
                                                     follow_up=24, allocation=2 / 3),
                          "That is the number of patients. The formula gives deaths; patients follow from "
                          "how many of them will die during the trial."),
            Misconception("the story's hazard ratio used",
                          lambda: math.ceil(design.schoenfeld_events(0.62, 0.8, allocation=2 / 3)),
                          "That is for HR 0.62, the story's claim. The question asks about the HR the "
                          "medians imply, 17.3 / 23.9.",
                          tolerance=1.0),
            Misconception("the story's patients given for deaths", lambda: teaching.STORY.n,
                          "321 is the number of patients in the story. The formula gives the deaths a trial "
                          "must observe, whatever the number of patients."),
        ),
        hints=("In the formula, put p = 2/3 (two of every three patients on lapatinib); everything else is as "
               "in the planning summary.",
               "es.schoenfeld_events(17.3 / 23.9, 0.8, allocation=2/3), rounded up."),
        explanation=lambda v: (
            f"{v} deaths, against {math.ceil(design.schoenfeld_events(_HR_MEDIANS, 0.8))} for a 1:1 trial: "
            "each death tells us most about the difference between the arms when the arms are equal, so an "
            "unequal split needs about an eighth more deaths (1/4 divided by 2/9)."),
        how="math.ceil(es.schoenfeld_events(17.3 / 23.9, 0.8, allocation=2 / 3))",
    ),
    Exercise(
        id="06.2",
        question=("The planning summary gives the deaths the story's design can expect by the analysis, 24 months "
                  "after the last patient joined. If the analysis came 12 months after the last patient "
                  "joined instead, about how many deaths would it expect? (Decide first: why not half as many?)"),
        form="number",
        answer=lambda: design.expected_events(_SHORTER),
        tolerance=2.0,
        misconceptions=(
            Misconception("the change not made", lambda: design.expected_events(LAPATINIB),
                          "That is the number with 24 months of further follow-up. With 12, the trial stops "
                          "a year earlier and sees fewer deaths.", tolerance=1.0),
            Misconception("deaths thought to halve with the follow-up", lambda: design.expected_events(LAPATINIB) / 2,
                          "Deaths do not halve. Patients are followed during the 24 months of enrolment "
                          "too, and the early months, when many deaths happen, stay in the trial; only the "
                          "last year of watching is lost.", tolerance=1.0),
            Misconception("everyone expected to die", 321,
                          "Patients enrolled late are followed for only a year or so; many are alive at the "
                          "analysis. Only the deaths seen by then count."),
        ),
        hints=("es.expected_events takes a design: change its follow-up.",
               "es.expected_events(es.LAPATINIB.replace(follow_up=12))."),
        explanation=lambda v: (
            f"About {v:.0f} deaths, against about {design.expected_events(LAPATINIB):.0f} with 24 months: fewer, "
            "but far more than half, because the deaths of the early months are kept. Fewer deaths mean less "
            "power, as the power curve over follow-up shows."),
        how="es.expected_events(es.LAPATINIB.replace(follow_up=12))",
    ),
    Exercise(
        id="06.3",
        question=("If the story's 0.62 were the true hazard ratio (control median 17.3 months, constant hazards, "
                  "the same design), what power would Schoenfeld's formula give the trial?"),
        form="proportion",
        answer=lambda: design.analytic_power(_STORY_HR),
        tolerance=0.005,
        accepted=(
            Accepted(lambda: _power_with_medians_deaths(),
                     "You kept the deaths the medians' reading expects; with HR 0.62 fewer lapatinib "
                     "patients die by the analysis, so the design expects a few fewer deaths and a "
                     "slightly lower power. The idea is right.",
                     tolerance=0.003),  # 0.947: not 0.95, which the lessons print as "95%"
        ),
        misconceptions=(
            Misconception("the medians' power given", lambda: design.analytic_power(LAPATINIB),
                          "That is the power if the medians' hazard ratio, 0.724, is true (the planning "
                          "summary). The question asks what the design would have if 0.62 were true.",
                          tolerance=0.004),
            Misconception("the conventional target quoted", 0.8,
                          "80% is what trials usually aim for, not what this design would deliver."),
            Misconception("the hazard ratio given for the power", 0.62,
                          "0.62 is the hazard ratio, the size of the effect; power is the chance of "
                          "finding it."),
            Misconception("alpha confused with power", 0.05,
                          "0.05 is alpha, the false-alarm rate when there is no effect. Power is the chance "
                          "of p < 0.05 when the effect is real."),
        ),
        hints=("es.analytic_power takes a design; es.Scenario.from_hr(17.3, 0.62) is the story's design with "
               "hazard ratio 0.62.",
               "es.analytic_power(es.Scenario.from_hr(17.3, 0.62))."),
        explanation=lambda v: (
            f"{v:.2f}, against {design.analytic_power(LAPATINIB):.2f} for the medians' 0.724: the two readings "
            "of the story imply very different trials. Both powers rest on the assumed design (24 months of "
            "enrolment, 24 more of follow-up, constant hazards)."),
        how="es.analytic_power(es.Scenario.from_hr(17.3, 0.62))",
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
