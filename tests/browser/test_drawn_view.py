"""The curves drawn in the browser (issue 24), checked in headless Chromium.

* The drawn curves are the analysis: the step heights the view holds (its canvas's data
  attributes) equal ``Analysis.km`` to float32 precision, and the pixels at three times on
  each curve are the curve's colour.
* Hovering the plot, and focusing it and pressing the arrow keys, read time, survival with its
  CI and the number at risk per arm, in an ``aria-live`` region.
* After a fast drag the final value is the one drawn.
* Every slider is ``role="slider"`` with its ARIA values, an accessible name and visible focus.
* Where the browser cannot draw, the view shows the kernel's PNG; a notebook's saved output,
  read without JavaScript, shows the PNG with its alt text.
* The censoring explorer and the Kaplan–Meier stepper draw the same way.

Every wait is for an event (a new drawing, the drawing of the final value), never for a quiet
period or a fixed time.
"""

from __future__ import annotations

import math
import pathlib
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import conftest
import measure

import edu_survival as es
from edu_survival.censoring import full_follow_up
from edu_survival.lifetable import example_patients, life_table

pytestmark = pytest.mark.browser

CONTROL = r"median.*control|control.*median"
GALLERY = "tests/browser/widget_gallery.ipynb"
RENDER_TIMEOUT = measure.RENDER_TIMEOUT

# What the first .es-figure (or the one inside `root`) holds now: the drawing's settings, the
# curves' labels, times and step heights, where their axes are.
READ_JS = """(root) => {
    const scope = root ? document.querySelector(root) : document;
    const c = scope.querySelector('.es-figure canvas.es-canvas');
    const arms = [];
    for (let k = 0; c.hasAttribute('data-arm-' + k); k++) {
        const nums = (name) => c.getAttribute(name + k).split(',').map(Number);
        arms.push({label: c.getAttribute('data-arm-' + k), time: nums('data-time-'),
                   survival: nums('data-survival-')});
    }
    return {drawnFor: c.dataset.drawnFor, version: c.dataset.version, arms,
            axes: JSON.parse(c.dataset.kmAxes), alt: c.getAttribute('aria-label'),
            role: c.getAttribute('role'), tabindex: c.tabIndex,
            described: document.getElementById(c.getAttribute('aria-describedby'))?.textContent};
}"""

# For each probe [x, y (figure pixels, y upwards), dx, dy (search box, device pixels)], the
# colour in the box closest to `target` and its distance (0 to 441).
PROBE_JS = """([root, probes, target]) => {
    const scope = root ? document.querySelector(root) : document;
    const c = scope.querySelector('.es-figure canvas.es-canvas');
    const axes = JSON.parse(c.dataset.kmAxes), ctx = c.getContext('2d');
    const [w, h] = axes.size, want = [1, 3, 5].map(i => parseInt(target.slice(i, i + 2), 16));
    return probes.map(([x, y, dx, dy]) => {
        const px = Math.round(x * c.width / w), py = Math.round(c.height - y * c.height / h);
        const img = ctx.getImageData(px - dx, py - dy, 2 * dx + 1, 2 * dy + 1).data;
        let best = 1e9;
        for (let i = 0; i < img.length; i += 4)
            best = Math.min(best, Math.hypot(img[i] - want[0], img[i + 1] - want[1], img[i + 2] - want[2]));
        return best;
    });
}"""


def settings(drawn_for: str) -> dict:
    return {k: float(v) for k, v in (kv.split("=") for kv in drawn_for.split(";"))}


def explorer_analysis(drawn_for: str):
    """The trial the dashboard's explorer shows for these settings (seed 1), from the library."""
    got = settings(drawn_for)
    fields = {k: (int(v) if k == "n" else v) for k, v in got.items()}
    scenario = es.LAPATINIB.replace(**fields)
    labels = es.STORY_LABELS if scenario.n == es.LAPATINIB.n else None
    return es.analyze(es.simulate(scenario, 1), engine="lifelines", labels=labels)


def to_figure(axes: dict, t: float, s: float) -> tuple[float, float]:
    (x0, y0, x1, y1), (t0, t1), (s0, s1) = axes["box"], axes["xlim"], axes["ylim"]
    return x0 + (t - t0) / (t1 - t0) * (x1 - x0), y0 + (s - s0) / (s1 - s0) * (y1 - y0)


