"""Every exercise: its right answer is accepted, a wrong one rejected, each misconception named,
wrong types answered with the form the answer must take, and nothing ever raises."""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from edu_survival import exercises as ex
from edu_survival.exercises import REGISTRY, Feedback, check, hint, solution

IDS = sorted(REGISTRY)
MISCONCEPTIONS = [(i, m) for i in IDS for m in REGISTRY[i].misconceptions]


def _wrong_answer(e):
    """An answer that is wrong and matches no listed misconception."""
    right = ex.answer(e.id)
    taken = {ex.REGISTRY[e.id].misconception_value(m) for m in e.misconceptions}
    if e.form == "choice":
        free = [k for k in e.options if k != right and k not in taken]
        return free[0] if free else None
    if e.form == "choices":
        subsets = ("".join(c) for r in range(1, len(e.options) + 1) for c in itertools.combinations(e.options, r))
        return next(s for s in subsets if s != right and s not in taken)
    tol = max(e.tolerance, 1e-9)
    candidates = {
        "proportion": [right + 0.3, right - 0.3, right + 0.15, right - 0.15],
        "count": [right + 7, right - 7, right + 13],
        "number": [right * 1.7 + 3, right * 0.4 - 1, right + 50 * tol],
    }[e.form]
    for value in candidates:
        if e.form == "proportion" and not 0 <= value <= 1:
            continue
        if all(abs(value - float(t)) > tol for t in taken) and abs(value - right) > tol:
            return round(value) if e.form == "count" else value
    raise AssertionError(f"no wrong answer found for {e.id}")


def test_every_lesson_has_at_least_three_exercises():
    for lesson in range(9):
        assert len(ex.exercises(lesson)) >= 3, lesson
    assert len(ex.exercises()) == len(REGISTRY)


@pytest.mark.parametrize("exercise_id", IDS)
def test_right_answer_is_accepted(exercise_id):
    e = REGISTRY[exercise_id]
    right = ex.answer(exercise_id)
    feedback = check(exercise_id, right)
    assert isinstance(feedback, Feedback)
    assert feedback.correct and feedback.status == "correct", feedback
    assert bool(feedback)
    # a numeric answer is accepted as an int, a float or a numpy number, at the edge of the tolerance
    if e.form == "number" and e.tolerance:
        assert check(exercise_id, np.float64(right + 0.9 * e.tolerance)).correct
        assert not check(exercise_id, right + 1.5 * e.tolerance).correct
    if e.form == "count":
        assert check(exercise_id, int(right)).correct
        assert check(exercise_id, np.int64(right)).correct
        assert check(exercise_id, float(right)).correct
    if e.form == "choice":
        assert check(exercise_id, f" {right.upper()} ").correct
    if e.form == "choices":  # any order, any case, with or without separators
        assert check(exercise_id, ", ".join(reversed(right.upper()))).correct
        assert check(exercise_id, right[::-1]).correct


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_shows_the_computed_answer(exercise_id):
    e = REGISTRY[exercise_id]
    text = str(solution(exercise_id))
    right = ex.answer(exercise_id)
    assert e.question in text
    assert "Computed by:" in text
    if e.lettered:
        assert f'"{right}"' in text
    elif e.form == "count":
        assert str(int(right)) in text
    else:
        assert f"{right:.4g}" in text


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrong_answer_is_rejected_with_feedback(exercise_id):
    e = REGISTRY[exercise_id]
    wrong = _wrong_answer(e)
    if wrong is None:  # every wrong option is a named misconception: tested below
        assert len(e.options) - 1 == len(e.misconceptions)
        return
    feedback = check(exercise_id, wrong)
    assert not feedback.correct
    assert feedback.status == "incorrect", feedback
    assert feedback.misconception is None
    assert len(feedback.message) > 20
    if not e.lettered:
        assert ("too high" in feedback.message) == (wrong > ex.answer(exercise_id))
        assert "hint" in feedback.message


@pytest.mark.parametrize(("exercise_id", "misconception"), MISCONCEPTIONS,
                         ids=[f"{i}-{m.name}" for i, m in MISCONCEPTIONS])
def test_each_misconception_gets_its_own_message(exercise_id, misconception):
    e = REGISTRY[exercise_id]
    value = e.misconception_value(misconception)
    feedback = check(exercise_id, value)
    assert not feedback.correct
    assert feedback.status == "misconception"
    assert feedback.misconception == misconception.name
    assert feedback.message == misconception.message
    # the misconception is far enough from the right answer not to be confused with it
    if not e.lettered:
        assert abs(float(value) - float(ex.answer(exercise_id))) > e.tolerance


