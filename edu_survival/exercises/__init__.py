"""Exercises that check themselves: ``check("05.2", answer)``, ``hint("05.2")``, ``solution("05.2")``.

The engine (:mod:`.engine`) holds :func:`check`, :func:`hint`, :func:`solution`,
:class:`Feedback` and the registry; each lesson's exercises are declared in a short module of
their own, ``lesson00.py``, ``lesson01.py`` and so on. To add an exercise, open the lesson's module and
add an ``Exercise`` to its ``register(...)`` call; a new module named ``lessonNN.py`` is found
and loaded without any other change.

Examples
--------
>>> from edu_survival import exercises
>>> exercises.check("04.1", ...).status
'unanswered'
>>> exercises.check("04.1", 1.38).misconception
'median ratio read as the hazard ratio'
>>> exercises.check("04.1", "0.72").status
'wrong form'
>>> exercises.check("04.1", exercises.answer("04.1")).correct
True
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from .. import design, teaching
from ..scenario import LAPATINIB
from .engine import (
    FORMS,
    REGISTRY,
    Accepted,
    Exercise,
    Feedback,
    Misconception,
    Note,
    _hints_given,
    answer,
    check,
    exercises,
    hint,
    question,
    register,
    solution,
)


def _load_lessons() -> None:
    """Import every ``lessonNN`` module of this package, in lesson order: each registers its exercises."""
    names = {m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"lesson\d\d", m.name)}
    for name in sorted(names):
        importlib.import_module(f".{name}", __name__)


_load_lessons()

__all__ = [
    "FORMS",
    "REGISTRY",
    "Accepted",
    "Exercise",
    "Feedback",
    "Misconception",
    "Note",
    "answer",
    "check",
    "design",
    "exercises",
    "hint",
    "question",
    "register",
    "solution",
    "teaching",
    "LAPATINIB",
    "_hints_given",
]
