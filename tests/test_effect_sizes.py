"""effect_sizes: true values equal closed forms; estimated intervals cover the truth as often as promised."""

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from scipy import special

import edu_survival as es

LN2 = math.log(2)


def _weibull_survival(t, median, shape):
    return math.exp(-LN2 * (t / median) ** shape)


def _weibull_rmst(horizon, median, shape):
    # int_0^h exp(-(t/s)^k) dt = s * Gamma(1 + 1/k) * P(1/k, (h/s)^k), with s = median / ln2^(1/k)
    scale = median / LN2 ** (1 / shape)
    return scale * math.gamma(1 + 1 / shape) * special.gammainc(1 / shape, (horizon / scale) ** shape)


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(es.LAPATINIB, id="story medians, exponential"),
        pytest.param(es.Scenario.from_hr(17.3, 0.62), id="HR 0.62 applied to control"),
        pytest.param(es.Scenario(median_control=17.3, median_treatment=23.9, shape=1.48), id="Weibull 1.48"),
    ],
)
def test_scenario_values_are_the_closed_forms(scenario):
    at, horizon = 24, 36
    t = es.effect_sizes(scenario, at=at, horizon=horizon).table["estimate"]
    k, m_c, m_t = scenario.shape, scenario.median_control, scenario.median_treatment
    r_c = 1 - _weibull_survival(at, m_c, k)
    r_t = 1 - _weibull_survival(at, m_t, k)
    hr = (m_c / m_t) ** k
    rm_c, rm_t = _weibull_rmst(horizon, m_c, k), _weibull_rmst(horizon, m_t, k)
    expected = {
        "hazard ratio": hr,
        "% lower hazard": 100 * (1 - hr),
        "ratio of medians": m_t / m_c,
        "% longer median": 100 * (m_t / m_c - 1),
        "risk of death by month 24, control": r_c,
        "risk of death by month 24, treatment": r_t,
        "risk difference by month 24": r_t - r_c,
        "risk ratio by month 24": r_t / r_c,
        "% lower risk of dying by month 24": 100 * (1 - r_t / r_c),
        "deaths per 100 by month 24, control": 100 * r_c,
        "deaths per 100 by month 24, treatment": 100 * r_t,
        "fewer deaths per 100 by month 24": 100 * (r_c - r_t),
        "number needed to treat by month 24": 1 / (r_c - r_t),
        "RMST to month 36, control": rm_c,
        "RMST to month 36, treatment": rm_t,
        "RMST difference to month 36": rm_t - rm_c,
    }
    assert list(t.index) == list(expected)
    for name, value in expected.items():
        assert t[name] == pytest.approx(value, rel=1e-9), name


def test_the_story_question_38_percent_lower_hazard_in_deaths_per_100():
    """HR 0.62 applied to the control arm: about 62 vs 45 deaths per 100 by 24 months."""
    sizes = es.effect_sizes(es.Scenario.from_hr(17.3, 0.62))
    words = sizes.table.loc["fewer deaths per 100 by month 24", "in plain words"]
    # Independently: exponential control, S_c(24) = 2^(-24/17.3); S_t = S_c^0.62 (PH).
    s_c = 2 ** (-24 / 17.3)
    r_c, r_t = 100 * (1 - s_c), 100 * (1 - s_c**0.62)
    assert f"{r_c:.1f} vs {r_t:.1f} deaths per 100" in words  # 61.8 vs 44.9 (FACTS: about 62 vs 45)
    assert f"{r_c - r_t:.1f} fewer per 100" in words
    assert "38% lower hazard" in sizes.table.loc["% lower hazard", "in plain words"]
    # the risk by 24 months falls by much less than the hazard: say so
    lower_risk = sizes.table.loc["% lower risk of dying by month 24"]
    assert lower_risk["estimate"] < 38
    assert f"{lower_risk['estimate']:.0f}% lower risk of dying by month 24" in lower_risk["in plain words"]
    nnt = sizes.table.loc["number needed to treat by month 24"]
    assert f"Treat {math.ceil(nnt['estimate'])} patients" in nnt["in plain words"]


def test_caption_in_attrs_html_and_text():
    sizes = es.effect_sizes(es.LAPATINIB)
    assert "not patient data" in sizes.table.attrs["caption"]
    html = sizes._repr_html_()
    assert "<caption>" in html and "not patient data" in html and "hazard ratio" in html
    assert str(sizes).startswith(sizes.caption)
    estimated = es.effect_sizes(es.analyze(es.simulate(es.LAPATINIB, seed=2)))
    assert "95% confidence intervals" in estimated.caption and "not patient data" in estimated.caption
    real = es.analyze(es.teaching.load_lung(), event="status", group="sex", control=1)
    assert "not patient data" not in es.effect_sizes(real, at=365).caption


