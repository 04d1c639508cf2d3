"""The figure drawn in the browser and the sliders whose newest value wins, from Python (issue 24).

What the browser is sent must be what matplotlib draws (the same artists, one style), the
curves to read must be the analysis's, the PNG must not be made per picture in a kernel, and a
slider must compute only the newest of the values waiting for it. The browser's side of the
same is in tests/browser/test_drawn_view.py.
"""

import asyncio
import json
import threading

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure

import edu_survival as es
from edu_survival import plots, widgets
from edu_survival.plots.style import STYLE
from edu_survival.widgets.drawn_view import DrawnView
from edu_survival.widgets.recording import FigureRecording
from edu_survival.widgets.sliders import OVERTAKE, FloatSlider, IntSlider


def ops_of(view, kind=None):
    spec = view.widget.spec
    return [op for op in spec["ops"] if kind is None or op["t"] == kind]


def in_a_kernel(drive, monkeypatch):
    """Run the coroutine function ``drive`` in an event loop of its own, as in a Jupyter kernel
    (in a thread: a browser test's Playwright may hold this thread's loop)."""
    from edu_survival.widgets import drawn_view, sliders

    for module in (drawn_view, sliders):
        monkeypatch.setattr(module, "kernel_loop", asyncio.get_running_loop)
    failed = []

    def run():
        try:
            asyncio.run(drive())
        except BaseException as exc:  # re-raised in the test's thread
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    # The loop is gone: put back the garbage collector a value from the browser held.
    sliders.OLD_GARBAGE.release()
    if failed:
        raise failed[0]


def numbers(view, at):
    data = np.frombuffer(view.widget.data, dtype=np.float32)
    return data[at[0]:at[0] + at[1]]


# ----- the recording: what matplotlib draws, as data ----------------------------------------

def test_a_line_and_a_text_are_recorded_as_matplotlib_lays_them_out():
    fig = plots.new_figure(4, 3)
    ax = fig.add_axes((0.2, 0.2, 0.7, 0.7))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 1)
    ax.plot([0, 5, 10], [1, 0.5, 0], color="#0072B2", linestyle="--", linewidth=2)
    ax.text(5, 0.5, "middle", ha="center", fontsize=12, color="#555555")
    spec, data = FigureRecording(fig).record()
    line = next(op for op in spec["ops"] if op["t"] == "p" and op.get("s") == "#0072b2")
    xy = data[line["at"][0]:sum(line["at"])].reshape(-1, 2)
    np.testing.assert_allclose(xy, ax.transData.transform([[0, 1], [5, 0.5], [10, 0]]), atol=1e-3)
    assert line["lw"] == pytest.approx(2 * fig.dpi / 72)
    scale = 2 * fig.dpi / 72  # matplotlib's dashes scale with the width, in points
    assert line["d"] == pytest.approx([3.7 * scale, 1.6 * scale], rel=1e-3)
    assert line["c"] == pytest.approx(list(ax.bbox.extents), abs=0.01)  # clipped to the axes
    text = next(op for op in spec["ops"] if op["t"] == "x" and op["s"] == "middle")
    assert text["ha"] == "c" and text["f"] == "#555555" and text["px"] == pytest.approx(12 * fig.dpi / 72)
    left = ax.transData.transform((5, 0.5))[0] - text["w"] / 2
    assert text["x"] == pytest.approx(left, abs=0.5)  # its left end, as matplotlib measured it
    ticks = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert set(ticks) <= {op["s"] for op in spec["ops"] if op["t"] == "x"}  # ticks, as drawn