def test_every_exercise_lists_misconceptions_and_two_hints():
    for e in REGISTRY.values():
        assert e.misconceptions, e.id
        assert len(e.hints) == 2
        if e.form == "choice":
            assert ex.answer(e.id) in e.options
            assert all(m.value in e.options for m in e.misconceptions)
        if e.form == "choices":
            assert set(ex.answer(e.id)) <= set(e.options)
            assert all(set(m.value) <= set(e.options) for m in e.misconceptions)
            # the format example in the question is never the answer
            assert f'"{ex.answer(e.id)}"' not in e.expected_form()


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrong_types_say_what_form_the_answer_must_have(exercise_id):
    e = REGISTRY[exercise_id]
    bad = [None, [1, 2], {"a": 1}, object(), math.nan]
    bad += [3, 0.5, True] if e.lettered else ["0.5", "abc", True, math.inf]
    if e.form == "choice":
        bad += ["z", "ab", ""]
    if e.form == "choices":
        bad += ["z", "", "aa", "az"]
    for value in bad:
        feedback = check(exercise_id, value)
        assert not feedback.correct
        assert feedback.status == "wrong form", (value, feedback)
        assert "must be" in feedback.message
    if e.form == "count":
        feedback = check(exercise_id, ex.answer(exercise_id) + 0.5)
        assert feedback.status == "wrong form" and "whole number" in feedback.message
    if not e.lettered:
        assert "remove the quotes" in check(exercise_id, "12").message


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_answered_yet(exercise_id):
    feedback = check(exercise_id, ...)
    assert feedback.status == "unanswered" and not feedback.correct
    assert "Replace ..." in feedback.message


def test_proportion_given_as_a_percentage_is_explained():
    right = ex.answer("00.2")
    feedback = check("00.2", 100 * right)
    assert feedback.status == "wrong form"
    assert "percentage" in feedback.message


def test_unknown_exercise_does_not_raise():
    for bad in ("99.9", 5, None):
        feedback = check(bad, 1)
        assert feedback.status == "unknown exercise"
        assert "05.2" in feedback.message
    assert "no exercise" in str(hint("99.9")).lower()
    assert "no exercise" in str(solution("99.9")).lower()


def test_hints_come_one_then_two():
    ex._hints_given.pop("03.1", None)
    first, second, third = hint("03.1"), hint("03.1"), hint("03.1")
    assert "Hint 1 of 2" in str(first) and REGISTRY["03.1"].hints[0] in str(first)
    assert "Hint 2 of 2" in str(second) and REGISTRY["03.1"].hints[1] in str(second)
    assert "Hint 2 of 2" in str(third)
    assert REGISTRY["04.2"].hints[1] in str(hint("04.2", 2))
    assert "two hints" in str(hint("04.2", 3))


def test_feedback_renders_as_a_coloured_box_and_escapes_html():
    ok = check("04.1", ex.answer("04.1"))._repr_html_()
    bad = check("04.1", 1.38)._repr_html_()
    assert "#1e7b34" in ok and "Correct" in ok
    assert "#b3261e" in bad and "misconception" in bad
    assert "<script>" not in check("00.1", "<script>")._repr_html_()
    assert "04.1" in repr(check("04.1", ...))
    assert ex.question("08.2")._repr_html_().startswith("<div")


def test_question_shows_options_and_form():
    text = str(ex.question("05.2"))
    assert REGISTRY["05.2"].question in text
    for key, option in REGISTRY["05.2"].options.items():
        assert f"{key}. {option}" in text
    assert "in quotes" in text


def test_simulation_answers_are_seeded():
    assert ex.answer("05.3") == ex.answer("05.3")
    assert ex.answer("03.2") == ex.answer("03.2")


