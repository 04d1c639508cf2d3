"""Tables say what they are: a caption in attrs and in the HTML, 'not patient data' where simulated."""

import pandas as pd
import pytest

import edu_survival as es
from edu_survival import censoring, lifetable
from edu_survival import teaching as t
from edu_survival.tables import SIMULATED, CaptionedFrame, captioned_html, with_caption

SIM = es.simulate(es.LAPATINIB, seed=1)
TRIAL = t.simulated_trial(seed=1)
LUNG = t.lung_by_sex()

TABLES = {
    "follow_up_table": (lambda: t.follow_up_table(SIM), True),
    "naive_summaries": (lambda: t.naive_summaries(SIM), True),
    "show_patients": (lambda: t.show_patients(SIM), True),
    "life_table (simulated)": (lambda: t.life_table(lifetable.example_patients()), True),
    "life_table (invented)": (lambda: t.life_table(t.tiny_trial()), False),
    "lifetable.life_table": (lambda: lifetable.life_table(SIM.time, SIM.event), True),
    "medians_over_trials": (lambda: t.medians_over_trials(es.LAPATINIB, n_trials=3, seed=1), True),
    "crude_rates": (lambda: t.crude_rates(TRIAL), True),
    "crude_rates (real data)": (lambda: t.crude_rates(LUNG), False),
    "observed_expected": (lambda: t.observed_expected(TRIAL), True),
    "significance_vs_size": (lambda: t.significance_vs_size(), True),
    "survival_at": (lambda: t.survival_at(TRIAL, [12, 24]), True),
    "survival_at (real data)": (lambda: t.survival_at(LUNG, [365]), False),
    "naive_estimates": (lambda: censoring.naive_estimates(censoring.full_follow_up(es.LAPATINIB, seed=1), 24), True),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_every_teaching_table_carries_its_caption(name):
    make, simulated = TABLES[name]
    table = make()
    assert isinstance(table, pd.DataFrame)
    caption = table.attrs["caption"]
    assert len(caption) > 20
    assert (SIMULATED in caption) == simulated
    html = table._repr_html_()
    assert html.index("<caption>") < html.index("<thead>")
    assert caption.split(" (")[0] in html


def test_invented_data_say_so():
    assert "invented" in t.life_table(t.tiny_trial()).attrs["caption"]


def test_caption_survives_rounding_and_selection():
    table = t.crude_rates(TRIAL)
    assert isinstance(table.round(1), CaptionedFrame)
    assert table.round(1).attrs["caption"] == table.attrs["caption"]


def test_helper_without_caption_is_plain_html():
    plain = pd.DataFrame({"a": [1]})
    assert "<caption>" not in captioned_html(plain)
    assert with_caption(plain, "A table.").attrs["caption"] == "A table."
