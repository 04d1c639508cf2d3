"""Checking proportional hazards: the PH test, the hazard ratio by period, weighted log-rank tests."""

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.datasets import load_lung
from lifelines.statistics import logrank_test, proportional_hazard_test
from scipy import stats

import edu_survival as es

# R's survival package, tests/zph.Rout.save: a 6-patient data set (the row with a missing status
# dropped) whose Cox fit and score statistics R's authors solved in closed form.
ZPH_TEST1 = pd.DataFrame({"time": [9.0, 1, 1, 6, 6, 8], "event": [1, 1, 0, 1, 1, 0], "arm": [0, 1, 1, 1, 0, 0]})


def _zph_test1_efron():
    """The published closed forms (Efron ties): MLE r = exp(beta), per-death score U and information."""
    phi = math.acos((45 / 23) * math.sqrt(3 / 23))
    r = 2 * math.sqrt(23 / 3) * math.cos(phi / 3)
    score = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 5), 0])
    info = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 5 * r / (r + 5) ** 2, 0])
    death_times = np.array([1.0, 6, 6, 9])
    return r, score, info, death_times


@pytest.mark.parametrize("transform", ["log", "identity"])
def test_ph_test_is_grambsch_therneau_on_r_test_data(transform):
    """lifelines' test is Grambsch and Therneau's (1994) approximation, the one cox.zph used
    before survival 3.0: T = d * var(beta) * (sum (g_k - mean g) U_k)^2 / sum (g_k - mean g)^2,
    with U_k the Schoenfeld residuals, d the deaths and g the transformed death times. Computed
    here from R's published closed forms."""
    r, score, info, death_times = _zph_test1_efron()
    result = es.analyze(ZPH_TEST1)
    assert math.log(result.hr) == pytest.approx(math.log(r), abs=1e-8)
    g = np.log(death_times) if transform == "log" else death_times
    c = g - g.mean()
    expected = len(death_times) / info.sum() * (c @ score) ** 2 / (c @ c)
    test = result.ph_test(transform=transform, method="approximate")
    assert test.statistic == pytest.approx(expected, rel=1e-8)
    assert test.transform == transform and f"transform={transform!r}" in test.sentence


def test_ph_test_approximate_differs_from_r_3_exact_score_test():
    """Since survival 3.0, R's cox.zph computes the exact score test; on R's own test data
    (tests/zph.Rout.save, Efron ties, log transform) that is u' I^-1 u = 0.2387, while the
    Grambsch-Therneau approximation lifelines implements (method="approximate") gives 0.180.
    Pinned so that a change in lifelines is noticed."""
    r, score, info, death_times = _zph_test1_efron()
    g = np.log(death_times) - np.log(death_times).mean()
    u = np.array([score.sum(), (g * score).sum()])
    i = np.array([[info.sum(), (g * info).sum()], [(g * info).sum(), (g**2 * info).sum()]])
    r_exact = float(np.linalg.solve(i, u) @ u)
    assert r_exact == pytest.approx(0.2387, abs=5e-5)
    ours = es.analyze(ZPH_TEST1).ph_test(transform="log", method="approximate").statistic
    assert abs(ours - r_exact) > 0.05


@pytest.mark.slow
def test_ph_test_rejects_at_the_nominal_rate_under_proportional_hazards():
    """The story's scenario has proportional hazards, so p < 0.05 should happen in about 5% of
    trials. With N = 200 seeded trials the rejection share has Monte Carlo SE
    sqrt(0.05 * 0.95 / 200) = 0.0154; we accept 0.05 +- 3 SE (0.004 to 0.096)."""
    n_trials = 200
    rng = np.random.default_rng(101)
    rejected = sum(
        es.analyze(es.simulate(es.LAPATINIB, seed=int(rng.integers(2**31))), engine="numpy").ph_test().p < 0.05
        for _ in range(n_trials)
    )
    se = math.sqrt(0.05 * 0.95 / n_trials)
    assert abs(rejected / n_trials - 0.05) < 3 * se, rejected


@pytest.mark.slow
def test_ph_test_flags_crossing_hazards():
    """With crossing hazards (treatment raises the hazard 2.5-fold for 4 months, then lowers it to
    0.55) the test should reject in most trials. In a pilot run it rejected in 40 of 40. If its
    true rate were as low as 0.8, the share in N = 50 trials would fall to 0.5 or below with
    probability under 1e-5 (binomial tail), so "more than half" is a safe and meaningful bar."""
    n_trials = 50
    rng = np.random.default_rng(102)
    scenario = es.teaching.crossing_scenario()
    rejected = sum(
        es.analyze(es.simulate(scenario, seed=int(rng.integers(2**31))), engine="numpy").ph_test().p < 0.05
        for _ in range(n_trials)
    )
    assert rejected / n_trials > 0.5, rejected


