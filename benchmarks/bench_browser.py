"""Where the time goes between a slider and new pixels in the browser: this checkout against a
baseline checkout (by default the last one whose figures were PNGs drawn in the kernel), served
the same way, on the same machine, in the same run.

Run:  python benchmarks/bench_browser.py [--baseline REF] [--presses 20] [--drags 3] [--lab]

For each checkout (the baseline, from ``git archive REF``, and this one) Voila serves the
dashboard (``es.widgets.dashboard()``; once more with 5,000 patients) to headless Chromium, as
the browser tests do, and we measure on the control-median slider:

* first render: navigation start to the first picture painted;
* key press to new pixels (median of ``--presses`` - 1, the first left out), split, when the
  view sends the kernel's timestamps, into: to the kernel, the kernel's callback, back to the
  browser and paint; the same in JupyterLab with ``--lab``, and in a Voila that keeps Nagle's
  algorithm on its kernel websockets (Voila's default: no ``edu_survival_server``; skipped
  with ``--no-nagle``);
* websocket frames the browser receives per key press, their bytes, and the largest one;
* dragging across a third of the track in 1.5 s, pointer events sent in the page at 60 moves
  a second, at 321 and 5,000 patients: new pictures per second during the drag (median of
  ``--drags``) and ms from release to the final picture (worst), which must show the final
  value (its alt text says what this library says of that trial);
* the kernel's CPU per picture at 321 patients, and the share of it spent drawing (matplotlib
  rasterising and encoding a PNG; for a figure drawn in the browser, recording what to draw),
  from the widget driven in a process of its own, and the CPU of the one fallback PNG a drawn
  view makes once updates rest; for a Kaplan–Meier plot drawn from its arrays, the share spent
  packing them (``km_scene``);
* the CPU each process (kernel, server, Chromium, Playwright) spends per picture while
  dragging at 321 patients, and so the most pictures per second the machine's cores allow;
* per drag, the values the kernel was sent and those it dropped unseen, overtaken by a newer
  one (the final value after release overtakes the one waiting before it).

The machine's load average is printed with every figure: on a shared machine the absolute
times move with it, the ratios between the two checkouts much less. The goals (issue 24) are
printed next to the figures; they are not assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

import conftest  # noqa: E402  (the browser tests' servers and Chromium settings)
import measure  # noqa: E402

import edu_survival as es  # noqa: E402

# The last commit of main whose explorer drew its figure as a PNG in the kernel and whose
# sliders were ipywidgets' (issue 24 changed both).
DEFAULT_BASELINE = "dbf331d"
GOALS = {"drag321": ">= 30", "key": "<= 40 ms", "release": "<= 50 ms", "drag5000": ">= 15",
         "kernel": "drawing not in the kernel"}
CONTROL = r"median.*control|control.*median"
BIG_N = 5000
NOTEBOOKS = {321: "import edu_survival as es\n\nes.widgets.dashboard()",
             BIG_N: f"import edu_survival as es\n\nes.widgets.dashboard(es.LAPATINIB.replace(n={BIG_N}))"}


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def checkout(ref: str, into: pathlib.Path) -> pathlib.Path:
    """The package of ``ref`` (read from git; nothing here changes)."""
    archive = subprocess.run(["git", "archive", ref, "edu_survival"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def notebooks(into: pathlib.Path) -> pathlib.Path:
    """The dashboard at 321 and at 5,000 patients, as notebooks in ``into``."""
    import nbformat

    into.mkdir(parents=True, exist_ok=True)
    for n, code in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, into / f"n{n}.ipynb")
    return into


@contextlib.contextmanager
def server(kind: str, root: pathlib.Path, pages: pathlib.Path, nodelay: bool = True):
    """Voila (serving the folder ``pages``) or JupyterLab, whose kernels import from ``root``;
    Voila with edu_survival_server's websockets (each message sent at once) unless not
    ``nodelay`` (JupyterLab loads them as a server extension)."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    port, token = conftest.free_port(), secrets.token_hex(16)
    if kind == "voila":
        cmd = [sys.executable, "-m", "voila", str(pages), "--no-browser", "--Voila.ip=127.0.0.1",
               f"--port={port}", f"--token={token}", *([conftest.voila_nodelay()] if nodelay else [])]
    else:
        cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={pages}",
               f"--LabApp.app_settings_dir={conftest.lab_app_dir(scratch)}",
               f"--LabApp.user_settings_dir={conftest.lab_user_settings(scratch)}",
               f"--LabApp.workspaces_dir={scratch / 'workspaces'}"]
    saved_root, saved_path = conftest.ROOT, os.environ.pop("PYTHONPATH", None)
    conftest.ROOT = root  # the kernels import edu_survival from this checkout
    try:
        running = conftest.Server(kind, cmd, port, token, scratch)
    finally:
        conftest.ROOT = saved_root
        if saved_path is not None:
            os.environ["PYTHONPATH"] = saved_path
    with conftest.running(running, None if kind == "voila" else f"/api/status?token={token}") as s:
        yield s


