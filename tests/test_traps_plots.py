"""Lessons 10 and 11's plots: they draw what the results hold, say it in their alt text, update
in place, and refuse what they cannot draw with a clear error."""

import numpy as np
import pytest

import edu_survival as es
from edu_survival import plots
from edu_survival.traps import boundaries, competing, looks

T = es.teaching


def _png(plot):
    return plots.png_bytes(plot.figure)


def test_competing_plot_draws_both_estimates_and_the_truth():
    result = T.competing_trial()
    p = plots.plot_competing(result)
    x, y = p.lines[0].get_data()
    assert np.allclose(y[::2], result.one_minus_km)  # the step heights are 1 − KM
    _, cif = p.lines[1].get_data()
    assert np.all(y >= cif - 1e-12)
    km24, cif24 = result.at(24)
    assert f"{km24:.0%} and {cif24:.0%}" in p.alt_text and "Simulated data" in p.alt_text
    before = _png(p)
    p.update(T.competing_trial(competing_risk=0.4))
    assert _png(p) != before
    with pytest.raises(ValueError, match="CompetingRisks"):
        plots.plot_competing("not a result")


def test_competing_plot_of_real_looking_data_has_no_truth():
    import pandas as pd

    df = pd.DataFrame({"time": [1.0, 2.0, 3.0, 4.0, 5.0], "cause": [1, 2, 0, 1, 2]})
    p = plots.plot_competing(competing.competing_risks(df), horizon=3)
    assert len(p.truths[0].get_xdata()) == 0 and "Simulated" not in p.alt_text


def test_responder_plot_shows_both_analyses():
    trial = T.responder_trial()
    p = plots.plot_responders(trial)
    assert p.plots[0].analysis is trial.naive and p.plots[1].analysis is trial.landmark
    assert f"{trial.dropped} dropped" in p.headings[1].get_text()
    assert "counted from randomisation" in p.alt_text and "Landmark: alive at month 4" in p.alt_text
    assert _png(p)[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="ResponderComparison"):
        plots.plot_responders(trial.naive)


def test_looks_plot_colours_the_trials_that_cross():
    paths = T.null_looks()
    p = plots.plot_looks(paths, trials=30)
    stop = paths.stop(boundaries.nominal(fractions=paths.fractions))
    crossed = int(np.count_nonzero(stop.look[:30]))
    assert f"{crossed} of the 30 cross it" in p.alt_text
    assert f"{stop.rate:.1%} stop" in p.alt_text
    obf = plots.plot_looks(paths, "obrien-fleming", trials=30)
    assert "O'Brien–Fleming" in obf.alt_text and f"{obf.boundaries.z[0]:.2f}" in obf.alt_text
    assert _png(obf) != _png(p)
    with pytest.raises(ValueError, match="boundaries must be one of"):
        plots.plot_looks(paths, "haybittle")
    with pytest.raises(ValueError, match="one z per look"):
        plots.plot_looks(paths, boundaries.pocock(3))
    with pytest.raises(ValueError, match="trials"):
        plots.plot_looks(paths, trials=0)


def test_stopping_plot_medians_are_the_tables():
    stop = T.stopping()
    p = plots.plot_stopping(stop)
    table = stop.by_look()
    for k, median in p.medians.items():
        row = table.loc[k if k else "never"]
        assert round(median, 2) == row["median HR when stopping"]
    assert f"true hazard ratio of {es.LAPATINIB.hr:.2f}" in p.alt_text
    with pytest.raises(ValueError, match="Stopping"):
        plots.plot_stopping(looks.LookPaths)


def test_endpoint_plot_speaks_of_progression_on_top():
    analyses = es.traps.surrogate.endpoint_analyses(es.traps.surrogate.simulate_endpoints(seed=2))
    p = plots.plot_endpoints(analyses)
    assert p.plots[0].ax.get_ylabel() == "Proportion without progression"
    assert p.plots[1].ax.get_ylabel() == "Proportion alive"
    assert "Median time to progression" in p.alt_text and "simulated" in p.alt_text
    with pytest.raises(ValueError, match="endpoint_analyses"):
        plots.plot_endpoints({"os": analyses["os"]})
