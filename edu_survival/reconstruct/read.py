"""Reading what a person took from a published figure: the clicked points and the at-risk table.

:func:`read_digitised` reads one curve's points as WebPlotDigitizer exports them (times in any
unit, survival as a proportion or a percentage) and cleans them as the method needs;
:func:`read_at_risk` reads the numbers at risk laid out as printed under the figure.
"""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pandas as pd

from .._checks import check_choice

TIME_UNITS = {"months": 1.0, "days": 12 / 365.25, "weeks": 12 * 7 / 365.25, "years": 12.0}


SURVIVAL_SCALES = ("auto", "proportion", "percent")

RISE_TOLERANCE = 0.02
"""A click up to this much above or below the curve's level is hand jitter (2% of the survival
axis: 7 pixels on a 350-pixel plot); beyond it, a click the curve contradicts is a misclick,
and :func:`read_digitised` and :func:`~edu_survival.reconstruct.guyot` say so."""

TIME_WINDOW = 0.01
"""Clicks closer in time than this share of the time axis (5 pixels on a 500-pixel plot) may
come in either order: the two corners of one drop, or of drops a pixel apart."""


class ReconstructionWarning(UserWarning):
    """Something in a digitised curve or an at-risk table contradicts the rest, and the
    reconstruction changed or guessed it: the message says where and what was done.

    Catch or show it as any warning (``warnings.catch_warnings``, ``pytest.warns``);
    ``warnings.simplefilter("error", ReconstructionWarning)`` turns it into an error."""


def _warn(message: str) -> None:
    """A :class:`ReconstructionWarning` attributed to the first caller outside the package."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("edu_survival."):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, ReconstructionWarning, stacklevel=level)


def _check_left_of_axis(time: np.ndarray, what: str) -> None:
    span = float(time.max() - min(time.min(), 0.0))
    if time.min() < -0.02 * span:
        raise ValueError(
            f"{what}: times must be >= 0 (a click up to 2% of the axis left of 0 counts as 0); "
            f"the smallest is {float(time.min())!r}: is the time axis calibrated?"
        )


def _clean(time: np.ndarray, survival: np.ndarray, what: str = "curve") -> pd.DataFrame:
    """The cleaning the method needs: sorted, non-increasing, within [0, 1], starting at (0, 1).

    A click above an earlier one is lowered to it (survival cannot rise). Hand jitter does this
    all the time (the two corners of a drop a pixel out of order); a click more than
    :data:`RISE_TOLERANCE` above the curve's level :data:`TIME_WINDOW` before it is a misclick,
    and a :class:`ReconstructionWarning` names it. A click more than :data:`RISE_TOLERANCE`
    below every earlier one while the next two clicks beyond the window are above it again is a
    misclick too (lowering the rest to it would flatten the curve from there on): it is
    dropped, and the warning says so. Points are numbered as given, from 1."""
    order = np.lexsort((-survival, time))  # by time; at one time, the upper corner first
    time, survival = time[order], np.clip(survival[order], 0.0, 1.0)
    window = TIME_WINDOW * float(max(time.max(), 0.0)) if len(time) else 0.0
    keep = _keep_clicks(time, survival, order, window, what)
    time, survival, order = time[keep], survival[keep], order[keep]
    _report_rises(time, survival, order, window, what)
    survival = np.minimum.accumulate(survival)
    keep = time > 0
    return pd.DataFrame({"time": np.r_[0.0, time[keep]], "survival": np.r_[1.0, survival[keep]]})


def _keep_clicks(time, survival, order, window, what) -> np.ndarray:
    """Which sorted clicks to keep: not one far below the curve that the curve comes back above."""
    keep = np.ones(len(time), bool)
    level = 1.0  # the curve so far: the lowest click kept
    for k in range(len(time)):
        low = survival[k] + RISE_TOLERANCE
        after = np.flatnonzero(time > time[k] + window)[:2]
        if level > low and len(after) == 2 and (survival[after] > low).all():
            keep[k] = False
            _warn(f"{what}: point {order[k] + 1} (time {time[k]:g}, survival {survival[k]:g}) lies "
                  f"below the curve on both sides ({level:g} before it, {survival[after[0]]:g} at "
                  f"time {time[after[0]]:g} after it), and survival cannot rise: a misclick? It "
                  "was dropped (kept, it would have flattened the curve from there on)")
        else:
            level = min(level, survival[k])
    return keep


def _report_rises(time, survival, order, window, what) -> None:
    for k in range(1, len(time)):
        earlier = survival[:k][time[:k] < time[k] - window]
        if len(earlier) and survival[k] > earlier.min() + RISE_TOLERANCE:
            _warn(f"{what}: point {order[k] + 1} (time {time[k]:g}, survival {survival[k]:g}) lies "
                  f"above the curve before it (survival {earlier.min():g}), and survival cannot "
                  "rise: a misclick? It was lowered to the curve's level")


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
        (a proportion clicked slightly above 1 is still a proportion); a file whose early
        points look like proportions and later ones like percentages is an error naming them.

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
        than two points, a time far below 0 (the axis was calibrated wrongly), or mixed scales.

    Warns
    -----
    ReconstructionWarning
        For a misclick: a point far above the curve (lowered to it) or far below it with the
        curve coming back above (dropped), named by its number in the file.

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO("0.1,99.5\\n12,80\\n5,92\\n18,81\\n")
    >>> read_digitised(csv).round(3).values.tolist()
    [[0.0, 1.0], [0.1, 0.995], [5.0, 0.92], [12.0, 0.8], [18.0, 0.8]]
    """
    check_choice("time_unit", time_unit, tuple(TIME_UNITS))
    check_choice("survival_scale", survival_scale, SURVIVAL_SCALES)
    if not isinstance(source, (str, os.PathLike)) and not hasattr(source, "read"):
        raise ValueError(f"source must be a path or a file-like object; got {type(source).__name__}")
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", "source")
    time, survival = _read_points(source, name)
    _check_left_of_axis(time, f"source {name!r}")
    scale = _survival_scale(time, survival, survival_scale, name)
    if scale == "percent":
        survival = survival / 100.0
    curve = _clean(time * TIME_UNITS[time_unit], survival, f"source {name!r}")
    curve.attrs.update(time_unit=time_unit, survival_scale=scale, source=str(name))
    return curve


