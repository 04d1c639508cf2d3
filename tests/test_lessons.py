"""The lesson notebooks: their skeleton (read as JSON) and a run from a fresh kernel (nbclient).

Structure: title, objectives first, prerequisites and time, the case-study recap, one imports
cell, at least one "predict, then check" prompt with a committed prediction, at least three
exercises whose ids exist and belong to the lesson, key points last (with "What's next"),
simulated data labelled, outputs stripped, and no derived number typed into the prose.

Execution (``-m notebooks``): every lesson top to bottom in a fresh ``python3`` kernel that sees
this checkout on PYTHONPATH, with a per-cell timeout; no cell may produce an error or a warning.
"""

import os
import pathlib
import re
import time

import nbformat
import pytest

from edu_survival.exercises import REGISTRY

ROOT = pathlib.Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
EXPECTED = [
    "00_the_news_story",
    "01_time_to_event_and_censoring",
    "02_kaplan_meier_by_hand",
    "03_median_survival",
    "04_hazards_and_the_hazard_ratio",
    "05_log_rank_test_and_p_values",
    "06_sample_size_and_power",
    "07_when_hazards_are_not_proportional",
    "08_capstone_appraise_the_claim",
    "09_rebuilding_a_trial_from_its_curve",
]
PATHS = [LESSONS / f"{name}.ipynb" for name in EXPECTED]
CELL_TIMEOUT = 120  # seconds; the slowest cell (1,000 simulated trials) takes well under one

# Numbers that may be typed in prose: the story's reported figures, design settings and
# conventions the learner is told (they are inputs, not results). Anything else that looks like
# a computed result (a decimal or a percentage) must come from a cell.
ALLOWED_NUMBERS = {
    "23.9", "17.3", "38%",  # the story's medians and its claim
    "0.05", "95%", "80%", "90%",  # alpha, interval level, conventional power targets
    "30%",  # lesson 01's dropout setting, passed to Scenario in the next cell
}
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?%|(?<![\w.])\d+\.\d+(?![\w.])")


def _read(path):
    return nbformat.read(path, as_version=4)


