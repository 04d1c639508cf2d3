"""Lesson 08 (capstone): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

import functools

from .. import design, teaching
from ..claims import check_claims
from ..scenario import LAPATINIB
from .engine import Accepted, Exercise, Misconception, register


def _lung():
    return teaching.lung_by_sex()


@functools.cache
def _big_trial_report():
    """check_claims on the story's figures had they come from 3,000 patients (exercise 08.1)."""
    return check_claims(n=3000, median_control=17.3, median_treatment=23.9, hr=0.62)


def _share_words(share: float) -> str:
    return "none" if share == 0 else f"{100 * share:.1f}%"


def _big_trial_sentence() -> str:
    """What that report found of chance and of the shape for the hazard ratio against the medians."""
    (check,) = [c for c in _big_trial_report().checks if c.topic == "hazard ratio vs medians"]
    v = check.values
    return (f"in {v['chance_trials']:,} simulated trials of 3,000 patients with constant hazards, "
            f"{_share_words(v['chance_share'])} showed a gap as wide as the story's, so chance no longer covers "
            f"it; but the Weibull shape at which both figures are exactly right is still "
            f"{v['reconciling_shape']:.2f}, whatever the number of patients, and it is plausible for overall "
            "survival, so the check still says [~~].")


register(
    Exercise(
        id="08.1",
        question=("The report above checks the story's figures as if they came from 321 patients. Suppose the same "
                  "figures (medians 17.3 and 23.9 months, hazard ratio 0.62) came from a trial of 3,000 patients. "
                  "Decide first: would chance still reconcile them, and would anything else? Then: how many "
                  "checks of check_claims(n=3000, ...) would find numbers that cannot all be right (marked [!!])?"),
        form="count",
        answer=lambda: len(_big_trial_report().inconsistent),
        misconceptions=(
            Misconception("a bigger trial thought to turn the gap into an error", 1,
                          "Chance alone would rarely give a gap this wide in 3,000 patients, but chance is only "
                          "the first question. The Weibull shape at which the medians give 0.62 does not depend "
                          "on the number of patients, and a hazard that rises like that is plausible for overall "
                          "survival: the figures can still both be right, so the check says [~~], not [!!]."),
        ),
        hints=("Use lesson 04's verdict rule: [!!] only when neither chance nor a plausible assumption "
               "reconciles the figures.",
               "Does the shape k that solves (17.3 / 23.9)^k = 0.62 change with the number of patients?"),
        explanation=lambda v: (
            f"{v}: {_big_trial_sentence()} A bigger trial would settle which reading is right only by "
            "reporting its hazard ratio and curves."),
        how="len(es.check_claims(n=3000, median_control=17.3, median_treatment=23.9, hr=0.62).inconsistent)",
    ),
    Exercise(
        id="08.4",
        question=("The lung summary gives the hazard ratio of women compared with men (men the reference group). "
                  "What is the hazard ratio of men compared with women?"),
        form="number",
        answer=lambda: 1 / _lung().hr,
        tolerance=0.02,
        misconceptions=(
            Misconception("the reference group not changed", lambda: _lung().hr,
                          "That is women compared with men. With women as the reference, the ratio divides "
                          "the men's hazard by the women's: the same comparison turned round, above 1."),
            Misconception("the reduction given for the ratio", lambda: 1 - _lung().hr,
                          "That is how much lower the women's hazard is, a reduction, not a hazard ratio."),
            Misconception("a reduction turned round by adding it", lambda: 2 - _lung().hr,
                          "A hazard lower by a given percentage for women is not higher by the same "
                          "percentage for men: turn the ratio round by dividing, 1 / HR."),
        ),
        hints=("A hazard ratio divides one group's hazard by the other's. Swap which is divided by which.",
               "1 / (the women-vs-men hazard ratio)."),
        explanation=lambda v: (
            f"{v:.2f}: the men's hazard of death was about {v:.1f} times the women's. The same comparison as "
            f"{_lung().hr:.2f}, turned round: a ratio, not a difference, so it is inverted, not subtracted."),
        how="1 / teaching.lung_by_sex().hr",
    ),
    Exercise(
        id="08.5",
        question=("In the lung data women lived longer: their hazard ratio against men is below 1, with an "
                  "interval that excludes 1. Which conclusion do these data support?"),
        form="choice",
        options={
            "a": "being a woman lowers the hazard of death from lung cancer, so sex causes the difference",
            "b": ("in these patients women had a lower hazard of death than men; sex was not assigned at "
                  "random, so other differences between the groups may explain part of it"),
            "c": "the difference may be chance, so these data say nothing",
            "d": ("women's risk of dying by the end of the study was lower by the percentage the hazard ratio "
                  "gives"),
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("association read as cause", "a",
                          "Sex was not assigned at random, as a treatment is in a trial: the men and women "
                          "of this study may differ in age, smoking, the kind of cancer or general health. "
                          "The data show a difference, not its cause."),
            Misconception("a clear difference dismissed as chance", "c",
                          "Chance comes first, and it has been weighed: the interval excludes 1 and the "
                          "log-rank p-value is small. Chance is an unlikely explanation here, though not "
                          "an impossible one; 'nothing' throws away real information."),
            Misconception("hazard read as risk", "d",
                          "A hazard ratio compares death rates among those still alive, moment by moment. "
                          "The risk of dying by a given day falls by less than the hazard, and depends on "
                          "the day."),
        ),
        hints=("Who chose which patients were men and which were women?",
               "Compare with a randomised trial: what does randomisation make equal between the groups?"),
        explanation=("b: a difference in these patients, unlikely to be chance, whose cause these data cannot "
                     "show: outside a randomised trial other differences between the groups may contribute."),
        how="teaching.lung_by_sex(): hazard ratio, interval and log-rank p",
    ),
    Exercise(
        id="08.2",
        formerly="08.4",  # renumbered in the order a learner meets them (issue 20)
        question="Which is the fairest one-paragraph verdict on the news story?",
        form="choice",
        options={
            "a": "Lapatinib saves 38 of every 100 patients.",
            "b": ("The medians suggest a benefit. The '38%' and the medians can both be right, by chance (if "
                  "hazards are constant, trials of this size sometimes show such a gap) or exactly with a "
                  "hazard that rises over time; but the '38%' most likely comes from the 38% longer median, "
                  "and the primary report would settle it. Without deaths, a p-value or an interval we cannot "
                  "judge significance; with an assumed design and constant hazards a trial this size finds the "
                  f"effect the medians imply only about {design.analytic_power(LAPATINIB):.0%} of the time."),
            "c": "With only 321 patients the trial shows nothing.",
            "d": "The result is false.",
            "e": ("The '38%' contradicts the medians, which imply a smaller reduction, so the story misstates "
                  "the effect."),
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", "a",
                          "A 38% lower hazard is relative, and under constant hazards the medians imply a "
                          "smaller one anyway."),
            Misconception("'underpowered' read as 'worthless'", "c",
                          "A smaller trial is less likely to find an effect, but a significant result from "
                          "it is still evidence; we simply cannot see whether it was significant."),
            Misconception("a muddled report read as a false result", "d",
                          "Even a report whose figures could not be reconciled would make the story "
                          "unreliable, not the drug ineffective; and these figures can be reconciled. The "
                          "right response is to find the primary report."),
            Misconception("a gap between estimates read as a contradiction", "e",
                          "Both figures are estimates from the same patients. Under constant hazards chance "
                          "alone gives a gap this wide in about 1 trial in 11 of this size (lesson 04, "
                          "section 5), and with a hazard that rises over time the two agree exactly. 'Misstates' "
                          "claims more than the numbers show, though a misread median is the likeliest story."),
        ),
        hints=("Which answer weighs chance and the shape of the hazard before calling anything wrong?",
               "Look for the answer that also mentions what is missing."),
        explanation=("b: a benefit is plausible; the two figures can both be right (by chance, or with a rising "
                     "hazard), but the '38%' is most likely the longer median misread; significance is "
                     "unknown; the power depends on the design, which the story does not give."),
        how="es.check_claims(...)",
    ),
    Exercise(
        id="08.3",
        formerly="08.5",  # renumbered in the order a learner meets them (issue 20)
        question=("Which of these statements about the story does the evidence support? Give the letters of "
                  "all that it does."),
        form="choices",
        options={
            "a": "the story's '38%' is certainly wrong",
            "b": "if hazards are constant, the story's '38%' and its medians cannot both be right",
            "c": "the trial found no effect",
            "d": "the likeliest source of the '38%' is the 38% longer median",
            "e": "the '38%' and the medians can both be right, by chance or with a hazard that rises over time",
        },
        answer=lambda: "de",
        accepted=(
            Accepted("e", "A cautious answer, and a correct one: both figures can be right. d is supported "
                          "too, as the likeliest reading rather than a certainty: 23.9 / 17.3 = 1.38, a 38% "
                          "longer median."),
        ),
        misconceptions=(
            Misconception("a verdict that depends on chance and an assumption stated as certain", "ad",
                          "The '38%' is probably the longer median, but it is not certainly wrong: chance "
                          "gives such a gap in about 1 trial in 11 of this size if hazards are constant, and "
                          "with a hazard that rises over time (Weibull shape about 1.5) the two agree exactly."),
            Misconception("chance forgotten", "bd",
                          "d is right, but b forgets chance: both figures are estimates from the same "
                          "patients, and even with constant hazards about 1 trial in 11 of this size shows a "
                          "gap this wide (lesson 04, section 5). So both can be right: e."),
            Misconception("chance forgotten, and the likely source missed", "b",
                          "b forgets chance: even with constant hazards about 1 trial in 11 of this size "
                          "shows a gap this wide, so both figures can be right (e). And d is supported: "
                          "23.9 / 17.3 = 1.38, a 38% longer median."),
            Misconception("a muddled report read as no effect", "cde",
                          "Nothing in the story says the trial found no effect: both medians favour "
                          "lapatinib. Muddled reporting makes the size unclear, not the effect absent."),
            Misconception("both readings held at once", "abde",
                          "a and e cannot both hold: if the figures can both be right, by chance or with a "
                          "hazard that rises over time, the '38%' is not certainly wrong. And b forgets chance."),
        ),
        hints=("Which statements weigh chance, and which name the assumption they rest on?",
               "Two are supported; one says 'likeliest', the other says 'can'."),
        explanation=("d and e: the two figures can both be right (by chance in about 1 trial in 11 if hazards "
                     "are constant, exactly with a rising hazard); the '38%' most likely comes from the 38% "
                     "longer median; the primary report would settle it."),
        how="es.check_claims(...) and es.claims.chance_gaps(...)",
    ),
)