def test_answers_agree_with_the_case_study_facts():
    # FACTS.md: HR from medians 0.724, 301 deaths for 80% power (1:1), about 224 expected deaths,
    # power 0.68 with HR 0.724 and about 0.95 with HR 0.62 (0.94 with the 215 deaths HR 0.62 expects)
    assert ex.answer("04.1") == pytest.approx(0.724, abs=5e-4)
    e = REGISTRY["06.1"]
    one_to_one = {m.name: e.misconception_value(m) for m in e.misconceptions}["the 1:1 figure kept"]
    assert one_to_one == 301
    assert check("06.1", 224).misconception == "the deaths expected given for the deaths needed"
    assert check("06.2", 224).misconception == "the change not made"
    assert check("06.3", 0.676).misconception == "the medians' power given"
    assert ex.answer("06.3") == pytest.approx(0.94, abs=0.005)
    assert ex.answer("08.1") == 0  # issue 23: the story's medians vs HR is [~~] (chance or shape), not [!!]


def test_the_38_percent_gets_its_own_message_in_04_2():
    # 38 (the percentage) and 0.38 (the reduction) are named, not answered with a generic "too high"
    for value in (38, 0.38):
        feedback = check("04.2", value)
        assert feedback.status == "misconception", feedback
        assert "not the ratio" in feedback.message or "not a hazard ratio" in feedback.message
        assert "median 38% longer" in feedback.message
    assert check("04.2", 1.38).misconception == "the increase in the median read as the hazard ratio"


def test_06_1_accepts_only_the_rounded_up_count():
    # two on lapatinib for every one: p = 2/3 in Schoenfeld's formula
    exact = ex.design.schoenfeld_events(ex.teaching.STORY.hr_from_medians, 0.8, allocation=2 / 3)
    right = math.ceil(exact)
    assert ex.answer("06.1") == right and exact != right
    assert right / ex.design.schoenfeld_events(ex.teaching.STORY.hr_from_medians, 0.8) == pytest.approx(9 / 8, abs=0.005)
    assert check("06.1", right).correct
    assert check("06.1", right - 1).misconception == "rounded down"
    for unrounded in (exact, round(exact, 1), round(exact, 2)):
        assert check("06.1", unrounded).misconception == "not rounded", unrounded
    assert not check("06.1", right + 1).correct


def test_explanations_compute_their_numbers():
    before = ex.design.expected_events(ex.LAPATINIB)
    assert f"against about {before:.0f} with 24 months" in check("06.2", ex.answer("06.2")).message
    power = ex.design.analytic_power(ex.LAPATINIB)
    assert f"{power:.0%}" in REGISTRY["08.2"].options["b"]


def test_each_lesson_declares_its_exercises_in_its_own_module():
    # a teacher adding an exercise to lesson 05 opens lesson05.py; the engine does not change
    import importlib

    for e in REGISTRY.values():
        module = importlib.import_module(f"edu_survival.exercises.lesson{e.lesson:02d}")
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert f'id="{e.id}"' in source, e.id
    engine = Path(ex.engine.__file__).read_text(encoding="utf-8")
    assert 'id="' not in engine


def test_a_new_lesson_module_is_registered_without_touching_the_engine(tmp_path, monkeypatch):
    # what lesson 09's module will do: a file named lessonNN.py that calls register()
    import sys

    import edu_survival.exercises as package

    (tmp_path / "lesson99.py").write_text(
        "from edu_survival.exercises.engine import Exercise, Misconception, register\n"
        "register(Exercise(id='99.1', question='q', form='number', answer=lambda: 2.0,\n"
        "    misconceptions=(Misconception('m', 3.0, 'msg'),), hints=('h1', 'h2')))\n"
    )
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    monkeypatch.delitem(REGISTRY, "99.1", raising=False)
    try:
        package._load_lessons()
        assert package.check("99.1", 2.0).correct
        assert package.check("99.1", 3.0).misconception == "m"
    finally:
        REGISTRY.pop("99.1", None)
        sys.modules.pop("edu_survival.exercises.lesson99", None)


# ----- odd but meaningful input (issue 9, item 6) ------------------------------------------
def test_a_number_inside_an_array_of_one_is_accepted():
    right = ex.answer("04.1")
    for wrapped in (np.array(right), np.array([right]), np.array([[right]])):
        assert check("04.1", wrapped).correct, wrapped
    import pandas as pd

    assert check("04.1", pd.Series([right])).correct
    assert check("06.1", np.array([ex.answer("06.1")])).correct
    assert check("04.1", np.array(1.38)).misconception == "median ratio read as the hazard ratio"
    assert check("00.1", np.array(ex.answer("00.1"))).correct
    several = check("04.1", np.array([right, right]))
    assert several.status == "wrong form" and "array of 2 values" in several.message


