"""Tables that say what they are: a caption in ``attrs["caption"]`` and in the HTML.

A table projected in class or copied into a report loses the notebook prose around it, so every
table the lessons show carries its own label, and says so when its data are simulated. Written
once here and used by :mod:`~edu_survival.teaching`, :mod:`~edu_survival.lifetable`,
:mod:`~edu_survival.censoring` and :mod:`~edu_survival.effects`.

Examples
--------
>>> import pandas as pd
>>> table = with_caption(pd.DataFrame({"deaths": [3, 2]}), "Deaths per arm", simulated=True)
>>> table.attrs["caption"]
"Deaths per arm (simulated from the story's summary figures, not patient data)."
>>> "<caption>Deaths per arm" in table._repr_html_()
True
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["SIMULATED", "CaptionedFrame", "captioned_html", "is_simulated", "with_caption"]

SIMULATED = "simulated from the story's summary figures, not patient data"
"""What a caption adds when the table's data are simulated."""


class CaptionedFrame(pd.DataFrame):
    """A pandas DataFrame whose notebook HTML shows ``attrs["caption"]`` as its caption."""

    @property
    def _constructor(self):
        return CaptionedFrame

    def _repr_html_(self) -> str | None:
        return captioned_html(self)


def captioned_html(table: pd.DataFrame, float_format=None) -> str:
    """The table's HTML (as a notebook shows it) with ``attrs["caption"]`` as ``<caption>``."""
    if float_format is None:
        body = pd.DataFrame._repr_html_(table) or table.to_html()
    else:
        body = table.to_html(float_format=float_format, na_rep="")
    caption = table.attrs.get("caption")
    if not caption:
        return body
    start = body.find("<table")
    end = body.find(">", start) + 1
    return f"{body[:end]}\n  <caption>{html.escape(caption, quote=False)}</caption>{body[end:]}"


def with_caption(table: pd.DataFrame, caption: str, simulated: bool = False) -> CaptionedFrame:
    """``table`` as a :class:`CaptionedFrame` with ``caption`` (plus the simulated-data note)."""
    text = caption.rstrip(".")
    if simulated:
        text += f" ({SIMULATED})"
    out = CaptionedFrame(table)
    out.attrs.update(table.attrs)
    out.attrs["caption"] = text + "."
    return out


def is_simulated(data) -> bool:
    """True when ``data`` (a DataFrame from :func:`~edu_survival.simulate`, or an Analysis of one)
    holds simulated patients."""
    if hasattr(data, "simulated"):
        return bool(data.simulated)
    return "scenario" in getattr(data, "attrs", {})
