"""Step 4 of :func:`edu_survival.analyze`: the Cox hazard ratio, and the hazard ratio by period.

The hazard ratio comes from lifelines' ``CoxPHFitter`` (Efron ties) or, with
``engine="numpy"``, from :func:`~edu_survival.montecarlo.cox_many`; both are converged to the
maximum (the engines agree to about 1e-12 in the log HR, tested to 1e-10). The hazard ratio by
period (:meth:`~edu_survival.analyze.Analysis.hr_by_period`) is fitted by this package's
Newton steps on the per-time terms of ``efron`` (O(n log n)), tested against lifelines'
``CoxTimeVaryingFitter`` on the episode-split data.
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import check_number
from . import efron, words
from .km import z_of

# A standard error this large means the partial likelihood has no maximum (monotone
# likelihood): even one death per arm gives a standard error near 1.4.
MAX_LOG_HR_SE = 10.0
# lifelines stops Newton-Raphson when the relative change in log-likelihood falls below
# r_precision or the Newton decrement below precision. Its defaults leave the HR up to ~3e-4
# from the maximum, and even 1e-12 for both leaves it ~1e-6 away on large trials (a relative
# change of 1e-12 in a log-likelihood of -10^5 is a step of ~1e-5). So: never stop on the
# log-likelihood, and stop on the step only when it is below round-off.
CONVERGED = {"precision": 1e-20, "r_precision": 0.0}


def fit_cox_lifelines(frame: pd.DataFrame, alpha: float):
    """lifelines' ``CoxPHFitter`` on columns ``time``, ``event``, ``treated``, fully converged."""
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceWarning

    # Divergence is detected by the caller and reported in words, so lifelines' warnings about
    # it would only repeat it to the learner.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return CoxPHFitter(alpha=alpha).fit(frame, "time", "event", fit_options=CONVERGED)


def cox(time, ev, treated, alpha, engine):
    """Hazard ratio (treated vs reference), SE of log HR, CI and Wald p; None if it diverges."""
    if engine == "lifelines":
        from lifelines.exceptions import ConvergenceError

        frame = pd.DataFrame({"time": time, "event": ev, "treated": treated.astype(float)})
        try:
            cph = fit_cox_lifelines(frame, alpha)
        except ConvergenceError:
            return None
        beta = float(cph.params_["treated"])
        se = float(cph.standard_errors_["treated"])
        p = float(cph.summary.loc["treated", "p"])
    else:
        from ..montecarlo import cox_many

        res = cox_many(time, ev, treated)
        beta, se = float(np.ravel(res.log_hr)[0]), float(np.ravel(res.se)[0])
        p = float(np.ravel(res.p)[0])
    if not (math.isfinite(beta) and math.isfinite(se)) or se > MAX_LOG_HR_SE:
        return None
    z = z_of(alpha)
    return math.exp(beta), se, (math.exp(beta - z * se), math.exp(beta + z * se)), p


# ----- the hazard ratio by period -----------------------------------------------------------
@dataclass(frozen=True)
class HRByPeriod:
    """Result of :meth:`Analysis.hr_by_period`: a ``table`` with one row per period, a ``sentence``."""

    table: pd.DataFrame
    cut: float
    unit: str
    level: int
    other: str
    reference: str
    problems: tuple = ()

    @property
    def sentence(self) -> str:
        """Both periods' hazard ratios with CIs, or why one is undefined."""
        return words.hr_by_period_sentence(self.table, self.cut, self.unit, self.level, self.other,
                                           self.reference, self.problems)

    def __str__(self) -> str:
        return f"{self.table.attrs['caption']}\n{self.table.round(3).to_string()}\n{self.sentence}"

    def _repr_html_(self) -> str:
        from ..tables import captioned_html

        return captioned_html(self.table) + f"<p>{html.escape(self.sentence)}</p>"


def check_cut(frame: pd.DataFrame, cut, unit: str) -> tuple[float, list[int]]:
    """``cut`` as a float strictly inside the deaths, and the deaths before and after it."""
    died = frame["time"][frame["event"] == 1]
    last = float(died.max())
    cut = check_number("cut", cut, f"> 0 and before the last death at {last:g} {unit}", lambda v: 0 < v < last)
    deaths = [int(((frame["time"] <= cut) & (frame["event"] == 1)).sum()),
              int(((frame["time"] > cut) & (frame["event"] == 1)).sum())]
    if min(deaths) == 0:
        raise ValueError(
            f"cut={cut:g} leaves no deaths {'before' if deaths[0] == 0 else 'after'} it; choose a "
            f"time between the first and last deaths ({float(died.min()):g} to {last:g} {unit})"
        )
    return cut, deaths


def _period_fits(frame: pd.DataFrame, cut: float) -> list[tuple[float, float]]:
    """``(log HR, SE)`` before and after ``cut``; ``nan`` where a period's HR is undefined.

    With arm x period and a common baseline hazard the partial likelihood factorises: each
    period's HR maximises the likelihood of that period's deaths, with the usual risk sets.
    """
    dt = efron.death_times(frame["time"], frame["event"], frame["treated"])
    fits = []
    for use in (dt.time <= cut, dt.time > cut):
        beta, info = efron.fit(dt, use)
        se = 1 / math.sqrt(info) if info > 0 else math.nan
        fits.append((beta, se) if math.isfinite(beta) and se <= MAX_LOG_HR_SE else (math.nan, math.nan))
    return fits


def hr_by_period(frame: pd.DataFrame, cut, *, alpha: float, unit: str, other: str, reference: str,
                 simulated: bool) -> HRByPeriod:
    """:meth:`Analysis.hr_by_period`: one Cox model with arm x period, a row per period."""
    cut, deaths = check_cut(frame, cut, unit)
    z = z_of(alpha)
    died = frame["event"].to_numpy() == 1
    early = frame["time"].to_numpy() <= cut
    treated = frame["treated"].to_numpy() == 1
    rows, problems = {}, []
    periods = (f"before {words.fmt_time(cut)}", f"after {words.fmt_time(cut)}")
    for k, (name, (beta, se)) in enumerate(zip(periods, _period_fits(frame, cut), strict=True)):
        in_period = died & (early if k == 0 else ~early)
        rows[name] = {
            "hr": math.exp(beta), "lower": math.exp(beta - z * se), "upper": math.exp(beta + z * se),
            "p": float(2 * stats.norm.sf(abs(beta / se))), "deaths": deaths[k],
        }
        if not math.isfinite(beta):
            by_arm = {other: int((in_period & treated).sum()), reference: int((in_period & ~treated).sum())}
            problems.append(words.period_undefined(k, cut, unit, by_arm))
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = f"period ({unit})"
    level = words.level_of(alpha)
    table.attrs["caption"] = words.hr_by_period_caption(cut, unit, level, other, reference, simulated)
    return HRByPeriod(table, cut, unit, level, other, reference, tuple(problems))
