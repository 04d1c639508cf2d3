"""Lesson 09 (rebuilding a trial from its curve): its exercises, declared. The engine is in ``engine.py``.

Answers are computed from the lesson's digitised figure (``teaching.lesson09.lesson_digitised()``, the
same points as ``lessons/data/09_*.csv``) at check time.
"""

from __future__ import annotations

from .. import reconstruct
from ..analyze import analyze
from ..teaching import lesson09
from .engine import Exercise, Misconception, register

_FEWER = 5
"""How many fewer patients exercise 09.1's at-risk table prints at the end of the first interval."""

_HORIZON = 18.0
"""Exercise 09.2's RMST horizon (months): not the summary's, so that the learner analyses again."""


def _first_interval():
    clicks = lesson09.lesson_digitised()["control"]
    return reconstruct.intervals(*clicks).iloc[0]


def _first_guess(fewer_at_end: int = 0) -> int:
    """The algorithm's first guess of the censored in the control arm's first interval, with the
    at-risk table printing ``fewer_at_end`` fewer patients at that interval's end."""
    clicks = lesson09.lesson_digitised()["control"]
    at_risk = clicks.at_risk.copy()
    end = float(_first_interval()["end"])
    at_risk.loc[at_risk["time"] == end, "at_risk"] -= fewer_at_end
    return int(reconstruct.intervals(clicks.curve, at_risk).iloc[0]["first guess censored"])


def _rebuilt(horizon: float | None = None):
    return analyze(lesson09.lesson_rebuilt(), unit="months", rmst_horizon=horizon)


register(
    Exercise(
        id="09.1",
        question=("In the control arm's first interval (the first row of the table above), suppose the at-risk "
                  "table had printed five fewer patients at risk at the end of the interval, with the same "
                  "clicked curve. What would the algorithm's first guess of the number censored be then?"),
        form="count",
        answer=lambda: _first_guess(fewer_at_end=_FEWER),
        misconceptions=(
            Misconception("the change not made", lambda: _first_guess(),
                          "That is the first guess for the table as printed. With five fewer at risk at the "
                          "end and the same curve, five more patients left the risk set without the curve "
                          "falling for them."),
            Misconception("the change made the wrong way", lambda: _first_guess(fewer_at_end=-_FEWER),
                          "That is the guess for five *more* patients at risk at the end. Fewer at risk at "
                          "the end, with the same deaths, means more censored."),
            Misconception("everyone who left counted as censored",
                          lambda: int(_first_interval()["at risk at start"] - _first_interval()["at risk at end"]
                                      + _FEWER),
                          "That is everyone who left the risk set: the dead and the censored together. "
                          "The curve's fall says how many of them died; only the rest were censored."),
        ),
        hints=("Step 1: at risk at the start x (survival at the end / survival at the start) - at risk at the "
               "end, rounded. Which of these numbers changes?",
               "The curve, and so the deaths, stay the same: only 'at risk at the end' changes."),
        explanation=lambda v: (
            f"{v}, against {_first_guess()} for the table as printed: the curve fixes how many died, the "
            "table how many left the risk set, and the censored are the difference. Five more patients gone "
            "with the same curve are five more censored."),
        how='reconstruct.intervals(curve, at_risk with five fewer at the first interval\'s end).loc[0, '
            '"first guess censored"]',
    ),
    Exercise(
        id="09.2",
        question=("The paper did not report the restricted mean survival time. From the rebuilt trial, what "
                  "is the RMST difference, treatment minus control, up to 18 months (not the horizon of the "
                  "summary above)?"),
        form="number",
        answer=lambda: _rebuilt(_HORIZON).rmst_diff,
        tolerance=0.1,
        misconceptions=(
            Misconception("the summary's horizon kept", lambda: _rebuilt().rmst_diff,
                          "That is the difference up to the horizon of the summary above, later than 18 "
                          "months. Analyse the rebuilt patients again with rmst_horizon=18."),
            Misconception("difference of the medians",
                          lambda: _rebuilt().median["treatment"].estimate - _rebuilt().median["control"].estimate,
                          "That is the difference of the medians, read at one point of each curve. The RMST is "
                          "the area under each curve up to the horizon, so its difference counts every month."),
            Misconception("control minus treatment", lambda: -_rebuilt(_HORIZON).rmst_diff,
                          "The sign is reversed: the question asks for treatment minus control, positive when "
                          "treatment patients lived longer on average up to the horizon."),
        ),
        hints=("es.analyze takes an rmst_horizon.",
               'es.analyze(rebuilt, unit="months", rmst_horizon=18).rmst_diff'),
        explanation=lambda v: (f"{v:.1f} months: up to 18 months, patients on treatment lived on average that "
                               "much longer. The paper never printed it; the rebuilt patients give it, for "
                               "any horizon a reader chooses (chosen before looking, in a real appraisal)."),
        how='es.analyze(rebuilt, unit="months", rmst_horizon=18).rmst_diff',
    ),
    Exercise(
        id="09.3",
        question=("Suppose every step of both curves had been clicked perfectly. Which of these would the "
                  "reconstruction still have to guess?"),
        form="choice",
        options={
            "a": "the number of deaths in each interval before the last time of the at-risk table",
            "b": "when, within each interval, patients were censored",
            "c": "the number of patients randomised to each arm",
            "d": "the height of the curve after each death",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("the deaths thought unknowable", "a",
                          "Those are pinned: the curve's drops give the deaths at each step once the number "
                          "at risk is known, and the table gives that number at each of its times."),
            Misconception("the number randomised thought unknown", "c",
                          "The at-risk table's first column is the number randomised in each arm."),
            Misconception("the clicked height thought a guess", "d",
                          "The height is what is clicked; with a perfect click it is exact."),
        ),
        hints=("What does the at-risk table say about the censored patients in an interval: how many, or when?",
               "The algorithm spreads the censored evenly over each interval."),
        explanation=("When patients were censored within an interval: the table gives how many left, not when, "
                     "so the algorithm spreads them evenly (and after the last table time even how many is a guess)."),
        how="the algorithm's step 2",
    ),
    Exercise(
        id="09.4",
        question="What would the news story have needed to print for a reader to rebuild its trial?",
        form="choice",
        options={
            "a": "the two medians and the hazard ratio",
            "b": "the Kaplan–Meier figure with the numbers at risk under it, ideally with each arm's deaths",
            "c": "the p-value",
            "d": "the number of patients in each arm",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("summaries taken for the data", "a",
                          "Medians and a hazard ratio are summaries: many different trials share them (this "
                          "lesson's two versions of the story's trial have the same medians). A curve with "
                          "its table pins the patients down."),
            Misconception("the p-value taken for the data", "c",
                          "A p-value says how surprising the difference would be by chance alone; it holds "
                          "no patients. It is worth printing, but nothing can be rebuilt from it."),
            Misconception("the arm sizes taken for enough", "d",
                          "The arm sizes are the first column of the at-risk table, but without the curve "
                          "nothing says who died when."),
        ),
        hints=("The algorithm of this lesson needs two inputs per arm.",
               "One is a picture, the other a table printed under it."),
        explanation=("The figure with its numbers at risk (and each arm's deaths, for the last interval): "
                     "from these a reader rebuilds the trial and computes any summary."),
        how="the inputs of reconstruct.trial",
    ),
)
