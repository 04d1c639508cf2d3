"""Widgets never put themselves in an invalid state (issue 19, item 11), and random walks over
their controls: after every step a widget shows a valid trial that agrees with its controls, or
a friendly message, never a traceback, and reset recovers."""

import html
import math
import re

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

import edu_survival as es
from edu_survival import plots, widgets
from edu_survival.censoring import expected_censored_share


def text_of(widget_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", widget_html))


def picture(explorer):
    """What the browser is sent: the figure's drawing (as data) and its alt text."""
    return explorer.view.widget.data, explorer.view.widget.alt


# -- item 11a: median control 1, treatment 60, shape 3, then the hazard-ratio mode
def test_issue_19_11a_hr_mode_never_sets_an_invalid_hazard_ratio():
    explorer = widgets.TrialExplorer(n_sims=10)
    c = explorer.controls
    c["median_control"].value = 1
    c["median_treatment"].value = 60
    c["shape"].value = 3
    assert explorer.scenario.hr == pytest.approx((1 / 60) ** 3)  # 4.6e-6: beyond the slider
    before = picture(explorer)
    c["effect_mode"].value = "hr"
    # The slider is clamped to its range, the trial follows it, and the widget says so.
    assert c["hr"].value == 0.2
    assert explorer.scenario.hr == pytest.approx(0.2, rel=1e-12)
    assert explorer.scenario.median_treatment == pytest.approx(1 * 0.2 ** (-1 / 3))
    message = text_of(explorer.message.value)
    assert "beyond the slider's 0.2 to 2: it is set to 0.2" in message and "4.63e-06" in message
    assert "cannot be shown" not in message and not explorer.stale
    assert picture(explorer) != before
    # Never stuck: every control answers again.
    c["median_control"].value = 10
    assert "cannot be shown" not in explorer.message.value
    assert explorer.scenario.median_control == 10 and explorer.scenario.hr == pytest.approx(0.2)
    c["hr"].value = 0.5
    assert explorer.scenario.hr == pytest.approx(0.5)
    assert explorer.analysis.scenario == explorer.scenario


def test_issue_19_11a_a_huge_hazard_ratio_is_clamped_to_the_top_of_the_slider():
    explorer = widgets.TrialExplorer(n_sims=10)
    c = explorer.controls
    c["median_control"].value, c["median_treatment"].value, c["shape"].value = 60, 1, 3
    c["effect_mode"].value = "hr"
    assert c["hr"].value == 2.0 and explorer.scenario.hr == pytest.approx(2.0)
    assert "is set to 2" in text_of(explorer.message.value)


# -- item 11b: describing the trial the other way changes nothing
def test_issue_19_11b_toggling_effect_mode_keeps_the_treatment_median():
    explorer = widgets.TrialExplorer(n_sims=10)
    c = explorer.controls
    c["effect_mode"].value = "hr"
    assert c["hr"].value == 0.72  # shown rounded; the trial keeps its exact 0.7238
    c["seed"].value = 2  # an update in the hazard-ratio mode
    assert explorer.scenario.median_treatment == pytest.approx(23.9, rel=1e-12)  # was 24.03
    c["effect_mode"].value = "medians"
    assert c["median_treatment"].value == pytest.approx(23.9, rel=1e-12)
    c["n"].value = 300
    assert explorer.scenario.median_treatment == pytest.approx(23.9, rel=1e-12)
    # Moving the hazard-ratio slider does move the treatment median.
    c["effect_mode"].value = "hr"
    c["hr"].value = 0.5
    assert explorer.scenario.median_treatment == pytest.approx(17.3 / 0.5)


def test_issue_19_11b_toggling_censoring_mode_keeps_the_dropout():
    # The hidden share slider started at the lowest share whatever the dropout, and switching
    # to it set the dropout to that share's (0.2 became 0.009).
    explorer = widgets.TrialExplorer(es.LAPATINIB.replace(dropout=0.2), n_sims=10)
    c = explorer.controls
    share = expected_censored_share(explorer.scenario)
    assert c["share_censored"].value == round(share, 2)
    analysis = explorer.analysis
    c["censoring_mode"].value = "share"
    assert explorer.scenario.dropout == 0.2 and explorer.analysis is analysis
    c["seed"].value = 3  # an update in the share mode: the same share, so the same dropout
    assert explorer.scenario.dropout == pytest.approx(0.2, abs=1e-8)
    c["censoring_mode"].value = "dropout"
    assert c["dropout"].value == pytest.approx(0.2, abs=1e-8)


# -- item 11c: the horizon the words speak of is on the plot
@pytest.mark.parametrize("horizon", [27.0, 48.0])
def test_issue_19_11c_the_horizon_lies_on_the_plot(horizon):
    scenario = widgets.CENSORING_SCENARIO.replace(accrual=2, follow_up=3)
    explorer = widgets.CensoringExplorer(scenario, horizon=horizon)
    assert f"at {horizon:g} months" in text_of(explorer.summary.value)
    low, high = explorer.km_ax.get_xlim()
    assert low <= horizon <= high  # the axis stopped at 5.15 months
    assert explorer.horizon_line.get_xdata()[0] == horizon
    for marks in explorer.shortcut_marks.values():
        for mark in marks.values():
            assert low <= mark.get_xdata()[0] <= high
    # Moving the horizon from the slider moves the axis with it.
    before = picture(explorer)
    explorer.controls["horizon"].value = 55
    assert explorer.km_ax.get_xlim()[1] >= 55 and "at 55 months" in text_of(explorer.summary.value)
    assert picture(explorer) != before
    # Back inside the study, the axis ends at the analysis again.
    explorer.controls["follow_up"].value = 40
    explorer.controls["horizon"].value = 20
    assert explorer.km_ax.get_xlim()[1] == pytest.approx(42 * 1.03, rel=0.1)


# -- item 11d: constructors name what is wrong
@pytest.mark.parametrize(("make", "name"), [
    (lambda: widgets.TrialExplorer(seed=2**40), "seed"),
    (lambda: widgets.TrialExplorer(seed=-1), "seed"),
    (lambda: widgets.TrialExplorer(seed=1.0), "seed"),
    (lambda: widgets.CensoringExplorer(seed=1.7), "seed"),
    (lambda: widgets.CensoringExplorer(seed="x"), "seed"),
    (lambda: widgets.CensoringExplorer(seed=2**31), "seed"),
    (lambda: widgets.CensoringExplorer(horizon="30"), "horizon"),
    (lambda: widgets.CensoringExplorer(horizon=math.nan), "horizon"),
    (lambda: widgets.CensoringExplorer(horizon=0), "horizon"),
    (lambda: widgets.CensoringExplorer(who="everyone"), "who"),
    (lambda: widgets.CensoringExplorer(strength=2), "strength"),
    (lambda: widgets.CensoringExplorer(strength=True), "strength"),
    (lambda: widgets.dashboard(None), "scenario"),
    (lambda: widgets.dashboard(presentation="yes"), "presentation"),
    (lambda: widgets.dashboard(presentation=1), "presentation"),
    (lambda: widgets.dashboard(seed=2**40), "seed"),
])
def test_issue_19_11d_constructors_refuse_bad_arguments_naming_them(make, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        make()


def test_issue_19_11d_the_largest_seed_is_shown_as_given():
    explorer = widgets.TrialExplorer(seed=2**31 - 1, n_sims=10)
    assert explorer.controls["seed"].value == 2**31 - 1 == explorer.seed
    assert widgets.CensoringExplorer(seed=np.int64(5)).controls["seed"].value == 5
    board = widgets.dashboard(presentation=False)
    assert board.switch.value is False and board.explorer.summary_text.startswith(
        plots.describe(board.explorer.analysis))


# -- random walks over the controls (hypothesis stateful tests)

FRACTION = st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0, 1))
WALK = settings(max_examples=6, stateful_step_count=12)


