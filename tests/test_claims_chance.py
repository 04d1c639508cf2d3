"""The chance share of a medians-vs-HR gap: the vectorised simulation against a direct one, its
normal approximation against the simulation, km_medians_many against lifelines, chance_gaps.

Tolerances are Monte Carlo errors: a share p estimated from N trials has SE sqrt(p(1-p)/N);
two independent estimates differ by at most 3 x sqrt(SE1^2 + SE2^2) unless something is wrong.
"""

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from scipy import stats

import edu_survival as es
from edu_survival.claims import chance, chance_gaps, check_claims
from edu_survival.montecarlo import km_medians_many


# ----- km_medians_many against lifelines ---------------------------------------------------------
def test_km_medians_match_lifelines_and_an_exact_count():
    # Continuous times: lifelines' median exactly (to 1e-10).
    time, event, treated = es.simulate_many(es.LAPATINIB.replace(n=60, follow_up=6), 30, seed=4)
    control, treatment = km_medians_many(time, event, treated)
    for i in range(len(time)):
        for arm, got in ((~treated, control[i]), (treated, treatment[i])):
            ref = KaplanMeierFitter().fit(time[i, arm], event[i, arm]).median_survival_time_
            assert got == ref if math.isinf(ref) else abs(got - ref) <= 1e-10 * ref
    assert np.isinf(control).any() or np.isinf(treatment).any()  # some medians not reached


