"""R's conventions one argument away: the Kaplan–Meier band's transform (``conf_type``).

Reference numbers are R's printed output from the survival package's own test outputs
(github.com/therneau/survival): ``tests/doaml.Rout.save`` (the ``aml`` data: ``survfit``'s median
table and ``summary(fit)``) and ``tests/ovarian.Rout.save`` (the ``ovarian`` data:
``summary(survfit(Surv(futime, fustat) ~ 1))`` and ``coxph(Surv(futime, fustat) ~ rx)``). R prints
only its default transform (``conf.type = "log"``); the "plain" and "log-log" bands are R's
formulas in ``R/survfit.R`` (``survfit_confint``), applied here to R's printed numbers at risk
and deaths, whose survival and standard errors are first checked against R's printed columns.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import edu_survival as es
from edu_survival.analyze import kaplan_meier, median_of

# aml (Miller 1981), as printed by summary(survfit(Surv(time, status) ~ x)) in doaml.Rout.save:
# 11 maintained (7 deaths), 12 not maintained (11 deaths).
AML = pd.DataFrame({
    "time": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    "arm": ["Maintained"] * 11 + ["Nonmaintained"] * 12,
}).astype({"time": float})

# doaml.Rout.save, summary(fit): time, n.risk, n.event, survival, std.err, lower 95% CI, upper 95% CI
AML_R_SUMMARY = {
    "Maintained": [
        (9, 11, 1, 0.909, 0.0867, 0.7541, 1.000), (13, 10, 1, 0.818, 0.1163, 0.6192, 1.000),
        (18, 8, 1, 0.716, 0.1397, 0.4884, 1.000), (23, 7, 1, 0.614, 0.1526, 0.3769, 0.999),
        (31, 5, 1, 0.491, 0.1642, 0.2549, 0.946), (34, 4, 1, 0.368, 0.1627, 0.1549, 0.875),
        (48, 2, 1, 0.184, 0.1535, 0.0359, 0.944),
    ],
    "Nonmaintained": [
        (5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000), (8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995),
        (12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941), (23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883),
        (27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816), (30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741),
        (33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664), (43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620),
        (45, 1, 1, 0.0000, math.nan, math.nan, math.nan),
    ],
}
# doaml.Rout.save, print(survfit(...)): median 0.95LCL 0.95UCL (NA = not reached)
AML_R_MEDIANS = {"Maintained": (31, 18, math.inf), "Nonmaintained": (23, 8, math.inf)}

# ovarian (Edmunson et al. 1979): futime, fustat, rx. Checked below against R's printed Cox fit.
OVARIAN = pd.DataFrame({
    "time": [59, 115, 156, 421, 431, 448, 464, 475, 477, 563, 638, 744, 769, 770, 803, 855, 1040,
             1106, 1129, 1206, 1227, 268, 329, 353, 365, 377],
    "event": [1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0],
    "arm": [1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2],
}).astype({"time": float})
# ovarian.Rout.save, summary(survfit(Surv(futime, fustat) ~ 1), censor=TRUE): every time, with
# time n.risk n.event survival std.err lower 95% CI upper 95% CI
OVARIAN_R_SUMMARY = [
    (59, 26, 1, 0.962, 0.0377, 0.890, 1.000), (115, 25, 1, 0.923, 0.0523, 0.826, 1.000),
    (156, 24, 1, 0.885, 0.0627, 0.770, 1.000), (268, 23, 1, 0.846, 0.0708, 0.718, 0.997),
    (329, 22, 1, 0.808, 0.0773, 0.670, 0.974), (353, 21, 1, 0.769, 0.0826, 0.623, 0.949),
    (365, 20, 1, 0.731, 0.0870, 0.579, 0.923), (377, 19, 0, 0.731, 0.0870, 0.579, 0.923),
    (421, 18, 0, 0.731, 0.0870, 0.579, 0.923), (431, 17, 1, 0.688, 0.0919, 0.529, 0.894),
    (448, 16, 0, 0.688, 0.0919, 0.529, 0.894), (464, 15, 1, 0.642, 0.0965, 0.478, 0.862),
    (475, 14, 1, 0.596, 0.0999, 0.429, 0.828), (477, 13, 0, 0.596, 0.0999, 0.429, 0.828),
    (563, 12, 1, 0.546, 0.1032, 0.377, 0.791), (638, 11, 1, 0.497, 0.1051, 0.328, 0.752),
    *[(t, r, 0, 0.497, 0.1051, 0.328, 0.752)
      for t, r in ((744, 10), (769, 9), (770, 8), (803, 7), (855, 6), (1040, 5), (1106, 4), (1129, 3),
                   (1206, 2), (1227, 1))],
]


def _half_unit(printed: float) -> float:
    """Half a unit in the last digit R printed (0.0867 -> 5e-5, 0.909 -> 5e-4)."""
    text = f"{printed}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** -max(decimals, 3) + 1e-12


def _r_band(surv: np.ndarray, se_log: np.ndarray, conf_type: str, z: float = stats.norm.ppf(0.975)):
    """R's survfit_confint (R/survfit.R) for a Kaplan–Meier curve (logse = TRUE), NA as NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            lower, upper = np.maximum(surv - se_log * surv * z, 0), np.minimum(surv + se_log * surv * z, 1)
        elif conf_type == "log":
            lower, upper = surv * np.exp(-z * se_log), np.minimum(surv * np.exp(z * se_log), 1)
        else:
            se2 = z * se_log / np.log(surv)
            lower = np.exp(-np.exp(np.log(-np.log(surv)) - se2))
            upper = np.exp(-np.exp(np.log(-np.log(surv)) + se2))
    lower, upper = np.where(se_log == 0, surv, lower), np.where(se_log == 0, surv, upper)
    gone = surv == 0
    return np.where(gone, np.nan, lower), np.where(gone, np.nan, upper)


