"""Guyot reconstruction: hand-worked examples of each step, the cleaning rules, every error, and
round trips (digitise a known data set, rebuild it, compare) over many seeds."""

import io
import math
import pathlib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import edu_survival as es
from edu_survival import reconstruct as rc
from edu_survival.analyze import kaplan_meier

CURVE = pd.DataFrame({"time": [0, 1, 2, 3, 4, 5], "survival": [1, 0.8, 0.8, 0.6, 0.6, 0.45]})
TABLE = pd.DataFrame({"time": [0, 2, 4], "at_risk": [10, 7, 4]})


# ----- the algorithm by hand --------------------------------------------------------------
def test_three_intervals_by_hand():
    """Clicked points (t, S): (0, 1), (1, .8), (2, .8), (3, .6), (4, .6), (5, .45); at risk
    10 at 0, 7 at 2, 4 at 4. Intervals [0, 2), [2, 4), [4, 5].

    Interval 1. First guess censored: round(10 * .8 / 1 - 7) = 1, spread evenly over (0, 2):
    one at 1.0, which falls in the gap (0, 1] after point 0. Point 0: no death, 10 - 1 = 9 left.
    Point 1: d = round(9 * (1 - .8 / 1)) = round(1.8) = 2, KM = 1 * (1 - 2/9) = .7778,
    9 - 2 = 7 at risk at time 2: matches the table, stop.

    Interval 2. First guess round(7 * .6 / .8 - 4) = round(1.25) = 1, at 3.0, in (2, 3].
    Point 2: d = round(7 * (1 - .8 / .7778)) = round(-.2) = 0, 7 - 0 - 1 = 6.
    Point 3: d = round(6 * (1 - .6 / .7778)) = round(1.37) = 1, KM = .7778 * 5/6 = .6481,
    6 - 1 = 5 at 4, one more than the table's 4: censor 1 + (5 - 4) = 2, at 2.67 and 3.33,
    one in (2, 3] and one in (3, 4]. Again: point 2 no death, 6 left; point 3 one death,
    6 - 1 - 1 = 4: matches, stop.

    Interval 3 (the last). Censoring at the earlier rate: (1 + 2) censored over 3 time units,
    so round(3 * (5 - 4) / (3 - 0)) = 1, at 4.5, in (4, 5]. Point 4: d = round(4 * (1 - .6 /
    .6481)) = round(.30) = 0, 4 - 1 = 3. Point 5: d = round(3 * (1 - .45 / .6481)) =
    round(.92) = 1, KM = .6481 * 2/3 = .4321; 2 left, censored at the last time, 5.

    Patients: deaths at 1, 1, 3, 5; censored at the midpoints 0.5, 2.5, 3.5, 4.5 and at 5, 5.
    """
    steps = rc.guyot_steps(CURVE, TABLE)
    assert steps["events"].tolist() == [0, 2, 0, 1, 0, 1]
    assert steps["censored"].tolist() == [1, 0, 1, 1, 1, 0]
    assert steps["at_risk"].tolist() == [10, 9, 7, 6, 4, 3]
    assert steps["km"].tolist() == pytest.approx([1, 7 / 9, 7 / 9, 7 / 9 * 5 / 6, 7 / 9 * 5 / 6, 7 / 9 * 5 / 6 * 2 / 3])
    ipd = rc.guyot(CURVE, TABLE)
    assert ipd.loc[ipd.event == 1, "time"].tolist() == [1, 1, 3, 5]
    assert ipd.loc[ipd.event == 0, "time"].tolist() == [0.5, 2.5, 3.5, 4.5, 5, 5]
    # the rebuilt data's own KM curve is the algorithm's KM column
    km = kaplan_meier(ipd.time, ipd.event)
    assert km.at([1, 3, 5]).tolist() == pytest.approx(steps["km"].iloc[[1, 3, 5]].tolist())


