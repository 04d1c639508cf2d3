"""check_claims on real published reports: none may be called inconsistent ([!!]).

Each row holds the figures of the report's abstract, as printed (strings keep their digits),
with its citation. Arms: control = the comparator, treatment = the experimental arm. The
medians-vs-HR verdict is pinned where the truth is known: IPASS's progression-free survival
curves cross, so its figures fit only if the hazards are not proportional ([><]).
"""

import math

import pytest

from edu_survival.claims import NOT_PROPORTIONAL, check_claims

PUBLISHED = {
    # Mok et al., Gefitinib or carboplatin-paclitaxel in pulmonary adenocarcinoma (IPASS), N Engl J Med 2009;361:947-57
    "IPASS, PFS": dict(n=1217, median_control="5.8", median_treatment="5.7", hr="0.74", hr_ci="0.65 to 0.85",
                       p_value="P<0.001", endpoint="PFS"),
    # Fukuoka et al., IPASS overall survival, J Clin Oncol 2011;29:2866-74
    "IPASS, OS": dict(n=1217, median_control="17.4", median_treatment="18.8", hr="0.90", hr_ci="0.79 to 1.02",
                      p_value="P = .109"),
    # Geyer et al., Lapatinib plus capecitabine for HER2-positive advanced breast cancer (EGF100151),
    # N Engl J Med 2006;355:2733-43 (interim analysis; medians in weeks, as in FACTS.md)
    "EGF100151, TTP": dict(n=324, median_control="19.7", median_treatment="36.9", hr="0.49", hr_ci="0.34 to 0.71",
                           p_value="P<0.001", endpoint="TTP"),
    # Cameron et al., EGF100151 updated analysis, Breast Cancer Res Treat 2008;112:533-43
    "EGF100151, OS 2008": dict(n=399, hr="0.78", hr_ci="0.55 to 1.12", p_value="P = 0.177"),
    # Cameron et al., EGF100151 final overall survival, The Oncologist 2010;15:924-34 (medians in weeks)
    "EGF100151, OS 2010": dict(n=399, median_control="64.7", median_treatment="75.0", hr="0.87",
                               hr_ci="0.71 to 1.08", p_value="P = .210"),
    # Freireich et al., 6-mercaptopurine in acute leukemia, Blood 1963;21:699-716 (remission, weeks;
    # the HR and CI of a Cox fit to the published remission times, recomputed below)
    "Freireich 1963": dict(n=42, median_control=8, median_treatment=23, hr="0.21", hr_ci="0.09 to 0.47",
                           p_value="p < 0.001", deaths=30),
    # Baselga et al., Pertuzumab plus trastuzumab plus docetaxel (CLEOPATRA), N Engl J Med 2012;366:109-19
    "CLEOPATRA, PFS": dict(n=808, median_control="12.4", median_treatment="18.5", hr="0.62", hr_ci="0.51 to 0.75",
                           p_value="P<0.001", endpoint="PFS"),
    # Swain et al., CLEOPATRA final overall survival, N Engl J Med 2015;372:724-34
    "CLEOPATRA, OS": dict(n=808, median_control="40.8", median_treatment="56.5", hr="0.68", hr_ci="0.56 to 0.84",
                          p_value="P<0.001"),
    # Verma et al., Trastuzumab emtansine for HER2-positive advanced breast cancer (EMILIA), N Engl J Med 2012;367:1783-91
    "EMILIA, PFS": dict(n=991, median_control="6.4", median_treatment="9.6", hr="0.65", hr_ci="0.55 to 0.77",
                        p_value="P<0.001", endpoint="PFS"),
    "EMILIA, OS": dict(n=991, median_control="25.1", median_treatment="30.9", hr="0.68", hr_ci="0.55 to 0.85",
                       p_value="P<0.001"),
    # Borghaei et al., Nivolumab versus docetaxel in nonsquamous NSCLC (CheckMate 057), N Engl J Med 2015;373:1627-39
    "CheckMate 057": dict(n=582, median_control="9.4", median_treatment="12.2", hr="0.73", hr_ci="96% CI 0.59 to 0.89",
                          p_value="P = 0.002"),
    # Brahmer et al., Nivolumab versus docetaxel in squamous NSCLC (CheckMate 017), N Engl J Med 2015;373:123-35
    "CheckMate 017": dict(n=272, median_control="6.0", median_treatment="9.2", hr="0.59", hr_ci="0.44 to 0.79",
                          p_value="P<0.001"),
    # Reck et al., Pembrolizumab versus chemotherapy for PD-L1-positive NSCLC (KEYNOTE-024), N Engl J Med 2016;375:1823-33
    "KEYNOTE-024": dict(n=305, median_control="6.0", median_treatment="10.3", hr="0.50", hr_ci="0.37 to 0.68",
                        p_value="P<0.001", endpoint="PFS"),
    # Soria et al., Osimertinib in untreated EGFR-mutated advanced NSCLC (FLAURA), N Engl J Med 2018;378:113-25
    "FLAURA": dict(n=556, median_control="10.2", median_treatment="18.9", hr="0.46", hr_ci="0.37 to 0.57",
                   p_value="P<0.001", endpoint="PFS"),
    # Hurwitz et al., Bevacizumab plus irinotecan, fluorouracil and leucovorin (AVF2107g), N Engl J Med 2004;350:2335-42
    "AVF2107g": dict(n=813, median_control="15.6", median_treatment="20.3", hr="0.66", p_value="P<0.001"),
    # Llovet et al., Sorafenib in advanced hepatocellular carcinoma (SHARP), N Engl J Med 2008;359:378-90
    "SHARP": dict(n=602, median_control="7.9", median_treatment="10.7", hr="0.69", hr_ci="0.55 to 0.87",
                  p_value="P<0.001"),
    # Mayer et al., TAS-102 for refractory metastatic colorectal cancer (RECOURSE), N Engl J Med 2015;372:1909-19 (2:1)
    "RECOURSE": dict(n=800, allocation="2:1", median_control="5.3", median_treatment="7.1", hr="0.68",
                     hr_ci="0.58 to 0.81", p_value="P<0.001"),
    # Grothey et al., Regorafenib for previously treated metastatic colorectal cancer (CORRECT),
    # Lancet 2013;381:303-12 (2:1; printed with middle dots and a one-sided p)
    "CORRECT": dict(n=760, allocation="2:1", median_control="5·0", median_treatment="6·4", hr="0·77",
                    hr_ci="0·64–0·94", p_value="one-sided p=0·0052"),
    # Sparano et al., Adjuvant chemotherapy guided by a 21-gene expression assay (TAILORx),
    # N Engl J Med 2018;379:111-21 (invasive disease-free survival, endocrine vs chemoendocrine)
    "TAILORx": dict(n=6711, hr="1.08", hr_ci="0.94 to 1.24", p_value="P=0.26", endpoint="DFS"),
}


