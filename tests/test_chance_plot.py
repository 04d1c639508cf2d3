"""The chance histogram of lesson 04 (plots/chance.py): what it draws and says, without check_claims."""

from types import SimpleNamespace

import numpy as np
import pytest

import edu_survival as es


def _chance(seed=1, shape=1.0, gap=0.155, n=2000):
    gaps = np.abs(np.random.default_rng(seed).normal(0, 0.08, n))
    return SimpleNamespace(gaps=gaps, reported_gap=gap, scenario=es.LAPATINIB.replace(shape=shape))


def test_the_histogram_marks_the_reported_gap_and_the_share_beyond_it():
    chance = _chance()
    plot = es.plots.plot_chance_gaps(chance, marks={"one trial": 0.26})
    share = float(np.mean(chance.gaps >= 0.155))
    assert plot.share == pytest.approx(share)
    heights = sum(p.get_height() for p in plot.ax.patches)
    assert heights == len(chance.gaps)  # every simulated trial is in a bar, none clipped
    assert f"{share:.1%}" in plot.alt_text and "0.155" in plot.alt_text and "one trial: 0.260" in plot.alt_text
    assert "constant hazards" in plot.alt_text and "321 patients" in plot.alt_text
    assert "Simulated data" in plot.alt_text
    assert plot._repr_mimebundle_()["text/html"].startswith("<img alt=")


def test_update_redraws_for_another_shape():
    plot = es.plots.plot_chance_gaps(_chance())
    before = plot.alt_text
    plot.update(_chance(seed=2, shape=1.48, gap=0.155))
    assert plot.alt_text != before and "rises over time" in plot.alt_text
    assert "1.48" in plot.title.get_text()
    assert len([line for line in plot.ax.lines]) == 1  # the old marks are gone


@pytest.mark.parametrize("bad", [None, 3, SimpleNamespace(gaps=[], reported_gap=0.1),
                                 SimpleNamespace(gaps=[0.1, np.nan], reported_gap=0.1)])
def test_bad_input_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="chance"):
        es.plots.plot_chance_gaps(bad)
    with pytest.raises(ValueError, match="marks"):
        es.plots.plot_chance_gaps(_chance(), marks={"x": -1})
