"""Lesson 10 (traps in the data): its exercises, declared. The engine is in ``engine.py``."""

from __future__ import annotations

from .engine import Exercise, Misconception, register

register(
    Exercise(
        id="10.1",
        question=("In a trial, patients who feel worse stop coming to the clinic and are censored when last "
                  "seen. Compared with the truth, the Kaplan–Meier curve of that trial will on average be:"),
        form="choice",
        options={
            "a": "right: Kaplan–Meier is built to handle censored patients",
            "b": "too high: the patients still followed are healthier than those who left",
            "c": "too low: Kaplan–Meier counts the patients who left as deaths",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("Kaplan–Meier trusted with any censoring", "a",
                          "Kaplan–Meier handles censoring only under one assumption: a patient censored at "
                          "month t would have had the same chance of dying later as those still followed. "
                          "When the sicker leave, those who stay are healthier, and the curve is too high."),
            Misconception("censored patients thought to count as deaths", "c",
                          "Kaplan–Meier never counts a censored patient as a death: it lets them leave the "
                          "risk set. The trouble is who is left behind: here, the healthier patients, so the "
                          "curve is too high, not too low."),
        ),
        hints=("Who is still being followed after the sicker patients have gone?",
               "Kaplan–Meier estimates the future of those who left from those who stayed."),
        explanation=("Too high: Kaplan–Meier assumes the patients who left are like those who stayed; "
                     "here they were sicker, so it paints the future too bright."),
        how="es.traps.informative.km_bias(who='the sicker')",
    ),
    Exercise(
        id="10.2",
        question=("The Kaplan–Meier curves of a trial might be biased by informative dropout. What in the "
                  "trial's own data could show whether they are?"),
        form="choice",
        options={
            "a": "a log-rank test comparing the patients lost to follow-up with those still followed",
            "b": "the share of patients lost to follow-up: above a third means the curves are biased",
            "c": "nothing in the data alone: the deaths of the patients who left were never seen, so only "
                 "knowing why they left (or tracing them) can tell",
        },
        answer=lambda: "c",
        misconceptions=(
            Misconception("a test in the data thought to detect informative dropout", "a",
                          "A patient lost to follow-up has no death time to compare: what happened to them "
                          "after they left was never observed. The same observed data could come from "
                          "dropout at random in a different population, so no test can tell."),
            Misconception("the share lost taken as the bias", "b",
                          "The share lost says how much the estimate rests on the assumption, not whether the "
                          "assumption holds. In the explorer the share lost barely changes between dropout "
                          "at random and dropout of the sicker, while the bias changes a lot."),
        ),
        hints=("What would you need to know about a patient after they left?",
               "In the table above, which column could a real trial not show?"),
        explanation=("Nothing in the data: independent censoring cannot be checked from the observed data. "
                     "Ask how many were lost, why, and whether anyone traced them (a sensitivity analysis "
                     "shows how far the answer could move)."),
        how="teaching.dropout_looks_alike()",
    ),
    Exercise(
        id="10.3",
        question=("A patient asks: 'Of 100 patients like me, how many will have died of this cancer within "
                  "two years?' Some patients die of other causes first. Which estimate answers her?"),
        form="choice",
        options={
            "a": "1 − Kaplan–Meier for death from the cancer, with the deaths from other causes censored",
            "b": "the Aalen–Johansen cumulative incidence of death from the cancer",
            "c": "either: the two are always equal",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("1 − Kaplan–Meier read as the share of patients", "a",
                          "Censoring the other deaths pretends those patients could still die of the cancer "
                          "later. 1 − Kaplan–Meier then answers 'what if nobody could die of anything else?', "
                          "a world without other deaths, and overstates the share of real patients."),
            Misconception("the two curves thought equal", "c",
                          "They are equal only when nobody can die of anything else. With competing deaths "
                          "1 − Kaplan–Meier is higher, and the gap grows with the competing hazard."),
        ),
        hints=("Her 100 patients include some who will die of something else first.",
               "Which curve counts those patients as unable to die of the cancer?"),
        explanation=("The cumulative incidence: it counts how many of these patients die of the cancer, in a "
                     "world where some die of other causes first."),
        how="es.traps.competing.competing_risks(...)",
    ),
    Exercise(
        id="10.4",
        question=("In an older population, more patients die of other causes. What happens to the gap "
                  "between 1 − Kaplan–Meier (other deaths censored) and the cumulative incidence of death "
                  "from the cancer?"),
        form="choice",
        options={
            "a": "it grows: more patients are removed by other deaths before the cancer could kill them",
            "b": "it shrinks: with more deaths, the estimates become more precise",
            "c": "it stays the same: the cancer's hazard has not changed",
        },
        answer=lambda: "a",
        misconceptions=(
            Misconception("bias mistaken for imprecision", "b",
                          "More deaths make each estimate more precise, but the two estimate different things. "
                          "The difference between what they estimate grows with the competing hazard."),
            Misconception("the cause-specific hazard mistaken for the risk", "c",
                          "The cancer's hazard (its rate among patients still alive) is indeed the same, and "
                          "1 − Kaplan–Meier stays where it was. The share who actually die of the cancer falls, "
                          "because other deaths come first: the gap grows."),
        ),
        hints=("Move the competing-risk slider in the explorer.", "Which of the two curves stays put?"),
        explanation="It grows: the cumulative incidence falls while 1 − Kaplan–Meier stays put.",
        how="teaching.competing_gap_table()",
    ),
    Exercise(
        id="10.5",
        question=("DETECT III reported that patients whose circulating tumour cells cleared at the first "
                  "follow-up lived longer than those whose did not. What can such a comparison show?"),
        form="choice",
        options={
            "a": "that clearing the cells lengthens life, so a drug that clears them will help",
            "b": "that clearance goes with longer survival among patients alive at the follow-up; not that it "
                 "causes it, and a comparison timed from randomisation would also gain immortal time",
            "c": "nothing at all, because it is not a randomised comparison",
        },
        answer=lambda: "b",
        misconceptions=(
            Misconception("an association after randomisation read as an effect", "a",
                          "Clearance was not randomised: patients whose cells clear may be those with the "
                          "better prognosis anyway. Our simulation made response do nothing, and a naive "
                          "comparison still found a large 'benefit'."),
            Misconception("every non-randomised comparison dismissed", "c",
                          "A marker that predicts survival is useful (for prognosis, or to choose whom to "
                          "study next); what it cannot do is show that changing the marker changes survival. "
                          "Analysed from the visit (a landmark), the association is fair as an association."),
        ),
        hints=("Who chose which patients cleared their cells?", "What must a patient do to be counted a responder?"),
        explanation=("An association among patients alive at the follow-up, analysed fairly only from that "
                     "visit; not proof that clearing the cells causes longer life."),
        how="teaching.responder_trial() and teaching.responder_bias()",
    ),
    Exercise(
        id="10.6",
        question="Which of these are true of a landmark analysis from the follow-up visit? Give the letters of all that are.",
        form="choices",
        options={
            "a": "it leaves out the patients who died or left before the visit",
            "b": "its result applies to patients alive at the visit, with survival counted from the visit",
            "c": "if it finds responders live longer, response causes longer survival",
            "d": "the landmark time must be chosen before looking at the results",
        },
        answer=lambda: "abd",
        misconceptions=(
            Misconception("the landmark taken as proof of cause", "abcd",
                          "The landmark removes the immortal time, not the confounding: responders may still "
                          "be the patients with the better prognosis. An association is not an effect."),
            Misconception("the landmark's price missed", "d",
                          "Choosing the landmark in advance matters, but so do the other two: the analysis "
                          "drops the patients who died before the visit, and speaks only of those alive then."),
        ),
        hints=("Look at the 'patients dropped' column of the table.",
               "What does a landmark fix, and what does it not fix?"),
        explanation=("a, b and d: it drops the early deaths, speaks of patients alive at the visit, and its "
                     "time must be fixed in advance; it removes immortal time, not confounding."),
        how="teaching.responder_trial().table()",
    ),
)
