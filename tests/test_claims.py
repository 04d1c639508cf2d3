"""check_claims: every sentence each check can print, the issue's reproducers, bad input.

The calibration against simulated trials (no false alarms on honest reports, flags on
perturbed ones) is in tests/test_claims_calibration.py.
"""

import math

import pytest
from scipy import stats

import edu_survival as es
from edu_survival import claims
from edu_survival.claims import (
    CONSISTENT,
    DEPENDS,
    INCONSISTENT,
    INFO,
    UNCHECKED,
    check_claims,
    parse_p_value,
)


def run(**kwargs):
    return check_claims(simulate=False, **kwargs)


@pytest.fixture(scope="module")
def story():
    return run(n=321, median_control=17.3, median_treatment=23.9, hr=0.62)


# ----- the case study --------------------------------------------------------------------------
def test_story_flagged_under_constant_hazards_with_the_38_percent_longer_median(story):
    check = story.find("hazard ratio vs medians")
    assert check.verdict == INCONSISTENT and story.problems == [check]
    assert check.values["implied_hr"] == pytest.approx(17.3 / 23.9)
    assert "Under constant hazards these disagree" in check.sentence
    assert "0.724" in check.sentence and "28% lower hazard" in check.sentence
    assert "38% longer median" in check.sentence and "not a 38% lower hazard" in check.sentence


def test_story_reconciling_shape_is_1_48_and_said_in_words(story):
    check = story.find("hazard ratio vs medians")
    k = math.log(0.62) / math.log(17.3 / 23.9)
    assert check.values["reconciling_shape"] == pytest.approx(k)
    # The shape that reconciles them gives HR 0.62 from these medians (the identity).
    assert es.LAPATINIB.replace(shape=k).hr == pytest.approx(0.62)
    assert "Weibull shape 1.48" in check.sentence and "k = ln 0.62 / ln(17.3 / 23.9) = 1.48" in check.detail
    factor = 4 ** (k - 1)  # hazard at 24 months / hazard at 6 months for Weibull shape k
    assert f"about {factor:.1f} times higher at 24 months than at 6 months" in check.sentence
    assert "within the shapes of about 0.7 to 1.5" in check.sentence
    assert "an assumption the report cannot confirm" in check.sentence


def test_story_power_over_shapes(story):
    medians = story.find("power if the medians are right")
    by_shape = medians.values["analytic_power_by_shape"]
    # FACTS.md: 68% at HR 0.724 with 24 + 24 months (constant hazards).
    assert medians.values["analytic_power"] == pytest.approx(0.68, abs=0.01)
    assert by_shape[0.7] == pytest.approx(es.analytic_power(es.LAPATINIB.replace(shape=0.7)))
    assert by_shape[1.5] == pytest.approx(es.analytic_power(es.LAPATINIB.replace(shape=1.5)))
    lo, hi = min(by_shape.values()), max(by_shape.values())
    assert f"{100 * lo:.0f}% to {100 * hi:.0f}% power over Weibull shapes 0.7 to 1.5" in medians.sentence
    assert "0.80, 0.72, 0.62 for shapes 0.7, 1, 1.5" in medians.sentence
    reported = story.find("power if HR 0.62 is right")
    assert 0.92 < reported.values["analytic_power"] < 0.96
    assert "assumed design" in reported.detail


def test_story_deaths_needed_rounded_up(story):
    implied = story.find("deaths needed, HR 0.724")
    assert implied.values["deaths_80"] == pytest.approx(301, abs=1)  # FACTS.md
    d80, d90 = (math.ceil(implied.values[k]) for k in ("deaths_80", "deaths_90"))
    assert f"needs {d80} deaths for 80% power and {d90} for 90%" in implied.sentence
    assert math.ceil(story.find("deaths needed, HR 0.62").values["deaths_90"]) == 184


def test_deaths_needed_shares_are_of_the_deaths_printed():
    """The medians 17.3 and 23.9 imply HR 17.3 / 23.9 = 0.7238; for 90% power Schoenfeld gives
    402.4 deaths, printed 403 (rounded up). As a share of 321 patients the sentence must say
    403 / 321 = 125.5%, so 126%, not the 125% of the unrounded 402.4."""
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.9)
    exact = z**2 / (0.25 * math.log(17.3 / 23.9) ** 2)  # independent Schoenfeld
    assert round(exact, 1) == 402.4
    d90 = math.ceil(exact)
    check = run(n=321, median_control=17.3, median_treatment=23.9).find("deaths needed, HR 0.724")
    assert f"and {d90} for 90% (94% and {100 * d90 / 321:.0f}% of the 321 patients)" in check.sentence
    assert "403 for 90% (94% and 126% of the 321 patients)" in check.sentence


