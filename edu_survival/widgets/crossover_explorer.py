"""The crossover explorer (lesson 11): control patients who switch to the drug after progressing,
and what intention to treat and per protocol then say."""

from __future__ import annotations

import math

import ipywidgets as W
import pandas as pd

from .. import plots
from ..analyze import analyze
from ..scenario import STORY_LABELS
from ..tables import with_caption
from ..traps.crossover import CROSSOVER_MODEL, analyse_crossover, simulate_crossover
from ..traps.progression import WHO_SWITCHES, ProgressionModel
from .controls import _TOGGLE_STYLE, ENGINE, _slider
from .trap_explorer import _TrapExplorer, check_model, seed_box


class CrossoverExplorer(_TrapExplorer):
    """Overall survival by arm (intention to treat) as control patients switch to the drug.

    The table gives the hazard ratio three ways (intention to treat, per protocol with switchers
    censored, and a Cox model with switching as a time-dependent covariate) beside the same
    patients' trial had nobody switched.

    Parameters
    ----------
    model : ProgressionModel
        Progression, death and the drug's effects (invented settings by default).
    share, delay, who, strength
        Who switches and when (:class:`~edu_survival.traps.progression.Switching`).
    seed : int
        Random seed; the same patients whatever the switching.

    Examples
    --------
    >>> explorer = CrossoverExplorer(share=0.0)
    >>> bool(explorer.analyses.itt.hr == explorer.reference.hr)
    True
    """

    css_class = "es-crossover-explorer"

    def __init__(self, model: ProgressionModel = CROSSOVER_MODEL, share: float = 0.5, delay: float = 0.0,
                 who: str = "at random", strength: float = 0.7, seed: int = 3):
        self._init_common()
        self.model = check_model(model)
        F = W.FloatSlider
        self.controls = {
            "share": _slider(F, "Control patients who switch", share, 0, 1, 0.05, readout_format=".0%"),
            "delay": _slider(F, "Months from progression to switch", delay, 0, 12, 0.5),
            "who": W.ToggleButtons(options=[(w, w) for w in WHO_SWITCHES], value=who,
                                   description="Who switches", style=_TOGGLE_STYLE),
            "strength": _slider(F, "How strongly (0 to 1)", strength, 0, 1, 0.05),
            "seed": seed_box(seed),
        }
        self._simulate()
        # Numbers beside the picture, not in it (as the trial explorer): drawing text is slow.
        self.plot = self.km = plots.plot_km(self.analyses.itt, counts=("at risk",), numbers=False)
        self._assemble()

    def _simulate(self):
        c = self.controls
        seed = int(c["seed"].value)
        data = simulate_crossover(self.model, float(c["share"].value), float(c["delay"].value), c["who"].value,
                                  float(c["strength"].value), seed)
        self.data, self.analyses = data, analyse_crossover(data, engine=ENGINE)
        self.reference = analyze(simulate_crossover(self.model, 0.0, seed=seed), labels=STORY_LABELS,
                                 engine=ENGINE)

    def _update(self):
        self._simulate()
        self.plot.update(self.analyses.itt)
        a = self.analyses
        table = a.table()
        extra = pd.DataFrame({"hazard ratio, treatment vs control": [round(self.reference.hr, 2)],
                              "95% CI": ["{:.2f} to {:.2f}".format(*self.reference.hr_ci)]},
                             index=["the same patients had nobody switched"])
        table = with_caption(pd.concat([table, extra]), table.attrs["caption"], simulated=True)
        td = a.time_dependent[0]
        td = f"{td:.2f}" if math.isfinite(td) else "no estimate (the model could not be fitted)"
        summary = (f"{a.switched} of {a.control_n} control patients switched. Overall survival, hazard ratio "
                   f"treatment vs control: {a.itt.hr:.2f} by intention to treat, {a.per_protocol.hr:.2f} per "
                   f"protocol (switchers censored), {td} with switching as a time-dependent covariate; "
                   f"{self.reference.hr:.2f} had nobody switched.")
        self._show(summary, table, above=self.plot.headline_html(), extra_html=self.plot.table_html())