def test_the_table_covers_small_and_large_trials_and_hrs_near_and_far_from_one():
    assert len(PUBLISHED) >= 15
    sizes = sorted(r["n"] for r in PUBLISHED.values())
    hrs = sorted(float(str(r["hr"]).replace("·", ".")) for r in PUBLISHED.values())
    assert sizes[0] < 100 and sizes[-1] > 5000 and hrs[0] < 0.3 and hrs[-1] > 1


@pytest.mark.parametrize("trial", PUBLISHED)
def test_no_published_report_is_called_inconsistent(trial):
    report = check_claims(simulate=False, **PUBLISHED[trial])
    assert not report.inconsistent, [c.text for c in report.inconsistent]
    medians = [c for c in report.checks if c.topic == "hazard ratio vs medians"]
    if trial == "IPASS, PFS":
        assert medians[0].verdict == NOT_PROPORTIONAL  # its curves cross: right
    elif medians:
        assert medians[0].verdict != NOT_PROPORTIONAL, medians[0].text


def test_ipass_with_the_chance_share_simulated():
    check = check_claims(**PUBLISHED["IPASS, PFS"]).find("hazard ratio vs medians")
    assert check.verdict == NOT_PROPORTIONAL and check.values["chance_share"] == 0
    assert "none of them" in check.detail
    assert "no proportional-hazards Weibull model fits both" in check.sentence


def test_freireich_figures_are_those_of_a_cox_fit_to_the_remission_times():
    import warnings

    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.datasets import load_leukemia

    data = load_leukemia()  # Rx = 1 placebo, 0 6-MP (Freireich's 42 patients, remission in weeks)
    data["treated"] = 1 - data["Rx"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = CoxPHFitter().fit(data[["t", "status", "treated"]], "t", "status")
    hr = fit.hazard_ratios_["treated"]
    lo, hi = fit.confidence_intervals_.loc["treated"].map(lambda x: round(math.exp(x), 2))
    assert (f"{hr:.2f}", lo, hi) == ("0.21", 0.09, 0.47)
    assert int(data.status.sum()) == 30 and len(data) == 42
    medians = {rx: KaplanMeierFitter().fit(g.t, g.status).median_survival_time_ for rx, g in data.groupby("Rx")}
    assert medians == {0: 23, 1: 8}