def test_total_events_above_what_the_curve_allows_removes_the_last_censoring():
    """Same curve, 5 deaths reported. Before the last interval 3 deaths; with its one censoring
    the total is 4 < 5, so censoring is lowered by 4 - 5 to 0: point 4 no death (4 left), point 5
    d = round(4 * (1 - .45 / .6481)) = round(1.22) = 1. Still 4 deaths, but no censoring left to
    remove: stop (the curve cannot hold a fifth death), and a warning says so."""
    with pytest.warns(rc.ReconstructionWarning, match="total_events=5, but the rebuild has 4 deaths: "
                      "the curve's drops hold no more"):
        steps = rc.guyot_steps(CURVE, TABLE, total_events=5)
    assert steps["events"].tolist() == [0, 2, 0, 1, 0, 1]
    assert steps["censored"].tolist() == [1, 0, 1, 1, 0, 0]
    ipd = rc.guyot(CURVE, TABLE, total_events=5)
    assert int(ipd.event.sum()) == 4
    assert ipd.loc[ipd.event == 0, "time"].tolist() == [0.5, 2.5, 3.5, 5, 5, 5]


def test_total_events_already_reached_keeps_the_drop_clicked_after_the_last_at_risk_time():
    """Issue 19, item 10f in small. 3 deaths reported and 3 already placed before time 4; the
    paper's code then puts no death in the last interval and loses the drop clicked at 5
    (.6 to .45). It is kept: the last interval's censoring at the earlier rate (one, at 4.5),
    then d = round(3 * (1 - .45 / .6481)) = 1 at 5, as without total_events, and a warning says
    the rebuild has 4 deaths, not 3."""
    with pytest.warns(rc.ReconstructionWarning, match=r"total_events=3, but the rebuild has 4 deaths: "
                      r"the curve and the table before time 4 .* already imply 3, and the 1 drop "
                      r"clicked after it \(at time 5\) keep"):
        ipd = rc.guyot(CURVE, TABLE, total_events=3)
    assert ipd.loc[ipd.event == 1, "time"].tolist() == [1, 1, 3, 5]
    assert ipd.equals(rc.guyot(CURVE, TABLE))


def test_one_interval_without_total_events_has_no_censoring_until_the_end():
    """Only the number at risk at 0 (10): the last (only) interval gets no censoring, so
    deaths are round(10 * .2) = 2 at 1, round(8 * (1 - .6/.8)) = 2 at 3, round(6 * (1 - .45/.6))
    = round(1.5) = 2 (half to even) at 5, and 4 censored at 5."""
    ipd = rc.guyot(CURVE, TABLE.iloc[:1])
    assert ipd.loc[ipd.event == 1, "time"].tolist() == [1, 1, 3, 3, 5, 5]
    assert (ipd.loc[ipd.event == 0, "time"] == 5).sum() == 4


def test_a_table_time_without_a_click_gets_a_point():
    """No click at 2 or 4: points are added at both, with the curve's value there (.8, .6), so
    the reconstruction is the same as with the clicks."""
    sparse = CURVE[~CURVE.time.isin([2, 4])]
    assert rc.guyot(sparse, TABLE).equals(rc.guyot(CURVE, TABLE))
    assert rc.guyot_steps(sparse, TABLE)["time"].tolist() == [0, 1, 2, 3, 4, 5]


def test_table_rows_after_the_curve_are_ignored():
    longer = pd.concat([TABLE, pd.DataFrame({"time": [6], "at_risk": [0]})], ignore_index=True)
    assert rc.guyot(CURVE, longer).equals(rc.guyot(CURVE, TABLE))


def test_without_censoring_a_perfect_digitisation_gives_back_the_deaths():
    """No censoring and a very fine, steady hand: every death comes back at its time (to the
    pixel) and the curve is the original one."""
    rng = np.random.default_rng(5)
    time = np.round(rng.exponential(10, 80), 1) + 0.1  # no death at time 0
    km = kaplan_meier(time, np.ones(80))
    clicks = rc.digitise(km, [0, 5, 10, 20], resolution=(100_000, 100_000), jitter=0)
    ipd = rc.guyot(*clicks)
    assert ipd.event.sum() == 80
    pixel = km.time[-1] / 100_000
    assert np.abs(np.sort(ipd.time) - np.sort(time)).max() <= pixel
    rebuilt = kaplan_meier(ipd.time, ipd.event)
    assert rebuilt.survival.tolist() == pytest.approx(km.survival.tolist())