def test_km_medians_with_tied_times_are_the_exact_first_time_at_or_below_half():
    # Whole months: many ties, and curves landing exactly on 0.5, where a floating-point product
    # (lifelines' among them) may fall either side; the reference counts in exact fractions.
    from fractions import Fraction

    def exact_median(t, e):
        survival = Fraction(1)
        for u in sorted(set(t)):
            at_risk, dead = int(np.sum(t >= u)), int(np.sum(e & (t == u)))
            survival *= Fraction(at_risk - dead, at_risk)
            if dead and survival <= Fraction(1, 2):
                return u
        return math.inf

    rng = np.random.default_rng(11)
    n = 40
    time = np.round(rng.exponential(10, size=(30, n)), 0)  # whole months: many tied times
    event = rng.random((30, n)) < 0.7
    time[-1], event[-1] = rng.exponential(10, size=n), False  # no deaths: not reached
    event[-2, : n // 2] = True
    event[-2, n // 2 :] = False  # a curve that stops above 0.5 in one arm, perhaps
    treated = np.arange(n) >= n // 2
    control, treatment = km_medians_many(time, event, treated)
    for i in range(len(time)):
        for arm, got in ((~treated, control[i]), (treated, treatment[i])):
            assert got == exact_median(time[i, arm], event[i, arm])
    one = km_medians_many(time[0], event[0], treated)
    assert one == (control[0], treatment[0])
    with pytest.raises(ValueError, match="treated must have shape"):
        km_medians_many(time, event, np.tile(treated, (30, 1)))


# ----- the vectorised simulation against a direct one ----------------------------------------
def _cox_log_hr(time, event, treated):
    """Maximum partial likelihood ln HR for one trial without ties (Newton, plain numpy)."""
    order = np.argsort(time)
    d, g = event[order], treated[order].astype(float)
    at_risk_t = np.cumsum(g[::-1])[::-1]
    at_risk_c = np.cumsum((1 - g)[::-1])[::-1]
    beta = 0.0
    for _ in range(50):
        share = at_risk_t * math.exp(beta) / (at_risk_t * math.exp(beta) + at_risk_c)
        score = np.sum(d * (g - share))
        info = np.sum(d * share * (1 - share))
        step = score / info
        beta += step
        if abs(step) < 1e-10:
            return beta
    raise AssertionError("Newton did not converge")


def _km_median(time, event):
    """Kaplan-Meier median of one arm, step by step (deaths before censorings at a tied time)."""
    survival, at_risk = 1.0, len(time)
    for t, dead in sorted(zip(time, ~event, strict=True)):  # ~event: False (a death) sorts first
        if not dead:
            survival *= 1 - 1 / at_risk
            if survival <= 0.5 + 1e-12:
                return t
        at_risk -= 1
    return math.inf


def _direct_share(n, mc, mt, allocation, accrual, follow_up, dropout, gap, n_trials, seed):
    """The share of trials with a gap of at least ``gap``: one trial at a time, written apart
    from the package (its own draws, Kaplan-Meier and Cox fit)."""
    rng = np.random.default_rng(seed)
    n_t = int(math.floor(n * allocation + 0.5))
    treated = np.arange(n) >= n - n_t
    rate = np.where(treated, math.log(2) / mt, math.log(2) / mc)
    lost_rate = -math.log1p(-dropout) / 12
    hits = used = 0
    for _ in range(n_trials):
        death = rng.exponential(1 / rate)
        lost = rng.exponential(1 / lost_rate, size=n) if dropout else np.full(n, np.inf)
        censor = np.minimum(accrual + follow_up - rng.uniform(0, accrual, size=n), lost)
        event, time = death <= censor, np.minimum(death, censor)
        m_c, m_t = _km_median(time[~treated], event[~treated]), _km_median(time[treated], event[treated])
        if not (math.isfinite(m_c) and math.isfinite(m_t)):
            continue
        used += 1
        hits += abs(_cox_log_hr(time, event, treated) - math.log(m_c / m_t)) >= gap
    return hits / used, used


@pytest.mark.slow
@pytest.mark.parametrize(("report", "design"), [
    # the story, with check_claims' assumed design (24 + 24 months, 1:1)
    ({"n": 321, "median_control": 17.3, "median_treatment": 23.9, "hr": 0.62}, (0.5, 24, 24, 0.0)),
    # a small 2:1 trial with short follow-up, stated by the report
    ({"n": 120, "median_control": 8, "median_treatment": 12, "hr": 0.50, "allocation": "2:1",
      "accrual": 12, "follow_up": 12, "dropout": 0.0}, (2 / 3, 12, 12, 0.0)),
    # a larger trial with loss to follow-up
    ({"n": 600, "median_control": 10, "median_treatment": 12.5, "hr": 0.72, "accrual": 18,
      "follow_up": 12, "dropout": 0.1}, (0.5, 18, 12, 0.1)),
])
def test_chance_share_matches_a_direct_simulation(report, design):
    check = check_claims(**report).find("hazard ratio vs medians")
    share, trials = check.values["chance_share"], check.values["chance_trials"]
    se = math.sqrt(share * (1 - share) / trials)
    allocation, accrual, follow_up, dropout = design
    direct, used = _direct_share(report["n"], report["median_control"], report["median_treatment"],
                                 allocation, accrual, follow_up, dropout, check.values["gap"], 1500, seed=99)
    se_direct = math.sqrt(direct * (1 - direct) / used)
    assert abs(share - direct) <= 3 * math.hypot(se, se_direct), (share, direct)


# ----- the normal approximation against the simulation ---------------------------------------
GRID = [  # (n, control median, HR, allocation, accrual, follow-up); medians before follow-up ends
    (300, 6, 0.2, 0.5, 24, 36),
    (321, 17.3, 0.724, 0.5, 24, 24),
    (600, 10, 1.0, 2 / 3, 24, 24),
    (1000, 12, 0.5, 0.5, 36, 24),
    (3000, 10, 0.9, 2 / 3, 24, 24),
]
HARDER = [  # small trials (40 to 200 patients), and medians in the censored stretch of follow-up
    (40, 6, 0.2, 0.5, 36, 24), (40, 10, 1.0, 0.5, 12, 6), (80, 6, 0.5, 2 / 3, 24, 24),
    (100, 15, 0.85, 0.5, 24, 12), (200, 3, 1.0, 2 / 3, 24, 12), (300, 6, 0.2, 0.5, 24, 12),
]


def _shares_at_the_approximations_points(n, mc, hr, allocation, accrual, follow_up, trials):
    """For the gaps the approximation gives shares of 20%, 5% and 1%: the simulated shares."""
    scenario = es.Scenario(n=n, median_control=mc, median_treatment=mc / hr, allocation=allocation,
                           accrual=accrual, follow_up=follow_up)
    sd, df = chance.gap_sd(scenario), chance.tail_df(scenario)
    gaps = chance.simulated_gaps(scenario, trials, seed=5)
    for target in (0.20, 0.05, 0.01):
        gap = sd * stats.t.isf(target / 2, df)
        assert chance.approximate_share(scenario, gap) == pytest.approx(target)
        yield target, float(np.mean(gaps >= gap)), math.sqrt(target * (1 - target) / len(gaps))


@pytest.mark.slow
@pytest.mark.parametrize("design", GRID)
def test_approximation_matches_the_simulation_from_300_patients(design):
    trials = 2000 if design[0] <= 1000 else 1000
    for target, simulated, se in _shares_at_the_approximations_points(*design, trials):
        assert abs(simulated - target) <= 3 * se, (target, simulated)


@pytest.mark.slow
@pytest.mark.parametrize("design", HARDER)
def test_approximation_is_within_a_factor_of_2_5_in_harder_designs(design):
    # What approximate_share's docstring promises where the gap is far from normal (measured
    # worst: 2.5% where it says 1%, for 100 patients whose medians fall in the censored stretch).
    for target, simulated, se in _shares_at_the_approximations_points(*design, 2000):
        assert target / 2.5 - 3 * se <= simulated <= 2.5 * target + 3 * se, (target, simulated)


def test_normal_approximation_is_undefined_when_a_median_lies_beyond_follow_up():
    assert math.isnan(chance.gap_sd(es.Scenario(median_control=10, median_treatment=60, accrual=12, follow_up=12)))


def test_design_scaled_to_the_reported_deaths():
    base = es.LAPATINIB
    matched = chance.design_for_deaths(base, 150)
    assert es.expected_events(matched) == pytest.approx(150, rel=1e-8)
    assert matched.accrual / matched.follow_up == pytest.approx(base.accrual / base.follow_up)
    assert chance.design_for_deaths(base, 321) is None


def test_default_trials_bound_the_work():
    assert chance.default_trials(321) == 4000
    assert all(chance.default_trials(n) >= 2000 for n in (40, 500, 1000))
    assert chance.default_trials(3000) == 500 and chance.default_trials(5000) == 500


# ----- chance_gaps: the lesson's call --------------------------------------------------------
def test_chance_gaps_for_the_story_constant_and_rising_hazards():
    constant = chance_gaps(n=321, median_control=17.3, median_treatment=23.9, reported_hr=0.62,
                           n_trials=2000, seed=3)
    assert len(constant.gaps) == constant.n_trials - constant.n_undefined == 2000
    assert constant.reported_gap == pytest.approx(abs(math.log(0.62 / (17.3 / 23.9))))
    # share 9.1% (20,000 trials); SE with 2,000 trials 0.64%
    assert abs(constant.share - 0.091) < 3 * 0.0064
    assert constant.se == pytest.approx(math.sqrt(constant.share * (1 - constant.share) / 2000))
    assert constant.sentence.startswith("In 2,000 simulated trials of 321 patients with constant hazards")
    assert "the gap between ln HR and ln(median ratio) was at least the reported 0.155 in" in constant.sentence
    assert "Monte Carlo SE" in constant.sentence and str(constant) == constant.sentence
    rising = chance_gaps(n=321, median_control=17.3, median_treatment=23.9, reported_hr=0.62, shape=1.48,
                         n_trials=2000, seed=3)
    # with shape 1.48 the medians give HR 0.62 exactly: the story's gap is the expected one
    assert np.median(rising.gaps) == pytest.approx(constant.reported_gap, abs=0.03)
    assert 0.35 < rising.share < 0.65
    assert "a Weibull shape of 1.48 (a hazard that rises over time)" in rising.sentence
    again = chance_gaps(n=321, median_control=17.3, median_treatment=23.9, reported_hr=0.62,
                        n_trials=2000, seed=3)
    assert np.array_equal(again.gaps, constant.gaps)
    assert "<p>" in constant._repr_html_()


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"n": 3}, r"n must be a whole number >= 4"),
    ({"n": 10**6}, r"n must be at most 5,000 patients to simulate; got 1,000,000"),
    ({"median_control": 0}, "median_control must be > 0"),
    ({"reported_hr": -1}, "reported_hr must be > 0 and finite; got -1"),
    ({"shape": 50}, "shape must be between 0.1 and 10; got 50"),
    ({"n_trials": 10}, "n_trials must be a whole number >= 100; got 10"),
    ({"n_trials": 10**6}, "n_trials must be at most 100,000"),
    ({"seed": -1}, "seed must be None, a whole number >= 0"),
    ({"allocation": 1}, "allocation must be strictly between 0 and 1"),
])
def test_chance_gaps_bad_input(kwargs, words):
    args = {"n": 321, "median_control": 17.3, "median_treatment": 23.9, "reported_hr": 0.62, "n_trials": 200}
    with pytest.raises(ValueError, match=words):
        chance_gaps(**{**args, **kwargs})
