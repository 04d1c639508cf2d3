"""edu_survival: survival analysis a learner can touch.

Times are in months; the two arms are "control" and "treatment". Data made by this package
are simulated from assumed summary figures, never patient data.
"""

from .scenario import ARMS, LAPATINIB, Scenario
from .simulate import simulate

__all__ = ["ARMS", "LAPATINIB", "Scenario", "simulate"]
__version__ = "0.1.0"
