"""The vectorised Kaplan–Meier and Aalen–Johansen estimators of ``edu_survival.traps.estimators``
against lifelines (to 1e-10), ties included, and the facts that hold for every data set."""

import warnings

import numpy as np
import pytest
from lifelines import AalenJohansenFitter, KaplanMeierFitter

from edu_survival.traps.estimators import cumulative_incidence_many, km_many


def _data(seed, n=60, ties=False, causes=2):
    rng = np.random.default_rng(seed)
    time = rng.exponential(10, n)
    if ties:
        time = np.ceil(time)  # whole months: many ties, deaths and censorings together
    cause = rng.integers(0, causes + 1, n)
    return time, cause


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ties", [False, True])
def test_km_many_equals_lifelines(seed, ties):
    time, cause = _data(seed, ties=ties)
    event = cause > 0
    grid = np.r_[0.0, np.unique(time), time.max() + 5, 3.3]
    kmf = KaplanMeierFitter().fit(time, event)
    expected = kmf.survival_function_at_times(grid).to_numpy()
    np.testing.assert_allclose(km_many(time, event, grid), expected, atol=1e-10, rtol=0)


def test_km_many_rows_are_independent_trials():
    rows = [_data(s) for s in range(4)]
    time = np.vstack([t for t, _ in rows])
    event = np.vstack([c > 0 for _, c in rows])
    many = km_many(time, event, [2.0, 8.0, 20.0])
    for i, (t, c) in enumerate(rows):
        np.testing.assert_allclose(many[i], km_many(t, c > 0, [2.0, 8.0, 20.0]), atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_aalen_johansen_equals_lifelines_without_ties(seed):
    time, cause = _data(seed)
    grid = np.r_[0.0, np.unique(time)]
    for k in (1, 2):
        ajf = AalenJohansenFitter(calculate_variance=False).fit(time, cause, event_of_interest=k)
        expected = ajf.predict(grid).to_numpy()
        np.testing.assert_allclose(cumulative_incidence_many(time, cause, grid, k), expected, atol=1e-10, rtol=0)


def _reference_cif(time, cause, k, grid):
    """The Aalen–Johansen sum written out with lifelines' all-cause Kaplan–Meier: independent code."""
    kmf = KaplanMeierFitter().fit(time, cause > 0)
    out = []
    for t in grid:
        total = 0.0
        for u in np.unique(time[(time <= t)]):
            d_k = np.sum((time == u) & (cause == k))
            if d_k:
                before = kmf.survival_function_at_times([u - 1e-9]).iloc[0] if u > 0 else 1.0
                total += before * d_k / np.sum(time >= u)
        out.append(total)
    return np.array(out)


@pytest.mark.parametrize("seed", range(4))
def test_aalen_johansen_with_ties_equals_the_formula(seed):
    # lifelines jitters tied times (with a warning); R's survfit and cmprsk use the formula as is
    time, cause = _data(seed, n=50, ties=True)
    grid = np.r_[0.0, np.unique(time), time.max() + 1]
    np.testing.assert_allclose(cumulative_incidence_many(time, cause, grid, 1), _reference_cif(time, cause, 1, grid),
                               atol=1e-10, rtol=0)


@pytest.mark.parametrize("seed", range(20))
def test_one_minus_km_is_never_below_the_cumulative_incidence(seed):
    time, cause = _data(seed, n=80, ties=seed % 2 == 1)
    grid = np.r_[0.0, np.unique(time)]
    one_minus_km = 1 - km_many(time, cause == 1, grid)
    cif = cumulative_incidence_many(time, cause, grid, 1)
    assert np.all(one_minus_km >= cif - 1e-12)
    # and with no competing event at all they are the same curve
    only = np.where(cause == 2, 0, cause)
    np.testing.assert_allclose(cumulative_incidence_many(time, only, grid), 1 - km_many(time, only, grid), atol=1e-12)


def test_cumulative_incidences_of_all_causes_add_up_to_one_minus_all_cause_km():
    time, cause = _data(3, n=100, causes=3)
    grid = np.unique(time)
    total = sum(cumulative_incidence_many(time, cause, grid, k) for k in (1, 2, 3))
    np.testing.assert_allclose(total, 1 - km_many(time, cause > 0, grid), atol=1e-12)


def test_bad_input_names_the_problem():
    with pytest.raises(ValueError, match="same shape"):
        km_many([1.0, 2.0], [1], [1.0])
    with pytest.raises(ValueError, match="finite and >= 0"):
        km_many([1.0, -2.0], [1, 0], [1.0])
    with pytest.raises(ValueError, match="whole numbers"):
        cumulative_incidence_many([1.0, 2.0], [0.5, 1], [1.0])
    with pytest.raises(ValueError, match="cause_of_interest"):
        cumulative_incidence_many([1.0, 2.0], [1, 2], [1.0], cause_of_interest=0)


def test_lifelines_jitters_ties_which_is_why_the_tied_reference_is_the_formula():
    time, cause = _data(0, n=30, ties=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AalenJohansenFitter(calculate_variance=False, seed=1).fit(time, cause, event_of_interest=1)
    assert any("jitter" in str(w.message) for w in caught)
