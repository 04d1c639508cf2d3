"""What the browser tests and ``benchmarks/bench_browser.py`` measure on a page with an explorer.

``install(page)`` (before the page loads) records every new picture of the first ``.es-figure``:
a new drawing on its canvas (its ``data-version`` changes) or, where the figure is a PNG, a
new ``src`` of its ``<img>``; when it changed and was painted, its text alternative, the
settings it was drawn for (``data-drawn-for``) and, when the view sends them, the kernel's
start and send times. From those records:

* :func:`key_to_pixels`: key press to new pixels, with where the time went (to the kernel,
  in the kernel, back to the browser, decode and paint);
* :func:`drag`: pictures per second while a slider is dragged, pointer events dispatched in
  the page at 60 moves a second (Playwright's own mouse manages about 25 here), and the time
  from release to the final picture, which must show the final value.

Sliders are found by role and accessible name (:func:`slider`), or, for ipywidgets' own
sliders whose handles have no name, by their description. Every wait is for an event (a new
picture, the picture of the final value), never for a quiet period, so the figures are slower
but not wrong on a busy machine.
"""

from __future__ import annotations

import re
import statistics

# Every wait is for an event; its timeout only says how long a missing event may take before
# the test calls it missing: generous, so that a busy machine makes a test slow, not red.
EVENT_TIMEOUT = 120_000  # ms: a new picture, the picture of the final value, a reading
RENDER_TIMEOUT = 300_000  # ms: a kernel's start, a notebook's run, the first picture

RECORDER_JS = """(() => {
    if (window.__es) return;
    const st = window.__es = {pictures: [], key: null, down: null, up: null};
    const on = (type, f) => document.addEventListener(type, f, true);
    on('keydown', () => { st.key = performance.now(); });
    on('pointerdown', () => { st.down = performance.now(); });
    on('pointerup', () => { st.up = performance.now(); });
    let last = null;
    const picture = () => {  // the figure's drawing, or its PNG where it has no drawing
        const fig = document.querySelector('.es-figure');
        const canvas = fig && fig.querySelector('canvas.es-canvas');
        if (canvas && !canvas.hidden && canvas.dataset.version)
            return {key: 'v' + canvas.dataset.version, el: canvas,
                    alt: canvas.getAttribute('aria-label') || ''};
        const img = fig && fig.querySelector('img:not([hidden])');
        if (img && img.getAttribute('src')) return {key: img.src, el: img, alt: img.alt};
        return null;
    };
    const check = () => {
        const p = picture();
        if (!p || p.key === last) return;
        last = p.key;
        const d = p.el.dataset;
        const rec = {changed: performance.now(), key: st.key, alt: p.alt,
                     drawnFor: d.drawnFor || null, kernelStart: +d.kernelStart || null,
                     kernelSent: +d.kernelSent || null, drawMs: +d.drawMs || null, painted: null};
        st.key = null;
        st.pictures.push(rec);
        const painted = () => requestAnimationFrame(
            () => setTimeout(() => { rec.painted = performance.now(); }, 0));
        if (p.el.tagName === 'IMG') p.el.decode().catch(() => {}).then(painted);
        else painted();
    };
    const start = () => new MutationObserver(check).observe(document.documentElement,
        {subtree: true, childList: true, attributes: true,
         attributeFilter: ['src', 'data-version', 'hidden']});
    if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
})()"""

# The latest picture is painted and shows the settings `want` (name -> value), read from
# data-drawn-for ("name=value;..."), or, without it, has `altPart` in its alt text.
FINAL_JS = """([want, altPart]) => {
    const p = window.__es.pictures, last = p[p.length - 1];
    if (!last || last.painted === null) return false;
    if (altPart !== null) return last.alt.includes(altPart);
    if (!last.drawnFor) return false;
    const got = Object.fromEntries(last.drawnFor.split(';').map(kv => kv.split('=')));
    return Object.entries(want).every(
        ([k, v]) => k in got && Math.abs(+got[k] - v) <= 1e-6 * Math.max(1, Math.abs(v)));
}"""