def _survival_scale(time, survival, survival_scale: str, name: str) -> str:
    """"proportion" or "percent"; for "auto", percent when a value is above 1.5, and a
    ValueError when points at most 1.5 come before such a value (a file of mixed scales)."""
    if survival_scale != "auto":
        return survival_scale
    if survival.max() <= 1.5:
        return "proportion"
    order = np.argsort(time, kind="stable")
    small = survival[order] <= 1.5
    last_large = np.flatnonzero(~small)[-1]
    early_small = order[np.flatnonzero(small[:last_large])]
    if len(early_small):
        shown = ", ".join(f"{k + 1} (time {time[k]:g}, survival {survival[k]:g})" for k in early_small[:3])
        raise ValueError(
            f"source {name!r} mixes scales: points {shown}{' ...' if len(early_small) > 3 else ''} "
            f"look like proportions, but later points reach {survival.max():g} (percent). Fix "
            "those points, or pass survival_scale='percent' or 'proportion' to say how to read them"
        )
    return "percent"


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


def read_at_risk(source, time_unit: str = "months") -> dict:
    """Read a numbers-at-risk table laid out as printed under a figure: a column ``arm``, then
    one column per time (the header gives the times), one row per arm.

    ``time_unit`` is the unit of the header's times, as for :func:`read_digitised`; they are
    converted to months, so that a curve and its table read with the same unit line up.

    Returns arm -> DataFrame(``time`` (months), ``at_risk``), each ready for :func:`guyot`;
    ``attrs`` records the unit read. ValueError for an arm named twice, an empty cell or a count
    that is not a whole number >= 0 (never a row dropped silently).
    """
    check_choice("time_unit", time_unit, tuple(TIME_UNITS))
    if not isinstance(source, (str, os.PathLike)) and not hasattr(source, "read"):
        raise ValueError(f"source must be a path or a file-like object; got {type(source).__name__}")
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
    arms = table["arm"].astype(str).str.strip()
    twice = sorted(set(arms[arms.duplicated()]))
    if twice:
        raise ValueError(f"source {name!r} names arm {twice[0]!r} on more than one row; each arm "
                         "must have one row of numbers at risk")
    counts = table.drop(columns="arm").apply(pd.to_numeric, errors="coerce")
    bad = counts.isna().to_numpy() | (counts.to_numpy(float) < 0) | (counts.to_numpy(float) % 1 != 0)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(f"source {name!r}: every number at risk must be a whole number >= 0; arm "
                         f"{arms.iloc[row]!r} at time {times.iloc[col]:g} is "
                         + ("empty" if pd.isna(table.iat[row, col + 1]) else repr(table.iat[row, col + 1].item()
                            if hasattr(table.iat[row, col + 1], "item") else table.iat[row, col + 1])))
    result = {}
    for arm, row in zip(arms, counts.to_numpy(float), strict=True):
        frame = pd.DataFrame({"time": times.to_numpy(float) * TIME_UNITS[time_unit], "at_risk": row})
        frame.attrs.update(time_unit=time_unit, source=str(name))
        result[arm] = frame
    return result
