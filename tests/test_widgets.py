"""Widgets driven from code, no browser: sliders, buttons, messages, and agreement with analyze."""

import base64
import html
import re
import warnings

import matplotlib.colors
import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

import edu_survival as es
from edu_survival import plots, widgets
from edu_survival.censoring import (
    censored_share_range,
    dropout_for_censored_share,
    full_follow_up,
    naive_estimates,
)
from edu_survival.lifetable import example_patients, life_table

CONTROL_KEYS = {"median_control", "median_treatment", "n", "accrual", "follow_up", "dropout", "seed",
                "shape", "delay"}


def reference(scenario, seed, labels=es.STORY_LABELS):
    """The same trial analysed independently, with lifelines (arms named as the explorer names
    the news story's arms)."""
    return es.analyze(es.simulate(scenario, seed), engine="lifelines", labels=labels)


def img_alt(view_widget):
    """The figure's alt text and its PNG, as the browser gets them."""
    assert view_widget.png.startswith(b"\x89PNG\r\n\x1a\n"), view_widget.png[:20]
    return view_widget.alt, view_widget.png


def assert_shows(explorer, scenario, seed):
    """Everything on screen agrees with analyze(simulate(scenario, seed))."""
    expected = reference(scenario, seed, explorer.labels)
    shown = explorer.analysis
    assert explorer.scenario == scenario and explorer.seed == seed
    # Engines agree to lifelines' Newton tolerance (about 1e-8), far below what is displayed.
    assert shown.hr == pytest.approx(expected.hr, rel=1e-6, nan_ok=True)
    assert shown.logrank_p == pytest.approx(expected.logrank_p, rel=1e-6, nan_ok=True)
    km = explorer.km
    for pos, arm in ((0, "control"), (1, "treatment")):
        rows = expected.data[expected.data["arm"] == arm]
        kmf = KaplanMeierFitter().fit(rows["time"], rows["event"])
        x, y = km.lines[pos].get_data()
        np.testing.assert_allclose(y[::2], kmf.survival_function_.iloc[:, 0].reindex(x[::2]), rtol=1e-12)
    table = km.table_text()
    pd.testing.assert_frame_equal(table, expected.at_risk_table(km.times, km.counts).loc[table.index])
    # The true hazard ratio, from the scenario's medians and shape, computed here.
    true_hr = (scenario.median_control / scenario.median_treatment) ** scenario.shape
    truth = "True hazard ratio of this simulation (treatment / control): "
    truth += (f"{scenario.early_hr:.2f} for the first {scenario.delay:g} months, then {true_hr:.2f}"
              if scenario.delay > 0 else f"{true_hr:.2f}")
    assert explorer.summary_text == f"{plots.describe(expected)} {truth}" + (
        f" ({widgets.TrialExplorer.hazard_words(scenario.shape)}: Weibull shape "
        f"{scenario.shape:.2f}).")
    assert html.escape(plots.describe(expected)) in explorer.summary.value
    assert html.escape(truth) in explorer.summary.value
    alt, _ = img_alt(explorer.view.widget)
    assert plots.describe(expected) in alt and truth in alt


@pytest.fixture
def explorer():
    return widgets.TrialExplorer(es.LAPATINIB, seed=1, n_sims=200)


def test_controls_names_labels_and_classes(explorer):
    assert set(explorer.controls) >= CONTROL_KEYS
    descriptions = {k: c.description for k, c in explorer.controls.items()}
    assert "Median, control" in descriptions["median_control"]
    assert "Median, treatment" in descriptions["median_treatment"]
    assert descriptions["n"] == "Patients"
    assert "es-figure" in explorer.view.widget._dom_classes
    assert explorer.summary.value == explorer.view.widget.summary  # shown in an aria-live region
    assert "es-message" in explorer.message._dom_classes
    assert explorer.figure is explorer.km.figure
    assert explorer.engine == "numpy"  # the Monte Carlo module is there
    assert {b.description for b in explorer.buttons.values()} == {
        "New trial", "Run 200 trials", "Reset to the news story"}
    for w in (explorer.widget, explorer.view.widget):  # no tooltip on boxes/images (breaks Lab 4.6)
        assert not getattr(w, "tooltip", None)
    assert_shows(explorer, es.LAPATINIB, 1)
    assert explorer.message.value == ""


