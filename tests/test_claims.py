"""check_claims: every sentence each check can print, the issues' reproducers, bad input.

Issue 23's items are marked "item N" below. The chance share itself (simulation, its normal
approximation, chance_gaps) is tested in tests/test_claims_chance.py; real published reports in
tests/test_claims_published.py; the calibration against simulated trials (no false alarms on
honest reports, flags on fabricated ones) in tests/test_claims_calibration.py.
"""

import math
import re

import pytest
from scipy import stats

import edu_survival as es
from edu_survival import claims
from edu_survival.claims import (
    CONSISTENT,
    DEPENDS,
    INCONSISTENT,
    INFO,
    NOT_PROPORTIONAL,
    UNCHECKED,
    check_claims,
    parse_p_value,
)

STORY = {"n": 321, "median_control": 17.3, "median_treatment": 23.9, "hr": 0.62}


def run(**kwargs):
    return check_claims(simulate=False, **kwargs)


@pytest.fixture(scope="module")
def story():
    """The story as check_claims prints it by default (the chance share simulated, seed 2024)."""
    return check_claims(**STORY)


# ----- the case study (items 1 and 2) ----------------------------------------------------------
def test_story_depends_on_chance_or_a_rising_hazard_and_names_both(story):
    check = story.find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and check.mark == "[~~]" and story.depends == [check]
    assert not story.problems and not story.inconsistent
    assert "0.724" in check.sentence and "28% lower hazard of death" in check.sentence
    assert ("The numbers can both be right: by chance in about 1 trial in 11 if hazards are constant, "
            "exactly if the hazard rises over time (Weibull shape 1.48); the reported 38% matches the 38% "
            "longer median (23.9 / 17.3 = 1.38), its likeliest source") in check.sentence
    assert "the primary report would settle it" in check.sentence


def test_story_chance_share_is_about_one_trial_in_eleven_with_its_monte_carlo_error(story):
    # 4,000 simulated trials: the share's Monte Carlo SE is sqrt(0.09 x 0.91 / 4000) = 0.45%.
    # FACTS.md: 9.5% in 2,000 trials; a 20,000-trial run gives 9.1%. Three SEs either side of 9.1%.
    check = story.find("hazard ratio vs medians")
    share, se = check.values["chance_share"], check.values["chance_se"]
    assert check.values["chance_trials"] == 4000
    assert se == pytest.approx(math.sqrt(share * (1 - share) / 4000))
    assert abs(share - 0.091) < 3 * 0.0045
    assert f"in {100 * share:.1f}% of them (about 1 trial in 11; Monte Carlo SE {100 * se:.1f}%)" in check.detail
    assert "4,000 simulated trials" in check.detail and "seed 2024" in check.detail
    assert "about 224 deaths expected with 24 months' uniform enrolment" in check.detail
    assert check.values["gap"] == pytest.approx(abs(math.log(0.62) - math.log(17.3 / 23.9)))


def test_story_reconciling_shape_is_1_48_and_said_in_words(story):
    check = story.find("hazard ratio vs medians")
    k = math.log(0.62) / math.log(17.3 / 23.9)
    assert check.values["reconciling_shape"] == pytest.approx(k)
    assert es.LAPATINIB.replace(shape=k).hr == pytest.approx(0.62)
    assert "k = ln 0.62 / ln(17.3 / 23.9) = 1.48" in check.detail
    factor = 4 ** (k - 1)  # hazard at 24 months / hazard at 6 months for Weibull shape k
    assert f"about {factor:.1f} times higher at 24 months than at 6 months" in check.sentence
    assert "within the shapes of about 0.7 to 1.5 plausible for overall survival" in check.sentence
    assert "an assumption the report cannot confirm" in check.sentence


def test_story_printed_form_legend_and_rule(story):
    lines = str(story).splitlines()
    assert lines[0] == "Reported: n = 321, median_control = 17.3, median_treatment = 23.9, hr = 0.62."
    assert lines[1].startswith("Assumed where the report is silent: overall survival; 1:1 allocation; 24 months'")
    assert lines[2] == claims.verdicts.RULE and "beyond chance" in lines[2] and "under every model" in lines[2]
    assert lines[3] == claims.verdicts.LEGEND
    for mark in ("[OK]", "[~~]", "[><]", "[!!]", "[--]", "[??]"):
        assert mark in lines[3]
    head = lines.index("[~~] hazard ratio vs medians (depends)")
    assert lines[head + 1].strip().startswith("Under constant hazards") and lines[head + 2].strip().startswith("How:")
    assert lines[-1] == "No check finds numbers that cannot all be right; 1 verdict depends on chance or an assumption."
    # the rule is stated in the module too
    assert "[!!] inconsistent`` means a number must be wrong" in claims.__doc__
    html = story._repr_html_()
    assert "<table" in html and "[~~]" in html and "Verdict rule" in html and "Assumed" in html
    assert es.check_claims is check_claims and es.claims.check_claims is check_claims