def _from_r_counts(rows):
    """Survival and SE of log S from R's printed n.risk and n.event (Greenwood), checked
    against R's printed survival and std.err columns."""
    n = np.array([r[1] for r in rows], dtype=float)
    d = np.array([r[2] for r in rows], dtype=float)
    surv = np.cumprod(1 - d / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_log = np.sqrt(np.cumsum(d / (n * (n - d))))
    for (_, _, _, s, se, _, _), mine_s, mine_se in zip(rows, surv, se_log * surv, strict=True):
        assert mine_s == pytest.approx(s, abs=_half_unit(s))
        if math.isfinite(se):
            assert mine_se == pytest.approx(se, abs=_half_unit(se))
    return surv, se_log


@pytest.mark.parametrize("arm", ["Maintained", "Nonmaintained"])
def test_log_band_is_r_default_on_aml(arm):
    rows = AML_R_SUMMARY[arm]
    part = AML[AML.arm == arm]
    curve = kaplan_meier(part.time, part.event, conf_type="log")
    at = np.searchsorted(curve.time, [r[0] for r in rows])
    for (t, n, d, s, _, lo, hi), i in zip(rows, at, strict=True):
        assert (curve.time[i], curve.at_risk[i], curve.events[i]) == (t, n, d)
        assert curve.survival[i] == pytest.approx(s, abs=_half_unit(s))
        if math.isnan(lo):  # R prints NA where the curve reaches 0
            assert math.isnan(curve.lower[i]) and math.isnan(curve.upper[i])
        else:
            assert curve.lower[i] == pytest.approx(lo, abs=_half_unit(lo))
            assert curve.upper[i] == pytest.approx(hi, abs=_half_unit(hi))


def test_log_band_is_r_default_on_ovarian():
    curve = kaplan_meier(OVARIAN.time, OVARIAN.event, conf_type="log")
    for t, n, d, s, _, lo, hi in OVARIAN_R_SUMMARY:
        i = int(np.searchsorted(curve.time, t))
        assert (curve.time[i], curve.at_risk[i], curve.events[i]) == (t, n, d)
        assert curve.survival[i] == pytest.approx(s, abs=_half_unit(s))
        assert curve.lower[i] == pytest.approx(lo, abs=_half_unit(lo))
        assert curve.upper[i] == pytest.approx(hi, abs=_half_unit(hi))


@pytest.mark.parametrize("conf_type", ["log-log", "log", "plain"])
@pytest.mark.parametrize("case", ["aml Maintained", "aml Nonmaintained", "ovarian"])
def test_every_band_follows_r_formulas(case, conf_type):
    if case == "ovarian":
        rows, time, event = OVARIAN_R_SUMMARY, OVARIAN.time, OVARIAN.event
        rows = [r for r in rows if r[2] > 0]
    else:
        arm = case.split()[1]
        rows, part = AML_R_SUMMARY[arm], AML[AML.arm == case.split()[1]]
        time, event = part.time, part.event
    surv, se_log = _from_r_counts(rows)
    lower, upper = _r_band(surv, se_log, conf_type)
    curve = kaplan_meier(time, event, conf_type=conf_type)
    at = np.searchsorted(curve.time, [r[0] for r in rows])
    assert curve.conf_type == conf_type
    if conf_type == "log-log":  # lifelines' convention where the curve reaches 0 (R: NA): 0
        lower, upper = np.where(surv == 0, 0.0, lower), np.where(surv == 0, 0.0, upper)
    np.testing.assert_allclose(curve.lower[at], lower, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(curve.upper[at], upper, rtol=1e-12, atol=1e-14)
    # The median's CI is read off the band as R does: the first time each limit is <= 0.5.
    m = median_of(curve)
    first = [next((float(r[0]) for r, v in zip(rows, b, strict=True) if v <= 0.5), math.inf)
             for b in (surv, lower, upper)]
    assert tuple(m) == pytest.approx(tuple(first))


@pytest.mark.parametrize("engine", ["lifelines", "numpy"])
def test_aml_medians_match_r_print_with_conf_type_log(engine):
    a = es.analyze(AML, control="Maintained", conf_type="log", engine=engine)
    for arm, expected in AML_R_MEDIANS.items():
        assert tuple(a.median[arm]) == expected
    assert "log transform, R's survfit default" in a.summary()
    # lifelines' default (log-log) gives the lower limits the issue found: 13 and 5.
    default = es.analyze(AML, control="Maintained", engine=engine)
    assert (default.median["Maintained"].lower, default.median["Nonmaintained"].lower) == (13, 5)
    assert "log-log transform, lifelines' default" in default.summary()


@pytest.mark.parametrize("conf_type", ["log-log", "log", "plain"])
def test_ovarian_by_treatment_with_each_conf_type(conf_type):
    """coxph(Surv(futime, fustat) ~ rx) in ovarian.Rout.save: coef -0.5964, se(coef) 0.5870,
    p 0.31 (which also checks the data); the medians' CIs follow R's band formulas."""
    both = {e: es.analyze(OVARIAN, control=1, conf_type=conf_type, engine=e) for e in ("lifelines", "numpy")}
    a = both["lifelines"]
    assert math.log(a.hr) == pytest.approx(-0.5964, abs=5e-5)
    assert a.hr_se == pytest.approx(0.5870, abs=5e-5)
    assert a.hr_p == pytest.approx(0.31, abs=5e-3)
    for arm in (1, 2):
        part = OVARIAN[OVARIAN.arm == arm]
        curve = kaplan_meier(part.time, part.event, conf_type=conf_type)
        died = curve.events > 0
        n, d = curve.at_risk[died].astype(float), curve.events[died].astype(float)
        surv = np.cumprod(1 - d / n)
        with np.errstate(divide="ignore", invalid="ignore"):
            lower, upper = _r_band(surv, np.sqrt(np.cumsum(d / (n * (n - d)))), conf_type)
        times = curve.time[died]
        expected = tuple(float(times[np.flatnonzero(v <= 0.5)[0]]) if (v <= 0.5).any() else math.inf
                         for v in (surv, lower, upper))
        assert tuple(a.median[arm]) == pytest.approx(expected)
        assert both["numpy"].median[arm] == a.median[arm]
    assert a.conf_type == conf_type


def test_conf_type_is_checked():
    with pytest.raises(ValueError, match="conf_type must be one of"):
        es.analyze(AML, conf_type="log_log")
    with pytest.raises(ValueError, match="conf_type must be one of"):
        kaplan_meier([1.0, 2.0], [1, 0], conf_type="arcsin")