# Pointer (and, for ipywidgets' noUiSlider, mouse) events from x0 to x1 at `rate` moves a
# second, sent in the page to whatever is under the pointer, as a hand's drag would be.
DRAG_JS = """async ([x0, x1, y, ms, rate]) => {
    const init = (x, buttons) => ({bubbles: true, cancelable: true, composed: true, view: window,
        clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0,
        buttons, pressure: buttons ? 0.5 : 0});
    const send = (kind, x, buttons) => {
        const el = document.elementFromPoint(x, y) || document.body;
        el.dispatchEvent(new PointerEvent('pointer' + kind, init(x, buttons)));
        el.dispatchEvent(new MouseEvent('mouse' + kind, init(x, buttons)));
    };
    const total = Math.max(1, Math.round(ms * rate / 1000));
    send('down', x0, 1);
    const start = performance.now();
    let sent = 0;
    await new Promise((done) => {
        const tick = () => {
            const due = Math.min(total, Math.floor((performance.now() - start) * rate / 1000));
            while (sent < due) { sent += 1; send('move', x0 + (x1 - x0) * sent / total, 1); }
            if (sent >= total) { done(); return; }
            setTimeout(tick, Math.max(0, start + (sent + 1) * 1000 / rate - performance.now()));
        };
        tick();
    });
    send('up', x1, 0);
    return {moves: sent + 2, ms: performance.now() - start};
}"""

# The slider whose accessible name (or, for an ipywidgets slider, description) matches:
# marked with data-es-slider=<mark> on its handle, and its track with data-es-track.
FIND_SLIDER_JS = """([root, source, mark]) => {
    const re = new RegExp(source, 'i');
    const scope = (root && document.querySelector(root)) || document;
    const name = (el) => {
        const by = el.getAttribute('aria-labelledby');
        if (by) return by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ');
        if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
        const row = el.closest('.widget-slider');
        return row ? (row.querySelector('.widget-label')?.textContent || '') : '';
    };
    const el = [...scope.querySelectorAll('[role=slider]')].find((s) => re.test(name(s)));
    if (!el) return false;
    el.setAttribute('data-es-slider', mark);
    const track = el.closest('.es-slider-track, .noUi-target') || el.parentElement;
    track.setAttribute('data-es-track', mark);
    return true;
}"""


def install(page) -> None:
    """Record pictures on ``page`` from its next load (and now, if it is loaded)."""
    page.add_init_script(RECORDER_JS)
    page.evaluate(RECORDER_JS)


def pictures(page) -> list[dict]:
    return page.evaluate("window.__es.pictures")