def test_story_power_over_shapes(story):
    medians = story.find("power if the medians are right")
    by_shape = medians.values["analytic_power_by_shape"]
    assert medians.values["analytic_power"] == pytest.approx(0.68, abs=0.01)  # FACTS.md
    assert by_shape[0.7] == pytest.approx(es.analytic_power(es.LAPATINIB.replace(shape=0.7)))
    assert by_shape[1.5] == pytest.approx(es.analytic_power(es.LAPATINIB.replace(shape=1.5)))
    lo, hi = min(by_shape.values()), max(by_shape.values())
    assert f"{100 * lo:.0f}% to {100 * hi:.0f}% power over Weibull shapes 0.7 to 1.5" in medians.sentence
    assert "0.80, 0.72, 0.62 for shapes 0.7, 1, 1.5" in medians.sentence
    assert 0.92 < story.find("power if HR 0.62 is right").values["analytic_power"] < 0.96


def test_story_deaths_needed_rounded_up(story):
    implied = story.find("deaths needed, HR 0.724")
    assert implied.values["deaths_80"] == pytest.approx(301, abs=1)  # FACTS.md
    d80, d90 = (math.ceil(implied.values[k]) for k in ("deaths_80", "deaths_90"))
    assert f"needs {d80} deaths for 80% power and {d90} for 90%" in implied.sentence
    assert math.ceil(story.find("deaths needed, HR 0.62").values["deaths_90"]) == 184
    # 403 / 321 = 125.5%: the share of the deaths printed, rounded (126%), not of 402.4
    assert "that is 94% and 126% of the 321 patients" in implied.sentence


def test_story_p_value_uses_expected_deaths_by_arm_and_says_so(story):
    check = story.find("p-value vs hazard ratio and deaths")
    assert check.verdict == INFO and "The report gives no p-value." in check.sentence
    assert "expected with 24 months' uniform enrolment" in check.sentence and "an assumption" in check.sentence
    s = es.Scenario.from_hr(17.3, 0.62)
    d_c, d_t = (s.arm_sizes[a] * es.design.death_probability(s, a) for a in ("control", "treatment"))
    assert check.values["deaths_used"] == pytest.approx(es.expected_events(s))
    assert check.values["z"] == pytest.approx(abs(math.log(0.62)) / math.sqrt(1 / d_c + 1 / d_t))
    assert f"sqrt(1/{d_c:.0f} + 1/{d_t:.0f})" in check.detail


def test_story_says_what_is_missing(story):
    missing = story.find("not reported")
    assert missing.verdict == UNCHECKED
    for word in ("confidence interval", "p-value", "number of deaths", "could be chance"):
        assert word in missing.sentence


def test_without_simulation_the_approximation_is_named():
    check = run(**STORY).find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and check.values["chance_trials"] == 0
    assert "Approximation (" in check.detail and "simulate=True simulates it" in check.detail
    assert 0.05 < check.values["chance_share"] < 0.13


# ----- item 2: the three outcomes for medians vs HR ---------------------------------------------
def test_chance_commonly_gives_the_gap_is_ok_and_names_the_shape_too():
    # issue 23: n 300, medians 10 / 13, HR 0.70, p 0.01 was [!!]; shape 1.36 reconciles, and a
    # gap of |ln 0.70 - ln 0.769| = 0.094 is common in trials of 300 patients.
    check = run(n=300, median_control=10, median_treatment=13, hr=0.70, p_value=0.01).find("hazard ratio vs medians")
    assert check.verdict == CONSISTENT and check.values["chance_share"] > 0.2
    assert "Chance commonly gives such a gap" in check.sentence and "Weibull shape 1.36" in check.sentence


def test_no_proportional_hazards_model_reconciles_ten_vs_twenty_months_at_hr_0_90():
    report = run(n=3000, median_control=10, median_treatment=20, hr=0.90, hr_ci=(0.85, 0.95), deaths=2400)
    check = report.find("hazard ratio vs medians")
    assert check.verdict == NOT_PROPORTIONAL and check.mark == "[><]" and check in report.problems
    assert check not in report.inconsistent
    assert check.values["chance_share_plausible"] < 0.01
    assert ("These fit only if the hazards are not proportional (for example curves that cross): under "
            "proportional hazards chance gives this gap in fewer than 1 trial in 100, even with the plausible "
            "shape nearest the figures (0.7)") in check.sentence
    assert "they agree exactly only with Weibull shape 0.15, outside the shapes of about 0.7 to 1.5" in check.sentence
    assert "Ask for the curves." in check.sentence
    assert "enrolment and follow-up scaled to give them" in check.detail  # the reported deaths used
    assert "figures that fit only if hazards are not proportional" in str(report).splitlines()[-1]


def test_shape_in_range_but_chance_rare_still_depends():
    # The story's medians and HR at 3,000 patients: chance is nil, yet shape 1.48 reconciles them.
    check = run(n=3000, median_control=17.3, median_treatment=23.9, hr=0.62).find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and check.values["chance_share"] < 0.01
    assert "by chance in fewer than 1 trial in 100 if hazards are constant, exactly if the hazard rises" in check.sentence