def expected_alt(median_control: float, n: int) -> str:
    """What the explorer's alt text says first of the trial with these settings (seed 1): its
    medians with their CIs (the later sentences differ between versions of the summary)."""
    scenario = es.LAPATINIB.replace(median_control=round(median_control, 6), n=n)
    # The news story's arms have their names; a dashboard of another trial says "control".
    labels = es.STORY_LABELS if n == es.LAPATINIB.n else None
    text = es.plots.describe(es.analyze(es.simulate(scenario, 1), labels=labels))
    # Newer summaries name the CI's transform after the medians: not in older alt texts.
    return text.split(". ")[0].split(" (CIs by")[0]


def new_page(browser, frames: list | None = None):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(measure.EVENT_TIMEOUT)
    if frames is not None:
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: frames.append(len(payload))))
    page.add_init_script(measure.RECORDER_JS)
    return page


def cpu_by_process() -> dict[str, float]:
    """CPU seconds used so far by the processes of a measurement, by role: the kernel, the
    server (Voila or JupyterLab), Chromium's renderer and its other processes, Playwright."""
    import psutil

    out: dict[str, float] = {}
    for proc in psutil.Process().children(recursive=True):  # this run's, not the machine's
        try:
            cmd, times = " ".join(proc.cmdline()), proc.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        if "ipykernel" in cmd:
            role = "kernel"
        elif "voila" in cmd or "jupyterlab" in cmd or "jupyter-lab" in cmd:
            role = "server"
        elif "chrom" in cmd:
            role = "Chromium renderer" if "--type=renderer" in cmd else "Chromium, other"
        elif "playwright" in cmd:
            role = "Playwright"
        else:
            continue
        out[role] = out.get(role, 0.0) + times.user + times.system
    return out


def drags(page, n: int, count: int) -> list[dict]:
    handle, track = measure.slider(page, CONTROL)
    measure.wait_final(page, alt_part=expected_alt(measure.slider_value(handle), n))
    return [measure.drag(page, handle, track, None, expect_alt=lambda v: expected_alt(v, n))
            for _ in range(count)]


def run_voila(browser, srv, presses: int, count: int, key_gap: int = 0) -> dict:
    out, frames = {}, []
    page = new_page(browser, frames)
    page.goto(f"{srv.base}/voila/render/n321.ipynb?token={srv.token}")
    out["first_render"] = measure.first_render_ms(page)
    handle, _ = measure.slider(page, CONTROL)
    measure.wait_final(page, alt_part=expected_alt(measure.slider_value(handle), 321))
    frames.clear()
    out["key"] = measure.key_to_pixels(page, handle, presses, None)
    per = max(out["key"]["presses"] + 1, 1)
    if key_gap:
        out["key_gap"] = {**measure.key_to_pixels(page, handle, presses, None, gap_ms=key_gap),
                          "gap": key_gap}
    out["frames"] = (len(frames) / per, sum(frames) / per, max(frames, default=0))
    out["key"]["load"] = load()
    before, pictures = cpu_by_process(), measure.count_pictures(page)
    out["drag321"] = drags(page, 321, count)
    after, pictures = cpu_by_process(), measure.count_pictures(page) - pictures
    # CPU per picture while dragging (the waits between drags included), by process
    out["cpu321"] = {role: 1000 * (after[role] - before.get(role, 0.0)) / max(pictures, 1)
                     for role in after}
    out["drag321_load"] = load()
    page.close()
    page = new_page(browser)
    page.goto(f"{srv.base}/voila/render/n{BIG_N}.ipynb?token={srv.token}")
    measure.first_render_ms(page)
    out[f"drag{BIG_N}"] = drags(page, BIG_N, count)
    out[f"drag{BIG_N}_load"] = load()
    page.close()
    return out


def run_keys(browser, srv, presses: int, lab: bool = False) -> dict:
    """Key presses alone: in Voila, or (``lab``) in JupyterLab with the notebook run."""
    page = new_page(browser)
    if lab:
        conftest.open_and_run(page, srv, "n321.ipynb", measure.RENDER_TIMEOUT)
    else:
        page.goto(f"{srv.base}/voila/render/n321.ipynb?token={srv.token}")
    measure.first_render_ms(page)
    handle, _ = measure.slider(page, CONTROL)
    measure.wait_final(page, alt_part=expected_alt(measure.slider_value(handle), 321))
    key = measure.key_to_pixels(page, handle, presses, None)
    key["load"] = load()
    page.close()
    return key