def slider_value(slider, fraction):
    """A value the slider allows: within its range, on its steps."""
    value = slider.min + fraction * (slider.max - slider.min)
    value = slider.min + round((value - slider.min) / slider.step) * slider.step
    value = min(max(value, slider.min), slider.max)
    return int(value) if isinstance(slider.value, int) else value


def assert_friendly(explorer):
    """No traceback: an error is a ValueError's message, with the last valid trial marked."""
    message = text_of(explorer.message.value)
    assert "went wrong" not in message, message  # anything but a ValueError is a bug
    if "cannot be shown" in message:
        assert explorer.stale and text_of(explorer.summary.value).startswith(widgets.STALE_PREFIX)
        assert explorer.view.widget.alt.startswith(widgets.STALE_PREFIX)
        return False
    assert not explorer.stale
    return True


def assert_km_drawn(explorer):
    """The curves drawn are the analysis's, and the alt text says what the analysis says."""
    analysis = explorer.analysis
    for pos, arm in ((0, analysis.reference), (1, analysis.other)):
        x, y = explorer.km.lines[pos].get_data()
        curve = analysis.curves[arm]
        assert y[-1] == pytest.approx(curve.survival[curve.time <= x[-1]][-1])
        assert np.all(np.diff(y) <= 1e-12) and np.all((y >= 0) & (y <= 1))