@pytest.mark.parametrize(("name", "value", "field"), [
    ("median_control", 12.0, "median_control"),
    ("median_treatment", 30.0, "median_treatment"),
    ("n", 100, "n"),
    ("accrual", 12.0, "accrual"),
    ("follow_up", 6.0, "follow_up"),
    ("dropout", 0.3, "dropout"),
])
def test_each_slider_changes_the_trial(explorer, name, value, field):
    line = explorer.km.lines[1]
    before = [explorer.km.lines[pos].get_ydata().copy() for pos in (0, 1)]
    alt_before, src_before = img_alt(explorer.view.widget)
    table_before = explorer.km.table_text()
    explorer.controls[name].value = value
    assert getattr(explorer.scenario, field) == pytest.approx(value)
    assert_shows(explorer, es.LAPATINIB.replace(**{field: value}), 1)
    assert explorer.km.lines[1] is line and explorer.figure is explorer.km.figure
    after = [explorer.km.lines[pos].get_ydata() for pos in (0, 1)]
    assert not all(np.array_equal(b, a) for b, a in zip(before, after, strict=True))
    assert not explorer.km.table_text().equals(table_before)
    alt, src = img_alt(explorer.view.widget)
    assert alt != alt_before and src != src_before


def test_new_trial_and_seed(explorer):
    explorer.buttons["new_trial"].click()
    assert explorer.controls["seed"].value == 2
    assert_shows(explorer, es.LAPATINIB, 2)
    explorer.controls["seed"].value = 40
    assert_shows(explorer, es.LAPATINIB, 40)


def test_reset_returns_to_the_news_story(explorer):
    explorer.controls["median_control"].value = 10
    explorer.controls["n"].value = 50
    explorer.controls["effect_mode"].value = "hr"
    explorer.controls["hr"].value = 0.5
    explorer.buttons["new_trial"].click()
    explorer.buttons["reset"].click()
    assert explorer.controls["effect_mode"].value == "medians"
    assert_shows(explorer, es.LAPATINIB, 1)


def test_hazard_ratio_mode(explorer):
    explorer.controls["effect_mode"].value = "hr"
    assert explorer.controls["hr"].layout.display is None
    assert explorer.controls["median_treatment"].layout.display == "none"
    assert explorer.scenario == es.LAPATINIB  # switching the description changes nothing
    explorer.controls["hr"].value = 0.5
    expected = es.Scenario.from_hr(17.3, 0.5)
    assert explorer.scenario.median_treatment == pytest.approx(expected.median_treatment)
    assert_shows(explorer, explorer.scenario, 1)
    assert explorer.controls["median_treatment"].value == pytest.approx(34.6)  # kept in step
    explorer.controls["effect_mode"].value = "medians"
    explorer.controls["median_treatment"].value = 20.0
    assert explorer.scenario.median_treatment == 20.0


def test_share_censored_mode(explorer):
    explorer.controls["censoring_mode"].value = "share"
    assert explorer.controls["dropout"].layout.display == "none"
    explorer.controls["share_censored"].value = 0.5
    dropout = dropout_for_censored_share(es.LAPATINIB, 0.5)
    assert explorer.scenario.dropout == pytest.approx(dropout)
    assert_shows(explorer, es.LAPATINIB.replace(dropout=dropout), 1)
    assert "Expected censored: 50% of patients" in explorer.readout.value
    explorer.controls["share_censored"].value = 0.6
    assert explorer.message.value == ""
    assert explorer.scenario.dropout == pytest.approx(dropout_for_censored_share(es.LAPATINIB, 0.6))


def assert_no_error(explorer):
    """No error message: warnings about the trial shown (median not reached...) may remain."""
    assert "cannot be shown" not in explorer.message.value
    assert "went wrong" not in explorer.message.value


def assert_share_slider_spans_the_feasible_range(explorer, scenario):
    slider, (low, high) = explorer.controls["share_censored"], censored_share_range(scenario)
    # the range in whole percent, rounded inwards so that every value on it can be reached
    assert low <= slider.min < low + 0.01 and high - 0.01 < slider.max <= high
    assert slider.min <= slider.value <= slider.max


def test_share_censored_slider_holds_only_feasible_shares(explorer):
    assert_share_slider_spans_the_feasible_range(explorer, es.LAPATINIB)  # 30% to 88%
    explorer.controls["censoring_mode"].value = "share"
    # Below what the end of study alone censors: the slider cannot go there.
    explorer.controls["share_censored"].value = 0.1
    assert explorer.controls["share_censored"].value == explorer.controls["share_censored"].min
    assert_no_error(explorer)
    # The lowest share is the story's own (no dropout), shown rounded inwards to a whole percent
    # (issue 19, 11b: switching the mode no longer moves the trial to the rounded share).
    lowest = explorer.controls["share_censored"].min
    assert explorer.scenario == es.LAPATINIB
    assert 0 <= lowest - censored_share_range(es.LAPATINIB)[0] < 0.01
    explorer.controls["share_censored"].value = 0.5
    # Shorter follow-up censors more at the end of the study: 50% is no longer reachable, and
    # the slider moves to the new lowest share instead of holding an impossible one.
    explorer.controls["follow_up"].value = 2
    shorter = es.LAPATINIB.replace(follow_up=2.0)
    assert censored_share_range(shorter)[0] > 0.5
    assert_share_slider_spans_the_feasible_range(explorer, shorter)
    assert_no_error(explorer)
    assert explorer.scenario.follow_up == 2.0
    share = explorer.controls["share_censored"].value
    assert explorer.scenario.dropout == pytest.approx(dropout_for_censored_share(shorter, share))
    # Every other control keeps working.
    explorer.controls["median_control"].value = 20
    assert_no_error(explorer)
    assert explorer.scenario.median_control == 20


