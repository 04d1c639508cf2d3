"""The competing-risks explorer (lesson 10): deaths from other causes, and two curves that
answer different questions."""

from __future__ import annotations

import ipywidgets as W

from .. import plots
from ..scenario import Scenario
from ..traps.competing import COMPETING_SCENARIO, competing_risks, simulate_competing
from .controls import _slider
from .trap_explorer import _TrapExplorer, seed_box


class CompetingRisksExplorer(_TrapExplorer):
    """1 − Kaplan–Meier against the cumulative incidence of death from the cancer, as deaths
    from other causes become more common.

    Parameters
    ----------
    scenario : Scenario
        Enrolment, follow-up and the cancer's survival (the story's chemotherapy-alone arm).
    competing : float
        Annual probability of dying of another cause (0 to 0.9).
    seed : int
        Random seed; the cancer deaths are the same whatever ``competing``.
    horizon : float
        Months at which both curves are read off.

    Examples
    --------
    >>> explorer = CompetingRisksExplorer(competing=0.0)
    >>> km, cif = explorer.result.at(24)
    >>> bool(abs(km - cif) < 1e-12)
    True
    """

    css_class = "es-competing-explorer"
    note = "Simulated from the news story's summary figures, with invented deaths from other causes: not patient data."

    def __init__(self, scenario: Scenario = COMPETING_SCENARIO, competing: float = 0.2, seed: int = 4,
                 horizon: float = 24.0):
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
        self._init_common()
        self.initial_scenario = scenario
        F = W.FloatSlider
        self.controls = {
            "competing": _slider(F, "Deaths from other causes (a year)", competing, 0, 0.5, 0.01,
                                 readout_format=".0%"),
            "n": _slider(W.IntSlider, "Patients", scenario.n, 20, 1000, 1),
            "horizon": _slider(F, "Read off at (months)", horizon, 1, 48, 1),
            "seed": seed_box(seed),
        }
        self.result = competing_risks(simulate_competing(scenario, competing, seed))
        self.plot = plots.plot_competing(self.result, horizon=horizon)
        self._assemble()

    def _update(self):
        c = self.controls
        scenario = self.initial_scenario.replace(n=int(c["n"].value))
        horizon = float(c["horizon"].value)
        if not 0 < horizon <= scenario.analysis_time:
            raise ValueError(f"the horizon must be within the {scenario.analysis_time:g} months of follow-up; "
                             f"got {horizon:g}")
        data = simulate_competing(scenario, float(c["competing"].value), int(c["seed"].value))
        self.result = competing_risks(data)
        self.scenario, self.horizon = scenario, horizon
        self.plot.update(self.result, horizon)
        self._show(self.result.sentence(horizon), self.result.table(horizon))