# The kernel's side: the explorer driven from code as the slider drives it, in a process that
# imports the checkout measured, inside a running event loop as in a kernel (so that a figure
# drawn in the browser makes its PNG later, as it does there).
KERNEL_PROFILE = r"""
import asyncio, json, statistics, time
import edu_survival as es
from matplotlib.backends.backend_agg import FigureCanvasAgg
spent = {"pixels": 0.0, "recording": 0.0, "scene": 0.0}
depth = {"pixels": 0, "recording": 0, "scene": 0}
def timed(owner, name, part):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        depth[part] += 1
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            depth[part] -= 1
            if not depth[part]:
                spent[part] += time.process_time() - start
    setattr(owner, name, wrapper)
timed(FigureCanvasAgg, "draw", "pixels")
timed(es.plots, "png_bytes", "pixels")
timed(es.plots.KMPlot, "draw", "pixels")
try:
    from edu_survival.widgets import drawn_view, recording, sliders
    timed(recording.FigureRecording, "record", "recording")
    from edu_survival.widgets import trial_explorer
    if hasattr(trial_explorer, "km_scene"):  # a KM plot sent as data for the browser to draw
        timed(trial_explorer, "km_scene", "scene")
    for module in (drawn_view, sliders):  # this loop is the kernel's
        module.kernel_loop = asyncio.get_running_loop
except ImportError:
    pass
async def main():
    explorer = es.widgets.TrialExplorer()
    slider = explorer.controls["median_control"]
    for value in (16, 17.3):  # warm up
        slider.value = value
    spent.update(pixels=0.0, recording=0.0, scene=0.0)
    cpu = []
    for i in range(40):
        start = time.process_time()
        slider.value = round(12 + 0.1 * i, 1)
        cpu.append(time.process_time() - start)
    total = sum(cpu)
    start = time.process_time()
    explorer.view.png  # a drawn view's fallback PNG, made once updates rest (the PNG path: made)
    png_ms = 1000 * (time.process_time() - start)
    print(json.dumps({"cpu_ms": 1000 * statistics.median(cpu), "png_ms": png_ms,
                      "pixels": spent["pixels"] / total, "recording": spent["recording"] / total,
                      "scene": spent["scene"] / total}))
asyncio.run(main())
"""


def kernel_profile(root: pathlib.Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root), "MPLBACKEND": "agg"}
    result = subprocess.run([sys.executable, "-c", KERNEL_PROFILE], cwd=root, env=env,
                            capture_output=True, text=True, check=True)
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "load": load()}


def measure_checkout(name: str, root: pathlib.Path, pages: pathlib.Path, args) -> dict:
    from playwright.sync_api import sync_playwright

    started, out = time.monotonic(), {"kernel": kernel_profile(root)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=conftest.CHROMIUM, headless=True,
                                     args=conftest.CHROMIUM_ARGS)
        with server("voila", root, pages) as srv:
            out.update(run_voila(browser, srv, args.presses, args.drags, args.key_gap))
        if args.nagle:
            with server("voila", root, pages, nodelay=False) as srv:
                out["key_nagle"] = run_keys(browser, srv, args.presses)
        if args.lab:
            with server("lab", root, pages) as srv:
                out["lab"] = run_keys(browser, srv, args.presses, lab=True)
        browser.close()
    print(f"  ({name} measured in {time.monotonic() - started:.0f} s, {load()} at its end)")
    return out


def rows(r: dict) -> dict:
    """The issue's table, one checkout's column: figure -> text."""
    med = statistics.median
    k, kern = r["key"], r["kernel"]
    parts = " + ".join(f"{p} {k[p]:.0f}" for p in ("to_kernel", "kernel", "back", "paint") if p in k)
    out = {
        "pictures/s dragging, n 321 (median)": f"{med(d['per_second'] for d in r['drag321']):.1f} "
                                               f"[{r['drag321_load']}]",
        "key -> new pixels, Voila (median)": f"{k['total']:.0f} ms ({parts}) [{k['load']}]",
        "release -> final picture (worst)": f"{max(d['release_to_final'] for d in r['drag321']):.0f} ms",
        f"pictures/s dragging, n {BIG_N:,} (median)": f"{med(d['per_second'] for d in r[f'drag{BIG_N}']):.1f} "
                                                      f"[{r[f'drag{BIG_N}_load']}]",
        "kernel CPU per picture, n 321": f"{kern['cpu_ms']:.1f} ms: {100 * kern['pixels']:.0f}% "
                                         f"rasterising + PNG, {100 * kern['recording']:.0f}% "
                                         f"recording, {100 * kern.get('scene', 0):.0f}% packing "
                                         f"the curves' arrays; once updates rest, a fallback PNG "
                                         f"{kern['png_ms']:.0f} ms [{kern['load']}]",
    }
    if "key_gap" in r:
        g = r["key_gap"]
        out[f"key -> new pixels, Voila, presses {g['gap']} ms apart (median)"] = f"{g['total']:.0f} ms"
    if "key_nagle" in r:
        n = r["key_nagle"]
        out["key -> new pixels, Voila with Nagle's algorithm on (no edu_survival_server)"] = (
            f"{n['total']:.0f} ms (back {n.get('back', float('nan')):.0f}) [{n['load']}]")
    if "lab" in r:
        out["key -> new pixels, JupyterLab (median)"] = f"{r['lab']['total']:.0f} ms [{r['lab']['load']}]"
    return out


