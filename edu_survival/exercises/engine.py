"""The exercise engine: declarations, the registry, and the learner's functions.

An exercise is declared once, in the module of its lesson (``lesson05.py`` for lesson 05), by
``register(Exercise(...))``: its question, the form the answer must take, how the library
computes the right answer (at check time, seeded where a simulation is involved: no expected
number is typed in), a tolerance for numbers, the options of a multiple choice, two hints, and
the known misconceptions, each with a message that names and corrects it, and any other
defensible answer, accepted with a note (:class:`Accepted`). This module does not change when an
exercise is added.

An exercise asks for reasoning: no number printed in its lesson before it is its answer
(``tests/test_lessons.py`` feeds them all to :func:`check`). The one exception a lesson may
have is a declared *reading check* (``reading_check=True``), which says so in its question.

:func:`check` never raises on a learner's answer: a wrong answer, an answer of the wrong type or
the ``...`` placeholder all give a :class:`Feedback` that says what to do next.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

FORMS = {
    "number": "a number, such as 2.5 or 140 (no quotes)",
    "proportion": "a proportion between 0 and 1, such as 0.25 (no quotes, not a percentage)",
    "count": "a whole number, such as 42 (no quotes)",
    "choice": 'one letter in quotes, such as "b"',
    "choices": "the letters of every true option, together in one text in quotes (any order)",
}


# ----- results ------------------------------------------------------------------------------
_STYLES = {
    "correct": ("#e6f4ea", "#1e7b34", "Correct"),
    "misconception": ("#fdecea", "#b3261e", "A common misconception"),
    "incorrect": ("#fdecea", "#b3261e", "Not yet"),
    "wrong form": ("#fff4e5", "#8a5300", "Check the form of your answer"),
    "unanswered": ("#f1f3f4", "#3c4043", "Not answered yet"),
    "unknown exercise": ("#fff4e5", "#8a5300", "Unknown exercise"),
    "hint": ("#e8f0fe", "#1a4fa0", "Hint"),
    "solution": ("#f3e8fd", "#5b2a86", "Solution (for teachers)"),
    "question": ("#f8f9fa", "#1967d2", "Exercise"),  # 5.1:1 on its background (WCAG AA)
}


def _box(status: str, title: str, message: str) -> str:
    background, colour, label = _STYLES[status]
    body = "<br>".join(html.escape(line) for line in message.split("\n"))
    return (
        f'<div style="background:{background};border-left:6px solid {colour};color:#202124;'
        f'padding:8px 12px;margin:4px 0;border-radius:4px;font-family:sans-serif">'
        f'<b style="color:{colour}">{html.escape(label)}</b> '
        f'<span style="color:#5f6368">({html.escape(title)})</span><br>{body}</div>'
    )


@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says about an answer.

    ``correct`` is True only for a right answer; ``status`` is one of "correct",
    "misconception", "incorrect", "wrong form", "unanswered", "unknown exercise";
    ``misconception`` names the misconception recognised, if any.
    """

    exercise_id: str
    correct: bool
    status: str
    message: str
    misconception: str | None = None

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        label = _STYLES[self.status][2]
        return f"{label} ({self.exercise_id}): {self.message}"

    def __repr__(self) -> str:
        return f"<Feedback {self.exercise_id} correct={self.correct} status={self.status!r}: {self.message}>"

    def _repr_html_(self) -> str:
        return _box(self.status, f"exercise {self.exercise_id}", self.message)


@dataclass(frozen=True)
class Note:
    """A hint or a solution: plain text with a coloured box in a notebook."""

    exercise_id: str
    kind: str  # "question", "hint" or "solution"
    text: str

    def __str__(self) -> str:
        return f"{_STYLES[self.kind][2]} ({self.exercise_id}): {self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return _box(self.kind, f"exercise {self.exercise_id}", self.text)


# ----- declarations -------------------------------------------------------------------------
@dataclass(frozen=True)
class Misconception:
    """A wrong answer that reflects a known misunderstanding, with the message that corrects it.

    ``value`` is an option letter for a multiple choice, or a number (or a function of no
    arguments computing it with the library) for a numeric question. ``tolerance`` (numbers only)
    defaults to the exercise's.
    """

    name: str
    value: Any
    message: str
    tolerance: float | None = None


