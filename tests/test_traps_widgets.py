"""Lessons 10 and 11's widget controls, driven from code: set ``.value``, assert that the figure
and the numbers changed, and that bad settings give a message, never a traceback."""

import numpy as np
import pytest

import edu_survival as es
from edu_survival import widgets
from edu_survival.censoring import full_follow_up, naive_estimates
from edu_survival.traps.informative import simulate_informative

SCENARIO = es.teaching.DROPOUT_SCENARIO


def _km_error(explorer, arm):
    return explorer.table.loc[(arm, "Kaplan–Meier"), "error"]


def test_who_drops_out_at_random_is_the_censoring_explorer_of_lesson_01():
    explorer = widgets.CensoringExplorer(seed=3)
    expected = naive_estimates(full_follow_up(widgets.CENSORING_SCENARIO, 3), widgets.CENSORING_HORIZON)
    np.testing.assert_allclose(explorer.table["survival"].to_numpy(), expected["survival"].to_numpy())
    assert explorer.controls["who"].value == "at random"


def test_who_drops_out_moves_kaplan_meier_and_nothing_else():
    explorer = widgets.CensoringExplorer(SCENARIO, seed=1, horizon=24, strength=0.8)
    png, summary = explorer.view.png, explorer.summary.value
    truth = explorer.table.xs("same patients, full follow-up", level="method")["survival"].copy()
    explorer.controls["who"].value = "the sicker"
    assert explorer.view.png != png and explorer.summary.value != summary
    assert "the sicker drop out sooner (strength 0.8)" in explorer.summary.value
    np.testing.assert_array_equal(explorer.table.xs("same patients, full follow-up", level="method")["survival"], truth)
    expected = naive_estimates(simulate_informative(SCENARIO, "the sicker", 0.8, 1), 24)
    np.testing.assert_allclose(explorer.table["survival"].to_numpy(), expected["survival"].to_numpy())
    # lesson 10's claims about this trial: too high when the sicker leave, too low when the healthier do
    assert _km_error(explorer, "control") > 0 and _km_error(explorer, "treatment") > 0
    explorer.controls["who"].value = "the healthier"
    assert _km_error(explorer, "control") < 0 and _km_error(explorer, "treatment") < 0
    assert "the healthier drop out sooner" in explorer.view.alt_text


def test_the_strength_slider_changes_who_leaves():
    explorer = widgets.CensoringExplorer(SCENARIO, seed=1, horizon=24, who="the sicker", strength=0.2)
    weak = _km_error(explorer, "control")
    png = explorer.view.png
    explorer.controls["strength"].value = 1.0
    assert explorer.view.png != png
    assert _km_error(explorer, "control") > weak
    assert "strength 1" in explorer.summary.value


def test_a_strength_out_of_range_is_a_message_not_a_traceback():
    explorer = widgets.CensoringExplorer(SCENARIO, seed=1, who="the sicker")
    explorer.controls["strength"].value = 1.5  # the slider widens; the library refuses
    assert "strength must be from 0 to 1" in explorer.message.value
    assert isinstance(explorer.last_error, ValueError)
    explorer.controls["strength"].value = 0.5
    assert "cannot be shown" not in explorer.message.value


def test_no_dropout_says_why_who_drops_out_does_nothing():
    explorer = widgets.CensoringExplorer(SCENARIO.replace(dropout=0.0), who="the sicker")
    assert "Nobody drops out at 0% dropout" in explorer.message.value


def test_the_snapshot_names_who_drops_out():
    explorer = widgets.CensoringExplorer(SCENARIO, who="the healthier", strength=0.8, horizon=24)
    text = str(explorer.snapshot())
    assert "Who drops out = the healthier" in text and "How strongly (0 to 1) = 0.8" in text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lessons_trial_shows_the_bias_for_other_seeds_too(seed):
    # "New patients" keeps the lesson's sentence true for the next few seeds
    sicker = widgets.CensoringExplorer(SCENARIO, seed=seed, who="the sicker", strength=0.8, horizon=24)
    healthier = widgets.CensoringExplorer(SCENARIO, seed=seed, who="the healthier", strength=0.8, horizon=24)
    for arm in ("control", "treatment"):
        assert _km_error(sicker, arm) > 0 > _km_error(healthier, arm), (seed, arm)