def test_story_p_value_uses_expected_deaths_and_says_so(story):
    check = story.find("p-value vs hazard ratio and deaths")
    assert check.verdict == INFO
    assert "expected with 24 months' uniform enrolment" in check.sentence and "an assumption" in check.sentence
    assert "The report gives no p-value." in check.sentence
    assert check.values["deaths_used"] == pytest.approx(es.expected_events(es.Scenario.from_hr(17.3, 0.62)))


def test_story_says_what_is_missing(story):
    missing = story.find("not reported")
    assert missing.verdict == UNCHECKED
    for word in ("confidence interval", "p-value", "number of deaths", "could be chance"):
        assert word in missing.sentence
    assert str(story).splitlines()[-1] == "1 check finds numbers that disagree."


def test_report_is_plain_sentence_first_then_arithmetic(story):
    text = str(story)
    lines = text.splitlines()
    assert lines[0].startswith("Reported: n = 321") and lines[1].startswith("Assumed where the report is silent")
    head = lines.index("[!!] hazard ratio vs medians (inconsistent)")
    assert lines[head + 1].strip().startswith("Under constant hazards") and lines[head + 2].strip().startswith("How:")
    html = story._repr_html_()
    assert "<table" in html and "inconsistent" in html and "Assumed" in html
    assert es.check_claims is check_claims


# ----- the reproducers -----------------------------------------------------------------
def test_consistent_report_not_flagged_deaths_from_the_ci():
    report = run(n=400, median_control=6, median_treatment=9, hr=0.67, hr_ci=(0.52, 0.86), p_value=0.002)
    assert not report.problems and not report.depends
    check = report.find("p-value vs hazard ratio and deaths")
    assert check.verdict == CONSISTENT
    assert "implied by the width of the confidence interval" in check.sentence
    se = (math.log(0.86) - math.log(0.52)) / (2 * stats.norm.ppf(0.975))
    assert check.values["deaths_used"] == pytest.approx(1 / (0.25 * se**2))
    assert round(check.values["deaths_used"]) == 243
    assert "p = 0.0018" in check.sentence and "The report says p = 0.002: consistent." in check.sentence
    assert report.find("not reported").sentence.endswith("used the deaths implied by the CI instead.")


@pytest.mark.parametrize("p", ["<0.001", "< 0.001", "p<0.001", "P < 0.001"])
def test_p_below_a_bound_is_read_as_a_bound(p):
    report = run(n=400, median_control=6, median_treatment=9, hr=0.67, hr_ci=(0.52, 0.86), p_value=p)
    assert report.reported["p_value"] == "< 0.001"
    assert "p_value < 0.001" in str(report)
    check = report.find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT and "p < 0.001" in check.sentence
    # The CI's own p is 0.0018: close to the bound, and the sentence says why that is accepted.
    assert check.sentence.endswith("log-rank and Cox tests allow it).")
    assert report.find("p-value vs hazard ratio and deaths").sentence.endswith(
        "p < 0.001: consistent (close enough: rounding and the small gap between the log-rank and Cox "
        "tests allow it).")


def test_medians_vs_hr_without_ci_depends_on_an_assumption():
    report = run(median_control=10, median_treatment=12, hr=0.7)
    check = report.find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and report.depends == [check]
    assert check.sentence.startswith("Under constant hazards the medians imply HR 0.833, not the reported 0.7.")
    k = math.log(0.7) / math.log(10 / 12)
    assert check.values["reconciling_shape"] == pytest.approx(k)
    assert f"Weibull shape {k:.2f}" in check.sentence
    assert f"{4 ** (k - 1):.1f} times higher at 24 months" in check.sentence
    assert "outside the shapes of about 0.7 to 1.5" in check.sentence  # k = 1.96
    assert "Medians are estimates too" in check.sentence
    assert "1 verdict depends on an assumption" in str(report)


def test_falling_hazard_is_said_as_falling():
    check = run(median_control=10, median_treatment=20, hr=0.7).find("hazard ratio vs medians")
    k = math.log(0.7) / math.log(0.5)
    assert check.verdict == DEPENDS and k < 1
    assert f"falls over time: about {4 ** (1 - k):.1f} times lower at 24 months" in check.sentence


