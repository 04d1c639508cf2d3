"""Step 3 of :func:`edu_survival.analyze`: the log-rank test, plain and weighted.

The plain test comes from lifelines' ``logrank_test`` or, with ``engine="numpy"``, from this
package's vectorised :func:`~edu_survival.montecarlo.logrank_many` (tested to 1e-10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import check_number
from . import words

LOGRANK_WEIGHTINGS = (None, "fleming-harrington", "wilcoxon", "tarone-ware", "peto")


@dataclass(frozen=True)
class LogRankResult:
    """Result of :meth:`Analysis.logrank`: chi-square ``statistic`` (1 df), ``p``, ``weighting``."""

    statistic: float
    p: float
    weighting: str | None
    fh_p: float | None = None
    fh_q: float | None = None

    @property
    def sentence(self) -> str:
        return words.logrank_sentence(self.statistic, self.p, self.weighting, self.fh_p, self.fh_q)

    def __str__(self) -> str:
        return self.sentence


def logrank(time, ev, treated, engine):
    """Log-rank chi-square, p and the expected deaths in the reference arm."""
    if engine == "lifelines":
        from lifelines.statistics import logrank_test

        result = logrank_test(time[~treated], time[treated], ev[~treated], ev[treated])
        chi2, p = float(result.test_statistic), float(result.p_value)
    else:
        from ..montecarlo import logrank_many

        chi2, p = (float(np.asarray(v).ravel()[0]) for v in logrank_many(time, ev, treated))
        if not math.isfinite(chi2):  # no information: lifelines reports chi2 0, p 1
            chi2, p = 0.0, 1.0
    return chi2, p, expected_deaths(time, ev, ~treated)


def has_no_information(time, ev, treated) -> bool:
    """True when the log-rank variance is 0 (the test cannot compare the arms)."""
    from ..montecarlo import logrank_many

    return not math.isfinite(float(np.asarray(logrank_many(time, ev, treated)[0]).ravel()[0]))


def expected_deaths(time, ev, in_group) -> float:
    """Deaths expected in one group if both groups had the same hazard (sum of d * n_g / n)."""
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], ev[order], in_group[order]
    distinct, first = np.unique(t, return_index=True)
    at_risk = len(t) - first
    at_risk_group = np.append(np.cumsum(g[::-1])[::-1], 0)[first]
    d = np.add.reduceat(e.astype(float), first)
    return float(np.sum(d * at_risk_group / at_risk))


def weighted_logrank(time, ev, treated, weighting=None, p: float = 0.0, q: float = 1.0) -> LogRankResult:
    """:meth:`Analysis.logrank`: lifelines' ``logrank_test(weightings=...)`` on the two arms."""
    if weighting not in LOGRANK_WEIGHTINGS:
        raise ValueError(f"weighting must be one of {LOGRANK_WEIGHTINGS}; got {weighting!r}")
    fh = weighting == "fleming-harrington"
    if fh:
        p = check_number("p", p, ">= 0", lambda v: v >= 0)
        q = check_number("q", q, ">= 0", lambda v: v >= 0)
    if not ev.any():
        raise ValueError("logrank needs at least one death; there are none yet")
    from lifelines.statistics import logrank_test

    extra = {"weightings": weighting, "p": p, "q": q} if fh else ({"weightings": weighting} if weighting else {})
    res = logrank_test(time[~treated], time[treated], ev[~treated], ev[treated], **extra)
    return LogRankResult(float(res.test_statistic), float(res.p_value), weighting,
                         p if fh else None, q if fh else None)