def test_a_recording_follows_every_change_and_reuses_what_did_not_change():
    fig = Figure(figsize=(4, 3), dpi=72)
    fig.canvas  # noqa: B018 (an Agg canvas, as plots.new_figure gives)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    (line,) = ax.plot([0, 1], [0, 1])
    label = ax.text(0.5, 0.5, "before")
    recording = FigureRecording(fig)
    first, _ = recording.record()
    line.set_data([0, 1], [1, 0])
    label.set_text("after")
    label.set_color("red")
    second, data = recording.record()
    words = {op["s"]: op for op in second["ops"] if op["t"] == "x"}
    assert "after" in words and "before" not in words and words["after"]["f"] == "#ff0000"
    path = next(op for op in second["ops"] if op["t"] == "p" and op.get("s") == mcolors.to_hex("C0"))
    np.testing.assert_allclose(data[path["at"][0]:sum(path["at"])].reshape(-1, 2),
                               ax.transData.transform([[0, 1], [1, 0]]), atol=1e-3)
    ax.set_xlim(0, 2)  # the axis, kept between calls, is recorded again
    third, _ = recording.record()
    new_ticks = {op["s"] for op in third["ops"] if op["t"] == "x"} - {
        op["s"] for op in second["ops"] if op["t"] == "x"}
    assert {"1.5", "2.0"} <= new_ticks


def test_a_band_recorded_the_quick_way_is_recorded_as_matplotlib_draws_it(monkeypatch):
    from edu_survival.widgets import recording

    for widget in (widgets.TrialExplorer(), widgets.CensoringExplorer(), widgets.KMStepper()):
        bands = [c for c in widget.figure.findobj(lambda a: type(a).__name__ == "FillBetweenPolyCollection")]
        assert not bands or all(recording._one_fill(c) is not None for c in bands)
        quick = widget.view.recording.record()
        monkeypatch.setattr(recording, "_one_fill", lambda collection: None)  # matplotlib's own draw
        slow = widget.view.recording.record()
        monkeypatch.undo()
        assert json.dumps(quick[0]) == json.dumps(slow[0])
        np.testing.assert_array_equal(quick[1], slow[1])


def scene_of(view):
    return view.widget.spec["scene"]


def to_pixels(frame, xy):
    """The scene's data units to figure pixels, as km_scene.js maps them."""
    (x0, y0, x1, y1), (t0, t1), (s0, s1) = frame["box"], frame["xlim"], frame["ylim"]
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    return np.column_stack([x0 + (xy[:, 0] - t0) * (x1 - x0) / (t1 - t0),
                            y0 + (xy[:, 1] - s0) * (y1 - y0) / (s1 - s0)])


def test_the_browser_draws_the_arms_in_the_one_styles_colours_dashes_labels_and_order():
    explorer = widgets.TrialExplorer()
    km, view = explorer.km, explorer.view
    scene = scene_of(view)
    px = km.figure.dpi / 72  # figure pixels per point
    width = STYLE["line_width"] * px
    # What matplotlib draws of the same figure (the PNG's drawing, recorded): the scene's
    # colours, widths and dashes must be those.
    drawn = FigureRecording(km.figure).record()[0]["ops"]
    paths = [op for op in drawn if op["t"] == "p"]
    bands = [op for op in drawn if op["t"] == "m" and "s" not in op]
    for pos in (1, 0):
        look, sent = STYLE["arms"][pos], scene["look"]["arms"][pos]
        colour = look["color"].lower()
        assert sent["colour"] == colour and sent["width"] == pytest.approx(width)
        assert sent["dash"] == pytest.approx([d * width for d in look["dash"]])
        assert any(op.get("s") == colour and op["lw"] == pytest.approx(sent["width"])
                   and op.get("d", []) == pytest.approx(sent["dash"]) for op in paths), colour
        band = [op for op in bands if op.get("f") == colour]
        assert band and band[0]["fa"] == pytest.approx(scene["look"]["ci_alpha"])
        median = scene["look"]["median"]
        assert median["width"] == pytest.approx(STYLE["km"]["median"]["width"] * px)
        # matplotlib scales a pattern by the line's width (lines.scale_dashes)
        assert any(op.get("s") == colour and op["lw"] == pytest.approx(median["width"])
                   and op.get("d") == pytest.approx(median["dash"]) for op in paths), "median"
    # The legend's words, in the style's order (the other arm first), and the readings'.
    arms = {0: explorer.analysis.reference, 1: explorer.analysis.other}
    order = [explorer.analysis.labels[arms[pos]] for pos in STYLE["order"]]
    assert [row["label"] for row in scene["legend"]] == order
    assert [row["pos"] for row in scene["legend"]] == STYLE["order"]
    assert [row["y"] for row in scene["legend"]] == sorted((row["y"] for row in scene["legend"]), reverse=True)
    readings = view.widget.spec["km"]["arms"]
    assert [a["label"] for a in readings] == order
    assert [a["colour"] for a in readings] == [STYLE["arms"][p]["color"].lower() for p in STYLE["order"]]