def test_spread_counts_right_closed_gaps():
    """3 censorings in (0, 4) land at 1, 2, 3; with points at 0, 1, 2, 4 the gaps are (0, 1],
    (1, 2], (2, 4], so 1, 1, 1; a gap of zero width (a repeated time) gets none."""
    assert rc._spread(3, 0.0, 4.0, np.array([0.0, 1.0, 2.0, 4.0])).tolist() == [1, 1, 1]
    assert rc._spread(3, 0.0, 4.0, np.array([0.0, 2.0, 2.0, 4.0])).tolist() == [2, 0, 1]
    assert rc._spread(0, 0.0, 4.0, np.array([0.0, 4.0])).tolist() == [0]


# ----- reading and cleaning ---------------------------------------------------------------
def test_cleaning_rules():
    """Sorted by time; a point above an earlier one lowered to it; clipped to [0, 1]; a point
    at (0, 1) first; clicks at or left of 0 dropped."""
    raw = io.StringIO("-0.1,1.004\n10,0.5\n2,0.9\n5,0.95\n12,-0.01\n")
    curve = rc.read_digitised(raw)
    assert curve["time"].tolist() == [0, 2, 5, 10, 12]
    assert curve["survival"].tolist() == [1, 0.9, 0.9, 0.5, 0]
    assert curve.attrs["survival_scale"] == "proportion"


def test_header_percent_and_units():
    with_header = io.StringIO("x,Curve1\n0,100\n1,90\n2, 75\n")
    curve = rc.read_digitised(with_header, time_unit="years")
    assert curve["time"].tolist() == [0, 12, 24]
    assert curve["survival"].tolist() == pytest.approx([1, 0.9, 0.75])
    assert curve.attrs["survival_scale"] == "percent"
    # percent chosen explicitly, even when every value is small
    low = rc.read_digitised(io.StringIO("1,1.2\n2,1.0\n"), survival_scale="percent")
    assert low["survival"].tolist() == pytest.approx([1, 0.012, 0.010])
    days = rc.read_digitised(io.StringIO("365.25,0.5\n730.5,0.25\n"), time_unit="days")
    assert days["time"].tolist() == pytest.approx([0, 12, 24])


def test_reads_a_file_on_disk(tmp_path):
    path = tmp_path / "arm.csv"
    path.write_text("0,1\n3,0.8\n6,0.7\n")
    assert rc.read_digitised(path)["survival"].tolist() == [1, 0.8, 0.7]
    assert rc.read_digitised(str(path)).attrs["source"] == str(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "could not be read"),
        ("1,2,3\n4,5,6\n", "must have 2 columns"),
        ("1\n2\n", "must have 2 columns"),
        ("0,1\n5,abc\n", "line 2, column 2 is 'abc'"),
        ("time,survival\n0,1\n", "at least 2 points"),
        ("3,0.5\n", "at least 2 points"),
        ("-10,1\n5,0.5\n", "times must be >= 0"),
        ("0,1\ninf,0.5\n", "finite"),
    ],
)
def test_read_errors(text, message):
    with pytest.raises(ValueError, match=message):
        rc.read_digitised(io.StringIO(text))


def test_read_errors_name_the_parameter(tmp_path):
    with pytest.raises(ValueError, match="source: no file at"):
        rc.read_digitised(tmp_path / "missing.csv")
    binary = tmp_path / "figure.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(ValueError, match="source"):
        rc.read_digitised(binary)
    with pytest.raises(ValueError, match="time_unit must be one of"):
        rc.read_digitised(io.StringIO("0,1\n1,1\n"), time_unit="hours")
    with pytest.raises(ValueError, match="survival_scale must be one of"):
        rc.read_digitised(io.StringIO("0,1\n1,1\n"), survival_scale="fraction")