# ----- every sentence of every check -----------------------------------------------------------
def test_medians_and_hr_consistent_without_and_with_ci():
    check = run(median_control=17.3, median_treatment=23.9, hr=0.72).find("hazard ratio vs medians")
    assert check.verdict == CONSISTENT and "The medians fit the reported HR 0.72" in check.sentence
    # 0.724 is within rounding of the printed 0.72 (0.715 to 0.725) and of the medians.
    with_ci = run(median_control=17.3, median_treatment=23.9, hr=0.62, hr_ci=(0.45, 0.86))
    check = with_ci.find("hazard ratio vs medians")
    assert check.verdict == CONSISTENT and "fit the reported 95% CI 0.45 to 0.86" in check.sentence


def test_medians_outside_a_ci_depend_on_an_assumption_not_inconsistent():
    check = run(median_control=17.3, median_treatment=23.9, hr=0.62, hr_ci=(0.55, 0.69)).find(
        "hazard ratio vs medians")
    assert check.verdict == DEPENDS and "outside the reported 95% CI 0.55 to 0.69" in check.sentence


@pytest.mark.parametrize(("medians", "hr", "words"), [
    ((10, 10), 0.7, "equal medians"),
    ((10, 12), 1.3, "medians that favour one arm and an HR that favours the other"),
])
def test_no_weibull_shape_reconciles(medians, hr, words):
    check = run(median_control=medians[0], median_treatment=medians[1], hr=hr).find("hazard ratio vs medians")
    assert check.verdict == DEPENDS and words in check.sentence and "cross" in check.sentence


def test_medians_alone_give_the_constant_hazard_hr():
    report = run(median_control=17.3, median_treatment=23.9)
    check = report.find("hazard ratio vs medians")
    assert check.verdict == INFO
    assert "If the hazards were constant" in check.sentence and "28% lower hazard of death" in check.sentence
    worse = run(median_control=20, median_treatment=10).find("hazard ratio vs medians")
    assert "100% higher hazard" in worse.sentence


def test_hr_and_one_median_imply_the_other():
    # FACTS.md: control median implied by HR 0.62 and treatment 23.9 is 14.8 months.
    report = run(n=321, median_treatment=23.9, hr=0.62)
    implied = report.find("median implied by the hazard ratio")
    assert implied.values["median_control"] == pytest.approx(14.8, abs=0.05)
    assert "a control median of about 14.8 months" in implied.sentence
    assert "power if HR 0.62 is right" not in [c.topic for c in report.checks]  # no control median given
    other = run(median_control=17.3, hr=0.62).find("median implied by the hazard ratio")
    assert other.values["median_treatment"] == pytest.approx(17.3 / 0.62)
    assert "a treatment median of about 27.9 months" in other.sentence


def test_deaths_needed_sentences():
    report = run(n=200, hr=0.8, deaths=150)
    check = report.find("deaths needed, HR 0.8")
    assert "even if every patient died, power would stay below 80%" in check.sentence
    assert "The report counts 150 deaths." in check.sentence
    assert run(p_value=0.03).find("deaths needed").verdict == UNCHECKED


def test_p_value_sentences():
    consistent = run(hr=0.724, deaths=224, p_value=0.016).find("p-value vs hazard ratio and deaths")
    # FACTS.md: observed HR 0.724 with 224 deaths gives z 2.42, p 0.016.
    assert consistent.values["z"] == pytest.approx(2.42, abs=0.01)
    assert consistent.values["p_implied"] == pytest.approx(0.016, abs=0.001)
    assert consistent.verdict == CONSISTENT and "224 deaths (reported)" in consistent.sentence
    wrong = run(hr=0.724, deaths=224, p_value=0.0003).find("p-value vs hazard ratio and deaths")
    assert wrong.verdict == INCONSISTENT
    assert "these disagree even allowing for rounding" in wrong.sentence
    needed = (stats.norm.isf(0.0003 / 2) / abs(math.log(0.724))) ** 2 / 0.25
    assert f"would need about {needed:.0f} deaths" in wrong.sentence
    # Deaths expected under an assumed design: a disagreement rests on that assumption.
    design = run(n=400, median_control=6, hr=0.67, p_value=0.2).find("p-value vs hazard ratio and deaths")
    assert design.verdict == DEPENDS and "they agree only if the assumed design is wrong" in design.sentence
    # The HR implied by the medians rests on constant hazards.
    medians = run(median_control=6, median_treatment=9, deaths=300, p_value=0.5).find(
        "p-value vs hazard ratio and deaths")
    assert medians.verdict == DEPENDS and "they agree only if constant hazards is wrong" in medians.sentence
    assert "the HR of 0.667 the medians imply under constant hazards" in medians.sentence


