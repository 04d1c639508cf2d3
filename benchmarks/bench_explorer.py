"""How fast does the trial explorer answer a slider, compared with the obvious way to do it?

Run:  python benchmarks/bench_explorer.py [--changes 50] [--naive-changes-large 15]

For n = 321 (the news story) and n = 10,000 patients, a TrialExplorer's "Median, control"
slider is set 50 times (after a few warm-up changes); for each change we time, from setting
``.value``, (1) the drawn canvas (simulate, analyse with the numpy engine, update the plot's
artists, ``canvas.draw()``) and (2) the PNG encoded and handed to the figure view. The medians
are reported. In the same run the naive approach does the same changes: simulate, lifelines fits
(Kaplan–Meier per arm, log-rank test, Cox model), a new figure, lifelines' survival plots and
``add_at_risk_counts`` table, ``canvas.draw()`` (and, for its PNG, ``savefig``). The naive
approach at n = 10,000 takes seconds per change, so it is timed on fewer changes there.
Targets from issue 4 are printed next to the figures; they are not assertions.

A second table (issue 13) compares, in the same process, the explorer's update with the
rendering path it replaced: every number drawn into the figure (at-risk table, hazard ratio,
legend counts), an RGBA PNG, and the PNG as base64 inside an HTML ``<img>``; and the bytes
each path sends to the browser per update.

Then the "assumptions" controls (issue 10): the hazard-shape slider swept over 0.5 to 3 and
the delay slider over 0 to 12 months, each change timed to the PNG in the widget, against
the same number of "Median, control" changes in the same process (the baseline). Their
worst case is printed too, since a learner may drag to any setting.
Run only that part with  python benchmarks/bench_explorer.py --assumptions-only
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import edu_survival as es
from edu_survival.widgets import TrialExplorer

TARGETS_MS = {321: 40, 10_000: 120}
SPEEDUP_TARGET = 4


def slider_values(k: int):
    """k different control medians around the story's 17.3 months."""
    return [15.0 + 0.1 * (i % 40) + (0.05 if i >= 40 else 0.0) for i in range(k)]


def explorer_times(n: int, changes: int, warmup: int = 3):
    explorer = TrialExplorer(es.LAPATINIB.replace(n=n), seed=1)
    slider = explorer.controls["median_control"]
    drawn, encoded = [], []
    for i, value in enumerate(slider_values(changes + warmup)):
        start = time.perf_counter()
        slider.value = round(value, 2)
        if i >= warmup:
            drawn.append(explorer.view.drawn_at - start)
            encoded.append(explorer.view.encoded_at - start)
    assert explorer.message.value == "", explorer.message.value
    return statistics.median(drawn), statistics.median(encoded)


def assumption_times(changes: int, warmup: int = 3):
    """Median and worst time to the PNG for shape and delay changes, and for median_control
    changes (the baseline), in one explorer of the news story's trial."""
    explorer = TrialExplorer(es.LAPATINIB, seed=1)
    c = explorer.controls
    shapes = [round(0.5 + 2.5 * i / max(changes - 1, 1), 2) for i in range(changes)]
    delays = [round(12.0 * i / max(changes - 1, 1) * 2) / 2 for i in range(changes)]
    out = {}
    for name, values in (("median_control", slider_values(changes + warmup)),
                         ("shape", shapes[:warmup] + shapes), ("delay", delays[:warmup] + delays)):
        times = []
        for i, value in enumerate(values):
            if c[name].value == value:
                c[name].value = value + (0.01 if name != "delay" else 0.5)  # make it a change
            start = time.perf_counter()
            c[name].value = round(value, 2)
            if i >= warmup:
                times.append(explorer.view.encoded_at - start)
            assert "cannot be shown" not in explorer.message.value, explorer.message.value
        out[name] = (statistics.median(times), max(times))
        if name == "shape":
            c["shape"].value = 1.0
    return out


def print_assumptions(changes: int) -> None:
    times = assumption_times(changes)
    base = times["median_control"][0]
    print(f"\nAssumption controls, n = 321: time to the PNG over {changes} changes each")
    print(f"{'control':>26}  {'median':>9}  {'worst':>9}  {'median / baseline':>18}")
    for name, (median, worst) in times.items():
        label = name + (" (baseline)" if name == "median_control" else "")
        print(f"{label:>26}  {median * 1000:>6.1f} ms  {worst * 1000:>6.1f} ms  "
              f"{median / base:>17.2f}x")


def old_path_times(n: int, changes: int, warmup: int = 3):
    """The rendering path before issue 13, on the same trials: (median ms, bytes sent)."""
    from edu_survival.widgets import ENGINE

    scenario = es.LAPATINIB.replace(n=n)
    km = es.plots.plot_km(es.analyze(es.simulate(scenario, 1)),
                          counts=("at risk", "censored", "events"))
    width = int(km.figure.bbox.width)
    times, sizes = [], []
    for i, value in enumerate(slider_values(changes + warmup)):
        start = time.perf_counter()
        analysis = es.analyze(es.simulate(scenario.replace(median_control=round(value, 2)), 1),
                              engine=ENGINE, labels=es.STORY_LABELS)
        km.update(analysis)
        km.draw()
        img = es.plots.img_html(es.plots.png_bytes(km.figure, redraw=False), km.alt_text, width)
        summary = es.plots.describe(analysis)
        if i >= warmup:
            times.append(time.perf_counter() - start)
            sizes.append(len(img) + len(summary))
    return statistics.median(times), statistics.median(sizes)


