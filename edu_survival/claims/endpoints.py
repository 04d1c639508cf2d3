"""The endpoint a report is about, and the Weibull shapes plausible for it.

A verdict that rests on the shape of the hazard names the range of shapes it calls plausible,
and that range depends on the endpoint: deaths, progressions and recurrences do not follow the
same course. The ranges are assumptions of this package; each says where it comes from. The
Weibull fits quoted are maximum-likelihood fits to the public data sets lifelines ships (the
numbers are recomputed in tests/test_claims.py, so they stay true).
"""

from __future__ import annotations

from dataclasses import dataclass

_MONTHS_EARLY, _MONTHS_LATE = 6.0, 24.0


@dataclass(frozen=True)
class Endpoint:
    """What a report's survival times measure, and the Weibull shapes plausible for it.

    ``shapes`` is ``(low, 1.0, high)``: the range used for power and to judge whether a shape
    that reconciles two numbers is unusual; ``event`` names what the hazard is a hazard of.
    """

    code: str
    name: str
    event: str
    shapes: tuple[float, float, float]
    source: str

    @property
    def low(self) -> float:
        return self.shapes[0]

    @property
    def high(self) -> float:
        return self.shapes[-1]

    def plausible(self, k: float) -> bool:
        return self.low <= k <= self.high


ENDPOINTS = {
    "OS": Endpoint(
        "OS", "overall survival", "death", (0.7, 1.0, 1.5),
        "the range assumed throughout this package for overall survival in advanced cancer (a "
        "hazard of death that falls a little over time to one that rises clearly); the overall "
        "survival of the NCCTG advanced lung cancer study (Loprinzi et al., J Clin Oncol 1994) "
        "fits a shape of 1.32"),
    "PFS": Endpoint(
        "PFS", "progression-free survival", "progression or death", (0.8, 1.0, 2.0),
        "progression is found at scheduled scans, so events bunch in the first months and the "
        "hazard often rises more steeply than that of death: the overall-survival range widened "
        "upwards to 2; the remission times of the 6-MP trial (Freireich et al., Blood 1963) fit "
        "shapes of 1.35 to 1.37"),
    "TTP": Endpoint(
        "TTP", "time to progression", "progression", (0.8, 1.0, 2.0),
        "as for progression-free survival (progression found at scheduled scans)"),
    "DFS": Endpoint(
        "DFS", "disease-free survival", "recurrence or death", (0.6, 1.0, 1.5),
        "after curative treatment the hazard of recurrence often peaks in the first years and "
        "then falls (Saphner et al., J Clin Oncol 1996, for breast cancer), so shapes below 1 "
        "are plausible; the recurrence-free survival of the GBSG-2 trial (Schumacher et al., "
        "J Clin Oncol 1994) fits 1.27"),
}
"""The endpoints :func:`~edu_survival.check_claims` knows, by their usual abbreviation."""


def check_endpoint(endpoint) -> Endpoint:
    """The :class:`Endpoint` for ``"OS"``, ``"PFS"``, ``"DFS"`` or ``"TTP"`` (any case)."""
    key = endpoint.strip().upper() if isinstance(endpoint, str) else None
    if key not in ENDPOINTS:
        raise ValueError(f"endpoint must be one of {', '.join(map(repr, ENDPOINTS))}; got {endpoint!r}")
    return ENDPOINTS[key]


def shape_meaning(k: float, endpoint: Endpoint) -> str:
    """What a Weibull shape means for the hazard of the endpoint's event, in words."""
    factor = (_MONTHS_LATE / _MONTHS_EARLY) ** (k - 1)
    if abs(k - 1) < 0.005:
        return f"a hazard of {endpoint.event} that stays the same over time"
    if k > 1:
        how = f"rises over time: about {factor:.1f} times higher at 24 months than at 6 months"
    else:
        how = f"falls over time: about {1 / factor:.1f} times lower at 24 months than at 6 months"
    where = "within" if endpoint.plausible(k) else "outside"
    return (f"a hazard of {endpoint.event} that {how} ({where} the shapes of about "
            f"{endpoint.low:g} to {endpoint.high:g} plausible for {endpoint.name}; an assumption "
            "the report cannot confirm)")