def test_p_value_within_rounding_is_not_flagged():
    # 224 deaths and HR 0.724 give p = 0.016; a report printing p = 0.02 is within rounding.
    assert run(hr=0.724, deaths=224, p_value=0.02).find("p-value vs hazard ratio and deaths").verdict == CONSISTENT


def test_missing_inputs_are_named():
    sentence = run(p_value=0.03).find("p-value vs hazard ratio and deaths").sentence
    assert "a hazard ratio (or both medians)" in sentence and "a number of deaths" in sentence
    sentence = run(hr=0.7).find("p-value vs hazard ratio and deaths").sentence
    assert "a hazard ratio" not in sentence and "a number of deaths" in sentence


def test_published_update_is_internally_consistent():
    # EGF100151 update (FACTS.md): OS HR 0.78 (0.55 to 1.12), P = 0.177.
    check = run(hr=0.78, hr_ci=(0.55, 1.12), p_value=0.177).find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT and check.sentence.startswith("Consistent: the 95% CI 0.55 to 1.12 fits")
    assert check.values["p_from_ci"] == pytest.approx(0.177, abs=0.02)


def test_final_report_deaths_from_the_ci():
    # EGF100151 final report (FACTS.md): HR 0.87 (0.71 to 1.08), P = 0.21, no deaths given.
    report = run(hr=0.87, hr_ci=(0.71, 1.08), p_value=0.21)
    assert report.find("p-value vs hazard ratio and deaths").verdict == CONSISTENT
    assert not report.problems


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"hr": 0.78, "hr_ci": (0.55, 1.12), "p_value": 0.01}, "the CI implies p between"),
    ({"hr": 0.78, "hr_ci": (0.6, 1.3)}, "the CI is centred on 0.88, not on the reported HR 0.78"),
    ({"hr": 0.7, "hr_ci": (0.6, 0.82), "deaths": 60}, "not the 60 reported"),
    ({"hr": 0.7, "hr_ci": (0.65, 0.75), "n": 300}, "narrower than 300 patients could give"),
])
def test_ci_problems(kwargs, words):
    check = run(**kwargs).find("confidence interval vs p-value")
    assert check.verdict == INCONSISTENT
    assert check.sentence.startswith("These disagree even allowing for rounding") and words in check.sentence


def test_ci_consistent_with_deaths():
    se = 1 / math.sqrt(300 * 0.25)
    lo, hi = (round(math.exp(math.log(0.7) + s * 1.96 * se), 2) for s in (-1, 1))
    check = run(hr=0.7, hr_ci=(lo, hi), deaths=300, n=500).find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT and "and 300 deaths" in check.sentence


def test_ci_implied_by_hr_and_p():
    check = run(hr=0.62, p_value=0.0003).find("confidence interval vs p-value")
    lo, hi = check.values["ci"]
    se = (math.log(hi) - math.log(lo)) / (2 * stats.norm.ppf(0.975))
    assert design_p(abs(math.log(0.62)) / se) == pytest.approx(0.0003, rel=1e-6)
    assert f"a 95% CI of about {lo:.2f} to {hi:.2f}" in check.sentence


def design_p(z):
    return 2 * stats.norm.sf(z)


def test_ci_bounds_from_a_bounded_p():
    below = run(hr=0.62, p_value="<0.001").find("confidence interval vs p-value")
    assert below.verdict == INFO and "no wider than about" in below.sentence
    above = run(hr=0.9, p_value=">0.05").find("confidence interval vs p-value")
    assert above.verdict == INFO and "at least as wide as about" in above.sentence


def test_hazard_ratio_of_one_with_a_small_p():
    assert run(hr=1.0, p_value=0.5).find("confidence interval vs p-value").verdict == CONSISTENT
    # HR printed as 1.0 could be 0.95 to 1.05: p = 0.01 needs thousands of deaths.
    alone = run(hr=1.0, p_value=0.01).find("confidence interval vs p-value")
    assert alone.verdict == DEPENDS and "only with at least" in alone.sentence
    small = run(hr=1.0, p_value=0.01, n=300).find("confidence interval vs p-value")
    assert small.verdict == INCONSISTENT and "more than the 300 patients" in small.sentence


def test_nothing_to_compare_the_ci_with():
    assert run(n=100).find("confidence interval vs p-value").sentence.startswith(
        "No confidence interval reported and no p-value")
    assert run(p_value=0.2).find("confidence interval vs p-value").sentence.startswith(
        "No confidence interval reported:")


