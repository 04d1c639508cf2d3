"""The censoring explorer: the same patients followed for ever and as the analysis sees them.

A swimmer plot in calendar months above the Kaplan–Meier curves from what is seen, the true
survival curves and two shortcuts that ignore censoring, with a table of their errors. "Who
drops out" (lesson 10) makes the dropout depend on prognosis
(:func:`edu_survival.traps.informative.simulate_informative`): at random the patients are those
of :func:`~edu_survival.censoring.full_follow_up`; otherwise the same patients, the same deaths,
and only who leaves changes.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from .. import plots
from .._checks import check_box_seed, check_choice, check_number
from ..analyze import analyze, nice_times
from ..censoring import MAX_DROPOUT, naive_estimates
from ..plots.style import STYLE
from ..scenario import LAPATINIB, Scenario
from ..traps.informative import WHO_DROPS_OUT, simulate_informative
from .base import _friendly, _Widget
from .controls import (
    _SLIDER_STYLE,
    _TOGGLE_STYLE,
    ENGINE,
    SIMULATED_NOTE,
    _button,
    _figure_column,
    _next_seed,
    _slider,
    _slider_column,
)
from .drawn_view import DrawnView, km_readings

# The news story's design with 60 patients, so that every patient's line can be seen, and
# some dropout, so that patients are censored before the horizon. The horizon, 30 months, is
# past the shortest follow-up (24) but well before the longest (48), so both arms keep patients
# at risk there: at 36 months with 40 patients Kaplan–Meier often had nobody left (7 of 20
# arms for seeds 1-20) and fell to 0 on one late death. With 60 patients at 30 months, for
# seeds 1-100, Kaplan–Meier is closer to the same patients' full follow-up than both shortcuts
# in 150 of 200 arms (110 at 24 months, where few are censored before the horizon).
CENSORING_SCENARIO = LAPATINIB.replace(n=60, dropout=0.2)
CENSORING_HORIZON = 30.0


MAX_HORIZON = 600.0
"""The latest horizon, months (50 years): the time axis reaches it."""


def _check_horizon(horizon) -> float:
    return check_number("horizon", horizon, f"> 0 and at most {MAX_HORIZON:g} months",
                        lambda v: 0 < v <= MAX_HORIZON)


class CensoringExplorer(_Widget):
    """The same patients, followed for ever and as the analysis sees them.

    Left, a swimmer plot in calendar months: each patient's line runs from enrolment to death
    (×) or to censoring (|), the part the analysis cannot see dotted up to the death it will
    miss. Right, the Kaplan–Meier curves from what is seen, the true survival curves and, at
    a horizon, two shortcuts that ignore censoring; the table gives their errors.

    Parameters
    ----------
    scenario : Scenario
        The design (months); by default the news story's with 60 patients, so every line shows.
    seed : int
        Random seed; "new patients" moves it on by one.
    horizon : float
        Months from randomisation at which survival is compared (by default 30). Beyond an
        arm's last observed time Kaplan–Meier cannot be estimated, and the widget says so.
    who : {"at random", "the sicker", "the healthier"}
        Who drops out more (lesson 10): at random, Kaplan–Meier's assumption holds.
    strength : float
        How strongly prognosis drives dropout, 0 to 1 (ignored at random).

    Examples
    --------
    >>> explorer = CensoringExplorer(seed=2)
    >>> explorer.controls["follow_up"].value = 6
    >>> bool(explorer.table.loc[("control", "drop censored"), "error"] < 0)
    True
    """

    def __init__(self, scenario: Scenario = CENSORING_SCENARIO, seed: int = 1,
                 horizon: float = CENSORING_HORIZON, who: str = "at random", strength: float = 0.7):
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
        seed = check_box_seed(seed)
        horizon = _check_horizon(horizon)
        who = check_choice("who", who, WHO_DROPS_OUT)
        strength = check_number("strength", strength, "from 0 to 1", lambda v: 0 <= v <= 1)
        self._init_common()
        self.initial_scenario, self.scenario, self.seed = scenario, scenario, int(seed)
        F = W.FloatSlider
        self.controls = {
            "n": _slider(W.IntSlider, "Patients", scenario.n, 10, 200, 1),
            "accrual": _slider(F, "Accrual (months)", scenario.accrual, 0, 60, 1),
            "follow_up": _slider(F, "Further follow-up (months)", scenario.follow_up, 0, 60, 1),
            "dropout": _slider(F, "Dropout (lost per year)", scenario.dropout, 0, MAX_DROPOUT, 0.01,
                               readout_format=".0%"),
            "who": W.ToggleButtons(options=[(w, w) for w in WHO_DROPS_OUT], value=who,
                                   description="Who drops out", style=_TOGGLE_STYLE),
            "strength": _slider(F, "How strongly (0 to 1)", strength, 0, 1, 0.05),
            "horizon": _slider(F, "Compare survival at (months)", horizon, 1, 60, 1),
            "seed": W.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="Seed",
                                     style=_SLIDER_STYLE, layout=W.Layout(width="20em")),
        }
        self.buttons = {"new_patients": _button("New patients", "refresh")}
        self._text_panels()
        self._build_figure()
        self.view = DrawnView(self.figure, readings=lambda add: km_readings(self.km, add))
        self._update(scenario, self.seed, horizon, who, strength)
        left = W.VBox([*self.controls.values(), self.buttons["new_patients"]],
                      layout=_slider_column())
        right = W.VBox([self.message, self.view.widget, self.table_widget,
                        W.HTML(f"<p><em>{html.escape(SIMULATED_NOTE)}</em></p>")],
                       layout=_figure_column())
        self.widget = W.Box([left, right], layout=W.Layout(display="flex", flex_flow="row wrap",
                                                           overflow="visible"))
        self.widget.add_class("es-censoring-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.buttons["new_patients"].on_click(self._new_patients)

    def _build_figure(self):
        from matplotlib.collections import LineCollection

        # The swimmer plot above the Kaplan–Meier plot, 8.5 inches wide like every widget
        # figure: side by side (13 inches) their text was 6 to 7 px in a 570 px column.
        table, swim_h, gap, km_h, top = plots.table_height(("at risk", "censored")), 3.4, 1.2, 3.5, 0.45
        height = table + km_h + gap + swim_h + top
        fig = plots.new_figure(8.5, height)
        self.figure = fig
        left, width = 0.14, 0.83
        with plots.mpl.rc_context(plots._RC):  # axes made here take the projector font sizes
            swim = fig.add_axes((left, (table + km_h + gap) / height, width, swim_h / height))
            km_ax = fig.add_axes((left, table / height, width, km_h / height))
        self.swim_ax, self.km_ax = swim, km_ax
        with plots.mpl.rc_context(plots._RC):
            swim.set_xlabel("Months since the trial opened")
            swim.set_ylabel("Patient (in order of enrolment)")
            swim.set_title("What happens, and what the analysis sees", loc="left", y=1.0, pad=8)
            self.seen = LineCollection([], linewidths=2.2)
            self.unseen = LineCollection([], linewidths=1.2, linestyles=(0, (1, 2)), colors="#999999")
            swim.add_collection(self.unseen)
            swim.add_collection(self.seen)
            (self.deaths_seen,) = swim.plot([], [], "x", color="black", markersize=7, mew=1.8,
                                            label="death seen")
            (self.deaths_missed,) = swim.plot([], [], "x", color="#999999", markersize=6, mew=1.4,
                                              label="death after censoring")
            (self.censor_marks,) = swim.plot([], [], "|", color="black", markersize=10, mew=1.8,
                                             label="censored")
            self.analysis_line = swim.axvline(0, color="black", linewidth=1.5, linestyle="--")
            self.analysis_label = swim.text(0, 1.0, " analysis", transform=swim.get_xaxis_transform(),
                                            va="top", fontsize=plots.SMALL)
            swim.legend(loc="lower right", fontsize=plots.SMALL, framealpha=0.9)
        self._placeholder = None

    @_friendly
    def _on_change(self, change=None):
        if self._holding:
            return
        c = self.controls
        scenario = self.initial_scenario.replace(
            n=int(c["n"].value), accrual=float(c["accrual"].value),
            follow_up=float(c["follow_up"].value), dropout=float(c["dropout"].value))
        self._update(scenario, int(c["seed"].value), float(c["horizon"].value), c["who"].value,
                     float(c["strength"].value))

    @_friendly
    def _new_patients(self, _button=None):
        _next_seed(self.controls["seed"])

    def _update(self, scenario, seed, horizon, who="at random", strength=0.0):
        horizon = _check_horizon(horizon)
        full = simulate_informative(scenario, who, strength if who != "at random" else 0.0, seed)
        analysis = analyze(full, engine=ENGINE)
        table = naive_estimates(full, horizon)
        self.scenario, self.seed, self.horizon = scenario, seed, horizon
        self.who, self.strength = who, strength
        self.full, self.analysis, self.table = full, analysis, table
        self._draw_swimmers(full, scenario)
        # The time axis reaches the horizon, even one past the end of the study: the sentence
        # and the table speak of it, so its line and the shortcuts' marks must be seen.
        t_max = max(scenario.analysis_time, horizon)
        if getattr(self, "km", None) is None:
            self.km = plots.plot_km(analysis, ax=self.km_ax, counts=("at risk", "censored"),
                                    t_max=t_max)
            self._add_truth_artists()
        else:
            self.km.t_max = t_max
            self.km.update(analysis)
        self._draw_truth(scenario, table, horizon)
        text = self._sentence(analysis, table, horizon, full.attrs.get("dropout"))
        with self.view.widget.hold_sync():
            drawn_for = ";".join(f"{k}={getattr(scenario, k):g}" for k in (
                "n", "accrual", "follow_up", "dropout")) + f";horizon={horizon:g};seed={seed}"
            self.view.render(f"Swimmer plot and Kaplan–Meier plot of {scenario.n} simulated "
                             f"patients. {text} {self.km.alt_text}", drawn_for=drawn_for)
            self._set_summary(text, "font-size:1.1em")
        self.table_widget.value = self._table_html(table)
        notes = list(analysis.problems)
        if who != "at random" and scenario.dropout == 0:
            notes.append("Nobody drops out at 0% dropout: set a dropout above 0 to see who drops out matter.")
        self._say(" ".join(notes), "warning" if analysis.problems else "info")

    def _draw_swimmers(self, full, scenario):
        order = np.argsort(full["entry"].to_numpy(), kind="stable")
        f = full.iloc[order]
        y = np.arange(1, len(f) + 1)
        entry, until, death_at = (f[k].to_numpy() for k in ("entry", "observed_until", "death_at"))
        seen = f["event"].to_numpy() == 1
        arm_pos = (f["arm"].to_numpy() == "treatment").astype(int)
        self.seen.set_segments([[(a, yi), (b, yi)] for a, b, yi in zip(entry, until, y, strict=True)])
        self.seen.set_color([plots.ARM_COLORS[p] for p in arm_pos])
        finite = np.isfinite(death_at)
        self.unseen.set_segments([[(b, yi), (d, yi)] for b, d, yi, ok, s in
                                  zip(until, death_at, y, finite, seen, strict=True) if ok and not s])
        self.deaths_seen.set_data(until[seen], y[seen])
        self.censor_marks.set_data(until[~seen], y[~seen])
        self.deaths_missed.set_data(death_at[~seen & finite], y[~seen & finite])
        t_end = scenario.analysis_time
        self.analysis_line.set_xdata([t_end, t_end])
        self.analysis_label.set_x(t_end)
        right = max(t_end * 1.6, np.nanmax(np.where(finite, death_at, 0)) * 0.5, 12)
        self.swim_ax.set_xlim(0, right)  # deaths far beyond are cut: they are dotted off the edge
        self.swim_ax.set_ylim(0, len(f) + 1)
        self.swim_ax.set_yticks(nice_times(len(f), 6)[1:])

    def _add_truth_artists(self):
        ax = self.km_ax
        self.truth_lines, self.shortcut_marks = {}, {}
        for pos in (0, 1):
            (self.truth_lines[pos],) = ax.plot([], [], color=plots.ARM_COLORS[pos], linewidth=1.2,
                                               alpha=0.7, linestyle=":", zorder=2)
            # Up: counting the censored as survivors (too rosy); down: dropping them (too grim).
            self.shortcut_marks[pos] = {
                method: ax.plot([], [], linestyle="none", marker=marker, markersize=10,
                                color=plots.ARM_COLORS[pos], markeredgecolor="black",
                                zorder=6)[0]
                for method, marker in (("share who died", "^"), ("drop censored", "v"))
            }
        look = STYLE["km"]["horizon"]
        self.horizon_line = ax.axvline(0, color=look["color"], linewidth=look["width"],
                                       linestyle=look["linestyle"])

    def _draw_truth(self, scenario, table, horizon):
        t = np.linspace(0, max(self.km_ax.get_xlim()[1], 1), 120)
        for pos, arm in ((0, "control"), (1, "treatment")):
            self.truth_lines[pos].set_data(t, scenario.survival(t, arm))
            for method, mark in self.shortcut_marks[pos].items():
                mark.set_data([horizon], [table.loc[(arm, method), "survival"]])
        self.horizon_line.set_xdata([horizon, horizon])

    @staticmethod
    def _no_value(table, arm, method) -> str:
        """Why ``method`` has no value (NaN) for ``arm`` in ``table``, in words."""
        if method == "Kaplan–Meier":
            return (f"cannot be estimated beyond {table.attrs['last_time'][arm]:.3g} months "
                    "(nobody left at risk)")
        return "cannot be computed (everyone was censored before then)"

    @classmethod
    def _sentence(cls, analysis, table, horizon, dropout=None):
        parts = []
        for arm in ("treatment", "control"):
            def says(method, arm=arm):
                value = table.loc[(arm, method), "survival"]
                return cls._no_value(table, arm, method) if np.isnan(value) else f"says {value:.0%}"
            sample = table.loc[(arm, "same patients, full follow-up"), "survival"]
            parts.append(
                f"{arm.capitalize()} arm: {sample:.0%} of these patients are really alive at {horizon:g} months; "
                f"Kaplan–Meier {says('Kaplan–Meier')}, counting the censored as survivors "
                f"{says('share who died')} and dropping them {says('drop censored')}")
        censored = sum(analysis.censored.values())
        return (f"{censored} of {analysis.total_n} patients are censored{full_dropout_words(dropout)}. " + ". ".join(parts)
                + ". On the plot, at the dash-dotted horizon, triangles pointing up mark counting the "
                "censored as survivors and pointing down dropping them; dotted curves are the "
                "true survival.")

    # The rows hold a proportion *alive*: name the shortcuts by what they do with the censored,
    # not "share who died" (whose row would show the share alive).
    _ROW_NAMES = {"share who died": "censored counted as alive", "drop censored": "censored dropped"}

    @classmethod
    def _table_html(cls, table) -> str:
        methods = list(dict.fromkeys(table.index.get_level_values("method")))
        head = "".join(f"<th>{html.escape(a)}</th>" for a in ("treatment", "control"))

        def cell(a, m):
            value, error = table.loc[(a, m), "survival"], table.loc[(a, m), "error"]
            if np.isnan(value):
                return f"<td>{html.escape(cls._no_value(table, a, m))}</td>"
            # "+0%" and "-0%" for errors that round to nothing read as a sign that matters
            shown = "±0%" if round(100 * error) == 0 else f"{error:+.0%}"
            return f"<td>{value:.0%} ({shown})</td>"

        rows = []
        for m in methods:
            cells = "".join(cell(a, m) for a in ("treatment", "control"))
            rows.append(f"<tr><th scope='row'>{html.escape(cls._ROW_NAMES.get(m, m))}</th>{cells}</tr>")
        return (f"<table><caption>Proportion alive at {table.attrs['horizon']:g} months "
                f"(error against the same patients with full follow-up)</caption>"
                f"<tr><th>method</th>{head}</tr>{''.join(rows)}</table>")


def full_dropout_words(dropout) -> str:
    """", and the sicker drop out sooner (strength 0.7)", or nothing when dropout is at random."""
    if not dropout or dropout["who"] == "at random" or dropout["strength"] == 0:
        return ""
    return (f", and {dropout['who']} drop out sooner (strength {dropout['strength']:g}), so Kaplan–Meier's "
            "assumption that those who leave are like those who stay fails")