def flat_times(curve, other, axes, count=3) -> list[float]:
    """``count`` times in the middle of long flat steps of ``curve`` where it is drawn solid,
    between 25% and 85%, more than 8 pixels from ``other`` there."""
    t, s = curve.time, curve.survival
    mids, gaps = (t[1:] + t[:-1]) / 2, np.diff(t)
    ok = (s[:-1] > 0.25) & (s[:-1] < 0.85) & (curve.at_risk[1:] >= 10)
    px = [abs(to_figure(axes, m, a)[1] - to_figure(axes, m, b)[1])
          for m, a, b in zip(mids, s[:-1], other.at(mids), strict=True)]
    ok &= np.asarray(px) > 8
    order = np.argsort(-np.where(ok, gaps, -1))[:count]
    assert ok[order].all(), "no flat steps to probe"
    return [float(mids[i]) for i in order]


@pytest.fixture(scope="module")
def board(request, open_page):
    voila = request.getfixturevalue("voila")
    watched = open_page(voila, "drawn-dashboard")
    measure.install(watched.page)
    watched.page.goto(f"{voila.base}/?token={voila.token}")
    measure.first_render_ms(watched.page)
    return watched


def move_control(page, keys) -> dict:
    handle, _ = measure.slider(page, CONTROL)
    handle.focus()
    for key in keys:
        page.keyboard.press(key)
    measure.wait_final(page, {"median_control": measure.slider_value(handle)})
    return page.evaluate(READ_JS, None)


def test_the_drawn_curves_are_the_analysis(board):
    shown = move_control(board.page, ["PageDown"])  # another trial than the first
    analysis = explorer_analysis(shown["drawnFor"])
    assert settings(shown["drawnFor"])["median_control"] == pytest.approx(17.3 - 0.5)
    for drawn, arm in zip(shown["arms"], (analysis.other, analysis.reference), strict=True):
        fitted = analysis.km[arm].survival_function_.iloc[:, 0]
        assert drawn["label"] == analysis.labels[arm]
        np.testing.assert_array_equal(np.float32(drawn["time"]), np.float32(fitted.index))
        np.testing.assert_array_equal(np.float32(drawn["survival"]), np.float32(fitted.to_numpy()))
    for pos, arm, other, dx in ((1, analysis.other, analysis.reference, 1),
                                (0, analysis.reference, analysis.other, 9)):  # dashed: look along
        curve = analysis.curves[arm]
        probes = [[*to_figure(shown["axes"], t, float(curve.at(t))), dx, 1]
                  for t in flat_times(curve, analysis.curves[other], shown["axes"])]
        colour = es.plots.ARM_COLORS[pos]
        distances = board.page.evaluate(PROBE_JS, [None, probes, colour])
        assert max(distances) < 40, f"{arm}: pixels at {probes} are not {colour}: {distances}"


# The numbers at risk, censored and dead under the first .es-figure's picture, row by row as
# shown (the visual rows), and the screen readers' table's cells.
TABLE_JS = """() => {
    const fig = document.querySelector('.es-figure');
    const rows = [...fig.querySelectorAll('.es-risk-row')].map(
        (r) => [...r.querySelectorAll('span:not(.es-risk-label)')].map((s) => Number(s.textContent)));
    const cells = [...fig.querySelectorAll('table.es-sr-only tr')].slice(1).map(
        (r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent)));
    return {rows, cells};
}"""


def test_the_numbers_under_the_picture_follow_every_new_trial(board):
    # The table keeps its shape from trial to trial, so the browser changes its numbers in
    # place: after each of several moves they must be the drawn trial's.
    for keys in (["PageUp"], ["ArrowRight"], ["PageDown", "PageDown"]):
        shown = move_control(board.page, keys)
        analysis = explorer_analysis(shown["drawnFor"])
        plot = es.plots.plot_km(analysis, counts=("at risk", "censored", "events"), numbers=False)
        want = plot.table_text().to_numpy().tolist()
        table = board.page.evaluate(TABLE_JS)
        assert table["rows"] == want and table["cells"] == want, shown["drawnFor"]