def test_medians_vs_hr_without_n_cannot_judge_chance():
    check = run(median_control=10, median_treatment=12, hr=0.7).find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and "chance_share" not in check.values
    assert "chance cannot be judged without the number of patients" in check.sentence
    k = math.log(0.7) / math.log(10 / 12)
    assert f"Weibull shape {k:.2f}, outside the shapes of about 0.7 to 1.5" in check.sentence
    assert f"{4 ** (k - 1):.1f} times higher at 24 months" in check.sentence


def test_falling_hazard_is_said_as_falling():
    check = run(median_control=10, median_treatment=20, hr=0.7).find("hazard ratio vs medians")
    k = math.log(0.7) / math.log(0.5)
    assert k < 1 and f"falls over time: about {4 ** (1 - k):.1f} times lower at 24 months" in check.sentence


@pytest.mark.parametrize(("medians", "hr", "words"), [
    ((10, 10), 0.7, "equal medians"),
    ((10, 12), 1.3, "medians that favour one arm and an HR that favours the other"),
])
def test_no_weibull_shape_reconciles(medians, hr, words):
    check = run(n=2000, median_control=medians[0], median_treatment=medians[1], hr=hr).find("hazard ratio vs medians")
    assert check.verdict == NOT_PROPORTIONAL and words in check.sentence


def test_medians_within_rounding_of_the_hr_are_consistent():
    check = run(median_control=17.3, median_treatment=23.9, hr=0.72).find("hazard ratio vs medians")
    assert check.verdict == CONSISTENT and "within the rounding of the printed digits" in check.sentence


def test_medians_alone_give_the_constant_hazard_hr():
    check = run(median_control=17.3, median_treatment=23.9).find("hazard ratio vs medians")
    assert check.verdict == INFO and "If the hazards were constant" in check.sentence
    assert "28% lower hazard of death" in check.sentence
    assert "100% higher hazard" in run(median_control=20, median_treatment=10).find("hazard ratio vs medians").sentence


def test_hr_and_one_median_imply_the_other():
    report = run(n=321, median_treatment=23.9, hr=0.62)
    implied = report.find("median implied by the hazard ratio")
    assert implied.values["median_control"] == pytest.approx(14.8, abs=0.05)  # FACTS.md
    assert "a control median of about 14.8 months" in implied.sentence
    other = run(median_control=17.3, hr=0.62).find("median implied by the hazard ratio")
    assert "a treatment median of about 27.9 months" in other.sentence


# ----- item 3: impossibilities are [!!] whatever the design ------------------------------------
def test_p_impossible_for_the_number_of_patients():
    # issue 23: p < 0.001 at HR 0.70 needs (3.29 / |ln 0.70|)^2 / 0.25 = 340 deaths; 120 patients.
    needed = (stats.norm.isf(0.0005) / abs(math.log(0.70))) ** 2 / 0.25
    assert round(needed) == 340
    report = run(n=120, median_control=10, median_treatment=14, hr=0.70, p_value="p < 0.001")
    check = report.find("p-value vs hazard ratio and deaths")
    assert check.verdict == INCONSISTENT and report.inconsistent == [check]
    assert check.sentence == ("Impossible whatever the design: p < 0.001 with HR 0.7 needs at least about "
                              "340 deaths, more than the 120 patients.")


def test_hr_outside_its_own_ci_is_a_verdict_not_an_error():
    check = run(hr=0.5, hr_ci=(0.6, 0.9)).find("confidence interval vs p-value")
    assert check.verdict == INCONSISTENT and "the HR 0.5 lies outside its own CI 0.6 to 0.9" in check.sentence
    # the same as printed strings: 0.50 is outside 0.55 to 0.90 however they were rounded
    check = run(hr="0.50", hr_ci="(0.55, 0.90)").find("confidence interval vs p-value")
    assert "the HR 0.50 lies outside its own CI 0.55 to 0.90" in check.sentence


def test_ci_narrower_than_the_patients_could_give():
    check = run(hr=0.7, hr_ci=(0.65, 0.75), n=300).find("confidence interval vs p-value")
    assert check.verdict == INCONSISTENT and "narrower than 300 patients could give even if all died" in check.sentence


# ----- item 4: printed digits kept -------------------------------------------------------------
def test_printed_digits_make_the_rounding_range():
    # issue 23: floats lose the trailing zero (0.80 -> 0.8, rounding +-0.05), so this report passed;
    # printed as strings the digits count (+-0.005) and the p-value cannot fit the CI.
    floats = run(n=1500, hr=0.80, hr_ci=(0.70, 0.90), p_value=0.09)
    printed = run(n=1500, hr="0.80", hr_ci="(0.70, 0.90)", p_value="0.09")
    assert not floats.inconsistent
    check = printed.find("confidence interval vs p-value")
    assert check.verdict == INCONSISTENT and "not p = 0.09" in check.sentence
    assert "the 95% CI" not in check.sentence and "0.70" in check.detail  # the digits as printed
    assert str(printed).splitlines()[0] == "Reported: n = 1500, hr = 0.80, hr_ci = (0.70, 0.90), p_value = 0.09."
    same_as_081 = run(n=1500, hr=0.81, hr_ci=(0.71, 0.91), p_value=0.09)
    assert same_as_081.inconsistent  # two printed decimals as floats: flagged as before