def test_the_scene_holds_every_part_of_the_plot_where_matplotlib_puts_it():
    explorer = widgets.TrialExplorer(seed=2)
    explorer.controls["median_control"].value = 9.0
    km, view = explorer.km, explorer.view
    scene, ax = scene_of(view), km.ax
    frame = scene["frame"]
    assert frame["box"] == pytest.approx(list(ax.bbox.extents), abs=1e-3)
    assert frame["xlim"] == pytest.approx(list(ax.get_xlim()))
    assert [label for _, label in frame["xticks"]] == [t.get_text() for t in ax.get_xticklabels()
                                                       if t.get_text()]
    assert [v for v, _ in frame["yticks"]] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert frame["xlabel"][0] == ax.get_xlabel() and frame["ylabel"][0] == ax.get_ylabel()
    assert scene["key"]["lines"] == km.key.get_text().split("\n")
    assert scene["caption"]["text"] == plots.SIMULATED_CAPTION
    analysis = explorer.analysis
    for arm in scene["arms"]:
        pos = arm["pos"]
        curve = analysis.curves[analysis.other if pos == 1 else analysis.reference]
        time, survival = numbers(view, arm["time"]), numbers(view, arm["survival"])
        np.testing.assert_array_equal(time, np.float32(curve.time))
        np.testing.assert_array_equal(survival, np.float32(curve.survival))
        # The browser's steps (along, then down) through the solid part and through the tail
        # are the points matplotlib's curve and faded tail hold.
        cut = arm["cut"]
        for line, part in ((km.lines[pos], slice(0, cut + 1)), (km.tails[pos], slice(cut, None))):
            t, s = time[part], survival[part]
            steps = np.column_stack([np.repeat(t, 2)[1:], np.repeat(s, 2)[:-1]])
            np.testing.assert_allclose(steps, line.get_xydata(), rtol=1e-6)
        # The band's step-post fill has the corners of matplotlib's, up to the cut.
        lower, upper = numbers(view, arm["lower"])[:cut + 1], numbers(view, arm["upper"])[:cut + 1]
        t = time[:cut + 1]
        corners = {(a, b) for edge in (upper, lower) for a, b in
                   zip(np.r_[t, t[1:]], np.r_[edge, edge[:-1]], strict=True)}
        band = km.bands[pos].get_paths()[0].vertices.astype(np.float32)
        assert {(a, b) for a, b in band} == corners
        for key, line in (("marks", km.marks[pos]), ("median", km.median_lines[pos])):
            want = ax.transData.transform(line.get_xydata())
            np.testing.assert_allclose(to_pixels(frame, numbers(view, arm[key])), want, atol=1e-2)


