"""plots: every plot draws what it says, agrees with lifelines, renders cleanly, updates in place.

PNGs of every plot are written to test-artifacts/ (gitignored) for a human to look at.
"""

import html
import math
import re
import warnings
from pathlib import Path

import matplotlib.colors
import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung
from PIL import Image

import edu_survival as es
from edu_survival import plots
from edu_survival.analyze import nice_times

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
KMUNICATE = ("at risk", "censored", "events")


def save(plot, name):
    """Write the plot's PNG for inspection and check it is a real image of the figure's size."""
    ARTIFACTS.mkdir(exist_ok=True)
    png = plots.png_bytes(plot.figure)
    (ARTIFACTS / f"{name}.png").write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(ARTIFACTS / f"{name}.png")
    fig = plot.figure
    expected = (fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi)
    assert all(abs(got - want) < 1 for got, want in zip(image.size, expected, strict=True))
    # Not blank: the plot put dark pixels on the white background.
    pixels = np.asarray(image.convert("L"))
    assert (pixels < 128).mean() > 0.005
    return png


@pytest.fixture(scope="module")
def case_study():
    return es.analyze(es.simulate(es.LAPATINIB, seed=1))


@pytest.fixture(scope="module")
def lung():
    return es.analyze(load_lung(), event="status", group="sex", control=1,
                      labels={1: "men", 2: "women"}, unit="days")


def no_deaths_trial():
    """A tiny, short trial in which nobody has died yet (searching seeds deterministically)."""
    scenario = es.Scenario(n=10, median_control=60, median_treatment=60, accrual=0, follow_up=0.5)
    for seed in range(100):
        df = es.simulate(scenario, seed)
        if df.event.sum() == 0:
            return df
    raise AssertionError("no seed without deaths")


@pytest.fixture(scope="module")
def degenerate():
    return es.analyze(no_deaths_trial())


def lifelines_counts(rows, times):
    """At risk just before each time, and censored/deaths up to it, from lifelines' event table."""
    kmf = KaplanMeierFitter().fit(rows["time"], rows["event"])
    table = kmf.event_table  # index: times; at_risk at the start of each time
    out = {"at risk": [], "censored": [], "events": []}
    for t in times:
        later = table[table.index >= t]
        out["at risk"].append(int(later["at_risk"].iloc[0]) if len(later) else 0)
        upto = table[table.index <= t]
        out["censored"].append(int(upto["censored"].sum()))
        out["events"].append(int(upto["observed"].sum()))
    return out


def no_warnings(build):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build()
        plots.png_bytes(result.figure)
    assert [str(w.message) for w in caught] == []
    return result


# ----- Kaplan–Meier ------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["case_study", "lung", "degenerate"])
def test_km_renders_without_warnings(which, request):
    analysis = request.getfixturevalue(which)
    plot = no_warnings(lambda: plots.plot_km(analysis, counts=KMUNICATE))
    save(plot, f"km_{which}")


def test_km_elements_case_study(case_study):
    plot = plots.plot_km(case_study, counts=KMUNICATE)
    ax = plot.ax
    assert plot.title.get_text() == "HR 0.80 (95% CI 0.61 to 1.03); log-rank p = 0.083"
    assert plot.legend_texts[1].get_text() == "treatment (n = 161, 111 deaths)"
    assert plot.legend_texts[0].get_text() == "control (n = 160, 119 deaths)"
    assert ax.get_xlabel() == "Months since randomisation"
    assert ax.get_ylabel() == "Proportion alive"
    assert "not patient data" in plot.caption.get_text()
    # Palette and styles: treatment blue solid, control vermillion dashed.
    assert plot.lines[1].get_color() == "#0072B2" and plot.lines[1].get_linestyle() == "-"
    assert plot.lines[0].get_color() == "#D55E00" and plot.lines[0].get_linestyle() == "--"
    assert [t.get_text() for t in plot.legend_texts.values()] != ["", ""]
    # Medians: the dotted lines turn at the median time.
    for pos, arm in ((0, "control"), (1, "treatment")):
        x, y = plot.median_lines[pos].get_data()
        assert x[1] == pytest.approx(case_study.median[arm].estimate)
        assert list(y) == [0.5, 0.5, 0]
    assert "Median survival 23.2 months" in plot.alt_text
    assert "Censored (alive at the analysis or lost to follow-up): treatment 50 of 161" in plot.alt_text


