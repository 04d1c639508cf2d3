"""Live widgets: move a slider, see the trial respond (times in months).

* :class:`TrialExplorer` (and :func:`explore`, which shows one): the two medians (or the control
  median and the hazard ratio), patients, accrual, follow-up and censoring of a simulated
  two-arm trial, with its Kaplan–Meier plot, a plain-language summary and, on request, 1,000
  trials at once (the dance of the p-values and the power).
* :class:`CensoringExplorer`: the same patients followed until they die against what the
  analysis sees, beside the Kaplan–Meier curves, and what ignoring censoring does.
* :class:`KMStepper`: the Kaplan–Meier calculation on a dozen patients, one time at a time.
* :func:`dashboard`: the trial explorer with the news story and things to try, for Voila.
* Lessons 10 and 11 (``trap_explorer`` holds what they share): :class:`CompetingRisksExplorer`
  (deaths from other causes), :class:`CrossoverExplorer` (control patients who switch) and
  :class:`SurrogateExplorer` (time to progression against overall survival); the censoring
  explorer's "who drops out" makes its dropout informative.

Widgets hold a :class:`~edu_survival.scenario.Scenario` and call the library; they compute no
statistics themselves. The trial explorer's, the censoring explorer's and the stepper's
figures are drawn in the browser by a :class:`DrawnView`: what their matplotlib artists draw
goes as data (float32 numbers and a small list of operations, one message per update) to a
canvas, with the figure's text alternative, the numbers that change from trial to trial as
HTML beside it and the summary in an ``aria-live`` region; the Kaplan–Meier curves can be
read there (hover, arrow keys). The PNG of a :class:`FigureView` is what static copies show
(``snapshot()``, a page without a kernel), what a drawn view falls back to, and how the other
figures (the dance of the p-values, lessons 10 and 11) reach the browser. The sliders send only their newest value, one at a time (``sliders``), so a
drag is followed at the rate the kernel computes. Measured in Voila, JupyterLab and Chromium
by ``benchmarks/bench_browser.py``. Every callback turns an error into a message in the
widget, so no traceback reaches a learner and the controls keep working. All data shown are
simulated from assumed summary figures, never patient data.

The rooms, bottom up: ``sliders`` (newest-value-wins sliders, ``sliders.js``/``.css``),
``controls`` (engine, slider and button makers, layouts), ``recording`` (a matplotlib figure
recorded as data), ``figure_view`` (the PNG channel, ``figure.js``/``.css``) and
``drawn_view`` (the figure drawn in the browser, ``drawn_view.js``/``.css``; both use
``texts.css``), ``base`` (what every widget shares: messages, summary, snapshots), then one
module per widget (``trial_explorer``, ``censoring_explorer``, ``km_stepper``) and
``dashboard_page``.
"""

# Each public name is importable from edu_survival.widgets, as when this was one module.
from .base import SNAPSHOT_NOTE as SNAPSHOT_NOTE
from .base import STALE_PREFIX as STALE_PREFIX
from .base import Snapshot
from .censoring_explorer import CENSORING_HORIZON as CENSORING_HORIZON
from .censoring_explorer import CENSORING_SCENARIO as CENSORING_SCENARIO
from .censoring_explorer import CensoringExplorer
from .competing_explorer import CompetingRisksExplorer
from .controls import ENGINE as ENGINE
from .controls import FIGURE_MIN_PX as FIGURE_MIN_PX
from .controls import SIMULATED_NOTE as SIMULATED_NOTE
from .controls import _pick_engine as _pick_engine
from .crossover_explorer import CrossoverExplorer
from .dashboard_page import Dashboard, dashboard
from .drawn_view import DrawnView
from .figure_view import FigureView, smallest_text_px
from .km_stepper import KMStepper
from .surrogate_explorer import SurrogateExplorer
from .trial_explorer import TrialExplorer, explore

__all__ = ["CensoringExplorer", "CompetingRisksExplorer", "CrossoverExplorer", "Dashboard",
           "DrawnView", "FigureView", "KMStepper", "Snapshot", "SurrogateExplorer", "TrialExplorer",
           "dashboard", "explore", "smallest_text_px"]