def test_after_an_invalid_setting_other_controls_recover(explorer):
    explorer.controls["censoring_mode"].value = "share"
    explorer.controls["share_censored"].value = 0.5
    explorer.controls["accrual"].value = 0
    explorer.controls["follow_up"].value = 0  # invalid whatever the share
    assert "accrual + follow_up must be &gt; 0" in explorer.message.value
    explorer.controls["follow_up"].value = 1  # valid again: the share follows the new range
    assert_no_error(explorer)
    design = es.LAPATINIB.replace(accrual=0.0, follow_up=1.0)
    assert_share_slider_spans_the_feasible_range(explorer, design)
    assert explorer.scenario.follow_up == 1.0


def test_invalid_setting_marks_the_last_valid_trial(explorer):
    valid_alt, _ = img_alt(explorer.view.widget)
    valid_summary = explorer.summary_text
    explorer.controls["accrual"].value = 0
    explorer.controls["follow_up"].value = 0  # invalid
    prefix = "Showing the last valid trial: "
    alt, _ = img_alt(explorer.view.widget)
    summary = html.unescape(re.sub(r"<[^>]+>", "", explorer.summary.value))
    assert summary.startswith(prefix) and alt.startswith(prefix)
    assert explorer.summary_text.startswith(prefix)
    explorer.controls["n"].value = 100  # still invalid: said once, not twice
    alt, _ = img_alt(explorer.view.widget)
    assert alt.count(prefix) == 1 and explorer.summary.value.count(prefix) == 1
    explorer.controls["follow_up"].value = 24  # valid: the new trial, unmarked
    alt, _ = img_alt(explorer.view.widget)
    assert prefix not in alt and prefix not in explorer.summary.value
    assert not explorer.summary_text.startswith(prefix)
    assert valid_alt != alt and valid_summary != explorer.summary_text


def test_censoring_explorer_marks_the_last_valid_patients():
    explorer = widgets.CensoringExplorer()
    explorer.controls["accrual"].value = 0
    explorer.controls["follow_up"].value = 0
    alt, _ = img_alt(explorer.view.widget)
    assert alt.startswith("Showing the last valid trial: Swimmer plot")
    assert "Showing the last valid trial: " in explorer.summary.value
    explorer.controls["follow_up"].value = 6
    alt, _ = img_alt(explorer.view.widget)
    assert alt.startswith("Swimmer plot") and "last valid" not in explorer.summary.value


def test_scenario_values_outside_a_slider_widen_it(explorer):
    median = explorer.controls["median_control"]
    median.value = 500  # beyond the slider's 60 months
    assert median.value == 500 and median.max >= 500
    assert explorer.scenario.median_control == 500
    # The hidden treatment median follows the hazard ratio without being cut at 60 months.
    explorer.controls["median_control"].value = 60
    explorer.controls["effect_mode"].value = "hr"
    explorer.controls["hr"].value = 0.2
    assert explorer.scenario.median_treatment == pytest.approx(300)
    explorer.controls["effect_mode"].value = "medians"
    explorer.controls["n"].value = 100  # an update from the medians mode
    assert explorer.scenario.median_treatment == pytest.approx(300)
    assert explorer.controls["median_treatment"].max >= 300
    # A scenario from outside the sliders' ranges is shown as it is.
    wide = widgets.TrialExplorer(es.LAPATINIB.replace(median_control=90.0, accrual=80.0), n_sims=10)
    assert wide.controls["median_control"].value == 90 and wide.controls["accrual"].value == 80
    wide.controls["n"].value = 50
    assert wide.scenario.median_control == 90 and wide.scenario.accrual == 80