@dataclass(frozen=True)
class Accepted:
    """Another defensible answer: marked right, with a note that says how it differs.

    ``value`` is as for :class:`Misconception` (letters, a number, or a function computing it);
    ``tolerance`` (numbers only) defaults to the exercise's.
    """

    value: Any
    note: str
    tolerance: float | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise, declared: the answer is computed by ``answer()`` at check time."""

    id: str
    question: str
    form: str
    answer: Callable[[], Any]
    tolerance: float = 0.0
    options: dict = field(default_factory=dict)
    misconceptions: tuple = ()
    hints: tuple = ()
    explanation: Callable[[Any], str] | str = ""
    how: str = ""
    accepted: tuple = ()
    reading_check: bool = False
    formerly: str = ""  # the id this exercise had before the lessons were renumbered, if another

    @property
    def lesson(self) -> int:
        return int(self.id.split(".")[0])

    def explain(self, value) -> str:
        return self.explanation(value) if callable(self.explanation) else self.explanation

    def expected_form(self) -> str:
        if self.form == "choice":
            letters = ", ".join(f'"{k}"' for k in self.options)
            return f"one of the letters {letters}, in quotes"
        if self.form == "choices":
            letters = ", ".join(self.options)
            example = "".join(list(self.options)[1:])  # a format example, never one exercise's answer
            return (f"the letters of every option that applies, among {letters}, together in one text "
                    f'in quotes (for example "{example}" if those applied)')
        return FORMS[self.form]

    @property
    def lettered(self) -> bool:
        """True for the forms answered with letters (one, or a set of several)."""
        return self.form in ("choice", "choices")

    def misconception_value(self, m: Misconception | Accepted):
        return m.value() if callable(m.value) else m.value


REGISTRY: dict[str, Exercise] = {}


def register(*items: Exercise) -> None:
    for ex in items:
        if ex.id in REGISTRY:
            raise ValueError(f"exercise {ex.id} declared twice")
        if ex.form not in FORMS:
            raise ValueError(f"exercise {ex.id}: form must be one of {list(FORMS)}")
        if ex.lettered != bool(ex.options):
            raise ValueError(f"exercise {ex.id}: a choice needs options, and only a choice has them")
        if ex.form == "choices" and _letters(ex, ex.answer()) is None:
            raise ValueError(f"exercise {ex.id}: the answer must be letters among the options")
        if len(ex.hints) != 2:
            raise ValueError(f"exercise {ex.id}: give exactly two hints")
        REGISTRY[ex.id] = ex



# ----- the learner's functions --------------------------------------------------------------
def _unknown(exercise_id) -> Feedback:
    known = ", ".join(REGISTRY)
    return Feedback(str(exercise_id), False, "unknown exercise",
                    f"There is no exercise {exercise_id!r}. Exercises are: {known}.")


def _get(exercise_id) -> Exercise | None:
    return REGISTRY.get(str(exercise_id).strip()) if isinstance(exercise_id, str) else None


def answer(exercise_id: str):
    """The right answer, computed by the library now (for teachers and tests)."""
    ex = _get(exercise_id)
    if ex is None:
        raise KeyError(f"no exercise {exercise_id!r}; exercises are {list(REGISTRY)}")
    value = ex.answer()
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _unwrap(value):
    """The value inside a 0-d or one-element array (numpy, or a pandas Series); else ``value``.

    A learner's calculation often ends in such an array (``np.mean(...)``, ``series[mask]``);
    its one number is the answer they mean.
    """
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(-1)[0]
    return value


def _as_number(value):
    """A float for a real number (int, float, numpy number, Decimal, Fraction); None otherwise.

    NaN and infinite values are returned as such, so the feedback can name them.
    """
    value = _unwrap(value)
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if not isinstance(value, (Real, np.integer, np.floating)):
        return None
    return float(value)


def _letters(ex: Exercise, value) -> str | None:
    """The letters of a lettered answer, normalised (lower case, sorted, no separators); None if
    it is not letters among the options (or, for a single choice, not exactly one letter)."""
    value = _unwrap(value)
    if not isinstance(value, str):
        return None
    text = value.lower()
    for junk in " ,;()'\"+&":
        text = text.replace(junk, "")
    text = text.replace("and", "")
    if not text or any(letter not in ex.options for letter in text) or len(set(text)) != len(text):
        return None
    if ex.form == "choice" and len(text) != 1:
        return None
    return "".join(sorted(text))


def _form_message(ex: Exercise, value) -> str:
    extra = ""
    value = _unwrap(value)
    if isinstance(value, str) and not ex.lettered:
        extra = f" You gave the text {value!r}; remove the quotes."
    elif ex.lettered and isinstance(value, str):
        extra = f" {value!r} is not one of them." if ex.form == "choice" else f" {value!r} is not letters among them."
    elif isinstance(value, np.ndarray):
        extra = f" You gave an array of {value.size} values; give one value."
    elif isinstance(value, (list, tuple, dict, set, pd.Series, pd.DataFrame)):
        extra = " You gave a collection; give one value."
    return f"Your answer must be {ex.expected_form()}.{extra}"


def _misconception(ex: Exercise, given, among: tuple | None = None) -> Misconception | Accepted | None:
    """The first of ``among`` (default: the misconceptions) whose value matches ``given``."""
    for m in ex.misconceptions if among is None else among:
        target = ex.misconception_value(m)
        if ex.form == "choices":
            if given == _letters(ex, target):
                return m
        elif ex.form == "choice":
            if given == target:
                return m
        elif abs(given - float(target)) <= max(ex.tolerance if m.tolerance is None else m.tolerance, 1e-9):
            return m
    return None


def check(exercise_id: str, answer) -> Feedback:
    """Check a learner's answer and say why it is right or what to rethink. Never raises.

    Parameters
    ----------
    exercise_id : str
        The exercise, e.g. ``"05.2"`` (lesson 05, exercise 2).
    answer :
        The learner's answer; ``...`` (the placeholder) means "not answered yet".
    """
    ex = _get(exercise_id)
    if ex is None:
        return _unknown(exercise_id)
    if answer is Ellipsis:
        return Feedback(ex.id, False, "unanswered",
                        f"Replace ... with your answer ({ex.expected_form()}) and run the cell again.")
    try:
        return _renumbered(ex, answer, _check(ex, answer))
    except Exception as error:  # the library failed, not the learner: say so, do not raise
        return Feedback(ex.id, False, "unknown exercise",
                        f"The checker could not compute the answer ({type(error).__name__}: {error}). "
                        "Please tell your teacher.")


def _renumbered(ex: Exercise, given, feedback: Feedback) -> Feedback:
    """A notebook saved before the exercises were renumbered asks by the old number: if the answer has
    the wrong form here but is right for the exercise that had this number, say where it is now.
    (Only for the wrong form: a learner of today who picks a wrong letter is not sent elsewhere.)"""
    if feedback.status != "wrong form":
        return feedback
    for other in REGISTRY.values():
        if other.formerly == ex.id and _check(other, given).correct:
            note = (f"Exercise numbers changed when the lessons were revised: your answer is right for the "
                    f"exercise numbered {ex.id} before, which is {other.id} now (see "
                    f'es.exercises.question("{other.id}")). For exercise {ex.id} as it is now: ')
            return Feedback(ex.id, False, feedback.status, note + feedback.message, feedback.misconception)
    return feedback


def _check_letters(ex: Exercise, given) -> Feedback:
    letters = _letters(ex, given)
    if letters is None:
        return Feedback(ex.id, False, "wrong form", _form_message(ex, given))
    right = _letters(ex, ex.answer())
    if letters == right:
        return Feedback(ex.id, True, "correct", ex.explain(ex.answer()))
    other = _misconception(ex, letters, ex.accepted)
    if other is not None:
        return Feedback(ex.id, True, "correct", f"{other.note} {ex.explain(ex.answer())}".strip())
    m = _misconception(ex, letters)
    if m is not None:
        return Feedback(ex.id, False, "misconception", m.message, m.name)
    ask = f'Think again, or ask for es.exercises.hint("{ex.id}").'
    if ex.form == "choice":
        return Feedback(ex.id, False, "incorrect",
                        f"Not {letters!r}: option {letters} says \"{ex.options[letters]}\". {ask}")
    extra, missing = set(letters) - set(right), set(right) - set(letters)
    parts = []
    if extra == set(letters):
        parts.append("none of the letters you chose is true")
    elif extra:
        parts.append(f"{len(extra)} of the {len(letters)} you chose {'is' if len(extra) == 1 else 'are'} not true")
    if missing:
        parts.append(f"{len(missing)} true statement{'' if len(missing) == 1 else 's'} "
                     f"{'is' if len(missing) == 1 else 'are'} missing")
    return Feedback(ex.id, False, "incorrect", f"Not {letters!r}: {' and '.join(parts)}. {ask}")


def _check(ex: Exercise, given) -> Feedback:
    if ex.lettered:
        return _check_letters(ex, given)

    number = _as_number(given)
    if number is None:
        return Feedback(ex.id, False, "wrong form", _form_message(ex, given))
    if math.isnan(number):
        return Feedback(ex.id, False, "wrong form",
                        f"You gave NaN (\"not a number\"), what a calculation returns when it fails, "
                        f"for example 0 / 0 or a median that was not reached. Your answer must be "
                        f"{ex.expected_form()}.")
    if math.isinf(number):
        return Feedback(ex.id, False, "wrong form",
                        f"You gave an infinite value ({number:g}), what a calculation returns after dividing "
                        f"by zero. Your answer must be {ex.expected_form()}.")
    if ex.form == "count" and number != int(number):
        m = _misconception(ex, number)  # e.g. a formula's value left unrounded
        if m is not None:
            return Feedback(ex.id, False, "misconception", m.message, m.name)
        return Feedback(ex.id, False, "wrong form", _form_message(ex, given) + " A count has no decimals.")
    value = answer(ex.id)
    right = float(value)
    tol = max(ex.tolerance, 1e-9)
    if abs(number - right) <= tol:
        return Feedback(ex.id, True, "correct", ex.explain(value))
    other = _misconception(ex, number, ex.accepted)
    if other is not None:
        return Feedback(ex.id, True, "correct", f"{other.note} {ex.explain(value)}".strip())
    m = _misconception(ex, number)
    if m is not None:
        return Feedback(ex.id, False, "misconception", m.message, m.name)
    if ex.form == "proportion" and 1 < number <= 100:
        return Feedback(ex.id, False, "wrong form",
                        f"That looks like a percentage. Give it as a proportion between 0 and 1: "
                        f"{number:g}% is {number / 100:g}.")
    if ex.form == "proportion" and not 0 <= number <= 1:
        return Feedback(ex.id, False, "wrong form", f"Your answer must be {ex.expected_form()}.")
    direction = "too high" if number > right else "too low"
    return Feedback(ex.id, False, "incorrect",
                    f"{number:g} is {direction}. Check your working, or ask for es.exercises.hint(\"{ex.id}\").")


_hints_given: dict[str, int] = {}


def hint(exercise_id: str, which: int | None = None) -> Note:
    """A hint: the first on the first call, the second on the next call (or ``hint(id, 2)``)."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "hint", _unknown(exercise_id).message)
    if which is None:
        which = min(_hints_given.get(ex.id, 0) + 1, 2)
    if which not in (1, 2):
        return Note(ex.id, "hint", "There are two hints: hint(id, 1) and hint(id, 2).")
    _hints_given[ex.id] = max(_hints_given.get(ex.id, 0), which)
    more = " (Call hint again for the second.)" if which == 1 else ""
    return Note(ex.id, "hint", f"Hint {which} of 2: {ex.hints[which - 1]}{more}")


