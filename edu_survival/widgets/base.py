"""What every widget shares: the summary, errors shown as messages, held updates, snapshots.

Every callback decorated with :func:`_friendly` turns an error into a message in the widget,
so no traceback reaches a learner and the controls keep working; after an invalid setting the
figure and summary say that they show the last valid one (:data:`STALE_PREFIX`). A
:class:`Snapshot` is the static copy that a page without a kernel shows.
"""

from __future__ import annotations

import contextlib
import functools
import html
import time

import ipywidgets as W

from .. import plots
from .controls import _wide
from .figure_view import FigureView


class _Summary:
    """The summary part of a :class:`FigureView`, read like the HTML widget it once was."""

    def __init__(self, view: FigureView):
        self._view = view

    @property
    def value(self) -> str:
        return self._view.widget.summary


def _friendly(method=None, *, stale: bool = True):
    """Run a callback; any exception becomes a message in the widget instead of a traceback.

    With ``stale`` (for callbacks that show new settings) the figure and summary, which still
    show the last valid settings, say so until valid settings are drawn again.
    """
    if method is None:
        return functools.partial(_friendly, stale=stale)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        view = getattr(self, "view", None)
        outer = view is not None and view.began is None
        if outer:  # the update's start, sent with its picture (for the browser benchmark)
            view.began = time.time()
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # every error, so the learner never sees a traceback
            self.last_error = exc
            if isinstance(exc, ValueError):
                text = f"This setting cannot be shown: {exc}. Change it, or press reset."
            else:
                text = (f"Something went wrong ({type(exc).__name__}: {exc}). The controls still "
                        "work: change a setting, or press reset.")
            self._say(text, "error")
            if stale:
                self._mark_stale()
            return None
        finally:
            if outer:
                view.began = None

    return wrapper


STALE_PREFIX = "Showing the last valid trial: "


class _Widget:
    """What all explorers share: a message area, display in notebooks, held updates, and a
    summary (also the figure's alt text) that says when it shows the last valid settings."""

    def _init_common(self):
        self.message = W.HTML(layout=_wide())
        self.message.add_class("es-message")
        self.last_error = None
        self._holding = False
        self._shown_in = None
        self.stale = False  # an invalid setting came after the trial shown
        self._summary = ("", "")  # (plain text, css style) of the summary shown

    @property
    def summary(self) -> _Summary:
        """The summary shown with the figure (``.value``: its HTML; class es-summary)."""
        return _Summary(self.view)

    def _set_summary(self, text: str, style: str) -> None:
        """Show ``text`` as the summary; a valid trial is shown, so nothing is stale."""
        self.stale = False
        self._summary = (text, style)
        self.view.widget.summary = f'<div style="{style}">{html.escape(text)}</div>'

    def _mark_stale(self) -> None:
        """After an invalid setting: say that the figure and summary show the last valid one."""
        view = getattr(self, "view", None)
        if self.stale or view is None or not self._summary[0]:
            return  # already said, or nothing drawn yet
        self.stale = True
        text, style = self._summary
        with view.widget.hold_sync():
            view.widget.summary = f'<div style="{style}">{html.escape(STALE_PREFIX + text)}</div>'
            view.relabel(STALE_PREFIX)

    def _say(self, text: str = "", kind: str = "info") -> None:
        """Show ``text`` in the message area (empty hides it)."""
        colour = {"error": "#a01010", "warning": "#7a4b00", "info": "#333333"}[kind]
        self.message.value = (
            f'<div role="status" style="color:{colour};font-size:1.05em">{html.escape(text)}</div>'
            if text else ""
        )

    def _text_panels(self):
        """The table beside the figure (the summary is part of the figure's view)."""
        self.table_widget = W.HTML(layout=_wide())
        self.table_widget.add_class("es-table")

    @contextlib.contextmanager
    def _hold(self):
        """Change several controls and update once afterwards."""
        before, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = before

    def snapshot(self) -> Snapshot:
        """A static copy of what the widget shows now: its settings, its picture (with the same
        alt text) and its text panels.

        It needs no running kernel, so it stays readable where widgets are not live: on GitHub,
        nbviewer, the course website or a printed handout. Lessons put one after a widget cell.
        """
        view = getattr(self, "view", None)
        parts, lines = [], []
        settings = self._settings_text()
        if settings:
            parts.append(f"<p><b>Settings:</b> {html.escape(settings)}</p>")
            lines.append(f"Settings: {settings}")
        if view is not None and view.png:
            width = int(view.figure.get_figwidth() * view.figure.dpi)
            parts.append(plots.img_html(view.png, view.alt_text, width))
            lines.append(f"Figure: {view.alt_text}")
            # The numbers shown as HTML beside the picture (a KM plot made with numbers=False).
            km = getattr(self, "km", None)
            if view.widget.above:
                parts.append(view.widget.above)
            if km is not None and not km.numbers and km.figure is view.figure:
                parts.append(km.table_html(visual=False))
        for name in ("message", "summary", "readout", "assumption_readout", "table_widget",
                     "power_text"):
            panel = getattr(self, name, None)
            if panel is not None and panel.value:
                parts.append(panel.value)
        if self._summary[0]:
            lines.append(self._summary[0])
        parts.append(f"<p><em>{html.escape(SNAPSHOT_NOTE)}</em></p>")
        lines.append(SNAPSHOT_NOTE)
        return Snapshot("\n".join(parts), "\n".join(lines))

    def _settings_text(self) -> str:
        """``"Median, control (months) = 17.3; ..."`` for the controls a learner can see."""
        shown = []
        for control in getattr(self, "controls", {}).values():
            if getattr(control.layout, "display", None) == "none" or not control.description:
                continue
            value = control.value
            if isinstance(control, W.ToggleButtons):
                text = next((label for label, v in control.options if v == value), str(value))
            elif isinstance(value, float):
                fmt = getattr(control, "readout_format", "")
                text = f"{value:{fmt if fmt.endswith('%') else 'g'}}"
            else:
                text = str(value)
            shown.append(f"{control.description} = {text}")
        return "; ".join(shown)

    def _ipython_display_(self):
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        # explore() has just displayed this explorer in this cell: do not show it twice.
        if self._shown_in is not None and count == self._shown_in:
            self._shown_in = None
            return
        display(self._display_bundle(), raw=True)

    def _display_bundle(self) -> dict:
        """The live widget, with its snapshot as the text/html and text/plain fallbacks that a
        page without a kernel (GitHub, nbviewer, the course website) shows instead."""
        bundle = dict(self.widget._repr_mimebundle_())
        snap = self.snapshot()
        bundle["text/html"] = snap.html
        bundle["text/plain"] = str(snap)
        return bundle


SNAPSHOT_NOTE = ("A picture of the live widget at these settings. Run the notebook (on Binder, "
                 "JupyterLab or Voila) to move the controls.")


class Snapshot:
    """A widget's picture and text at one moment, shown without a kernel (see ``snapshot()``)."""

    def __init__(self, html_text: str, text: str):
        self.html, self.text = html_text, text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text
