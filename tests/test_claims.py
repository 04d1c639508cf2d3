"""check_claims: the case study's inconsistency, partial information, and bad input."""

import math

import pytest

import edu_survival as es
from edu_survival.claims import CONSISTENT, INCONSISTENT, UNCHECKED, check_claims


@pytest.fixture(scope="module")
def story():
    return check_claims(n=321, median_control=17.3, median_treatment=23.9, hr=0.62, simulate=False)


def test_story_flags_38_vs_28_percent(story):
    check = story.find("hazard ratio vs medians")
    assert check.verdict == INCONSISTENT
    assert check in story.problems
    assert check.values["implied_hr"] == pytest.approx(17.3 / 23.9)
    assert "0.724" in check.sentence and "28%" in check.sentence and "38%" in check.sentence
    assert "38% longer" in check.sentence


def test_story_reports_power_for_both_hazard_ratios(story):
    # FACTS.md: power about 0.68 at HR 0.724 with 24 + 24 months; about 0.95 at HR 0.62 with the
    # same deaths (our HR 0.62 scenario has fewer deaths, so a little lower).
    implied = story.find("power, HR 0.724")
    reported = story.find("power, HR 0.62")
    assert implied.values["analytic_power"] == pytest.approx(0.68, abs=0.01)
    assert 0.92 < reported.values["analytic_power"] < 0.96


def test_story_deaths_needed_match_facts(story):
    assert story.find("deaths needed, HR 0.724").values["deaths_80"] == pytest.approx(301, abs=1)
    assert story.find("deaths needed, HR 0.62").values["deaths_90"] == pytest.approx(184, abs=1)


def test_story_says_what_is_missing(story):
    missing = story.find("not reported")
    assert missing.verdict == UNCHECKED
    for word in ("confidence interval", "p-value", "number of deaths"):
        assert word in missing.sentence
    assert "1 check(s) find numbers that disagree" in str(story)


def test_consistent_medians_and_hr_pass():
    report = check_claims(median_control=17.3, median_treatment=23.9, hr=0.72, simulate=False)
    assert report.find("hazard ratio vs medians").verdict == CONSISTENT
    assert not report.problems


def test_published_update_is_internally_consistent():
    # EGF100151 update (FACTS.md): OS HR 0.78 (0.55 to 1.12), P = 0.177.
    report = check_claims(hr=0.78, hr_ci=(0.55, 1.12), p_value=0.177, simulate=False)
    check = report.find("confidence interval vs p-value")
    assert check.verdict == CONSISTENT
    assert check.values["p_from_ci"] == pytest.approx(0.177, abs=0.02)


def test_p_value_and_ci_that_contradict_are_flagged():
    report = check_claims(hr=0.78, hr_ci=(0.55, 1.12), p_value=0.01, simulate=False)
    assert report.find("confidence interval vs p-value").verdict == INCONSISTENT


def test_p_value_implied_by_hr_and_deaths_matches_facts():
    # FACTS.md: observed HR 0.724 with 224 deaths gives z 2.42, p 0.016.
    report = check_claims(hr=0.724, deaths=224, p_value=0.016, simulate=False)
    check = report.find("p-value vs hazard ratio and deaths")
    assert check.values["z"] == pytest.approx(2.42, abs=0.01)
    assert check.values["p_implied"] == pytest.approx(0.016, abs=0.001)
    assert check.verdict == CONSISTENT
    wrong = check_claims(hr=0.724, deaths=224, p_value=0.0003, simulate=False)
    assert wrong.find("p-value vs hazard ratio and deaths").verdict == INCONSISTENT


def test_ci_implied_by_hr_and_p():
    report = check_claims(hr=0.62, p_value=0.0003, simulate=False)
    lo, hi = report.find("confidence interval vs p-value").values["ci"]
    se = (math.log(hi) - math.log(lo)) / (2 * 1.959964)
    # back to the p-value: z = |ln HR| / SE
    assert 2 * (1 - __import__("scipy").stats.norm.cdf(abs(math.log(0.62)) / se)) == pytest.approx(0.0003, rel=1e-6)


def test_partial_information_says_what_cannot_be_checked():
    report = check_claims(n=321, simulate=False)
    assert {c.verdict for c in report.checks} == {UNCHECKED}
    assert not report.problems


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
        ({"n": 1}, "n must be"),
        ({"n": 100, "deaths": 101}, "cannot exceed"),
        ({"median_control": -17.3}, "median_control"),
        ({"hr": 0.7, "alpha": 1}, "alpha"),
        ({"hr": 0.7, "n_sims": 0}, "n_sims"),
        ({}, "at least one"),
    ],
)
def test_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        check_claims(simulate=False, **kwargs)


def test_report_renders_as_text_and_html(story):
    text, html = str(story), story._repr_html_()
    assert text.splitlines()[0].startswith("Reported: n = 321")
    assert "<table" in html and "inconsistent" in html
    assert es.check_claims is check_claims


def test_hr_and_one_median_imply_the_other():
    # FACTS.md: control median implied by HR 0.62 and treatment 23.9 is 14.8 months.
    report = check_claims(n=321, median_treatment=23.9, hr=0.62, simulate=False)
    implied = report.find("median implied by the hazard ratio")
    assert implied.values["median_control"] == pytest.approx(14.8, abs=0.05)
    # with a control median the design's power can now be checked
    assert report.find("power, HR 0.62").values["analytic_power"] > 0.8


def test_deaths_implied_by_the_ci_feed_the_p_value_check():
    # EGF100151 final report (FACTS.md): HR 0.87 (0.71 to 1.08), P = 0.21, no deaths given.
    report = check_claims(hr=0.87, hr_ci=(0.71, 1.08), p_value=0.21, simulate=False)
    check = report.find("p-value vs hazard ratio and deaths")
    assert "implied by the width of the confidence interval" in check.sentence
    assert check.verdict == CONSISTENT


def test_missing_inputs_are_named():
    only_p = check_claims(p_value=0.03, simulate=False)
    sentence = only_p.find("p-value vs hazard ratio and deaths").sentence
    assert "a hazard ratio" in sentence and "a number of deaths" in sentence
    with_hr = check_claims(hr=0.7, simulate=False)
    sentence = with_hr.find("p-value vs hazard ratio and deaths").sentence
    assert "a hazard ratio" not in sentence and "a number of deaths" in sentence


def test_hazard_ratio_of_one_with_a_small_p_is_flagged():
    assert check_claims(hr=1.0, p_value=0.5, simulate=False).find(
        "confidence interval vs p-value").verdict == CONSISTENT
    assert check_claims(hr=1.0, p_value=0.01, simulate=False).find(
        "confidence interval vs p-value").verdict == INCONSISTENT


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [({"accrual": -1}, "accrual"), ({"follow_up": "x"}, "follow_up"), ({"dropout": 5}, "dropout")],
)
def test_design_assumptions_are_validated_even_when_unused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        check_claims(hr=0.7, simulate=False, **kwargs)
