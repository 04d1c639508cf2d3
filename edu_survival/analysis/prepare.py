"""Step 1 of :func:`edu_survival.analyze`: clean and validate a two-arm data set.

Every check raises a ``ValueError`` that names the column or parameter, the value found and
what is allowed, so that a learner (or a widget's message area) can say what to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .._checks import check_fraction
from .km import CONF_TYPES, time_hint

ENGINES = ("lifelines", "numpy")
EVENT_CODINGS = ("01", "bool", "R")
# Times this large would overflow in the squares of the variances (RMST); no follow-up is that long.
MAX_TIME = 1e100


def _plain(value):
    """A numpy scalar as the plain Python value, so messages say 0, not np.int64(0)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_times(data: pd.DataFrame, duration: str) -> np.ndarray:
    """The duration column as floats, refusing text, booleans, NaN, inf and negative times."""
    time = data[duration]
    if (not pd.api.types.is_numeric_dtype(time) or pd.api.types.is_bool_dtype(time)
            or pd.api.types.is_complex_dtype(time)):
        raise ValueError(f"duration column {duration!r} must be numeric (real months); got dtype "
                         f"{time.dtype}{time_hint(time.dtype)}")
    time = time.to_numpy(dtype=float)
    bad = ~np.isfinite(time) | (time < 0)
    if bad.any():
        raise ValueError(
            f"duration column {duration!r} must hold finite times >= 0; "
            f"{int(bad.sum())} do not (first: {float(time[bad][0])!r} in row {_plain(data.index[bad][0])!r})"
        )
    if time.max(initial=0.0) >= MAX_TIME:
        raise ValueError(f"duration column {duration!r} holds times up to {time.max():g}; times must be below "
                         f"{MAX_TIME:g} (their squares enter the variances): rescale to a larger unit")
    return time



def _check_events(data: pd.DataFrame, event: str, event_coding: str = "01") -> np.ndarray:
    """The event column as 0/1 integers, in the coding ``event_coding`` names."""
    raw = data[event]
    if raw.isna().any():
        raise ValueError(f"event column {event!r} has {int(raw.isna().sum())} missing values")
    is_bool = pd.api.types.is_bool_dtype(raw)
    if event_coding == "bool":
        if not is_bool:
            raise ValueError(f"event_coding='bool' needs a boolean event column; {event!r} is {raw.dtype}")
        return raw.to_numpy(dtype=int)
    if is_bool:
        raise ValueError(f"event column {event!r} is boolean; pass event_coding='bool' to accept True = death")
    values = {_plain(v) for v in pd.unique(raw)}
    allowed = {0, 1} if event_coding == "01" else {1, 2}
    if not values <= allowed:
        hint = ""
        if event_coding == "01" and values <= {1, 2}:
            hint = " (R's Surv() coding 1 = censored, 2 = death? pass event_coding='R')"
        elif any(isinstance(v, str) for v in values):
            hint = f" (text: map it to numbers first, e.g. data[{event!r}] = (data[{event!r}] == 'dead').astype(int))"
        raise ValueError(
            f"event column {event!r} must hold only {sorted(allowed)}; found {sorted(values, key=str)}{hint}"
        )
    return raw.to_numpy(dtype=int) - (1 if event_coding == "R" else 0)


def _check_columns(data, duration, event, group, event_coding) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    names = {"duration": duration, "event": event, "group": group}
    for name, column in names.items():
        if isinstance(column, (bool, np.bool_)) or not isinstance(column, (str, int, np.integer)):
            raise ValueError(f"{name} must be one column name, such as {name}='{_DEFAULTS[name]}'; got {column!r}")
    if len(set(names.values())) < 3:
        raise ValueError(f"duration, event and group must name three different columns; got {names}")
    missing = [c for c in (duration, event, group) if c not in data.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} not in data; the columns are {list(data.columns)} "
            "(name them with duration=, event=, group=)"
        )
    if event_coding not in EVENT_CODINGS:
        raise ValueError(f"event_coding must be one of {EVENT_CODINGS}; got {event_coding!r}")
    if len(data) == 0:
        raise ValueError("data has no rows")
    twice = [c for c in (duration, event, group) if int((data.columns == c).sum()) > 1]
    if twice:
        raise ValueError(f"data has {int((data.columns == twice[0]).sum())} columns named {twice[0]!r}; "
                         "keep one (or name the one to use with duration=, event=, group=)")


_DEFAULTS = {"duration": "time", "event": "event", "group": "arm"}