def test_analysis_estimates_are_kaplan_meier_and_cox():
    data = es.simulate(es.LAPATINIB, seed=3)
    a = es.analyze(data)
    t = es.effect_sizes(a, at=24, horizon=36).table
    assert tuple(t.loc["hazard ratio", ["estimate", "lower", "upper"]]) == pytest.approx((a.hr, *a.hr_ci))
    for arm in a.arms:
        rows = data[data.arm == arm]
        kmf = KaplanMeierFitter().fit(rows.time, rows.event)
        risk = t.loc[f"risk of death by month 24, {arm}"]
        assert risk["estimate"] == pytest.approx(1 - kmf.predict(24), abs=1e-12)
        ci = kmf.confidence_interval_survival_function_
        row = ci[ci.index <= 24].iloc[-1]
        assert (risk["lower"], risk["upper"]) == pytest.approx((1 - row.iloc[1], 1 - row.iloc[0]), abs=1e-10)


def test_nnt_interval_when_the_difference_is_not_clear():
    crossing = es.teaching.crossing_trial(seed=0)
    t = es.effect_sizes(crossing, at=24).table
    rd = t.loc["risk difference by month 24"]
    assert rd["lower"] < 0 < rd["upper"]
    nnt = t.filter(like="number needed", axis=0).iloc[0]
    assert math.isnan(nnt["lower"]) and "spans no difference" in nnt["in plain words"]


def test_calibration_intervals_cover_the_truth():
    """Each interval should cover the scenario's true value in about 95% of trials.

    With N = 1000 seeded trials the share covering is binomial: its Monte Carlo standard error
    at 95% is sqrt(0.95 * 0.05 / 1000) = 0.0069, so a correct interval lands within
    3 SE = 0.021 of 0.95 (a false alarm about 3 times in 1000 per measure). The intervals are
    large-sample ones (Wald, delta method, Greenwood); with about 230 deaths per trial their
    coverage should not be visibly off, and this test would show it if it were.
    """
    scenario, n_trials, at, horizon = es.LAPATINIB, 1000, 24, 36
    truth = es.effect_sizes(scenario, at=at, horizon=horizon).table["estimate"]
    names = [
        "hazard ratio",
        "risk of death by month 24, control",
        "risk of death by month 24, treatment",
        "risk difference by month 24",
        "risk ratio by month 24",
        "RMST to month 36, control",
        "RMST to month 36, treatment",
        "RMST difference to month 36",
    ]
    covered = {name: 0 for name in names}
    rng = np.random.default_rng(20261128)
    for _ in range(n_trials):
        a = es.analyze(es.simulate(scenario, seed=int(rng.integers(2**31))), engine="numpy", rmst_horizon=horizon)
        t = es.effect_sizes(a, at=at, horizon=horizon).table
        for name in names:
            covered[name] += bool(t.loc[name, "lower"] <= truth[name] <= t.loc[name, "upper"])
    se = math.sqrt(0.95 * 0.05 / n_trials)
    for name in names:
        share = covered[name] / n_trials
        assert abs(share - 0.95) < 3 * se, f"{name}: {share:.3f} of intervals cover the truth"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"source": "LAPATINIB"}, "source must be"),
        ({"source": es.LAPATINIB, "at": -1}, "at must be"),
        ({"source": es.LAPATINIB, "at": "24"}, "at must be"),
        ({"source": es.LAPATINIB, "horizon": 0}, "horizon must be"),
    ],
)
def test_errors_name_the_parameter(kwargs, words):
    with pytest.raises(ValueError, match=words):
        es.effect_sizes(**kwargs)


def test_errors_for_an_analysis_give_the_allowed_range():
    a = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    with pytest.raises(ValueError, match=r"at must be > 0 and at most .* longest follow-up\); got 100"):
        es.effect_sizes(a, at=100)
    with pytest.raises(ValueError, match="horizon must be"):
        es.effect_sizes(a, horizon=1000)


def test_no_deaths_yet_gives_words_not_nan():
    import pandas as pd

    df = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "event": [0, 0, 0, 1, 1, 0], "arm": ["control"] * 3 + ["treatment"] * 3})
    words = es.effect_sizes(es.analyze(df, unit="months"), at=2.5, horizon=3).table["in plain words"]
    assert not any("nan" in w for w in words)
    assert "undefined" in words["hazard ratio"].lower()
    assert words["number needed to treat by month 2.5"].startswith("No difference")