def test_power_needs_n_and_a_control_median():
    assert run(hr=0.7).find("power of the design").verdict == UNCHECKED


def test_simulated_power_over_shapes():
    report = check_claims(n=200, median_control=12, hr=0.7, n_sims=200, seed=1)
    check = report.find("power if HR 0.7 is right")
    sims = check.values["simulated_power_by_shape"]
    assert set(sims) == {0.7, 1.0, 1.5}
    expected = es.power(es.Scenario.from_hr(12, 0.7, n=200, shape=1.5), n_sims=200, seed=1).power
    assert sims[1.5] == expected
    assert "200 simulated trials per shape" in check.detail


@pytest.mark.parametrize(("kwargs", "ending"), [
    ({"hr": 0.7, "hr_ci": (0.5, 0.9)}, "the CI still shows the precision and whether the difference could be chance."),
    ({"hr": 0.7, "p_value": 0.03}, "a reader cannot judge how precise the hazard ratio is."),
])
def test_not_reported_sentences(kwargs, ending):
    assert run(**kwargs).find("not reported").sentence.endswith(ending)


def test_closing_line_counts_in_words():
    report = run(hr=0.7, hr_ci=(0.6, 0.82), deaths=60, p_value=0.5, median_control=10, median_treatment=12)
    assert len(report.problems) == 2
    assert str(report).splitlines()[-1] == "2 checks find numbers that disagree; 1 verdict depends on an assumption."


def test_full_report_has_no_missing_line():
    report = run(hr=0.7, hr_ci=(0.55, 0.89), p_value=0.004, deaths=240)
    assert "not reported" not in [c.topic for c in report.checks]


def test_partial_information_says_what_cannot_be_checked():
    report = run(n=321)
    assert {c.verdict for c in report.checks} == {UNCHECKED}
    assert report.find("hazard ratio vs medians").sentence == (
        "Needs both medians and a hazard ratio (median_control, median_treatment, hr not reported).")
    assert not report.problems
    assert str(report).splitlines()[-1] == "No check finds numbers that disagree."


def test_checks_are_small_functions_run_from_a_list():
    report = claims.Report(hr=0.7, hr_ci=(0.55, 0.89))
    assert [c.topic for c in claims.check_confidence_interval(report)] == ["confidence interval vs p-value"]
    assert claims.check_medians_vs_hr in claims.CHECKS and len(claims.CHECKS) == 7


# ----- input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "relation"), [
    ("0.03", 0.03, "="), ("p = 0.03", 0.03, "="), ("<0.001", 0.001, "<"), ("< 0.05", 0.05, "<"),
    ("p<0.001", 0.001, "<"), ("p ≤ 0.01", 0.01, "<"), ("> 0.05", 0.05, ">"), (0.2, 0.2, "="), ("1e-4", 1e-4, "="),
])
def test_parse_p_value(text, value, relation):
    assert parse_p_value(text)[:2] == (value, relation)


def test_p_rounding_interval():
    r = claims.Report(p_value=0.002, p_text="0.002")
    assert r.p_range() == pytest.approx((0.0015, 0.0025))
    assert claims.Report(p_value=0.001, p_relation="<", p_text="0.001").p_range() == (0.0, 0.001)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"hr": 0}, "hr"),
        ({"hr": -0.6}, "hr"),
        ({"hr": 0.62, "hr_ci": (0.7, 0.9)}, "excludes its own hazard ratio"),
        ({"hr_ci": (0.9, 0.7)}, "lower < upper"),
        ({"hr_ci": "narrow"}, "two numbers"),
        ({"p_value": 0}, "p_value"),
        ({"p_value": 1.5}, "p_value"),
        ({"p_value": "small"}, "p_value must be a number in .0, 1. or a string"),
        ({"p_value": "p < 2"}, "p_value must be in"),
        ({"p_value": "<<0.05"}, "p_value"),
        ({"n": 1}, "n must be"),
        ({"n": 100, "deaths": 101}, "cannot exceed"),
        ({"median_control": -17.3}, "median_control"),
        ({"hr": 0.7, "alpha": 1}, "alpha"),
        ({"hr": 0.7, "n_sims": 0}, "n_sims"),
        ({}, "at least one"),
        ({"hr": 0.7, "seed": "a"}, "seed must be"),
    ],
)
def test_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        run(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [({"accrual": -1}, "accrual"), ({"follow_up": "x"}, "follow_up"), ({"dropout": 5}, "dropout")],
)
def test_design_assumptions_are_validated_even_when_unused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        run(hr=0.7, **kwargs)
