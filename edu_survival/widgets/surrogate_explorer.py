"""The surrogate explorer (lesson 11): a drug that delays progression, and what that does to
overall survival."""

from __future__ import annotations

import ipywidgets as W
import pandas as pd

from .. import plots
from ..tables import with_caption
from ..traps.progression import ProgressionModel
from ..traps.surrogate import ENDPOINTS, SURROGATE_MODEL, endpoint_analyses, simulate_endpoints
from .controls import ENGINE, _slider
from .trap_explorer import _TrapExplorer, check_model, seed_box


class SurrogateExplorer(_TrapExplorer):
    """Time to progression above overall survival, for the same simulated patients.

    The sliders set how long patients live after progressing, and the drug's hazard ratios for
    progression and for death (while taken); the table gives each endpoint's hazard ratio and
    medians.

    Parameters
    ----------
    model : ProgressionModel
        The starting settings (invented; the drug halves the hazard of progression by default).
    seed : int
        Random seed; the same patients whatever the settings.

    Examples
    --------
    >>> explorer = SurrogateExplorer()
    >>> explorer.controls["median_after"].value = 2
    >>> bool(explorer.analyses["os"].hr < 0.8)
    True
    """

    css_class = "es-surrogate-explorer"

    def __init__(self, model: ProgressionModel = SURROGATE_MODEL, seed: int = 3):
        self._init_common()
        self.initial_model = check_model(model)
        F = W.FloatSlider
        self.controls = {
            "median_after": _slider(F, "Survival after progression (median, months)", model.median_after,
                                    1, 48, 1),
            "hr_progression": _slider(F, "Drug's hazard ratio for progression", model.hr_progression,
                                      0.2, 1.2, 0.01),
            "hr_death": _slider(F, "Drug's hazard ratio for death", model.hr_death, 0.5, 1.2, 0.01),
            "seed": seed_box(seed),
        }
        self.analyses = endpoint_analyses(simulate_endpoints(model, seed), engine=ENGINE)
        # Numbers beside the picture, not in it: drawing text was most of the time (bench_traps.py).
        self.plot = plots.plot_endpoints(self.analyses, numbers=False)
        self._assemble()

    def _update(self):
        c = self.controls
        model = self.initial_model.replace(median_after=float(c["median_after"].value),
                                           hr_progression=float(c["hr_progression"].value),
                                           hr_death=float(c["hr_death"].value))
        self.model = model
        self.analyses = a = endpoint_analyses(simulate_endpoints(model, int(c["seed"].value)), engine=ENGINE)
        self.plot.update(a["ttp"], a["os"], plots.km_pair.endpoint_headings(a),
                         "Time to progression and overall survival of the same simulated patients.")
        rows = {}
        for name, res in a.items():
            lo, hi = res.hr_ci
            med = {arm: res.median[arm].estimate for arm in res.arms}
            rows[ENDPOINTS[name]] = {"hazard ratio (95% CI)": f"{res.hr:.2f} ({lo:.2f} to {hi:.2f})",
                                     "median, control (months)": _months(med["control"]),
                                     "median, drug (months)": _months(med["treatment"])}
        table = with_caption(pd.DataFrame.from_dict(rows, orient="index"),
                             "The same patients, three endpoints", simulated=True)
        summary = (f"Time to progression: hazard ratio {a['ttp'].hr:.2f}; progression-free survival "
                   f"{a['pfs'].hr:.2f}; overall survival {a['os'].hr:.2f}. Patients live a median "
                   f"{model.median_after:g} months after progressing, and the drug's hazard ratio for death is "
                   f"{model.hr_death:g}.")
        self._show(summary, table, extra_html=self.plot.tables_html())


def _months(value: float) -> str:
    return "not reached" if value == float("inf") else f"{value:.1f}"