@pytest.mark.parametrize("which", ["case_study", "lung"])
def test_km_curves_equal_lifelines(which, request):
    analysis = request.getfixturevalue(which)
    plot = plots.plot_km(analysis, min_at_risk=None)  # every curve drawn in full
    data = analysis.data
    for pos, arm in ((0, analysis.reference), (1, analysis.other)):
        rows = data[data["arm"] == arm]
        kmf = KaplanMeierFitter().fit(rows["time"], rows["event"])
        x, y = plot.lines[pos].get_data()
        # The drawn step function has, after each jump, lifelines' survival at that time.
        drawn = pd.Series(y[::2], index=x[::2])
        expected = kmf.survival_function_.iloc[:, 0]
        np.testing.assert_allclose(drawn.to_numpy(), expected.reindex(drawn.index).to_numpy(),
                                   rtol=1e-12)
        # Censoring marks sit at the censored times, on the curve.
        mx, my = plot.marks[pos].get_data()
        censored_times = np.unique(rows.loc[rows["event"] == 0, "time"])
        np.testing.assert_allclose(mx, censored_times)
        np.testing.assert_allclose(my, expected.reindex(mx).to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("which", ["case_study", "lung", "degenerate"])
def test_km_table_equals_lifelines_counts(which, request):
    analysis = request.getfixturevalue(which)
    plot = plots.plot_km(analysis, counts=KMUNICATE)
    shown = plot.table_text()
    # A simulated trial's axis ends at its analysis date; real data's at the last time seen.
    t_max = (analysis.scenario.analysis_time if analysis.simulated
             else max(float(c.time[-1]) for c in analysis.curves.values()))
    times = plots.table_times(t_max)
    np.testing.assert_array_equal(plot.times, times)
    if which != "degenerate":  # the library's round times, unless follow-up is under a month
        np.testing.assert_array_equal(times, nice_times(t_max))
    pd.testing.assert_frame_equal(shown, analysis.at_risk_table(times, KMUNICATE).loc[shown.index])
    data = analysis.data
    for arm in analysis.arms:
        counts = lifelines_counts(data[data["arm"] == arm], times)
        for what in KMUNICATE:
            assert shown.loc[(analysis.labels[arm], what)].tolist() == counts[what], (arm, what)


def test_km_lung_units_and_no_simulated_caption(lung):
    plot = plots.plot_km(lung)
    # Sex is not randomised: the time axis is time since the start of follow-up.
    assert plot.ax.get_xlabel() == "Days since the start of follow-up"
    assert plot.caption.get_text() == ""
    assert plot.legend_texts[1].get_text().startswith("women (n = 90,")
    assert "since randomisation" not in plot.alt_text
    assert "proportion alive against days since the start of follow-up" in plot.alt_text


def test_km_degenerate_says_why(degenerate):
    plot = plots.plot_km(degenerate)
    assert plot.title.get_text() == "HR undefined; log-rank p undefined"
    assert "No deaths yet" in plot.alt_text
    assert plot.median_lines[0].get_data()[0].size == 0  # no median line when not reached
    assert plot.legend_texts[1].get_position()[1] < 0.5  # moved below the flat curves
    assert len(plot.times) >= 3  # finer round times for half a month of follow-up


def legend_crossings(plot):
    """Curves (by arm position) whose drawn line crosses a legend entry's box or sample line."""
    plots.png_bytes(plot.figure)
    renderer = plot.figure.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in plot.legend_texts.values()]
    boxes += [s.get_window_extent(renderer) for s in plot.legend_samples.values()]
    crossed = set()
    for pos, line in plot.lines.items():
        path = line.get_path().transformed(line.get_transform())
        if any(path.intersects_bbox(box, filled=False) for box in boxes):
            crossed.add(pos)
    return crossed


def waltons_like():
    """lifelines' Waltons data: one arm falls early, the other stays high, then falls late."""
    from lifelines.datasets import load_waltons

    data = load_waltons().rename(columns={"T": "time", "E": "event"})
    data["arm"] = data.pop("group").map({"control": "control", "miR-137": "treatment"})
    return es.analyze(data)


def test_km_legend_avoids_the_curves(case_study, lung, degenerate):
    waltons = waltons_like()
    for analysis in (waltons, case_study, lung, degenerate):
        plot = plots.plot_km(analysis, counts=("at risk",))
        assert legend_crossings(plot) == set(), analysis.labels
    # The usual place, top right, where the curves of the news story's trial have fallen.
    plot = plots.plot_km(case_study)
    assert plot.legend_texts[1].get_position() == (0.885, 0.965)
    # Updating to the Waltons data moves it (lower left: both curves end near 0 on the right
    # and the late-falling one is high at the top right), and back.
    plot.update(waltons)
    assert plot.legend_texts[1].get_position()[0] < 0.5 and legend_crossings(plot) == set()
    plot.update(case_study)
    assert plot.legend_texts[1].get_position() == (0.885, 0.965)
    save(plots.plot_km(waltons), "km_waltons")


