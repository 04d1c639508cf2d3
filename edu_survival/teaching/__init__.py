"""Small helpers the lessons call, so that no statistics are written in a notebook.

Everything here is a thin layer over the statistics core: the story's reported figures and what
follows from them (as sentences whose numbers are computed, never typed), a tiny invented data
set for computing a Kaplan–Meier curve by hand, the naive summaries that censoring breaks, and a
trial whose curves cross. Times are in months unless a data set says otherwise.

Helpers shared by several lessons (and by the exercises) live in ``common.py``; a helper that
serves one lesson only lives in that lesson's module (``lesson00.py``, ``lesson01.py`` and so on), so
a teacher changing lesson 05 opens one short file. Every name stays reachable as
``es.teaching.<name>``.

Data made here are *simulated* (or, for :func:`tiny_trial`, invented); never patient data.
Every table returned here carries a caption (``attrs["caption"]``, shown in its HTML) that says
what it is and, where the data are simulated, that they are not patient data
(:func:`edu_survival.tables.with_caption`).
"""

from ..design import expected_logrank_z
from ..tables import SIMULATED as SIMULATED
from .common import (
    LABELS,
    STORY,
    FormulaVsSimulation,
    StoryReport,
    formula_vs_simulation,
    km_median,
    life_table,
    load_lung,
    lung_by_sex,
    naive_medians,
    simulated_trial,
    tiny_trial,
)
from .lesson00 import (
    story_summary,
    survival_sentence,
)
from .lesson01 import (
    HEAVY_CENSORING,
    HEAVY_CENSORING_SEED,
    follow_up_table,
    naive_summaries,
    show_patients,
    true_mean,
    typical_seed,
)
from .lesson02 import (
    km_at,
    km_comparison_sentence,
    naive_share_alive,
)
from .lesson03 import (
    medians_over_trials,
)
from .lesson04 import (
    absolute_sentence,
    crude_rates,
    deaths_per_100,
    hazard_from_median,
    hazards_sentence,
    hr_by_shape,
    median_puzzle,
    rate_ratio,
    rate_ratio_sentence,
    trial_gap,
    trial_gap_sentence,
)
from .lesson05 import (
    SIGNIFICANCE_SEED,
    logrank_sentence,
    observed_expected,
    p_from_z,
    significance_trials,
    significance_vs_size,
)
from .lesson06 import (
    POWER_COLUMNS,
    patients_needed_sentence,
    planning_summary,
    power_table,
)
from .lesson07 import (
    GapByChance,
    crossing_scenario,
    crossing_trial,
    fh_weights,
    loglog_gap_by_chance,
    median_difference,
    rmst_sentence,
    simulate_crossing,
    survival_at,
    true_rmst,
)
from .lesson09 import (
    hidden_scenario,
    hidden_trial,
    lesson_digitised,
    lesson_rebuilt,
    published_figure,
    story_check,
    story_hazard_ratios,
    story_versions,
    write_lesson_data,
)
from .lesson10 import (
    DROPOUT_SCENARIO,
    RESPONDER_SEED,
    RESPONDER_VISIT,
    competing_gap_table,
    competing_trial,
    detect_iii,
    dropout_looks_alike,
    km_bias_table,
    responder_bias,
    responder_trial,
)
from .lesson11 import (
    crossover_table,
    designs,
    effect_looks,
    egf100151,
    false_alarms,
    null_looks,
    stopping,
    surrogate_table,
)

__all__ = [
    "DROPOUT_SCENARIO",
    "RESPONDER_SEED",
    "RESPONDER_VISIT",
    "competing_gap_table",
    "competing_trial",
    "crossover_table",
    "designs",
    "detect_iii",
    "dropout_looks_alike",
    "effect_looks",
    "egf100151",
    "false_alarms",
    "km_bias_table",
    "null_looks",
    "responder_bias",
    "responder_trial",
    "stopping",
    "surrogate_table",
    "HEAVY_CENSORING",
    "HEAVY_CENSORING_SEED",
    "LABELS",
    "FormulaVsSimulation",
    "GapByChance",
    "formula_vs_simulation",
    "POWER_COLUMNS",
    "SIGNIFICANCE_SEED",
    "SIMULATED",
    "STORY",
    "StoryReport",
    "absolute_sentence",
    "crossing_scenario",
    "crossing_trial",
    "crude_rates",
    "deaths_per_100",
    "expected_logrank_z",
    "fh_weights",
    "follow_up_table",
    "hazard_from_median",
    "hazards_sentence",
    "hidden_scenario",
    "hidden_trial",
    "hr_by_shape",
    "km_at",
    "km_comparison_sentence",
    "km_median",
    "lesson_digitised",
    "lesson_rebuilt",
    "life_table",
    "load_lung",
    "loglog_gap_by_chance",
    "logrank_sentence",
    "lung_by_sex",
    "median_difference",
    "median_puzzle",
    "medians_over_trials",
    "naive_medians",
    "naive_share_alive",
    "naive_summaries",
    "observed_expected",
    "p_from_z",
    "patients_needed_sentence",
    "planning_summary",
    "power_table",
    "published_figure",
    "rate_ratio",
    "rate_ratio_sentence",
    "rmst_sentence",
    "show_patients",
    "significance_trials",
    "significance_vs_size",
    "simulate_crossing",
    "simulated_trial",
    "story_check",
    "story_hazard_ratios",
    "story_summary",
    "story_versions",
    "survival_at",
    "survival_sentence",
    "tiny_trial",
    "trial_gap",
    "trial_gap_sentence",
    "true_mean",
    "true_rmst",
    "typical_seed",
    "write_lesson_data",
]
