"""Helpers of lesson 00 (the news story), and of its exercises, only."""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario
from .common import LABELS, STORY, StoryReport, _pct


def story_summary(story: StoryReport = STORY) -> str:
    """The story's figures in plain lines: what it reports and what it leaves out."""
    lines = [
        f"What the story ({story.source}) reports:",
        f"  - {story.n} patients, randomised to lapatinib + chemotherapy or chemotherapy alone",
        "  - primary endpoint: overall survival (time from the start of treatment to death from any cause)",
        f"  - median overall survival {story.median_treatment:g} months with lapatinib vs "
        f"{story.median_control:g} months without",
        f"  - a \"{_pct(story.reduction)} reduction in the risk of death\"",
        "What it leaves out:",
    ]
    lines += [f"  - {item}" for item in story.not_reported]
    return "\n".join(lines)


def survival_sentence(scenario: Scenario, arm: str, times) -> str:
    """The true share alive in ``arm`` at each of ``times`` (months), one line each."""
    label = LABELS.get(arm, arm)
    lines = [f"True share alive with {label} (model from the story's medians):"]
    for t in np.atleast_1d(times):
        lines.append(f"  at {float(t):g} months: {float(scenario.survival(t, arm)):.2f}")
    return "\n".join(lines)