def question(exercise_id: str) -> Note:
    """The question as the learner should see it: text, options and the form of the answer."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "question", _unknown(exercise_id).message)
    lines = [ex.question]
    if ex.reading_check:
        lines.append("(A reading check: the answer can be read from what is printed above.)")
    lines += [f"  {key}. {text}" for key, text in ex.options.items()]
    lines.append(f"Answer with {ex.expected_form()}.")
    return Note(ex.id, "question", "\n".join(lines))


def solution(exercise_id: str) -> Note:
    """The answer, computed now by the library, with its explanation and the call that computes it."""
    ex = _get(exercise_id)
    if ex is None:
        return Note(str(exercise_id), "solution", _unknown(exercise_id).message)
    value = answer(ex.id)
    if ex.form == "choice":
        shown = f'"{value}": {ex.options[value]}'
    elif ex.form == "choices":
        shown = f'"{value}": ' + "; ".join(f"{k}. {ex.options[k]}" for k in value)
    elif ex.form == "count":
        shown = f"{value:g}" if isinstance(value, float) else str(value)
    else:
        shown = f"{value:.4g}" + (f" (accepted within {ex.tolerance:g})" if ex.tolerance else "")
    text = f"{ex.question}\nAnswer: {shown}.\n{ex.explain(value)}\nComputed by: {ex.how}"
    if ex.accepted:
        text += "\nAlso accepted: " + "; ".join(a.note for a in ex.accepted)
    if ex.misconceptions:
        text += "\nWatch for: " + "; ".join(m.name for m in ex.misconceptions) + "."
    return Note(ex.id, "solution", text)


def exercises(lesson: int | str | None = None) -> pd.DataFrame:
    """The exercises (of one lesson, if given: its number, 3 or "03") with their question and
    the form of answer; ValueError for a lesson that does not exist or has no exercises."""
    number = None if lesson is None else _lesson_number(lesson)
    rows = [
        {"id": ex.id, "lesson": ex.lesson, "question": ex.question, "answer form": ex.expected_form()}
        for ex in REGISTRY.values()
        if number is None or ex.lesson == number
    ]
    return pd.DataFrame(rows, columns=["id", "lesson", "question", "answer form"]).set_index("id")


def _lesson_number(lesson) -> int:
    """A lesson's number from 3, 3.0 or "03"; ValueError naming ``lesson`` if no exercise has it."""
    known = sorted({ex.lesson for ex in REGISTRY.values()})
    allowed = f"the number of a lesson with exercises ({known[0]} to {known[-1]})"
    text = lesson.strip() if isinstance(lesson, str) else None
    if text is not None and text.isdigit():
        number = int(text)
    elif isinstance(lesson, Real) and not isinstance(lesson, bool) and float(lesson).is_integer():
        number = int(lesson)
    else:
        raise ValueError(f"lesson must be {allowed}; got {lesson!r}")
    if number not in known:
        raise ValueError(f"there is no lesson {number} with exercises; lesson must be {allowed}")
    return number
