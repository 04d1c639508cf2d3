"""Do a report's numbers add up? :func:`check_claims` checks what a news story or abstract says.

Each check is one small function below (one topic each) that takes the reported numbers (a
:class:`Report`) and returns :class:`Check` objects; :func:`check_claims` validates the input,
runs the functions in :data:`CHECKS` and gathers the results in a :class:`ClaimReport`.

Rules every check follows:

* **Evidence before assumptions.** A check that needs a number of deaths uses the reported
  deaths, else the deaths implied by the reported confidence interval, else the deaths expected
  under an assumed design, and says which.
* **Rounding is not a disagreement.** A reported 0.62 may be anything from 0.615 to 0.625, and
  "p = 0.002" anything from 0.0015 to 0.0025; a check calls numbers *inconsistent* only if
  they disagree for every value that rounds to what was printed.
* **Assumptions are named.** A verdict that holds only under a model (constant hazards, an
  assumed design) says so, and is *depends on an assumption* rather than *inconsistent*.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from scipy import stats

from . import design
from ._checks import check_fraction, check_number, check_seed, check_whole
from .analyze import format_p
from .scenario import Scenario

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
DEPENDS = "depends on an assumption"
INFO = "information"
UNCHECKED = "cannot check"
VERDICTS = (CONSISTENT, INCONSISTENT, DEPENDS, INFO, UNCHECKED)
_MARKS = {CONSISTENT: "OK", INCONSISTENT: "!!", DEPENDS: "~~", INFO: "--", UNCHECKED: "??"}

# Weibull shapes commonly assumed for overall survival in metastatic cancer: a hazard that
# falls a little over time (0.7) to one that rises clearly (1.5). An assumption, used to
# report power as a range and to say whether a reconciling shape is unusual.
PLAUSIBLE_SHAPES = (0.7, 1.0, 1.5)
# How far apart two z statistics of the same trial may be without rounding being the cause:
# the log-rank z and the Cox Wald z differ by a few percent, and Schoenfeld's
# "information = D p (1 - p)" overstates the information by up to about 10% when the hazard
# ratio is far from 1. Checked on simulated trials in tests/test_claims.py.
_Z_RELATIVE = 0.10
_Z_ABSOLUTE = 0.10
# The CI's centre (on the log scale) may differ from the HR by this much beyond rounding:
# Wald intervals are symmetric on the log scale; other methods almost so.
_CENTRE_SLACK = 0.02
_MONTHS_EARLY, _MONTHS_LATE = 6.0, 24.0
_CLOSE = "close enough: rounding and the small gap between the log-rank and Cox tests allow it"


# ----- results -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """One check: what was compared, the verdict, a plain sentence and the arithmetic.

    ``sentence`` says the finding in words (and names any assumption); ``detail`` shows the
    arithmetic; ``values`` holds the numbers computed.
    """

    topic: str
    verdict: str
    sentence: str
    values: dict = field(default_factory=dict)
    detail: str = ""

    @property
    def text(self) -> str:
        """The sentence followed by the arithmetic."""
        return f"{self.sentence} {self.detail}".strip()

    def __str__(self) -> str:
        head = f"[{_MARKS[self.verdict]}] {self.topic} ({self.verdict})"
        lines = [head, f"     {self.sentence}"]
        if self.detail:
            lines.append(f"     How: {self.detail}")
        return "\n".join(lines)


@dataclass
class ClaimReport:
    """All checks made on a set of reported numbers.

    ``checks`` holds every check; ``problems`` those whose numbers disagree whatever is
    assumed; ``depends`` those whose verdict rests on an assumption; ``unchecked`` the checks
    that could not be made for lack of a number.
    """

    reported: dict
    checks: list
    assumed: str = ""

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == INCONSISTENT]

    @property
    def depends(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == DEPENDS]

    @property
    def unchecked(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == UNCHECKED]

    def find(self, topic: str) -> Check:
        """The check on ``topic`` (e.g. ``"hazard ratio vs medians"``)."""
        for c in self.checks:
            if c.topic == topic:
                return c
        raise KeyError(f"no check on {topic!r}; topics are {[c.topic for c in self.checks]}")

    def _closing(self) -> str:
        n_bad, n_dep = len(self.problems), len(self.depends)
        parts = [f"{n_bad} check{'s' if n_bad != 1 else ''} find{'s' if n_bad == 1 else ''} numbers "
                 "that disagree" if n_bad else "No check finds numbers that disagree"]
        if n_dep:
            parts.append(f"{n_dep} verdict{'s' if n_dep != 1 else ''} depend{'s' if n_dep == 1 else ''} "
                         "on an assumption")
        return "; ".join(parts) + "."

    def __str__(self) -> str:
        given = ", ".join(f"{k} {v}" if isinstance(v, str) else f"{k} = {_show(v)}"
                          for k, v in self.reported.items())
        lines = [f"Reported: {given}."]
        if self.assumed:
            lines.append(f"Assumed where the report is silent: {self.assumed}.")
        lines.append("Marks: [OK] consistent, [!!] inconsistent, [~~] depends on an assumption, "
                     "[--] information, [??] cannot check.")
        lines += [str(c) for c in self.checks]
        lines.append(self._closing())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {CONSISTENT: "#e6f4ea", INCONSISTENT: "#fde7e9", DEPENDS: "#e8f0fe",
                   INFO: "#f1f3f4", UNCHECKED: "#fff8e1"}
        rows = "".join(
            f'<tr style="background:{colours[c.verdict]}"><td>{html.escape(c.verdict)}</td>'
            f"<td><b>{html.escape(c.topic)}</b></td><td>{html.escape(c.sentence)}"
            f"<br><small>{html.escape(c.detail)}</small></td></tr>"
            for c in self.checks
        )
        assumed = f"<p>Assumed where the report is silent: {html.escape(self.assumed)}.</p>" if self.assumed else ""
        return (f"{assumed}<table><tr><th>verdict</th><th>check</th><th>finding</th></tr>{rows}</table>"
                f"<p>{html.escape(self._closing())}</p>")


def _show(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(f"{v:g}" for v in value) + ")"
    return value if isinstance(value, str) else f"{value:g}"


# ----- what was reported, with the uncertainty of its rounding -------------------------------
def _decimals(value) -> int:
    """Decimal places ``value`` was written with (0.62 -> 2, 17.3 -> 1, 1e-05 -> 5)."""
    text = value if isinstance(value, str) else repr(float(value))
    try:
        return max(0, -Decimal(text.strip()).as_tuple().exponent)
    except (InvalidOperation, TypeError):  # pragma: no cover - the callers pass numbers
        return 0


def _rounded(value, text=None) -> tuple[float, float]:
    """Every number that rounds to ``value`` as written: ``value +- half a unit``."""
    half = 0.5 * 10.0 ** -_decimals(value if text is None else text)
    return value - half, value + half


_P_PATTERN = re.compile(r"^\s*(?:p\s*)?(<=|>=|=|<|>|≤|≥)?\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$",
                        re.IGNORECASE)


def parse_p_value(p_value) -> tuple[float, str, str]:
    """A reported p-value as ``(value, relation, text)``; relation is ``"="``, ``"<"`` or ``">"``.

    Accepts a number (0 < p <= 1) or a string as printed: ``"0.03"``, ``"<0.001"``,
    ``"p < 0.05"``, ``"p = 0.03"``.

    Examples
    --------
    >>> parse_p_value("p < 0.001")
    (0.001, '<', '0.001')
    >>> parse_p_value(0.03)
    (0.03, '=', '0.03')
    """
    if isinstance(p_value, str):
        match = _P_PATTERN.match(p_value)
        if not match:
            raise ValueError(
                "p_value must be a number in (0, 1] or a string such as '0.03', '<0.001' or "
                f"'p = 0.03'; got {p_value!r}"
            )
        relation = {None: "=", "<=": "<", "≤": "<", ">=": ">", "≥": ">"}.get(match[1], match[1])
        text = match[2]
        value = float(text)
    else:
        value = check_number("p_value", p_value, "in (0, 1]", lambda v: 0 < v <= 1)
        relation, text = "=", repr(value)
    if not 0 < value <= 1:
        raise ValueError(f"p_value must be in (0, 1]; got {p_value!r}")
    return value, relation, text


@dataclass(frozen=True)
class Report:
    """The numbers a report gives (``None`` where it is silent) and the assumed design.

    Built and validated by :func:`check_claims`; each check function reads it.
    """

    n: int | None = None
    median_control: float | None = None
    median_treatment: float | None = None
    hr: float | None = None
    hr_ci: tuple | None = None
    p_value: float | None = None
    p_relation: str = "="
    p_text: str = ""
    deaths: int | None = None
    allocation: float = 0.5
    accrual: float = 24.0
    follow_up: float = 24.0
    dropout: float = 0.0
    alpha: float = 0.05
    simulate: bool = False
    n_sims: int = 1000
    seed: int | None = 2024

    # -- derived numbers
    @property
    def z_crit(self) -> float:
        return float(stats.norm.ppf(1 - self.alpha / 2))

    @property
    def level(self) -> str:
        return f"{100 * (1 - self.alpha):g}%"

    @property
    def pq(self) -> float:
        return self.allocation * (1 - self.allocation)

    @property
    def p_words(self) -> str:
        """The reported p-value as printed: "p = 0.03", "p < 0.001"."""
        return f"p {self.p_relation} {self.p_text}"

    def p_range(self) -> tuple[float, float]:
        """Every p-value the printed one allows (a bound stays a bound)."""
        if self.p_relation == "<":
            return 0.0, self.p_value
        if self.p_relation == ">":
            return self.p_value, 1.0
        lo, hi = _rounded(self.p_value, self.p_text)
        return max(lo, 0.0), min(hi, 1.0)

    def z_from_p(self) -> tuple[float, float]:
        """The ``|z|`` values the reported p-value allows."""
        lo, hi = self.p_range()
        return float(stats.norm.isf(hi / 2)), (math.inf if lo <= 0 else float(stats.norm.isf(lo / 2)))

    def log_hr_range(self) -> tuple[float, float]:
        """The ``|ln HR|`` values the rounded HR allows (0 if it could be 1)."""
        lo, hi = _rounded(self.hr)
        lo = max(lo, 1e-300)
        a, b = abs(math.log(lo)), abs(math.log(hi))
        return (0.0 if lo <= 1 <= hi else min(a, b)), max(a, b)

    def se_range(self) -> tuple[float, float]:
        """SE(ln HR) the rounded CI allows: (ln U - ln L) / (2 z)."""
        (l_lo, l_hi), (u_lo, u_hi) = (_rounded(v) for v in self.hr_ci)
        l_lo = max(l_lo, 1e-300)
        width = 2 * self.z_crit
        # Rounding can make a very narrow CI's width 0 (then nothing bounds the z from above).
        return max(math.log(u_lo / l_hi), 0.0) / width, math.log(u_hi / l_lo) / width

    @property
    def se(self) -> float:
        return (math.log(self.hr_ci[1]) - math.log(self.hr_ci[0])) / (2 * self.z_crit)

    @property
    def assumed_design(self) -> str:
        return (f"{self.accrual:g} months' uniform enrolment, {self.follow_up:g} months' further "
                f"follow-up, {'no' if self.dropout == 0 else f'{self.dropout:.0%} a year'} loss to follow-up")

    def scenario(self, hr: float, shape: float = 1.0) -> Scenario:
        """The assumed design with the reported n and control median and hazard ratio ``hr``."""
        return Scenario.from_hr(self.median_control, hr, n=self.n, allocation=self.allocation,
                                accrual=self.accrual, follow_up=self.follow_up,
                                dropout=self.dropout, shape=shape)


# ----- helpers shared by the checks ----------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _p_text(z: float) -> str:
    return format_p(design.two_sided_p(z))


def _z_agree(z_lo: float, z_hi: float, zp_lo: float, zp_hi: float) -> bool:
    """Do two ranges of |z| overlap, allowing for the approximations named at the top?"""
    return z_hi * (1 + _Z_RELATIVE) + _Z_ABSOLUTE >= zp_lo and z_lo / (1 + _Z_RELATIVE) - _Z_ABSOLUTE <= zp_hi


def _p_between(z_lo: float, z_hi: float) -> str:
    """The p-values of a range of |z| in words: "p = 0.0018 (0.0010 to 0.0030 with rounding)"."""
    p_hi, p_lo = design.two_sided_p(z_lo), (0.0 if math.isinf(z_hi) else design.two_sided_p(z_hi))
    if format_p(p_lo) == format_p(p_hi):
        return format_p(p_hi)
    lo = "below 0.001" if p_lo < 0.001 else format_p(p_lo)[4:]
    return f"p between {lo} and {format_p(p_hi)[4:]}" if p_hi >= 0.001 else "p < 0.001"


def _deaths_source(r: Report):
    """Deaths to use, in order of evidence: reported, implied by the CI, expected by design.

    Returns ``(deaths, (low, high), words, assumed)``; ``None`` when there is nothing to use.
    """
    if r.deaths is not None:
        return r.deaths, (r.deaths, r.deaths), f"{r.deaths} deaths (reported)", False
    if r.hr_ci is not None:
        se_lo, se_hi = r.se_range()
        d = 1 / (r.pq * r.se**2)
        return (d, (1 / (r.pq * se_hi**2), 1 / (r.pq * se_lo**2) if se_lo > 0 else math.inf),
                f"about {d:.0f} deaths (implied by the width of the confidence interval)", False)
    hr = r.hr if r.hr is not None else _implied_hr(r)
    if r.n is not None and r.median_control is not None and hr is not None:
        d = design.expected_events(r.scenario(hr))
        return (d, (d, d), f"about {d:.0f} deaths (expected with {r.assumed_design}: an assumption)",
                True)
    return None


def _implied_hr(r: Report):
    if r.median_control is not None and r.median_treatment is not None:
        return r.median_control / r.median_treatment
    return None


def _implied_hr_range(r: Report) -> tuple[float, float]:
    (c_lo, c_hi), (t_lo, t_hi) = _rounded(r.median_control), _rounded(r.median_treatment)
    return max(c_lo, 1e-300) / t_hi, c_hi / max(t_lo, 1e-300)


def _shape_meaning(k: float) -> str:
    """What a Weibull shape means for the hazard of death, in words."""
    factor = (_MONTHS_LATE / _MONTHS_EARLY) ** (k - 1)
    if abs(k - 1) < 0.005:
        return "a hazard of death that stays the same over time"
    if k > 1:
        how = f"rises over time: about {factor:.1f} times higher at 24 months than at 6 months"
    else:
        how = f"falls over time: about {1 / factor:.1f} times lower at 24 months than at 6 months"
    lo, hi = PLAUSIBLE_SHAPES[0], PLAUSIBLE_SHAPES[-1]
    where = "within" if lo <= k <= hi else "outside"
    return (f"a hazard of death that {how} ({where} the shapes of about {lo:g} to {hi:g} often "
            "assumed for overall survival in metastatic cancer; an assumption the report cannot confirm)")


# ----- the checks, one topic each ------------------------------------------------------------
def check_medians_vs_hr(r: Report) -> list[Check]:
    """Medians and hazard ratio: the HR the medians imply under constant hazards, and the
    Weibull shape that would reconcile them with the reported HR."""
    implied = _implied_hr(r)
    if implied is None:
        if r.hr is not None and (r.median_control is None) != (r.median_treatment is None):
            return []  # check_one_median_and_hr speaks instead
        missing = [name for name in ("median_control", "median_treatment", "hr") if getattr(r, name) is None]
        return [Check("hazard ratio vs medians", UNCHECKED,
                      f"Needs both medians and a hazard ratio ({', '.join(missing)} not reported).")]
    mc, mt = r.median_control, r.median_treatment
    detail = (f"Constant hazards: HR = median_control / median_treatment = {mc:g} / {mt:g} "
              f"= {implied:.3f}.")
    values = {"implied_hr": implied}
    lower = f"a {_pct(1 - implied)} lower hazard" if implied < 1 else f"a {_pct(implied - 1)} higher hazard"
    if r.hr is None:
        return [Check("hazard ratio vs medians", INFO,
                      f"If the hazards were constant, these medians would mean a hazard ratio of "
                      f"{implied:.3f} ({lower} of death with treatment, at any time).", values, detail)]

    hr = r.hr
    values["reported_hr"] = hr
    imp_lo, imp_hi = _implied_hr_range(r)
    hr_lo, hr_hi = _rounded(hr)
    ratio = mt / mc
    if ratio != 1 and hr != 1:
        k = math.log(hr) / math.log(mc / mt)
        values["reconciling_shape"] = k
    else:
        k = None
    if r.hr_ci is not None:
        ci_lo, ci_hi = _rounded(r.hr_ci[0])[0], _rounded(r.hr_ci[1])[1]
        agree = imp_hi >= ci_lo and imp_lo <= ci_hi
        ref = f"the reported {r.level} CI {r.hr_ci[0]:g} to {r.hr_ci[1]:g}"
    else:
        agree = imp_hi >= hr_lo and imp_lo <= hr_hi
        ref = f"the reported HR {hr:g}"
    if agree:
        return [Check("hazard ratio vs medians", CONSISTENT,
                      f"The medians fit {ref}: with constant hazards they imply HR {implied:.3f}.",
                      values, detail)]

    if k is None or k <= 0:
        why = ("equal medians" if ratio == 1 else "medians that favour one arm and an HR that favours the other")
        return [Check("hazard ratio vs medians", DEPENDS,
                      f"The medians imply HR {implied:.3f} under constant hazards, outside {ref}. With {why} "
                      "no proportional-hazards Weibull model fits both; survival curves that cross, "
                      "or chance in the medians (which are estimates too), could.", values, detail)]
    detail += (f" Weibull shape k that makes both right: HR = (median_control / median_treatment)^k, so "
               f"k = ln {hr:g} / ln({mc:g} / {mt:g}) = {k:.2f}.")
    shape_words = f"Both are right only if the hazard is not constant: Weibull shape {k:.2f}, {_shape_meaning(k)}."
    # The classic misreading: "a 38% longer median" reported as "a 38% lower hazard", the same
    # whole percentage. Without a CI nothing else tells it from a rising hazard (shape near
    # 1.5 gives HR close to 2 - median ratio), so the verdict names constant hazards.
    misread = r.hr_ci is None and _pct(1 - hr) == _pct(ratio - 1)
    if misread:
        sentence = (f"Under constant hazards these disagree: the medians imply HR {implied:.3f} "
                    f"(a {_pct(1 - implied)} lower hazard), not {hr:g}. The reported {_pct(1 - hr)} matches "
                    f"the {_pct(ratio - 1)} longer median ({mt:g} / {mc:g} = {ratio:.2f}), its likeliest "
                    f"source; a {_pct(ratio - 1)} longer median is not a {_pct(ratio - 1)} lower hazard. "
                    f"{shape_words}")
        return [Check("hazard ratio vs medians", INCONSISTENT, sentence, values, detail)]
    gap = f"outside {ref}" if r.hr_ci is not None else f"not the reported {hr:g}"
    sentence = (f"Under constant hazards the medians imply HR {implied:.3f}, {gap}. "
                f"{shape_words} Medians are estimates too, so chance can also open such a gap.")
    return [Check("hazard ratio vs medians", DEPENDS, sentence, values, detail)]


def check_one_median_and_hr(r: Report) -> list[Check]:
    """One median and the HR: the other median under constant hazards."""
    if r.hr is None or (r.median_control is None) == (r.median_treatment is None):
        return []
    if r.median_control is None:
        value = r.median_treatment * r.hr
        which, how = "control", f"{r.median_treatment:g} x {r.hr:g} = {value:.1f}"
    else:
        value = r.median_control / r.hr
        which, how = "treatment", f"{r.median_control:g} / {r.hr:g} = {value:.1f}"
    return [Check("median implied by the hazard ratio", INFO,
                  f"With constant hazards, HR {r.hr:g} and the reported median mean a {which} median of "
                  f"about {value:.1f} months.", {f"median_{which}": value},
                  f"Constant hazards: median ratio = 1 / HR; {how} months.")]


def check_deaths_needed(r: Report) -> list[Check]:
    """Deaths a trial needs for 80% and 90% power (Schoenfeld), for each reading of the effect."""
    out = []
    for which, value in _candidates(r):
        d80 = design.schoenfeld_events(value, 0.8, r.alpha, r.allocation)
        d90 = design.schoenfeld_events(value, 0.9, r.alpha, r.allocation)
        need80, need90 = math.ceil(d80), math.ceil(d90)  # whole deaths, rounded up
        sentence = (f"To detect HR {value:.3g} ({which}) a trial needs {need80} deaths for 80% power "
                    f"and {need90} for 90%")
        if r.n is not None:
            # shares of the deaths printed, so "403 ... of the 321" reads 126%, not 125%
            sentence += f" ({_pct(need80 / r.n)} and {_pct(need90 / r.n)} of the {r.n} patients)"
            if need80 > r.n:
                sentence += "; even if every patient died, power would stay below 80%"
        sentence += "."
        if r.deaths is not None:
            sentence += f" The report counts {r.deaths} deaths."
        out.append(Check(f"deaths needed, HR {value:.3g}", INFO, sentence,
                         {"deaths_80": d80, "deaths_90": d90},
                         f"Schoenfeld: D = (z_alpha/2 + z_power)^2 / (p(1-p) ln(HR)^2) = "
                         f"{d80:.1f} and {d90:.1f}, rounded up."))
    if not out:
        out.append(Check("deaths needed", UNCHECKED, "Needs a hazard ratio other than 1, or both medians."))
    return out


def _candidates(r: Report) -> list[tuple[str, float]]:
    """The effects a report could mean: the reported HR, and the one its medians imply."""
    out = []
    if r.hr is not None and r.hr != 1:
        out.append(("reported", r.hr))
    implied = _implied_hr(r)
    if implied is not None and implied != 1 and (r.hr is None or abs(implied - r.hr) > 1e-9):
        out.append(("implied by the medians under constant hazards", implied))
    return out


def check_p_vs_hr_and_deaths(r: Report) -> list[Check]:
    """The p-value a log-rank test gives with this HR and this many deaths."""
    topic = "p-value vs hazard ratio and deaths"
    hr = r.hr if r.hr is not None else _implied_hr(r)
    source = _deaths_source(r) if hr is not None else None
    if hr is None or source is None:
        missing = [] if hr is not None else ["a hazard ratio (or both medians)"]
        if source is None:
            missing.append("a number of deaths (or a CI, or n and a control median to expect one)")
        return [Check(topic, UNCHECKED, "Needs " + " and ".join(missing) + ".")]
    d, (d_lo, d_hi), words, assumed_design = source
    from_medians = r.hr is None
    if from_medians:
        imp_lo, imp_hi = _implied_hr_range(r)
        a, b = abs(math.log(imp_lo)), abs(math.log(imp_hi))
        lh_lo, lh_hi = (0.0 if imp_lo <= 1 <= imp_hi else min(a, b)), max(a, b)
        hr_words = f"the HR of {hr:.3f} the medians imply under constant hazards"
    else:
        lh_lo, lh_hi = r.log_hr_range()
        hr_words = f"HR {hr:g}"
    z = design.expected_logrank_z(hr, d, r.allocation)
    z_lo, z_hi = lh_lo * math.sqrt(d_lo * r.pq), lh_hi * math.sqrt(d_hi * r.pq)
    values = {"z": z, "p_implied": design.two_sided_p(z), "deaths_used": d}
    detail = (f"z = |ln HR| sqrt(D p(1-p)) = {abs(math.log(hr)):.3f} x sqrt({d:.0f} x {r.pq:g}) = {z:.2f}; "
              f"with rounding, {_p_between(z_lo, z_hi)}.")
    lead = f"With {words}, {hr_words} gives {_p_text(z)}."
    if r.p_value is None:
        return [Check(topic, INFO, lead + " The report gives no p-value.", values, detail)]
    zp_lo, zp_hi = r.z_from_p()
    if _z_agree(z_lo, z_hi, zp_lo, zp_hi):
        close = "" if zp_lo <= z <= zp_hi else f" ({_CLOSE})"
        return [Check(topic, CONSISTENT, f"{lead} The report says {r.p_words}: consistent{close}.", values, detail)]
    # Deaths that would give the printed p with this HR (the largest |ln HR| rounding allows if
    # the HR prints as 1).
    needed = (stats.norm.isf(r.p_value / 2) / (abs(math.log(hr)) or lh_hi)) ** 2 / r.pq
    if assumed_design or from_medians:
        assumption = "the assumed design" if assumed_design else "constant hazards"
        return [Check(topic, DEPENDS,
                      f"{lead} The report says {r.p_words}: they agree only if {assumption} is wrong "
                      f"({r.p_words} with {hr_words} needs about {needed:.0f} deaths).", values, detail)]
    return [Check(topic, INCONSISTENT,
                  f"{lead} The report says {r.p_words}: these disagree even allowing for rounding "
                  f"({r.p_words} would need about {needed:.0f} deaths).", values, detail)]


def check_confidence_interval(r: Report) -> list[Check]:
    """The CI against the HR, the p-value, the deaths and n; or the CI the HR and p imply."""
    topic = "confidence interval vs p-value"
    if r.hr is not None and r.hr_ci is not None:
        return [_check_given_ci(r, topic)]
    if r.hr is not None and r.p_value is not None:
        return [_check_hr_and_p(r, topic)]
    return [Check(topic, UNCHECKED,
                  "No confidence interval reported" + ("" if r.p_value is not None else " and no p-value")
                  + ": the precision of the estimate cannot be judged.")]


def _check_hr_and_p(r: Report, topic: str) -> Check:
    """No CI: the CI that the HR and p imply (a bound when p is a bound, or HR could be 1)."""
    lh_lo, lh_hi = r.log_hr_range()
    zp_lo, zp_hi = r.z_from_p()
    if lh_lo == 0:
        # HR as printed could be 1: p can be small only with very many deaths.
        if zp_lo <= 1.0:
            return Check(topic, CONSISTENT,
                         f"An HR of {r.hr:g} shows almost no difference between the arms, and {r.p_words} "
                         "agrees.", {}, f"HR {r.hr:g} +- rounding: |ln HR| <= {lh_hi:.3f}.")
        needed = math.ceil((zp_lo / lh_hi) ** 2 / r.pq)
        sentence = (f"An HR of {r.hr:g} shows almost no difference between the arms, yet the report says "
                    f"{r.p_words}: both are right only with at least {needed:,} deaths")
        detail = (f"HR {r.hr:g} +- rounding: |ln HR| <= {lh_hi:.3f}; |z| >= {zp_lo:.2f} needs "
                  f"D >= (z / |ln HR|)^2 / (p(1-p)) = {needed:,}.")
        if r.n is not None and needed > r.n:
            return Check(topic, INCONSISTENT, sentence + f", more than the {r.n} patients.",
                         {"deaths_needed": needed}, detail)
        return Check(topic, DEPENDS, sentence + " (an assumption about the trial's size).",
                     {"deaths_needed": needed}, detail)
    ln_hr = math.log(r.hr)
    if r.p_relation == "=":
        z_p = stats.norm.isf(r.p_value / 2)
        se = abs(ln_hr) / z_p
        lo, hi = math.exp(ln_hr - r.z_crit * se), math.exp(ln_hr + r.z_crit * se)
        return Check(topic, INFO,
                     f"HR {r.hr:g} with {r.p_words} means a {r.level} CI of about {lo:.2f} to {hi:.2f}.",
                     {"ci": (lo, hi), "se": se},
                     f"SE(ln HR) = |ln HR| / z = {abs(ln_hr):.3f} / {z_p:.2f} = {se:.3f}; "
                     f"CI = exp(ln HR +- {r.z_crit:.2f} SE).")
    if r.p_relation == "<":
        se = abs(ln_hr) / zp_lo
        lo, hi = math.exp(ln_hr - r.z_crit * se), math.exp(ln_hr + r.z_crit * se)
        return Check(topic, INFO,
                     f"HR {r.hr:g} with {r.p_words} means a {r.level} CI no wider than about "
                     f"{lo:.2f} to {hi:.2f}.", {"ci_at_most": (lo, hi), "se_at_most": se},
                     f"SE(ln HR) <= |ln HR| / z = {abs(ln_hr):.3f} / {zp_lo:.2f} = {se:.3f}.")
    se = abs(ln_hr) / zp_hi if zp_hi > 0 else math.inf
    lo, hi = math.exp(ln_hr - r.z_crit * se), math.exp(ln_hr + r.z_crit * se)
    return Check(topic, INFO,
                 f"HR {r.hr:g} with {r.p_words} means a {r.level} CI at least as wide as about "
                 f"{lo:.2f} to {hi:.2f}.", {"ci_at_least": (lo, hi), "se_at_least": se},
                 f"SE(ln HR) >= |ln HR| / z = {abs(ln_hr):.3f} / {zp_hi:.2f} = {se:.3f}.")


def _check_given_ci(r: Report, topic: str) -> Check:
    lo, hi = r.hr_ci
    se = r.se
    se_lo, se_hi = r.se_range()
    centre = math.exp((math.log(lo) + math.log(hi)) / 2)
    z = abs(math.log(r.hr)) / se
    lh_lo, lh_hi = r.log_hr_range()
    z_lo, z_hi = lh_lo / se_hi, (lh_hi / se_lo if se_lo > 0 else math.inf)
    d_ci = 1 / (r.pq * se**2)
    values = {"se": se, "p_from_ci": design.two_sided_p(z), "deaths_from_ci": d_ci}
    detail = (f"SE(ln HR) = (ln {hi:g} - ln {lo:g}) / (2 x {r.z_crit:.2f}) = {se:.3f}; z = |ln HR| / SE = "
              f"{z:.2f}, {_p_text(z)}; deaths about 1 / (p(1-p) SE^2) = {d_ci:.0f}; CI centre "
              f"sqrt(L x U) = {centre:.3f}.")
    problems = []
    # Centre: rounding of L and U moves it by at most half a unit on each.
    (l_lo, l_hi), (u_lo, u_hi) = _rounded(lo), _rounded(hi)
    c_lo, c_hi = math.sqrt(max(l_lo, 1e-300) * u_lo), math.sqrt(l_hi * u_hi)
    h_lo, h_hi = _rounded(r.hr)
    if math.log(h_lo / c_hi) > _CENTRE_SLACK or math.log(c_lo / max(h_hi, 1e-300)) > _CENTRE_SLACK:
        problems.append(f"the CI is centred on {centre:.2f}, not on the reported HR {r.hr:g} (on the log scale)")
    if r.p_value is not None:
        zp_lo, zp_hi = r.z_from_p()
        if not _z_agree(z_lo, z_hi, zp_lo, zp_hi):
            problems.append(f"the CI implies {_p_between(z_lo, z_hi)}, not {r.p_words}")
    if r.deaths is not None:
        # se from deaths: 1 / sqrt(D p(1-p)); the CI's se may differ by the z allowance.
        se_d = 1 / math.sqrt(r.deaths * r.pq)
        if se_d > se_hi * (1 + _Z_RELATIVE) or se_d < se_lo / (1 + _Z_RELATIVE):
            problems.append(f"the CI's width means about {d_ci:.0f} deaths, not the {r.deaths} reported")
    if r.n is not None and 1 / (r.pq * se_hi**2) > r.n * (1 + _Z_RELATIVE) ** 2:
        problems.append(f"the CI is narrower than {r.n} patients could give even if all died")
    if problems:
        sentence = "These disagree even allowing for rounding: " + "; ".join(problems) + "."
        return Check(topic, INCONSISTENT, sentence, values, detail)
    said = [f"the {r.level} CI {lo:g} to {hi:g} fits HR {r.hr:g}"]
    if r.p_value is not None:
        said.append(f"{r.p_words}")
    if r.deaths is not None:
        said.append(f"{r.deaths} deaths")
    close = ""
    if r.p_value is not None and not r.z_from_p()[0] <= z <= r.z_from_p()[1]:
        close = f"; {_CLOSE}"
    sentence = ("Consistent: " + ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1]
                + f" (the CI alone implies {_p_text(z)} and about {d_ci:.0f} deaths{close}).")
    return Check(topic, CONSISTENT, sentence, values, detail)


def check_power(r: Report) -> list[Check]:
    """Power of the assumed design over a range of Weibull shapes, for each reading of the effect."""
    if r.n is None or r.median_control is None or not _candidates(r):
        return [Check("power of the design", UNCHECKED,
                      "Needs n, the control median and a hazard ratio (or both medians).")]
    out = []
    shapes = PLAUSIBLE_SHAPES
    for which, value in _candidates(r):
        by_medians = which != "reported"
        scenarios = {}
        for k in shapes:
            if by_medians:
                scenarios[k] = r.scenario(1.0).replace(median_treatment=r.median_treatment, shape=k)
            else:
                scenarios[k] = r.scenario(value, shape=k)
        analytic = {k: design.analytic_power(s, r.alpha) for k, s in scenarios.items()}
        deaths = {k: design.expected_events(s) for k, s in scenarios.items()}
        values = {"analytic_power": analytic[1.0], "analytic_power_by_shape": analytic,
                  "expected_deaths_by_shape": deaths}
        lo, hi = min(analytic.values()), max(analytic.values())
        if by_medians:
            what = f"if the medians {r.median_control:g} and {r.median_treatment:g} are right"
            topic = "power if the medians are right"
            hrs = ", ".join(f"{s.hr:.2f}" for s in scenarios.values())
            extra = f" (the HR the medians imply is {hrs} for shapes {', '.join(f'{k:g}' for k in shapes)})"
        else:
            what = f"if HR {value:g} is right"
            topic = f"power if HR {value:g} is right"
            extra = ""
        sentence = (f"{what[0].upper()}{what[1:]}, the design has {_pct(lo)} to {_pct(hi)} power over "
                    f"Weibull shapes {shapes[0]:g} to {shapes[-1]:g}{extra}; {_pct(analytic[1.0])} with "
                    "constant hazards.")
        detail = (f"Schoenfeld power with the deaths expected in the assumed design: about "
                  f"{deaths[1.0]:.0f} with constant hazards ({min(deaths.values()):.0f} to "
                  f"{max(deaths.values()):.0f} over the shapes).")
        if r.simulate:
            from .montecarlo import power

            sims = {k: power(s, n_sims=r.n_sims, alpha=r.alpha, seed=r.seed, progress=False)
                    for k, s in scenarios.items()}
            values["simulated_power"] = sims[1.0].power
            values["simulated_power_by_shape"] = {k: res.power for k, res in sims.items()}
            detail += (f" {r.n_sims:,} simulated trials per shape: "
                       + ", ".join(f"{_pct(res.power)} at shape {k:g}" for k, res in sims.items())
                       + f" (Monte Carlo SE up to {max(res.se for res in sims.values()):.1%}).")
        out.append(Check(topic, INFO, sentence, values, detail))
    return out


def check_missing(r: Report) -> list[Check]:
    """What the report does not give, and what that leaves open."""
    missing = [name for name in ("hr_ci", "p_value", "deaths") if getattr(r, name) is None]
    if not missing:
        return []
    words = {"hr_ci": "confidence interval", "p_value": "p-value", "deaths": "number of deaths"}
    listed = ", no ".join(words[m] for m in missing)
    if r.hr_ci is None and r.p_value is None:
        why = "a reader cannot judge whether the difference could be chance, nor how precise it is"
    elif r.hr_ci is None:
        why = "a reader cannot judge how precise the hazard ratio is"
    elif r.p_value is None:
        why = "the CI still shows the precision and whether the difference could be chance"
    else:
        why = "the checks above used the deaths implied by the CI instead"
    return [Check("not reported", UNCHECKED, f"The report gives no {listed}: {why}.")]


CHECKS = (
    check_medians_vs_hr,
    check_one_median_and_hr,
    check_deaths_needed,
    check_p_vs_hr_and_deaths,
    check_confidence_interval,
    check_power,
    check_missing,
)
"""The check functions :func:`check_claims` runs, in order; each takes a :class:`Report`."""


# ----- input ---------------------------------------------------------------------------------
def _check_ci(hr_ci, hr):
    try:
        lower, upper = (float(v) for v in hr_ci)
    except (TypeError, ValueError):
        raise ValueError(f"hr_ci must be two numbers (lower, upper); got {hr_ci!r}") from None
    if not (0 < lower < upper < math.inf):
        raise ValueError(f"hr_ci must satisfy 0 < lower < upper; got {hr_ci!r}")
    if hr is not None and not lower <= hr <= upper:
        raise ValueError(f"hr_ci {hr_ci!r} excludes its own hazard ratio hr={hr!r}")
    return lower, upper


def check_claims(
    *,
    n: int | None = None,
    median_control: float | None = None,
    median_treatment: float | None = None,
    hr: float | None = None,
    hr_ci: tuple[float, float] | None = None,
    p_value: float | str | None = None,
    deaths: int | None = None,
    allocation: float = 0.5,
    accrual: float = 24.0,
    follow_up: float = 24.0,
    dropout: float = 0.0,
    alpha: float = 0.05,
    simulate: bool = True,
    n_sims: int = 1000,
    seed: int | None = 2024,
) -> ClaimReport:
    """Check which reported numbers of a two-arm survival trial are consistent with each other.

    Each number is taken as printed: a hazard ratio of 0.62 may be anything that rounds to it,
    and the checks allow for that. Verdicts: *consistent*, *inconsistent* (whatever is assumed),
    *depends on an assumption* (the assumption is named), *information*, *cannot check*.

    Parameters
    ----------
    n : int, optional
        Patients randomised.
    median_control, median_treatment : float, optional
        Reported median survival per arm, months.
    hr : float, optional
        Reported hazard ratio, treatment vs control (a "38% lower hazard" is hr = 0.62).
    hr_ci : (float, float), optional
        Its confidence interval (95% unless ``alpha`` says otherwise).
    p_value : float or str, optional
        Reported two-sided p-value, as a number or as printed: ``"0.03"``, ``"<0.001"``,
        ``"p = 0.03"``. A bound ("<") is read as a bound.
    deaths : int, optional
        Reported number of deaths.
    allocation, accrual, follow_up, dropout : float
        Design assumptions used where the report is silent (1:1, 24 + 24 months, no dropout).
    alpha : float
        Two-sided significance level.
    simulate : bool
        Also estimate the design's power by simulating ``n_sims`` trials (seeded) per shape.

    Returns
    -------
    ClaimReport
        ``print()`` it; ``.find(topic)``, ``.problems``, ``.depends``, ``.unchecked``.

    Examples
    --------
    >>> report = check_claims(n=321, median_control=17.3, median_treatment=23.9, hr=0.62,
    ...                       simulate=False)
    >>> report.find("hazard ratio vs medians").verdict
    'inconsistent'
    >>> round(report.find("hazard ratio vs medians").values["reconciling_shape"], 2)
    1.48
    """
    reported = {}
    if n is not None:
        n = reported["n"] = check_whole("n", n, 2)
    for name, value in (("median_control", median_control), ("median_treatment", median_treatment)):
        if value is not None:
            reported[name] = check_number(name, value, "> 0 and finite (months)", lambda v: v > 0)
    median_control, median_treatment = reported.get("median_control"), reported.get("median_treatment")
    if hr is not None:
        hr = reported["hr"] = check_number("hr", hr, "> 0 and finite", lambda v: v > 0)
    if hr_ci is not None:
        hr_ci = reported["hr_ci"] = _check_ci(hr_ci, hr)
    p_relation, p_text = "=", ""
    if p_value is not None:
        p_value, p_relation, p_text = parse_p_value(p_value)
        reported["p_value"] = p_value if p_relation == "=" else f"{p_relation} {p_text}"  # a bound
    if deaths is not None:
        deaths = reported["deaths"] = check_whole("deaths", deaths, 1)
        if n is not None and deaths > n:
            raise ValueError(f"deaths={deaths} cannot exceed n={n} patients")
    allocation = check_fraction("allocation", allocation)
    alpha = check_fraction("alpha", alpha)
    n_sims = check_whole("n_sims", n_sims, 1)
    seed = check_seed(seed)
    # The design assumptions are checked as a Scenario would check them, even when unused.
    probe = Scenario(n=2, accrual=accrual, follow_up=follow_up, dropout=dropout)
    if not reported:
        raise ValueError("check_claims needs at least one reported number (n, medians, hr, hr_ci, p_value, deaths)")
    report = Report(
        n=n, median_control=median_control, median_treatment=median_treatment, hr=hr, hr_ci=hr_ci,
        p_value=p_value, p_relation=p_relation, p_text=p_text, deaths=deaths, allocation=allocation,
        accrual=probe.accrual, follow_up=probe.follow_up, dropout=probe.dropout, alpha=alpha,
        simulate=bool(simulate), n_sims=n_sims, seed=seed,
    )
    checks = [c for run in CHECKS for c in run(report)]
    split = "1:1 allocation" if allocation == 0.5 else f"{allocation:.0%} of patients on treatment"
    assumed = f"{split}, {report.assumed_design}, two-sided alpha {alpha:g}"
    return ClaimReport(reported=reported, checks=checks, assumed=assumed)


__all__ = [
    "CHECKS", "CONSISTENT", "DEPENDS", "INCONSISTENT", "INFO", "PLAUSIBLE_SHAPES", "UNCHECKED",
    "Check", "ClaimReport", "Report", "check_claims", "check_confidence_interval",
    "check_deaths_needed", "check_medians_vs_hr", "check_missing", "check_one_median_and_hr",
    "check_p_vs_hr_and_deaths", "check_power", "parse_p_value",
]