# ----- errors of the other functions ------------------------------------------------------
@pytest.mark.parametrize(
    "curve, table, total, message",
    [
        ([1, 2], TABLE, None, "curve must be a pandas DataFrame"),
        (CURVE.rename(columns={"survival": "S"}), TABLE, None, "columns 'time' and 'survival'"),
        (CURVE.iloc[:1], TABLE, None, "at least 2 points"),
        (CURVE.assign(survival=CURVE.survival * 100), TABLE, None, "proportions between 0 and 1"),
        (CURVE.assign(time=CURVE.time - 3), TABLE, None, "times must be >= 0"),
        (CURVE, TABLE.rename(columns={"at_risk": "n"}), None, "columns 'time' and 'at_risk'"),
        (CURVE, TABLE.assign(time=[1, 2, 4]), None, "first row must be at time 0"),
        (CURVE, TABLE.assign(time=[0, 4, 2]), None, "times must increase"),
        (CURVE, TABLE.assign(at_risk=[10, 7.5, 4]), None, "whole numbers >= 0"),
        (CURVE, TABLE.assign(at_risk=[10, -7, -8]), None, "whole numbers >= 0"),
        (CURVE, TABLE.assign(at_risk=[10, 11, 4]), None, "cannot rise"),
        (CURVE, TABLE.assign(at_risk=[0, 0, 0]), None, "at least 1 patient"),
        (CURVE, TABLE, 11, "total_events must be at most the 10"),
        (CURVE, TABLE, -1, "total_events must be a whole number >= 0"),
        (CURVE, TABLE, 2.5, "total_events must be a whole number >= 0"),
    ],
)
def test_guyot_errors(curve, table, total, message):
    with pytest.raises(ValueError, match=message):
        rc.guyot(curve, table, total)


def test_trial_errors_and_result():
    with pytest.raises(ValueError, match="arms must be a mapping"):
        rc.trial([(CURVE, TABLE)])
    with pytest.raises(ValueError, match="arms must be a mapping"):
        rc.trial({})
    with pytest.raises(ValueError, match=r"arms\['control'\] must be a pair"):
        rc.trial({"control": CURVE})
    with pytest.raises(ValueError, match="total_events names arms"):
        rc.trial({"control": (CURVE, TABLE)}, total_events={"placebo": 3})
    data = rc.trial({"treatment": (CURVE, TABLE), "control": (CURVE, TABLE)}, total_events={"control": 4})
    assert list(data.columns) == ["arm", "time", "event"]
    assert data.groupby("arm")["event"].sum().to_dict() == {"control": 4, "treatment": 4}
    result = es.analyze(data)
    assert result.arms == ("control", "treatment")
    assert result.n == {"control": 10, "treatment": 10}


def test_digitise_errors():
    km = kaplan_meier([1.0, 2.0, 3.0], [1, 1, 0])
    with pytest.raises(ValueError, match="km must be a KMCurve"):
        rc.digitise([1, 2], [0])
    with pytest.raises(ValueError, match="resolution must be"):
        rc.digitise(km, [0], resolution=(10, 400))
    with pytest.raises(ValueError, match="resolution must be"):
        rc.digitise(km, [0], resolution=500)
    with pytest.raises(ValueError, match="resolution must be"):
        rc.digitise(km, [0], resolution=(500.5, 400))
    with pytest.raises(ValueError, match=r"jitter must be a number of pixels from 0 to 1.75 .*; got -1"):
        rc.digitise(km, [0], jitter=-1)
    with pytest.raises(ValueError, match="t_max must be > 0 and at least"):
        rc.digitise(km, [0], t_max=2)
    with pytest.raises(ValueError, match="at_risk_times must start at 0 and increase"):
        rc.digitise(km, [1, 2])
    with pytest.raises(ValueError, match="at_risk_times must start at 0 and increase"):
        rc.digitise(km, [0, 2, 1])


def test_compare_errors():
    data = es.simulate(es.LAPATINIB, seed=1)
    with pytest.raises(ValueError, match="original must be an Analysis or a DataFrame"):
        rc.compare([1], data)
    other = data.assign(arm=data.arm.map({"control": "placebo", "treatment": "treatment"}))
    with pytest.raises(ValueError):
        rc.compare(data, other)
    with pytest.raises(ValueError, match="name must be one of"):
        rc.validation_data("iris")