def test_hr_by_period_equals_the_two_separate_fits():
    """With arm x period and a common baseline hazard, the partial likelihood factorises into the
    deaths before the cut (everyone censored at it) and those after (patients left-truncated at
    it), so the model's two HRs equal two separate Cox fits."""
    data = es.teaching.simulate_crossing(seed=3)
    cut = 4.0
    by_period = es.analyze(data).hr_by_period(cut)
    frame = pd.DataFrame({"time": data.time, "event": data.event, "x": (data.arm == "treatment") * 1.0})
    early = frame.assign(event=np.where(frame.time <= cut, frame.event, 0), time=np.minimum(frame.time, cut))
    late = frame[frame.time > cut].assign(entry=cut)
    opts = {"precision": 1e-20, "r_precision": 0}  # to the maximum
    hr_early = math.exp(CoxPHFitter().fit(early, "time", "event", fit_options=opts).params_["x"])
    hr_late = math.exp(CoxPHFitter().fit(late, "time", "event", entry_col="entry", fit_options=opts).params_["x"])
    assert by_period.table["hr"].tolist() == pytest.approx([hr_early, hr_late], rel=1e-6)
    assert by_period.table["deaths"].sum() == data.event.sum()
    assert f"{hr_early:.2f}" in by_period.sentence and "first 4 months" in by_period.sentence
    assert "not patient data" in by_period.table.attrs["caption"]
    assert "<caption>" in by_period._repr_html_()


@pytest.mark.parametrize("cut", [0, -1, 1000, "4"])
def test_hr_by_period_rejects_a_bad_cut(cut):
    with pytest.raises(ValueError, match="cut"):
        es.analyze(es.simulate(es.LAPATINIB, seed=1)).hr_by_period(cut)


@pytest.mark.parametrize(
    ("weighting", "kwargs"),
    [
        (None, {}),
        ("fleming-harrington", {"p": 0, "q": 1}),
        ("fleming-harrington", {"p": 1, "q": 0}),
        ("fleming-harrington", {"p": 0.5, "q": 0.5}),
        ("wilcoxon", {}),
        ("tarone-ware", {}),
        ("peto", {}),
    ],
)
def test_weighted_logrank_agrees_with_lifelines(weighting, kwargs):
    lung = load_lung()
    for df, opts in (
        (es.teaching.simulate_crossing(seed=5), {}),
        (lung, {"event": "status", "group": "sex", "control": 1}),
    ):
        event, group = opts.get("event", "event"), opts.get("group", "arm")
        a = es.analyze(df, **opts)
        ref = df[df[group] == a.reference]
        oth = df[df[group] == a.other]
        extra = {"weightings": weighting, **kwargs} if weighting else {}
        expected = logrank_test(ref.time, oth.time, ref[event], oth[event], **extra)
        result = a.logrank(weighting, **kwargs)
        assert result.statistic == pytest.approx(expected.test_statistic, abs=1e-10)
        assert result.p == pytest.approx(expected.p_value, abs=1e-10)
        if weighting is None:
            assert result.statistic == pytest.approx(a.logrank_chi2, abs=1e-10)


def test_weighted_logrank_sentences_and_errors():
    a = es.teaching.crossing_trial(seed=0)
    late = a.logrank("fleming-harrington", p=0, q=1)
    assert "p=0, q=1" in late.sentence and "later deaths count more" in late.sentence
    assert es.analyze(es.simulate(es.LAPATINIB, seed=1)).logrank().sentence.startswith("Log-rank test")
    with pytest.raises(ValueError, match="weighting"):
        a.logrank("FH")
    with pytest.raises(ValueError, match="q must be"):
        a.logrank("fleming-harrington", q=-1)
    with pytest.raises(ValueError, match="transform"):
        a.ph_test("square")


# ----- the exact test (R's cox.zph since survival 3.0) -----------------------------------------
def test_ph_test_exact_is_r_3_score_test_on_r_test_data():
    """R's tests/zph.Rout.save checks cox.zph against u' I^-1 u from the closed forms (Efron ties,
    log transform): 0.2387, the figure issue 19 quotes. The exact test is the default."""
    r, score, info, death_times = _zph_test1_efron()
    for transform, g in (("log", np.log(death_times)), ("identity", death_times)):
        g = g - g.mean()
        u = np.array([score.sum(), (g * score).sum()])
        i = np.array([[info.sum(), (g * info).sum()], [(g * info).sum(), (g**2 * info).sum()]])
        expected = float(np.linalg.solve(i, u) @ u)
        test = es.analyze(ZPH_TEST1).ph_test(transform=transform)
        assert test.method == "exact"
        assert test.statistic == pytest.approx(expected, rel=1e-10)
        assert test.p == pytest.approx(stats.chi2.sf(expected, 1), rel=1e-10)
    assert expected == pytest.approx(0.2387, abs=5e-5)
    assert "as R's cox.zph since survival 3.0" in test.sentence


