"""edu_survival: survival analysis a learner can touch.

Times are in months; the two arms are "control" and "treatment". Data made by this package
are simulated from assumed summary figures, never patient data.

>>> import edu_survival as es
>>> result = es.analyze(es.simulate(es.LAPATINIB, seed=1))
>>> result.n
{'control': 160, 'treatment': 161}
"""

from . import design
from .analyze import Analysis, KMCurve, Median, analyze, kaplan_meier
from .design import (
    analytic_power,
    expected_events,
    freedman_events,
    sample_size,
    schoenfeld_events,
)
from .scenario import ARMS, LAPATINIB, Scenario
from .simulate import simulate

__all__ = [
    "ARMS",
    "LAPATINIB",
    "Analysis",
    "KMCurve",
    "Median",
    "Scenario",
    "analytic_power",
    "analyze",
    "design",
    "expected_events",
    "freedman_events",
    "kaplan_meier",
    "sample_size",
    "schoenfeld_events",
    "simulate",
]
__version__ = "0.1.0"