def new_path_bytes(n: int) -> int:
    """Bytes of one update of the explorer's view: the binary PNG and its texts."""
    explorer = TrialExplorer(es.LAPATINIB.replace(n=n), seed=1)
    explorer.controls["median_control"].value = 16.0
    w = explorer.view.widget
    return len(w.png) + sum(len(t.encode()) for t in (w.alt, w.above, w.below, w.summary))


def naive_change(scenario, seed):
    """The obvious way: lifelines for every number, and a brand-new figure every time."""
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts
    from lifelines.statistics import logrank_test

    df = es.simulate(scenario, seed)
    c, t = df[df.arm == "control"], df[df.arm == "treatment"]
    km_c = KaplanMeierFitter().fit(c.time, c.event, label="control")
    km_t = KaplanMeierFitter().fit(t.time, t.event, label="treatment")
    logrank_test(c.time, t.time, c.event, t.event)
    frame = df.assign(treated=(df.arm == "treatment").astype(float))[["time", "event", "treated"]]
    CoxPHFitter().fit(frame, "time", "event")
    fig, ax = plt.subplots(figsize=(8.5, 6.8), dpi=90)
    km_t.plot_survival_function(ax=ax, show_censors=True)
    km_c.plot_survival_function(ax=ax, show_censors=True)
    add_at_risk_counts(km_t, km_c, ax=ax)
    fig.canvas.draw()
    drawn = time.perf_counter()
    fig.savefig(io.BytesIO(), format="png", dpi=90)
    plt.close(fig)
    return drawn


def naive_times(n: int, changes: int, warmup: int = 1):
    drawn, encoded = [], []
    for i, value in enumerate(slider_values(changes + warmup)):
        scenario = es.LAPATINIB.replace(n=n, median_control=round(value, 2))
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifelines' layout and convergence chatter
            drawn_at = naive_change(scenario, 1)
        done = time.perf_counter()
        if i >= warmup:
            drawn.append(drawn_at - start)
            encoded.append(done - start)
    return statistics.median(drawn), statistics.median(encoded)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50, help="slider changes per size")
    parser.add_argument("--naive-changes-large", type=int, default=15,
                        help="changes for the naive approach at n = 10,000 (seconds each)")
    parser.add_argument("--assumptions-only", action="store_true",
                        help="time only the shape and delay controls against median_control")
    args = parser.parse_args(argv)
    if args.assumptions_only:
        print_assumptions(args.changes)
        return 0
    print(f"edu_survival explorer benchmark: median over {args.changes} slider changes "
          f"(matplotlib {matplotlib.__version__}, Agg, dpi {es.plots.DPI})")
    header = (f"{'n':>7}  {'explorer: drawn':>16}  {'+ PNG':>8}  {'naive: drawn':>13}  "
              f"{'+ PNG':>8}  {'speed-up (drawn)':>16}  {'target':>14}")
    print(header)
    print("-" * len(header))
    ok = True
    for n in (321, 10_000):
        drawn, encoded = explorer_times(n, args.changes)
        naive_k = args.changes if n <= 1000 else args.naive_changes_large
        naive_drawn, naive_encoded = naive_times(n, naive_k)
        ratio = naive_drawn / drawn
        target = TARGETS_MS[n]
        met = drawn * 1000 <= target and ratio >= SPEEDUP_TARGET
        ok &= met
        print(f"{n:>7,}  {drawn * 1000:>13.1f} ms  {encoded * 1000:>5.1f} ms  "
              f"{naive_drawn * 1000:>10.1f} ms  {naive_encoded * 1000:>5.0f} ms  "
              f"{ratio:>15.1f}x  <= {target} ms, >= {SPEEDUP_TARGET}x {'met' if met else 'MISSED'}"
              + (f"  (naive over {naive_k} changes)" if naive_k != args.changes else ""))
    print("drawn: from setting the slider's .value to canvas.draw() done; + PNG: until the PNG "
          "is encoded and handed to the figure view.")
    print()
    print("issue 13: one update, this explorer against the rendering path it replaced "
          "(same process, same trials)")
    for n in (321, 2000):
        _, encoded = explorer_times(n, args.changes)
        old, old_bytes = old_path_times(n, args.changes)
        new_bytes = new_path_bytes(n)
        print(f"{n:>7,}  old path {old * 1000:6.1f} ms, {old_bytes / 1024:6.1f} KiB sent;  "
              f"now {encoded * 1000:6.1f} ms, {new_bytes / 1024:5.1f} KiB sent (binary PNG);  "
              f"{old / encoded:.1f}x faster, {old_bytes / new_bytes:.1f}x fewer bytes")
    print_assumptions(args.changes)
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