def test_decimal_and_fraction_answers_are_numbers():
    from decimal import Decimal
    from fractions import Fraction

    assert check("04.1", Decimal(str(round(ex.answer("04.1"), 3)))).correct
    assert check("02.1", Fraction(11, 12)).correct
    assert check("06.1", Decimal(ex.answer("06.1"))).correct
    assert check("04.1", Decimal("1.38")).misconception == "median ratio read as the hazard ratio"


def test_nan_and_infinity_are_named():
    for exercise_id in ("04.1", "00.2", "06.1"):
        nan = check(exercise_id, math.nan)
        assert nan.status == "wrong form" and "NaN" in nan.message and "must be" in nan.message
        assert "NaN" in check(exercise_id, np.float64("nan")).message
        for value in (math.inf, -math.inf, np.array([np.inf])):
            inf = check(exercise_id, value)
            assert inf.status == "wrong form" and "infinite" in inf.message, value


def test_any_percentage_given_for_a_proportion_gets_the_percentage_hint():
    # 72 for a proportion near 0.92 is not the right percentage, but it is a percentage
    right = ex.answer("00.2")
    for value in (72, 100 * right, 1.5, 100, 55.5):
        feedback = check("00.2", value)
        assert feedback.status == "wrong form" and "percentage" in feedback.message, value
        assert f"{value / 100:g}" in feedback.message
    assert check("00.2", 150).status == "wrong form"
    assert "looks like a percentage" not in check("00.2", 150).message


# ----- the gaps the lesson review found (issue 11) ------------------------------------------
def test_the_wrong_answers_the_review_found_get_their_own_message():
    # 06.1: 321 (the story's patients) and the deaths for the story's HR 0.62 (either rounding)
    assert check("06.1", 321).misconception == "the story's patients given for deaths"
    story_hr = ex.design.schoenfeld_events(0.62, 0.8, allocation=2 / 3)
    for value in (math.floor(story_hr), math.ceil(story_hr)):
        assert check("06.1", value).misconception == "the story's hazard ratio used", value
    # 04.1: the reduction 0.276 (or 0.28) given for the hazard ratio
    for value in (0.276, 0.28):
        assert check("04.1", value).misconception == "the reduction given for the hazard ratio", value
    # 07.3: the RMST difference with its sign reversed
    assert check("07.3", -ex.answer("07.3")).misconception == "the difference taken the wrong way round"
    # 08.4: the women-vs-men ratio not turned round
    assert check("08.4", ex.teaching.lung_by_sex().hr).misconception == "the reference group not changed"


def test_the_misconceptions_issue_20_found_get_their_own_message():
    # each of these got the generic "too high / too low" before
    assert check("04.4", 27.3).misconception == "the % lower risk given for the deaths avoided"
    assert check("04.4", 0.169).misconception == "a share given for a count per 100"
    assert check("06.1", 224).misconception == "the deaths expected given for the deaths needed"
    assert check("05.3", 0.342).misconception == "the share that missed given"
    assert check("05.3", 0.95).misconception == "the intervals' coverage given"
    assert check("01.2", 24).misconception == "the further follow-up taken as everyone's time"
    assert check("03.1", 8).misconception == "the last time above one half"
    # 04.3: the real reversed division (0.676) and the median ratio upside down (-1.48)
    assert check("04.3", 1 / ex.answer("04.3")).misconception == "the logarithms divided the wrong way round"
    assert check("04.3", round(1 / ex.answer("04.3"), 3)).misconception == "the logarithms divided the wrong way round"
    assert check("04.3", -1.48).misconception == "the median ratio used upside down"


def test_defensible_answers_are_accepted_with_a_note():
    # 05.3: any share within the simulation's 95% interval, including 0.65 and the formula's 0.676
    simulated = ex.answer("05.3")
    from edu_survival.montecarlo import power

    result = power(ex.LAPATINIB, n_sims=1000, seed=2024, progress=False)
    lo, hi = result.ci
    tolerance = REGISTRY["05.3"].tolerance
    assert 0.75 * (hi - lo) / 2 <= tolerance <= 1.25 * (hi - lo) / 2  # the interval's half-width, about
    for value in (0.65, 0.66, round(simulated, 2), ex.design.analytic_power(ex.LAPATINIB)):
        assert check("05.3", value).correct, value
    # 06.3: the power at HR 0.62 computed with the 224 deaths of the medians' design
    shortcut = check("06.3", 0.947)
    assert shortcut.correct and shortcut.status == "correct" and "The idea is right" in shortcut.message
    for e in REGISTRY.values():
        for a in e.accepted:
            value = e.misconception_value(a)
            feedback = check(e.id, value)
            assert feedback.correct and a.note in feedback.message, (e.id, value)
            assert a.note in str(solution(e.id))