def test_no_drawing_or_recording_is_done_in_the_kernel_while_the_explorer_changes(monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    explorer = widgets.TrialExplorer()
    w = explorer.view.widget
    explorer.view.png  # noqa: B018 (the fallback, made now: outside a kernel it is made per update)

    def refuse(*_args, **_kwargs):
        raise AssertionError("drawn in the kernel")

    monkeypatch.setattr(FigureRecording, "record", refuse)
    in_a_kernel_drawing = []

    async def drive():
        monkeypatch.setattr(FigureCanvasAgg, "draw", refuse)
        monkeypatch.setattr(plots.KMPlot, "draw", refuse)
        before = w.version
        for value in (12.0, 13.0, 14.0):
            explorer.controls["median_control"].value = value
        in_a_kernel_drawing.append(w.version - before)

    in_a_kernel(drive, monkeypatch)
    assert in_a_kernel_drawing == [3]
    assert "median_control=14" in w.drawn_for


def test_censoring_marks_are_drawn_where_the_plot_puts_them():
    explorer = widgets.TrialExplorer()
    km, view = explorer.km, explorer.view
    scene = scene_of(view)
    for arm in scene["arms"]:
        pos = arm["pos"]
        for key, line in (("marks", km.marks[pos]), ("tail_marks", km.tail_marks[pos])):
            want = km.ax.transData.transform(line.get_xydata())
            got = to_pixels(scene["frame"], numbers(view, arm[key])) if arm[key][1] else want[:0]
            np.testing.assert_allclose(got, want, atol=0.01)
    censored = sum(explorer.analysis.censored.values())
    assert censored and censored == sum(arm[k][1] // 2 for arm in scene["arms"]
                                        for k in ("marks", "tail_marks"))


def test_the_number_at_risk_censored_and_events_rows_go_with_the_drawing():
    import re

    explorer = widgets.TrialExplorer()
    below, table = explorer.view.widget.below, explorer.km.table_text()
    arms = re.findall(r'class="es-risk-arm"[^>]*color:(#\w+)">([^<]+)</div>', below)
    by_pos = {0: explorer.analysis.reference, 1: explorer.analysis.other}
    assert [label for _, label in arms] == [explorer.analysis.labels[by_pos[p]] for p in STYLE["order"]]
    assert list(table.index.unique(0)) == [label for _, label in arms]
    assert [c.lower() for c, _ in arms] == [STYLE["arms"][p]["text_color"].lower() for p in STYLE["order"]]
    rows = re.findall(r'<div class="es-risk-row"[^>]*><span class="es-risk-label"[^>]*>([^<]+)</span>(.*?)</div>', below)
    assert [name for name, _ in rows] == [STYLE["labels"]["counts"][c] for _ in arms
                                          for c in ("at risk", "censored", "events")]
    got = [[int(v) for v in re.findall(r">(\d+)</span>", cells)] for _, cells in rows]
    assert got == table.to_numpy().tolist()
    # each column under its time's tick on the drawn axis
    lefts = [float(v) for v in re.findall(r'left:([\d.]+)%', rows[0][1])]
    ticks = explorer.km.ax.transData.transform([(t, 0) for t in table.columns])[:, 0]
    np.testing.assert_allclose(lefts, 100 * ticks / explorer.figure.bbox.width, atol=0.6)


def test_the_horizon_is_drawn_where_the_control_says_in_the_one_styles_line():
    import matplotlib as mpl

    explorer = widgets.CensoringExplorer()
    explorer.controls["horizon"].value = 20
    look, px = STYLE["km"]["horizon"], explorer.figure.dpi / 72
    width = look["width"] * px
    dashes = [d * width for d in mpl.rcParams["lines.dashdot_pattern"]]  # "-.", as matplotlib scales it
    x = explorer.km_ax.transData.transform([(20, 0)])[0][0]
    lines = [numbers(explorer.view, op["at"]).reshape(-1, 2) for op in ops_of(explorer.view, "p")
             if op.get("s") == look["color"].lower() and op["lw"] == pytest.approx(width)
             and op.get("d") == pytest.approx(dashes)]
    assert any(np.allclose(xy[:, 0], x, atol=0.01) for xy in lines), f"no horizon line at x={x:.1f}"


def test_the_curves_to_read_are_the_analysis_to_float32_precision():
    explorer = widgets.TrialExplorer(seed=3)
    explorer.controls["median_control"].value = 12.5
    view, analysis = explorer.view, explorer.analysis
    km = view.widget.spec["km"]
    arms = {1: analysis.other, 0: analysis.reference}
    for spec_arm, pos in zip(km["arms"], (1, 0), strict=True):
        curve = analysis.curves[arms[pos]]
        fitted = analysis.km[arms[pos]].survival_function_.iloc[:, 0]
        for key, expected in (("time", curve.time), ("survival", curve.survival),
                              ("lower", curve.lower), ("upper", curve.upper),
                              ("at_risk", curve.at_risk)):
            np.testing.assert_array_equal(numbers(view, spec_arm[key]), np.float32(expected))
        np.testing.assert_array_equal(numbers(view, spec_arm["survival"]),
                                      np.float32(fitted.reindex(curve.time).to_numpy()))
    assert km["box"] == pytest.approx(list(explorer.km.ax.bbox.extents), abs=1e-3)
    assert km["xlim"] == pytest.approx(list(explorer.km.ax.get_xlim()))
    assert km["unit"] == "months" and km["level"] == 95


# ----- the view: data each update, a PNG only when needed ------------------------------------

def test_each_update_sends_new_data_and_text_in_one_message():
    explorer = widgets.TrialExplorer()
    w = explorer.view.widget
    before = (w.version, w.data, json.dumps(w.spec), w.alt)
    explorer.controls["n"].value = 150
    assert w.version == before[0] + 1
    assert w.data != before[1] and json.dumps(w.spec) != before[2] and w.alt != before[3]
    assert "n=150" in w.drawn_for.split(";")
    assert w.spec["minText"] >= plots.SMALL * plots.DPI / 72 - 1e-6


def test_in_a_kernel_the_png_is_not_made_for_every_picture_but_always_on_demand(monkeypatch):
    async def drive():
        explorer = widgets.TrialExplorer()
        view = explorer.view
        first = view.widget.png
        for value in (12, 13, 14):
            explorer.controls["median_control"].value = value
        assert view.widget.png == first  # drawn in the browser: no PNG per picture
        assert view._png_timer is not None  # ...but one once the updates rest
        fresh = view.png  # a static copy asks: made now, of what the browser shows
        assert fresh != first and fresh.startswith(b"\x89PNG")
        assert view.png is fresh  # and not again
        snap = explorer.snapshot()
        import base64

        assert base64.b64encode(fresh).decode() in snap.html
        view._png_timer.cancel()

    in_a_kernel(drive, monkeypatch)


def test_the_static_picture_is_the_one_the_png_path_made():
    explorer = widgets.TrialExplorer()
    explorer.controls["median_control"].value = 12.0
    old = widgets.FigureView(explorer.figure, draw=explorer.km.draw)
    old.render(explorer.view.alt_text)
    assert explorer.view.png == old.png  # static copies unchanged, to the byte


def test_every_widget_sends_its_drawing_and_keeps_its_static_picture():
    for widget in (widgets.TrialExplorer(), widgets.CensoringExplorer(), widgets.KMStepper()):
        w = widget.view.widget
        assert isinstance(widget.view, DrawnView) and "es-figure" in w._dom_classes
        assert (w.spec.get("ops") or w.spec.get("scene")) and w.data
        assert w.spec.get("km", {}).get("arms")
        assert widget.view.png.startswith(b"\x89PNG") and w.alt
        assert 'alt="' in widget.snapshot().html


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"figure": None}, "figure must be a matplotlib Figure"),
    ({"caption": "left"}, "caption must be"),
    ({"css_class": ""}, "css_class must be"),
    ({"readings": 3}, "readings must be a function"),
])
def test_a_drawn_view_refuses_what_it_cannot_show(kwargs, words):
    args = {"figure": plots.new_figure(), **kwargs}
    with pytest.raises(ValueError, match=words):
        DrawnView(**args)


