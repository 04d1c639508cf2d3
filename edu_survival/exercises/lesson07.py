"""Lesson 07 (non-proportional hazards): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_DELAYED = LAPATINIB.replace(delay=6.0)
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
            Misconception("the difference taken the wrong way round",
                          lambda: -teaching.simulated_trial(seed=4, scenario=_DELAYED, rmst_horizon=36).rmst_diff,
                          "The sign is reversed: the question asks for lapatinib minus chemotherapy alone, "
                          "which is positive when lapatinib patients live longer on average."),
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
