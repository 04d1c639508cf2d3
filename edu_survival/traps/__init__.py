"""The traps between a trial and its headline: lessons 10 (the data) and 11 (the trial).

One concept per module, each built on the statistics core (``scenario``, ``simulate``,
``design``, ``montecarlo``, ``analyze``) and never on plots or widgets:

* :mod:`.informative`: informative censoring, dropout linked to prognosis by a shared frailty;
* :mod:`.competing`: competing risks, 1 - Kaplan–Meier against the Aalen–Johansen incidence;
* :mod:`.landmark`: responder analyses, immortal time and the landmark fix;
* :mod:`.boundaries`: group-sequential boundaries (Pocock, O'Brien–Fleming, Lan–DeMets spending);
* :mod:`.looks`: trials analysed at interim looks, false alarms and the early-stopping overestimate;
* :mod:`.progression`: the illness–death model (progression, then death) with a drug that may
  be switched to, used by :mod:`.crossover` (ITT against per protocol) and :mod:`.surrogate`
  (time to progression against overall survival);
* :mod:`.estimators`: Kaplan–Meier and Aalen–Johansen for many trials at once;
* :mod:`.frailty`: the shared frailty that links death with dropout or switching;
* :mod:`.published`: what the real trials EGF100151 and DETECT III reported, with sources.

Every data set made here is simulated (from the story's summary figures or from invented
settings); none is patient data from either trial.
"""

from . import (
    boundaries,
    competing,
    crossover,
    estimators,
    frailty,
    informative,
    landmark,
    looks,
    progression,
    published,
    surrogate,
)
from .published import DETECT_III, EGF100151, PUBLISHED, published_table

__all__ = [
    "DETECT_III",
    "EGF100151",
    "PUBLISHED",
    "boundaries",
    "competing",
    "crossover",
    "estimators",
    "frailty",
    "informative",
    "landmark",
    "looks",
    "progression",
    "published",
    "published_table",
    "surrogate",
]
