"""What lessons 10 and 11's explorers share: a seed box and "New patients", the two-column
layout, wiring every control to one update, and showing a figure with its summary and table.

Each explorer (``competing_explorer``, ``crossover_explorer``, ``surrogate_explorer``) only says
which controls it has, how they make a simulated trial, and what to draw.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..tables import captioned_html
from .base import _friendly, _Widget
from .controls import _SLIDER_STYLE, _button, _figure_column, _next_seed, _slider_column
from .figure_view import FigureView

NOTE = "Simulated from invented settings of the size the lesson describes: not patient data."


def check_model(model):
    """``model`` if it is a ProgressionModel (the crossover and surrogate explorers'), else a ValueError."""
    from ..traps.progression import ProgressionModel

    if not isinstance(model, ProgressionModel):
        raise ValueError(f"model must be an edu_survival.traps.progression.ProgressionModel; got {type(model).__name__}")
    return model


def seed_box(seed: int) -> W.BoundedIntText:
    """The seed control every explorer has."""
    return W.BoundedIntText(value=int(seed), min=0, max=2**31 - 1, description="Seed",
                            style=_SLIDER_STYLE, layout=W.Layout(width="20em"))


class _TrapExplorer(_Widget):
    """Controls on the left; message, figure (with its summary) and table on the right.

    A subclass sets ``self.controls`` (with a ``"seed"`` box) and ``self.plot`` (a plot object
    with ``figure``), then calls :meth:`_assemble`; it implements ``_update()``, which reads the
    controls, simulates and calls :meth:`_show`.
    """

    css_class = "es-trap-explorer"
    note = NOTE

    def _assemble(self):
        self.buttons = {"new_patients": _button("New patients", "refresh")}
        self._text_panels()
        self.figure = self.plot.figure
        # A Kaplan–Meier plot with a figure of its own draws faster by itself (cached background).
        self.view = FigureView(self.figure, draw=getattr(self.plot, "draw", None))
        self._update()
        left = W.VBox([*self.controls.values(), self.buttons["new_patients"]], layout=_slider_column())
        right = W.VBox([self.message, self.view.widget, self.table_widget,
                        W.HTML(f"<p><em>{html.escape(self.note)}</em></p>")], layout=_figure_column())
        self.widget = W.Box([left, right], layout=W.Layout(display="flex", flex_flow="row wrap",
                                                           overflow="visible"))
        self.widget.add_class(self.css_class)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.buttons["new_patients"].on_click(self._new_patients)

    @_friendly
    def _on_change(self, change=None):
        if not self._holding:
            self._update()

    @_friendly
    def _new_patients(self, _button=None):
        _next_seed(self.controls["seed"])

    def _show(self, summary: str, table, notes=(), above: str | None = None, extra_html: str = "") -> None:
        """Send the redrawn figure with ``summary`` (also its alt text's first part), ``above`` it
        the HTML a plot drawn without numbers leaves out, and ``table`` (then ``extra_html``)."""
        with self.view.widget.hold_sync():
            self.view.render(f"{summary} {self.plot.alt_text}", above=above)
            self._set_summary(summary, "font-size:1.1em")
        self.table_widget.value = captioned_html(table) + extra_html
        self._say(" ".join(notes), "warning" if notes else "info")
