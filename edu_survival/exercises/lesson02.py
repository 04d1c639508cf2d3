"""Lesson 02 (Kaplan–Meier by hand): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .. import teaching
from .engine import Exercise, Misconception, register

_TINY = teaching.tiny_trial


def _f_followed_longer():
    """The twelve invented patients with patient F (censored at month 7) seen alive until month 9."""
    tiny = _TINY()
    tiny.loc[tiny["patient"] == "F", "time"] = 9.0
    return tiny


def _b_died():
    """The twelve invented patients with patient B (censored at month 3) recoded as a death."""
    tiny = _TINY()
    tiny.loc[tiny["patient"] == "B", "event"] = 1
    return tiny


register(
    Exercise(
        id="02.1",
        question=("Twelve invented patients: the first death is at month 2, with all 12 at risk. What is the "
                  "Kaplan–Meier survival just after month 2?"),
        form="proportion",
        answer=lambda: teaching.km_at(_TINY(), 2),
        tolerance=0.005,
        misconceptions=(
            Misconception("the share who died instead of the share alive", 1 / 12,
                          "1/12 is the share who died at that step; survival is the share who did not: "
                          "1 - 1/12."),
        ),
        hints=("Survival after a step = 1 - (deaths / number at risk).",
               "1 - 1/12."),
        explanation=lambda v: f"{v:.3f} = 11/12.",
        how="teaching.km_at(teaching.tiny_trial(), 2)",
    ),
    Exercise(
        id="02.2",
        question=("In the life table, patient F is censored at month 7. Suppose F had in fact been seen alive "
                  "at month 9 (censored at month 9 instead of 7). What would the Kaplan–Meier survival at "
                  "month 8 be then?"),
        form="proportion",
        answer=lambda: teaching.km_at(_f_followed_longer(), 8),
        tolerance=0.003,  # dropping the censored gives 6/11, within 0.005 of the answer
        misconceptions=(
            Misconception("a later censoring thought to change nothing", lambda: teaching.km_at(_TINY(), 8),
                          "That is the survival at month 8 in the table as it is. Seen alive at month 9, F "
                          "is still in the risk set at month 8: 7 patients at risk there, not 6, so that "
                          "step multiplies by 6/7 instead of 5/6."),
            Misconception("censored patients counted as survivors",
                          lambda: teaching.naive_share_alive(_f_followed_longer(), 8, "alive"),
                          "You counted everyone not seen to die as alive. Patients censored before month 8 "
                          "(B at month 3) might have died before month 8; Kaplan–Meier lets them count only "
                          "while they were followed."),
            Misconception("censored patients dropped",
                          lambda: teaching.naive_share_alive(_f_followed_longer(), 8, "dropped"),
                          "You dropped the patients censored before month 8. They were alive when they left, "
                          "and that information counts: Kaplan–Meier keeps them in the risk set until "
                          "their censoring time."),
        ),
        hints=("Only the step at month 8 changes: how many patients are at risk there now?",
               "F is followed past month 8, so the risk set at month 8 has one more patient: survival at "
               "month 7 times (1 - 1/7)."),
        explanation=lambda v: (
            f"{v:.3f}, a little above the {teaching.km_at(_TINY(), 8):.3f} of the table: F now counts among "
            "those at risk at month 8, so one death there is 1 of 7, not 1 of 6. A censored patient "
            "counts for exactly as long as they were followed."),
        how="teaching.km_at on tiny_trial() with F censored at month 9",
    ),
    Exercise(
        id="02.3",
        question="What does a censored patient do to the Kaplan–Meier curve at their censoring time?",
        form="choice",
        options={
            "a": "the curve drops, as for a death",
            "b": "the curve stays level, and the number at risk falls by one for later steps",
            "c": "the curve rises",
            "d": "nothing at all: censored patients are left out of the calculation",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("censoring treated as death", "a",
                          "A censored patient was alive when last seen: no drop. Only deaths make the "
                          "curve step down."),
            Misconception("censored patients ignored", "d",
                          "They count in every step while they were followed; they leave the risk set "
                          "only after their censoring time. That is what makes the later steps bigger."),
        ),
        hints=("Look at the life-table rows with a censoring but no death.",
               "The survival column stays the same there; look at 'at risk' on the next row."),
        explanation="Level curve (a tick mark on plots); the next steps are computed over fewer patients.",
        how="teaching.life_table(teaching.tiny_trial())",
    ),
    Exercise(
        id="02.5",
        formerly="02.4",  # renumbered in the order a learner meets them (issue 20)
        question="Why is the 95% confidence interval around a Kaplan–Meier curve wider at the right-hand end?",
        form="choice",
        options={
            "a": "because fewer patients are still at risk there, so each step rests on less information",
            "b": "because the treatment effect grows with time",
            "c": "because patients are sicker later",
            "d": "because the curve is lower",
        },
        answer=lambda: "a",
        misconceptions=(
            Misconception("interval width read as effect size", "b",
                          "The interval is about the precision of one arm's curve, not about the difference "
                          "between arms."),
        ),
        hints=("Greenwood's formula adds up a term per death: deaths / (at risk x (at risk - deaths)).",
               "Look at the numbers-at-risk table under the plot."),
        explanation="Few at risk, big uncertain steps: the Greenwood variance grows as the risk set shrinks.",
        how="Greenwood's formula, in analyze.kaplan_meier",
    ),
    Exercise(
        id="02.4",
        formerly="02.5",  # renumbered in the order a learner meets them (issue 20)
        question=("Among the twelve invented patients, patient B is censored at month 3. Suppose we learn that "
                  "B in fact died at month 3. Without computing, how does the Kaplan–Meier survival at month 8 "
                  "change?"),
        form="choice",
        options={
            "a": "it goes up",
            "b": "it goes down",
            "c": "it stays the same: B was already counted",
        },
        answer=lambda: "b" if teaching.km_at(_b_died(), 8) < teaching.km_at(_TINY(), 8) else "a",
        misconceptions=(
            Misconception("a censoring treated like a death", "c",
                          "A censored patient makes no step in the curve; a death does. As a death, B "
                          "adds a step at month 3 (1 - 1/11), and every later survival is multiplied by it."),
            Misconception("a death thought to raise the curve", "a",
                          "A Kaplan–Meier curve never rises: each death multiplies survival by a share "
                          "below one. One more death can only lower it."),
        ),
        hints=("Does a censored patient make the curve step down? Does a death?",
               "At month 3, 11 patients are at risk: a death there multiplies survival by 10/11."),
        explanation=lambda v: (
            f"It goes down, from {teaching.km_at(_TINY(), 8):.3f} to "
            f"{teaching.km_at(_b_died(), 8):.3f}: the death adds a step the "
            "censoring did not."),
        how="teaching.km_at on tiny_trial() with B recoded as a death, against tiny_trial()",
    ),
)