class TrialWalk(RuleBasedStateMachine):
    """Random settings of the trial explorer: sliders, modes, seed and buttons."""

    SLIDERS = ("median_control", "median_treatment", "hr", "n", "accrual", "follow_up", "dropout",
               "share_censored", "shape", "delay")

    def __init__(self):
        super().__init__()
        self.explorer = self.build()

    def build(self):
        return widgets.TrialExplorer(es.LAPATINIB.replace(n=80), seed=1, n_sims=10)

    @rule(name=st.sampled_from(SLIDERS), fraction=FRACTION)
    def move_slider(self, name, fraction):
        explorer = self.explorer
        slider = explorer.controls[name]
        before, scenario = picture(explorer), explorer.scenario
        value = slider_value(slider, fraction)
        changed = value != slider.value
        slider.value = value
        hidden = slider.layout.display == "none"
        if changed and not hidden and assert_friendly(explorer) and explorer.scenario != scenario:
            assert picture(explorer) != before, f"{name} = {value}: the figure did not change"

    @rule(mode=st.sampled_from(["effect_mode", "censoring_mode"]))
    def toggle(self, mode):
        control = self.explorer.controls[mode]
        scenario, valid = self.explorer.scenario, not self.explorer.stale
        control.value = next(v for _, v in control.options if v != control.value)
        if valid and "beyond the slider" not in self.explorer.message.value:
            assert self.explorer.scenario == scenario  # the same trial, described the other way

    @rule(seed=st.one_of(st.just(2**31 - 1), st.integers(0, 2**31 - 1)))
    def set_seed(self, seed):
        self.explorer.controls["seed"].value = seed

    @rule()
    def new_trial(self):
        seed = self.explorer.controls["seed"].value
        self.explorer.buttons["new_trial"].click()
        assert self.explorer.controls["seed"].value == (seed + 1 if seed < 2**31 - 1 else 0)

    @rule()
    def issue_11a(self):
        c = self.explorer.controls
        c["effect_mode"].value = "medians"
        c["median_control"].value, c["median_treatment"].value, c["shape"].value = 1, 60, 3
        c["effect_mode"].value = "hr"
        assert c["hr"].value > 0

    @rule()
    def reset(self):
        self.explorer.buttons["reset"].click()
        assert assert_friendly(self.explorer), "reset must recover"
        assert self.explorer.scenario == es.LAPATINIB and self.explorer.seed == 1

    @invariant()
    def shows_a_valid_trial_or_says_why_not(self):
        explorer = self.explorer
        c = explorer.controls
        assert c["hr"].value > 0
        if not assert_friendly(explorer):
            with pytest.raises(ValueError):
                explorer.scenario_from_controls()
            return
        # What is shown is what the controls describe.
        assert explorer.analysis.scenario == explorer.scenario
        described = explorer.scenario_from_controls()
        for field in ("n", "median_control", "median_treatment", "accrual", "follow_up",
                      "dropout", "shape", "delay"):
            assert getattr(explorer.scenario, field) == pytest.approx(
                getattr(described, field), rel=1e-9, abs=1e-9), field
        assert explorer.seed == c["seed"].value
        assert plots.describe(explorer.analysis) in explorer.view.widget.alt
        assert f"n={explorer.scenario.n:g}" in explorer.view.widget.drawn_for
        assert_km_drawn(explorer)