def test_km_update_changes_artists_in_place(case_study):
    plot = plots.plot_km(case_study, counts=KMUNICATE)
    fig, ax, line, band, texts = plot.figure, plot.ax, plot.lines[1], plot.bands[1], plot.title
    before = line.get_ydata().copy()
    table_before = plot.table_text()
    other = es.analyze(es.simulate(es.LAPATINIB.replace(n=100, follow_up=6), seed=3))
    assert plot.update(other) is plot
    assert plot.figure is fig and plot.ax is ax and plot.lines[1] is line
    assert plot.bands[1] is band and plot.title is texts
    assert fig.axes == [ax]
    assert not np.array_equal(before, line.get_ydata())
    assert not plot.table_text().equals(table_before)
    pd.testing.assert_frame_equal(plot.table_text(),
                                  other.at_risk_table(plot.times, KMUNICATE).loc[plot.table_text().index])
    # The axis follows the new follow-up (30 months).
    assert plot.ax.get_xlim()[1] == pytest.approx(30 * 1.03)
    save(plot, "km_updated")


def test_km_into_given_axes(case_study):
    fig = plots.new_figure(8, 7)
    ax = fig.add_axes([0.15, 0.45, 0.8, 0.5])
    plot = plots.plot_km(case_study, ax=ax)
    assert plot.figure is fig and plot.ax is ax
    save(plot, "km_given_axes")


def test_km_rejects_bad_input(case_study):
    with pytest.raises(ValueError, match="analysis must be an edu_survival Analysis"):
        plots.plot_km("not an analysis")
    with pytest.raises(ValueError, match="counts must be a non-empty subset"):
        plots.plot_km(case_study, counts=("deaths",))
    with pytest.raises(ValueError, match="t_max must be a positive number"):
        plots.plot_km(case_study, t_max=-1)
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        plots.plot_km(case_study, ax="left")


# ----- hazard ratio ------------------------------------------------------------------------
def test_hr_single_trial(case_study):
    plot = no_warnings(lambda: plots.plot_hr(case_study))
    assert plot.ax.get_xscale() == "log"
    assert plot.points.get_xdata().tolist() == [pytest.approx(case_study.hr)]
    assert plot.ci_lines[0].get_xdata().tolist() == pytest.approx(list(case_study.hr_ci))
    assert plot.values[0].get_text() == "0.80 (0.61 to 1.03)"
    assert plot.truth.get_xdata().tolist() == [pytest.approx(es.LAPATINIB.hr)]
    assert "line of no effect at 1" in plot.alt_text
    lo, hi = plot.ax.get_xlim()
    assert lo < 1 < hi
    save(plot, "hr_case_study")


def test_hr_forest_and_update(case_study, lung, degenerate):
    plot = no_warnings(lambda: plots.plot_hr({"case study": case_study, "lung": lung,
                                               "no deaths": degenerate}))
    assert [t.get_text() for t in plot.ax.get_yticklabels()] == ["case study", "lung", "no deaths"]
    assert plot.values[2].get_text() == "undefined"
    assert "no deaths: undefined (No deaths yet" in plot.alt_text
    save(plot, "hr_forest")
    points = plot.points
    plot.update({"a": lung, "b": case_study, "c": case_study})
    assert plot.points is points and len(points.get_xdata()) == 3
    with pytest.raises(ValueError, match="results must have 3 rows"):
        plot.update(case_study)
    with pytest.raises(ValueError, match="results must be an Analysis"):
        plots.plot_hr(42)


# ----- dance and power curve ---------------------------------------------------------------
@pytest.fixture(scope="module")
def power_result():
    return es.power(es.LAPATINIB, n_sims=300, seed=1, progress=False)


def test_dance_shows_every_trial_and_the_power(power_result):
    plot = no_warnings(lambda: plots.plot_dance(power_result, n_show=None))
    sig_x, sig_y = plot.significant.get_data()
    non_x, non_y = plot.not_significant.get_data()
    assert len(sig_x) == power_result.n_significant
    assert len(sig_x) + len(non_x) == np.isfinite(power_result.p_values).sum()
    assert np.all(np.asarray(sig_y) < 0.05) and np.all(np.asarray(non_y) >= 0.05)
    assert plot.title.get_text().startswith(f"{power_result.n_significant} of 300 trials had p < 0.05")
    assert plot.hr_points.get_ydata().size == 300
    assert plot.true_line.get_ydata()[0] == pytest.approx(es.LAPATINIB.hr)
    assert "dance of the p-values" in plot.alt_text and "Power" in plot.alt_text
    save(plot, "dance")