@pytest.mark.parametrize(("value", "expected"), [
    ("0.80", ((0.70, 0.90), (2, 2))), ("(0.70, 0.90)", ((0.70, 0.90), (2, 2))),
    ("0.70–0.90", ((0.70, 0.90), (2, 2))), ("0·70–0·90", ((0.70, 0.90), (2, 2))),
    ("0.7 to 0.90", ((0.7, 0.90), (1, 2))), ("[0.70; 0.90]", ((0.70, 0.90), (2, 2))),
    (("0.70", "0.90"), ((0.70, 0.90), (2, 2))),
])
def test_intervals_as_printed(value, expected):
    if value == "0.80":  # a single number is not an interval
        with pytest.raises(ValueError, match=r"could not read '0\.80'"):
            claims.printed.read_interval(value)
        return
    (lo, hi), places, level, _ = claims.printed.read_interval(value)
    assert ((lo, hi), places) == expected and level is None
    assert claims.printed.read_interval("95% CI 0.65 to 0.85")[2] == 0.95


def test_numbers_as_printed():
    report = run(n="1,217", median_control="5·8", median_treatment="5.7", hr="0·74", hr_ci="0.65–0.85",
                 p_value="P < .001", deaths="950")
    assert report.reported["n"] == 1217 and report.reported["hr"] == 0.74 and report.reported["deaths"] == 950
    assert report.reported["p_value"] == "< 0.001"
    assert "hr = 0.74" in str(report) and "median_control = 5.8" in str(report)
    with pytest.raises(ValueError, match=r"hr must be a number .* could not read 'about 0\.6'"):
        run(hr="about 0.6")
    with pytest.raises(ValueError, match=r"n must be a whole number >= 2; could not read '3e2'"):
        run(n="3e2")


@pytest.mark.parametrize(("text", "value", "relation", "sides"), [
    ("0.03", 0.03, "=", None), ("p = 0.03", 0.03, "=", None), ("<0.001", 0.001, "<", None),
    ("p<0.001", 0.001, "<", None), ("p ≤ 0.01", 0.01, "<", None), ("> 0.05", 0.05, ">", None),
    ("1e-4", 1e-4, "=", None), ("p‹0·001", 0.001, "<", None), ("0.001 (log-rank)", 0.001, "=", None),
    ("p=0.05*", 0.05, "=", None), ("P < .001", 0.001, "<", None), ("0·03", 0.03, "=", None),
    ("P = 1.2 × 10⁻⁴", 1.2e-4, "=", None), ("one-sided p=0·0052", 0.0052, "=", 1),
    ("p = 0.03 (two-sided)", 0.03, "=", 2), ("P value 0.2", 0.2, "=", None),
])
def test_p_values_as_papers_and_news_print_them(text, value, relation, sides):
    got = claims.printed.read_p_value(text)
    assert got[0] == pytest.approx(value) and got[1] == relation and got[3] == sides
    assert parse_p_value(text)[:2] == (pytest.approx(value), relation)