def report(results: dict) -> None:
    goals = dict(zip(("pictures/s dragging, n 321 (median)", "key -> new pixels, Voila (median)",
                      "release -> final picture (worst)", f"pictures/s dragging, n {BIG_N:,} (median)",
                      "kernel CPU per picture, n 321"), GOALS.values(), strict=True))
    goals["key -> new pixels, JupyterLab (median)"] = GOALS["key"]
    columns = {name: rows(r) for name, r in results.items()}
    print("\n| figure | " + " | ".join(columns) + " | goal |")
    print("| --- | " + " | ".join("---" for _ in columns) + " | --- |")
    for figure in next(iter(columns.values())):
        cells = " | ".join(c.get(figure, "") for c in columns.values())
        print(f"| {figure} | {cells} | {goals.get(figure, '')} |")
    for name, r in results.items():
        frames, size, biggest = r["frames"]
        moves = statistics.median(d["moves_per_second"] for d in r["drag321"])
        print(f"  {name}: first render {r['first_render']:.0f} ms; per key press {frames:.1f} "
              f"websocket frames, {size / 1024:.1f} KiB (largest {biggest / 1024:.1f} KiB); "
              f"pointer sent {moves:.0f} moves/s; final picture showed the final value in "
              f"{sum(d['final_matches'] for d in r['drag321'])} of {len(r['drag321'])} drags")
        for n in (321, BIG_N):
            drags_n = r[f"drag{n}"]
            if all(d.get("requests") is not None for d in drags_n):
                print(f"    n {n:,}: per drag the kernel was sent " + ", ".join(
                    f"{d['requests']}" for d in drags_n) + " values and dropped " + ", ".join(
                    f"{d['dropped']}" for d in drags_n) + " of them unseen (overtaken); "
                    "release -> final picture " + ", ".join(
                    f"{d['release_to_final']:.0f}" for d in drags_n) + " ms")
        if r.get("cpu321"):
            cpu = r["cpu321"]
            total = sum(cpu.values())
            print("    CPU per picture while dragging at n 321: " + ", ".join(
                f"{role} {ms:.1f}" for role, ms in sorted(cpu.items(), key=lambda kv: -kv[1]))
                + f" ms; {total:.0f} ms in all, so {os.cpu_count()} cores allow at most "
                f"{1000 * os.cpu_count() / total:.0f} pictures/s")
        if r["drag321"][-1]["parts"]:
            print("    one picture while dragging (last drag at n 321, medians): " + " + ".join(
                f"{p} {v:.0f}" for p, v in r["drag321"][-1]["parts"].items()) + " ms")


def ratios(base: dict, new: dict) -> str:
    med = statistics.median
    key = base["key"]["total"] / new["key"]["total"]
    drag = (med(d["per_second"] for d in new["drag321"]) / med(d["per_second"] for d in base["drag321"]))
    cpu = base["kernel"]["cpu_ms"] / new["kernel"]["cpu_ms"]
    return (f"  ratios, this checkout against the baseline: key press -> pixels {key:.1f}x faster; "
            f"pictures per second while dragging at n 321 {drag:.1f}x; kernel CPU per picture "
            f"{cpu:.1f}x less")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help="git ref of the baseline checkout (default: the PNG path; '' for none)")
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--drags", type=int, default=3)
    parser.add_argument("--lab", action="store_true", help="also key presses in JupyterLab")
    parser.add_argument("--no-nagle", dest="nagle", action="store_false",
                        help="skip the key presses in a Voila without edu_survival_server's "
                             "websockets (Nagle's algorithm on, as Voila has it by default)")
    parser.add_argument("--key-gap", type=int, default=0, metavar="MS",
                        help="also key presses in Voila with MS ms between a picture and the next "
                             "press (the default presses at once, as the goal's figure does)")
    args = parser.parse_args(argv)
    print(f"edu_survival browser benchmark; {load()} ({os.cpu_count()} CPUs) at start")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        pages = notebooks(pathlib.Path(tmp) / "pages")
        roots = {f"baseline {args.baseline}": checkout(args.baseline, pathlib.Path(tmp))
                 } if args.baseline else {}
        roots["this checkout"] = ROOT
        for name, root in roots.items():
            results[name] = measure_checkout(name, root, pages, args)
    report(results)
    if len(results) == 2:
        print(ratios(*results.values()))
    print(f"{load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