def test_dance_updates_in_place(power_result):
    plot = plots.plot_dance(power_result)
    fig, line = plot.figure, plot.significant
    assert len(plot.significant.get_xdata()) + len(plot.not_significant.get_xdata()) == 100
    weaker = es.power(es.LAPATINIB.replace(n=60), n_sims=300, seed=2, progress=False)
    intervals = plot.intervals
    plot.update(weaker)
    assert plot.figure is fig and plot.significant is line and plot.intervals is intervals
    assert len(line.get_xdata()) == np.count_nonzero(weaker.p_values[:100] < 0.05)
    assert plot.intervals.get_segments()[0][1][1] == pytest.approx(
        min(weaker.hr_upper[0], plot.hr_ax.get_ylim()[1]))
    save(plot, "dance_weak")


def test_dance_text_with_undefined_hazard_ratios():
    null = es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=1.0, median_control=20.0,
                                median_treatment=20.0)
    result = es.power(null, n_sims=300, seed=1, progress=False)
    plot = plots.plot_dance(result)
    hrs = np.asarray(result.hrs[:100])
    defined = hrs[np.isfinite(hrs) & (hrs > 0)]
    assert np.isinf(hrs).any() or (hrs == 0).any()
    assert "inf" not in plot.alt_text and "0.00 to" not in plot.alt_text
    assert f"from {defined.min():.2f} to {defined.max():.2f}" in plot.alt_text
    assert f"{100 - defined.size} of these 100 trials had an undefined hazard ratio" in plot.alt_text
    assert "false-positive rate (type I error)" in plot.title.get_text()
    assert "power" not in plot.title.get_text()


def test_dance_single_axes_and_bad_input(power_result):
    fig = plots.new_figure(8, 4)
    ax = fig.add_subplot()
    plot = plots.plot_dance(power_result, ax=ax)
    assert plot.hr_ax is None and plot.ax is ax
    with pytest.raises(ValueError, match="result must be a PowerResult"):
        plots.plot_dance(object())
    with pytest.raises(ValueError, match="n_show must be a whole number"):
        plots.plot_dance(power_result, n_show=0)


def test_power_curve_plot():
    curve = es.power_curve(es.LAPATINIB, vary="n", values=[100, 321, 600], n_sims=200, seed=1)
    plot = no_warnings(lambda: plots.plot_power_curve(curve))
    np.testing.assert_array_equal(plot.simulated.get_xdata(), [100, 321, 600])
    np.testing.assert_allclose(plot.simulated.get_ydata(), curve["power"])
    np.testing.assert_allclose(plot.analytic.get_ydata(), curve["analytic_power"])
    segments = plot.ci.get_segments()
    assert [s[0][1] for s in segments] == pytest.approx(curve["ci_low"].tolist())
    assert plot.ax.get_xlabel() == "Patients randomised"
    assert "321: " in plot.alt_text
    save(plot, "power_curve")
    analytic = plot.analytic
    plot.update(es.power_curve(es.LAPATINIB, vary="n", values=[50, 200], n_sims=100, seed=2))
    assert plot.analytic is analytic and plot.analytic.get_xdata().tolist() == [50, 200]
    with pytest.raises(ValueError, match="curve must vary 'n'"):
        plot.update(es.power_curve(es.LAPATINIB, vary="follow_up", values=[12], n_sims=50, seed=1))
    with pytest.raises(ValueError, match="curve must be the DataFrame"):
        plots.plot_power_curve(pd.DataFrame({"n": [1]}))


# ----- helpers -----------------------------------------------------------------------------
def test_palette_and_figures_do_not_display_themselves():
    assert plots.arm_style(0) == {"color": "#D55E00", "linestyle": "--"}
    with pytest.raises(ValueError, match="position must be 0"):
        plots.arm_style(2)
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plots.plot_km(es.analyze(es.simulate(es.LAPATINIB, seed=2)))
    assert plt.get_fignums() == before  # not registered with pyplot: never shown twice
    with pytest.raises(ValueError, match="dpi must be a positive number"):
        plots.new_figure(dpi=0)