def expected_reading(analysis, t: float) -> str:
    """The reading's words at time t, computed here from the analysis as the browser holds it
    (float32; percentages rounded half up, as JavaScript's Math.round)."""
    shown = f"{t:.1f}" if abs(t) >= 10 else f"{t:.2f}"
    shown = shown.rstrip("0").rstrip(".") or "0"

    def pct(v):
        return f"{math.floor(100 * float(np.float32(v)) + 0.5)}%"

    parts = []
    for arm in (analysis.other, analysis.reference):
        c = analysis.curves[arm]
        times = c.time.astype(np.float32).astype(float)
        i = max(0, int(np.searchsorted(times, t, side="right")) - 1)
        j = int(np.searchsorted(times, t, side="left"))
        at_risk = int(c.at_risk[0] if t <= 0 else (c.at_risk[j] if j < len(times) else 0))
        parts.append(f"{analysis.labels[arm]}: {pct(c.survival[i])} alive (95% CI "
                     f"{pct(c.lower[i])} to {pct(c.upper[i])}), {at_risk} at risk")
    return f"At {shown} {analysis.unit}: " + "; ".join(parts) + "."


def reading(page) -> tuple[str, float | None]:
    box = page.locator(".es-figure .es-reading").first
    t = box.get_attribute("data-t")
    return box.inner_text().replace("\n", " "), (float(t) if t else None)


def test_hover_and_arrow_keys_read_the_curves(board):
    page = board.page
    shown = page.evaluate(READ_JS, None)
    analysis = explorer_analysis(shown["drawnFor"])
    assert shown["role"] == "img" and shown["tabindex"] == 0 and "arrow keys" in shown["described"]
    assert page.locator(".es-figure .es-reading").first.get_attribute("aria-live") == "polite"
    canvas = page.locator(".es-figure canvas.es-canvas").first
    box, (w, h) = canvas.bounding_box(), shown["axes"]["size"]
    x, y = to_figure(shown["axes"], 12.0, 0.5)
    page.mouse.move(box["x"] + x / w * box["width"], box["y"] + (1 - y / h) * box["height"])
    page.wait_for_function("() => document.querySelector('.es-figure .es-reading').dataset.t")
    text, t = reading(page)
    assert t == pytest.approx(12.0, abs=0.2) and text == expected_reading(analysis, t)
    page.mouse.move(0, 0)  # the pointer leaves: the reading goes
    page.wait_for_function("() => !document.querySelector('.es-figure .es-reading').dataset.t")
    canvas.focus()  # as Tab would: the reading starts at time 0 ...
    times = sorted({0.0, *(float(v) for c in analysis.curves.values() for v in np.float32(c.time))})
    for k in (1, 2, 3):  # ... and each arrow key steps to the next time either curve steps
        page.keyboard.press("ArrowRight")
        page.wait_for_function("t => +document.querySelector('.es-figure .es-reading').dataset.t === t",
                               arg=float(times[k]))
        text, t = reading(page)
        assert text == expected_reading(analysis, t), (text, expected_reading(analysis, t))
    page.keyboard.press("End")
    page.wait_for_function("t => +document.querySelector('.es-figure .es-reading').dataset.t === t",
                           arg=float(times[-1]))
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.es-figure .es-reading').dataset.t")


def test_the_final_value_of_a_fast_drag_is_drawn(board):
    page = board.page
    handle, track = measure.slider(page, CONTROL)
    for seconds, rate, fraction in ((0.5, 120, 0.5), (0.4, 60, 0.4)):
        before = measure.count_pictures(page)
        d = measure.drag(page, handle, track, "median_control", seconds=seconds,
                         fraction=fraction, rate=rate)
        last = measure.pictures(page)[-1]
        assert settings(last["drawnFor"])["median_control"] == pytest.approx(d["value"])
        analysis = explorer_analysis(last["drawnFor"])
        assert es.plots.describe(analysis).split(". ")[0] in last["alt"]
        assert measure.count_pictures(page) - before >= 2, "the drag drew only its end"
    summary = page.locator(".es-summary").first.inner_text()
    assert es.plots.describe(explorer_analysis(last["drawnFor"])).split(". ")[0] in summary


