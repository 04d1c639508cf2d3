"""Lesson 11 (traps in the trial): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .engine import Exercise, Misconception, register

register(
    Exercise(
        id="11.1",
        question=("O'Brien and Fleming's boundary for 5 looks asks for a z of about 4.56 at the first look "
                  "and about 2.04 at the last. Why so strict early?"),
        form="choice",
        options={
            "a": "to spend almost none of the 5% on the early looks, so that the final test stays close "
                 "to the usual 1.96 and the trial loses little power",
            "b": "to make stopping at the first look impossible",
            "c": "because early looks have fewer deaths, so a real effect always gives a larger z then",
        },
        answer=lambda: "a",
        misconceptions=(
            Misconception("a strict boundary read as a ban on stopping", "b",
                          "A z of 4.56 is hard to reach but not impossible: a drug with an overwhelming effect "
                          "can cross it. The point is to spend very little of the 5% early."),
            Misconception("fewer deaths thought to give a larger z", "c",
                          "Fewer deaths give a *smaller* expected z: the expected log-rank z grows with the "
                          "square root of the deaths. Early z values are noisier, which is why a false alarm "
                          "early is easy without a strict boundary."),
        ),
        hints=("Look at the 'false alarms so far' column of the boundary table.",
               "How much of the 5% is left for the last look?"),
        explanation=("To keep almost all of the 5% for the end: early stops need overwhelming evidence, and "
                     "the final boundary (2.04) is close to the fixed-trial 1.96."),
        how="es.traps.boundaries.obrien_fleming(5).table()",
    ),
    Exercise(
        id="11.2",
        question=("A trial stops at an interim look because the hazard ratio for progression is 0.49, far "
                  "past its boundary. What is the best guess about the true hazard ratio?"),
        form="choice",
        options={
            "a": "0.49: the trial's estimate is unbiased",
            "b": "probably closer to 1 than 0.49: trials that stop early tend to stop on a lucky high",
            "c": "probably further from 1 than 0.49: the trial stopped before the full effect showed",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("the estimate at stopping taken at face value", "a",
                          "The trial stopped *because* the estimate was extreme. Among trials that could have "
                          "stopped, those that did are the ones whose chance ran in the drug's favour: the "
                          "estimate at stopping overstates the effect on average."),
            Misconception("early stopping thought to understate", "c",
                          "Our simulation shows the opposite: trials stopped at the first looks had hazard "
                          "ratios further from 1 than the truth. Only trials that run to the end without "
                          "stopping tend to understate it."),
        ),
        hints=("Look at the median hazard ratio of the trials that stopped at looks 2 and 3.",
               "What does a trial need, by chance, to cross a strict boundary early?"),
        explanation="Closer to 1: stopping selects the trials whose estimate happened to be extreme.",
        how="teaching.stopping().by_look()",
    ),
    Exercise(
        id="11.3",
        question=("EGF100151 reported an overall-survival hazard ratio of 0.87 by intention to treat and 0.80 "
                  "from a Cox model that treated crossover as a time-dependent covariate. Which is the true "
                  "effect of lapatinib?"),
        form="choice",
        options={
            "a": "0.80, because it corrects for the patients who crossed over",
            "b": "0.87, because intention to treat is always right",
            "c": "neither simply: 0.87 answers 'what does offering lapatinib now, with switching allowed "
                 "later, do?'; 0.80 answers 'what had nobody switched?' only if switchers were like those "
                 "who did not switch",
        },
        answer=lambda: "c",
        misconceptions=(
            Misconception("an adjusted estimate trusted without its assumption", "a",
                          "The adjustment removes crossover's dilution only if the switchers' prognosis is "
                          "captured by the model. Switchers switch after progressing, when their risk is "
                          "higher, and may be the fitter patients: the adjusted number can be biased too."),
            Misconception("intention to treat taken as the drug's effect", "b",
                          "Intention to treat is the fair comparison of the arms as randomised, but with "
                          "crossover it measures 'lapatinib now versus lapatinib later for some', which is "
                          "diluted towards 1 compared with 'lapatinib versus never'."),
        ),
        hints=("Which question does each analysis answer?", "What does each one assume about the switchers?"),
        explanation=("Neither is simply 'the' effect: each answers a different question, and the adjusted one "
                     "rests on an assumption about who switches."),
        how="teaching.egf100151('os_final_hr', 'os_final_td_hr') and teaching.crossover_table()",
    ),
    Exercise(
        id="11.4",
        question=("In a trial, the fitter control patients are the ones who switch to the drug after "
                  "progressing. The per-protocol analysis censors each switcher when they switch. Compared "
                  "with a trial in which nobody switched, its control arm will look:"),
        form="choice",
        options={
            "a": "better: the patients who switched had progressed",
            "b": "worse: the fitter patients are taken out, the sicker stay, so the drug's benefit looks larger",
            "c": "the same: censoring only loses some precision",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("progression alone considered", "a",
                          "Removing patients who progressed would, on its own, leave patients at lower risk. "
                          "But here the switchers are the fitter ones among those who progressed: the sicker "
                          "progressed patients stay, and the control arm looks worse."),
            Misconception("censoring assumed harmless", "c",
                          "Censoring loses nothing but precision only when it is unrelated to prognosis (lesson "
                          "10). Switching here depends on prognosis: censoring the switchers is informative "
                          "censoring, and biases the comparison."),
        ),
        hints=("This is informative censoring, from the start of lesson 10.", "Who is left in the control arm?"),
        explanation=("Worse: censoring the fitter switchers is informative censoring; the control arm keeps "
                     "its sicker patients, and the drug looks better than it is."),
        how="teaching.crossover_table('the healthier')",
    ),
    Exercise(
        id="11.5",
        question=("A drug halves the hazard of progression and does nothing else. When will its overall-survival "
                  "hazard ratio be closest to its time-to-progression hazard ratio?"),
        form="choice",
        options={
            "a": "when patients live for years after progressing",
            "b": "when patients die soon after progressing, so that delaying progression delays death",
            "c": "always: a drug that delays progression by half delays death by half",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("long survival after progression thought to help the surrogate", "a",
                          "Long survival after progression, the same in both arms, dilutes the months gained: "
                          "the overall-survival hazard ratio moves towards 1."),
            Misconception("a surrogate assumed to carry over one for one", "c",
                          "Overall survival includes the time after progression, which the drug does not "
                          "change here. Only when that time is short does the overall-survival hazard ratio "
                          "approach the time-to-progression one."),
        ),
        hints=("Look at the table of hazard ratios by survival after progression.",
               "Which part of a patient's survival does the drug change?"),
        explanation=("When survival after progression is short: then death follows progression closely, and "
                     "delaying one delays the other."),
        how="teaching.surrogate_table()",
    ),
)