def test_describe_names_every_count(case_study):
    text = plots.describe(case_study)
    assert text.startswith(case_study.summary())
    for arm in case_study.arms:
        assert f"{arm} {case_study.censored[arm]} of {case_study.n[arm]}" in text
    with pytest.raises(ValueError, match="analysis must be an edu_survival Analysis"):
        plots.describe(None)
    assert math.isfinite(case_study.hr)


def test_km_fast_draw_is_pixel_identical_to_a_full_draw(case_study):
    plot = plots.plot_km(case_study, counts=KMUNICATE)
    trials = [es.LAPATINIB.replace(median_control=12), es.LAPATINIB.replace(follow_up=6),
              es.LAPATINIB.replace(n=40, follow_up=6), es.LAPATINIB]
    for seed, scenario in enumerate(trials, start=2):
        plot.update(es.analyze(es.simulate(scenario, seed)))
        plot.draw()  # reuses the background when the axis did not change
        fast = np.asarray(plot.figure.canvas.buffer_rgba()).copy()
        plots.draw(plot.figure)
        full = np.asarray(plot.figure.canvas.buffer_rgba())
        np.testing.assert_array_equal(fast, full)
    assert all(not a.get_animated() for a in plot._dynamic_artists())
    # In a shared figure it simply draws everything.
    fig = plots.new_figure()
    shared = plots.plot_km(case_study, ax=fig.add_subplot(211))
    shared.draw()
    assert shared._background is None


def test_plot_objects_show_themselves_with_alt_text(case_study, power_result):
    curve = es.power_curve(es.LAPATINIB, vary="n", values=[100, 300], n_sims=50, seed=1)
    for plot in (plots.plot_km(case_study), plots.plot_hr(case_study),
                 plots.plot_dance(power_result), plots.plot_power_curve(curve),
                 plots.plot_loglog(case_study)):
        bundle = plot._repr_mimebundle_()
        assert bundle["text/plain"] == plot.alt_text
        match = re.match(r'<img alt="([^"]*)" src="data:image/png;base64,', bundle["text/html"])
        assert match and html.unescape(match.group(1)) == plot.alt_text


# ----- pointwise CI, faded tails, what time is measured from ---------------------------------
def test_km_names_the_pointwise_ci_and_fades_below_min_at_risk(case_study):
    plot = plots.plot_km(case_study)
    assert plot.key.get_text().splitlines() == ["shaded: pointwise 95% CI", "faded: < 5 at risk"]
    assert "pointwise 95% confidence interval shaded" in plot.alt_text
    data = case_study.data
    for pos, arm in ((0, case_study.reference), (1, case_study.other)):
        rows = data[data["arm"] == arm]
        table = KaplanMeierFitter().fit(rows["time"], rows["event"]).event_table
        # lifelines' at-risk count just after each time: at risk at it, minus those removed
        after = table["at_risk"] - table["removed"]
        cut = float(after.index[after.to_numpy() < 5][0])
        x, _ = plot.lines[pos].get_data()
        tail_x, tail_y = plot.tails[pos].get_data()
        assert x[-1] == pytest.approx(cut) and tail_x[0] == pytest.approx(cut)
        assert plot.tails[pos].get_alpha() < 1 and plot.tails[pos].get_visible()
        assert tail_x[-1] == pytest.approx(rows["time"].max())
        assert plot.tail_from[arm] == pytest.approx(cut)
        assert f"{case_study.labels[arm]} after {round(cut, 1):g} months" in plot.alt_text
        # no censoring mark of the tail is drawn at full strength
        marks_x, _ = plot.marks[pos].get_data()
        assert np.all(np.asarray(marks_x) <= cut)
    assert "Where fewer than 5 patients remain at risk a curve is drawn faded" in plot.alt_text
    stopped = plots.plot_km(case_study, tail="stopped", min_at_risk=20)
    assert not stopped.tails[1].get_visible() and "is stopped" in stopped.alt_text
    assert stopped.key.get_text().endswith("stopped: < 20 at risk")
    full = plots.plot_km(case_study, min_at_risk=None, ci=False)
    assert full.tail_from == {} and full.key.get_text() == ""
    assert "faded" not in full.alt_text and "pointwise" not in full.alt_text
    with pytest.raises(ValueError, match="min_at_risk must be a whole number"):
        plots.plot_km(case_study, min_at_risk=-1)
    with pytest.raises(ValueError, match="tail must be 'faded' or 'stopped'"):
        plots.plot_km(case_study, tail="gone")
    save(plots.plot_km(case_study, counts=KMUNICATE), "km_faded_tail")