SLIDERS_JS = """() => [...document.querySelectorAll('[role=slider]')].map(s => ({
    name: (s.getAttribute('aria-labelledby') || '').split(' ')
        .map(id => document.getElementById(id)?.textContent || '').join(' ').trim(),
    now: s.getAttribute('aria-valuenow'), min: s.getAttribute('aria-valuemin'),
    max: s.getAttribute('aria-valuemax'), text: s.getAttribute('aria-valuetext'),
    tab: s.tabIndex}))"""


def test_every_slider_is_a_named_aria_slider_with_visible_focus(board):
    page = board.page
    sliders = [s for s in page.evaluate(SLIDERS_JS) if s["tab"] >= 0]
    assert len(sliders) >= 6
    for s in sliders:
        assert s["name"] and s["text"], s
        assert float(s["min"]) <= float(s["now"]) <= float(s["max"]), s
    assert any(re.search(CONTROL, s["name"], re.I) for s in sliders)
    handle, _ = measure.slider(page, r"^patients$")
    handle.focus()
    page.keyboard.press("Home")
    measure.wait_final(page, {"n": float(handle.get_attribute("aria-valuemin"))})
    page.keyboard.press("PageUp")  # five steps
    measure.wait_final(page, {"n": float(handle.get_attribute("aria-valuemin")) + 5})
    ring = handle.evaluate("h => h.matches(':focus-visible') && getComputedStyle(h).boxShadow")
    assert ring and ring != "none", "the focused slider shows no focus ring"
    page.keyboard.press("End")
    measure.wait_final(page, {"n": float(handle.get_attribute("aria-valuemax"))})


# Whether a slider named like `source` is on screen now, and the value it shows.
SHOWN_JS = """(source) => {
    const re = new RegExp(source, 'i');
    const s = [...document.querySelectorAll('[role=slider]')].find((el) =>
        re.test(document.getElementById(el.getAttribute('aria-labelledby'))?.textContent || ''));
    return s && s.checkVisibility() ? Number(s.getAttribute('aria-valuenow')) : null;
}"""


def switch_to(page, words: str, source: str) -> float:
    """Press the mode button ``words``; when the slider named like ``source`` appears, the
    value it shows at that moment."""
    page.locator("button", has_text=words).first.click()
    page.wait_for_function(f"() => ({SHOWN_JS})({source!r}) !== null", polling=10)
    return page.evaluate(SHOWN_JS, source)


def test_a_slider_shown_by_a_mode_switch_appears_with_the_trials_value(board):
    """A hidden twin (the hazard ratio while the two medians set the effect, the treatment
    median the other way) follows every trial in the kernel only; the moment it appears it
    must already show the trial's value, not the one it had when it was hidden."""
    page = board.page
    drawn = settings(move_control(page, ["ArrowLeft"] * 3)["drawnFor"])
    scenario = es.LAPATINIB.replace(median_control=drawn["median_control"])
    assert switch_to(page, "control median + HR", "hazard ratio") == round(scenario.hr, 2)
    hr, _ = measure.slider(page, "hazard ratio")
    hr.focus()
    page.keyboard.press("End")  # hazard ratio 2: the treatment median follows
    measure.wait_final(page, {"median_treatment": drawn["median_control"] / 2})
    shown = switch_to(page, "two medians", r"median.*treatment")
    assert shown == pytest.approx(drawn["median_control"] / 2, rel=1e-9)


def test_the_view_shows_the_kernels_png_where_the_browser_cannot_draw(request, open_page):
    voila = request.getfixturevalue("voila")
    watched = open_page(voila, "drawn-fallback")
    page = watched.page
    page.add_init_script("HTMLCanvasElement.prototype.getContext = function () { return null; };")
    page.goto(f"{voila.base}/?token={voila.token}")
    img = page.locator(".es-figure img.es-fallback").first
    img.wait_for(state="visible", timeout=RENDER_TIMEOUT)
    page.wait_for_function("i => i.complete && i.naturalWidth > 600", arg=img.element_handle())
    assert img.get_attribute("alt").startswith("Kaplan–Meier plot")
    assert not page.locator(".es-figure canvas.es-canvas").first.is_visible()


