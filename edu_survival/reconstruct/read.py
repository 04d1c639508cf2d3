"""Reading what a person took from a published figure: the clicked points and the at-risk table.

:func:`read_digitised` reads one curve's points as WebPlotDigitizer exports them (times in any
unit, survival as a proportion or a percentage) and cleans them as the method needs;
:func:`read_at_risk` reads the numbers at risk laid out as printed under the figure.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

TIME_UNITS = {"months": 1.0, "days": 12 / 365.25, "weeks": 12 * 7 / 365.25, "years": 12.0}


SURVIVAL_SCALES = ("auto", "proportion", "percent")


def _check_left_of_axis(time: np.ndarray, what: str) -> None:
    span = float(time.max() - min(time.min(), 0.0))
    if time.min() < -0.02 * span:
        raise ValueError(
            f"{what}: times must be >= 0 (a click up to 2% of the axis left of 0 counts as 0); "
            f"the smallest is {float(time.min())!r}: is the time axis calibrated?"
        )


def _clean(time: np.ndarray, survival: np.ndarray) -> pd.DataFrame:
    """The cleaning the method needs: sorted, non-increasing, within [0, 1], starting at (0, 1)."""
    order = np.lexsort((-survival, time))  # by time; at one time, the upper corner first
    time, survival = time[order], np.clip(survival[order], 0.0, 1.0)
    survival = np.minimum.accumulate(survival)  # a click above the previous one is hand jitter
    keep = time > 0
    return pd.DataFrame({"time": np.r_[0.0, time[keep]], "survival": np.r_[1.0, survival[keep]]})


def read_digitised(source, time_unit: str = "months", survival_scale: str = "auto") -> pd.DataFrame:
    """Read one curve's points as exported by WebPlotDigitizer, and clean them.

    Parameters
    ----------
    source : path or file-like
        A CSV file with two columns, time and survival, one clicked point per line, with or
        without a header line (WebPlotDigitizer writes none).
    time_unit : {"months", "days", "weeks", "years"}
        The unit of the figure's time axis; times are converted to months, this package's unit.
    survival_scale : {"auto", "proportion", "percent"}
        How the survival axis is labelled. "auto" takes percent when any value is above 1.5
        (a proportion clicked slightly above 1 is still a proportion).

    Returns
    -------
    pandas.DataFrame
        Columns ``time`` (months) and ``survival`` (proportion), cleaned as the method needs:
        sorted by time, survival made non-increasing (a point above an earlier one is lowered
        to it), clipped to [0, 1], a point at (0, 1) first, and points at or before time 0
        dropped (a click just left of the axis is time 0). ``attrs`` records the units used.

    Raises
    ------
    ValueError
        For a file that cannot be read as a two-column CSV, a cell that is not a number, fewer
        than two points, or a time far below 0 (the axis was calibrated wrongly).

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO("0.1,99.5\\n12,80\\n5,92\\n18,81\\n")
    >>> read_digitised(csv).round(3).values.tolist()
    [[0.0, 1.0], [0.1, 0.995], [5.0, 0.92], [12.0, 0.8], [18.0, 0.8]]
    """
    if time_unit not in TIME_UNITS:
        raise ValueError(f"time_unit must be one of {list(TIME_UNITS)}; got {time_unit!r}")
    if survival_scale not in SURVIVAL_SCALES:
        raise ValueError(f"survival_scale must be one of {list(SURVIVAL_SCALES)}; got {survival_scale!r}")
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", "source")
    time, survival = _read_points(source, name)
    _check_left_of_axis(time, f"source {name!r}")
    scale = survival_scale
    if scale == "auto":
        scale = "percent" if survival.max() > 1.5 else "proportion"
    if scale == "percent":
        survival = survival / 100.0
    curve = _clean(time * TIME_UNITS[time_unit], survival)
    curve.attrs.update(time_unit=time_unit, survival_scale=scale, source=str(name))
    return curve


def _read_points(source, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The two columns of a digitised file (time, survival) as arrays of finite numbers, with
    or without a header line; ValueError saying what is wrong with the file otherwise."""
    try:
        raw = pd.read_csv(source, header=None, dtype=str, skip_blank_lines=True, skipinitialspace=True)
    except FileNotFoundError:
        raise ValueError(f"source: no file at {name!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, TypeError) as err:
        raise ValueError(
            f"source {name!r} could not be read as a two-column CSV of time, survival ({err})"
        ) from None
    raw = raw.dropna(axis=1, how="all")  # a trailing comma on every line
    if raw.shape[1] != 2:
        raise ValueError(
            f"source {name!r} must have 2 columns (time, survival); it has {raw.shape[1]}. "
            "Export one curve per file from WebPlotDigitizer."
        )
    numbers = raw.apply(lambda col: pd.to_numeric(col.str.strip(), errors="coerce"))
    if len(raw) and numbers.iloc[0].isna().all():
        numbers, raw = numbers.iloc[1:], raw.iloc[1:]  # a header line
    bad = numbers.isna().to_numpy()
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"source {name!r}: every cell must be a number; line {raw.index[row] + 1}, column "
            f"{col + 1} is {raw.iat[row, col]!r}"
        )
    if len(numbers) < 2:
        raise ValueError(f"source {name!r} must hold at least 2 points; it has {len(numbers)}")
    time = numbers.iloc[:, 0].to_numpy(float)
    survival = numbers.iloc[:, 1].to_numpy(float)
    if not (np.isfinite(time).all() and np.isfinite(survival).all()):
        raise ValueError(f"source {name!r}: times and survival must be finite numbers")
    return time, survival


def read_at_risk(source) -> dict:
    """Read a numbers-at-risk table laid out as printed under a figure: a column ``arm``, then
    one column per time (the header gives the times), one row per arm.

    Returns arm -> DataFrame(``time``, ``at_risk``), each ready for :func:`guyot`.
    """
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "source"
    try:
        table = pd.read_csv(source)
    except FileNotFoundError:
        raise ValueError(f"source: no file at {name!r}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"source {name!r} could not be read as an at-risk table ({err})") from None
    if "arm" not in table.columns or table.shape[1] < 2:
        raise ValueError(f"source {name!r} needs a column 'arm' and one column per time; it has {list(table.columns)}")
    times = pd.to_numeric(pd.Series(table.columns.drop("arm")), errors="coerce")
    if times.isna().any():
        raise ValueError(f"source {name!r}: the header must give times; got {list(table.columns.drop('arm'))}")
    return {row["arm"]: pd.DataFrame({"time": times.to_numpy(float), "at_risk": row.drop("arm").to_numpy(float)})
            for _, row in table.iterrows()}