# After lessons 10 and 11 (the traps between a trial and its headline).
register(
    Exercise(
        id="08.6",
        question=("After lessons 10 and 11: which of these would you ask the story's authors before believing "
                  "its 23.9 against 17.3 months? Give the letters of all you would ask."),
        form="choices",
        options={
            "a": "how many patients were lost to follow-up, and whether they were like those who stayed",
            "b": "whether the trial was stopped early at an interim look, and against which boundary",
            "c": "whether control patients could switch to lapatinib later, and which analysis the medians come from",
            "d": "whether the medians compare the randomised arms or groups formed later (by CTC clearance, say)",
            "e": "nothing more: a randomised trial cannot be misleading",
        },
        answer=lambda: "abcd",
        misconceptions=(
            Misconception("randomisation thought to protect against every trap", "e",
                          "Randomisation makes the arms comparable at the start. Dropout, early stopping, "
                          "crossover and groups formed after randomisation all happen later, and each can "
                          "move the numbers (lessons 10 and 11)."),
            Misconception("only the trial-design traps kept", "bc",
                          "Interim looks and crossover matter, but so do the data traps of lesson 10: who was "
                          "lost to follow-up, and whether the groups compared were formed at randomisation."),
            Misconception("only the data traps kept", "ad",
                          "Dropout and groups formed later matter, but so do the trial's own choices (lesson "
                          "11): an early stop overstates the effect, and crossover dilutes overall survival."),
        ),
        hints=("Lesson 10 has two traps in the data that apply here, lesson 11 two in the trial.",
               "Which option says a randomised trial can never mislead?"),
        explanation=("a, b, c and d: each is a way numbers that fit together can still mislead; randomisation "
                     "protects only the comparison at the start."),
        how="lessons 10 and 11",
    ),
    Exercise(
        id="08.7",
        question=("EGF100151 stopped enrolment after an interim analysis of time to progression (hazard ratio "
                  "0.49), let control patients switch to lapatinib, and reported a final overall-survival "
                  "hazard ratio of 0.87 (p = 0.21). Which reading fits lessons 10 and 11?"),
        form="choice",
        options={
            "a": "lapatinib stopped working over time",
            "b": "an early stop can overstate an effect, switching pulls overall survival towards 1, and time "
                 "to progression need not track overall survival: all three may contribute",
            "c": "the final analysis must be wrong, since the interim one was so clear",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("a shrinking estimate read as a drug that wears off", "a",
                          "The two hazard ratios are for different endpoints, at different times, in a trial "
                          "whose control patients later got the drug: no waning is needed to explain them."),
            Misconception("the early, extreme result trusted over the final one", "c",
                          "The interim result is the one to distrust a little: trials stop on a lucky high. "
                          "And it measured progression, not survival."),
        ),
        hints=("Three traps of lesson 11 apply to this trial.",
               "Which hazard ratio was measured when the trial stopped, and on which endpoint?"),
        explanation=("b: early stopping, crossover and a surrogate endpoint each push the final OS hazard ratio "
                     "towards 1, without the drug having changed."),
        how="teaching.egf100151(...), lesson 11",
    ),
)