def test_a_saved_notebook_shows_the_png_without_javascript(browser, tmp_path, artifacts):
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import edu_survival as es\n\nes.widgets.TrialExplorer()")])
    # As JupyterLab saves a notebook by default: outputs, no widget state.
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    page_html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (tmp_path / "saved.html").write_text(page_html)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto((tmp_path / "saved.html").as_uri())
        img = page.locator("img[alt^='Kaplan–Meier plot']").first
        assert img.is_visible() and img.evaluate("i => i.naturalWidth") > 600
        assert es.plots.describe(es.analyze(es.simulate(es.LAPATINIB, 1), labels=es.STORY_LABELS)
                                 ).split(". ")[0] in img.get_attribute("alt")
        assert not page.locator("canvas").count()
        page.screenshot(path=str(artifacts / "saved-notebook-without-javascript.png"))
    finally:
        context.close()


def read_the_end_by_keyboard(page, root: str) -> str:
    """Focus the figure under ``root`` and press End: the reading of its last time, in words."""
    canvas = page.locator(f"{root} .es-figure canvas.es-canvas").first
    last = max(max(a["time"]) for a in page.evaluate(READ_JS, root)["arms"])
    canvas.focus()
    page.keyboard.press("End")
    page.wait_for_function("([r, t]) => +document.querySelector(r + ' .es-reading').dataset.t === t",
                           arg=[root, float(np.float32(last))])
    return page.locator(f"{root} .es-reading").first.inner_text().replace("\n", " ")


@pytest.mark.parametrize("where", ["voila", "jupyterlab"])
def test_the_censoring_explorer_and_the_stepper_draw_their_figures(jupyterlab, open_page, where):
    """In Voila (as Binder's Voila link serves it) and in JupyterLab."""
    watched = open_page(jupyterlab, f"drawn-gallery-{where}", (1024, 900))
    page = watched.page
    measure.install(page)
    if where == "voila":
        page.goto(f"{jupyterlab.base}/voila/render/{GALLERY}?token={jupyterlab.token}")
    else:
        conftest.open_and_run(page, jupyterlab, GALLERY, RENDER_TIMEOUT)
    page.wait_for_function("() => document.querySelectorAll('.es-figure canvas[data-version]').length === 3",
                           timeout=RENDER_TIMEOUT, polling=100)
    roots = {"censoring": ".es-censoring-explorer", "stepper": ".es-km-stepper"}
    handle, _ = measure.slider(page, r"^step$", roots["stepper"])
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("r => document.querySelector(r + ' canvas.es-canvas').dataset.drawnFor === 'step=3'",
                           arg=roots["stepper"])
    stepper = page.evaluate(READ_JS, roots["stepper"])
    patients = example_patients()
    table = life_table(patients["time"], patients["event"])
    np.testing.assert_array_equal(np.float32(stepper["arms"][0]["survival"]),
                                  np.float32(np.r_[1.0, table["survival"].iloc[:3]]))
    handle, _ = measure.slider(page, r"further follow-up", roots["censoring"])
    handle.focus()
    page.keyboard.press("PageDown")
    page.wait_for_function("r => document.querySelector(r + ' canvas.es-canvas').dataset.drawnFor"
                           ".includes('follow_up=19;')", arg=roots["censoring"])
    shown = page.evaluate(READ_JS, roots["censoring"])
    got = settings(shown["drawnFor"])
    scenario = es.widgets.CENSORING_SCENARIO.replace(
        n=int(got["n"]), accrual=got["accrual"], follow_up=got["follow_up"], dropout=got["dropout"])
    analysis = es.analyze(full_follow_up(scenario, int(got["seed"])), engine="lifelines")
    for drawn, arm in zip(shown["arms"], (analysis.other, analysis.reference), strict=True):
        np.testing.assert_array_equal(np.float32(drawn["survival"]),
                                      np.float32(analysis.km[arm].survival_function_.iloc[:, 0]))
    for root in roots.values():  # each figure reads its curves from the keyboard
        text = read_the_end_by_keyboard(page, root)
        assert text.startswith("At ") and "at risk" in text, (root, text)
    assert not watched.console_errors, watched.console_errors
