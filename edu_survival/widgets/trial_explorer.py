"""The trial explorer: a simulated two-arm trial that answers every slider at once.

The two medians (or the control median and the hazard ratio), patients, accrual, follow-up
and censoring, with its Kaplan–Meier plot, a plain-language summary and, on request, 1,000
trials at once (the dance of the p-values and the power). All data shown are simulated from
assumed summary figures, never patient data.
"""

from __future__ import annotations

import functools
import html
import math

import ipywidgets as W

from .. import plots
from .._checks import check_box_seed
from ..analyze import analyze
from ..censoring import MAX_DROPOUT, dropout_for_censored_share, expected_censored_share
from ..design import analytic_power
from ..scenario import LAPATINIB, STORY_LABELS, Scenario
from .base import STALE_PREFIX, _friendly, _Widget
from .controls import (
    _SLIDER_STYLE,
    _TOGGLE_STYLE,
    ENGINE,
    SIMULATED_NOTE,
    _button,
    _figure_column,
    _next_seed,
    _share_bounds,
    _slider,
    _slider_column,
    _wide,
)
from .drawn_view import DrawnView, km_readings
from .figure_view import FigureView
from .km_scene import km_scene


class TrialExplorer(_Widget):
    """A simulated two-arm trial that answers every slider at once.

    Parameters
    ----------
    scenario : Scenario
        The starting assumptions (months); by default the news story's (:data:`LAPATINIB`).
    seed : int
        The starting random seed; "new trial" moves it on by one.
    labels : dict, optional
        Names of the arms in the plot and summary, e.g. ``{"treatment": "lapatinib"}``.
    n_sims : int
        Trials simulated by the "run many trials" button.
    engine : {"numpy", "lifelines"}, optional
        Who computes the analysis; by default the fast numpy engine when available.

    Attributes
    ----------
    controls : dict of widgets
        ``median_control``, ``median_treatment``, ``n``, ``accrual``, ``follow_up``,
        ``dropout``, ``seed``, and ``hr``, ``effect_mode``, ``share_censored``,
        ``censoring_mode``; in the "assumptions" group (collapsed at first), ``shape`` (the
        Weibull shape of the hazard, 0.5 to 3) and ``delay`` (months before the treatment
        acts, 0 to 12).
    assumptions : Accordion
        The collapsed group holding ``shape``, ``delay`` and a readout in words.
    buttons : dict of Button
        ``new_trial``, ``run_trials``, ``reset``.
    figure : matplotlib Figure
        The Kaplan–Meier plot, redrawn in place.
    analysis : Analysis
        The trial now shown; ``scenario`` and ``seed`` made it.
    summary : HTML widget
        The live summary (class es-summary), also the figure's text alternative.
    message : HTML widget
        Problems and errors in plain words (class es-message); empty when all is well.

    Examples
    --------
    >>> import edu_survival as es
    >>> explorer = TrialExplorer(es.LAPATINIB, seed=1)
    >>> explorer.controls["median_control"].value = 12
    >>> round(explorer.analysis.scenario.median_control, 1), explorer.analysis.n["control"]
    (12.0, 160)
    """

    def __init__(self, scenario: Scenario = LAPATINIB, seed: int = 1, *, labels: dict | None = None,
                 n_sims: int = 1000, engine: str | None = None):
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
        seed = check_box_seed(seed)
        if isinstance(n_sims, bool) or not isinstance(n_sims, int) or not 1 <= n_sims <= 100_000:
            raise ValueError(f"n_sims must be a whole number from 1 to 100,000; got {n_sims!r}")
        if engine not in (None, "numpy", "lifelines"):
            raise ValueError(f"engine must be 'numpy', 'lifelines' or None (best available); got {engine!r}")
        self._init_common()
        self.engine = engine or ENGINE
        # The news story's arms get their names; any other scenario keeps "control"/"treatment".
        self.labels = labels if labels is not None else (STORY_LABELS if scenario == LAPATINIB else None)
        self.n_sims = n_sims
        self.initial_scenario, self.initial_seed = scenario, int(seed)
        self.scenario, self.seed = scenario, int(seed)
        self.power_result = None
        # The exact value behind a rounded slider (hr, share censored): the slider shows 0.72,
        # the trial keeps its 0.7238, so that describing it the other way changes nothing.
        self._behind: dict[str, tuple[float, float]] = {}
        self._notes: list[str] = []  # what the widget changed by itself, said with the next trial
        self._build_controls(scenario, seed)
        self._sync_hidden(scenario)
        self.readout = W.HTML(layout=_wide())
        self.readout.add_class("es-readout")
        self.assumption_readout = W.HTML(layout=_wide())
        self.assumption_readout.add_class("es-assumptions-readout")
        self.analysis = self._analyse(scenario, self.seed)
        # The numbers (at-risk table, hazard ratio, deaths) go beside the picture as HTML:
        # drawn into it they were most of each update's time.
        self.km = plots.plot_km(self.analysis, counts=("at risk", "censored", "events"),
                                numbers=False)
        self.figure = self.km.figure
        # The browser draws the curves from their arrays: matplotlib's artists are set only
        # when the picture is drawn (the PNG: a static copy, the fallback once updates rest).
        self.km.defer_artists = True
        # Drawn in the browser from data; the curves can be read there (hover, arrow keys).
        self.view = DrawnView(self.figure, draw=self.km.draw,
                              readings=lambda add: km_readings(self.km, add),
                              scene=lambda add: km_scene(self.km, add))
        self._build_power_panel()
        self._layout()
        self._show(self.analysis)
        for name, control in self.controls.items():
            control.observe(functools.partial(self._on_change, name), names="value")
        self.buttons["new_trial"].on_click(self.new_trial)
        self.buttons["run_trials"].on_click(self.run_trials)
        self.buttons["reset"].on_click(self.reset)

    # -- construction
    def _build_controls(self, s, seed):
        F, I = W.FloatSlider, W.IntSlider  # noqa: E741
        low_share, high_share = _share_bounds(s)
        self.controls = {
            "effect_mode": W.ToggleButtons(
                options=[("two medians", "medians"), ("control median + HR", "hr")],
                value="medians", description="Effect as", style=_TOGGLE_STYLE),
            "median_control": _slider(F, "Median, control (months)", s.median_control, 1, 60, 0.1),
            "median_treatment": _slider(F, "Median, treatment (mo.)", s.median_treatment, 1, 60,
                                        0.1),
            "hr": _slider(F, "Hazard ratio (treatment / control)", max(round(s.hr, 2), 0.01), 0.2,
                          2.0, 0.01),
            "n": _slider(I, "Patients", s.n, 10, 2000, 1),
            "accrual": _slider(F, "Accrual (months)", s.accrual, 0, 60, 1),
            "follow_up": _slider(F, "Further follow-up (months)", s.follow_up, 0, 60, 1),
            "censoring_mode": W.ToggleButtons(
                options=[("dropout per year", "dropout"), ("share censored", "share")],
                value="dropout", description="Censoring as", style=_TOGGLE_STYLE),
            "dropout": _slider(F, "Dropout (lost per year)", s.dropout, 0, MAX_DROPOUT, 0.01,
                               readout_format=".0%"),
            # Its range is the feasible one for the other settings (see _fit_share_range).
            "share_censored": _slider(F, "Share censored", low_share, low_share, high_share,
                                      0.01, widen=False, readout_format=".0%"),
            "seed": W.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Seed",
                                     style=_SLIDER_STYLE, layout=W.Layout(width="20em")),
            # The assumptions the story's verdict turns on: how the hazard changes with time,
            # and when the treatment starts to act.
            "shape": _slider(F, "Hazard shape (Weibull)", s.shape, 0.5, 3.0, 0.01),
            "delay": _slider(F, "Effect starts after (months)", s.delay, 0, 12, 0.5),
        }
        self.controls["hr"].set_shown(False)
        self.controls["share_censored"].set_shown(False)
        self.buttons = {
            "new_trial": _button("New trial", "refresh"),
            "run_trials": _button(f"Run {self.n_sims:,} trials", "play"),
            "reset": _button("Reset to the news story", "undo"),
        }

    def _build_power_panel(self):
        self.progress = W.IntProgress(value=0, min=0, max=self.n_sims, description="Trials",
                                      layout=W.Layout(display="none", width="auto"))
        self.progress.add_class("es-progress")
        self.power_text = W.HTML(layout=_wide())
        self.power_text.add_class("es-power")
        self.progress_output = W.Output()
        self.dance = None
        self.dance_view = None
        self.power_box = W.VBox([self.progress, self.progress_output, self.power_text],
                                layout=_wide())

    def _layout(self):
        c = self.controls
        sliders = W.VBox(
            [c["effect_mode"], c["median_control"], c["median_treatment"], c["hr"], c["n"],
             c["accrual"], c["follow_up"], c["censoring_mode"], c["dropout"],
             c["share_censored"], self.readout, self._assumptions_group(), c["seed"],
             W.HBox([self.buttons["new_trial"], self.buttons["reset"]]),
             self.buttons["run_trials"]],
            layout=_slider_column(),
        )
        note = W.HTML(f"<p><em>{html.escape(SIMULATED_NOTE)}</em></p>")
        right = W.VBox([self.message, self.view.widget, note, self.power_box],
                       layout=_figure_column())
        self.widget = W.Box([sliders, right], layout=W.Layout(display="flex", flex_flow="row wrap",
                                                               width="auto", overflow="visible"))
        self.widget.add_class("es-trial-explorer")

    def _assumptions_group(self) -> W.Accordion:
        """Hazard shape and delay, collapsed at first: the story's own numbers come first."""
        c = self.controls
        box = W.VBox([c["shape"], c["delay"], self.assumption_readout], layout=_wide())
        self.assumptions = W.Accordion(children=[box], selected_index=None, layout=_wide(),
                                       titles=("Assumptions: hazard shape, delayed effect",))
        self.assumptions.add_class("es-assumptions")
        return self.assumptions

    @staticmethod
    def hazard_words(shape: float) -> str:
        """How a Weibull hazard of this shape changes over time, in words.

        Examples
        --------
        >>> TrialExplorer.hazard_words(1.48)
        'hazard rises over time'
        """
        if shape < 1:
            return "hazard falls over time"
        return "hazard is constant over time" if shape == 1 else "hazard rises over time"

    @classmethod
    def truth_sentence(cls, scenario: Scenario) -> str:
        """The hazard ratio the trial is simulated from, with the assumptions behind it."""
        words = cls.hazard_words(scenario.shape)
        if scenario.delay > 0 and scenario.early_hr != scenario.hr:
            effect = (f"{scenario.early_hr:.2f} for the first {scenario.delay:g} months, then "
                      f"{scenario.hr:.2f}")
        else:
            effect = f"{scenario.hr:.2f}"
        return (f"True hazard ratio of this simulation (treatment / control): {effect} "
                f"({words}: Weibull shape {scenario.shape:.2f}).")

    # -- the library calls
    def _analyse(self, scenario, seed):
        from ..simulate import simulate

        return analyze(simulate(scenario, seed), engine=self.engine, labels=self.labels)

    def scenario_from_controls(self) -> Scenario:
        """The scenario the controls describe now (raises ValueError if they describe none)."""
        return self._with_censoring(self._scenario_without_dropout())

    def _with_censoring(self, scenario: Scenario) -> Scenario:
        """``scenario`` (from :meth:`_scenario_without_dropout`) with the dropout the censoring
        controls describe."""
        c = self.controls
        if c["censoring_mode"].value == "share":
            dropout = dropout_for_censored_share(scenario, self._exact("share_censored"))
        else:
            dropout = float(c["dropout"].value)
        return scenario.replace(dropout=dropout)

    def _scenario_without_dropout(self) -> Scenario:
        """The scenario of every control but the censoring ones, with no dropout."""
        c = self.controls
        # Fields without a control (allocation, shape, delay, ...) stay as the scenario had them.
        shape = float(c["shape"].value)
        fields = {
            "n": int(c["n"].value), "accrual": float(c["accrual"].value),
            "follow_up": float(c["follow_up"].value), "dropout": 0.0, "shape": shape,
            "delay": float(c["delay"].value),
        }
        median_control = float(c["median_control"].value)
        if c["effect_mode"].value == "hr":
            median_treatment = Scenario.from_hr(median_control, self._exact("hr"),
                                                shape=shape).median_treatment
        else:
            median_treatment = float(c["median_treatment"].value)
        return self.initial_scenario.replace(median_control=median_control,
                                             median_treatment=median_treatment, **fields)

    def _fit_share_range(self, scenario) -> None:
        """Make the share-censored slider span the shares reachable with ``scenario``'s other
        settings (its value moves inside if it was outside), without an update."""
        low, high = _share_bounds(scenario)
        slider = self.controls["share_censored"]
        with self._hold():
            # Widen first, so that min never exceeds max on the way.
            slider.min, slider.max = min(slider.min, low), max(slider.max, high)
            slider.min, slider.max = low, high

    def _exact(self, name: str) -> float:
        """A rounded slider's value, or the exact one behind it while the slider still shows
        what it was set to (see :meth:`_sync_hidden`)."""
        value = float(self.controls[name].value)
        shown, exact = self._behind.get(name, (None, None))
        return exact if value == shown else value

    def _set_rounded(self, name: str, exact: float, tolerance: float) -> None:
        """Show ``exact`` on slider ``name`` rounded to 2 decimals, within its range (widened
        as it may be, above 0): the exact value stays behind it unless it had to be moved."""
        slider = self.controls[name]
        slider.value = min(max(round(exact, 2), max(slider.min, 0.01)), slider.max)
        if abs(slider.value - exact) <= tolerance:
            self._behind[name] = (slider.value, exact)
        else:
            self._behind.pop(name, None)

    # -- callbacks
    @_friendly
    def _on_change(self, name, change=None):
        if self._holding:
            return
        if name in ("effect_mode", "censoring_mode"):
            note = self._switch_modes()
            if not note:
                return  # the same trial, described the other way
            self._notes.append(note)
        self.refresh()

    def _switch_modes(self) -> str:
        """Show the controls of the modes chosen; "" if they describe the trial shown, else
        what had to change (a hazard ratio beyond its slider's range)."""
        c = self.controls
        by_hr = c["effect_mode"].value == "hr"
        by_share = c["censoring_mode"].value == "share"
        self._sync_hidden(self.scenario)  # before showing: a twin shown appears with its value
        c["hr"].set_shown(by_hr)
        c["median_treatment"].set_shown(not by_hr)
        c["share_censored"].set_shown(by_share)
        c["dropout"].set_shown(not by_share)
        notes = []
        hr, slider = self.scenario.hr, c["hr"]
        if by_hr and not math.isclose(self._exact("hr"), hr, rel_tol=1e-9):
            notes.append(f"The hazard ratio of these medians (Weibull shape "
                         f"{self.scenario.shape:g}) is {hr:.3g}, beyond the slider's "
                         f"{slider.min:g} to {slider.max:g}: it is set to {slider.value:g}, and "
                         "the treatment median follows.")
        share = expected_censored_share(self.scenario)
        if by_share and abs(self._exact("share_censored") - share) > 1e-9:
            notes.append(f"The share censored of these settings, {share:.0%}, is beyond the "
                         f"slider's range: it is set to {c['share_censored'].value:.0%}, and the "
                         "dropout follows.")
        return " ".join(notes)

    def _sync_hidden(self, scenario):
        """Set the hidden twin controls to describe the current scenario (no update)."""
        c = self.controls
        with self._hold():
            if c["effect_mode"].value == "hr":
                c["median_treatment"].value = scenario.median_treatment
            else:
                self._set_rounded("hr", scenario.hr, 0.005 + 1e-12)
            if c["censoring_mode"].value == "share":
                c["dropout"].value = scenario.dropout
            else:
                # The slider's ends are the feasible range rounded inwards (at most 1% off).
                self._set_rounded("share_censored", expected_censored_share(scenario), 0.01 + 1e-9)

    @_friendly
    def refresh(self) -> None:
        """Simulate and analyse the trial the controls describe, and show it."""
        without_dropout = self._scenario_without_dropout()
        self._fit_share_range(without_dropout)
        scenario = self._with_censoring(without_dropout)
        seed = int(self.controls["seed"].value)
        analysis = self._analyse(scenario, seed)
        self.scenario, self.seed, self.analysis = scenario, seed, analysis
        self._show(analysis)
        self._sync_hidden(scenario)

    def _show(self, analysis):
        self.km.update(analysis)
        scenario = analysis.scenario
        truth = self.truth_sentence(scenario)
        drawn_for = ";".join(f"{k}={getattr(scenario, k):g}" for k in (
            "median_control", "median_treatment", "n", "accrual", "follow_up", "dropout", "shape",
            "delay"))
        with self.view.widget.hold_sync():  # picture, alt text, table and summary: one message
            self.view.render(f"{self.km.alt_text} {truth}", above=self.km.headline_html(),
                             below=self.km.table_html(), drawn_for=drawn_for)
            self._set_summary(f"{plots.describe(analysis)} {truth}",
                              "font-size:1.1em;line-height:1.4")
        self.assumption_readout.value = (
            f"<small>The {html.escape(self.hazard_words(scenario.shape))} (Weibull shape "
            f"{scenario.shape:.2f}); the treatment acts "
            + (f"after {scenario.delay:g} months" if scenario.delay > 0 else "from randomisation")
            + f". True hazard ratio: <b>{scenario.hr:.2f}</b>"
            + (f" after the delay ({scenario.early_hr:.2f} before)." if scenario.delay > 0 else ".")
            + "</small>")
        share = expected_censored_share(scenario)
        censored = sum(analysis.censored.values())
        self.readout.value = (
            "<small style='line-height:1.4;display:block'>"
            f"Expected censored: {share:.0%} of patients (dropout "
            f"{scenario.dropout:.0%} a year). This trial: {censored} of {analysis.total_n} "
            f"({censored / analysis.total_n:.0%}).</small>"
        )
        said, self._notes = [*self._notes, *analysis.problems], []
        self._say(" ".join(said), "warning" if said else "info")
        if self.power_result is not None and self.power_result.scenario != scenario:
            self.power_text.value = (
                "<p><em>The many trials below were simulated for the settings before your last "
                f"change; press “Run {self.n_sims:,} trials” again.</em></p>"
                + self._power_html(self.power_result)
            )

    @property
    def summary_text(self) -> str:
        """The summary as plain text (what the figure's alt text also says), beginning
        "Showing the last valid trial: " after an invalid setting."""
        return ((STALE_PREFIX if self.stale else "") + plots.describe(self.analysis) + " "
                + self.truth_sentence(self.analysis.scenario))

    @_friendly
    def new_trial(self, _button=None) -> None:
        """Another trial with the same settings: the seed moves on by one (after the largest
        seed, back to 0)."""
        _next_seed(self.controls["seed"])

    @_friendly
    def reset(self, _button=None) -> None:
        """Back to the news story's scenario and the first seed."""
        c, s = self.controls, LAPATINIB
        with self._hold():
            c["effect_mode"].value = "medians"
            c["censoring_mode"].value = "dropout"
            for name in ("median_control", "median_treatment", "n", "accrual", "follow_up",
                         "dropout", "shape", "delay"):
                c[name].value = getattr(s, name)
            c["seed"].value = self.initial_seed
            self._switch_modes()
        self.refresh()

    @_friendly(stale=False)  # the trial shown is still the one the controls describe
    def run_trials(self, _button=None) -> None:
        """Simulate ``n_sims`` trials of the current scenario; show the dance and the power."""
        from ..montecarlo import power

        button = self.buttons["run_trials"]
        button.disabled, label = True, button.description
        button.description = "Running…"
        self.progress.value, self.progress.layout.display = 0, None
        self.power_text.value = (f"<p>Simulating {self.n_sims:,} trials of "
                                 f"{self.scenario.n:,} patients…</p>")
        try:
            self.progress_output.clear_output()
            with self.progress_output:  # tqdm's bar appears here for long runs
                result = power(self.scenario, n_sims=self.n_sims, seed=self.seed, progress=None)
            self.progress_output.clear_output()
            self.progress.value = self.n_sims
            self.power_result = result
            if self.dance is None:
                self.dance = plots.plot_dance(result)
                self.dance_view = FigureView(self.dance.figure, "es-dance", caption="none")
                self.power_box.children = (*self.power_box.children, self.dance_view.widget)
            else:
                self.dance.update(result)
            self.dance_view.render(self.dance.alt_text)
            self.power_text.value = self._power_html(result)
        finally:
            button.disabled, button.description = False, label
            self.progress.layout.display = "none"

    def _power_html(self, result) -> str:
        analytic = analytic_power(result.scenario, result.alpha)
        return (f'<p style="font-size:1.1em">{html.escape(str(result))} Schoenfeld\'s formula '
                f"predicts {analytic:.0%}.</p>")


def explore(scenario: Scenario = LAPATINIB, seed: int = 1, **options) -> TrialExplorer:
    """Show a :class:`TrialExplorer` for ``scenario`` in the notebook, and return it.

    Examples
    --------
    >>> import edu_survival as es
    >>> explorer = es.explore(es.LAPATINIB)  # doctest: +SKIP
    """
    explorer = TrialExplorer(scenario, seed, **options)
    from IPython import get_ipython
    from IPython.display import display

    display(explorer._display_bundle(), raw=True)
    explorer._shown_in = getattr(get_ipython(), "execution_count", None)
    return explorer