def test_reading_checks_are_declared_and_rare():
    # issue 20: a number printed before an exercise may be its answer only in a declared reading check,
    # at most one per lesson, and the question says so
    by_lesson = {}
    for e in REGISTRY.values():
        if e.reading_check:
            by_lesson.setdefault(e.lesson, []).append(e.id)
            assert "reading check" in str(ex.question(e.id)), e.id
    assert all(len(ids) == 1 for ids in by_lesson.values()), by_lesson
    assert "reading check" not in str(ex.question("04.1"))
    # 05.3 asked for the power printed with the dance; it now asks for it from the intervals, before
    # the p-values are printed, so lesson 03's life table is the one reading check left
    assert by_lesson == {3: ["03.1"]}, by_lesson
    guide = (Path(__file__).resolve().parent.parent / "lessons" / "README.md").read_text()
    assert "so (today only 03.1: which row of the life table to read)" in guide


def test_05_3_asks_for_the_test_from_the_intervals():
    # issue 20: 05.3 was a copy of the share printed with the dance. Now the learner sees only the
    # intervals and must see that an interval leaving out 1 goes with p < 0.05 (not the 95% that
    # contain the truth, not the share that reaches across 1)
    from scipy import stats

    from edu_survival.montecarlo import power
    from edu_survival.plots import plot_dance

    e = REGISTRY["05.3"]
    assert not e.reading_check and "reading check" not in str(ex.question("05.3"))
    assert "confidence intervals only" in e.question and "p-values have not been printed" in e.question
    dance = power(ex.LAPATINIB, n_sims=1000, seed=2024, progress=False)
    # the right answer is the share with p < 0.05; Schoenfeld's closed form from FACTS.md's figures
    # (224 deaths expected, HR 17.3 / 23.9 from the medians) lies inside its tolerance
    closed_form = stats.norm.cdf(abs(math.log(17.3 / 23.9)) * math.sqrt(224 / 4) - stats.norm.ppf(0.975))
    assert closed_form == pytest.approx(0.677, abs=0.001)
    assert check("05.3", closed_form).correct
    # what a learner counts in the picture: the first 100 intervals drawn, those that leave out 1
    plot = plot_dance(dance, show="intervals")
    segments = plot.intervals.get_segments()
    assert len(segments) == 100
    counted = sum(1 for seg in segments if max(seg[:, 1]) < 1 or min(seg[:, 1]) > 1) / len(segments)
    assert 0.5 < counted < 0.8
    assert check("05.3", counted).correct, counted
    # the two readings of the picture that answer another question get their own message
    missed = check("05.3", 1 - counted)
    assert missed.misconception == "the share that missed given" and "reach across 1" in missed.message
    covered, shown = (int(n) for n in re.search(r"(\d+) of these (\d+)", plot.hr_title.get_text()).groups())
    for coverage in (0.95, covered / shown):  # the nominal level; the share of the 100 shown (the title)
        wrong = check("05.3", coverage)
        assert wrong.misconception == "the intervals' coverage given", coverage
        assert "*true* hazard ratio" in wrong.message and "1 (no effect)" in wrong.message
    # "most of those that contain 1 contain 0.72 too" (its feedback), by the intervals themselves
    contain_1 = (dance.hr_lower <= 1) & (dance.hr_upper >= 1)
    assert np.sum(contain_1 & dance.covers) > 0.5 * np.sum(contain_1)


def test_every_misconception_has_its_own_message():
    for e in REGISTRY.values():
        messages = [m.message for m in e.misconceptions]
        assert messages, e.id
        assert len(set(messages)) == len(messages), e.id
        assert len({m.name for m in e.misconceptions}) == len(messages), e.id
        explanation = e.explain(ex.answer(e.id))
        assert all(m.message != explanation for m in e.misconceptions), e.id


REASONING = ["00.5", "01.5", "02.4", "03.4", "04.6", "04.3", "05.5", "06.5", "07.5", "08.3"]


def test_every_lesson_has_an_exercise_that_is_not_a_printed_number():
    lessons = {REGISTRY[i].lesson for i in REASONING}
    assert lessons == set(range(9))