def test_deaths_per_100_sentence_agrees_with_itself():
    """Whole numbers once printed "About 62 vs 52 deaths per 100 ...: 11 fewer per 100" (62.5,
    51.6, 10.9): the counts and their difference must be given to the same decimal as the CI."""
    analysis = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    words = es.effect_sizes(analysis).table.loc["fewer deaths per 100 by month 24", "in plain words"]
    # the risks by month 24 straight from lifelines' Kaplan–Meier, not from effect_sizes
    risk = {}
    for arm, part in analysis.data.groupby("arm"):
        km = KaplanMeierFitter().fit(part["time"], part["event"])
        risk[arm] = 100 * (1 - float(km.predict(24.0)))
    assert words.startswith(f"{risk['control']:.1f} vs {risk['treatment']:.1f} deaths per 100")
    assert f": {risk['control'] - risk['treatment']:.1f} fewer per 100 (95% CI" in words
    rd = es.effect_sizes(analysis).table.loc["risk difference by month 24", "in plain words"]
    assert f"{risk['treatment'] - risk['control']:+.1f} percentage points (95% CI" in rd


@pytest.mark.parametrize(("hr", "article"), [(0.82, "An 18%"), (0.92, "An 8%"), (0.89, "An 11%"),
                                             (0.2, "An 80%"), (0.8, "A 20%"), (0.62, "A 38%")])
def test_article_before_a_percentage(hr, article):
    """ "A 18% lower hazard" is wrong English: 18, 8, 11 and 80-89 take "an"."""
    words = es.effect_sizes(es.Scenario.from_hr(17.3, hr)).table.loc["% lower hazard", "in plain words"]
    assert words.startswith(f"{article} lower hazard")
    assert f"not {article[0].lower()}{article[1:]} lower risk" in words


def test_higher_and_more_take_the_interval_of_the_increase():
    """With the treatment as reference the hazard ratio is above 1. The words used to say "A 26%
    higher hazard (95% CI -63 to 3)" (the interval of the *reduction*) and "-10.9 fewer per 100";
    an increase takes the interval of the increase, and "more" replaces a negative "fewer"."""
    from lifelines import CoxPHFitter

    data = es.simulate(es.LAPATINIB, seed=1)
    sizes = es.effect_sizes(es.analyze(data, control="treatment")).table
    frame = data.assign(x=(data["arm"] == "control").astype(float))[["time", "event", "x"]]
    cox = CoxPHFitter().fit(frame, "time", "event")  # control vs treatment, independently
    hr = float(np.exp(cox.params_["x"]))
    lo, hi = (float(v) for v in np.exp(cox.confidence_intervals_.loc["x"]))
    assert hr > 1
    words = sizes.loc["% lower hazard", "in plain words"]
    assert words.startswith(f"A {100 * (hr - 1):.0f}% higher hazard (death rate among those still alive) "
                            f"(95% CI {100 * (lo - 1):.0f} to {100 * (hi - 1):.0f})")
    risk = {arm: 100 * (1 - float(KaplanMeierFitter().fit(p["time"], p["event"]).predict(24.0)))
            for arm, p in data.groupby("arm")}
    more = sizes.loc["fewer deaths per 100 by month 24", "in plain words"]
    assert more.startswith(f"{risk['treatment']:.1f} vs {risk['control']:.1f} deaths per 100 patients by "
                           f"month 24: {risk['control'] - risk['treatment']:.1f} more per 100 (95% CI 0.")
    row = sizes.loc["% lower risk of dying by month 24"]
    assert row["estimate"] < 0 and "higher risk of dying by month 24" in row["in plain words"]
    assert f"(95% CI {-row['upper']:.0f} to {-row['lower']:.0f})" in row["in plain words"]


def test_times_in_days_are_not_called_months():
    """lung by sex is in days: the rows said "risk of death by month 365" and "RMST to month 965"."""
    from lifelines.datasets import load_lung

    lung = load_lung()
    a = es.analyze(lung, duration="time", event="status", group="sex", control=1, unit="days")
    table = es.effect_sizes(a, at=365).table
    assert not any("month" in name for name in table.index)
    assert "risk of death by day 365, 1" in table.index
    last = min(lung.loc[lung["sex"] == s, "time"].max() for s in (1, 2))  # default RMST horizon
    assert f"RMST difference to day {last:g}" in table.index
    assert "month" not in " ".join(table["in plain words"])
