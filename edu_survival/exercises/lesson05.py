"""Lesson 05 (the log-rank test and p-values): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import design, teaching
from ..montecarlo import power
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_P_WORKS = (
    "A p-value is not the probability that the drug works (or does not). It is computed assuming "
    "the drug makes no difference: how often chance alone would give a difference at least as large "
    "as the one seen."
)


register(
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
            Misconception("the formula's power given for the simulated share", lambda: design.analytic_power(LAPATINIB),
                          "That is the power Schoenfeld's formula predicts (lesson 06). The question asks "
                          "what share of these 1,000 simulated trials actually reached p < 0.05.",
                          tolerance=0.004),
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