def test_time_label_names_the_time_axis(lung):
    enrolled = es.analyze(load_lung(), event="status", group="sex", control=1,
                          labels={1: "men", 2: "women"}, unit="days",
                          time_label="days since enrolment")
    plot = plots.plot_km(enrolled)
    assert plot.ax.get_xlabel() == "Days since enrolment"
    assert "proportion alive against days since enrolment for women" in plot.alt_text
    assert "randomis" not in plot.alt_text
    labelled = es.analyze(load_lung(), event="status", group="sex", control=1,
                          labels={1: "men", 2: "women"}, unit="days")
    for label in ("days since diagnosis", "since diagnosis"):
        labelled.time_label = label  # also a label without its unit
        plot = plots.plot_km(labelled)
        assert plot.ax.get_xlabel() == "Days since diagnosis"
        assert "against days since diagnosis" in plot.alt_text
        assert plots.plot_loglog(labelled).ax.get_xlabel() == "Days since diagnosis (log scale)"
    labelled.time_label = "time since the start of follow-up"
    assert plots.plot_km(labelled).ax.get_xlabel() == "Time since the start of follow-up"


# ----- log-log plot ------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["case_study", "lung", "degenerate"])
def test_loglog_draws_log_minus_log_survival(which, request):
    analysis = request.getfixturevalue(which)
    plot = no_warnings(lambda: plots.plot_loglog(analysis))
    assert plot.ax.get_xscale() == "log"
    data = analysis.data
    for pos, arm in ((0, analysis.reference), (1, analysis.other)):
        rows = data[data["arm"] == arm]
        surv = KaplanMeierFitter().fit(rows["time"], rows["event"]).survival_function_.iloc[:, 0]
        surv = surv[(surv.index > 0) & (surv > 0) & (surv < 1)]
        x, y = plot.lines[pos].get_data()
        np.testing.assert_allclose(x[::2], surv.index.to_numpy())
        np.testing.assert_allclose(y[::2], np.log(-np.log(surv.to_numpy())), rtol=1e-10)
    assert "parallel" in plot.alt_text and "not proportional" in plot.alt_text
    save(plot, f"loglog_{which}")


def test_loglog_gaps_and_update(case_study):
    plot = plots.plot_loglog(case_study)
    data = case_study.data
    fits = {arm: KaplanMeierFitter().fit(data.time[data.arm == arm], data.event[data.arm == arm])
            for arm in case_study.arms}
    assert [t for t, _ in plot.gaps] == [12.0, 24.0, 36.0]
    for t, gap in plot.gaps:
        s = {arm: float(f.predict(t)) for arm, f in fits.items()}
        expected = np.log(-np.log(s["treatment"])) - np.log(-np.log(s["control"]))
        assert gap == pytest.approx(expected, rel=1e-10)
        assert f"{expected:+.2f} at {t:g} months" in plot.alt_text
    assert f"log {case_study.hr:.2f} = {np.log(case_study.hr):+.2f}" in plot.alt_text
    line = plot.lines[1]
    delayed = es.analyze(es.simulate(es.LAPATINIB.replace(delay=12.0), seed=2))
    assert plot.update(delayed) is plot and plot.lines[1] is line
    assert plot.analysis is delayed
    with pytest.raises(ValueError, match="analysis must be an edu_survival Analysis"):
        plots.plot_loglog(None)


# ----- the dance with intervals --------------------------------------------------------------
def test_dance_intervals_show_each_trials_ci_coloured_by_coverage(power_result):
    plot = no_warnings(lambda: plots.plot_dance(power_result))
    assert plot.show == "both" and plot.hr_ax is not None
    k = 100
    lower, upper = power_result.hr_lower[:k], power_result.hr_upper[:k]
    true_hr = es.LAPATINIB.hr
    covers = (lower <= true_hr) & (true_hr <= upper)  # computed here, not by the library
    segments = plot.intervals.get_segments()
    assert len(segments) == k
    y_lo, y_hi = plot.hr_ax.get_ylim()
    for i, seg in enumerate(segments):
        assert seg[0][0] == seg[1][0] == i + 1
        assert seg[0][1] == pytest.approx(np.clip(lower[i], y_lo, y_hi))
        assert seg[1][1] == pytest.approx(np.clip(upper[i], y_lo, y_hi))
    colours = [matplotlib.colors.to_hex(c) for c in plot.intervals.get_colors()]
    assert colours == [plots.COVER_COLORS[int(c)].lower() for c in covers]
    share = covers.mean()  # all 300 have intervals here
    all_covers = ((power_result.hr_lower <= true_hr) & (true_hr <= power_result.hr_upper)).mean()
    se = np.sqrt(all_covers * (1 - all_covers) / 300)
    title = plot.hr_title.get_text()
    assert title.startswith(f"95% CIs: {covers.sum()} of these 100 contain the true hazard "
                            f"ratio {true_hr:.2f}")
    assert f"Over all 300 trials: {all_covers:.1%} (Monte Carlo SE {se:.1%})" in title
    assert f"{covers.sum()} of these 100 contain it" in plot.alt_text
    assert (f"over all 300 trials, {all_covers:.1%} of the intervals do (Monte Carlo SE "
            f"{se:.1%}; the nominal level is 95%)") in plot.alt_text
    assert plot.alt_text.startswith("The dance of the p-values and of the confidence intervals")
    assert share > 0.8
    save(plot, "dance_intervals")