def _source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def test_the_series_is_complete():
    found = sorted(p.stem for p in LESSONS.glob("*.ipynb"))
    assert found == EXPECTED
    assert (LESSONS / "README.md").exists()


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_skeleton(path):
    cells = _read(path).cells
    md = [c for c in cells if c.cell_type == "markdown"]
    # title, then objectives
    assert cells[0].cell_type == "markdown" and _source(cells[0]).startswith("# Lesson ")
    assert cells[1].cell_type == "markdown" and "objectives" in _source(cells[1]).lower()
    assert len(re.findall(r"^- ", _source(cells[1]), flags=re.M)) >= 3
    # prerequisites and time, and the recap, before the imports
    text = [_source(c) for c in cells]
    prereq = next(i for i, s in enumerate(text) if "## Prerequisites and time" in s)
    recap = next(i for i, s in enumerate(text) if "## Where the case study stands" in s)
    imports = [i for i, c in enumerate(cells) if c.cell_type == "code" and re.search(r"^import |^from ", _source(c), re.M)]
    assert len(imports) == 1, "one imports cell"
    assert prereq < recap < imports[0] < 8
    assert re.search(r"about \d\d minutes", text[prereq])
    minutes = int(re.search(r"about (\d\d) minutes", text[prereq]).group(1))
    assert 20 <= minutes <= 40
    assert "import edu_survival as es" in text[imports[0]]
    # key points last, followed only by "What's next"
    key = [i for i, s in enumerate(text) if "## Key points" in s]
    assert len(key) == 1
    assert key[0] == len(cells) - 1 or (key[0] == len(cells) - 2 and "## What's next" in text[-1])
    assert "## What's next" in "".join(text[key[0]:])
    # every section heading is a markdown cell; prose is not in code comments
    assert len(md) > len(cells) / 3


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_predictions_come_before_the_reveal(path):
    cells = _read(path).cells
    prompts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and "Predict, then check" in _source(c)]
    assert prompts, "at least one prediction prompt"
    for i in prompts:
        nxt = cells[i + 1]
        assert nxt.cell_type == "code" and _source(nxt).startswith("prediction = ..."), (
            f"cell {i}: the prompt is followed by a cell where the learner commits to a prediction"
        )
        assert i + 2 < len(cells), "and something to reveal after it"


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_exercises_are_checked_under_their_answer_cells(path):
    cells = _read(path).cells
    lesson = path.stem[:2]
    code = [_source(c) for c in cells if c.cell_type == "code"]
    checks = [re.search(r'es\.exercises\.check\("(\d\d\.\d)", (answer_\w+)\)', s) for s in code]
    checks = [m for m in checks if m]
    assert len(checks) >= 3
    ids = [m.group(1) for m in checks]
    assert len(set(ids)) == len(ids)
    assert {i for i in REGISTRY if i.startswith(lesson + ".")} == set(ids), "every exercise of the lesson is used"
    for m in checks:
        exercise_id, var = m.groups()
        assert exercise_id.startswith(lesson + ".")
        assert exercise_id in REGISTRY
        k = next(j for j, s in enumerate(code) if m.group(0) in s)
        assert code[k - 1].startswith(f"{var} = ...  # "), "placeholder answer cell right above the check"
        assert code[k - 2] == f'es.exercises.question("{exercise_id}")', "question shown from the registry"
    headings = re.findall(r"### Exercise (\d\d\.\d)", "".join(_source(c) for c in cells if c.cell_type == "markdown"))
    assert headings == ids, "headings in the order the exercises are checked"


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_outputs_are_stripped(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_simulated_data_are_labelled(path):
    cells = _read(path).cells
    code = "".join(_source(c) for c in cells if c.cell_type == "code")
    prose = "".join(_source(c) for c in cells if c.cell_type == "markdown")
    if re.search(r"simulate|simulated_trial|es\.power\(|power_curve|check_claims\(n=", code):
        assert "simulated from the story's summary figures" in prose


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_no_computed_number_is_typed_into_the_prose(path):
    typed = set()
    for cell in _read(path).cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"[Ee]xercise \d\d\.\d", "", _source(cell))
            typed |= set(NUMBER.findall(prose))
    assert typed <= ALLOWED_NUMBERS, f"compute these in a cell instead: {sorted(typed - ALLOWED_NUMBERS)}"


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_cells_are_thin(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            src = _source(cell)
            assert len(src.splitlines()) <= 3, src
            assert not re.search(r"^\s*(def|class|lambda) ", src, re.M), src
            assert "np." not in src and "numpy" not in src, "no array arithmetic in a notebook"


# ----- execution --------------------------------------------------------------------------
@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_lesson_runs_top_to_bottom(path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = _read(path)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(LESSONS)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}\n{_source(cell)}")
            elif out.output_type == "stream" and out.name == "stderr" and re.search(r"Warning|Traceback", out.text):
                problems.append(f"cell {i} wrote to stderr: {out.text[:500]}\n{_source(cell)}")
        # a plot cell must show a picture (with alt text when it is an <img>), not an object's repr
        if cell.cell_type == "code" and "es.plots.plot_" in _source(cell):
            shown = [o.get("data", {}) for o in cell.get("outputs", []) if o.output_type in ("display_data", "execute_result")]
            pictures = [d for d in shown if "image/png" in d or "<img" in str(d.get("text/html", ""))]
            if not pictures:
                problems.append(f"cell {i} shows no figure:\n{_source(cell)}")
    assert not problems, "\n\n".join(problems)
    # placeholders give friendly "not answered yet" feedback, not errors
    checks = [c for c in nb.cells if c.cell_type == "code" and "exercises.check(" in _source(c)]
    for cell in checks:
        text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
        assert "status='unanswered'" in text, text
    print(f"{path.stem}: {elapsed:.1f} s")
