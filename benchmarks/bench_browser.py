"""Where the time goes between a slider and new pixels in the browser: this checkout against a
baseline checkout, served the same way, on the same machine, in the same run.

Run:  python benchmarks/bench_browser.py [--baseline REF] [--presses 20] [--drags 3]

For each checkout (the baseline, from ``git archive REF``, and this one) Voila serves
``dashboards/trial_explorer.ipynb`` to headless Chromium (as the browser tests do) and we
measure, on the control-median slider:

* first render: navigation start to the first picture painted;
* key press to new pixels (median of ``--presses``, the first left out), split, when the view
  sends the kernel's timestamps, into: to the kernel (browser, server relay, kernel queue),
  the kernel's callback, back to the browser (server relay, websocket, decode of the message)
  and the picture's decode and paint;
* websocket frames the browser receives per key press, their bytes, and the largest one;
* dragging with the mouse across a third of the track in 2 s, at 321 and 2,000 patients:
  new pictures per second during the drag and ms from release to the final picture, which
  must show the final value (its alt text says what this library says of that trial).

The machine's load average is printed with the figures: on a shared machine the absolute
times move with it, the ratio between the two checkouts much less. Targets (issue 13) are
printed next to the figures; they are not assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import re
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

# The last commit whose explorer sent its figure as a base64 PNG inside an HTML widget.
DEFAULT_BASELINE = "8443848"
TARGETS = {"key": 60, "drag321": 15, "drag2000": 8, "release": 100}
CONTROL, PATIENTS = "median, control", "patients"


def checkout(ref: str, into: pathlib.Path) -> pathlib.Path:
    """The package and dashboards of ``ref`` (read from git; nothing here changes)."""
    archive = subprocess.run(["git", "archive", ref, "edu_survival", "dashboards"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


@contextlib.contextmanager
def voila(root: pathlib.Path):
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="bench-voila-"))
    port, token = conftest.free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "voila", "dashboards/trial_explorer.ipynb", "--no-browser",
           "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={token}"]
    saved_root, saved_path = conftest.ROOT, os.environ.pop("PYTHONPATH", None)
    conftest.ROOT = root  # the server runs in, and its kernel imports from, this checkout
    try:
        server = conftest.Server("voila", cmd, port, token, scratch)
    finally:
        conftest.ROOT = saved_root
        if saved_path is not None:
            os.environ["PYTHONPATH"] = saved_path
    with conftest.running(server, None) as s:
        yield s


def expected_alt(median_control: float, n: int) -> str:
    """What the explorer's alt text says first of the trial with these settings (seed 1): its
    medians with their CIs (the later sentences differ between versions of the summary)."""
    scenario = es.LAPATINIB.replace(median_control=round(median_control, 6), n=n)
    text = es.plots.describe(es.analyze(es.simulate(scenario, 1), labels=es.STORY_LABELS))
    return text.split(". ")[0]


def slider(page, text):
    row = page.locator(".widget-slider").filter(has_text=re.compile(text, re.I)).first
    return row.locator(".noUi-handle").first, row.locator(".noUi-target").first


def run(server, presses: int, drags: int) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=conftest.CHROMIUM, headless=True,
                                     args=conftest.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        frames = []
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: frames.append(len(payload))))
        page.add_init_script(measure.RECORDER_JS)
        page.goto(f"{server.base}/?token={server.token}")
        out["first_render"] = measure.first_render_ms(page)
        control, control_track = slider(page, CONTROL)
        patients, _ = slider(page, PATIENTS)
        measure.wait_final(page, alt_part=expected_alt(measure.slider_value(control), 321))
        frames.clear()
        out["key"] = measure.key_to_pixels(page, control, presses, None)
        per = max(out["key"]["presses"] + 1, 1)
        out["frames"] = (len(frames) / per, sum(frames) / per, max(frames, default=0))
        for n in (321, 2000):
            if n != 321:
                patients.focus()
                page.keyboard.press("End")  # the slider's maximum, 2,000
                measure.wait_final(page, alt_part=expected_alt(measure.slider_value(control), n))
            results = []
            for _ in range(drags):
                results.append(measure.drag(page, control, control_track, None,
                                            expect_alt=lambda v, n=n: expected_alt(v, n)))

            out[f"drag{n}"] = results
        browser.close()
    return out


def report(name: str, r: dict) -> None:
    k = r["key"]
    parts = [f"{part} {k[part]:.0f}" for part in ("to_kernel", "kernel", "back", "paint")
             if part in k]
    print(f"  {name}: first render {r['first_render']:.0f} ms after navigation start")
    print(f"    key press -> new pixels, median of {k['presses']}: {k['total']:.0f} ms "
          f"(target <= {TARGETS['key']})" + (f"  = {' + '.join(parts)} ms" if parts else
                                             f"  (decode + paint {k['paint']:.0f} ms)"))
    frames, size, biggest = r["frames"]
    print(f"    websocket frames received per key press: {frames:.1f}, {size / 1024:.1f} KiB "
          f"(largest frame {biggest / 1024:.1f} KiB)")
    for n in (321, 2000):
        d = r[f"drag{n}"]
        rate = statistics.median(x["per_second"] for x in d)
        release = statistics.median(x["release_to_final"] for x in d)
        print(f"    drag at n = {n:,}: {rate:.1f} pictures/s (target >= "
              f"{TARGETS[f'drag{n}']}), release -> final picture {release:.0f} ms (target <= "
              f"{TARGETS['release']}); final picture shows the final value in "
              f"{sum(x['final_matches'] for x in d)} of {len(d)} drags")
        parts = d[-1]["parts"]
        if parts:
            print("      one picture while dragging (last drag, medians): " + " + ".join(
                f"{k} {v:.0f}" for k, v in parts.items()) + " ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help="git ref of the baseline checkout (default: the HTML-widget view; '' for none)")
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--drags", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"edu_survival browser benchmark; load average {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} CPUs) at start")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        roots = {f"baseline {args.baseline}": checkout(args.baseline, pathlib.Path(tmp))
                 } if args.baseline else {}
        roots["this checkout"] = ROOT
        for name, root in roots.items():
            started = time.monotonic()
            with voila(root) as server:
                results[name] = run(server, args.presses, args.drags)
            print(f"  ({name} measured in {time.monotonic() - started:.0f} s)")
    for name, r in results.items():
        report(name, r)
    if len(results) < 2:
        return 0
    (base, new) = results.values()
    ratio = base["key"]["total"] / new["key"]["total"]
    drag = (statistics.median(x["per_second"] for x in new["drag321"])
            / statistics.median(x["per_second"] for x in base["drag321"]))
    print(f"  ratios, this checkout against the baseline: key press -> pixels {ratio:.1f}x "
          f"faster; pictures per second while dragging at n = 321 {drag:.1f}x")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