# ----- digitise ---------------------------------------------------------------------------
def test_digitise_clicks_the_corners_and_reads_the_table_exactly():
    result = es.analyze(es.simulate(es.LAPATINIB, seed=2))
    km = result.curves["control"]
    times = [0, 12, 24, 36]
    clicks = rc.digitise(km, times, resolution=(1000, 1000), jitter=0)
    # steady hand: every click is on the curve (to the pixel)
    on_curve = km.at(clicks.curve.time + 0.5 * km.time[-1] / 1000)
    drops = np.flatnonzero(np.diff(km.survival) < 0)
    assert len(clicks.curve) <= 2 * len(drops) + 2
    assert np.all(np.abs(clicks.curve.survival - on_curve) <= 1 / 1000 + np.abs(np.diff(km.survival)).max())
    lifelines_table = result.km["control"].event_table
    expected = [int(lifelines_table.loc[lifelines_table.index >= t, "at_risk"].iloc[0]) for t in times]
    assert clicks.at_risk["at_risk"].tolist() == expected
    # the lifelines fitter gives the same clicks as the KMCurve
    assert rc.digitise(result.km["control"], times, jitter=0).curve.equals(rc.digitise(km, times, jitter=0).curve)


def test_digitise_jitter_is_seeded_and_limited_by_resolution():
    km = es.analyze(es.simulate(es.LAPATINIB, seed=2)).curves["treatment"]
    a = rc.digitise(km, [0, 12], seed=4)
    assert a.curve.equals(rc.digitise(km, [0, 12], seed=4).curve)
    assert not a.curve.equals(rc.digitise(km, [0, 12], seed=5).curve)
    coarse = rc.digitise(km, [0, 12], resolution=(60, 60), jitter=0)
    assert len(coarse.curve) < len(a.curve)  # steps closer than a pixel merge
    assert np.allclose(coarse.curve.survival * 60, np.round(coarse.curve.survival * 60))


# ----- compare ----------------------------------------------------------------------------
def test_compare_of_a_trial_with_itself_and_against_lifelines():
    from lifelines import CoxPHFitter
    from lifelines.statistics import logrank_test

    data = es.simulate(es.LAPATINIB, seed=1)
    table = rc.compare(data, data)
    assert (table["difference"].abs().fillna(0) == 0).all()
    assert table.loc["largest KM gap (control)", "difference"] == 0
    frame = data.assign(treated=(data.arm == "treatment").astype(float))[["time", "event", "treated"]]
    hr = float(np.exp(CoxPHFitter().fit(frame, "time", "event").params_["treated"]))
    assert table.loc["hazard ratio", "original"] == pytest.approx(hr, rel=1e-4)
    c, t = data[data.arm == "control"], data[data.arm == "treatment"]
    lr = logrank_test(c.time, t.time, c.event, t.event)
    assert table.loc["log-rank chi-square", "original"] == pytest.approx(lr.test_statistic, rel=1e-10)
    # RMST rows name the horizon as the summary does (1 decimal, with its unit), not "46.4948".
    horizon = min(c.time.max(), t.time.max())
    assert f"RMST to {round(horizon, 1):g} months (control)" in table.index
    assert f"to {round(horizon, 1):g} months:" in es.analyze(data).summary()


def test_largest_gap_by_hand():
    """a drops to .5 at 1 and to 0 at 3; b drops to .75 at 2 and ends at 2.5: on [0, 2.5] the
    gaps are 0, .5 (on [1, 2)) and .25 (on [2, 2.5]); beyond 2.5 b is not defined."""
    a = kaplan_meier([1.0, 1.0, 3.0, 3.0], [1, 1, 1, 1])
    b = kaplan_meier([2.0, 2.5, 2.5, 2.5], [1, 0, 0, 0])
    assert rc.largest_gap(a, b) == 0.5
    assert rc.largest_gap(b, a) == 0.5


def test_compare_recovers_the_trial_it_was_given():
    table = rc.round_trip(es.simulate(es.LAPATINIB, seed=1), seed=3, total_events=True)
    assert table.loc["deaths (control)", "difference"] == 0
    assert table.loc["deaths (treatment)", "difference"] == 0
    assert table.loc["patients (control)", "difference"] == 0


