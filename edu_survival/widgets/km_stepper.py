"""The Kaplan–Meier stepper: the calculation on a dozen patients, one time at a time."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from .. import plots
from ..analysis.prepare import _check_events, _check_times
from ..analysis.words import plural as _plural
from ..lifetable import example_patients, life_table
from ..plots.style import STYLE
from .base import _friendly, _Widget
from .controls import _SLIDER_STYLE, _button, _wide
from .drawn_view import DrawnView, curve_readings
from .sliders import IntSlider


class KMStepper(_Widget):
    """Step through the Kaplan–Meier calculation on a dozen patients, one time at a time.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Columns ``time`` (months) and ``event`` (1 death, 0 censored), at most 40 rows;
        by default :func:`edu_survival.lifetable.example_patients`.

    Examples
    --------
    >>> stepper = KMStepper()
    >>> stepper.buttons["next"].click(); stepper.buttons["next"].click()
    >>> stepper.step, round(stepper.current_survival, 3)
    (2, 0.833)
    """

    def __init__(self, data=None):
        self._init_common()
        self.data = example_patients() if data is None else data
        if not hasattr(self.data, "columns") or not {"time", "event"} <= set(self.data.columns):
            raise ValueError("data must be a DataFrame with columns 'time' (months) and 'event' "
                             f"(1 death, 0 censored); got {type(self.data).__name__}")
        if len(self.data) > 40:
            raise ValueError(f"data must have at most 40 patients to follow by hand; got {len(self.data)}")
        if len(self.data) == 0:
            raise ValueError("data has no rows")
        _check_times(self.data, "time")  # the same checks as analyze
        _check_events(self.data, "event")
        self.table = life_table(self.data["time"], self.data["event"])
        self.step = 0
        self.controls = {"step": IntSlider(value=0, min=0, max=len(self.table),
                                           description="Step", style=_SLIDER_STYLE,
                                           layout=_wide())}
        self.buttons = {"previous": _button("Previous", "step-backward"),
                        "next": _button("Next", "step-forward"),
                        "start": _button("Start over", "fast-backward")}
        self._text_panels()
        self._build_figure()
        self.view = DrawnView(self.figure, caption="top", readings=self._readings)
        self.controls["step"].observe(self._on_step, names="value")
        self.buttons["previous"].on_click(lambda _: self._go(self.step - 1))
        self.buttons["next"].on_click(lambda _: self._go(self.step + 1))
        self.buttons["start"].on_click(lambda _: self._go(0))
        self._draw()
        source = self.data.attrs.get("source", "")
        note = f"Data {source}." if source else ""
        self.widget = W.VBox([
            W.HBox([self.buttons["start"], self.buttons["previous"], self.buttons["next"]]),
            self.controls["step"], self.message, self.view.widget, self.table_widget,
            W.HTML(f"<p><em>{html.escape(note)}</em></p>")])
        self.widget.add_class("es-km-stepper")

    @property
    def current_survival(self) -> float:
        """The Kaplan–Meier estimate after the rows shown so far."""
        return 1.0 if self.step == 0 else float(self.table["survival"].iloc[self.step - 1])

    def _build_figure(self):
        fig = plots.new_figure(8.5, 7.5)
        gs = fig.add_gridspec(2, 1, height_ratios=[1.1, 1], left=0.12, right=0.97, top=0.93,
                              bottom=0.09, hspace=0.4)
        self.figure = fig
        with plots.mpl.rc_context(plots._RC):  # axes made here take the projector font sizes
            km, pts = fig.add_subplot(gs[0]), fig.add_subplot(gs[1], sharex=None)
        self.km_ax, self.patients_ax = km, pts
        t_end = (float(self.data["time"].max()) or 1.0) * 1.05  # all times 0: still a visible axis
        table = self.table
        with plots.mpl.rc_context(plots._RC):
            km.set_ylim(0, 1.05)
            km.set_xlim(0, t_end)
            km.set_ylabel("Proportion alive")
            km.set_title("Kaplan–Meier estimate so far", loc="left", y=1.0, pad=8)
            x, y = plots._steps(np.r_[0.0, table["time"]], np.r_[1.0, table["survival"]])
            km.plot(x, y, color="#bbbbbb", linestyle=":", linewidth=1.5)  # the whole curve, faint
            (self.curve,) = km.plot([], [], color=plots.ARM_COLORS[1], linewidth=2.6)
            (self.point,) = km.plot([], [], "o", color=plots.ARM_COLORS[1], markersize=9)
            self.now_km = km.axvline(0, color=plots.GREY, linewidth=1, linestyle="--")
            order = np.argsort(self.data["time"].to_numpy(), kind="stable")
            self._order = order
            n = len(order)
            self._t = self.data["time"].to_numpy()[order]
            self._e = self.data["event"].to_numpy()[order]
            pts.set_xlim(0, t_end)
            pts.set_ylim(0.3, n + 0.7)
            pts.set_yticks(np.arange(1, n + 1), [str(p) for p in self.data["patient"].to_numpy()[order]]
                           if "patient" in self.data else np.arange(1, n + 1))
            pts.set_ylabel("Patient")
            pts.set_xlabel("Months since randomisation")
            ys = np.arange(1, n + 1)
            self.bars = pts.hlines(ys, 0, self._t, linewidth=5)
            (self.deaths,) = pts.plot(self._t[self._e == 1], ys[self._e == 1], "x", color="black",
                                      markersize=9, mew=2)
            (self.censors,) = pts.plot(self._t[self._e == 0], ys[self._e == 0], "|", color="black",
                                       markersize=14, mew=2)
            self.now_pts = pts.axvline(0, color=plots.GREY, linewidth=1, linestyle="--")
            self.at_risk_label = pts.set_title("", loc="left", y=1.0, pad=6)

    @_friendly
    def _on_step(self, change):
        if self._holding:
            return
        self.step = int(change["new"])
        self._draw()

    @_friendly
    def _go(self, step):
        self.controls["step"].value = int(min(max(step, 0), len(self.table)))

    def _readings(self, add) -> dict:
        """The estimate so far, to read in the browser (hover, arrow keys)."""
        shown = self.table.iloc[:self.step]
        look = STYLE["arms"][1]  # the stepper's curve is drawn in the other arm's colour
        curve = {"label": "Kaplan–Meier estimate so far", "colour": look["color"],
                 "text": look["text_color"],
                 "time": np.r_[0.0, shown["time"]], "survival": np.r_[1.0, shown["survival"]],
                 "at_risk": np.r_[len(self.data), shown["at_risk"]]}
        return curve_readings(self.km_ax, [curve], "months", None, add)

    def _draw(self):
        k, table = self.step, self.table
        shown = table.iloc[:k]
        x, y = plots._steps(np.r_[0.0, shown["time"]], np.r_[1.0, shown["survival"]])
        self.curve.set_data(x, y)
        now = float(shown["time"].iloc[-1]) if k else 0.0
        self.point.set_data([now], [self.current_survival])
        for line in (self.now_km, self.now_pts):
            line.set_xdata([now, now])
        # The life table's at-risk count: the patients followed longest (the bars are in order of
        # follow-up, ties in data order), those still followed just before this time.
        n = len(self._t)
        at_risk = int(shown["at_risk"].iloc[-1]) if k else n
        self.bars.set_color([plots.ARM_COLORS[1] if i >= n - at_risk else "#cccccc"
                             for i in range(n)])
        if k == 0:
            everyone = "The 1 patient starts" if n == 1 else f"All {n} patients start"
            text = (f"{everyone} alive: survival is 1. Press Next to go to "
                    "the first time a patient dies or is censored.")
            self.at_risk_label.set_text(f"{'' if n == 1 else 'All '}{_plural(n, 'patient')} at risk")
        else:
            row = shown.iloc[-1]
            what = []
            if row["deaths"]:
                what.append(f"{int(row['deaths'])} died")
            if row["censored"]:
                what.append(f"{int(row['censored'])} censored (still counted at risk at this time)")
            at = int(row["at_risk"])
            text = (f"Step {k} of {len(table)}: at {row['time']:g} months {_plural(at, 'patient')} "
                    f"{'was' if at == 1 else 'were'} at risk; {' and '.join(what)}. Chance of surviving this time: "
                    f"{row['factor_text']}. Survival so far: {row['product_text']}.")
            self.at_risk_label.set_text(f"{int(row['at_risk'])} at risk just before "
                                        f"{row['time']:g} months (coloured)")
        self.summary_text = text
        self.table_widget.value = self._table_html(k)
        with self.view.widget.hold_sync():
            self._set_summary(text, "font-size:1.15em")
            self.view.render(f"Kaplan–Meier curve built step by step from "
                             f"{_plural(n, 'patient')}, with their follow-up below. {text}",
                             drawn_for=f"step={k}")
        self._say()

    def _table_html(self, k) -> str:
        head = ("<tr><th>months</th><th>at risk</th><th>died</th><th>censored</th>"
                "<th>chance of surviving this time</th><th>survival so far</th></tr>")
        rows = []
        for i, row in self.table.iloc[:k].iterrows():
            style = ' style="font-weight:bold;background:#eef5fb"' if i == k - 1 else ""
            rows.append(f"<tr{style}><td>{row['time']:g}</td><td>{row['at_risk']}</td>"
                        f"<td>{row['deaths']}</td><td>{row['censored']}</td>"
                        f"<td>{html.escape(row['factor_text'])}</td>"
                        f"<td>{html.escape(row['product_text'])}</td></tr>")
        return (f"<table class='es-life-table'><caption>The life table so far</caption>{head}"
                f"{''.join(rows)}</table>")