@pytest.mark.parametrize("text", ["small", "<<0.05", "p < 2", "NS", "0.03 or 0.04", "p = "])
def test_unreadable_p_values_quote_the_text(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        run(p_value=text)


def test_p_rounding_interval():
    r = claims.Report(p_value=0.002, p_text="0.002")
    assert r.p_range() == pytest.approx((0.0015, 0.0025))
    assert claims.Report(p_value=0.001, p_relation="<", p_text="0.001").p_range() == (0.0, 0.001)
    assert claims.Report(p_value=0.0052, sided=1).p_range() == pytest.approx((0.01030, 0.01050))


# ----- item 5: the CI's width from deaths by arm -----------------------------------------------
def test_freireich_unbalanced_deaths_are_not_flagged():
    # issue 23: 6-MP vs placebo (Freireich et al., Blood 1963): 9 vs 21 relapses. 4/D would call the
    # CI too wide for 30 deaths; 1/d_control + 1/d_treatment fits it.
    report = run(n=42, median_control=8, median_treatment=23, hr=0.21, hr_ci=(0.09, 0.47),
                 p_value="<0.001", deaths=30)
    assert not report.inconsistent
    check = report.find("p-value vs hazard ratio and deaths")
    d_c, d_t = claims.deaths.split_deaths(30, 0.21, 0.5, 42)
    assert 19 < d_c < 22 and 8 < d_t < 11  # the published 21 and 9, estimated from HR and allocation
    assert f"sqrt(1/{d_c:.0f} + 1/{d_t:.0f})" in check.detail and "split by arm" in check.detail


def test_without_n_the_split_is_a_range_from_the_shortcut():
    lo, hi, how = claims.deaths.se_from_deaths(claims.Report(hr=0.3), 40, 0.3)
    assert lo == pytest.approx(1 / math.sqrt(40 * 0.25)) and hi > lo
    assert "without n the split" in how and "shortcut" in how


def test_ci_and_deaths_agree_by_arm():
    d_c, d_t = claims.deaths.split_deaths(300, 0.7, 0.5, 500)
    se = math.sqrt(1 / d_c + 1 / d_t)
    lo, hi = (round(math.exp(math.log(0.7) + s * 1.96 * se), 2) for s in (-1, 1))
    check = run(hr=0.7, hr_ci=(lo, hi), deaths=300, n=500).find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT and "and 300 deaths" in check.sentence
    wrong = run(hr=0.7, hr_ci=(0.6, 0.82), deaths=60).find("confidence interval vs p-value")
    assert wrong.verdict == INCONSISTENT and "not the 60 reported" in wrong.sentence


def test_consistent_report_deaths_from_the_ci():
    report = run(n=400, median_control=6, median_treatment=9, hr=0.67, hr_ci=(0.52, 0.86), p_value=0.002)
    assert not report.problems
    check = report.find("p-value vs hazard ratio and deaths")
    assert check.verdict == CONSISTENT and "implied by the width of the confidence interval" in check.sentence
    se = (math.log(0.86) - math.log(0.52)) / (2 * stats.norm.ppf(0.975))
    d_c, d_t = claims.deaths.split_deaths(check.values["deaths_used"], 0.67, 0.5, 400)
    assert 1 / d_c + 1 / d_t == pytest.approx(se**2)
    assert "p = 0.0018" in check.sentence and "The report says p = 0.002: consistent." in check.sentence


# ----- items 6 and 7: the report's own design facts, ci_level apart from alpha -----------------
def test_ci_level_sets_the_interval_and_alpha_only_the_test():
    # CheckMate 057 (Borghaei et al., NEJM 2015) printed a 96% CI: 0.73 (0.59 to 0.89), P = 0.002.
    kwargs = {"n": 582, "hr": "0.73", "hr_ci": "0.59 to 0.89", "p_value": "P=0.002"}
    as_95 = run(**kwargs)
    as_96 = run(ci_level=0.96, **kwargs)
    assert as_96.find("confidence interval vs p-value").values["se"] == pytest.approx(
        math.log(0.89 / 0.59) / (2 * stats.norm.ppf(0.98)))
    assert as_95.find("confidence interval vs p-value").values["se"] > as_96.find(
        "confidence interval vs p-value").values["se"]
    assert "the 96% CI" in as_96.find("confidence interval vs p-value").sentence
    assert "a 95% confidence interval" in as_95.assumed and "confidence interval" not in as_96.assumed
    same = run(alpha=0.01, ci_level=0.96, **kwargs).find("confidence interval vs p-value")
    assert same.values["se"] == as_96.find("confidence interval vs p-value").values["se"]


def test_a_one_sided_p_read_as_two_sided_is_caught():
    # HR 0.90 with a 95% CI of 0.74 to 1.10 is one-sided p = 0.15: fine as one-sided, not as two-sided.
    kwargs = {"hr": "0.90", "hr_ci": "0.74–1.10"}
    z = abs(math.log(0.9)) / (math.log(1.10 / 0.74) / (2 * stats.norm.ppf(0.975)))
    assert stats.norm.sf(z) == pytest.approx(0.15, abs=0.01)
    assert run(p_value="0.15", sided=1, **kwargs).find("confidence interval vs p-value").verdict == CONSISTENT
    said = run(p_value="one-sided p = 0.15", **kwargs)
    assert said.find("confidence interval vs p-value").verdict == CONSISTENT
    assert "one-sided p = 0.15" in said.find("confidence interval vs p-value").sentence
    assert "one-sided p" in str(said).splitlines()[0] and "two-sided p-value" not in said.assumed
    wrong = run(p_value="0.15", **kwargs)
    assert wrong.find("confidence interval vs p-value").verdict == INCONSISTENT and "a two-sided p-value" in wrong.assumed
    with pytest.raises(ValueError, match="sided=2 disagrees"):
        run(p_value="one-sided p = 0.15", sided=2, **kwargs)


def test_a_97_9_percent_ci_read_as_95_is_caught():
    # 600 deaths of 1,000 at HR 0.75 give SE(ln HR) sqrt(1/d_c + 1/d_t); their 97.9% CI is 0.62 to 0.91.
    d_c, d_t = claims.deaths.split_deaths(600, 0.75, 0.5, 1000)
    z = stats.norm.ppf(1 - 0.021 / 2)
    lo, hi = (math.exp(math.log(0.75) + s * z * math.sqrt(1 / d_c + 1 / d_t)) for s in (-1, 1))
    assert (f"{lo:.2f}", f"{hi:.2f}") == ("0.62", "0.91")
    kwargs = {"n": 1000, "deaths": 600, "hr": "0.75", "hr_ci": "(0.62, 0.91)"}
    right = run(ci_level=0.979, **kwargs).find("confidence interval vs p-value")
    assert right.verdict == CONSISTENT and "the 97.9% CI 0.62 to 0.91" in right.sentence
    wrong = run(**kwargs).find("confidence interval vs p-value")
    assert wrong.verdict == INCONSISTENT and "not the 600 reported" in wrong.sentence
    # alpha is the test's level only: it moves neither the CI nor its verdict
    assert run(ci_level=0.979, alpha=0.01, **kwargs).find("confidence interval vs p-value").values == right.values


def test_two_to_one_read_as_one_to_one_is_caught():
    # At 2:1 the most information 300 patients can give is n p(1-p) = 66.7 (75 at 1:1); this CI
    # (SE 0.108) is narrower than 2:1 allows, not than 1:1 allows.
    kwargs = {"n": 300, "hr": "0.700", "hr_ci": "(0.566, 0.865)"}
    two = run(allocation="2:1", **kwargs)
    assert two.find("confidence interval vs p-value").verdict == INCONSISTENT
    assert "narrower than 300 patients could give" in two.find("confidence interval vs p-value").sentence
    assert "2:1 allocation" in str(two).splitlines()[0] and "1:1 allocation" not in two.assumed
    one = run(**kwargs)
    assert one.find("confidence interval vs p-value").verdict == CONSISTENT and "1:1 allocation" in one.assumed
    # and every check uses it: deaths by arm, Schoenfeld, power
    with_median = {"n": 760, "hr": 0.77, "hr_ci": (0.64, 0.94), "median_control": 5.0}
    assert run(allocation="2:1", **with_median).find("confidence interval vs p-value").values["deaths_from_ci"] > run(
        **with_median).find("confidence interval vs p-value").values["deaths_from_ci"]
    assert run(allocation="2:1", **with_median).find("deaths needed, HR 0.77").values["deaths_80"] == pytest.approx(
        es.schoenfeld_events(0.77, 0.8, allocation=2 / 3))
    assert "2:1" in run(allocation="2:1", **with_median).find("power if HR 0.77 is right").sentence
    assert run(hr=0.7, allocation=2 / 3).reported == {"hr": 0.7}


def test_assumed_line_lists_only_what_the_report_did_not_say():
    full = run(n=400, hr=0.7, hr_ci="95% CI 0.55–0.89", p_value="two-sided p = 0.004", deaths=240,
               endpoint="PFS", allocation="1:1", accrual=12, follow_up=12, dropout=0.05)
    assert full.assumed == "two-sided alpha 0.05 for power and deaths needed"
    first = str(full).splitlines()[0]
    for said in ("endpoint PFS (progression-free survival)", "1:1 allocation", "95% CI", "two-sided p"):
        assert said in first
    bare = run(hr=0.7, hr_ci=(0.55, 0.89), p_value=0.004)
    for assumed in ("overall survival", "1:1 allocation", "a 95% confidence interval", "a two-sided p-value",
                    "24 months' uniform enrolment"):
        assert assumed in bare.assumed


# ----- item 8: endpoint-aware assumptions ----------------------------------------------------
def test_endpoint_sets_the_plausible_shapes_and_the_words():
    kwargs = {"n": 600, "median_control": 6, "median_treatment": 10, "hr": 0.45}  # k = 1.56
    os_check = run(**kwargs).find("hazard ratio vs medians")
    pfs_check = run(endpoint="PFS", **kwargs).find("hazard ratio vs medians")
    assert "outside the shapes of about 0.7 to 1.5 plausible for overall survival" in os_check.sentence
    assert "within the shapes of about 0.8 to 2 plausible for progression-free survival" in pfs_check.sentence
    assert "hazard of progression or death" in pfs_check.sentence and "hazard of death" in os_check.sentence
    power = run(endpoint="DFS", **kwargs).find("power if HR 0.45 is right")
    assert set(power.values["analytic_power_by_shape"]) == {0.6, 1.0, 1.5}
    assert "shapes 0.6 to 1.5, the range plausible for disease-free survival" in power.sentence
    with pytest.raises(ValueError, match="endpoint must be one of 'OS', 'PFS', 'TTP', 'DFS'; got 'RFS'"):
        run(endpoint="RFS", **kwargs)


def _weibull_shape(time, event):
    import warnings

    from lifelines import WeibullFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return WeibullFitter().fit(time, event).rho_


def test_the_shapes_quoted_as_sources_are_what_the_data_give():
    from lifelines import datasets

    lung = datasets.load_lung()
    gbsg = datasets.load_gbsg2()
    leukaemia = datasets.load_leukemia()
    quoted = {
        "OS": [(_weibull_shape(lung.time, lung.status), "1.32")],
        "DFS": [(_weibull_shape(gbsg.time, gbsg.cens), "1.27")],
        "PFS": [(_weibull_shape(g.t, g.status), None) for _, g in leukaemia.groupby("Rx")],
    }
    for code, fits in quoted.items():
        endpoint = claims.ENDPOINTS[code]
        for k, text in fits:
            assert endpoint.plausible(k)
            if text is not None:
                assert f"{k:.2f}" == text and text in endpoint.source
    assert "1.35 to 1.37" in claims.ENDPOINTS["PFS"].source
    assert sorted(f"{_weibull_shape(g.t, g.status):.2f}" for _, g in leukaemia.groupby("Rx")) == ["1.35", "1.37"]


# ----- item 9: power sentences carry their assumptions ---------------------------------------
@pytest.mark.parametrize("kwargs", [STORY, {"n": 200, "hr": 0.8, "deaths": 150, "median_control": 12},
                                    {"n": 800, "median_control": 6, "hr": "0.70", "endpoint": "PFS",
                                     "allocation": "2:1"}])
def test_every_power_sentence_names_its_shapes_and_design(kwargs):
    report = run(**kwargs)
    stating = [c for c in report.checks if re.search(r"\d+% power|power would", c.sentence)]
    assert stating
    for c in stating:
        if c.topic.startswith("power"):
            assert re.search(r"over Weibull shapes \d", c.sentence) and "The design:" in c.sentence
            assert "no evidence for or against this trial's result" in c.sentence
        else:  # deaths needed
            assert "Schoenfeld's formula: proportional hazards" in c.sentence and "allocation" in c.sentence
        assert "post-hoc" not in c.sentence and "observed power" not in c.sentence


def test_simulated_power_over_shapes():
    report = check_claims(n=200, median_control=12, hr=0.7, n_sims=200, seed=1)
    check = report.find("power if HR 0.7 is right")
    sims = check.values["simulated_power_by_shape"]
    assert set(sims) == {0.7, 1.0, 1.5}
    expected = es.power(es.Scenario.from_hr(12, 0.7, n=200, shape=1.5), n_sims=200, seed=1).power
    assert sims[1.5] == expected and "200 simulated trials per shape" in check.detail
    assert "simulated_power" not in run(n=200, median_control=12, hr=0.7, n_sims=200).find(
        "power if HR 0.7 is right").values


# ----- the other sentences -------------------------------------------------------------------
@pytest.mark.parametrize("p", ["<0.001", "< 0.001", "p<0.001", "P < 0.001"])
def test_p_below_a_bound_is_read_as_a_bound(p):
    report = run(n=400, median_control=6, median_treatment=9, hr=0.67, hr_ci=(0.52, 0.86), p_value=p)
    assert report.reported["p_value"] == "< 0.001" and "p_value < 0.001" in str(report)
    check = report.find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT and check.sentence.endswith("log-rank and Cox tests allow it).")


def test_p_value_sentences():
    consistent = run(hr=0.724, deaths=224, p_value=0.016).find("p-value vs hazard ratio and deaths")
    assert consistent.verdict == CONSISTENT and "224 deaths (reported)" in consistent.sentence
    wrong = run(hr=0.724, deaths=224, p_value=0.0003).find("p-value vs hazard ratio and deaths")
    assert wrong.verdict == INCONSISTENT and "these disagree even allowing for rounding" in wrong.sentence
    needed = (stats.norm.isf(0.0003 / 2) / abs(math.log(0.724))) ** 2 / 0.25
    assert f"would need about {needed:.0f} deaths" in wrong.sentence
    design = run(n=400, median_control=6, hr=0.67, p_value=0.2).find("p-value vs hazard ratio and deaths")
    assert design.verdict == DEPENDS and "they agree only if the assumed design is wrong" in design.sentence
    medians = run(median_control=6, median_treatment=9, deaths=300, p_value=0.5).find(
        "p-value vs hazard ratio and deaths")
    assert medians.verdict == DEPENDS and "they agree only if constant hazards is wrong" in medians.sentence


def test_missing_inputs_are_named():
    sentence = run(p_value=0.03).find("p-value vs hazard ratio and deaths").sentence
    assert "a hazard ratio (or both medians)" in sentence and "a number of deaths" in sentence
    assert run(n=321).find("hazard ratio vs medians").sentence == (
        "Needs both medians and a hazard ratio (median_control, median_treatment, hr not reported).")
    assert {c.verdict for c in run(n=321).checks} == {UNCHECKED}
    assert run(hr=0.7).find("power of the design").verdict == UNCHECKED
    assert run(p_value=0.03).find("deaths needed").verdict == UNCHECKED


def test_published_egf100151_figures_are_consistent():
    # FACTS.md: update OS HR 0.78 (0.55 to 1.12), P = 0.177; final HR 0.87 (0.71 to 1.08), P = 0.21.
    update = run(hr=0.78, hr_ci=(0.55, 1.12), p_value=0.177).find("confidence interval vs p-value")
    assert update.verdict == CONSISTENT and update.values["p_from_ci"] == pytest.approx(0.177, abs=0.02)
    assert not run(hr=0.87, hr_ci=(0.71, 1.08), p_value=0.21).problems


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"hr": 0.78, "hr_ci": (0.55, 1.12), "p_value": 0.01}, "the CI implies p between"),
    ({"hr": 0.78, "hr_ci": (0.6, 1.3)}, "the CI is centred on 0.88, not on the reported HR 0.78"),
])
def test_ci_problems(kwargs, words):
    check = run(**kwargs).find("confidence interval vs p-value")
    assert check.verdict == INCONSISTENT and words in check.sentence