def test_the_stepper_reads_the_estimate_so_far():
    stepper = widgets.KMStepper()
    stepper.controls["step"].value = 3
    (arm,) = stepper.view.widget.spec["km"]["arms"]
    np.testing.assert_allclose(numbers(stepper.view, arm["survival"]),
                               np.r_[1.0, stepper.table["survival"].iloc[:3]], rtol=1e-7)
    np.testing.assert_array_equal(numbers(stepper.view, arm["at_risk"]),
                                  np.r_[len(stepper.data), stepper.table["at_risk"].iloc[:3]])


# ----- sliders: newest value wins ------------------------------------------------------------

def request(slider, value, seq, final=False):
    slider._on_request(slider, {"kind": "value", "value": value, "seq": seq, "final": final}, [])


class FakeComm:
    """A comm to a front end that records what the widget sends it."""

    kernel = object()

    def __init__(self):
        self.sent = []
        self.comm_id = "fake"

    def send(self, data=None, buffers=None, **_):
        self.sent.append(data)

    def on_msg(self, _callback):
        pass

    def close(self, *_, **__):
        pass


def front_end(slider) -> FakeComm:
    """Connect ``slider`` to a recording front end (``.sent``: every message from now)."""
    slider.comm = FakeComm()
    return slider.comm


def taken(comm) -> list:
    """The requests the kernel said it took up (their numbers), in order."""
    return [m["content"]["seq"] for m in comm.sent
            if m.get("method") == "custom" and m["content"].get("kind") == "taken"]


