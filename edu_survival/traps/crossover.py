"""Crossover: control patients who switch to the drug, and what each analysis then estimates.

In many cancer trials, patients on the control arm may take the new drug once their disease
progresses (EGF100151 allowed it once the interim analysis showed a benefit). The
intention-to-treat (ITT) analysis compares the arms as randomised: it answers "what does
*offering* the drug now, rather than later or never, do?", and switching pulls its hazard
ratio towards 1. The "per protocol" analysis that censors switchers when they switch seems to
answer "what would the drug do had nobody switched?", but it is biased whenever switching
depends on prognosis, and here it always does: patients switch after progressing, when their
risk of death is higher, and the healthier or the sicker among them may switch more.

Rank-preserving structural failure-time models (Robins & Tsiatis 1991) and inverse-probability
weighting are the usual fixes; each rests on assumptions of its own (a common drug effect
whenever taken; all reasons for switching measured). They are described in lesson 11, not
built here. All data here are simulated from invented figures, never patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_seed, check_whole
from ..analyze import Analysis, analyze
from ..montecarlo import cox_many
from ..scenario import ARMS, STORY_LABELS
from ..tables import with_caption
from .progression import (
    PROGRESSION,
    ProgressionModel,
    Switching,
    draw_progression,
    endpoints,
)

__all__ = [
    "CROSSOVER_MODEL",
    "CrossoverAnalyses",
    "analyse_crossover",
    "crossover_bias",
    "simulate_crossover",
]

CROSSOVER_MODEL = PROGRESSION.replace(hr_progression=0.55, hr_death=0.7)
"""Invented settings in which the drug also lowers the hazard of death (by 30%) while taken."""


def simulate_crossover(model: ProgressionModel = CROSSOVER_MODEL, share: float = 0.5, delay: float = 0.0,
                       who: str = "at random", strength: float = 0.7, seed: int | None = None) -> pd.DataFrame:
    """One simulated trial in which control patients may switch to the drug after progressing.

    Parameters are those of :class:`~edu_survival.traps.progression.Switching`; the same seed
    gives the same patients whatever the switching (only the switchers' deaths move).

    Returns
    -------
    pandas.DataFrame
        ``patient``, ``arm``, ``time`` and ``event`` (overall survival), ``ttp_time``,
        ``ttp_event``, ``switched`` (switched before the end of observation) and
        ``switch_time`` (months; NaN for patients who did not switch).

    Examples
    --------
    >>> df = simulate_crossover(share=1.0, seed=1)
    >>> bool(df.loc[df.arm == "treatment", "switched"].any())  # only control patients switch
    False
    """
    switching = Switching(share, delay, who, strength)
    rng = np.random.default_rng(check_seed(seed))
    draw = draw_progression(model, switching, rng)
    ends = endpoints(draw)
    df = pd.DataFrame({
        "patient": np.arange(1, model.design.n + 1),
        "arm": np.where(draw.treated, ARMS[1], ARMS[0]),
        "time": ends["os"][0], "event": ends["os"][1].astype(int),
        "ttp_time": ends["ttp"][0], "ttp_event": ends["ttp"][1].astype(int),
        "switched": ends["switched"], "switch_time": np.where(ends["switched"], draw.switch, np.nan),
    })
    # "scenario" marks the data as simulated for analyze() (its medians are not this model's).
    df.attrs.update(model=model, switching=switching, scenario=model.design,
                    source="simulated from invented figures, not patient data")
    return df


def per_protocol_data(data: pd.DataFrame) -> pd.DataFrame:
    """The same trial with every switcher censored at the month they switched."""
    pp = data.copy()
    s = pp["switched"].to_numpy()
    pp.loc[s, "time"] = pp.loc[s, "switch_time"]
    pp.loc[s, "event"] = 0
    pp.attrs.update(data.attrs)
    return pp


def _long_format(data: pd.DataFrame) -> pd.DataFrame:
    """One row per patient and period: before a switch (switched 0) and after it (switched 1)."""
    switched = data["switched"].to_numpy() & (data["switch_time"].to_numpy() < data["time"].to_numpy())
    arm = (data["arm"].to_numpy() == "treatment").astype(int)
    time, event = data["time"].to_numpy(float), data["event"].to_numpy(int)
    cut = np.where(switched, data["switch_time"].to_numpy(float), np.maximum(time, 1e-9))
    before = pd.DataFrame({"id": data["patient"].to_numpy(), "start": 0.0, "stop": cut,
                           "event": np.where(switched, 0, event), "treatment": arm, "switched": 0})
    after = pd.DataFrame({"id": data["patient"].to_numpy()[switched], "start": cut[switched],
                          "stop": time[switched], "event": event[switched], "treatment": arm[switched],
                          "switched": 1})
    return pd.concat([before, after], ignore_index=True)


def _cox_counting(start, stop, event, x, tol=1e-10, max_iter=50):
    """Cox partial likelihood on (start, stop] rows, no tied event times, by Newton–Raphson.

    Returns the coefficients and their covariance (inverse observed information). The same
    estimate as lifelines' ``CoxTimeVaryingFitter`` (tested to 1e-8), in a few milliseconds.
    """
    times = stop[event == 1]
    x_event = x[event == 1]
    at_risk = (start[None, :] < times[:, None]) & (times[:, None] <= stop[None, :])
    beta = np.zeros(x.shape[1])
    for _ in range(max_iter):
        w = np.exp(x @ beta) * at_risk  # (events, rows)
        total = w.sum(axis=1)
        mean = (w @ x) / total[:, None]
        score = (x_event - mean).sum(axis=0)
        second = np.einsum("er,ri,rj->ij", w / total[:, None], x, x)
        info = second - mean.T @ mean
        step = np.linalg.solve(info, score)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    return beta, np.linalg.inv(info)


def time_dependent_hr(data: pd.DataFrame) -> tuple[float, tuple[float, float]]:
    """Hazard ratio of the treatment arm from a Cox model with switching as a time-dependent
    covariate, as EGF100151's sensitivity analysis did.

    Each switcher contributes two rows: before the switch (switched 0) and after (switched 1).
    With no death after a switch the model has the arm alone. Returns the arm's hazard ratio and
    its 95% interval; NaN when the model cannot be fitted. Fitted here by Newton–Raphson (the
    same estimate as lifelines' ``CoxTimeVaryingFitter``, which took 0.45 s a fit in the
    crossover explorer); tied death times, which simulated data never have, go to lifelines.
    """
    long = _long_format(data)
    covariates = ["treatment", "switched"]
    if long.loc[long["switched"] == 1, "event"].sum() == 0:
        covariates = ["treatment"]  # switching carries no information
    deaths = long.loc[long["event"] == 1, "stop"]
    if deaths.duplicated().any():
        return _lifelines_time_dependent_hr(long[["id", "start", "stop", "event", *covariates]])
    try:
        with np.errstate(over="raise", invalid="raise"):
            beta, cov = _cox_counting(long["start"].to_numpy(), long["stop"].to_numpy(),
                                      long["event"].to_numpy(), long[covariates].to_numpy(float))
    except (np.linalg.LinAlgError, FloatingPointError):
        return math.nan, (math.nan, math.nan)
    se = math.sqrt(cov[0, 0]) if cov[0, 0] > 0 else math.nan
    if not (math.isfinite(beta[0]) and math.isfinite(se)):
        return math.nan, (math.nan, math.nan)
    z = 1.959963984540054
    return math.exp(beta[0]), (math.exp(beta[0] - z * se), math.exp(beta[0] + z * se))


def _lifelines_time_dependent_hr(long: pd.DataFrame) -> tuple[float, tuple[float, float]]:
    """The same model fitted by lifelines (tied death times, Efron's method)."""
    import warnings

    from lifelines import CoxTimeVaryingFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            fit = CoxTimeVaryingFitter().fit(long, id_col="id", start_col="start", stop_col="stop",
                                             event_col="event")
    except (ConvergenceError, ConvergenceWarning, ValueError, np.linalg.LinAlgError):
        return math.nan, (math.nan, math.nan)
    ci = fit.confidence_intervals_.loc["treatment"].to_numpy()
    return float(np.exp(fit.params_["treatment"])), (float(np.exp(ci[0])), float(np.exp(ci[1])))


@dataclass(frozen=True)
class CrossoverAnalyses:
    """Three analyses of one trial with crossover: ITT, per protocol (switchers censored), and
    a Cox model with switching as a time-dependent covariate."""

    itt: Analysis
    per_protocol: Analysis
    time_dependent: tuple
    switched: int
    control_n: int

    def table(self) -> pd.DataFrame:
        rows = {
            "intention to treat (as randomised)": (self.itt.hr, self.itt.hr_ci),
            "per protocol (switchers censored at the switch)": (self.per_protocol.hr, self.per_protocol.hr_ci),
            "Cox model, switching as a time-dependent covariate": self.time_dependent,
        }
        table = pd.DataFrame({
            "hazard ratio, treatment vs control": [round(hr, 2) for hr, _ in rows.values()],
            "95% CI": [f"{lo:.2f} to {hi:.2f}" if math.isfinite(lo) else "could not be fitted"
                       for _, (lo, hi) in rows.values()],
        }, index=list(rows))
        return with_caption(table, f"Overall survival, three analyses of one trial in which {self.switched} of "
                                   f"{self.control_n} control patients switched", simulated=True)

    def __str__(self) -> str:
        td = self.time_dependent[0]
        td = f"{td:.2f}" if math.isfinite(td) else "no estimate"
        return (f"{self.switched} of {self.control_n} control patients switched to the drug. Overall-survival "
                f"hazard ratio: {self.itt.hr:.2f} by intention to treat, {self.per_protocol.hr:.2f} per protocol "
                f"(switchers censored), {td} with switching as a time-dependent covariate.")


def analyse_crossover(data: pd.DataFrame, engine: str = "lifelines") -> CrossoverAnalyses:
    """ITT, per-protocol and time-dependent analyses of :func:`simulate_crossover` data.

    ``engine`` is :func:`edu_survival.analyze`'s (the time-dependent Cox model is lifelines' always).
    """
    labels = STORY_LABELS
    itt = analyze(data, labels=labels, engine=engine)
    pp = analyze(per_protocol_data(data), labels=labels, engine=engine)
    return CrossoverAnalyses(itt, pp, time_dependent_hr(data), int(data["switched"].sum()),
                             int((data["arm"] == "control").sum()))


def crossover_bias(model: ProgressionModel = CROSSOVER_MODEL, shares=(0.0, 0.25, 0.5, 0.75, 1.0),
                   delay: float = 0.0, who: str = "at random", strength: float = 0.7,
                   n_sims: int = 500, seed: int = 2024) -> pd.DataFrame:
    """ITT and per-protocol hazard ratios as more control patients switch, over ``n_sims`` trials.

    Every row uses the same seed (common random numbers): the patients are the same, only the
    switching differs. Columns: the geometric mean of each hazard ratio over trials
    (``exp(mean log HR)``) with the Monte Carlo SE of the mean log HR, the share of control
    patients who switched, and the ITT hazard ratio with no switching (the reference).
    """
    n_sims = check_whole("n_sims", n_sims, 2)
    rows = {}
    reference = None
    for share in shares:
        switching = Switching(share, delay, who, strength)
        draw = draw_progression(model, switching, np.random.default_rng(seed), n_sims)
        ends = endpoints(draw)
        time, event = ends["os"]
        itt = np.log(cox_many(time, event, draw.treated).hr)
        pp_time = np.where(ends["switched"], draw.switch, time)
        pp_event = event & ~ends["switched"]
        pp = np.log(cox_many(pp_time, pp_event, draw.treated).hr)
        if reference is None:
            reference = itt if share == 0 else np.log(cox_many(
                *endpoints(draw_progression(model, Switching(), np.random.default_rng(seed), n_sims))["os"],
                draw.treated).hr)
        rows[share] = {
            "control patients who switched": float(ends["switched"][:, ~draw.treated].mean()),
            "ITT HR": math.exp(itt.mean()), "ITT SE (log)": itt.std(ddof=1) / math.sqrt(n_sims),
            "per-protocol HR": math.exp(pp.mean()), "per-protocol SE (log)": pp.std(ddof=1) / math.sqrt(n_sims),
            "HR with no switching": math.exp(reference.mean()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").round(4)
    table.index.name = "share switching after progression"
    return with_caption(table, f"Overall-survival hazard ratios as control patients switch ({who}); "
                               f"{n_sims:,} simulated trials per row", simulated=True)