# ----- round trips: how close a reconstruction gets ---------------------------------------
# From tools/reconstruct_accuracy.py, 200 digitisations per data set (seeds 1000 to 1199,
# at-risk table only): the 90% quantile and the maximum of each error.
CALIBRATION = {  # metric: (90% quantile, maximum)
    "story": {"km_gap": (0.1090, 0.2539), "km_gap_10": (0.0365, 0.0500), "log_hr": (0.0352, 0.1306),
              "chi2": (1.0902, 3.2368), "median": (0.6233, 1.6930)},
    "lung": {"km_gap": (0.0655, 0.0934), "km_gap_10": (0.0507, 0.0592), "log_hr": (0.0213, 0.0383),
             "chi2": (0.9995, 1.5265), "median": (4.9360, 56.0360)},
    "gbsg2": {"km_gap": (0.1229, 0.1457), "km_gap_10": (0.0462, 0.0617), "log_hr": (0.0106, 0.0166),
              "chi2": (0.5245, 0.8061), "median": (56.7640, 70.8680)},
    "leukemia": {"km_gap": (0.1905, 0.1905), "km_gap_10": (0.1905, 0.1905), "log_hr": (0.0766, 0.0824),
                 "chi2": (1.1347, 1.2131), "median": (0.1200, 0.2400)},
}
TEST_SEEDS = range(30)


@pytest.mark.parametrize("name", rc.VALIDATION_SETS)
def test_round_trip_accuracy_over_many_seeds(name):
    """Each error over 30 new digitisations (seeds 0 to 29, not used for the calibration).

    Two checks per error. (1) How many runs exceed the calibration's 90% quantile: if nothing
    changed, that count is Binomial(30, 0.1), and more than its 99.9% quantile (9) happens by
    chance once in a thousand. (2) No run exceeds 1.5 times the calibration maximum. A new run
    above the maximum of 200 has probability 1/201 by itself, so over 30 runs and 5 errors a few
    would be expected; how far beyond it they can go is what the margin must cover. In the
    calibration the maximum was at most 1.7 times the 99% quantile (story, log HR), so the tail
    beyond the 99% quantile spans 0.7 of it; 1.5 times the maximum leaves at least that much
    again above the maximum (1.5 x 1.7 = 2.55 times the 99% quantile).
    """
    runs = rc.accuracy_runs(name, TEST_SEEDS)
    limit = int(stats.binom.ppf(0.999, len(TEST_SEEDS), 0.1))
    for metric, (q90, maximum) in CALIBRATION[name].items():
        above = int((runs[metric] > q90).sum())
        assert above <= limit, f"{name} {metric}: {above} of {len(runs)} runs above the calibration 90% quantile {q90}"
        assert runs[metric].max() <= 1.5 * maximum, f"{name} {metric}: {runs[metric].max()} > 1.5 x {maximum}"


def test_total_deaths_make_the_hazard_ratio_closer():
    """Knowing each arm's deaths pins the last interval: over the same 20 story trials, the
    median error of the log hazard ratio is smaller than with the at-risk table alone."""
    seeds = range(100, 120)
    table_only = rc.accuracy_runs("story", seeds)
    with_deaths = rc.accuracy_runs("story", seeds, total_events=True)
    assert with_deaths["log_hr"].median() < table_only["log_hr"].median()
    assert math.isfinite(with_deaths["chi2"].max())


# ----- lesson 09's data and helpers -------------------------------------------------------
LESSON_DATA = pathlib.Path(__file__).resolve().parents[1] / "lessons" / "data"


def test_committed_lesson_data_are_the_library_clicks(tmp_path):
    """The files in lessons/data/ are what tools/make_lesson09_data.py writes now: the lesson,
    its exercises (which use lesson_digitised) and the files cannot drift apart."""
    for path in rc.write_lesson_data(tmp_path):
        assert path.read_text() == (LESSON_DATA / path.name).read_text(), path.name
    clicks = rc.lesson_digitised()
    table = rc.read_at_risk(LESSON_DATA / rc.LESSON_FILES["at_risk"])
    for arm, digitised in clicks.items():
        from_file = rc.read_digitised(LESSON_DATA / rc.LESSON_FILES[arm])
        assert from_file.equals(rc._clean(digitised.curve.time.to_numpy(), digitised.curve.survival.to_numpy()))
        assert table[arm]["at_risk"].tolist() == digitised.at_risk["at_risk"].tolist()
    # the table read from the file is the one printed under the published figure
    printed = rc.published_figure().table_text()
    for arm in clicks:
        assert printed.loc[arm].loc["at risk"].tolist() == table[arm]["at_risk"].astype(int).tolist()