def values_sent(comm) -> list:
    """The values the kernel sent the browser as state updates."""
    return [m["state"]["value"] for m in comm.sent
            if m.get("method") == "update" and "value" in m.get("state", {})]


def test_requests_waiting_together_are_answered_but_only_the_newest_is_computed(monkeypatch):
    slider = FloatSlider(value=17.3, min=1, max=60, step=0.1, description="Median, control")
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    comm = front_end(slider)

    async def burst():
        for seq, value in enumerate((12.0, 13.0, 14.0, 15.0, 16.0), start=1):
            request(slider, value, seq)  # five messages read before the kernel gets to work
        await computed(slider)

    in_a_kernel(burst, monkeypatch)
    assert seen == [16.0] and slider.value == 16.0
    assert (slider.requests, slider.dropped) == (5, 4)
    assert taken(comm) == [1, 2, 3, 4, 5] and values_sent(comm) == []
    last = [m["content"] for m in comm.sent if m.get("method") == "custom"][-1]
    assert (last["requests"], last["dropped"]) == (5, 4)  # the browser is told


async def computed(slider):
    """Until the kernel's loop has computed the slider's waiting value."""
    while slider._scheduled:
        await asyncio.sleep(0.001)


def test_a_value_read_on_the_next_turn_of_the_loop_still_overtakes(monkeypatch):
    """The final value after a drag, sent while the one before it waits in the kernel's
    queue, is read a turn of the loop later: the one before is dropped, never computed."""
    slider = FloatSlider(value=17.3, min=1, max=60, step=0.1, description="Median, control")
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    comm = front_end(slider)

    async def two_messages():
        request(slider, 12.0, 1)
        await asyncio.sleep(0)  # the kernel reads its next message
        request(slider, 12.5, 2)
        await computed(slider)
        request(slider, 13.0, 3)  # after the newest was computed: computed too
        await computed(slider)

    in_a_kernel(two_messages, monkeypatch)
    assert seen == [12.5, 13.0] and (slider.requests, slider.dropped) == (3, 1)
    assert taken(comm) == [1, 2, 3]


def test_a_final_value_is_computed_at_once_inside_its_request(monkeypatch):
    """A key press or the pointer's release has nothing newer behind it: it is computed while
    the kernel still handles its message (so the kernel reports idle after the picture), and
    a value still waiting when it comes is dropped. The "taken" reply goes before the work."""
    slider = FloatSlider(value=17.3, min=1, max=60, step=0.1, description="Median, control")
    seen, comm = [], front_end(slider)
    slider.observe(lambda change: seen.append((change["new"], len(taken(comm)))), names="value")

    async def press_then_drag_and_release():
        request(slider, 12.0, 1, final=True)  # a key press: computed before request() returns
        assert seen == [(12.0, 1)]
        request(slider, 13.0, 2)  # a value while dragging waits ...
        await asyncio.sleep(0)
        assert seen == [(12.0, 1)]
        request(slider, 13.5, 3, final=True)  # ... and the release overtakes it, at once
        assert seen == [(12.0, 1), (13.5, 3)]
        await asyncio.sleep(2 * OVERTAKE)  # the dropped value's wait has passed
        assert seen == [(12.0, 1), (13.5, 3)]

    in_a_kernel(press_then_drag_and_release, monkeypatch)
    assert (slider.requests, slider.dropped) == (3, 1) and not slider._scheduled