class DashboardWalk(TrialWalk):
    """The dashboard's explorer, with its presentation switch."""

    def build(self):
        self.board = widgets.dashboard(es.LAPATINIB.replace(n=80), presentation=False)
        return self.board.explorer

    @rule()
    def switch(self):
        self.board.switch.value = not self.board.switch.value
        intro = self.board.page.children[1]
        assert (intro.layout.display == "none") == self.board.switch.value


class CensoringWalk(RuleBasedStateMachine):
    """Random settings of the censoring explorer."""

    SLIDERS = ("n", "accrual", "follow_up", "dropout", "strength", "horizon")

    def __init__(self):
        super().__init__()
        self.explorer = widgets.CensoringExplorer(seed=1)
        self.initial = {k: c.value for k, c in self.explorer.controls.items()}

    @rule(name=st.sampled_from(SLIDERS), fraction=FRACTION)
    def move_slider(self, name, fraction):
        slider = self.explorer.controls[name]
        before = picture(self.explorer)
        value = slider_value(slider, fraction)
        changed = value != slider.value
        slider.value = value
        if changed and assert_friendly(self.explorer) and not (
                name == "strength" and self.explorer.who == "at random"):
            assert picture(self.explorer) != before, f"{name} = {value}: the figure did not change"

    @rule(who=st.sampled_from(["at random", "the sicker", "the healthier"]))
    def who_drops_out(self, who):
        self.explorer.controls["who"].value = who

    @rule()
    def new_patients(self):
        self.explorer.buttons["new_patients"].click()

    @rule()
    def restore(self):
        for name, value in self.initial.items():
            self.explorer.controls[name].value = value
        assert assert_friendly(self.explorer), "the first settings must show again"
        assert self.explorer.scenario == widgets.CENSORING_SCENARIO and self.explorer.seed == 1

    @invariant()
    def shows_valid_patients_or_says_why_not(self):
        explorer, c = self.explorer, self.explorer.controls
        if not assert_friendly(explorer):
            return
        s = explorer.scenario
        assert (s.n, s.accrual, s.follow_up, s.dropout) == (
            c["n"].value, c["accrual"].value, c["follow_up"].value, c["dropout"].value)
        assert explorer.seed == c["seed"].value and explorer.horizon == c["horizon"].value
        low, high = explorer.km_ax.get_xlim()
        assert low <= explorer.horizon <= high  # the horizon spoken of is on the plot
        assert f"at {explorer.horizon:g} months" in text_of(explorer.summary.value)
        assert len(explorer.full) == s.n and explorer.analysis.total_n == s.n
        assert_km_drawn(explorer)


class StepperWalk(RuleBasedStateMachine):
    """The Kaplan–Meier stepper: its slider and buttons in any order."""

    def __init__(self):
        super().__init__()
        self.stepper = widgets.KMStepper()

    @rule(fraction=FRACTION)
    def move_slider(self, fraction):
        slider = self.stepper.controls["step"]
        before = picture(self.stepper)
        value = slider_value(slider, fraction)
        changed = value != slider.value
        slider.value = value
        if changed:
            assert picture(self.stepper) != before

    @rule(button=st.sampled_from(["previous", "next", "start"]))
    def press(self, button):
        self.stepper.buttons[button].click()

    @invariant()
    def shows_the_step(self):
        stepper = self.stepper
        assert assert_friendly(stepper)
        k, table = stepper.step, stepper.table
        assert k == stepper.controls["step"].value and 0 <= k <= len(table)
        expected = 1.0 if k == 0 else table["survival"].iloc[k - 1]
        assert stepper.current_survival == expected
        assert stepper.point.get_ydata()[0] == pytest.approx(expected)
        if k:
            assert f"Step {k} of {len(table)}" in stepper.summary_text


@pytest.mark.parametrize("walk", [TrialWalk, DashboardWalk, CensoringWalk, StepperWalk],
                         ids=lambda w: w.__name__)
def test_random_walks_show_a_valid_state_or_a_friendly_message(walk):
    run_state_machine_as_test(walk, settings=WALK)
