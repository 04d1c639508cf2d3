"""Step 4 of :func:`edu_survival.analyze`: the Cox hazard ratio, and the checks of its assumption.

The hazard ratio comes from lifelines' ``CoxPHFitter`` (Efron ties) or, with
``engine="numpy"``, from :func:`~edu_survival.montecarlo.cox_many`. The proportional hazards
test and the hazard ratio by period are methods of :class:`~edu_survival.analyze.Analysis`
whose work is done here.
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_number
from . import words
from .km import z_of

# A standard error this large means the partial likelihood has no maximum (monotone
# likelihood): even one death per arm gives a standard error near 1.4.
MAX_LOG_HR_SE = 10.0
PH_TRANSFORMS = ("rank", "km", "identity", "log")


def fit_cox_lifelines(frame: pd.DataFrame, alpha: float):
    """lifelines' ``CoxPHFitter`` on columns ``time``, ``event``, ``treated``, fully converged."""
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceWarning

    # Divergence is detected by the caller and reported in words, so lifelines' warnings about
    # it would only repeat it to the learner.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        # lifelines' default stopping rule leaves the HR up to ~3e-4 from the maximum;
        # a tighter one makes both engines agree to 1e-8.
        return CoxPHFitter(alpha=alpha).fit(
            frame, "time", "event", fit_options={"precision": 1e-12, "r_precision": 1e-12}
        )


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


# ----- the proportional hazards test -------------------------------------------------------
@dataclass(frozen=True)
class PHTest:
    """Result of :meth:`Analysis.ph_test`: chi-square ``statistic`` (1 df), ``p``, ``transform``."""

    statistic: float
    p: float
    transform: str
    alpha: float = 0.05

    @property
    def sentence(self) -> str:
        """What the test says, and what it cannot say."""
        return words.ph_sentence(self.statistic, self.p, self.transform, self.alpha)

    def __str__(self) -> str:
        return self.sentence


def ph_test(frame: pd.DataFrame, alpha: float, transform: str) -> PHTest:
    """lifelines' ``proportional_hazard_test`` on the Cox model with arm as the only covariate."""
    if transform not in PH_TRANSFORMS:
        raise ValueError(f"transform must be one of {PH_TRANSFORMS}; got {transform!r}")
    from lifelines.statistics import proportional_hazard_test

    cph = fit_cox_lifelines(frame, alpha)
    result = proportional_hazard_test(cph, frame, time_transform=transform)
    statistic = float(np.ravel(result.test_statistic)[0])
    p = float(np.ravel(result.p_value)[0])
    return PHTest(statistic, p, transform, alpha)


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

    @property
    def sentence(self) -> str:
        return words.hr_by_period_sentence(self.table, self.cut, self.unit, self.level, self.other, self.reference)

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


def _episodes(frame: pd.DataFrame, cut: float) -> pd.DataFrame:
    """Each patient as one episode ``(0, min(time, cut)]`` and, if followed past ``cut``, a second."""
    frame = frame.assign(id=np.arange(len(frame)))
    early = frame.assign(start=0.0, stop=np.minimum(frame["time"], cut),
                         event=np.where(frame["time"] <= cut, frame["event"], 0), late=0.0)
    late = frame[frame["time"] > cut].assign(start=cut, stop=lambda d: d["time"], late=1.0)
    episodes = pd.concat([early, late], ignore_index=True)
    episodes["arm_before"] = episodes["treated"] * (1 - episodes["late"])
    episodes["arm_after"] = episodes["treated"] * episodes["late"]
    return episodes


def _period_fits(frame: pd.DataFrame, cut: float, alpha: float) -> list[tuple[float, float, float]]:
    """``(log HR, SE, p)`` before and after ``cut``, from lifelines' ``CoxTimeVaryingFitter``."""
    from lifelines import CoxTimeVaryingFitter
    from lifelines.exceptions import ConvergenceWarning

    episodes = _episodes(frame, cut)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ctv = CoxTimeVaryingFitter(alpha=alpha).fit(
            episodes[["id", "start", "stop", "event", "arm_before", "arm_after"]],
            id_col="id", event_col="event", start_col="start", stop_col="stop",
            fit_options={"precision": 1e-12},
        )
    return [(float(ctv.params_[c]), float(ctv.standard_errors_[c]), float(ctv.summary.loc[c, "p"]))
            for c in ("arm_before", "arm_after")]


def hr_by_period(frame: pd.DataFrame, cut, *, alpha: float, unit: str, other: str, reference: str,
                 simulated: bool) -> HRByPeriod:
    """:meth:`Analysis.hr_by_period`: one Cox model with arm x period, a row per period."""
    cut, deaths = check_cut(frame, cut, unit)
    z = z_of(alpha)
    rows = {}
    names = (f"before {words.fmt_time(cut)}", f"after {words.fmt_time(cut)}")
    for name, (beta, se, p), n_deaths in zip(names, _period_fits(frame, cut, alpha), deaths, strict=True):
        rows[name] = {
            "hr": math.exp(beta), "lower": math.exp(beta - z * se), "upper": math.exp(beta + z * se),
            "p": p, "deaths": n_deaths,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = f"period ({unit})"
    level = words.level_of(alpha)
    table.attrs["caption"] = words.hr_by_period_caption(cut, unit, level, other, reference, simulated)
    return HRByPeriod(table, cut, unit, level, other, reference)
