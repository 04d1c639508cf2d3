"""The trial explorer dashboard: the news story, things to try and the explorer, for Voila."""

from __future__ import annotations

import ipywidgets as W

from ..scenario import LAPATINIB, Scenario
from .controls import _wide
from .trial_explorer import TrialExplorer


def _presentation_requested(query: str | None) -> bool:
    """Whether a page address's query (``presentation`` or ``view=presentation``) asks for it."""
    from urllib.parse import parse_qs

    fields = parse_qs(query or "", keep_blank_values=True)
    if "presentation" in fields:
        return fields["presentation"][-1].lower() not in ("0", "false", "no", "off")
    return "presentation" in fields.get("view", [])


class Dashboard:
    """What :func:`dashboard` returns: ``page`` (the widgets), ``explorer`` and ``switch``.

    Shown as a cell's value it is the live page, with the explorer's snapshot as the static
    fallback that a page without a kernel (GitHub, nbviewer) shows instead.
    """

    def __init__(self, page: W.VBox, explorer: TrialExplorer, switch: W.ToggleButton):
        self.page, self.explorer, self.switch = page, explorer, switch

    def _ipython_display_(self):
        from IPython.display import display

        bundle = dict(self.page._repr_mimebundle_())
        snap = self.explorer.snapshot()
        bundle["text/html"], bundle["text/plain"] = snap.html, str(snap)
        display(bundle, raw=True)


def _intro(scenario: Scenario) -> W.HTML:
    """The news story, in the scenario's numbers, and four things to try."""
    s = scenario
    intro = W.HTML(  # line-height: the widget's own (its control height) spaces prose apart
        '<div style="line-height:1.5">'
        f"<p>The news story: {s.n} patients with metastatic breast cancer (HER2-positive "
        f"circulating tumour cells), median overall survival <b>{s.median_control:g} months</b> "
        f"on chemotherapy alone and <b>{s.median_treatment:g} months</b> with lapatinib added. "
        "The curves below are a trial <em>simulated</em> from those summary figures: "
        "<b>not patient data</b>.</p>"
        "<p><b>Try this</b></p><ol>"
        f"<li>Drag <em>Median, control</em> from {s.median_control:g} down to 12 months. How far "
        "apart do the curves move? What happens to the hazard ratio and the p-value?</li>"
        f"<li>Halve <em>Patients</em> from {s.n} to about {s.n // 2}. The medians stay the same, "
        "but does the trial still show a difference?</li>"
        "<li>Press <em>New trial</em> a few times without changing anything: the same "
        "assumptions give different trials.</li>"
        "<li>Add censoring (shorter follow-up, or dropout). Where do the tick marks appear, and "
        "which numbers at risk shrink?</li></ol>"
        "<p>The sliders also work with the keyboard: Tab to a slider, then the arrow keys "
        "(small steps) or Page Up / Page Down (large steps). To read the curves, point at the "
        "plot, or Tab to it and use the arrow keys: time, the proportion alive with its "
        "confidence interval and the number at risk in each arm.</p></div>", layout=_wide())
    intro.add_class("es-intro")
    return intro


def dashboard(scenario: Scenario = LAPATINIB, seed: int = 1, *,
              presentation: bool | None = None) -> Dashboard:
    """The trial explorer dashboard: the news story, things to try and the explorer.

    A "Presentation view" switch folds the story and the suggestions away, so that on a
    1024 x 768 projector the sliders and the whole Kaplan–Meier plot are on screen together.

    Parameters
    ----------
    scenario, seed
        As for :class:`TrialExplorer`.
    presentation : bool, optional
        Start folded. By default the page's address decides: Voila passes its query to the
        kernel (``QUERY_STRING``), so ``...?presentation`` (or ``?view=presentation``) is a
        bookmarkable presentation view.

    Examples
    --------
    >>> board = dashboard(presentation=True)
    >>> board.switch.value, board.page.children[1].layout.display
    (True, 'none')
    """
    import os

    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be an edu_survival.Scenario; got {type(scenario).__name__}")
    if presentation is not None and not isinstance(presentation, bool):
        raise ValueError(f"presentation must be True, False or None (the page's address decides); "
                         f"got {presentation!r}")
    explorer = TrialExplorer(scenario, seed)  # checks the seed before anything is built
    if presentation is None:
        presentation = _presentation_requested(os.environ.get("QUERY_STRING"))
    intro = _intro(scenario)
    switch = W.ToggleButton(value=bool(presentation), description="Presentation view",
                            icon="expand", layout=W.Layout(width="auto"))
    switch.add_class("es-presentation")

    def fold(change=None):
        intro.layout.display = "none" if switch.value else None
        switch.description = "Show the instructions" if switch.value else "Presentation view"

    switch.observe(fold, names="value")
    fold()
    page = W.VBox([W.HBox([switch]), intro, explorer.widget], layout=_wide())
    return Dashboard(page, explorer, switch)