# ----- the explorers of lessons 10 and 11 ------------------------------------------------------
def test_competing_explorer_follows_its_slider():
    explorer = widgets.CompetingRisksExplorer(competing=0.0)
    km, cif = explorer.result.at(24)
    assert km == pytest.approx(cif, abs=1e-12)  # no competing deaths: one curve
    png, summary = explorer.view.png, explorer.summary.value
    explorer.controls["competing"].value = 0.3
    km, cif = explorer.result.at(24)
    assert km > cif + 0.05
    assert explorer.view.png != png and explorer.summary.value != summary
    assert f"{cif:.1%}" in explorer.summary.value and "Aalen–Johansen" in explorer.table_widget.value
    # the cancer deaths are the same patients': 1 − KM barely moves
    assert abs(km - explorer.plot.result.at(24)[0]) < 1e-12


def test_competing_explorer_bad_settings_are_messages():
    explorer = widgets.CompetingRisksExplorer()
    explorer.controls["competing"].value = 0.95
    assert "competing must be an annual probability" in explorer.message.value
    explorer.controls["competing"].value = 0.2
    explorer.controls["horizon"].value = 60
    assert "horizon must be within" in explorer.message.value
    explorer.controls["horizon"].value = 24
    assert explorer.message.value == ""


def test_crossover_explorer_moves_itt_towards_1():
    explorer = widgets.CrossoverExplorer(share=0.0)
    assert explorer.analyses.itt.hr == pytest.approx(explorer.reference.hr)
    assert explorer.analyses.switched == 0
    png = explorer.view.png
    explorer.controls["share"].value = 1.0
    assert explorer.view.png != png
    assert explorer.analyses.switched > 50
    assert explorer.reference.hr < explorer.analyses.itt.hr < 1
    assert "had nobody switched" in explorer.summary.value
    assert "time-dependent covariate" in explorer.table_widget.value
    explorer.controls["who"].value = "the healthier"
    assert "Who switches = the healthier" in str(explorer.snapshot())


def test_crossover_explorer_bad_delay_is_a_message():
    explorer = widgets.CrossoverExplorer()
    explorer.controls["delay"].value = -1
    assert "delay must be" in explorer.message.value and "got -1" in explorer.message.value


def test_surrogate_explorer_os_follows_ttp_when_survival_after_progression_is_short():
    explorer = widgets.SurrogateExplorer()
    long_gap = explorer.analyses["os"].hr
    png = explorer.view.png
    explorer.controls["median_after"].value = 2
    assert explorer.view.png != png
    short_gap = explorer.analyses["os"].hr
    assert short_gap < long_gap
    assert abs(short_gap - explorer.analyses["ttp"].hr) < abs(long_gap - explorer.analyses["ttp"].hr)
    # the top panel speaks of progression, not of deaths, in the picture and in the numbers beside it
    top = explorer.plot.plots[0]
    assert top.ax.get_ylabel() == "Proportion without progression"
    tables = explorer.table_widget.value
    ttp_part = tables.split("Overall survival: hazard ratio")[0]
    assert "progressions" in ttp_part and " deaths" not in ttp_part.split("<h4>Time to progression")[1]
    first = explorer.view.alt_text.split("Bottom,")[0]
    assert "proportion without progression" in first and " deaths " not in first and "alive" not in first.replace(
        "alive at the analysis", "")


def test_surrogate_explorer_bad_ratio_is_a_message():
    explorer = widgets.SurrogateExplorer()
    explorer.controls["hr_progression"].value = 0.0
    assert "hr_progression must be from 0.05 to 20" in explorer.message.value
