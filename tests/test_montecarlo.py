"""The vectorised engine agrees with lifelines, simulates the same model as simulate(), and
handles degenerate trials and bad input politely."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.statistics import logrank_test
from scipy import stats

import edu_survival as es
from edu_survival import montecarlo as mc

# lifelines' CoxPHFitter stops Newton-Raphson early by default (relative log-likelihood change
# < 1e-9 or Newton decrement < 1e-7), which leaves its hazard ratio up to ~3e-4 from the
# maximum in our trials. To compare the *estimator* we let it converge fully.
TIGHT = {"precision": 1e-16, "r_precision": 1e-16}


def _random_trial(rng, kind):
    """One small random trial: unbalanced arms, censoring, and (for some kinds) heavy ties."""
    n = int(rng.integers(20, 160))
    treated = rng.random(n) < rng.uniform(0.2, 0.8)
    treated[:2] = [False, True]  # both arms present
    death = rng.exponential(12.0, n) * np.where(treated, rng.uniform(0.6, 2.0), 1.0)
    censor = rng.uniform(0.0, 40.0, n)
    time = np.minimum(death, censor)
    event = death <= censor
    if kind == "months":
        time = np.round(time)  # whole months: many ties, some at 0
    elif kind == "quarters":
        time = np.ceil(time / 3.0) * 3.0  # heavy ties between deaths and censorings
    elif kind == "tenths":
        time = np.round(time, 1)
    return time, event, treated


def _lifelines_cox(time, event, treated):
    df = pd.DataFrame({"time": time, "event": event.astype(int), "treated": treated.astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = CoxPHFitter().fit(df, "time", "event", fit_options=TIGHT)
    row = fit.summary.loc["treated"]
    return row


@pytest.fixture(scope="module")
def random_trials():
    rng = np.random.default_rng(20240611)
    kinds = ["continuous", "months", "quarters", "tenths"]
    return [_random_trial(rng, kinds[i % 4]) for i in range(240)]


def test_logrank_matches_lifelines(random_trials):
    n_tied = 0
    for time, event, treated in random_trials:
        n_tied += len(np.unique(time)) < len(time)
        chi2, p = es.logrank_many(time, event, treated)
        ref = logrank_test(time[treated], time[~treated], event[treated], event[~treated])
        assert abs(p - ref.p_value) < 1e-10
        assert chi2 == pytest.approx(ref.test_statistic, rel=1e-9, abs=1e-12)
    assert n_tied >= 150  # the ties really were exercised


def test_cox_matches_lifelines(random_trials):
    compared = 0
    for time, event, treated in random_trials:
        fit = es.cox_many(time, event, treated)
        if not fit.converged:  # an infinite estimate; lifelines cannot give one (tested below)
            continue
        ref = _lifelines_cox(time, event, treated)
        assert abs(fit.hr - ref["exp(coef)"]) < 1e-6
        assert abs(fit.se - ref["se(coef)"]) < 1e-6
        assert abs(fit.lower - ref["exp(coef) lower 95%"]) < 1e-6
        assert abs(fit.upper - ref["exp(coef) upper 95%"]) < 1e-6
        assert abs(fit.p - ref["p"]) < 1e-6
        compared += 1
    assert compared >= 200


def test_many_rows_equal_one_at_a_time():
    # More rows than one internal block, with ties in some rows, and a per-trial arm matrix.
    rng = np.random.default_rng(3)
    m, n = 700, 120
    time = rng.exponential(10.0, (m, n))
    time[::3] = np.round(time[::3])
    event = rng.random((m, n)) < 0.7
    treated = rng.random((m, n)) < 0.4
    treated[:, :2] = [False, True]
    chi2, p = es.logrank_many(time, event, treated)
    fit = es.cox_many(time, event, treated)
    for i in rng.choice(m, 25, replace=False):
        c1, p1 = es.logrank_many(time[i], event[i], treated[i])
        f1 = es.cox_many(time[i], event[i], treated[i])
        assert (c1, p1) == (chi2[i], p[i])
        assert f1.hr == pytest.approx(fit.hr[i], rel=1e-12)
        assert f1.se == pytest.approx(fit.se[i], rel=1e-12)


def test_one_trial_gives_scalars():
    time, event, treated = es.simulate_many(es.LAPATINIB, 1, seed=2)
    chi2, p = es.logrank_many(time[0], event[0], treated)
    fit = es.cox_many(time[0], event[0], treated)
    assert np.ndim(chi2) == np.ndim(p) == np.ndim(fit.hr) == np.ndim(fit.se) == 0
    assert len(fit.to_frame()) == 1


def _score(beta, time, event, treated):
    """The Cox score by brute force over risk sets, written independently (untied data only)."""
    score = 0.0
    for i in np.flatnonzero(event):
        at_risk = time >= time[i]
        w = np.exp(beta * treated[at_risk])
        score += treated[i] - np.sum(w * treated[at_risk]) / np.sum(w)
    return score


def test_near_separation_converges_to_the_root():
    # 1 control death against 30 treated deaths: a huge but finite HR.
    rng = np.random.default_rng(4)
    n = 80
    treated = np.arange(n) % 2 == 1
    time = rng.exponential(10.0, n)
    event = treated.copy()
    event[np.flatnonzero(~treated)[np.argmax(time[~treated])]] = True  # the latest control
    fit = es.cox_many(time, event, treated)
    assert fit.converged and np.isfinite(fit.log_hr) and fit.hr > 1
    assert abs(_score(fit.log_hr, time, event, treated.astype(float))) < 1e-8


def test_degenerate_trials_give_nan_or_inf_never_errors():
    n = 10
    treated = np.arange(n) >= 5
    time = np.tile(np.arange(1.0, n + 1), (5, 1))
    event = np.zeros((5, n), dtype=bool)
    event[1, :5] = True  # every death in control, treated still at risk
    time[2] = time[2, ::-1]  # treated patients first in time ...
    event[2, 5:] = True  # ... and all of them die while controls are at risk
    event[3, [1, 3]] = True  # two control deaths only
    # Row 4: controls censored early (times 1-5), then treated deaths while no control is at
    # risk: no information at all.
    event[4, 6:] = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        chi2, p = es.logrank_many(time, event, treated)
        fit = es.cox_many(time, event, treated)
    # No deaths: nothing is defined.
    assert np.isnan(chi2[0]) and np.isnan(p[0])
    assert all(np.isnan(getattr(fit, f)[0]) for f in ("hr", "se", "lower", "upper", "z", "p"))
    # All deaths in one arm: the log-rank test is fine, the Cox estimate is infinite.
    for row, hr in ((1, 0.0), (2, np.inf), (3, 0.0)):
        assert np.isfinite(chi2[row]) and 0 <= p[row] < 1
        assert fit.hr[row] == hr and fit.se[row] == np.inf
        assert (fit.lower[row], fit.upper[row]) == (0.0, np.inf)
        assert np.isnan(fit.p[row]) and not fit.converged[row]
    assert np.isnan(chi2[4]) and np.isnan(fit.hr[4])


def test_cox_alpha_sets_the_ci_level():
    time, event, treated = es.simulate_many(es.LAPATINIB, 50, seed=5)
    f95 = es.cox_many(time, event, treated)
    f80 = es.cox_many(time, event, treated, alpha=0.2)
    z80 = stats.norm.ppf(0.9)
    np.testing.assert_allclose(np.log(f80.upper), f80.log_hr + z80 * f80.se, rtol=1e-12)
    assert np.all(f80.upper < f95.upper) and np.all(f80.lower > f95.lower)


# ----- simulation ----------------------------------------------------------------------------
def test_simulate_many_shapes_and_reproducibility():
    time, event, treated = es.simulate_many(es.LAPATINIB, 30, seed=1)
    assert time.shape == event.shape == (30, 321) and treated.shape == (321,)
    assert time.dtype == np.float64 and event.dtype == bool and treated.dtype == bool
    again = es.simulate_many(es.LAPATINIB, 30, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip((time, event, treated), again, strict=True))
    df = es.simulate(es.LAPATINIB, seed=1)
    assert np.array_equal(treated, (df.arm == "treatment").to_numpy())


def test_iter_trials_is_simulate_many_in_pieces():
    scenario = es.Scenario(n=40, dropout=0.2)
    whole = es.simulate_many(scenario, 5_000, seed=9)
    pieces = list(mc.iter_trials(scenario, 5_000, seed=9))
    assert len(pieces) > 1  # the default chunk really splits this run
    assert max(t.size for t, _, _ in pieces) <= mc._CHUNK_CELLS
    assert np.array_equal(whole[0], np.concatenate([t for t, _, _ in pieces]))


def test_simulate_many_has_the_distribution_of_simulate():
    # Dropout and a Weibull shape exercise every branch of the model.
    scenario = es.Scenario(n=60, accrual=12.0, follow_up=12.0, dropout=0.3, shape=1.3)
    k = 1500
    singles = pd.concat([es.simulate(scenario, seed=s) for s in range(k)])
    time, event, treated = es.simulate_many(scenario, k, seed=123_456)
    for arm, mask in (("control", ~treated), ("treatment", treated)):
        one = singles[singles.arm == arm]
        # Same time distribution: two-sample KS test on ~45,000 vs ~45,000 patients. The
        # seeds are fixed, so this is deterministic; a real difference in the model (e.g. a
        # 2% change in a median) gives p < 1e-6, far below the 0.001 threshold.
        assert stats.ks_2samp(one.time, time[:, mask].ravel()).pvalue > 0.001
        # Same death fraction within 4 binomial standard errors.
        p1, p2 = one.event.mean(), event[:, mask].mean()
        pooled = (p1 + p2) / 2
        se = math.sqrt(pooled * (1 - pooled) * (1 / len(one) + 1 / event[:, mask].size))
        assert abs(p1 - p2) < 4 * se


# ----- power ---------------------------------------------------------------------------------
def test_power_uses_the_same_trials_and_statistics():
    res = es.power(es.LAPATINIB, n_sims=300, seed=11, progress=False)
    time, event, treated = es.simulate_many(es.LAPATINIB, 300, seed=11)
    _, p = es.logrank_many(time, event, treated)
    fit = es.cox_many(time, event, treated)
    np.testing.assert_array_equal(res.p_values, p)
    np.testing.assert_allclose(res.hrs, fit.hr, rtol=1e-12)
    np.testing.assert_array_equal(res.deaths, event.sum(axis=1))
    k = int(np.sum(p < 0.05))
    assert res.power == k / 300
    assert res.se == pytest.approx(math.sqrt(res.power * (1 - res.power) / 300))
    assert res.ci[0] < res.power < res.ci[1]
    assert (res.n_sims, res.alpha, res.scenario) == (300, 0.05, es.LAPATINIB)
    cox = es.power(es.LAPATINIB, n_sims=300, seed=11, progress=False, test="cox")
    np.testing.assert_allclose(cox.p_values, fit.p, rtol=1e-10)


def test_power_text_and_html():
    res = es.power(es.LAPATINIB, n_sims=200, seed=1)
    text = str(res)
    assert f"{res.n_significant} of 200 simulated trials of 321 patients" in text
    assert "log-rank" in text and "p < 0.05" in text
    assert res._repr_html_().startswith("<p>") and "PowerResult(power=" in repr(res)


def test_power_text_on_degenerate_trials_and_without_true_effect():
    # 10 patients followed about a month, equal medians: most trials have no deaths, or deaths
    # in one arm only, so their hazard ratio is NaN, 0 or inf.
    null = es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=1.0, median_control=20.0,
                                median_treatment=20.0)
    res = es.power(null, n_sims=1000, seed=1, progress=False)
    hrs = np.asarray(res.hrs)
    defined = hrs[np.isfinite(hrs) & (hrs > 0)]
    undefined = hrs.size - defined.size
    assert 0 < undefined < hrs.size and np.isinf(hrs).any()  # the case the text must survive
    text = str(res)
    assert "inf" not in text and "nan" not in text.lower()
    assert f"hazard ratio at {np.median(defined):.2f}" in text
    assert f"median over the {defined.size:,} trials where it was defined" in text
    assert f"in {undefined:,} it was undefined" in text
    # No true difference: a significant trial is a false positive, not a sign of power.
    assert text.startswith(f"False-positive rate (type I error) {res.power:.1%}")
    assert "Power" not in text
    # A delayed effect with the same late hazards is a true difference: power.
    delayed = null.replace(delay=3.0, early_hr=0.5)
    assert str(es.power(delayed, n_sims=20, seed=1, progress=False)).startswith("Power ")
    # No trial with a hazard ratio at all.
    empty = es.power(es.LAPATINIB.replace(n=4, accrual=0.0, follow_up=0.01), n_sims=20, seed=1,
                     progress=False)
    assert not np.isfinite(empty.hrs).any()
    assert "no trial could estimate the hazard ratio" in str(empty)
    assert "nan" not in str(empty).lower()


def test_power_progress_bar(capsys):
    es.power(es.Scenario(n=20), n_sims=10, seed=1, progress=True)
    assert "trial" in capsys.readouterr().err
    es.power(es.Scenario(n=20), n_sims=10, seed=1)  # tiny: no bar when left to decide
    assert capsys.readouterr().err == ""


def test_power_curve():
    curve = es.power_curve(es.LAPATINIB, vary="median_treatment", values=[17.3, 23.9, 30.0],
                           n_sims=400, seed=2)
    assert list(curve.columns) == ["median_treatment", "power", "se", "ci_low", "ci_high",
                                   "analytic_power"]
    assert curve.median_treatment.tolist() == [17.3, 23.9, 30.0]
    assert curve.power.is_monotonic_increasing and curve.analytic_power.is_monotonic_increasing
    assert 0.0 <= curve.power[0] < 0.12  # no effect: about alpha


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_sims": 0}, "n_sims"),
        ({"n_sims": -5}, "n_sims"),
        ({"n_sims": 2.5}, "n_sims"),
        ({"n_sims": True}, "n_sims"),
        ({"n_sims": "100"}, "n_sims"),
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": "0.05"}, "alpha"),
        ({"test": "wilcoxon"}, "test"),
        ({"progress": "yes"}, "progress"),
    ],
)
def test_power_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        es.power(es.LAPATINIB, **{"n_sims": 10, **kwargs})


def test_bad_scenario_and_n_sims_elsewhere():
    with pytest.raises(ValueError, match="scenario"):
        es.power({"n": 321})
    with pytest.raises(ValueError, match="n_sims must be a whole number >= 1; got 0"):
        es.simulate_many(es.LAPATINIB, 0)
    with pytest.raises(ValueError, match="chunk"):
        next(mc.iter_trials(es.LAPATINIB, 10, chunk=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"vary": "colour", "values": [1]}, "vary must be one of"),
        ({"vary": "n", "values": []}, "values"),
        ({"vary": "n", "values": None}, "values"),
        ({"vary": "n", "values": [100, 1]}, "n must be at least 2"),
        ({"vary": "allocation", "values": [0.5, 1.2]}, "allocation"),
        ({"vary": "n", "values": [100], "alpha": 2}, "alpha"),
    ],
)
def test_power_curve_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        es.power_curve(es.LAPATINIB, n_sims=10, **kwargs)


def _ok_data():
    return np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 1, 1]), np.array([0, 0, 1, 1])


@pytest.mark.parametrize(
    "change, match",
    [
        ({"time": np.array([1.0, np.nan, 3.0, 4.0])}, "time must be finite"),
        ({"time": np.array([1.0, -2.0, 3.0, 4.0])}, "time must be finite and >= 0"),
        ({"time": np.array(["a", "b", "c", "d"])}, "time must be numeric"),
        ({"time": np.ones((2, 2, 4))}, "time must have shape"),
        ({"time": np.array([1.0])}, "time must have shape"),
        ({"event": np.array([1, 0, 2, 1])}, "event must contain only 0/1"),
        ({"event": np.array([1, 0, 1])}, "event must have the same shape"),
        ({"treated": np.array([1, 1, 1, 1])}, "both arms"),
        ({"treated": np.array([0, 1, 1])}, "treated must have shape"),
        ({"treated": np.array([0, 0.5, 1, 1])}, "treated must contain only 0/1"),
    ],
)
def test_statistics_bad_input(change, match):
    time, event, treated = _ok_data()
    args = {"time": time, "event": event, "treated": treated, **change}
    with pytest.raises(ValueError, match=match):
        es.logrank_many(**args)
    with pytest.raises(ValueError, match=match):
        es.cox_many(**args)


def test_cox_bad_alpha():
    with pytest.raises(ValueError, match="alpha must be strictly between 0 and 1; got 0.0"):
        es.cox_many(*_ok_data(), alpha=0.0)


def test_degenerate_designs_run_without_numpy_warnings():
    # Ten patients followed for a month: most trials have too few deaths for a finite HR.
    tiny = es.LAPATINIB.replace(n=10, accrual=0.5, follow_up=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = es.power(tiny, n_sims=2000, seed=3, progress=False)
    assert np.isnan(result.hrs).any() or np.isinf(result.hrs).any()
    assert 0 <= result.power <= 1


def test_power_text_names_perfect_separation():
    # Control patients die within months, treatment patients essentially never: every trial's
    # deaths are all in the control arm while treatment patients are at risk, so the Cox
    # estimate runs off to 0. That is perfect separation, not "no deaths".
    separated = es.Scenario(n=6, median_control=0.1, median_treatment=1e6, accrual=0, follow_up=5)
    res = es.power(separated, n_sims=20, seed=1, progress=False)
    assert np.all(res.hrs == 0) and np.all(res.deaths == 3)
    text = str(res)
    assert "no trial could estimate the hazard ratio: perfect separation" in text
    assert "no deaths" not in text
    # Mixed causes are counted by cause.
    mixed = es.Scenario(n=6, median_control=3, median_treatment=1e6, accrual=0, follow_up=1)
    res = es.power(mixed, n_sims=200, seed=2, progress=False)
    none = int(np.sum(res.deaths == 0))
    assert 0 < none < 200 and f"no deaths in {none:,}" in str(res)


@pytest.mark.parametrize("seed", ["a", 1.5, -1, True, np.float64(2.0)])
@pytest.mark.parametrize("call", [
    lambda seed: es.simulate(es.LAPATINIB, seed=seed),
    lambda seed: es.simulate_many(es.LAPATINIB, 2, seed=seed),
    lambda seed: es.power(es.LAPATINIB, n_sims=2, seed=seed, progress=False),
    lambda seed: es.power_curve(es.LAPATINIB, values=[10, 20], n_sims=2, seed=seed),
    lambda seed: list(mc.iter_trials(es.LAPATINIB, 2, seed=seed)),
])
def test_bad_seed_names_seed(call, seed):
    with pytest.raises(ValueError, match=r"seed must be None, a whole number >= 0 or a numpy Generator; got"):
        call(seed)


def test_good_seeds_still_work():
    a = es.simulate_many(es.LAPATINIB, 2, seed=np.int64(3))[0]
    assert np.array_equal(a, es.simulate_many(es.LAPATINIB, 2, seed=3)[0])
    es.simulate(es.LAPATINIB, seed=np.random.default_rng(1))
    es.simulate(es.LAPATINIB, seed=None)
