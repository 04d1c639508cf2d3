"""Widgets never put themselves in an invalid state (issue 19, item 11), and random walks over
their controls: after every step a widget shows a valid trial that agrees with its controls, or
a friendly message, never a traceback, and reset recovers."""

import html
import math
import re

import numpy as np
import pytest

import edu_survival as es
from edu_survival import plots, widgets
from edu_survival.censoring import expected_censored_share


def text_of(widget_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", widget_html))


def picture(explorer):
    """What the browser is sent: the figure's data (as PNG) and its alt text."""
    return explorer.view.widget.png, explorer.view.widget.alt


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
