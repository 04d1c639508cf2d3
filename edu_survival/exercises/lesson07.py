"""Lesson 07 (non-proportional hazards): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_DELAYED = LAPATINIB.replace(delay=6.0)


def _late(horizon: float):
    """Lesson 07's delayed-effect trial (seed 4) analysed with the RMST up to ``horizon`` months."""
    return teaching.simulated_trial(seed=4, scenario=_DELAYED, rmst_horizon=horizon)

register(
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
        question=("In the seed-4 trial with a 6-month delay before lapatinib acts, the RMST difference up to 36 "
                  "months is printed above. What is the difference (lapatinib minus chemotherapy alone) up to "
                  "24 months instead? (Decide first: smaller, but is it two thirds of the 36-month figure, or less?)"),
        form="number",
        answer=lambda: _late(24).rmst_diff,
        tolerance=0.05,
        misconceptions=(
            Misconception("the horizon not changed", lambda: _late(36).rmst_diff,
                          "That is the difference up to 36 months, printed above. Up to 24 months the area "
                          "between the curves stops a year earlier."),
            Misconception("the difference scaled with the horizon", lambda: _late(36).rmst_diff * 24 / 36,
                          "The area between the curves does not grow in proportion to the horizon. With a "
                          "delay the curves run together for the first months, so the area between them "
                          "builds up later: the last year adds more than its third of the total, and "
                          "cutting it removes more than a third of the area."),
            Misconception("difference of medians taken for the RMST difference",
                          lambda: teaching.median_difference(teaching.simulated_trial(seed=4, scenario=_DELAYED)),
                          "That is the difference of the medians, one point on each curve. The RMST "
                          "difference is the area between the curves up to 24 months."),
            Misconception("the difference taken the wrong way round", lambda: -_late(24).rmst_diff,
                          "The sign is reversed: the question asks for lapatinib minus chemotherapy alone, "
                          "which is positive when lapatinib patients live longer on average."),
        ),
        hints=("The horizon is an argument: rmst_horizon=24.",
               "es.teaching.simulated_trial(seed=4, scenario=es.LAPATINIB.replace(delay=6), rmst_horizon=24).rmst_diff"),
        explanation=lambda v: (
            f"{v:.2f} months gained on average in the first 24 months, against {_late(36).rmst_diff:.2f} in the "
            "first 36: an RMST is always 'up to' a horizon, and with a late effect most of the gain comes late. "
            "A report must say which horizon it used, and choose it before seeing the data."),
        how="teaching.simulated_trial(seed=4, scenario=LAPATINIB.replace(delay=6), rmst_horizon=24).rmst_diff",
    ),
    Exercise(
        id="07.1",
        question=("With lapatinib starting to act only after 6 months, Schoenfeld's formula and 1,000 simulated "
                  "trials disagree about the power (printed above). Which explanation is right?"),
        form="choice",
        options={
            "a": "the formula is right; the simulated power is low by chance",
            "b": "the formula overstates the power: the early months add deaths but no difference between the arms",
            "c": "the formula understates the power",
            "d": "neither: 1,000 simulated trials cannot tell two powers apart",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("a gap blamed on Monte Carlo error without checking", "a",
                          "Weigh chance first, then check it: the printout gives the simulation's 95% "
                          "interval, and the formula's power lies far above it. Monte Carlo error cannot "
                          "explain a gap that size; the formula's assumption can."),
            Misconception("the formula thought pessimistic", "c",
                          "The formula promises more power than the simulated trials reach, not less: it "
                          "assumes the hazard ratio holds from the first day."),
            Misconception("a simulation thought unable to tell", "d",
                          "The simulation's 95% interval is a few percentage points wide, and the gap is "
                          "much wider: 1,000 trials tell these two apart easily."),
        ),
        hints=("Is the formula's power inside the simulation's 95% interval, or outside it?",
               "The formula assumes proportional hazards, the same hazard ratio from the first day."),
        explanation=("It overstates it. The gap is far outside the simulation's 95% interval, so it is not "
                     "Monte Carlo error: the formula assumes proportional hazards. Simulate (es.power) when "
                     "hazards are not proportional."),
        how="teaching.formula_vs_simulation(LAPATINIB.replace(delay=6))",
    ),
    Exercise(
        id="07.4",
        question=("In the crossing-curves trial the hazard ratio is close to 1 and the log-rank test is not "
                  "significant, while the table shows the new treatment behind at month 4 and ahead at month "
                  "36. What is the best reading?"),
        form="choice",
        options={
            "a": "the new treatment has no effect",
            "b": "the effect changes over time (early harm, later benefit); one hazard ratio averages it away",
            "c": "the trial must have been analysed wrongly",
            "d": "the curves cross by chance; with more patients they would not",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'not significant' read as 'no effect'", "a",
                          "A hazard ratio near 1 can hide an effect in opposite directions early and late: "
                          "one average over the whole follow-up cancels them. Look at the curves, survival "
                          "at fixed times, and the RMST."),
            Misconception("an unexpected result blamed on the analysis", "c",
                          "Nothing is wrong with the analysis: one hazard ratio is the wrong summary for "
                          "curves that cross."),
            Misconception("a built-in crossing put down to chance", "d",
                          "Chance is always the first question, and in real data you would check it (a "
                          "hazard ratio per period, the test of proportional hazards). Here we know the "
                          "answer: the trial was simulated with a higher hazard for the first months and a "
                          "lower one after, so more patients would show the crossing more clearly, not less."),
        ),
        hints=("Look at the survival table at months 4 and 36.", "Which arm is ahead early, which late?"),
        explanation=("An effect that changes sign over time: one hazard ratio averages early harm with later "
                     "benefit. Report the curves, survival at fixed times and the RMST, not one HR."),
        how="teaching.crossing_trial(seed=0)",
    ),
    Exercise(
        id="07.5",
        question=("Which of these would make you doubt that the hazards are proportional? Give the letters of "
                  "all that would."),
        form="choices",
        options={
            "a": "Kaplan–Meier curves that cross",
            "b": "log-log curves (log of minus log survival against log time) that run roughly parallel",
            "c": "a hazard ratio near 1 before month 6 and near 0.6 after it",
            "d": "a small p-value in the test of proportional hazards (Schoenfeld residuals)",
        },
        answer=lambda: "acd",
        misconceptions=(
            Misconception("parallel log-log curves read as a warning", "abcd",
                          "Parallel log-log curves are what proportional hazards look like: the distance "
                          "between them is the log of the hazard ratio, the same at every time."),
            Misconception("the test trusted over the pictures", "d",
                          "The test is one sign; crossing curves and a hazard ratio that changes from one "
                          "period to the next are signs too, and often clearer."),
            Misconception("only crossing curves noticed", "a",
                          "Crossing curves are the clearest sign, but a hazard ratio that changes over time "
                          "and a small p-value in the proportional-hazards test point the same way."),
        ),
        hints=("Proportional hazards means the same hazard ratio at every time.",
               "Three of the four are warnings; one is what proportional hazards look like."),
        explanation="a, c and d: each shows a hazard ratio that changes over time; b is what PH looks like.",
        how="es.plots.plot_loglog, Analysis.ph_test(), Analysis.hr_by_period()",
    ),
)
