"""Competing risks: when another kind of death can come first (times in months).

Patients with metastatic cancer also die of other causes (heart disease, infections, old
age). A death from another cause *competes* with the event of interest, death from the cancer:
a patient who dies of a stroke can no longer die of the cancer. Two curves answer two
different questions:

* ``1 − Kaplan–Meier``, with the deaths from other causes treated as censored, estimates the
  risk of dying of the cancer by month ``t`` *in a world where nobody could die of anything
  else* (and only if the other deaths are independent of the cancer);
* the **Aalen–Johansen cumulative incidence** estimates the share of *these* patients who die
  of the cancer by month ``t``, in the real world where some die of other causes first.

The first is always at least the second, and the gap grows with the competing hazard.
All data here are simulated, never patient data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_number, check_seed, check_whole
from ..analyze import KMCurve, kaplan_meier
from ..scenario import LAPATINIB, Scenario
from ..simulate import _check_scenario, draw_patients, observe
from ..tables import with_caption
from .estimators import cumulative_incidence_many, km_many

__all__ = [
    "CAUSES",
    "COMPETING_SCENARIO",
    "CompetingRisks",
    "competing_gap",
    "competing_risks",
    "simulate_competing",
    "true_cumulative_incidence",
    "true_net_risk",
]

CAUSES = {0: "censored (alive at the analysis)", 1: "died of the cancer", 2: "died of another cause"}
"""The codes of the ``cause`` column of :func:`simulate_competing`."""

COMPETING_SCENARIO = LAPATINIB.replace(median_treatment=LAPATINIB.median_control)
"""The story's design with everyone on chemotherapy alone: median 17.3 months to death from the
cancer, had nobody died of anything else (one group; the arms are the same)."""

MAX_COMPETING = 0.9


def _check_competing(competing) -> float:
    return check_number("competing", competing, f"an annual probability from 0 to {MAX_COMPETING:g}",
                        lambda v: 0 <= v <= MAX_COMPETING)


def competing_hazard(competing: float) -> float:
    """Monthly hazard of death from other causes, from its annual probability.

    Examples
    --------
    >>> round(competing_hazard(0.1), 5)
    0.00878
    """
    return -math.log1p(-_check_competing(competing)) / 12.0


def simulate_competing(scenario: Scenario = COMPETING_SCENARIO, competing: float = 0.15,
                       seed: int | None = None) -> pd.DataFrame:
    """One simulated group of patients who can die of the cancer or of another cause.

    Parameters
    ----------
    scenario : Scenario
        Enrolment, follow-up, dropout, and the control arm's survival from the cancer alone
        (both arms are pooled: use a scenario whose arms are the same).
    competing : float
        Annual probability of dying of another cause (0 to 0.9), constant over time and
        independent of the cancer.
    seed : int, optional
        Random seed. The deaths from the cancer are those of :func:`edu_survival.simulate`
        with this seed, whatever ``competing``: only the other deaths change.

    Returns
    -------
    pandas.DataFrame
        ``patient``, ``entry``, ``time`` (months to the first death or censoring), ``cause``
        (0 censored, 1 the cancer, 2 another cause; :data:`CAUSES`), and each patient's latent
        ``cancer_death`` and ``other_death`` times (months; what full knowledge would show).

    Examples
    --------
    >>> df = simulate_competing(competing=0.2, seed=1)
    >>> sorted(df["cause"].unique().tolist())
    [0, 1, 2]
    """
    scenario = _check_scenario(scenario)
    hazard = competing_hazard(competing)
    rng = np.random.default_rng(check_seed(seed))
    entry, cancer, lost, _ = draw_patients(scenario, rng)
    with np.errstate(divide="ignore"):
        other = rng.standard_exponential(scenario.n) / hazard if hazard > 0 else np.full(scenario.n, np.inf)
    time, event, _ = observe(scenario, entry, np.minimum(cancer, other), lost)
    cause = np.where(event, np.where(cancer <= other, 1, 2), 0)
    df = pd.DataFrame({"patient": np.arange(1, scenario.n + 1), "entry": entry, "time": time,
                       "cause": cause, "cancer_death": cancer, "other_death": other})
    df.attrs.update(scenario=scenario, competing=float(competing),
                    source="simulated from assumed summary figures, not patient data")
    return df


def true_net_risk(scenario: Scenario, times) -> np.ndarray:
    """True risk of dying of the cancer by ``times`` had nobody died of anything else: 1 - S(t)."""
    return 1.0 - scenario.survival(np.asarray(times, dtype=float), "control")


def true_cumulative_incidence(scenario: Scenario, competing: float, times) -> np.ndarray:
    """True share dying of the cancer by ``times`` when other deaths compete.

    ``CIF(t) = integral from 0 to t of exp(-m u) dF(u)``, with ``F = 1 - S`` the cancer's
    distribution and ``m`` the competing hazard, summed on a fine grid in ``F``.

    Examples
    --------
    >>> t = 24.0; lam, m = math.log(2) / 17.3, competing_hazard(0.2)
    >>> exact = lam / (lam + m) * (1 - math.exp(-(lam + m) * t))
    >>> abs(float(true_cumulative_incidence(COMPETING_SCENARIO, 0.2, [t])[0]) - exact) < 1e-6
    True
    """
    m = competing_hazard(competing)
    times = np.atleast_1d(np.asarray(times, dtype=float))
    grid = np.linspace(0.0, max(float(times.max()), 1e-9), 20_001)
    f = true_net_risk(scenario, grid)
    steps = np.exp(-m * 0.5 * (grid[1:] + grid[:-1])) * np.diff(f)
    cif = np.r_[0.0, np.cumsum(steps)]
    return np.interp(times, grid, cif)


@dataclass(frozen=True)
class CompetingRisks:
    """Both estimates for one group of patients, on the times where either can step.

    ``time`` starts at 0; ``one_minus_km`` is 1 − Kaplan–Meier of cancer deaths with the other
    deaths censored (``km`` holds that curve with its at-risk counts) and ``cif`` the
    Aalen–Johansen cumulative incidence of cancer death, both just after each time.
    """

    time: np.ndarray
    one_minus_km: np.ndarray
    cif: np.ndarray
    km: KMCurve
    counts: dict
    scenario: Scenario | None = None
    competing: float | None = None

    def at(self, t) -> tuple[np.ndarray, np.ndarray]:
        """``(1 − KM, CIF)`` at times ``t`` (right-continuous steps)."""
        idx = np.clip(np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1, 0, None)
        return self.one_minus_km[idx], self.cif[idx]

    def table(self, horizon: float = 24.0) -> pd.DataFrame:
        """The two estimates at ``horizon`` months, with the truth where it is known."""
        km, cif = (float(v) for v in self.at(horizon))
        rows = {"1 − Kaplan–Meier (other deaths censored)": [km], "Aalen–Johansen cumulative incidence": [cif]}
        columns = [f"estimate at {horizon:g} months"]
        if self.scenario is not None:
            rows["1 − Kaplan–Meier (other deaths censored)"].append(float(true_net_risk(self.scenario, [horizon])[0]))
            rows["Aalen–Johansen cumulative incidence"].append(
                float(true_cumulative_incidence(self.scenario, self.competing, [horizon])[0]))
            columns.append("truth it estimates")
        table = pd.DataFrame.from_dict(rows, orient="index", columns=columns).round(3)
        return with_caption(table, f"Share who died of the cancer by {horizon:g} months, two ways",
                            simulated=self.scenario is not None)

    def sentence(self, horizon: float = 24.0) -> str:
        km, cif = (float(v) for v in self.at(horizon))
        return (f"By {horizon:g} months, 1 − Kaplan–Meier says {km:.1%} died of the cancer and the "
                f"Aalen–Johansen estimate says {cif:.1%}; {self.counts[2]} of {self.counts['n']} "
                f"patients died of another cause first. 1 − Kaplan–Meier answers 'what if nobody could "
                f"die of anything else?'; the cumulative incidence answers 'how many of these patients "
                f"died of the cancer?'.")

    def __str__(self) -> str:
        return self.sentence()


def competing_risks(data: pd.DataFrame) -> CompetingRisks:
    """1 − Kaplan–Meier and the Aalen–Johansen cumulative incidence of cause 1, for one group.

    ``data`` has columns ``time`` (months) and ``cause`` (0 censored, 1 the event of interest,
    2 a competing event), as :func:`simulate_competing` returns.
    """
    if not isinstance(data, pd.DataFrame) or not {"time", "cause"} <= set(data.columns):
        raise ValueError("data must be a DataFrame with columns 'time' and 'cause' (0, 1 or 2)")
    time, cause = data["time"].to_numpy(dtype=float), data["cause"].to_numpy()
    km = kaplan_meier(time, cause == 1)
    grid = np.r_[0.0, np.unique(time)]
    grid = np.unique(grid)
    counts = {k: int(np.count_nonzero(cause == k)) for k in (0, 1, 2)}
    counts["n"] = len(time)
    return CompetingRisks(
        time=grid, one_minus_km=1.0 - km_many(time, cause == 1, grid),
        cif=cumulative_incidence_many(time, cause, grid, 1), km=km, counts=counts,
        scenario=data.attrs.get("scenario"), competing=data.attrs.get("competing"),
    )


def competing_gap(scenario: Scenario = COMPETING_SCENARIO, competing=(0.0, 0.1, 0.2, 0.3, 0.4),
                  horizon: float = 24.0, n_sims: int = 500, seed: int = 2024) -> pd.DataFrame:
    """1 − Kaplan–Meier against the cumulative incidence at ``horizon``, as the competing hazard grows.

    For each annual probability of dying of another cause: the two estimates and their gap
    averaged over ``n_sims`` simulated groups, each with its Monte Carlo SE, and the true values
    they estimate. Every row uses the same seed, so the cancer deaths are the same in every row.
    """
    scenario = _check_scenario(scenario)
    n_sims = check_whole("n_sims", n_sims, 2)
    rows = {}
    for p in competing:
        hazard = competing_hazard(p)
        rng = np.random.default_rng(seed)
        entry, cancer, lost, _ = draw_patients(scenario, rng, n_sims)
        with np.errstate(divide="ignore"):
            other = rng.standard_exponential(cancer.shape) / hazard if hazard > 0 else np.full(cancer.shape, np.inf)
        time, event, _ = observe(scenario, entry, np.minimum(cancer, other), lost)
        cause = np.where(event, np.where(cancer <= other, 1, 2), 0)
        km = 1.0 - km_many(time, cause == 1, [horizon])[:, 0]
        cif = cumulative_incidence_many(time, cause, [horizon])[:, 0]
        gap = km - cif
        root = math.sqrt(n_sims)
        rows[p] = {
            "1 − KM (mean)": km.mean(), "1 − KM MC SE": km.std(ddof=1) / root,
            "CIF (mean)": cif.mean(), "CIF MC SE": cif.std(ddof=1) / root,
            "gap (mean)": gap.mean(), "gap MC SE": gap.std(ddof=1) / root,
            "true 1 − S": float(true_net_risk(scenario, [horizon])[0]),
            "true CIF": float(true_cumulative_incidence(scenario, p, [horizon])[0]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").round(5)
    table.index.name = "annual risk of another death"
    return with_caption(table, f"Dying of the cancer by {horizon:g} months: 1 − Kaplan–Meier vs cumulative "
                               f"incidence, {n_sims:,} simulated groups per row", simulated=True)
