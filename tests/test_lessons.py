"""The lesson notebooks: their skeleton (read as JSON) and a run from a fresh kernel (nbclient).

Structure: title, objectives first, prerequisites and time, the case-study recap, one imports
cell, at least one "predict, then check" prompt with a committed prediction, at least three
exercises whose ids exist and belong to the lesson, key points last (with "What's next"),
simulated data labelled, outputs stripped, and no derived number typed into the prose.

Execution (``-m notebooks``): every lesson top to bottom in a fresh ``python3`` kernel that sees
this checkout on PYTHONPATH, with a per-cell timeout; no cell may produce an error or a warning.
"""

import math
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
    "10_traps_in_the_data",
    "11_traps_in_the_trial",
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
    # derived, each pinned to the library by test_typed_derived_numbers_are_the_librarys below:
    "0.62",  # the story's "38% reduction" read as a hazard ratio, 1 - 0.38
    "28%",  # lesson 06: the reduction in the hazard the medians imply under constant hazards
    "1.96", "0.84",  # lesson 06: z for a two-sided alpha of 0.05, and for 80% power
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


def test_typed_derived_numbers_are_the_librarys():
    from scipy.stats import norm

    from edu_survival.teaching import STORY

    assert f"{100 * STORY.reduction_from_medians:.0f}%" == "28%"
    assert f"{STORY.hr_reported:.2f}" == "0.62"
    assert f"{norm.ppf(1 - 0.05 / 2):.2f}" == "1.96"
    assert f"{norm.ppf(0.8):.2f}" == "0.84"


def _all_text(path):
    return "\n".join(_source(c) for c in _read(path).cells)


def test_no_lesson_says_half_the_patients_have_died():
    # with censoring the median is where an *estimated* half have died, not a head count
    for path in PATHS:
        assert "half the patients have died" not in _all_text(path).lower(), path.stem
    assert "half the patients have died" not in (LESSONS / "case_study.md").read_text().lower()


def test_lessons_link_the_case_study_page_not_a_path_outside_the_repository():
    page = LESSONS / "case_study.md"
    assert page.exists()
    texts = [_all_text(p) for p in PATHS] + [(LESSONS / "README.md").read_text(), (ROOT / "README.md").read_text()]
    for text in texts:
        assert "shared/case-study" not in text and "FACTS.md" not in text
    linked = [p.stem for p in PATHS if "(case_study.md)" in _all_text(p)]
    assert {"00_the_news_story", "08_capstone_appraise_the_claim"} <= set(linked)
    assert "(case_study.md)" in (LESSONS / "README.md").read_text()
    assert "lessons/case_study.md" in (ROOT / "README.md").read_text()


def test_case_study_page_numbers_are_the_librarys():
    import edu_survival as es
    from edu_survival import design, teaching

    text = (LESSONS / "case_study.md").read_text()
    story = teaching.STORY
    hr_medians = story.hr_from_medians
    assert f"17.3 / 23.9 = {hr_medians:.3f}" in text
    assert f"a {100 * story.reduction_from_medians:.0f}% lower hazard" in text
    assert f"shape 0.7) | {es.LAPATINIB.replace(shape=0.7).hr:.2f}" in text
    assert f"about {story.reconciling_shape:.2f}" in text
    assert "roughly doubles between month 6 and month 24" in text
    assert 1.8 < (24 / 6) ** (story.reconciling_shape - 1) < 2.2
    d = teaching.deaths_per_100(es.LAPATINIB, 24, 0.62)
    assert f"about {d['control']:.0f} of 100 patients on chemotherapy alone" in text
    assert f"about {d['treatment']:.0f} of 100 on lapatinib" in text
    assert f"a {100 * (1 - d['treatment'] / d['control']):.0f}% lower *risk of dying by 24 months*" in text
    assert f"about {d['fewer deaths']:.0f} fewer deaths per 100" in text
    # deaths needed are rounded up, everywhere
    needed = {(hr, pw): math.ceil(design.schoenfeld_events(hr, pw)) for hr in (hr_medians, 0.62) for pw in (0.8, 0.9)}
    assert f"| {needed[(hr_medians, 0.8)]} | {needed[(0.62, 0.8)]} |" in text
    assert f"| {needed[(hr_medians, 0.9)]} | {needed[(0.62, 0.9)]} |" in text
    deaths = design.expected_events(es.LAPATINIB)
    assert f"about {deaths:.0f} deaths are seen" in text
    power = {hr: norm_cdf(design.expected_logrank_z(hr, deaths) - 1.959964) for hr in (hr_medians, 0.62)}
    assert f"| about {power[hr_medians]:.2f} | about {power[0.62]:.2f} |" in text


def norm_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_every_deaths_needed_figure_in_the_lessons_is_rounded_up():
    """Any "N deaths" next to "needed"/"need" in prose or in what a teaching helper prints equals
    math.ceil(schoenfeld_events(...)) for the hazard ratio and power it names."""
    from edu_survival import design, teaching

    allowed = {math.ceil(design.schoenfeld_events(hr, pw)) for hr in (teaching.STORY.hr_from_medians, 0.62)
               for pw in (0.8, 0.9)}
    printed = teaching.planning_summary()
    found = [int(n) for n in re.findall(r"so (\d+)", printed)]
    assert found and set(found) <= allowed, printed
    for n in re.findall(r"(\d+) deaths? (?:are )?needed|needs? (\d+) deaths", "\n".join(_all_text(p) for p in PATHS)):
        value = int(next(v for v in n if v))
        assert value in allowed, value


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


@pytest.mark.parametrize("path", PATHS, ids=EXPECTED)
def test_every_widget_has_a_static_copy_right_after_it(path):
    # issue 11, item 7: a reader without a kernel (GitHub, nbviewer, a printout) still follows
    cells = _read(path).cells
    for i, cell in enumerate(cells):
        src = _source(cell)
        if cell.cell_type != "code" or ".snapshot()" in src:
            continue
        if re.search(r"es\.explore\(|es\.widgets\.\w+\(", src):
            following = [_source(c) for c in cells[i + 1:i + 3] if c.cell_type == "code"]
            assert following and ".snapshot()" in following[0], f"cell {i}: {src}"