def test_dance_show_options_keep_old_calls_working(power_result):
    only_p = plots.plot_dance(power_result, show="p")
    assert only_p.hr_ax is None and only_p.intervals is None and len(only_p.figure.axes) == 1
    assert "confidence interval" not in only_p.alt_text
    only_ci = plots.plot_dance(power_result, show="intervals")
    assert only_ci.p_ax is None and only_ci.ax is only_ci.hr_ax and only_ci.significant is None
    assert "p-values on a log scale" not in only_ci.alt_text
    assert "confidence interval" in only_ci.alt_text
    save(only_ci, "dance_intervals_only")
    fig = plots.new_figure(8, 7)
    pair = fig.subplots(2, 1)
    both = plots.plot_dance(power_result, ax=pair)
    assert both.ax is pair[0] and both.hr_ax is pair[1]
    with pytest.raises(ValueError, match="show must be one of"):
        plots.plot_dance(power_result, show="ci")
    with pytest.raises(ValueError, match="show='both' needs two Axes"):
        plots.plot_dance(power_result, ax=fig.add_subplot(), show="both")
    from dataclasses import replace

    bare = replace(power_result, hr_lower=None, hr_upper=None)
    with pytest.raises(ValueError, match="result has no confidence intervals"):
        plots.plot_dance(bare)
    assert plots.plot_dance(bare, show="p").hr_ax is None


def test_dance_with_a_delayed_effect_says_why_coverage_falls():
    delayed = es.power(es.LAPATINIB.replace(delay=6.0), n_sims=200, seed=3, progress=False)
    plot = plots.plot_dance(delayed)
    assert "not proportional" in plot.alt_text
    assert "not proportional" not in plots.plot_dance(
        es.power(es.LAPATINIB, n_sims=50, seed=3, progress=False)).alt_text


# ----- nothing overlaps, nothing is cut -----------------------------------------------------
def drawn_texts(figure):
    """Every text a draw puts on the figure, with its box in pixels (after a draw)."""
    plots.draw(figure)
    renderer = figure.canvas.get_renderer()
    texts = []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            axis.get_majorticklabels()  # brings the ticks up to date
            for tick in axis.get_major_ticks():
                inside = lo - 1e-9 * abs(lo) <= tick.get_loc() <= hi + 1e-9 * abs(hi)
                texts += [lab for lab in (tick.label1, tick.label2)
                          if inside and lab.get_visible()]
            texts.append(axis.label)
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    texts += figure.texts
    out = []
    for text in texts:
        if text.get_visible() and text.get_text().strip():
            out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def assert_no_overlaps(plot, name):
    figure = plot.figure
    boxes = drawn_texts(figure)
    assert len(boxes) > 5
    frame = figure.bbox
    for text, box in boxes:
        assert (box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5
                and box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5), (name, text, box, frame)
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            # one pixel of tolerance: boxes that only touch do not overlap
            a_in, b_in = a.padded(-0.5), b.padded(-0.5)
            assert not a_in.overlaps(b_in), (name, text_a, text_b)
    save(plot, f"layout_{name}")


LONG_LABELS = {"control": "capecitabine chemotherapy alone (standard)",
               "treatment": "lapatinib plus capecitabine chemotherapy"}


@pytest.fixture(scope="module")
def strong():
    """A large trial with a strong effect: log-rank p far below 1e-6."""
    scenario = es.LAPATINIB.replace(n=2000, median_treatment=40.0)
    analysis = es.analyze(es.simulate(scenario, seed=1), labels=LONG_LABELS)
    assert analysis.logrank_p < 1e-6
    return analysis


