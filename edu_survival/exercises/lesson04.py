"""Lesson 04 (hazards and the hazard ratio): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from ..scenario import LAPATINIB
from .engine import Exercise, Misconception, register

_DEATHS_24 = teaching.deaths_per_100(LAPATINIB, 24, 0.62)
_RISK_REDUCTION_24 = 100 * (1 - _DEATHS_24["treatment"] / _DEATHS_24["control"])
"""The relative reduction in the risk of dying within 24 months if the HR is 0.62 (exponential)."""

register(
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
            Misconception("the reduction given for the hazard ratio", lambda: teaching.STORY.reduction_from_medians,
                          "That is the reduction, 1 - 17.3 / 23.9 = 0.276, a 28% lower hazard. The hazard "
                          "ratio is what remains of the hazard: 17.3 / 23.9."),
            Misconception("the story's figure repeated", lambda: teaching.STORY.hr_reported,
                          "0.62 is what the story's '38% reduction' would mean. The question asks what the "
                          "medians imply under constant hazards; whether that can agree with the 38% is this "
                          "lesson's puzzle."),
        ),
        hints=("Under exponential survival, hazard = ln(2) / median, so the ratio of hazards is a ratio of medians.",
               "Treatment hazard / control hazard = control median / treatment median."),
        explanation=lambda v: f"{v:.3f}: a {100 * (1 - v):.0f}% lower hazard, not 38%.",
        how="teaching.STORY.hr_from_medians",
    ),
    Exercise(
        id="04.2",
        question=("The story reports a '38% reduction in the risk of death' without saying what was reduced. "
                  "If it is a 38% reduction in the hazard (the death rate among patients still alive), what "
                  "hazard ratio is it?"),
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
        explanation=lambda v: (f"{v:.2f}, if the 38% is a reduction in the hazard: patients on lapatinib would "
                               f"have {100 * v:.0f}% of the hazard of those without. Whether the story meant that "
                               "is the puzzle of this lesson."),
        how="teaching.STORY.hr_reported",
    ),
    Exercise(
        id="04.4",
        question=("With a control median of 17.3 months (constant hazard) and a hazard ratio of 0.62, the table "
                  "above gives the deaths avoided per 100 patients by 24 months. How many fewer deaths per 100 "
                  "would there be by 12 months? (Decide first: more or fewer than by 24 months?)"),
        form="number",
        answer=lambda: teaching.deaths_per_100(LAPATINIB, 12, 0.62)["fewer deaths"],
        tolerance=0.15,  # per 100 patients, to one decimal: as the table prints it
        misconceptions=(
            Misconception("the 24-month figure kept", lambda: _DEATHS_24["fewer deaths"],
                          "That is the number by 24 months. By 12 months fewer patients have died in either "
                          "arm, so fewer deaths can have been avoided: an absolute effect depends on when "
                          "you count."),
            Misconception("'38% reduction' read as 38 in 100 saved", 38,
                          "A 38% lower hazard is relative: it lowers each patient's risk at each moment. "
                          "Only the patients who would have died are affected, so far fewer than 38 in "
                          "100 deaths are avoided, and fewer still by 12 months."),
            Misconception("risk ratio and hazard ratio mixed up",
                          lambda: teaching.deaths_per_100(LAPATINIB, 12)["control"] * teaching.STORY.reduction,
                          "You cut the deaths by 38%. A hazard ratio multiplies the hazard, not the share "
                          "who die: survival becomes the control survival to the power 0.62."),
            Misconception("the % lower risk given for the deaths avoided", lambda: _RISK_REDUCTION_24,
                          "That is the percentage by which the risk of dying by 24 months falls, a relative "
                          "figure. The question asks for an absolute one: deaths per 100 patients, by 12 "
                          "months."),
            Misconception("a share given for a count per 100", lambda: _DEATHS_24["fewer deaths"] / 100,
                          "That is a share of patients (per 1), and by 24 months. The question asks for "
                          "deaths per 100, by 12 months.", tolerance=0.005),
            Misconception("a share given for a count per 100, by 12 months",
                          lambda: teaching.deaths_per_100(LAPATINIB, 12, 0.62)["fewer deaths"] / 100,
                          "Right idea, wrong unit: that is per patient. Per 100 patients it is 100 times "
                          "that.", tolerance=0.005),
        ),
        hints=("Deaths by 12 months in each arm: 100 x (1 - survival at 12 months); with hazard ratio 0.62 the "
               "lapatinib survival is the control survival to the power 0.62.",
               "es.effect_sizes(es.Scenario.from_hr(17.3, 0.62), at=12) gives the row 'fewer deaths per 100'."),
        explanation=lambda v: (
            f"About {v:.0f} fewer deaths per 100 by 12 months, against about "
            f"{_DEATHS_24['fewer deaths']:.0f} by 24 months: the same hazard ratio avoids more deaths the "
            "longer we look, because more patients would have died. An absolute effect needs its 'by when'."),
        how="teaching.deaths_per_100(LAPATINIB, 12, 0.62)['fewer deaths']",
    ),
    Exercise(
        id="04.5",
        formerly="04.4",  # renumbered in the order a learner meets them (issue 20)
        question="Which sentence describes a hazard ratio of 0.62 correctly?",
        form="choice",
        options={
            "a": "38 of every 100 patients are saved",
            "b": "at any moment, patients still alive on lapatinib die at 62% of the rate of similar patients without it",
            "c": "patients on lapatinib live 38% longer",
            "d": "62% of patients respond to lapatinib",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("'38% reduction' read as 38 in 100 saved", "a",
                          "The reduction is relative and applies moment by moment to those still alive; "
                          "the absolute number saved is much smaller (exercise 04.4)."),
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
    Exercise(
        id="04.6",
        formerly="04.5",  # renumbered in the order a learner meets them (issue 20)
        question=("Suppose the hazard ratio really is 0.62 and the control arm follows the story's median "
                  "(17.3 months, constant hazard). Which of these headlines are true? Give the letters of "
                  "all that are."),
        form="choices",
        options={
            "a": "lapatinib saves 38 of every 100 patients within 24 months",
            "b": "lapatinib lowers the hazard of death (the death rate among patients still alive) by 38%",
            "c": "lapatinib lowers the risk of dying within 24 months by 38%",
            "d": (f"lapatinib lowers the risk of dying within 24 months by about "
                  f"{_RISK_REDUCTION_24:.0f}%"),
        },
        answer=lambda: "bd",
        misconceptions=(
            Misconception("hazard read as risk", "bc",
                          "A 38% lower hazard is not a 38% lower risk of dying by month 24: the hazard acts "
                          "moment by moment on those still alive, and risk by a time adds that up. Read the "
                          "risk by 24 months in the effect-size table."),
            Misconception("relative read as absolute", "ab",
                          "38% is relative. In absolute terms the deaths avoided by 24 months are the "
                          "difference between the two arms' deaths per 100, far fewer than 38."),
            Misconception("only the hazard's headline trusted", "b",
                          "b is true, and so is d: the risk of dying by 24 months falls too, by less than "
                          "the hazard. Look at the row '% lower risk of dying by month 24' of the effect-size table."),
            Misconception("every 38% taken as true", "abc",
                          "Only b says 38% correctly: a 38% lower hazard. It saves far fewer than 38 in 100 "
                          "and lowers the risk of dying by 24 months by less than 38%."),
        ),
        hints=("The effect-size table shows the same effect as a hazard, a risk by 24 months, deaths per "
               "100 and months gained.",
               "Two are true: one about the hazard, one about the risk by 24 months."),
        explanation=lambda v: (
            f"b and d: a 38% lower hazard; about {_RISK_REDUCTION_24:.0f}% lower risk of dying by month "
            f"24; about {teaching.deaths_per_100(LAPATINIB, 24, 0.62)['fewer deaths']:.0f} fewer deaths per "
            "100 by then."),
        how="es.effect_sizes(es.LAPATINIB.replace(median_treatment=17.3 / 0.62), at=24)",
    ),
    Exercise(
        id="04.3",
        formerly="04.6",  # renumbered in the order a learner meets them (issue 20)
        question=("With the explorer's shape control (or Scenario's shape field), find the Weibull shape at which "
                  "the story's medians, 23.9 and 17.3 months, give a hazard ratio of 0.62. What shape is it, to "
                  "two decimals?"),
        form="number",
        answer=lambda: teaching.STORY.reconciling_shape,
        tolerance=0.03,
        misconceptions=(
            Misconception("constant hazards assumed", 1.0,
                          "Shape 1 is the constant hazard (exponential) model, under which the medians give "
                          "0.724, not 0.62. Move the shape until the hazard ratio reads 0.62."),
            Misconception("the logarithms divided the wrong way round", lambda: 1 / teaching.STORY.reconciling_shape,
                          "You divided ln(17.3 / 23.9) by ln 0.62. The shape k solves (17.3 / 23.9)^k = 0.62, "
                          "so k = ln 0.62 / ln(17.3 / 23.9): the power to which 0.724 must be raised to "
                          "reach 0.62, which is above 1."),
            Misconception("the median ratio used upside down", lambda: -teaching.STORY.reconciling_shape,
                          "A shape is always positive. You used 23.9 / 17.3 = 1.38, whose logarithm is "
                          "positive; the hazard ratio the medians give is (17.3 / 23.9)^k, so divide by "
                          "ln(17.3 / 23.9)."),
            Misconception("the hazard ratio given for the shape", 0.62,
                          "0.62 is the hazard ratio we want to reach; the question asks for the shape at "
                          "which the medians give it."),
        ),
        hints=("Under Weibull survival with shape k, the hazard ratio is (17.3 / 23.9) to the power k.",
               "Raise the shape above 1 until the hazard ratio reads 0.62."),
        explanation=lambda v: (
            f"About {v:.2f}: a hazard that rises over time. Under this shape the story's two figures "
            "agree; the story does not say which shape holds, so the puzzle depends on an assumption."),
        how="math.log(0.62) / math.log(17.3 / 23.9)",
    ),
)