def test_ci_implied_by_hr_and_p():
    check = run(hr=0.62, p_value=0.0003).find("confidence interval vs p-value")
    lo, hi = check.values["ci"]
    se = (math.log(hi) - math.log(lo)) / (2 * stats.norm.ppf(0.975))
    assert 2 * stats.norm.sf(abs(math.log(0.62)) / se) == pytest.approx(0.0003, rel=1e-6)
    assert "no wider than about" in run(hr=0.62, p_value="<0.001").find("confidence interval vs p-value").sentence
    assert "at least as wide as" in run(hr=0.9, p_value=">0.05").find("confidence interval vs p-value").sentence


def test_hazard_ratio_of_one_with_a_small_p():
    assert run(hr=1.0, p_value=0.5).find("confidence interval vs p-value").verdict == CONSISTENT
    alone = run(hr=1.0, p_value=0.01).find("confidence interval vs p-value")
    assert alone.verdict == DEPENDS and "only with at least" in alone.sentence
    small = run(hr=1.0, p_value=0.01, n=300).find("confidence interval vs p-value")
    assert small.verdict == INCONSISTENT and "more than the 300 patients" in small.sentence


@pytest.mark.parametrize(("kwargs", "ending"), [
    ({"hr": 0.7, "hr_ci": (0.5, 0.9)}, "the CI still shows the precision and whether the difference could be chance."),
    ({"hr": 0.7, "p_value": 0.03}, "a reader cannot judge how precise the hazard ratio is."),
])
def test_not_reported_sentences(kwargs, ending):
    assert run(**kwargs).find("not reported").sentence.endswith(ending)