def test_km_text_never_overlaps(case_study, lung, degenerate, strong):
    story = es.analyze(es.simulate(es.LAPATINIB, seed=1), labels=es.STORY_LABELS)
    for name, analysis in (("story", story), ("lung", lung), ("degenerate", degenerate),
                           ("strong_long_labels", strong), ("waltons", waltons_like())):
        assert_no_overlaps(plots.plot_km(analysis, counts=KMUNICATE), f"km_{name}")
    assert_no_overlaps(plots.plot_km(strong), "km_strong_at_risk_only")


def test_forest_text_never_overlaps_or_cuts(case_study, lung, degenerate, strong):
    story = es.analyze(es.simulate(es.LAPATINIB, seed=1), labels=es.STORY_LABELS)
    plot = plots.plot_hr(story)
    # The story's row label, once cut to "therapy vs chemotherapy alone", is all there.
    label = plot.ax.get_yticklabels()[0].get_text()
    assert label.replace("\n", " ") == "lapatinib + chemotherapy vs chemotherapy alone"
    assert_no_overlaps(plot, "hr_story")
    forest = {"the news story's trial, as the story reports it": story,
              "lung cancer cohort (NCCTG), women against men": lung,
              "no deaths yet": degenerate,
              "a large trial with a strong effect and very long arm labels": strong}
    assert_no_overlaps(plots.plot_hr(forest), "hr_forest_long")
    assert_no_overlaps(plots.plot_hr(strong), "hr_strong_long_labels")
    small = plots.new_figure(8.5, 3)
    given = plots.plot_hr(story, ax=small.add_axes([0.35, 0.35, 0.35, 0.55]))
    assert given.figure is small  # its own margins are the caller's


def test_dance_text_never_overlaps_and_legends_hide_no_point(power_result):
    strong = es.power(es.LAPATINIB.replace(n=2000, median_treatment=40.0), n_sims=150, seed=1,
                      progress=False)
    assert (strong.p_values[:100] <= 1e-6).mean() > 0.5  # most on the floor of the axis
    null = es.power(es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=1.0, median_control=20.0,
                                         median_treatment=20.0), n_sims=150, seed=1,
                    progress=False)
    for name, result in (("story", power_result), ("strong", strong), ("undefined", null)):
        for show in ("both", "p", "intervals"):
            plot = plots.plot_dance(result, show=show)
            assert_no_overlaps(plot, f"dance_{name}_{show}")
            renderer = plot.figure.canvas.get_renderer()
            for ax in plot.figure.axes:
                legend = ax.get_legend()
                assert legend is not None
                # The legend lies wholly outside the axes, so it covers no point.
                box = legend.get_window_extent(renderer)
                assert box.x0 >= ax.bbox.x1, (name, show)


def test_loglog_text_never_overlaps(case_study, lung, strong):
    for name, analysis in (("story", case_study), ("lung", lung), ("strong", strong)):
        assert_no_overlaps(plots.plot_loglog(analysis), f"loglog_{name}")


def test_km_in_narrow_axes_wraps_its_title_clear_of_the_key(case_study):
    fig = plots.new_figure(13, 6.8)
    bottom = plots.table_height(("at risk", "censored")) / fig.get_figheight()
    grid = fig.add_gridspec(1, 2, left=0.06, right=0.98, top=0.9, bottom=bottom, wspace=0.28)
    fig.add_subplot(grid[0, 0])
    plot = plots.plot_km(case_study, ax=fig.add_subplot(grid[0, 1]), counts=("at risk", "censored"))
    assert plot.title.get_text() == "HR 0.80 (95% CI 0.61 to 1.03);\nlog-rank p = 0.083"
    assert_no_overlaps(plot, "km_narrow")
    assert "\n" not in plots.plot_km(case_study).title.get_text()  # room enough on its own


def test_static_at_risk_table_names_the_time_scale_and_spaces_its_columns():
    """The at-risk table a static copy shows says what the columns measure: "randomisation"
    only for a (simulated) randomised trial, and its numbers do not run together."""
    from lifelines.datasets import load_lung

    lung = load_lung().dropna(subset=["sex"])
    cohort = es.analyze(lung, "time", "status", "sex", unit="days")
    trial = es.analyze(es.simulate(es.LAPATINIB, seed=1))
    cohort_html = plots.plot_km(cohort, numbers=False).table_html(visual=False)
    trial_html = plots.plot_km(trial, numbers=False).table_html(visual=False)
    assert "randomisation" not in cohort_html and "days since the start of follow-up" in cohort_html
    assert "months since randomisation" in trial_html
    assert "border-spacing" in cohort_html and "border-spacing" in trial_html
