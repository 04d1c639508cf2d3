"""Numbers as a paper or a news story prints them: ``"0·62"``, ``"(0.70, 0.90)"``, ``"P < .001"``.

Each reader returns the number and the decimals it was printed with, so that a check can allow
for the rounding of exactly those digits: "0.80" stands for 0.795 to 0.805, and 0.8 (a float,
whose trailing zero is lost) for 0.75 to 0.85. Anything that cannot be read is a ValueError that
quotes the text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .._checks import check_number, check_whole

# Middle dots (British decimal points), typographic minus signs and spaces, superscripts.
_NORMAL = str.maketrans({
    "·": ".", "\u2027": ".", "\u2219": ".", "\u2212": "-", "\u2009": " ", "\u00a0": " ",
    "\u202f": " ", "‹": "<", "›": ">", "＜": "<", "﹤": "<", "＞": ">", "≦": "≤", "≧": "≥",
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
    "⁹": "9", "⁻": "-",
})
_NUMBER = r"[0-9]*\.?[0-9]+"


def normalise(text: str) -> str:
    """Printed punctuation made plain: ``"0·62"`` -> ``"0.62"``, ``"p‹0·001"`` -> ``"p<0.001"``."""
    return text.translate(_NORMAL).strip()


def decimals(text: str) -> int:
    """Decimal places a number was written with (``"0.80"`` -> 2, ``"17.3"`` -> 1, ``"1e-05"`` -> 5)."""
    try:
        return max(0, -Decimal(text.strip()).as_tuple().exponent)
    except (InvalidOperation, TypeError):  # pragma: no cover - the callers pass numbers
        return 0


def _float_decimals(value: float) -> int:
    return decimals(repr(float(value)))


def read_number(name: str, value, allowed: str, ok) -> tuple[float, int]:
    """``value`` (a number, or a string as printed) as ``(float, decimals printed)``."""
    if not isinstance(value, str):
        number = check_number(name, value, allowed, ok)
        return number, _float_decimals(number)
    text = normalise(value)
    if not re.fullmatch(_NUMBER, text):
        raise ValueError(f"{name} must be a number ({allowed}), given as a number or as printed "
                         f"(e.g. '0.62'); could not read {value!r}")
    number = float(text)
    if not ok(number):
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    return number, decimals(text)


def read_whole(name: str, value, minimum: int) -> int:
    """A whole number, or a string as printed (``"1,217"``, ``"1 217"``)."""
    if isinstance(value, str):
        text = re.sub(r"(?<=\d)[, ](?=\d{3}(?!\d))", "", normalise(value))
        if not re.fullmatch(r"[0-9]+", text):
            raise ValueError(f"{name} must be a whole number >= {minimum}; could not read {value!r}")
        value = int(text)
    return check_whole(name, value, minimum)


_INTERVAL = re.compile(
    rf"^(?:(?P<level>{_NUMBER})\s*%\s*)?(?:CI\s*[:,]?\s*)?[(\[]?\s*(?P<lo>{_NUMBER})\s*"
    rf"(?:,|;|–|—|-|to)\s*(?P<hi>{_NUMBER})\s*[)\]]?$", re.IGNORECASE)


def read_interval(value):
    """A confidence interval as ``((lower, upper), (decimals, decimals), level, printed)``.

    Accepts two numbers or strings (``(0.70, 0.90)``, ``("0.70", "0.90")``) or one string as
    printed: ``"(0.70, 0.90)"``, ``"0.70–0.90"``, ``"0.70 to 0.90"``, ``"95% CI 0.70-0.90"``. A
    level printed with it is returned as a fraction (else None); ``printed`` says for each limit
    whether it came as a string (whose digits count).
    """
    if isinstance(value, str):
        match = _INTERVAL.match(normalise(value))
        if not match:
            raise ValueError(f"hr_ci must be two numbers (lower, upper) or a string such as "
                             f"'(0.70, 0.90)' or '0.70–0.90'; could not read {value!r}")
        level = float(match["level"]) / 100 if match["level"] else None
        parts = (match["lo"], match["hi"])
    else:
        try:
            parts = tuple(value)
        except TypeError:
            parts = ()
        if len(parts) != 2 or any(isinstance(v, (bool, bytes)) for v in parts):
            raise ValueError(f"hr_ci must be two numbers (lower, upper); got {value!r}")
        level = None
    read = [read_number("hr_ci", v, "two numbers > 0", lambda x: x > 0) for v in parts]
    (lower, d_lo), (upper, d_hi) = read
    if not lower < upper:
        raise ValueError(f"hr_ci must satisfy 0 < lower < upper; got {value!r}")
    return (lower, upper), (d_lo, d_hi), level, tuple(isinstance(v, str) for v in parts)


_P_VALUE = re.compile(
    r"""^(?P<sides>(?:one|two|1|2)[- ]sided\s*)?(?:p(?:[- ]?value)?\s*)?(?P<rel><=|>=|=|<|>|≤|≥)?\s*
    (?P<num>[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)(?:\s*[x×]\s*10\s*\^?\s*(?P<exp>[-+]?[0-9]+))?
    (?P<tail>\s*[*†‡§¶]*\s*(?:[,;]?\s*[(\[]?\s*[a-z][a-z \-]*[)\]]?)?\s*[*†‡§¶]*)$""",
    re.IGNORECASE | re.VERBOSE)
_RELATIONS = {None: "=", "=": "=", "<": "<", ">": ">", "<=": "<", "≤": "<", ">=": ">", "≥": ">"}


def read_p_value(p_value) -> tuple[float, str, str, int | None]:
    """A reported p-value as ``(value, relation, digits as printed, sides or None)``.

    ``sides`` is 1 or 2 when the text says "one-sided" or "two-sided", else None.
    """
    if not isinstance(p_value, str):
        value = check_number("p_value", p_value, "in (0, 1]", lambda v: 0 < v <= 1)
        return value, "=", repr(value), None
    match = _P_VALUE.match(normalise(p_value))
    if not match:
        raise ValueError(
            "p_value must be a number in (0, 1] or a string as printed, such as '0.03', "
            f"'<0.001', 'p = 0.03', 'P < .001' or '0.001 (log-rank)'; could not read {p_value!r}")
    text = match["num"] if not match["num"].startswith(".") else "0" + match["num"]
    if match["exp"]:
        text = f"{text}e{match['exp']}"
    value = float(text)
    if not 0 < value <= 1:
        raise ValueError(f"p_value must be in (0, 1]; got {p_value!r}")
    words = f"{match['sides'] or ''} {match['tail'] or ''}".lower()
    sides = 1 if re.search(r"\b(one|1)[- ]sided", words) else 2 if re.search(r"\b(two|2)[- ]sided", words) else None
    return value, _RELATIONS[match["rel"]], text, sides


def parse_p_value(p_value) -> tuple[float, str, str]:
    """A reported p-value as ``(value, relation, text)``; relation is ``"="``, ``"<"`` or ``">"``.

    Accepts a number (0 < p <= 1) or a string as printed: ``"0.03"``, ``"<0.001"``,
    ``"p = 0.03"``, ``"P < .001"``, ``"p‹0·001"``, ``"p=0.05*"``, ``"0.001 (log-rank)"``,
    ``"1.2 × 10⁻⁴"``. Anything else is a ValueError that quotes the text.

    Examples
    --------
    >>> parse_p_value("p < 0.001")
    (0.001, '<', '0.001')
    >>> parse_p_value(0.03)
    (0.03, '=', '0.03')
    >>> parse_p_value("P < .001")
    (0.001, '<', '0.001')
    """
    return read_p_value(p_value)[:3]
