"""What we assume about a two-arm survival trial: the :class:`Scenario`.

All times are in months. The two arms are called ``"control"`` and ``"treatment"``.

``LAPATINIB`` is the news story's trial: 321 patients, median overall survival 17.3 months
(chemotherapy alone, control) and 23.9 months (lapatinib + chemotherapy, treatment), as
reported. *Assumed*, because the story does not say: 1:1 allocation, 24 months of uniform
enrolment, 24 months of further follow-up, no loss to follow-up, exponential survival and an
effect from randomisation. Trials simulated from it are not patient data.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from ._checks import check_number as _check_number

ARMS = ("control", "treatment")

_MONTHS_PER_YEAR = 12.0

MAX_HR = 1e300
"""Largest hazard ratio (and smallest, 1 / MAX_HR) a scenario may imply: beyond it
``(median_control / median_treatment) ** shape`` (or its inverse) under- or overflows in
floating point and the simulation fails later (division by zero, NaN)."""


@dataclass(frozen=True)
class Scenario:
    """The assumptions behind a simulated two-arm trial (times in months).

    Parameters
    ----------
    n : int
        Total number of patients randomised (at least 2, at least one per arm).
    median_control : float
        Median survival in the control arm, months (> 0).
    median_treatment : float
        Median survival in the treatment arm, months (> 0), had the treatment worked from
        randomisation. With ``delay > 0`` the treatment arm's real median is shorter than this.
    allocation : float
        Fraction of patients on treatment, strictly between 0 and 1 (0.5 is 1:1).
    accrual : float
        Months of uniform enrolment (>= 0; 0 means everyone starts on the same day).
    follow_up : float
        Months of further follow-up after the last patient is enrolled (>= 0). The analysis
        happens at ``accrual + follow_up`` months, which must be > 0.
    dropout : float
        Annual probability that a patient is lost to follow-up (0 to < 1).
    shape : float
        Weibull shape of the survival times (> 0). 1 is exponential (a constant hazard);
        above 1 the hazard rises with time, below 1 it falls.
    delay : float
        Months after randomisation before the treatment effect ``hr`` starts (>= 0). Before
        then the treatment arm's hazard is ``early_hr`` times the control's, so hazards are
        not proportional.
    early_hr : float
        Hazard ratio, treatment / control, during the first ``delay`` months (> 0; default 1,
        no effect yet). Above 1 the treatment first *raises* the risk (an operation's early
        deaths, say) and the survival curves cross.

    Examples
    --------
    >>> from edu_survival import Scenario
    >>> s = Scenario(n=321, median_control=17.3, median_treatment=23.9)
    >>> round(s.hr, 3)
    0.724
    >>> Scenario.from_hr(17.3, hr=0.62, n=321).median_treatment
    27.9...
    """

    n: int = 321
    median_control: float = 17.3
    median_treatment: float = 23.9
    allocation: float = 0.5
    accrual: float = 24.0
    follow_up: float = 24.0
    dropout: float = 0.0
    shape: float = 1.0
    delay: float = 0.0
    early_hr: float = 1.0

    def __deepcopy__(self, memo) -> Scenario:
        # Frozen, and every field a number: a copy would equal it. pandas deep-copies a data
        # set's attrs, and so its scenario, for every column it hands out.
        return self

    def __post_init__(self):
        n = self.n
        if isinstance(n, bool) or not isinstance(n, (int, np.integer, float, np.floating)):
            raise ValueError(f"n must be a whole number of patients (>= 2); got {n!r}")
        if not (math.isfinite(float(n)) and float(n) == int(n)):
            raise ValueError(f"n must be a whole number of patients (>= 2); got {n!r}")
        n = int(n)
        if n < 2:
            raise ValueError(f"n must be at least 2 (one patient per arm); got {n}")
        object.__setattr__(self, "n", n)
        checks = {
            "median_control": ("> 0 and finite (months)", lambda v: v > 0),
            "median_treatment": ("> 0 and finite (months)", lambda v: v > 0),
            "allocation": ("strictly between 0 and 1", lambda v: 0 < v < 1),
            "accrual": (">= 0 (months)", lambda v: v >= 0),
            "follow_up": (">= 0 (months)", lambda v: v >= 0),
            "dropout": ("an annual probability from 0 up to (not including) 1", lambda v: 0 <= v < 1),
            "shape": ("> 0", lambda v: v > 0),
            "delay": (">= 0 (months)", lambda v: v >= 0),
            "early_hr": ("> 0 and finite", lambda v: v > 0),
        }
        for name, (allowed, ok) in checks.items():
            object.__setattr__(self, name, _check_number(name, getattr(self, name), allowed, ok))
        if self.accrual + self.follow_up <= 0:
            raise ValueError(
                "accrual + follow_up must be > 0 months (the analysis happens then); "
                f"got accrual={self.accrual!r}, follow_up={self.follow_up!r}"
            )
        self._check_representable()
        n_treatment, n_control = self.arm_sizes["treatment"], self.arm_sizes["control"]
        if n_treatment < 1 or n_control < 1:
            raise ValueError(
                f"allocation={self.allocation!r} with n={n} leaves {n_control} control and "
                f"{n_treatment} treatment patients; each arm needs at least one"
            )

    def _check_representable(self) -> None:
        """Refuse medians and shape whose hazard ratio or Weibull scales floating point cannot
        hold (e.g. shape=1e12 makes the hazard ratio 0): they would fail later, in the simulation."""
        given = (f"median_control={self.median_control!r}, median_treatment="
                 f"{self.median_treatment!r} and shape={self.shape!r}")
        log_hr = self.shape * (math.log(self.median_control) - math.log(self.median_treatment))
        if not (math.isfinite(log_hr) and abs(log_hr) <= math.log(MAX_HR)):
            raise ValueError(
                f"{given} give a hazard ratio (median_control / median_treatment) ** shape = "
                f"{_power_words(log_hr)}, outside what floating point can simulate ({1 / MAX_HR:g} to "
                f"{MAX_HR:g}); choose a smaller shape or closer medians"
            )
        try:
            scales = [self.scale(arm) for arm in ARMS]
        except (OverflowError, ZeroDivisionError):
            scales = [math.inf]
        if not all(math.isfinite(v) and v > 0 for v in scales):
            raise ValueError(f"{given} give a Weibull scale that cannot be computed; choose a shape "
                             "nearer 1 (e.g. 0.1 to 10)")
        if self.delay > 0 and self.early_hr != 1 and abs(math.log(self.early_hr)) > math.log(MAX_HR):
            raise ValueError(f"early_hr must be from {1 / MAX_HR:g} to {MAX_HR:g}; got {self.early_hr!r}")

    # ----- derived quantities -------------------------------------------------------------
    @classmethod
    def from_hr(cls, median_control: float, hr: float, **rest) -> Scenario:
        """A scenario given the control median and the hazard ratio (treatment / control).

        Under proportional Weibull hazards the treatment median is
        ``median_control * hr ** (-1 / shape)``.

        Examples
        --------
        >>> round(Scenario.from_hr(17.3, 0.62).median_treatment, 1)
        27.9
        """
        hr = _check_number("hr", hr, "> 0 and finite", lambda v: v > 0)
        if "median_treatment" in rest:
            raise ValueError(
                "from_hr computes median_treatment from median_control and hr; do not pass it "
                f"(got median_treatment={rest['median_treatment']!r})"
            )
        shape = rest.get("shape", cls.shape)
        shape = _check_number("shape", shape, "> 0", lambda v: v > 0)
        median_control = _check_number(
            "median_control", median_control, "> 0 and finite (months)", lambda v: v > 0
        )
        return cls(median_control=median_control, median_treatment=median_control * hr ** (-1 / shape), **rest)

    @property
    def hr(self) -> float:
        """True hazard ratio, treatment / control, once the treatment effect has started."""
        return (self.median_control / self.median_treatment) ** self.shape

    @property
    def analysis_time(self) -> float:
        """Months from the first enrolment to the analysis (``accrual + follow_up``)."""
        return self.accrual + self.follow_up

    @property
    def dropout_hazard(self) -> float:
        """Monthly hazard of loss to follow-up implied by the annual ``dropout`` probability."""
        return -math.log1p(-self.dropout) / _MONTHS_PER_YEAR

    @property
    def arm_sizes(self) -> dict[str, int]:
        """Exact number of patients per arm: treatment gets ``round(n * allocation)``."""
        n_treatment = int(math.floor(self.n * self.allocation + 0.5))
        return {"control": self.n - n_treatment, "treatment": n_treatment}

    def scale(self, arm: str) -> float:
        """Weibull scale (months) of an arm, from its median: ``median / ln(2) ** (1 / shape)``."""
        return self._median(arm) / math.log(2) ** (1 / self.shape)

    def _median(self, arm: str) -> float:
        if arm not in ARMS:
            raise ValueError(f"arm must be 'control' or 'treatment'; got {arm!r}")
        return self.median_control if arm == "control" else self.median_treatment

    def cumulative_hazard(self, t, arm: str):
        """True cumulative hazard at ``t`` months for ``arm`` (array in, array out; ``t`` >= 0,
        infinity allowed)."""
        t = _check_times("t", t)
        base = (t / self.scale("control")) ** self.shape
        if arm == "control":
            return base
        self._median(arm)
        at_delay = (self.delay / self.scale("control")) ** self.shape
        early = self.early_hr * base
        return np.where(t <= self.delay, early, self.early_hr * at_delay + self.hr * (base - at_delay))

    def survival(self, t, arm: str):
        """True probability of being alive at ``t`` months in ``arm``."""
        return np.exp(-self.cumulative_hazard(t, arm))

    def true_median(self, arm: str) -> float:
        """The arm's true median survival, months, taking a delayed effect into account."""
        if arm == "control" or self.delay == 0:
            return self._median(arm)
        return float(self.time_at_cumulative_hazard(math.log(2), arm))

    def time_at_cumulative_hazard(self, h, arm: str):
        """Inverse of :meth:`cumulative_hazard`: the time at which it reaches ``h`` (>= 0)."""
        h = _check_times("h", h, "cumulative hazards")
        with np.errstate(over="ignore"):  # beyond floating point: never reached, time infinite
            return self._time_at(h, arm)

    def _time_at(self, h, arm):
        lam, k = self.scale("control"), self.shape
        if arm == "control":
            return lam * h ** (1 / k)
        self._median(arm)
        at_delay = (self.delay / lam) ** k
        # Invert the piecewise cumulative hazard: early_hr * H0 before the delay, hr * H0 after.
        h_delay = self.early_hr * at_delay
        before = h / self.early_hr
        after = at_delay + (h - h_delay) / self.hr
        return lam * np.where(h <= h_delay, before, after) ** (1 / k)

    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """The fields as a plain dictionary."""
        return asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the fields a scenario has."""
        return tuple(f.name for f in fields(cls))


def _power_words(log_value: float) -> str:
    """A number given by its natural log, in words that survive under- and overflow."""
    if not math.isfinite(log_value):
        return "0 or infinite (it under- or overflows)"
    return f"about 1e{log_value / math.log(10):+.0f}"


def _check_times(name: str, values, what: str = "times in months"):
    """``values`` as a float array, every one >= 0 (infinity allowed); ValueError naming
    ``name`` otherwise (a negative time would give a survival above 1)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {what} (numbers >= 0); got {values!r:.80}") from None
    if np.isnan(array).any() or (array < 0).any():
        bad = array[np.isnan(array) | (array < 0)].ravel()[0]
        raise ValueError(f"{name} must be {what}, each >= 0 (not NaN); got {float(bad)!r}")
    return array


LAPATINIB = Scenario(
    n=321,
    median_control=17.3,
    median_treatment=23.9,
    allocation=0.5,
    accrual=24.0,
    follow_up=24.0,
    dropout=0.0,
    shape=1.0,
    delay=0.0,
)
"""The news story's trial, as a scenario (times in months).

Reported by the story: 321 patients randomised, median overall survival 23.9 months with
lapatinib plus chemotherapy (treatment) and 17.3 months with chemotherapy alone (control).

**Assumed**, because the story does not say: 1:1 allocation, 24 months of uniform enrolment,
24 months of further follow-up, no loss to follow-up, exponential survival (Weibull shape 1)
and an effect from randomisation (no delay). Data simulated from this scenario are *simulated
from the story's summary figures*; they are not patient data from any trial.
"""

# How lessons and the explorer name the arms of the news story's trial.
STORY_LABELS = {"control": "chemotherapy alone", "treatment": "lapatinib + chemotherapy"}