def _arms_of(groups: pd.Series, group: str, control) -> tuple:
    """The two arms, reference first: ``control`` if given, else "control", else the first level."""
    if groups.isna().any():
        raise ValueError(f"group column {group!r} has {int(groups.isna().sum())} missing values")
    # Plain Python values, so arms print as 1 and "control", not np.int64(1).
    levels = sorted((_plain(v) for v in pd.unique(groups)), key=lambda v: (str(type(v)), v))
    as_text = {str(v) for v in levels}
    if len(as_text) < len(levels):
        twins = sorted({str(v) for v in levels if sum(str(w) == str(v) for w in levels) > 1})
        raise ValueError(
            f"group column {group!r} holds values that print alike but differ in type "
            f"({[v for v in levels if str(v) in twins]}): make the column one type, e.g. all strings"
        )
    same = [v for v in levels if v == control]
    if control is not None and same and isinstance(control, (bool, np.bool_)) != isinstance(same[0], bool):
        raise ValueError(
            f"control={control!r} is a {type(control).__name__} but group column {group!r} holds "
            f"{type(same[0]).__name__} values; pass control={same[0]!r}"
        )
    if control is not None and control not in levels:
        raise ValueError(f"control={control!r} has no patients in group column {group!r}; levels are {levels}")
    if len(levels) != 2:
        raise ValueError(
            f"group column {group!r} must have exactly two levels (the two arms); "
            f"it has {len(levels)}: {levels[:10]}"
        )
    if control is None:
        control = "control" if "control" in levels else levels[0]
    return (control, levels[1] if levels[0] == control else levels[0])


def _clean(data, duration, event, group, control, event_coding):
    """The data as columns ``time``, ``event`` (0/1) and ``arm``, and the arms (reference first)."""
    _check_columns(data, duration, event, group, event_coding)
    time = _check_times(data, duration)
    ev = _check_events(data, event, event_coding)
    groups = data[group]
    arms = _arms_of(groups, group, control)
    group_values = groups.to_numpy()
    clean = pd.DataFrame({"time": time, "event": ev, "arm": group_values}, index=data.index)
    return clean, arms, (time, ev, group_values)


@dataclass(frozen=True)
class Prepared:
    """A checked data set and the options every later step needs.

    ``time``, ``event`` and ``groups`` are ``clean``'s columns as numpy arrays, kept from the
    checks: reading them back out of the frame costs more than the fits that use them.
    """

    clean: pd.DataFrame
    arms: tuple
    names: dict
    unit: str
    time_label: str
    alpha: float
    engine: str
    simulated: bool
    scenario: object
    time: np.ndarray
    event: np.ndarray
    groups: np.ndarray
    conf_type: str = "log-log"

    @cached_property
    def treated(self) -> np.ndarray:
        """True for the patients of the compared (second) arm."""
        return np.asarray(self.groups == self.arms[1], dtype=bool)

    def mask(self, arm) -> np.ndarray:
        return self.treated if arm == self.arms[1] else ~self.treated


def prepare(data, duration, event, group, control, alpha, *, labels, unit, event_coding, engine,
            time_label, conf_type="log-log") -> Prepared:
    """Check the data and every option of :func:`~edu_survival.analyze`; name what is wrong."""
    alpha = check_fraction("alpha", alpha)
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}; got {engine!r}")
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {CONF_TYPES} (R's survfit conf.type); got {conf_type!r}")
    clean, arms, (time, ev, groups) = _clean(data, duration, event, group, control, event_coding)
    simulated = "scenario" in getattr(data, "attrs", {})
    if unit is None:
        unit = "months" if simulated else "time units"
    elif not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must be a non-empty string such as 'months' or 'days'; got {unit!r}")
    if time_label is None:
        time_label = f"{unit} since randomisation" if simulated else f"{unit} since the start of follow-up"
    elif not isinstance(time_label, str) or not time_label.strip():
        raise ValueError(f"time_label must be a non-empty string such as 'days since diagnosis'; got {time_label!r}")
    names = {arm: str(arm) for arm in arms}
    names.update(_check_labels(labels, arms))
    _check_distinct(names)
    return Prepared(clean, arms, names, unit, time_label, alpha, engine, simulated,
                    data.attrs.get("scenario"), time=time, event=ev, groups=groups,
                    conf_type=conf_type)


def _check_labels(labels, arms) -> dict:
    """``labels`` as {arm: name}: a dict whose keys are arms and whose values are non-empty strings."""
    if labels is None:
        return {}
    if not isinstance(labels, Mapping):
        raise ValueError(f"labels must be a dict from arm to name, e.g. {{{arms[1]!r}: 'lapatinib'}}; "
                         f"got {labels!r}")
    unknown = set(labels) - set(arms)
    if unknown:
        raise ValueError(f"labels name arms {sorted(map(str, unknown))} not in the data; arms are {list(arms)}")
    bad = {k: v for k, v in labels.items() if not isinstance(v, str) or not v.strip()}
    if bad:
        raise ValueError(f"labels must give each arm a non-empty string name; got {bad}")
    return dict(labels)


def _check_distinct(names: dict) -> None:
    """Two arms printed under one name would merge in tables and legends."""
    if len(set(names.values())) < len(names):
        raise ValueError(f"the two arms must have different names; labels (or the arms' values) give {names}")
