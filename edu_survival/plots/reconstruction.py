"""The reconstruction figure: a trial's Kaplan–Meier curves beside the ones rebuilt from its
published figure (see :mod:`edu_survival.reconstruct`)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..analyze import Analysis, analyze
from ..reconstruct import largest_gap
from .figure import img_html, new_figure, png_bytes
from .style import _RC, ARM_COLORS, STYLE


def _analysed(name, data, **options):
    """``analyze(data)``, its errors naming the argument they came from."""
    try:
        return analyze(data, **options)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


class ReconstructionPlot:
    """The hidden trial's Kaplan–Meier curves (solid) with the rebuilt ones (dotted)."""

    def __init__(self, original, rebuilt):
        first = original if isinstance(original, Analysis) else _analysed("original", original)
        second = _analysed("rebuilt", rebuilt, control=first.reference, engine="numpy")
        self.figure = new_figure(8.5, 4.8)
        with mpl.rc_context(_RC):
            self._draw(first, second)

    def _draw(self, first, second):
        ax = self.figure.add_subplot()
        for pos, arm in enumerate(first.arms):
            colour = ARM_COLORS[pos]
            for res, style, what in ((first, "-", "hidden trial"), (second, ":", "rebuilt")):
                c = res.curves[arm]
                ax.step(np.r_[c.time, c.time[-1]], np.r_[c.survival, c.survival[-1]], where="post",
                        color=colour, linestyle=style, linewidth=1.8, label=f"{first.labels[arm]}, {what}")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(f"Time ({first.unit})")
        ax.set_ylabel(STYLE["labels"]["survival_axis"])
        ax.legend(loc="upper right", frameon=False)
        gaps = {arm: largest_gap(first.curves[arm], second.curves[arm]) for arm in first.arms}
        ax.set_title("Hidden trial (solid) and its reconstruction (dotted)", loc="left")
        self.figure.tight_layout()
        self.ax = ax
        self.alt_text = (
            "Kaplan–Meier curves of the hidden trial and of its reconstruction from the digitised "
            "figure; largest vertical gap " + ", ".join(f"{a} {g:.3f}" for a, g in gaps.items()) + "."
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = png_bytes(self.figure)
        width = int(self.figure.get_figwidth() * self.figure.dpi)
        return {"text/html": img_html(png, self.alt_text, width), "text/plain": self.alt_text}


def plot_reconstruction(original, rebuilt) -> ReconstructionPlot:
    """The original (solid) and rebuilt (dotted) Kaplan–Meier curves of each arm, on one plot."""
    return ReconstructionPlot(original, rebuilt)