def test_outside_a_kernel_every_request_is_the_newest():
    slider = IntSlider(value=321, min=10, max=2000, description="Patients")
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    comm = front_end(slider)
    for seq, value in enumerate((300, 250.4, "x", float("nan"), True, 200), start=1):
        request(slider, value, seq)
    assert seen == [300, 250, 200] and slider.dropped == 0  # nonsense is answered, not applied
    assert taken(comm) == [1, 2, 3, 4, 5, 6] and values_sent(comm) == []


def test_a_value_from_the_browser_is_not_sent_back_but_a_clamped_one_is():
    slider = FloatSlider(value=0.5, min=0, max=1, step=0.01, description="Share censored")
    comm = front_end(slider)
    request(slider, 0.25, 1)
    assert slider.value == 0.25 and values_sent(comm) == []  # the browser has it already
    request(slider, 7.0, 2)  # outside the range: clamped, and the browser told
    assert slider.value == 1.0 and values_sent(comm) == [1.0] and taken(comm) == [1, 2]


def test_sliders_widen_or_clamp_and_keep_min_below_max():
    wide = FloatSlider(value=17.3, min=1, max=60, step=0.1, widen=True)
    wide.value = 75
    assert (wide.min, wide.max, wide.value) == (1, 75, 75)
    wide.value = 0.5
    assert (wide.min, wide.value) == (0.5, 0.5)
    narrow = FloatSlider(value=0.3, min=0.2, max=0.6, step=0.01)
    narrow.value = 0.9
    assert narrow.value == 0.6
    narrow.value = 0.3
    narrow.min = 0.4  # the value moves inside, as ipywidgets' sliders do
    assert narrow.value == 0.4
    with pytest.raises(Exception, match="min > max"):
        narrow.min = 5
    made = IntSlider(value=5000, min=10, max=2000)  # a value outside its range at the start
    assert (made.min, made.max, made.value) == (10, 2000, 2000)


def test_a_slider_from_the_browser_updates_the_explorer():
    explorer = widgets.TrialExplorer()
    slider = explorer.controls["median_control"]
    assert isinstance(slider, FloatSlider) and "control" in slider.description.lower()
    version = explorer.view.widget.version
    slider.send = lambda content, buffers=None: None
    request(slider, 12.0, 1)
    assert explorer.analysis.scenario.median_control == 12.0
    assert explorer.view.widget.version == version + 1
    assert "median_control=12;" in explorer.view.widget.drawn_for + ";"


def test_the_wheel_holds_every_front_end_file(tmp_path):
    """Classrooms install the wheel offline: every ES module and style sheet must be in it."""
    import pathlib
    import zipfile

    from hatchling.builders.wheel import WheelBuilder

    root = pathlib.Path(__file__).resolve().parents[1]
    front_end = sorted(p.name for p in (root / "edu_survival" / "widgets").iterdir()
                       if p.suffix in (".js", ".css"))
    assert {"drawn_view.js", "km_scene.js", "sliders.js", "drawn_view.css"} <= set(front_end)
    (wheel,) = WheelBuilder(str(root)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in front_end if f"edu_survival/widgets/{n}" not in names]
    assert not missing, f"not in the wheel: {missing}"


def test_the_front_end_files_are_in_the_package():
    from importlib import resources

    import edu_survival.widgets as package

    for name in ("drawn_view.js", "km_scene.js", "drawn_view.css", "sliders.js", "sliders.css",
                 "texts.css"):
        text = (resources.files(package) / name).read_text()
        assert "http://" not in text and "https://" not in text and "import " not in text.split("export")[0]
    assert es.widgets.TrialExplorer().view.widget._esm.startswith("// The figure drawn in the browser")