@pytest.mark.parametrize("exercise_id", REASONING)
def test_reasoning_exercises_right_wrong_and_each_misconception(exercise_id):
    e = REGISTRY[exercise_id]
    assert check(exercise_id, ex.answer(exercise_id)).correct
    wrong = _wrong_answer(e)
    if wrong is not None:
        feedback = check(exercise_id, wrong)
        assert feedback.status == "incorrect" and not feedback.correct
    assert len(e.misconceptions) >= 2
    for m in e.misconceptions:
        feedback = check(exercise_id, e.misconception_value(m))
        assert feedback.status == "misconception" and feedback.message == m.message


def test_several_true_statements_feedback_counts_what_is_wrong_and_missing():
    # 04.6: b and d are true
    assert ex.answer("04.6") == "bd"
    assert check("04.6", "d, b").correct and check("04.6", "B and D").correct
    one_extra = check("04.6", "abd")
    assert one_extra.status == "incorrect" and "1 of the 3 you chose is not true" in one_extra.message
    missing = check("04.6", "d")
    assert "1 true statement is missing" in missing.message
    assert "none of the letters you chose is true" in check("04.6", "ac").message


def test_the_headline_exercise_states_the_risk_reduction_it_computes():
    d = ex.teaching.deaths_per_100(ex.LAPATINIB, 24, 0.62)
    reduction = 100 * (1 - d["treatment"] / d["control"])
    assert f"by about {reduction:.0f}%" in REGISTRY["04.6"].options["d"]
    assert round(reduction) == 27  # FACTS.md: 62 vs 45 per 100, a 27% lower risk by 24 months


def test_the_reconciling_shape_is_1_48():
    # FACTS.md: HR = 0.724 ** k equals 0.62 at k = 1.48
    assert ex.answer("04.3") == pytest.approx(1.48, abs=0.005)
    assert ex.LAPATINIB.replace(shape=ex.answer("04.3")).hr == pytest.approx(0.62, abs=1e-9)
    assert check("04.3", 1.5).correct and check("04.3", 1).misconception == "constant hazards assumed"


# Every id the course published before issue 20 renumbered its exercises (lessons 00-09 at 1ced8a6).
PUBLISHED_BEFORE_ISSUE_20 = [f"{lesson:02d}.{k}" for lesson, count in
                             enumerate([5, 5, 5, 4, 6, 5, 5, 5, 5, 4]) for k in range(1, count + 1)]


def _renumbering_table():
    """(old, new) rows of the teacher's guide's table of renumbered exercises."""
    readme = (Path(__file__).resolve().parent.parent / "lessons" / "README.md").read_text()
    return re.findall(r"^\| (\d\d\.\d) \| (\d\d\.\d) \| [^|]+ \|$", readme, re.M)


def test_every_exercise_id_published_before_the_renumbering_still_exists():
    assert len(PUBLISHED_BEFORE_ISSUE_20) == 49  # issue 20: "Exercises: 49 in all"
    assert set(PUBLISHED_BEFORE_ISSUE_20) <= set(REGISTRY)


def test_renumbered_exercises_are_listed_for_teachers_and_found_from_their_old_number():
    # issue 20 renumbered exercises in the order a learner meets them; an old notebook or worksheet
    # still asks by the old number, so the guide lists the moves and the checker points to the new home
    rows = _renumbering_table()
    moved = {e.formerly: e.id for e in REGISTRY.values() if e.formerly}
    assert rows and dict(rows) == moved
    for old, new in rows:
        right_for_the_moved_one = ex.answer(new)
        feedback = check(old, right_for_the_moved_one)
        if REGISTRY[old].form != REGISTRY[new].form:  # e.g. a number where letters are asked
            assert feedback.status == "wrong form" and f"which is {new} now" in feedback.message, (old, new)
        else:  # same form: a learner of today giving that answer is not sent elsewhere
            assert f"which is {new} now" not in feedback.message, (old, new)
    # a wrong letter for 02.4 today is a misconception there, not a pointer to 02.5
    assert check("02.4", "a").message == REGISTRY["02.4"].misconceptions[1].message


def test_04_2_does_not_presuppose_that_the_38_percent_is_a_hazard_ratio():
    # issue 20: "Exercise 04.2 presupposes that the 38% is a hazard ratio"; the story does not say
    question = REGISTRY["04.2"].question
    assert "without saying what was reduced" in question
    assert "If it is a 38% reduction in the hazard" in question