def test_impossible_setting_shows_message_and_recovers(explorer):
    explorer.controls["accrual"].value = 0
    shown = explorer.analysis
    explorer.controls["follow_up"].value = 0  # analysis at month 0: no trial
    assert "accrual + follow_up must be &gt; 0 months" in explorer.message.value
    assert explorer.analysis is shown  # the last good trial stays on screen
    explorer.controls["median_control"].value = 20  # other controls still answer...
    assert "accrual + follow_up" in explorer.message.value
    explorer.controls["follow_up"].value = 12  # ...and a valid setting recovers
    assert "accrual" not in explorer.message.value
    assert_shows(explorer, es.LAPATINIB.replace(accrual=0.0, follow_up=12.0, median_control=20.0), 1)


def seed_where(scenario, condition):
    for seed in range(500):
        if condition(es.simulate(scenario, seed)):
            return seed
    raise AssertionError("no such seed")


def test_no_deaths_shows_the_problem_and_recovers(explorer):
    short = es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=0.0, median_control=60.0,
                                 median_treatment=60.0)
    seed = seed_where(short, lambda df: df.event.sum() == 0)
    with explorer._hold():
        for name in ("n", "accrual", "follow_up", "median_control", "median_treatment"):
            explorer.controls[name].value = getattr(short, name)
        explorer.controls["seed"].value = seed
    explorer.refresh()  # several controls changed under hold: one update
    assert "No deaths yet" in explorer.message.value
    assert "HR undefined" in explorer.view.widget.above  # the headline beside the picture
    assert_shows(explorer, short, seed)
    explorer.controls["follow_up"].value = 24
    assert explorer.message.value == "" or "not reached" in explorer.message.value
    assert explorer.analysis.hr_defined


def test_no_deaths_in_one_arm(explorer):
    short = es.LAPATINIB.replace(n=10, accrual=1.0, follow_up=1.0, median_control=20.0,
                                 median_treatment=60.0)
    seed = seed_where(short, lambda df: df[df.arm == "treatment"].event.sum() == 0
                      and df[df.arm == "control"].event.sum() > 0)
    with explorer._hold():
        for name in ("n", "accrual", "follow_up", "median_control", "median_treatment"):
            explorer.controls[name].value = getattr(short, name)
        explorer.controls["seed"].value = seed
    explorer.refresh()  # several controls changed under hold: one update
    assert f"No deaths in the {es.STORY_LABELS['treatment']} arm" in explorer.message.value
    assert_shows(explorer, short, seed)


def test_unexpected_error_becomes_a_message(explorer, monkeypatch):
    def broken(scenario, seed):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(explorer, "_analyse", broken)
    explorer.controls["n"].value = 200  # no exception escapes the callback
    assert "Something went wrong (RuntimeError: disk on fire)" in explorer.message.value
    assert isinstance(explorer.last_error, RuntimeError)
    monkeypatch.undo()
    explorer.controls["n"].value = 201
    assert explorer.message.value == ""
    assert_shows(explorer, es.LAPATINIB.replace(n=201), 1)


def test_run_trials_shows_the_dance_and_the_power(explorer):
    explorer.controls["n"].value = 150
    explorer.buttons["run_trials"].click()
    result = explorer.power_result
    expected = es.power(es.LAPATINIB.replace(n=150), n_sims=200, seed=1, progress=False)
    np.testing.assert_array_equal(result.p_values, expected.p_values)
    assert result.power == expected.power
    assert "Power" in explorer.power_text.value and "Schoenfeld" in explorer.power_text.value
    assert explorer.buttons["run_trials"].disabled is False
    assert explorer.dance_view.widget in explorer.power_box.children
    alt, _ = img_alt(explorer.dance_view.widget)
    assert "dance of the p-values" in alt
    figure = explorer.dance.figure
    # A later change marks the trials as stale; a second run updates the same figure.
    explorer.controls["n"].value = 300
    assert "before your last change" in explorer.power_text.value
    explorer.buttons["run_trials"].click()
    assert explorer.dance.figure is figure
    assert explorer.power_result.scenario.n == 300
    assert "before your last change" not in explorer.power_text.value


def test_explore_is_one_line_and_package_level(capsys):
    explorer = es.explore(es.LAPATINIB.replace(n=100), n_sims=50)
    assert isinstance(explorer, widgets.TrialExplorer)
    assert explorer.scenario.n == 100
    assert es.explore is widgets.explore


