"""The verdicts a check can give, one :class:`Check`, and the :class:`ClaimReport` of them all."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
NOT_PROPORTIONAL = "fits only if hazards are not proportional"
DEPENDS = "depends"
INFO = "information"
UNCHECKED = "cannot check"
VERDICTS = (CONSISTENT, DEPENDS, NOT_PROPORTIONAL, INCONSISTENT, INFO, UNCHECKED)
MARKS = {CONSISTENT: "OK", DEPENDS: "~~", NOT_PROPORTIONAL: "><", INCONSISTENT: "!!", INFO: "--",
         UNCHECKED: "??"}

RULE = ("Verdict rule: [!!] only when a number must be wrong: the figures disagree beyond chance, "
        "beyond the rounding of their printed digits, and under every model.")
LEGEND = ("Marks: [OK] consistent; [~~] depends: chance or a named assumption reconciles the figures; "
          "[><] the figures fit only if hazards are not proportional (a clue, not an error: ask for "
          "the curves); [!!] inconsistent; [--] information; [??] cannot check.")


@dataclass(frozen=True)
class Check:
    """One check: what was compared, the verdict, a plain sentence and the arithmetic.

    ``sentence`` says the finding in words (and names any assumption); ``detail`` shows the
    arithmetic; ``values`` holds the numbers computed.
    """

    topic: str
    verdict: str
    sentence: str
    values: dict = field(default_factory=dict)
    detail: str = ""

    @property
    def mark(self) -> str:
        """``"[OK]"``, ``"[~~]"``, ``"[><]"``, ``"[!!]"``, ``"[--]"`` or ``"[??]"``."""
        return f"[{MARKS[self.verdict]}]"

    @property
    def text(self) -> str:
        """The sentence followed by the arithmetic."""
        return f"{self.sentence} {self.detail}".strip()

    def __str__(self) -> str:
        lines = [f"{self.mark} {self.topic} ({self.verdict})", f"     {self.sentence}"]
        if self.detail:
            lines.append(f"     How: {self.detail}")
        return "\n".join(lines)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass
class ClaimReport:
    """All checks made on a set of reported numbers.

    ``checks`` holds every check. ``problems`` lists the checks a reader should take up: the
    numbers that cannot all be right (``inconsistent``, marked [!!]) and the figures that fit
    only if hazards are not proportional ([><], a clue rather than an error). ``depends`` lists
    the verdicts that rest on chance or a named assumption; ``unchecked`` the checks that could
    not be made for lack of a number.
    """

    reported: dict
    checks: list
    assumed: str = ""
    printed: dict = field(default_factory=dict)

    def _with(self, *verdicts) -> list[Check]:
        return [c for c in self.checks if c.verdict in verdicts]

    @property
    def problems(self) -> list[Check]:
        return self._with(INCONSISTENT, NOT_PROPORTIONAL)

    @property
    def inconsistent(self) -> list[Check]:
        return self._with(INCONSISTENT)

    @property
    def depends(self) -> list[Check]:
        return self._with(DEPENDS)

    @property
    def unchecked(self) -> list[Check]:
        return self._with(UNCHECKED)

    def find(self, topic: str) -> Check:
        """The check on ``topic`` (e.g. ``"hazard ratio vs medians"``)."""
        for c in self.checks:
            if c.topic == topic:
                return c
        raise KeyError(f"no check on {topic!r}; topics are {[c.topic for c in self.checks]}")

    def _closing(self) -> str:
        bad, nph, dep = (len(self._with(v)) for v in (INCONSISTENT, NOT_PROPORTIONAL, DEPENDS))
        parts = [_count(bad, "check finds numbers", "checks find numbers") + " that cannot all be right"
                 if bad else "No check finds numbers that cannot all be right"]
        if nph:
            parts.append(_count(nph, "check finds", "checks find")
                         + " figures that fit only if hazards are not proportional")
        if dep:
            parts.append(_count(dep, "verdict depends", "verdicts depend") + " on chance or an assumption")
        return "; ".join(parts) + "."

    def _given(self) -> str:
        if self.printed:
            return ", ".join(self.printed.values())
        return ", ".join(f"{k} {v}" if isinstance(v, str) else f"{k} = {_show(v)}"
                         for k, v in self.reported.items())

    def __str__(self) -> str:
        lines = [f"Reported: {self._given()}."]
        if self.assumed:
            lines.append(f"Assumed where the report is silent: {self.assumed}.")
        lines += [RULE, LEGEND]
        lines += [str(c) for c in self.checks]
        lines.append(self._closing())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {CONSISTENT: "#e6f4ea", INCONSISTENT: "#fde7e9", NOT_PROPORTIONAL: "#fef3e0",
                   DEPENDS: "#e8f0fe", INFO: "#f1f3f4", UNCHECKED: "#fff8e1"}
        rows = "".join(
            f'<tr style="background:{colours[c.verdict]}"><td>{html.escape(c.mark)} '
            f"{html.escape(c.verdict)}</td><td><b>{html.escape(c.topic)}</b></td>"
            f"<td>{html.escape(c.sentence)}<br><small>{html.escape(c.detail)}</small></td></tr>"
            for c in self.checks
        )
        assumed = (f"<p>Assumed where the report is silent: {html.escape(self.assumed)}.</p>"
                   if self.assumed else "")
        return (f"<p>Reported: {html.escape(self._given())}.</p>{assumed}<p><small>"
                f"{html.escape(RULE)}<br>{html.escape(LEGEND)}</small></p><table><tr><th>verdict</th>"
                f"<th>check</th><th>finding</th></tr>{rows}</table><p>{html.escape(self._closing())}</p>")


def _show(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(f"{v:g}" for v in value) + ")"
    return value if isinstance(value, str) else f"{value:g}"
