"""Input checks shared by every public function: a ValueError names the parameter, the value
and the allowed range, so a learner (or a widget's message area) can say what to change."""

from __future__ import annotations

import math
import numbers


def check_number(name: str, value, allowed: str, ok) -> float:
    """``value`` as a float if it is a real number for which ``ok(value)`` holds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number ({allowed}); got {value!r}")
    value = float(value)
    if not math.isfinite(value) or not ok(value):
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    return value


def check_fraction(name: str, value) -> float:
    """A probability strictly between 0 and 1 (alpha, power, allocation)."""
    return check_number(name, value, "strictly between 0 and 1", lambda v: 0 < v < 1)


def check_whole(name: str, value, minimum: int) -> int:
    """A whole number >= ``minimum`` (floats such as 1000.0 are accepted)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    if not (math.isfinite(float(value)) and float(value) == int(value) and int(value) >= minimum):
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    return int(value)


def check_seed(seed, generator_ok: bool = True):
    """A random seed: None, a whole number >= 0, or (where allowed) a numpy Generator."""
    import numpy as np

    if seed is None or (generator_ok and isinstance(seed, np.random.Generator)):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        allowed = "None, a whole number >= 0" + (" or a numpy Generator" if generator_ok else "")
        raise ValueError(f"seed must be {allowed}; got {seed!r}")
    return int(seed)


SEED_BOX_MAX = 2**31 - 1
"""The largest seed a widget's seed box holds (the browser's whole numbers stop at 2**53)."""


def check_box_seed(seed) -> int:
    """A widget's starting seed: a whole number from 0 to :data:`SEED_BOX_MAX` (a larger one
    would be shown cut to the box's largest, silently)."""
    import numpy as np

    if (isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral)
            or not 0 <= seed <= SEED_BOX_MAX):
        raise ValueError(f"seed must be a whole number from 0 to {SEED_BOX_MAX:,}; got {seed!r}")
    return int(seed)


def check_choice(name: str, value, choices) -> object:
    """``value`` if it is one of ``choices``, of the same type (so 1 is not True, nor "1" 1)."""
    if not any(value is c or (type(value) is type(c) and value == c) for c in choices):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_sequence(name: str, value, length: int | None = None) -> tuple:
    """``value`` as a tuple if it is a list, tuple or array (not a string), of ``length`` items
    when given."""
    import numpy as np

    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, np.ndarray)):
        raise ValueError(f"{name} must be a list or tuple; got {value!r}")
    value = tuple(value)
    if length is not None and len(value) != length:
        raise ValueError(f"{name} must have {length} items; got {len(value)}: {value!r}")
    return value


def check_mapping(name: str, value) -> dict:
    """``value`` as a dict if it is a mapping (a dict, not a list of pairs or a string)."""
    from collections.abc import Mapping

    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a dict; got {value!r}")
    return dict(value)


def check_columns(name: str, frame, columns, source: str = "") -> None:
    """``frame`` must be a pandas DataFrame holding each of ``columns`` exactly once (``source``
    says where such a frame comes from, for the message)."""
    import pandas as pd

    wanted = "columns " + " and ".join(map(repr, columns)) + (f" ({source})" if source else "")
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame with {wanted}; got {type(frame).__name__}")
    for column in columns:
        count = int((frame.columns == column).sum())
        if count != 1:
            raise ValueError(f"{name} must be a pandas DataFrame with {wanted}, once each; it has "
                             f"{count or 'no'} column{'s' * (count != 1)} named {column!r}: "
                             f"{list(frame.columns)}")
