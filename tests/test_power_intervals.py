"""PowerResult's per-trial hazard-ratio intervals: the same as cox_many's, and calibrated."""

import math

import numpy as np
import pytest
from lifelines import CoxPHFitter

import edu_survival as es


def test_intervals_are_cox_many_intervals_of_the_same_trials():
    result = es.power(es.LAPATINIB, n_sims=300, seed=5, progress=False)
    time, event, treated = es.simulate_many(es.LAPATINIB, 300, seed=5)  # the same trials
    fit = es.cox_many(time, event, treated, alpha=0.05)
    np.testing.assert_array_equal(result.hr_lower, fit.lower)
    np.testing.assert_array_equal(result.hr_upper, fit.upper)
    np.testing.assert_array_equal(result.hrs, fit.hr)
    # and one trial against lifelines' Cox model
    import pandas as pd

    frame = pd.DataFrame({"time": time[0], "event": event[0].astype(int),
                          "treated": treated.astype(float)})
    ci = CoxPHFitter().fit(frame, "time", "event").confidence_intervals_
    assert result.hr_lower[0] == pytest.approx(math.exp(ci.iloc[0, 0]), rel=1e-6)
    assert result.hr_upper[0] == pytest.approx(math.exp(ci.iloc[0, 1]), rel=1e-6)


def test_intervals_follow_alpha_and_the_cox_test_too():
    wide = es.power(es.LAPATINIB, n_sims=100, seed=2, alpha=0.01, progress=False, test="cox")
    narrow = es.power(es.LAPATINIB, n_sims=100, seed=2, alpha=0.05, progress=False, test="cox")
    assert np.all(wide.hr_lower < narrow.hr_lower) and np.all(wide.hr_upper > narrow.hr_upper)


def test_coverage_of_the_true_hazard_ratio_is_nominal():
    """Seeded calibration: 95% Wald intervals of the Cox HR cover the true HR 95% of the time.

    Tolerance from Monte Carlo error only: with n = 4,000 trials the share covering has
    standard error sqrt(0.95 * 0.05 / 4000) = 0.0034; we allow 3.5 SE (0.012), which a
    correct interval misses with probability about 5e-4. (The Wald interval is an
    asymptotic one; with about 225 deaths a trial its true coverage is within a few tenths
    of a percent of 95%, well inside that tolerance.)
    """
    n_sims = 4000
    result = es.power(es.LAPATINIB, n_sims=n_sims, seed=20261128, progress=False)
    share, se, trials = result.coverage
    assert trials == n_sims  # every trial of this design has an interval
    # The share, counted here from the intervals, not by the library.
    truth = es.LAPATINIB.hr
    counted = np.mean((result.hr_lower <= truth) & (truth <= result.hr_upper))
    assert share == counted
    assert se == pytest.approx(math.sqrt(share * (1 - share) / n_sims))
    tolerance = 3.5 * math.sqrt(0.95 * 0.05 / n_sims)
    assert abs(share - 0.95) < tolerance, (share, tolerance)


def test_coverage_leaves_out_trials_without_an_interval():
    tiny = es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=1.0, median_control=20.0,
                                median_treatment=20.0)
    result = es.power(tiny, n_sims=300, seed=1, progress=False)
    defined = ~np.isnan(result.hr_lower)
    assert 0 < defined.sum() < 300  # some trials had no deaths
    share, se, trials = result.coverage
    assert trials == defined.sum()
    assert share == np.count_nonzero(result.covers) / trials
    assert not result.covers[~defined].any()