def test_closing_line_counts_in_words():
    report = run(hr=0.7, hr_ci=(0.6, 0.82), deaths=60, p_value=0.5, median_control=10, median_treatment=12)
    assert len(report.inconsistent) == 2
    assert str(report).splitlines()[-1] == (
        "2 checks find numbers that cannot all be right; 1 verdict depends on chance or an assumption.")


def test_checks_are_small_functions_run_from_a_list():
    report = claims.Report(hr=0.7, hr_ci=(0.55, 0.89))
    assert [c.topic for c in claims.check_confidence_interval(report)] == ["confidence interval vs p-value"]
    assert claims.check_medians_vs_hr in claims.CHECKS and len(claims.CHECKS) == 7
    assert claims.PLAUSIBLE_SHAPES == (0.7, 1.0, 1.5)


# ----- input (and issue 19's two items) --------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"hr": 0}, "hr"),
        ({"hr": -0.6}, "hr"),
        ({"hr_ci": (0.9, 0.7)}, "lower < upper"),
        ({"hr_ci": "narrow"}, "could not read 'narrow'"),
        ({"hr_ci": (0.5, 0.7, 0.9)}, "two numbers"),
        ({"p_value": 0}, "p_value"),
        ({"p_value": 1.5}, "p_value"),
        ({"n": 1}, "n must be"),
        ({"n": 100, "deaths": 101}, "cannot exceed"),
        ({"median_control": -17.3}, "median_control"),
        ({"hr": 0.7, "alpha": 1}, "alpha"),
        ({"hr": 0.7, "n_sims": -1}, "n_sims"),
        ({"hr": 0.7, "ci_level": 95}, "ci_level must be between 0.5 and 1"),
        ({"hr": 0.7, "sided": 3}, "sided must be 1"),
        ({"hr": 0.7, "allocation": "2-1"}, "allocation must be"),
        ({"hr": 0.7, "allocation": 1.5}, "allocation"),
        ({"n": 100, "chance_trials": 10}, "chance_trials"),
        ({"hr_ci": "95% CI 0.5-0.9", "ci_level": 0.9}, "disagrees with the 95%"),
        ({}, "at least one"),
        ({"hr": 0.7, "seed": "a"}, "seed must be"),
        ({"hr": 0.7, "accrual": -1}, "accrual"),
        ({"hr": 0.7, "follow_up": "x"}, "follow_up"),
        ({"hr": 0.7, "dropout": 5}, "dropout"),
    ],
)
def test_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        run(**kwargs)


def test_issue_19_huge_n_is_refused_naming_n():
    # issue 19, item 5: check_claims(n=10**12, ...) asked for 466 GiB and died of MemoryError.
    with pytest.raises(ValueError, match=r"n must be a whole number from 2 to 1,000,000 .* got 1,000,000,000,000"):
        check_claims(n=10**12, median_control=17.3, median_treatment=23.9, hr=0.62)
    with pytest.raises(ValueError, match="n must be at most 100,000 to simulate the power"):
        check_claims(n=500_000, median_control=17.3, hr=0.62, n_sims=100)
    # the largest n allowed works, by the normal approximation beyond 5,000 patients
    check = check_claims(n=10**6, median_control=17.3, median_treatment=23.9, hr=0.62).find("hazard ratio vs medians")
    assert "too many patients to simulate quickly" in check.detail


@pytest.mark.parametrize("value", ["no", "False", 0, 1, None, [True]])
def test_issue_19_simulate_must_be_a_bool(value):
    # issue 19, item 12: simulate="no" ran the simulation (any truthy value was accepted).
    with pytest.raises(ValueError, match=f"simulate must be True or False; got {re.escape(repr(value))}"):
        check_claims(hr=0.7, simulate=value)
