"""What the two real trials the story resembles published, with sources.

These are facts a reader can look up, kept in one place so that every lesson prints them from
here rather than retyping them. Nothing in the package simulates either trial's patients: the
simulated trials of lessons 10 and 11 use invented settings of a similar size, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["DETECT_III", "EGF100151", "PUBLISHED", "Reported", "published_table"]


@dataclass(frozen=True)
class Reported:
    """One published figure: what was measured, its value (and interval, p-value), and where."""

    trial: str
    what: str
    value: float
    lower: float | None = None
    upper: float | None = None
    p: float | None = None
    unit: str = ""
    source: str = ""
    decimals: int = 2

    def _fmt(self, v: float) -> str:
        return f"{v:.{self.decimals}f}"

    def __str__(self) -> str:
        text = f"{self._fmt(self.value)}{(' ' + self.unit) if self.unit else ''}"
        if self.lower is not None:
            text += f" (95% CI {self._fmt(self.lower)} to {self._fmt(self.upper)}"
            text += f", p = {self.p:g})" if self.p is not None else ")"
        elif self.p is not None:
            text += f" (p = {self.p:g})"
        return text


_GEYER = "Geyer et al., N Engl J Med 2006"
_CAMERON_2008 = "Cameron et al., Breast Cancer Res Treat 2008"
_CAMERON_2010 = "Cameron et al., The Oncologist 2010"
_FEHM = "Fehm et al., Clinical Chemistry 2024 (NCT01619111)"

EGF100151 = {
    "ttp_interim_hr": Reported("EGF100151", "time to progression at the interim analysis, hazard ratio",
                               0.49, 0.34, 0.71, source=_GEYER),
    "ttp_interim_weeks": Reported("EGF100151", "median time to progression at the interim, lapatinib + "
                                  "capecitabine vs capecitabine (weeks)", 36.9, unit="vs 19.7 weeks", source=_GEYER, decimals=1),
    "ttp_update_hr": Reported("EGF100151", "time to progression, updated analysis, hazard ratio", 0.57, 0.43, 0.77,
                              source=_CAMERON_2008),
    "os_update_hr": Reported("EGF100151", "overall survival, updated analysis, hazard ratio", 0.78, 0.55, 1.12,
                             p=0.177, source=_CAMERON_2008),
    "os_final_hr": Reported("EGF100151", "overall survival, final analysis, hazard ratio (intention to treat)",
                            0.87, 0.71, 1.08, p=0.21, source=_CAMERON_2010),
    "os_final_td_hr": Reported("EGF100151", "overall survival, Cox model with crossover as a time-dependent "
                               "covariate, hazard ratio", 0.80, 0.64, 0.99, p=0.043, source=_CAMERON_2010),
    "crossed_over": Reported("EGF100151", "patients in the capecitabine arm who crossed over to the combination",
                             36, unit="patients", source=_CAMERON_2010, decimals=0),
    "patients": Reported("EGF100151", "patients randomised in all (321 in the first report, 324 at the interim)",
                         399, unit="patients", source=_CAMERON_2010, decimals=0),
}
"""Lapatinib + capecitabine vs capecitabine in HER2-positive advanced breast cancer. Enrolment
stopped early after a planned interim analysis of time to progression."""

DETECT_III = {
    "clearance_os_months": Reported("DETECT III", "median overall survival, patients whose circulating tumour "
                                    "cells cleared at the first follow-up vs those whose did not (months)", 42.4,
                                    p=0.002, unit="vs 14.1 months", source=_FEHM, decimals=1),
    "enrolled": Reported("DETECT III", "patients enrolled (2,137 screened; 101 analysed)", 105, unit="patients",
                         source=_FEHM, decimals=0),
}
"""Standard therapy with or without lapatinib in HER2-negative metastatic breast cancer with
HER2-positive circulating tumour cells."""

PUBLISHED = {**{f"EGF100151 {k}": v for k, v in EGF100151.items()},
             **{f"DETECT III {k}": v for k, v in DETECT_III.items()}}


def published_table(*keys: str) -> pd.DataFrame:
    """The published figures named by ``keys`` (keys of :data:`PUBLISHED`), as a captioned table.

    Examples
    --------
    >>> published_table("EGF100151 os_final_hr").iloc[0]["reported"]
    '0.87 (95% CI 0.71 to 1.08, p = 0.21)'
    """
    from ..tables import with_caption

    unknown = [k for k in keys if k not in PUBLISHED]
    if unknown:
        raise ValueError(f"unknown published figures {unknown}; known: {sorted(PUBLISHED)}")
    chosen = [PUBLISHED[k] for k in keys] if keys else list(PUBLISHED.values())
    table = pd.DataFrame({"trial": [r.trial for r in chosen], "what": [r.what for r in chosen],
                          "reported": [str(r) for r in chosen], "source": [r.source for r in chosen]})
    return with_caption(table, "As published (real trials; look them up)")
