"""Lesson 05 (the log-rank test and p-values): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..montecarlo import power
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_P_WORKS = (
    "A p-value is not the probability that the drug works (or does not). It is computed assuming "
    "the drug makes no difference: how often chance alone would give a difference at least as large "
    "as the one seen."
)


_MC_TOLERANCE = 0.03
"""Half the width of the 95% interval of a simulated power near 2/3 from 1,000 trials
(1.96 x sqrt(0.66 x 0.34 / 1000), about 0.029): answers inside it are right (tested)."""


register(
    Exercise(
        id="05.1",
        question=("In the seed-1 trial, add up the deaths the log-rank test expects in the two arms (E for "
                  "chemotherapy alone plus E for lapatinib). Before adding: what must the sum equal, and why?"),
        form="number",
        answer=lambda: float(sum(teaching.simulated_trial(seed=1).expected.values())),
        tolerance=0.5,
        misconceptions=(
            Misconception("E thought to count patients", lambda: teaching.STORY.n,
                          "E counts deaths, not patients. At each death time the test shares out the deaths "
                          "that happened between the arms, in proportion to the patients at risk in each."),
            Misconception("one arm's E given", lambda: teaching.simulated_trial(seed=1).expected["treatment"],
                          "That is the lapatinib arm's E alone. Add the chemotherapy-alone arm's."),
            Misconception("half the deaths given", lambda: teaching.simulated_trial(seed=1).total_deaths / 2,
                          "That is half the deaths. The sum over both arms shares out every death, so it is "
                          "all of them."),
            Misconception("O - E summed instead of E", 0.0,
                          "The O - E column sums to zero, because the expected deaths share out exactly the "
                          "deaths observed. The question asks for the sum of E itself."),
        ),
        hints=("At each death time, the deaths that happened are shared between the arms by their numbers at "
               "risk. What do the shares add up to?",
               "The expected deaths of the two arms add up to the deaths observed in both arms together."),
        explanation=lambda v: (
            f"{v:.0f}, the number of deaths in the whole trial: at each death time the test shares out the "
            "deaths that happened, so the expected deaths add up to the observed ones. What differs between "
            "the arms is how they are shared: lapatinib saw fewer than its share."),
        how="sum(teaching.simulated_trial(seed=1).expected.values())",
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
            Misconception("p-value as the probability the drug does not work", "a",
                          "p = 0.02 is not a 2% chance that the drug does not work. " + _P_WORKS),
            Misconception("p-value as the probability the drug works", "b",
                          "1 - p = 0.98 is not a 98% chance that the drug works. " + _P_WORKS),
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
        question=("The plot above shows the first 100 of the 1,000 trials (seed 2024; each simulated from the "
                  "story's summary figures, true HR 0.72) as confidence intervals only: their p-values have "
                  "not been printed yet. From the intervals, what share of the 1,000 trials reached p < 0.05? "
                  "Count in the plot, or compute from dance.hr_lower and dance.hr_upper. Any share within the "
                  "simulation's own 95% interval is accepted: another 1,000 trials would give a slightly "
                  "different one."),
        form="proportion",
        answer=lambda: power(LAPATINIB, n_sims=1000, seed=2024, progress=False).power,
        tolerance=_MC_TOLERANCE,
        misconceptions=(
            Misconception("the share that missed given", lambda: 1 - power(LAPATINIB, n_sims=1000, seed=2024,
                                                                           progress=False).power,
                          "That is the share of intervals that reach across 1, the line of no effect: those "
                          "trials could not rule out no effect, so they did *not* reach p < 0.05, though the "
                          "drug works in every one of them. The question asks for the share that did: the "
                          "intervals wholly on one side of 1."),
            Misconception("the intervals' coverage given", 0.95,
                          "About 0.95 (the title's share) is the share of intervals that contain the *true* "
                          "hazard ratio, 0.72. Reaching p < 0.05 asks about another value, 1 (no effect): "
                          "does the interval leave it out? An interval can contain both 0.72 and 1; most "
                          "of those that contain 1 contain 0.72 too."),
            Misconception("a real effect expected to be significant every time", 1.0,
                          "The effect is real in every simulated trial, yet many intervals reach across 1: "
                          "one trial is one draw, and those trials miss p < 0.05."),
            Misconception("alpha confused with power", 0.05,
                          "0.05 is the threshold (alpha), and the share significant when there is no "
                          "effect. Here there is an effect: count the intervals that leave out 1."),
        ),
        hints=("Lesson 04: an interval that reaches past 1 cannot rule out no effect. What does that say "
               "about its trial's p-value?",
               "An interval that leaves out 1 goes (nearly always) with p < 0.05, one that reaches across 1 "
               "with p of 0.05 or more. Count the intervals that leave out the thin line at 1, or compute "
               "((dance.hr_upper < 1) | (dance.hr_lower > 1)).mean()."),
        explanation=lambda v: (
            f"About {v:.2f}: roughly {round(v * 10)} trials in 10 have an interval that leaves out 1, and "
            "those are the trials with p < 0.05, though the drug works in all of them. That share is the "
            "trial's power. The 100 intervals shown estimate it; the simulation's own 95% interval says "
            "how precisely 1,000 trials pin it down, and Schoenfeld's formula (lesson 06) gives a value "
            "inside it."),
        how="power(LAPATINIB, n_sims=1000, seed=2024).power: the share of its trials with p < 0.05",
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
    Exercise(
        id="05.5",
        question=("Look again at the two trials of the table above, a huge one and a small one. Which statement is "
                  "right?"),
        form="choice",
        options={
            "a": "the small trial is the more convincing on both counts: its effect is bigger",
            "b": ("the huge trial shows more convincingly that the drug has some effect, but the effect is "
                  "small; the small trial suggests a bigger effect but cannot rule out none"),
            "c": "the huge trial is the more convincing on both counts: its p-value is smaller",
            "d": "neither trial tells us anything, because they disagree",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("size read as evidence", "a",
                          "A bigger estimate is not stronger evidence: the small trial's interval reaches "
                          "past 1, so its data are compatible with no effect at all."),
            Misconception("significance read as size", "c",
                          "The huge trial's tiny p-value says its effect is unlikely to be chance, not that "
                          "it is large: its hazard ratio is close to 1."),
            Misconception("different results read as no information", "d",
                          "They do not disagree: each answers a different question well or badly. Read the "
                          "hazard ratio and its interval for the size, the p-value for the evidence."),
        ),
        hints=("For each trial, read the estimated hazard ratio (size) and whether the interval excludes 1.",
               "Size and evidence are two different questions."),
        explanation=("b: the p-value mixes the size of an effect with the amount of data; the hazard ratio "
                     "and its interval keep them apart."),
        how="teaching.significance_vs_size()",
    ),
)