def test_read_at_risk_errors(tmp_path):
    bad = tmp_path / "table.csv"
    bad.write_text("group,0,6\ncontrol,10,5\n")
    with pytest.raises(ValueError, match="needs a column 'arm'"):
        rc.read_at_risk(bad)
    bad.write_text("arm,start,6\ncontrol,10,5\n")
    with pytest.raises(ValueError, match="the header must give times"):
        rc.read_at_risk(bad)
    with pytest.raises(ValueError, match="source: no file at"):
        rc.read_at_risk(tmp_path / "missing.csv")


def test_intervals_by_hand():
    """The hand example: first guesses round(10 x .8 / 1 - 7) = 1 and round(7 x .6 / .8 - 4) = 1."""
    rows = rc.intervals(CURVE, TABLE)
    assert rows["first guess censored"].tolist() == [1, 1]
    assert rows[["start", "end"]].values.tolist() == [[0, 2], [2, 4]]
    assert rows["survival at end"].tolist() == [0.8, 0.6]


def test_lost_table_counts_add_up():
    """Per arm, the deaths and censorings over all intervals are the arm's totals, in the hidden
    trial and in its rebuild; the rebuild keeps every patient."""
    hidden, rebuilt = rc.hidden_trial(), rc.lesson_rebuilt()
    table = rc.lost_table(hidden, rebuilt)
    for arm in hidden.arms:
        sums = table.loc[arm].sum()
        assert sums[("deaths", "hidden")] == hidden.deaths[arm]
        assert sums[("deaths", "hidden")] + sums[("censored", "hidden")] == hidden.n[arm]
        assert sums[("deaths", "rebuilt")] + sums[("censored", "rebuilt")] == hidden.n[arm]


def test_story_versions_share_the_medians_and_differ_in_hazard_ratio():
    versions = rc.story_versions(seed=1)
    assert versions["medians"].scenario.hr == pytest.approx(17.3 / 23.9)
    assert versions["38%"].scenario.hr == pytest.approx(0.62)
    for result in versions.values():
        assert result.scenario.median_control == 17.3 and result.scenario.median_treatment == 23.9
        assert result.simulated


def test_story_check_rebuilt_hazard_ratios_follow_the_trials():
    """The lesson's claim: the rebuilt HR follows each trial's own far more closely than trials
    differ from one another. Bound: the story's 99% quantile of the log HR error (0.078, see the
    calibration above), against the spread of the trials' own HRs."""
    table = rc.story_check()
    error = np.abs(np.log(table["rebuilt HR"]) - np.log(table["trial's HR (hidden data)"]))
    assert error.max() <= 0.078
    spread = np.log(table["trial's HR (hidden data)"]).groupby(level=0).std()
    assert (spread > 2 * error.groupby(level=0).mean()).all()


def test_lesson_exercises_match_what_the_learner_reads_from_the_files():
    """09.1 from the committed files (not the library's clicks): step 1 with five fewer at risk at
    the interval's end; 09.2 read off the rounded RMST column of ``to_frame()`` at 18 months."""
    from edu_survival import exercises

    control = rc.read_digitised(LESSON_DATA / "09_control.csv")
    treatment = rc.read_digitised(LESSON_DATA / "09_treatment.csv")
    table = rc.read_at_risk(LESSON_DATA / "09_at_risk.csv")
    first = rc.intervals(control, table["control"]).iloc[0]
    by_hand = round(first["at risk at start"] * first["survival at end"] / first["survival at start"]
                    - (first["at risk at end"] - 5))
    assert exercises.check("09.1", by_hand).correct
    rebuilt = rc.trial({"control": (control, table["control"]), "treatment": (treatment, table["treatment"])})
    frame = es.analyze(rebuilt, unit="months", rmst_horizon=18).to_frame()
    rmst = frame[[c for c in frame.columns if c.startswith("RMST")][0]]
    assert exercises.check("09.2", float(rmst["treatment"] - rmst["control"])).correct
