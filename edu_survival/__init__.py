"""edu_survival: survival analysis a learner can touch.

Times are in months; the two arms are "control" and "treatment". Data made by this package
are simulated from assumed summary figures, never patient data.

>>> import edu_survival as es
>>> result = es.analyze(es.simulate(es.LAPATINIB, seed=1))
>>> result.n
{'control': 160, 'treatment': 161}
"""

from . import design, exercises, reconstruct, teaching, traps
from .analyze import Analysis, KMCurve, Median, analyze, kaplan_meier
from .claims import Check, ClaimReport, check_claims
from .design import (
    analytic_power,
    expected_events,
    freedman_events,
    sample_size,
    schoenfeld_events,
)
from .effects import EffectSizes, effect_sizes
from .montecarlo import (
    PowerResult,
    cox_many,
    logrank_many,
    power,
    power_curve,
    simulate_many,
)
from .scenario import ARMS, LAPATINIB, STORY_LABELS, Scenario
from .simulate import simulate

__all__ = [
    "ARMS",
    "LAPATINIB",
    "STORY_LABELS",
    "Analysis",
    "KMCurve",
    "Median",
    "PowerResult",
    "Scenario",
    "Check",
    "EffectSizes",
    "ClaimReport",
    "analytic_power",
    "check_claims",
    "analyze",
    "cox_many",
    "effect_sizes",
    "design",
    "exercises",
    "teaching",
    "traps",
    "expected_events",
    "explore",
    "freedman_events",
    "kaplan_meier",
    "logrank_many",
    "power",
    "power_curve",
    "reconstruct",
    "sample_size",
    "schoenfeld_events",
    "simulate",
    "simulate_many",
]
__version__ = "0.1.0"

# The plots and widgets import matplotlib and ipywidgets (about 0.6 s more at import, measured);
# load them on first use so that `import edu_survival` stays quick for scripts and tests.
_LAZY = {"plots": "plots", "widgets": "widgets", "censoring": "censoring", "lifetable": "lifetable"}


def __getattr__(name):
    import importlib

    if name in _LAZY:
        return importlib.import_module(f".{_LAZY[name]}", __name__)
    if name == "explore":
        return importlib.import_module(".widgets", __name__).explore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY, "explore"])
