"""Helpers of lesson 08 (the capstone: real data), and of its exercises, only."""

from __future__ import annotations

import pandas as pd

from ..analyze import Analysis, analyze


def load_lung() -> pd.DataFrame:
    """lifelines' copy of the NCCTG advanced lung cancer data (real patients, times in days).

    228 patients from the North Central Cancer Treatment Group (Loprinzi et al., Journal of
    Clinical Oncology 1994), as shipped with R's ``survival`` package and lifelines. Columns
    used here: ``time`` (days from enrolment to death or censoring), ``status`` (1 died,
    0 censored; lifelines has recoded R's 2/1) and ``sex`` (1 male, 2 female). Read from the
    copy bundled with lifelines: no network needed.
    """
    from lifelines.datasets import load_lung as _load

    return _load()


def lung_by_sex() -> Analysis:
    """The lung data analysed by sex: men are the reference arm, times in days."""
    return analyze(
        load_lung(), duration="time", event="status", group="sex", control=1,
        labels={1: "men", 2: "women"}, unit="days", time_label="days since enrolment",
    )