def test_numpy_engine_falls_back_to_lifelines(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_montecarlo(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "montecarlo" or name.endswith(".montecarlo"):
            raise ImportError("not yet")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_montecarlo)
    assert widgets._pick_engine() == "lifelines"
    monkeypatch.undo()
    assert widgets._pick_engine() == "numpy"
    slow = widgets.TrialExplorer(es.LAPATINIB.replace(n=60), engine="lifelines")
    assert slow.analysis.engine == "lifelines"
    assert_shows(slow, es.LAPATINIB.replace(n=60), 1)


def test_constructor_rejects_bad_arguments():
    with pytest.raises(ValueError, match="scenario must be an edu_survival.Scenario"):
        widgets.TrialExplorer("lapatinib")
    with pytest.raises(ValueError, match="seed must be a whole number"):
        widgets.TrialExplorer(seed=-1)
    with pytest.raises(ValueError, match="n_sims must be a whole number"):
        widgets.TrialExplorer(n_sims=0)
    with pytest.raises(ValueError, match="engine must be"):
        widgets.TrialExplorer(engine="R")


def test_widgets_update_without_warnings(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer = widgets.TrialExplorer(n_sims=100)
        explorer.controls["median_control"].value = 10
        explorer.buttons["run_trials"].click()
        censoring = widgets.CensoringExplorer()
        censoring.controls["dropout"].value = 0.5
        stepper = widgets.KMStepper()
        stepper.buttons["next"].click()
    assert [str(w.message) for w in caught] == []
    assert explorer.message.value == censoring.message.value == stepper.message.value == ""


# ----- censoring explorer ------------------------------------------------------------------
def test_censoring_explorer_agrees_with_the_library():
    explorer = widgets.CensoringExplorer(seed=3)
    scenario = widgets.CENSORING_SCENARIO
    horizon = widgets.CENSORING_HORIZON
    expected = naive_estimates(full_follow_up(scenario, 3), horizon)
    pd.testing.assert_frame_equal(explorer.table, expected)
    assert len(explorer.seen.get_segments()) == scenario.n
    unseen = explorer.unseen.get_segments()
    assert len(unseen) == int((explorer.full.event == 0).sum())
    assert explorer.analysis_line.get_xdata()[0] == scenario.analysis_time
    assert "es-figure" in explorer.view.widget._dom_classes
    assert explorer.summary.value == explorer.view.widget.summary
    for arm in ("treatment", "control"):
        assert f"{expected.loc[(arm, 'drop censored'), 'survival']:.0%}" in explorer.summary.value
        # each arm's part is a sentence of its own, capitalised (was "... are censored. treatment: ...")
        sample = expected.loc[(arm, "same patients, full follow-up"), "survival"]
        assert (f"{arm.capitalize()} arm: {sample:.0%} of these patients are really alive at "
                f"{horizon:g} months;") in explorer.summary.value
    # an error that rounds to 0 is shown unsigned, never "(-0%)" or "(+0%)"
    assert "(-0%)" not in explorer.table_widget.value and "(+0%)" not in explorer.table_widget.value
    rounds_to_0 = (explorer.table["error"] * 100).round().eq(0) & explorer.table["survival"].notna()
    assert rounds_to_0.any()  # "same patients, full follow-up" against itself at least
    assert explorer.table_widget.value.count("(±0%)") == int(rounds_to_0.sum())
    alt, _ = img_alt(explorer.view.widget)
    assert "Swimmer plot" in alt and "Kaplan–Meier plot" in alt
    before = explorer.km.lines[1].get_ydata().copy()
    explorer.controls["follow_up"].value = 6
    new = scenario.replace(follow_up=6.0)
    pd.testing.assert_frame_equal(explorer.table, naive_estimates(full_follow_up(new, 3), horizon))
    assert not np.array_equal(before, explorer.km.lines[1].get_ydata())
    explorer.controls["horizon"].value = 12
    assert explorer.table.attrs["horizon"] == 12
    assert "at 12 months" in explorer.summary.value
    explorer.buttons["new_patients"].click()
    assert explorer.seed == 4
    plots.png_bytes(explorer.figure)
    (__import__("pathlib").Path(__file__).resolve().parents[1] / "test-artifacts").mkdir(exist_ok=True)


def test_censoring_explorer_default_view_shows_kaplan_meier_beating_the_shortcuts():
    # Lesson 01 says beside this widget that Kaplan–Meier does not drift like the shortcuts.
    explorer = widgets.CensoringExplorer()
    horizon, full, table = explorer.horizon, explorer.full, explorer.table
    for arm in ("control", "treatment"):
        part = full[full.arm == arm]
        # What these patients really did, and Kaplan–Meier from what the analysis sees,
        # both computed here independently of the widget.
        really_alive = float((part.death_time > horizon).mean())
        km = float(KaplanMeierFitter().fit(part.time, part.event).predict(horizon))
        assert part.time.max() >= horizon  # somebody is still at risk at the horizon
        assert table.loc[(arm, "Kaplan–Meier"), "survival"] == pytest.approx(km)
        km_error = abs(km - really_alive)
        for shortcut in ("share who died", "drop censored"):
            assert km_error < abs(table.loc[(arm, shortcut), "survival"] - really_alive), (arm, shortcut)
    assert "nan" not in explorer.summary.value.lower()


def _numbers_for(method, table_html):
    row = re.search(rf"<th scope='row'>{re.escape(method)}</th>(.*?)</tr>", table_html).group(1)
    return re.findall(r"\d+%", row)


def test_censoring_explorer_says_what_cannot_be_estimated():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer = widgets.CensoringExplorer()
        explorer.controls["follow_up"].value = 0.1
        horizon = explorer.horizon
        # accrual 24 + follow-up 0.1: nobody is followed to the horizon in either arm
        assert (explorer.full.time < horizon).all()
        summary, table = explorer.summary.value, explorer.table_widget.value
        for text in (summary, table):
            assert "nan" not in text.lower()
            assert text.count("cannot be estimated beyond") == 2 and "nobody left at risk" in text
        for arm in ("control", "treatment"):
            last = explorer.full.time[explorer.full.arm == arm].max()
            assert f"cannot be estimated beyond {last:.3g} months" in summary
        assert "Kaplan–Meier says" not in summary
        assert _numbers_for("Kaplan–Meier", table) == []
        alt, _ = img_alt(explorer.view.widget)
        assert "Kaplan–Meier says" not in alt and "nan" not in alt.lower()
        # Ten patients followed 0.1 months: nobody dies and everyone is censored before the
        # horizon, so dropping the censored leaves nobody (0/0).
        with explorer._hold():
            explorer.controls["n"].value = 10
            explorer.controls["accrual"].value = 0
        explorer.controls["follow_up"].value = 0.2
        assert explorer.full.event.sum() == 0
        summary, table = explorer.summary.value, explorer.table_widget.value
        for text in (summary, table):
            assert "nan" not in text.lower()
            assert text.count("cannot be computed") == 2
        assert _numbers_for("censored dropped", table) == []
    assert [str(w.message) for w in caught] == []


def test_censoring_explorer_message_and_recovery():
    explorer = widgets.CensoringExplorer()
    explorer.controls["accrual"].value = 0
    explorer.controls["follow_up"].value = 0
    assert "accrual + follow_up must be &gt; 0" in explorer.message.value
    explorer.controls["follow_up"].value = 3
    assert explorer.message.value == "" or "not reached" in explorer.message.value
    assert explorer.scenario.follow_up == 3


# ----- KM stepper --------------------------------------------------------------------------
def test_stepper_steps_through_the_life_table():
    stepper = widgets.KMStepper()
    data = example_patients()
    table = life_table(data.time, data.event)
    pd.testing.assert_frame_equal(stepper.table, table)
    assert stepper.step == 0 and stepper.current_survival == 1.0
    assert "All 12 patients start alive" in stepper.summary.value
    stepper.buttons["previous"].click()
    assert stepper.step == 0
    for k in range(1, len(table) + 1):
        stepper.buttons["next"].click()
        assert stepper.step == k
        row = table.iloc[k - 1]
        assert stepper.current_survival == pytest.approx(row.survival)
        assert html.escape(row.product_text) in stepper.summary.value
        assert stepper.table_widget.value.count("<tr") == k + 1
        x, y = stepper.curve.get_data()
        assert y[-1] == pytest.approx(row.survival)
    stepper.buttons["next"].click()  # past the end: stays
    assert stepper.step == len(table)
    kmf = KaplanMeierFitter().fit(data.time, data.event)
    assert stepper.current_survival == pytest.approx(kmf.survival_function_.iloc[-1, 0])
    alt, _ = img_alt(stepper.view.widget)
    assert alt.startswith("Kaplan–Meier curve built step by step")
    stepper.buttons["start"].click()
    assert stepper.step == 0
    stepper.controls["step"].value = 4
    assert "Step 4 of 12" in stepper.summary.value


def coloured_patients(stepper):
    """Patient rows (bottom to top) whose bar is coloured as at risk."""
    grey = matplotlib.colors.to_rgba("#cccccc")
    return [i for i, c in enumerate(stepper.bars.get_colors()) if tuple(c) != grey]


def test_stepper_colours_the_life_tables_patients_at_risk():
    data = pd.DataFrame({"time": [3.0, 1.0, 2.0, 2.0, 5.0, 4.0], "event": [1, 1, 0, 1, 0, 1]})
    stepper = widgets.KMStepper(data)
    assert len(coloured_patients(stepper)) == 6  # step 0: everyone
    times = np.sort(data.time.to_numpy())  # the bars, in order of follow-up
    for k, row in enumerate(stepper.table.itertuples(), start=1):
        stepper.controls["step"].value = k
        # still followed just before this time, counted here from the data
        expected = [i for i, t in enumerate(times) if t >= row.time]
        assert coloured_patients(stepper) == expected
        assert len(expected) == row.at_risk
        assert f"{row.at_risk} at risk just before" in stepper.at_risk_label.get_text()
    # The count comes from the life table, not recomputed in widget code.
    stepper.table = stepper.table.assign(at_risk=stepper.table.at_risk - 1)
    stepper.controls["step"].value = 1
    assert len(coloured_patients(stepper)) == stepper.table.at_risk.iloc[0]


def test_stepper_on_own_data_and_limits():
    data = pd.DataFrame({"time": [1.0, 2.0, 2.0, 4.0], "event": [1, 1, 0, 0]})
    stepper = widgets.KMStepper(data)
    stepper.controls["step"].value = 2
    assert "1 died and 1 censored" in stepper.summary.value
    with pytest.raises(ValueError, match="at most 40 patients"):
        widgets.KMStepper(pd.DataFrame({"time": np.arange(1, 42.0), "event": 1}))


def test_stepper_on_the_lessons_invented_patients():
    tiny = es.teaching.tiny_trial()
    stepper = widgets.KMStepper(tiny)
    assert "invented for a by-hand calculation" in stepper.widget.children[-1].value
    assert "simulated" not in img_alt(stepper.view.widget)[0]
    stepper.controls["step"].value = len(stepper.table)
    kmf = KaplanMeierFitter().fit(tiny.time, tiny.event)
    assert stepper.current_survival == pytest.approx(kmf.survival_function_.iloc[-1, 0])
    with pytest.raises(ValueError, match="data must be a DataFrame with columns 'time'"):
        widgets.KMStepper([1, 2, 3])


def test_explorer_keeps_fields_it_has_no_slider_for():
    delayed = es.LAPATINIB.replace(delay=4.0, shape=1.3, allocation=0.6)
    explorer = widgets.TrialExplorer(delayed, n_sims=50)
    explorer.controls["n"].value = 200
    assert explorer.scenario == delayed.replace(n=200)
    explorer.controls["effect_mode"].value = "hr"
    explorer.controls["hr"].value = 0.6
    assert explorer.scenario.hr == pytest.approx(0.6)
    assert (explorer.scenario.delay, explorer.scenario.shape) == (4.0, 1.3)
    assert_shows(explorer, explorer.scenario, 1)


# ----- the assumptions: hazard shape and delayed effect ------------------------------------
def test_assumptions_group_is_collapsed_and_holds_shape_and_delay(explorer):
    group = explorer.assumptions
    assert group.selected_index is None  # collapsed at first
    assert "Assumptions" in group.get_title(0)
    inside = group.children[0].children
    assert explorer.controls["shape"] in inside and explorer.controls["delay"] in inside
    shape, delay = explorer.controls["shape"], explorer.controls["delay"]
    assert (shape.min, shape.max, shape.value) == (0.5, 3.0, 1.0)
    assert (delay.min, delay.max, delay.value) == (0.0, 12.0, 0.0)
    # A sentence with its verb: "The hazard is constant over time (Weibull shape 1.00)".
    assert "The hazard is constant over time (Weibull shape 1.00)" in explorer.assumption_readout.value
    assert group in explorer.widget.children[0].children


def test_shape_148_with_the_storys_medians_gives_hazard_ratio_062(explorer):
    before = [explorer.km.lines[pos].get_ydata().copy() for pos in (0, 1)]
    alt_before, _ = img_alt(explorer.view.widget)
    summary_before = explorer.summary.value
    explorer.controls["shape"].value = 1.48
    scenario = es.LAPATINIB.replace(shape=1.48)
    assert explorer.scenario == scenario
    assert_shows(explorer, scenario, 1)
    # (17.3 / 23.9) ** 1.48, computed here
    assert round((17.3 / 23.9) ** 1.48, 2) == 0.62
    assert "True hazard ratio: <b>0.62</b>" in explorer.assumption_readout.value
    assert "hazard rises over time" in explorer.assumption_readout.value
    assert "(treatment / control): 0.62 (hazard rises over time" in explorer.summary.value
    after = [explorer.km.lines[pos].get_ydata() for pos in (0, 1)]
    assert not any(np.array_equal(b, a) for b, a in zip(before, after, strict=True))
    alt, _ = img_alt(explorer.view.widget)
    assert alt != alt_before and "0.62" in alt and explorer.summary.value != summary_before
    explorer.controls["shape"].value = 0.5
    assert "hazard falls over time" in explorer.assumption_readout.value
    assert f"<b>{(17.3 / 23.9) ** 0.5:.2f}</b>" in explorer.assumption_readout.value
    assert_shows(explorer, es.LAPATINIB.replace(shape=0.5), 1)
    assert explorer.message.value == "" or "not reached" in explorer.message.value


def test_delay_changes_the_curves_summary_and_alt_text(explorer):
    before = explorer.km.lines[1].get_ydata().copy()
    alt_before, _ = img_alt(explorer.view.widget)
    explorer.controls["delay"].value = 6.0
    scenario = es.LAPATINIB.replace(delay=6.0)
    assert explorer.scenario == scenario
    assert_shows(explorer, scenario, 1)
    assert not np.array_equal(before, explorer.km.lines[1].get_ydata())
    alt, _ = img_alt(explorer.view.widget)
    assert alt != alt_before and "1.00 for the first 6 months, then 0.72" in alt
    assert "acts after 6 months" in explorer.assumption_readout.value
    # The trials run from here carry the delay, and the dance says what it does to coverage.
    explorer.buttons["run_trials"].click()
    assert explorer.power_result.scenario.delay == 6.0
    assert "not proportional" in img_alt(explorer.dance_view.widget)[0]


def test_shape_in_hazard_ratio_mode_keeps_the_hazard_ratio(explorer):
    explorer.controls["effect_mode"].value = "hr"
    explorer.controls["hr"].value = 0.62
    explorer.controls["shape"].value = 1.48
    assert explorer.scenario.hr == pytest.approx(0.62)
    # Under proportional Weibull hazards the treatment median is median_control * hr^(-1/shape).
    assert explorer.scenario.median_treatment == pytest.approx(17.3 * 0.62 ** (-1 / 1.48))
    assert_shows(explorer, explorer.scenario, 1)


def test_reset_undoes_the_assumptions(explorer):
    explorer.controls["shape"].value = 2.0
    explorer.controls["delay"].value = 3.0
    explorer.buttons["reset"].click()
    assert explorer.controls["shape"].value == 1.0 and explorer.controls["delay"].value == 0.0
    assert_shows(explorer, es.LAPATINIB, 1)


@pytest.mark.parametrize(("shape", "words"), [(0.5, "hazard falls over time"),
                                              (1.0, "hazard is constant over time"),
                                              (3.0, "hazard rises over time")])
def test_every_shape_in_range_answers(explorer, shape, words):
    explorer.controls["delay"].value = 12.0
    explorer.controls["shape"].value = shape
    assert_no_error(explorer)
    assert words in explorer.assumption_readout.value
    assert_shows(explorer, es.LAPATINIB.replace(shape=shape, delay=12.0), 1)


# ----- static copies: snapshot() and the display bundle's fallbacks ---------------------------
@pytest.mark.parametrize("make", [widgets.TrialExplorer, widgets.CensoringExplorer, widgets.KMStepper])
def test_snapshot_holds_the_current_picture_alt_text_and_summary(make):
    widget = make()
    snap = widget.snapshot()
    # The same picture and alt text the live widget shows, readable without a kernel.
    assert base64.b64encode(widget.view.png).decode("ascii") in snap.html
    assert f'alt="{html.escape(widget.view.alt_text, quote=True)}"' in snap.html
    assert widget._summary[0] in str(snap)
    assert "Run the notebook" in str(snap)
    assert "Box(children" not in snap.html and "Box(children" not in str(snap)


def test_snapshot_follows_the_controls(explorer):
    before = explorer.snapshot()
    explorer.controls["n"].value = 120
    after = explorer.snapshot()
    assert "Patients = 321" in str(before) and "Patients = 120" in str(after)
    assert after.html != before.html
    assert "120 patients" in str(after) or "of 60" in str(after)


def test_display_bundle_offers_the_widget_and_a_static_fallback(explorer):
    bundle = explorer._display_bundle()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert bundle["text/html"] == explorer.snapshot().html
    assert "Box(children" not in bundle["text/plain"]
    assert explorer.view.alt_text in bundle["text/plain"]


def test_censoring_explorer_rows_say_what_they_hold():
    # issue 11, item 20: the table holds proportions alive, so the row of the shortcut that counts
    # censored patients as survivors is named for that, not "share who died"
    explorer = widgets.CensoringExplorer()
    table_html = explorer.table_widget.value
    assert "share who died" not in table_html
    for arm in ("treatment", "control"):
        alive = explorer.table.loc[(arm, "share who died"), "survival"]
        assert f"{alive:.0%}" in _numbers_for("censored counted as alive", table_html)
    assert _numbers_for("censored dropped", table_html)
