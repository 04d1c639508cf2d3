"""check_claims on reports built from simulated trials whose truth is known (issue 9).

Each report holds what a paper would print about ONE simulated trial, computed by es.analyze
(numpy engine) and rounded as a paper rounds: HR and CI to two decimals, p as format_p prints
it ("p = 0.019", "p < 0.001"), medians to one decimal (left out if not reached), deaths and n.
The trials cover Weibull shapes 0.7 to 1.5 and five designs, one of them without any effect.
"""

import collections
import math

import pytest

import edu_survival as es
from edu_survival.analyze import format_p
from edu_survival.claims import check_claims

DESIGNS = (
    es.Scenario(n=321, median_control=17.3, median_treatment=23.9, accrual=24, follow_up=24),
    es.Scenario(n=120, median_control=8, median_treatment=12, accrual=12, follow_up=12),
    es.Scenario(n=600, median_control=12, median_treatment=15, accrual=24, follow_up=12, dropout=0.1),
    es.Scenario(n=250, median_control=20, median_treatment=40, accrual=36, follow_up=24),
    es.Scenario(n=400, median_control=10, median_treatment=10, accrual=24, follow_up=24),
)
SHAPES = (0.7, 0.85, 1.0, 1.2, 1.5)
N_TRIALS = 500


@pytest.fixture(scope="module")
def trials():
    out = []
    for i in range(N_TRIALS):
        scenario = DESIGNS[i % len(DESIGNS)].replace(shape=SHAPES[(i // len(DESIGNS)) % len(SHAPES)])
        out.append(es.analyze(es.simulate(scenario, seed=i), engine="numpy"))
    return out


def paper(a, p_text=None, ci_factor=1.0):
    """What a paper prints about analysis ``a`` (optionally with its CI narrowed)."""
    lo, hi = a.hr_ci
    if ci_factor != 1:
        c = math.log(a.hr)
        lo, hi = math.exp(c - (c - math.log(lo)) / ci_factor), math.exp(c + (math.log(hi) - c) / ci_factor)
    low_digits = 2 if round(lo, 2) > 0 else 3  # a paper does not print a lower limit of 0.00
    report = {"n": a.total_n, "hr": round(a.hr, 2), "hr_ci": (round(lo, low_digits), round(hi, 2)),
              "p_value": p_text or format_p(a.logrank_p), "deaths": a.total_deaths}
    for arm, key in (("control", "median_control"), ("treatment", "median_treatment")):
        if a.median[arm].reached:
            report[key] = round(a.median[arm].estimate, 1)
    return report


def flagged(report) -> bool:
    return bool(check_claims(simulate=False, **report).problems)


@pytest.mark.slow
def test_honest_reports_are_not_flagged(trials):
    # The issue asks for "consistent" (no check inconsistent) in at least 99% of 500 trials.
    # Measured: 0 of 500. Every inconsistent verdict here would be a false alarm.
    bad = collections.Counter()
    for a in trials:
        for check in check_claims(simulate=False, **paper(a)).problems:
            bad[check.topic] += 1
    assert sum(bad.values()) <= 0.01 * N_TRIALS, bad


@pytest.mark.slow
def test_honest_reports_without_deaths_are_not_flagged(trials):
    # Deaths then come from the CI (evidence before assumptions).
    reports = [paper(a) for a in trials]
    for r in reports:
        del r["deaths"]
    assert sum(flagged(r) for r in reports) <= 0.01 * N_TRIALS


@pytest.mark.slow
def test_ci_narrowed_three_times_is_flagged(trials):
    # A CI three times narrower on the log scale implies nine times the deaths reported: far
    # beyond rounding and the 10% allowance in every trial, so every report should be flagged.
    # We require 99% (measured: 500 of 500).
    assert sum(flagged(paper(a, ci_factor=3)) for a in trials) >= 0.99 * N_TRIALS


@pytest.mark.slow
def test_p_value_from_another_trial_is_flagged(trials):
    # The p-value of another trial of the same design (deaths left out, so the CI is the
    # evidence). Two independent trials' z statistics differ by N(0, 2) (each has SD 1); the
    # check allows rounding plus 10% of z plus 0.1, about 0.35 to 0.6 here, which N(0, 2)
    # exceeds with probability 2 * Phi(-0.5 / sqrt(2)) ~ 0.72. In the design without an effect
    # both |z| are folded near 0 and disagree less often, so the expected rate is about 0.7
    # (measured 336 of 500 = 0.67). We require 0.60: four binomial SEs (sqrt(0.67 x 0.33 /
    # 500) = 0.021) below the measured rate, so only a real loss of sensitivity fails.
    hits = 0
    for i, a in enumerate(trials):
        other = trials[(i + len(DESIGNS)) % N_TRIALS]  # the next trial of the same design
        report = paper(a, p_text=format_p(other.logrank_p))
        del report["deaths"]
        hits += flagged(report)
    assert hits >= 0.60 * N_TRIALS


@pytest.mark.slow
def test_reports_without_a_ci_and_the_misreading_rule(trials):
    # Without a CI the only "inconsistent" verdict left is the misreading rule: the reported
    # reduction is exactly the whole percentage by which the median is longer (the case study's
    # 38%). An honest trial with a rising hazard (Weibull shape near 1.5) can show the same
    # pattern, which is why that verdict says "under constant hazards" and gives the shape that
    # reconciles them. Measured: 9 of 500 honest reports (1.8%); we pin it below 3%.
    flagged_topics = collections.Counter()
    for a in trials:
        report = paper(a)
        del report["hr_ci"]
        for check in check_claims(simulate=False, **report).problems:
            flagged_topics[check.topic] += 1
            assert "Under constant hazards these disagree" in check.sentence
    assert set(flagged_topics) <= {"hazard ratio vs medians"}
    assert sum(flagged_topics.values()) <= 0.03 * N_TRIALS