def slider(page, pattern, root: str | None = None):
    """(handle, track) of the first slider under ``root`` (a CSS selector; default the page)
    whose accessible name matches ``pattern`` (a regular expression, case ignored)."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)
    mark = re.sub(r"\W+", "-", source).strip("-") or "slider"
    if not page.evaluate(FIND_SLIDER_JS, [root, source, mark]):
        raise AssertionError(f"no slider named like {source!r}")
    return (page.locator(f'[data-es-slider="{mark}"]').first,
            page.locator(f'[data-es-track="{mark}"]').first)


def first_render_ms(page) -> float:
    """Navigation start to the first picture painted (ms)."""
    page.wait_for_function("window.__es.pictures.length && window.__es.pictures[0].painted",
                           timeout=RENDER_TIMEOUT, polling=50)
    return pictures(page)[0]["painted"]


def wait_final(page, want: dict | None = None, alt_part: str | None = None,
               timeout: int = EVENT_TIMEOUT) -> dict:
    """Until the latest picture is painted and shows ``want`` (or has ``alt_part``)."""
    page.wait_for_function(FINAL_JS, arg=[want or {}, alt_part], timeout=timeout, polling=20)
    return pictures(page)[-1]


def slider_value(handle) -> float:
    return float(handle.get_attribute("aria-valuenow"))


def count_pictures(page) -> int:
    return page.evaluate("window.__es.pictures.length")


def key_to_pixels(page, handle, presses: int, field: str | None, gap_ms: int = 0) -> dict:
    """Press ArrowLeft/ArrowRight ``presses`` times on ``handle``, each after the previous
    picture is painted (showing the slider's value when the view says what it drew) and then
    ``gap_ms`` more (0: at once, while the kernel may still finish the last update; a person
    pressing a key now and then leaves a gap); return the median times in ms (the first press
    warms up and is left out)."""
    handle.focus()
    rows = []
    for i in range(presses):
        if i and gap_ms:
            page.wait_for_timeout(gap_ms)
        k = count_pictures(page)
        page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
        page.wait_for_function(
            "k => window.__es.pictures.length > k && window.__es.pictures.at(-1).painted",
            arg=k, timeout=EVENT_TIMEOUT, polling=10)
        if field is not None:
            wait_final(page, {field: slider_value(handle)})
        rows.append(pictures(page)[-1])
    origin = page.evaluate("performance.timeOrigin")
    rows = [r for r in rows[1:] if r["key"] is not None]
    out = {"presses": len(rows),
           "total": [r["painted"] - r["key"] for r in rows],
           "paint": [r["painted"] - r["changed"] for r in rows]}
    if rows and all(r["kernelStart"] for r in rows):
        out["to_kernel"] = [r["kernelStart"] - (origin + r["key"]) for r in rows]
        out["kernel"] = [r["kernelSent"] - r["kernelStart"] for r in rows]
        out["back"] = [(origin + r["changed"]) - r["kernelSent"] for r in rows]
    return {k: (statistics.median(v) if isinstance(v, list) else v) for k, v in out.items()
            if not isinstance(v, list) or v}


def _drag_parts(timed: list[dict], origin: float) -> dict:
    """Where a picture's time goes while the hand moves (medians, ms)."""
    if len(timed) < 2:
        return {}
    median = statistics.median
    return {
        "kernel": median(p["kernelSent"] - p["kernelStart"] for p in timed),
        "back": median(origin + p["changed"] - p["kernelSent"] for p in timed),
        # from one picture sent to the kernel starting the next: the browser hears the kernel
        # is done (or idle), sends the value the slider has reached, the server relays it
        "between": median(b["kernelStart"] - a["kernelSent"]
                          for a, b in zip(timed, timed[1:], strict=False)),
        "paint": median(p["painted"] - p["changed"] for p in timed if p["painted"]),
        **({"browser draw": median(p["drawMs"] for p in timed)}
           if all(p["drawMs"] for p in timed) else {}),
    }


def drag(page, handle, track, field: str | None, seconds: float = 1.5,
         fraction: float = 1 / 3, expect_alt=None, rate: int = 60) -> dict:
    """Drag ``handle`` across ``fraction`` of ``track`` in ``seconds``, ``rate`` pointer moves
    a second sent in the page.

    Returns pictures per second during the drag, ms from release to the final picture
    painted (0 if it was on screen already), the final value and whether the final picture
    shows it. ``field`` names the value in ``data-drawn-for``; without one, ``expect_alt(value)``
    gives text the final picture's alt text must contain.
    """
    handle.scroll_into_view_if_needed()
    box, bar = handle.bounding_box(), track.bounding_box()
    x0, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    dx = fraction * bar["width"] * (1 if x0 < bar["x"] + bar["width"] / 2 else -1)
    before = count_pictures(page)
    counts = kernel_counts(handle)
    sent = page.evaluate(DRAG_JS, [x0, x0 + dx, y, 1000 * seconds, rate])
    value = slider_value(handle)
    if field is not None:
        final = wait_final(page, {field: value})
    else:
        final = wait_final(page, alt_part=expect_alt(value))
    st = page.evaluate("({down: window.__es.down, up: window.__es.up, "
                       "origin: performance.timeOrigin})")
    after = kernel_counts(handle)
    shots = pictures(page)[before:]
    during = [p for p in shots if st["down"] <= p["changed"] <= st["up"]]
    return {
        "parts": _drag_parts([p for p in during if p["kernelStart"]], st["origin"]),
        "value": value,
        "pictures": len(during),
        "per_second": 1000 * len(during) / (st["up"] - st["down"]),
        "moves_per_second": 1000 * sent["moves"] / max(sent["ms"], 1),
        "release_to_final": max(0.0, final["painted"] - st["up"]),
        "final_matches": True,  # wait_final returned: the last picture shows the final value
        "drag_ms": st["up"] - st["down"],
        # values the kernel was sent during the drag, and those it dropped, overtaken by a
        # newer one before it computed them (None: the slider does not say)
        **({"requests": after[0] - counts[0], "dropped": after[1] - counts[1]}
           if None not in (*counts, *after) else {"requests": None, "dropped": None}),
    }


def kernel_counts(handle) -> tuple[int | None, int | None]:
    """(values the kernel took, values it dropped) for this slider, as the kernel last said
    (sliders.py's "taken" replies); None for a slider that does not say."""
    got = handle.evaluate("h => h.classList.contains('es-slider-handle') ? "
                          "[h.dataset.kernelRequests || '0', h.dataset.kernelDropped || '0'] : [null, null]")
    return tuple(None if v is None else int(v) for v in got)
