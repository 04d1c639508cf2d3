"""Group-sequential boundaries: how large a z a trial needs at each interim look.

A trial analysed at several *looks* as deaths accrue has several chances of a false alarm. Under
no effect, the log-rank z statistics at looks with information fractions ``t_1 < ... < t_K``
(deaths so far / deaths planned) behave like a Brownian motion ``B(t) / sqrt(t)``. The
probability of crossing a boundary at some look is computed here by numerical integration over
that process, look by look (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19):
the density of ``B`` on the continuation region is carried from one look to the next with a
normal kernel, on a Simpson grid fine enough for about 7 correct digits.

Boundaries (z values; two-sided unless ``sided=1``):

* **nominal**: 1.96 at every look, what "stop at the first p < 0.05" does;
* **Pocock** (1977): the same ``c`` at every look, chosen so that the total error is ``alpha``;
* **O'Brien–Fleming** (1979): ``c / sqrt(t_k)``, very strict early and close to 1.96 at the end;
* **Lan–DeMets alpha spending** (1983): at each look spend what a spending function allows so
  far, ``a*(t) = 2 - 2 Phi(z_{1-a/2} / sqrt(t))`` (O'Brien–Fleming-like; for a two-sided
  design each side spends ``a = alpha / 2``, as R's ldbounds, gsDesign and rpact do) or
  ``alpha ln(1 + (e - 1) t)`` (Pocock-like), or a function or list of your own. Looks need not
  be equally spaced or planned in advance.

The statistics were checked against published tables and R's rpact (``tests/test_traps_boundaries.py``).
We did not depend on a Python package for this: on PyPI, ``gsdesign`` 0.1.5 holds only the
integration primitives (no boundaries, alpha status, numpy >= 2 only) and ``sequential-analysis``
0.4.0 is AGPL-licensed, a broad toolkit whose boundaries we would have had to test anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from .._checks import check_fraction, check_number, check_whole

__all__ = [
    "Boundaries",
    "crossing_probabilities",
    "nominal",
    "obrien_fleming",
    "pocock",
    "repeated_testing_error",
    "spending",
]

_MAX_Z = 40.0  # no boundary is searched beyond this z (a nominal p of 1e-350)
_TAIL_SD = 12.0  # an unbounded side of the continuation region is cut 12 SDs from the mean


# ----- the recursion --------------------------------------------------------------------------
def _simpson(lo: float, hi: float, m: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(lo, hi, m)
    w = np.ones(m)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return x, w * (hi - lo) / (3 * (m - 1))


def _points(width: float, step_sd: float) -> int:
    """An odd number of Simpson points: a step of at most 0.02 and a tenth of the smallest SD."""
    h = min(0.02, step_sd / 10)
    return min(8001, int(math.ceil(width / h)) // 2 * 2 + 3)


def _exit(upper, lower, fractions, drift: float):
    """Per look, the probability of first crossing the upper and the lower boundary.

    ``upper``/``lower`` are z boundaries (``-inf`` for none below); the process is
    ``B(t) ~ N(drift t, t)`` and ``Z_k = B(t_k) / sqrt(t_k)``.
    """
    t = np.asarray(fractions, dtype=float)
    up_b, lo_b = np.asarray(upper) * np.sqrt(t), np.asarray(lower) * np.sqrt(t)
    K = len(t)
    out_up, out_lo = np.zeros(K), np.zeros(K)
    sd1 = math.sqrt(t[0])
    out_up[0] = special.ndtr((drift * t[0] - up_b[0]) / sd1)
    out_lo[0] = special.ndtr((lo_b[0] - drift * t[0]) / sd1)
    grid = weights = density = None
    for k in range(K):
        mean_k = drift * t[k]
        sd_k = math.sqrt(t[k])
        lo = max(lo_b[k], mean_k - _TAIL_SD * sd_k)
        hi = min(up_b[k], mean_k + _TAIL_SD * sd_k)
        if k > 0:
            step = t[k] - t[k - 1]
            s = math.sqrt(step)
            shift = drift * step
            out_up[k] = weights @ (density * special.ndtr((grid + shift - up_b[k]) / s))
            out_lo[k] = weights @ (density * special.ndtr((lo_b[k] - grid - shift) / s))
        if k == K - 1 or hi <= lo:
            break
        next_step = math.sqrt(t[k + 1] - t[k])
        x, w = _simpson(lo, hi, _points(hi - lo, min(next_step, sd_k)))
        if k == 0:
            new = np.exp(-0.5 * ((x - mean_k) / sd_k) ** 2) / (sd_k * math.sqrt(2 * math.pi))
        else:
            kernel = np.exp(-0.5 * ((x[:, None] - grid[None, :] - shift) / s) ** 2) / (s * math.sqrt(2 * math.pi))
            new = kernel @ (weights * density)
        grid, weights, density = x, w, new
    return out_up, out_lo


# ----- inputs ---------------------------------------------------------------------------------
def _fractions(looks, fractions) -> np.ndarray:
    if fractions is None:
        k = check_whole("looks", looks, 1)
        if k > 50:
            raise ValueError(f"looks must be at most 50; got {k}")
        return np.arange(1, k + 1) / k
    t = np.asarray(fractions, dtype=float)
    if t.ndim != 1 or len(t) == 0 or len(t) > 50 or not np.all(np.isfinite(t)):
        raise ValueError(f"fractions must be 1 to 50 information fractions; got {fractions!r}")
    if np.any(t <= 0) or np.any(t > 1) or np.any(np.diff(t) <= 0):
        raise ValueError(f"fractions must increase strictly, each above 0 and at most 1; got {t.tolist()}")
    return t


def _sided(sided) -> int:
    if sided not in (1, 2):
        raise ValueError(f"sided must be 1 (one-sided, upper boundary) or 2 (two-sided, symmetric); got {sided!r}")
    return int(sided)


def _lower(upper, sided: int):
    return -np.asarray(upper) if sided == 2 else np.full(len(upper), -np.inf)


def crossing_probabilities(z, fractions, drift: float = 0.0, sided: int = 2) -> np.ndarray:
    """Probability of first crossing the boundary ``z`` at each look.

    Parameters
    ----------
    z : sequence of float
        Boundary per look (z scale); two-sided means ``|Z_k| >= z_k``.
    fractions : sequence of float
        Information fraction of each look (increasing, in (0, 1]).
    drift : float
        Expected z at full information (0 under no effect).
    sided : {1, 2}
        One-sided (upper boundary only) or two-sided, symmetric.

    Examples
    --------
    >>> crossing_probabilities([1.96], [1.0]).round(4).tolist()
    [0.05]
    """
    t = _fractions(None, fractions)
    z = np.asarray(z, dtype=float)
    if z.shape != t.shape or np.any(z <= 0):
        raise ValueError(f"z must hold one positive boundary per look ({len(t)}); got {z.tolist()}")
    drift = check_number("drift", drift, "a finite number", lambda v: True)
    up, lo = _exit(z, _lower(z, _sided(sided)), t, drift)
    return up + lo


# ----- the result -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Boundaries:
    """A boundary z per look, with what it spends.

    ``name`` says which design; ``fractions`` the looks' information fractions; ``z`` the
    boundaries; ``alpha`` the total error aimed at; ``sided`` 1 or 2; ``spent`` the cumulative
    probability of a false alarm by each look (computed, not assumed).
    """

    name: str
    fractions: np.ndarray
    z: np.ndarray
    alpha: float
    sided: int
    spent: np.ndarray

    @property
    def looks(self) -> int:
        return len(self.z)

    @property
    def type1_error(self) -> float:
        """The probability, with no effect, of crossing at some look."""
        return float(self.spent[-1])

    @property
    def nominal_p(self) -> np.ndarray:
        """The p-value each boundary corresponds to at its own look (two-sided if ``sided=2``)."""
        return self.sided * special.ndtr(-self.z)

    def table(self) -> pd.DataFrame:
        from ..tables import with_caption

        table = pd.DataFrame({
            "look": np.arange(1, self.looks + 1),
            "information fraction": self.fractions.round(3),
            "z boundary": self.z.round(3),
            "nominal p": [float(f"{p:.3g}") for p in self.nominal_p],
            "false alarms so far": self.spent.round(4),
        }).set_index("look")
        return with_caption(table, f"{self.name}: {self.looks} looks, {'two' if self.sided == 2 else 'one'}-sided, "
                                   f"total error {self.type1_error:.3f}")

    def power(self, drift: float) -> float:
        """Probability of crossing at some look when the expected final z is ``drift``."""
        up, lo = _exit(self.z, _lower(self.z, self.sided), self.fractions, drift)
        return float(up.sum() + lo.sum())

    def __str__(self) -> str:
        zs = ", ".join(f"{v:.2f}" for v in self.z)
        return (f"{self.name}, {self.looks} looks: stop if |z| reaches {zs}; with no effect, a false "
                f"alarm at some look has probability {self.type1_error:.3f}.")


def _result(name, t, z, alpha, sided) -> Boundaries:
    up, lo = _exit(z, _lower(z, sided), t, 0.0)
    return Boundaries(name, t, np.asarray(z, dtype=float), alpha, sided, np.cumsum(up + lo))


# ----- designs --------------------------------------------------------------------------------
def nominal(looks: int = 5, alpha: float = 0.05, fractions=None, sided: int = 2) -> Boundaries:
    """No adjustment: the single-look boundary (1.96 for a two-sided 0.05) at every look.

    Examples
    --------
    >>> round(nominal(5).type1_error, 3)  # Armitage, McPherson & Rowe (1969): 0.142
    0.142
    """
    t, alpha, sided = _fractions(looks, fractions), check_fraction("alpha", alpha), _sided(sided)
    z = np.full(len(t), float(special.ndtri(1 - alpha / sided)))
    return _result("No adjustment (nominal boundary at every look)", t, z, alpha, sided)


def repeated_testing_error(looks: int = 5, alpha: float = 0.05, fractions=None, sided: int = 2) -> float:
    """The false-alarm probability of testing at the nominal level at every look."""
    return nominal(looks, alpha, fractions, sided).type1_error


def _constant(shape: np.ndarray, t, alpha, sided) -> float:
    """The ``c`` for which boundaries ``c * shape`` have total error ``alpha``."""
    def excess(c):
        up, lo = _exit(c * shape, _lower(c * shape, sided), t, 0.0)
        return up.sum() + lo.sum() - alpha

    return float(optimize.brentq(excess, 0.5, _MAX_Z / shape.max(), xtol=1e-12))


def pocock(looks: int = 5, alpha: float = 0.05, fractions=None, sided: int = 2) -> Boundaries:
    """Pocock's boundary: the same z at every look, total error ``alpha``.

    Examples
    --------
    >>> round(float(pocock(5).z[0]), 3)  # Jennison & Turnbull (2000), table 2.1: 2.413
    2.413
    """
    t, alpha, sided = _fractions(looks, fractions), check_fraction("alpha", alpha), _sided(sided)
    c = _constant(np.ones(len(t)), t, alpha, sided)
    return _result("Pocock", t, np.full(len(t), c), alpha, sided)


def obrien_fleming(looks: int = 5, alpha: float = 0.05, fractions=None, sided: int = 2) -> Boundaries:
    """O'Brien and Fleming's boundary ``c / sqrt(t_k)``, total error ``alpha``.

    Examples
    --------
    >>> obrien_fleming(5).z.round(2).tolist()  # Jennison & Turnbull (2000), table 2.3: c = 2.040
    [4.56, 3.23, 2.63, 2.28, 2.04]
    """
    t, alpha, sided = _fractions(looks, fractions), check_fraction("alpha", alpha), _sided(sided)
    shape = 1 / np.sqrt(t / t[-1])
    c = _constant(shape, t, alpha, sided)
    return _result("O'Brien–Fleming", t, c * shape, alpha, sided)


def _spending_function(function, alpha: float, sided: int) -> Callable[[np.ndarray], np.ndarray]:
    """The cumulative error (both sides together when ``sided=2``) to spend by fraction ``t``."""
    if function == "obrien-fleming":
        # Each side spends alpha / sided with the one-sided function (as R's ldbounds, gsDesign, rpact).
        z = special.ndtri(1 - alpha / sided / 2)
        return lambda t: sided * (2 - 2 * special.ndtr(z / np.sqrt(t)))
    if function == "pocock":
        return lambda t: alpha * np.log1p((math.e - 1) * np.asarray(t))
    if callable(function):
        return lambda t: np.asarray([float(function(float(v))) for v in np.atleast_1d(t)])
    raise ValueError(f"function must be 'obrien-fleming', 'pocock', a function of t or a list of "
                     f"cumulative spending; got {function!r}")


def spending(looks: int = 5, alpha: float = 0.05, function="obrien-fleming", fractions=None,
             sided: int = 2) -> Boundaries:
    """Lan–DeMets alpha-spending boundaries.

    Parameters
    ----------
    looks : int
        Number of equally spaced looks (ignored when ``fractions`` is given).
    alpha : float
        Total error the spending function reaches at information fraction 1.
    function : "obrien-fleming", "pocock", a function of t, or a sequence
        The spending function ``alpha*(t)`` (both sides together when ``sided=2``); a sequence
        gives the cumulative error to spend by each look directly.
    fractions : sequence of float, optional
        Information fraction at each look (increasing, in (0, 1]). A last fraction below 1
        spends only ``alpha*(t_K)``.
    sided : {1, 2}
        One-sided (upper) or symmetric two-sided boundaries.

    Examples
    --------
    >>> spending(5).z.round(3).tolist()  # Lan–DeMets O'Brien–Fleming-type, 5 equal looks
    [4.877, 3.357, 2.68, 2.29, 2.031]
    """
    t, alpha, sided = _fractions(looks, fractions), check_fraction("alpha", alpha), _sided(sided)
    if isinstance(function, (Sequence, np.ndarray)) and not isinstance(function, str):
        cumulative = np.asarray(function, dtype=float)
        if cumulative.shape != t.shape:
            raise ValueError(f"a spending list needs one cumulative error per look ({len(t)}); got {len(cumulative)}")
        name = "Alpha spending (your cumulative errors)"
    else:
        cumulative = _spending_function(function, alpha, sided)(t)
        name = {"obrien-fleming": "Lan–DeMets spending, O'Brien–Fleming type",
                "pocock": "Lan–DeMets spending, Pocock type"}.get(function, "Alpha spending (your function)")
    increments = np.diff(np.r_[0.0, cumulative])
    if np.any(increments < 0) or cumulative[-1] > alpha + 1e-12 or np.any(~np.isfinite(cumulative)):
        raise ValueError(f"cumulative spending must rise from 0 to at most alpha = {alpha:g}; got {cumulative.tolist()}")
    z = np.empty(len(t))
    for k in range(len(t)):
        def excess(b, k=k):
            z[k] = b
            up, lo = _exit(z[:k + 1], _lower(z[:k + 1], sided), t[:k + 1], 0.0)
            return up[k] + lo[k] - increments[k]

        z[k] = _MAX_Z if excess(_MAX_Z) >= 0 else optimize.brentq(excess, 1e-6, _MAX_Z, xtol=1e-12)
    return _result(name, t, z, alpha, sided)