def _brute_force_zph(time, event, x, beta, g_of):
    """cox.zph's score test written out: at each death time, Efron's sums over the risk set for
    the covariates (x, x g(t)); u' I^-1 u at (beta, 0). Plain loops, independent of the package."""
    u, info = np.zeros(2), np.zeros((2, 2))
    for t in np.unique(time[event == 1]):
        at_risk, dies = time >= t, (time == t) & (event == 1)
        z = np.column_stack([x, x * g_of(t)])
        w = np.exp(beta * x)
        d = int(dies.sum())
        u += z[dies].sum(axis=0)
        for j in range(d):
            ww = w * (at_risk - j / d * dies)
            s0, s1 = ww.sum(), ww @ z
            s2 = (z * ww[:, None]).T @ z
            u -= s1 / s0
            info += s2 / s0 - np.outer(s1, s1) / s0**2
    return float(np.linalg.solve(info, u) @ u)


@pytest.mark.parametrize("transform", ["rank", "km", "identity", "log"])
@pytest.mark.parametrize("case", ["lung by sex", "crossing, tied months"])
def test_ph_test_exact_equals_the_score_test_written_out(case, transform):
    from lifelines import KaplanMeierFitter
    from scipy.stats import rankdata

    if case == "lung by sex":
        df = load_lung().rename(columns={"status": "event"}).assign(arm=lambda d: d.sex.map({1: "control", 2: "treatment"}))
    else:
        df = es.teaching.simulate_crossing(seed=3).assign(time=lambda d: d.time.round() + 1)
    a = es.analyze(df[["time", "event", "arm"]])
    time, event = df.time.to_numpy(float), df.event.to_numpy()
    x = (df.arm == "treatment").to_numpy(float)
    cph = CoxPHFitter().fit(pd.DataFrame({"t": time, "e": event, "x": x}), "t", "e",
                            fit_options={"precision": 1e-20, "r_precision": 0})
    kmf = KaplanMeierFitter().fit(time, event)
    sf = kmf.survival_function_.iloc[:, 0]
    ranks = rankdata(time)
    g_of = {
        "identity": lambda t: t,
        "log": math.log,
        "rank": lambda t: ranks[time == t][0],
        "km": lambda t: 1 - sf[sf.index < t].iloc[-1],  # the curve just before t
    }[transform]
    expected = _brute_force_zph(time, event, x, float(cph.params_["x"]), g_of)
    assert a.ph_test(transform).statistic == pytest.approx(expected, rel=1e-9)


def test_ph_test_approximate_is_still_lifelines():
    a = es.analyze(load_lung(), event="status", group="sex", control=1)
    ours = a.ph_test("km", method="approximate")
    frame = a._frame()
    cph = CoxPHFitter().fit(frame, "time", "event", fit_options={"precision": 1e-20, "r_precision": 0})
    expected = proportional_hazard_test(cph, frame, time_transform="km")
    assert ours.statistic == pytest.approx(float(np.ravel(expected.test_statistic)[0]), rel=1e-8)
    assert ours.method == "approximate" and "Grambsch and Therneau's approximation" in ours.sentence
    with pytest.raises(ValueError, match="method must be one of"):
        a.ph_test(method="R")


# ----- hr_by_period against lifelines' time-varying Cox model ---------------------------------
@pytest.mark.parametrize(("case", "cut"), [("crossing", 4.0), ("lung", 300.0), ("rossi, tied weeks", 20.0)])
def test_hr_by_period_equals_lifelines_time_varying_fit(case, cut):
    from lifelines import CoxTimeVaryingFitter
    from lifelines.datasets import load_rossi

    if case == "crossing":
        df = es.teaching.simulate_crossing(seed=3)
    elif case == "lung":
        df = load_lung().rename(columns={"status": "event"}).assign(arm=lambda d: d.sex.map({1: "control", 2: "treatment"}))
    else:
        df = load_rossi().rename(columns={"week": "time", "arrest": "event"}).assign(
            arm=lambda d: d.fin.map({0: "control", 1: "treatment"}))
    df = df[["time", "event", "arm"]].astype({"time": float})
    result = es.analyze(df).hr_by_period(cut)
    x = (df.arm == "treatment").to_numpy(float)
    early = pd.DataFrame({"id": np.arange(len(df)), "start": 0.0, "stop": np.minimum(df.time, cut),
                          "event": np.where(df.time <= cut, df.event, 0), "before": x, "after": 0.0})
    keep = (df.time > cut).to_numpy()
    late = pd.DataFrame({"id": np.arange(len(df))[keep], "start": cut, "stop": df.time[keep],
                         "event": df.event[keep], "before": 0.0, "after": x[keep]})
    ctv = CoxTimeVaryingFitter().fit(pd.concat([early, late], ignore_index=True), id_col="id", event_col="event",
                                     start_col="start", stop_col="stop", fit_options={"precision": 1e-14})
    for row, covariate in zip(result.table.itertuples(), ("before", "after"), strict=True):
        assert math.log(row.hr) == pytest.approx(ctv.params_[covariate], abs=1e-8)
        se = (math.log(row.upper) - math.log(row.lower)) / (2 * stats.norm.ppf(0.975))
        assert se == pytest.approx(ctv.standard_errors_[covariate], rel=1e-7)
        assert row.p == pytest.approx(ctv.summary.loc[covariate, "p"], rel=1e-6)
