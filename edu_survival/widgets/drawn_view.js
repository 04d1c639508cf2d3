// The figure drawn in the browser (edu_survival.widgets): a Kaplan–Meier plot drawn from its
// arrays and a small spec (km_scene.js, which follows this file in the module), or any other
// matplotlib figure's drawing, recorded in the kernel (recording.py) as operations on one
// float32 buffer, replayed on a <canvas> at the screen's resolution. Hover or focus the plot to read the curves (time,
// survival with its CI and number at risk per arm; arrow keys step along the curves, the
// reading is announced). Without a drawing the last PNG from the kernel is shown instead.
// Plain ES module: no build step, nothing fetched from the network.

const FONT = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, Arial, sans-serif';

function floats(view) {
  // A DataView from the kernel as float32 numbers (copied if not 4-byte aligned).
  if (!view || !view.byteLength) return new Float32Array(0);
  const { buffer, byteOffset, byteLength } = view;
  if (byteOffset % 4 === 0) return new Float32Array(buffer, byteOffset, byteLength / 4);
  return new Float32Array(buffer.slice(byteOffset, byteOffset + byteLength));
}

const rgbCache = new Map();
function rgba(hex, alpha) {
  let rgb = rgbCache.get(hex);
  if (!rgb) {
    const n = parseInt(hex.slice(1), 16);
    rgb = `${(n >> 16) & 255},${(n >> 8) & 255},${n & 255}`;
    rgbCache.set(hex, rgb);
  }
  return `rgba(${rgb},${alpha ?? 1})`;
}

function tracePath(ctx, data, [start, count], dx = 0, dy = 0) {
  // Pairs of numbers from data[start...]; a NaN pair starts a new piece.
  let pen = false;
  for (let i = start; i < start + count; i += 2) {
    const x = data[i], y = data[i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) { pen = false; continue; }
    if (pen) ctx.lineTo(x + dx, y + dy); else { ctx.moveTo(x + dx, y + dy); pen = true; }
  }
}

function setStroke(ctx, op) {
  ctx.strokeStyle = rgba(op.s, op.sa);
  ctx.lineWidth = op.lw;
  ctx.lineCap = op.cap || "butt";
  ctx.lineJoin = op.join || "miter";
  ctx.setLineDash(op.d || []);
  ctx.lineDashOffset = op.do || 0;
}

function paint(ctx, op) {
  if (op.f) { ctx.fillStyle = rgba(op.f, op.fa); ctx.fill(); }
  if (op.s) { setStroke(ctx, op); ctx.stroke(); }
}

function drawPath(ctx, op, data) {
  ctx.beginPath();
  tracePath(ctx, data, op.at);
  paint(ctx, op);
}

function drawMarkers(ctx, op, data) {
  // One shape (in pixels around its place) at every place; one path for all of them.
  const [start, count] = op.at;
  ctx.beginPath();
  for (let i = start; i < start + count; i += 2) tracePath(ctx, data, op.shape, data[i], data[i + 1]);
  paint(ctx, op);
}

function drawText(ctx, op, height) {
  // The kernel placed the line (baseline, left end, as matplotlib measured it); anchoring a
  // centred or right-aligned line at its centre or right end keeps it in place whatever
  // width the browser's font gives it.
  const shift = op.ha === "c" ? op.w / 2 : op.ha === "r" ? op.w : 0;
  ctx.save();
  ctx.translate(op.x, height - op.y);
  if (op.a) ctx.rotate((-op.a * Math.PI) / 180);
  ctx.font = `${op.font || ""} ${op.px}px ${FONT}`.trim();
  ctx.textAlign = op.ha === "c" ? "center" : op.ha === "r" ? "right" : "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillStyle = rgba(op.f, op.fa);
  ctx.fillText(op.s, shift, 0);
  ctx.restore();
}

function clipTo(ctx, clip, state) {
  // Change the clip rectangle only when it changes (save/restore around each clip).
  const key = clip ? clip.join(",") : "";
  if (key === state.clip) return;
  if (state.clip !== "") ctx.restore();
  state.clip = key;
  if (!clip) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(clip[0], clip[1], clip[2] - clip[0], clip[3] - clip[1]);
  ctx.clip();
}

export function replay(ctx, spec, data, scale) {
  // Draw the recorded figure; the kernel's pixels have y upwards from the bottom edge.
  const height = spec.size[1];
  ctx.setTransform(scale, 0, 0, -scale, 0, height * scale);
  const state = { clip: "" };
  for (const op of spec.ops) {
    clipTo(ctx, op.c, state);
    if (op.t === "p") drawPath(ctx, op, data);
    else if (op.t === "m") drawMarkers(ctx, op, data);
    else if (op.t === "x") {
      ctx.save();
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      drawText(ctx, op, height);
      ctx.restore();
    }
  }
  clipTo(ctx, null, state);
}

// ----- reading the curves ----------------------------------------------------------------

function stepIndex(times, t) {
  // The last index with times[i] <= t (right-continuous step), -1 before the first.
  let lo = 0, hi = times.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] <= t) lo = mid + 1; else hi = mid; }
  return lo - 1;
}

function atRiskAt(times, atRisk, t) {
  // Patients followed and alive just before t: the count at the first time >= t.
  if (t <= 0 || !times.length) return atRisk.length ? atRisk[0] : 0;
  let lo = 0, hi = times.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
  return lo < atRisk.length ? atRisk[lo] : 0;
}

function arrays(reading, data) {
  const get = (key) => (reading[key] ? data.subarray(reading[key][0], reading[key][0] + reading[key][1]) : null);
  return { time: get("time"), survival: get("survival"), lower: get("lower"), upper: get("upper"),
           atRisk: get("at_risk") };
}

function pct(v) { return `${Math.round(100 * v)}%`; }

export function readAt(km, data, t) {
  // What the curves say at time t, per arm: {label, colour, s, lo, hi, atRisk, beyond}.
  return km.arms.map((arm) => {
    const a = arrays(arm, data);
    const last = a.time.length ? a.time[a.time.length - 1] : 0;
    const i = Math.max(0, stepIndex(a.time, t));
    return { label: arm.label, colour: arm.colour, text: arm.text || "#222222", beyond: t > last,
             s: a.survival[i],
             lo: a.lower ? a.lower[i] : null, hi: a.upper ? a.upper[i] : null,
             atRisk: atRiskAt(a.time, a.atRisk, t) };
  });
}

function timeText(t, unit) {
  const shown = Math.abs(t) >= 10 ? t.toFixed(1) : t.toFixed(2);
  return `${shown.replace(/\.?0+$/, "") || "0"} ${unit}`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function readingParts(km, rows, t) {
  // The reading in words: [time, one sentence per curve].
  return [`At ${timeText(t, km.unit)}:`, ...rows.map((r) => {
    if (r.beyond) return `${r.label}: not estimated beyond its last follow-up`;
    const ci = r.lo === null ? "" : ` (${km.level}% CI ${pct(r.lo)} to ${pct(r.hi)})`;
    return `${r.label}: ${pct(r.s)} alive${ci}, ${r.atRisk} at risk`;
  })];
}

export function readingText(km, rows, t) {
  const [time, ...arms] = readingParts(km, rows, t);
  return `${time} ${arms.join("; ")}.`;
}

function readingHtml(km, rows, t) {
  // Each curve's sentence in its arm's colour for text (dark enough on white).
  const [time, ...arms] = readingParts(km, rows, t);
  const lines = arms.map((text, k) => `<span class="es-reading-arm" style="color:${rows[k].text}">`
    + `${escapeHtml(text)}${k < arms.length - 1 ? ";" : "."}</span>`);
  return `<span class="es-reading-time">${escapeHtml(time)}</span> ${lines.join(" ")}`;
}

const HINT = "Read the curves: point at the plot, or focus it (Tab) and use the arrow keys.";

function readingTimes(km, data) {
  // Every time at which a curve steps, both arms, in order, from 0.
  const all = new Set([0]);
  for (const arm of km.arms) for (const t of arrays(arm, data).time) all.add(t);
  return [...all].sort((a, b) => a - b);
}

function toPixels(km, t, s) {
  // Figure pixels (y upwards) of (time, survival) on the curves' axes.
  const [x0, y0, x1, y1] = km.box, [t0, t1] = km.xlim, [s0, s1] = km.ylim;
  return [x0 + ((t - t0) / (t1 - t0)) * (x1 - x0), y0 + ((s - s0) / (s1 - s0)) * (y1 - y0)];
}

function fromPixels(km, x) {
  const [x0, , x1] = km.box, [t0, t1] = km.xlim;
  return t0 + ((x - x0) / (x1 - x0)) * (t1 - t0);
}

function drawCursor(ctx, km, rows, t, scale, height) {
  // The reading on the overlay: a vertical line at t and a ring on each curve.
  ctx.setTransform(scale, 0, 0, -scale, 0, height * scale);
  const [, y0, , y1] = km.box, [x] = toPixels(km, t, 0);
  ctx.strokeStyle = "rgba(0,0,0,0.55)";
  ctx.lineWidth = 1.2;
  ctx.setLineDash([4, 3]);
  ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y1); ctx.stroke();
  ctx.setLineDash([]);
  for (const r of rows) {
    if (r.beyond) continue;
    const [, y] = toPixels(km, t, r.s);
    ctx.beginPath(); ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
    ctx.fillStyle = "#ffffff"; ctx.fill();
    ctx.lineWidth = 2.5; ctx.strokeStyle = rgba(r.colour, 1); ctx.stroke();
  }
}

// ----- the widget --------------------------------------------------------------------------

function build(el, caption) {
  const part = (tag, cls) => Object.assign(document.createElement(tag), { className: cls });
  const fig = part("div", "es-fig"), above = part("div", "es-above"), below = part("div", "es-below");
  const plot = part("div", "es-plot"), canvas = part("canvas", "es-canvas");
  const overlay = part("canvas", "es-overlay"), img = part("img", "es-fallback");
  const readout = part("div", "es-reading"), hint = part("div", "es-sr-only");
  const summary = part("div", "es-summary");
  hint.id = `es-hint-${Math.random().toString(36).slice(2)}`;
  hint.textContent = "Left and right arrow keys read the curves time by time; Home and End go to the ends.";
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;
  canvas.setAttribute("aria-describedby", hint.id);
  overlay.setAttribute("aria-hidden", "true");
  readout.setAttribute("aria-live", "polite");
  summary.setAttribute("aria-live", "polite");
  img.hidden = true;
  plot.append(canvas, overlay, img, hint);
  fig.append(above, plot, readout, below);
  el.append(...(caption === "top" ? [summary, fig] : caption === "none" ? [fig] : [fig, summary]));
  return { fig, above, below, plot, canvas, overlay, img, readout, summary };
}

function sizeCanvases(parts, spec) {
  // Canvas pixels for the shown size at this screen's density; returns the scale.
  // The shown width comes from the ResizeObserver (parts.width): reading clientWidth here
  // would make the browser lay out the page again after the texts changed.
  const { canvas, overlay, plot } = parts;
  const cssWidth = parts.width || plot.clientWidth || spec.size[0];
  const cssHeight = (cssWidth * spec.size[1]) / spec.size[0];
  const ratio = window.devicePixelRatio || 1;
  for (const c of [canvas, overlay]) {
    const w = Math.round(cssWidth * ratio), h = Math.round(cssHeight * ratio);
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
  }
  plot.style.height = `${cssHeight}px`;
  return (cssWidth * ratio) / spec.size[0];
}

function showFallback(parts, model, shown) {
  // The last PNG the kernel made, where the drawing cannot be shown.
  const png = model.get("png");
  if (png && png.byteLength && shown.png !== png) {
    if (shown.url) URL.revokeObjectURL(shown.url);
    shown.url = URL.createObjectURL(new Blob([png], { type: "image/png" }));
    shown.png = png;
    parts.img.src = shown.url;
  }
  parts.img.alt = model.get("alt");
  parts.img.hidden = false;
  parts.canvas.hidden = parts.overlay.hidden = true;
  parts.plot.style.height = "";
}

function exposeReadings(canvas, spec, data) {
  // The curves' step heights and times, and where their axes are, as data attributes (for
  // tests and teachers' scripts).
  const km = spec.km;
  if (!km) return;
  canvas.dataset.kmAxes = JSON.stringify({ box: km.box, xlim: km.xlim, ylim: km.ylim, size: spec.size });
  km.arms.forEach((arm, k) => {
    const a = arrays(arm, data);
    canvas.setAttribute(`data-arm-${k}`, arm.label);
    canvas.setAttribute(`data-time-${k}`, Array.from(a.time).join(","));
    canvas.setAttribute(`data-survival-${k}`, Array.from(a.survival).join(","));
  });
}

function specOf(model, state) {
  // The spec, parsed once per text the kernel sent (JSON: see drawn_view.py).
  const text = model.get("spec_json");
  if (state.specText !== text) { state.specText = text; state.parsed = text ? JSON.parse(text) : null; }
  return state.parsed;
}

function drawNow(parts, model, state) {
  const spec = specOf(model, state), ctx = state.ctx;
  if (!ctx || !spec || !(spec.ops || spec.scene)) { showFallback(parts, model, state.shown); return; }
  const started = performance.now();
  const data = floats(model.get("data"));
  state.scale = sizeCanvases(parts, spec);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, parts.canvas.width, parts.canvas.height);
  if (spec.scene) drawScene(ctx, spec, data, state.scale);  // km_scene.js: from the arrays
  else replay(ctx, spec, data, state.scale);
  state.spec = spec; state.data = data;
  const timing = model.get("timing") || {};
  exposeReadings(parts.canvas, spec, data);
  Object.assign(parts.canvas.dataset, {
    drawnFor: model.get("drawn_for"), minTextPx: spec.minText, naturalWidth: spec.size[0],
    kernelStart: timing.start ?? "", kernelSent: timing.sent ?? "",
    drawMs: (performance.now() - started).toFixed(2), version: model.get("version"),
  });
  drawReading(parts, state);
}

function drawReading(parts, state) {
  // The overlay and the words for the time being read; none: the hint.
  const { overlay, readout } = parts, km = state.spec && state.spec.km;
  const ctx = overlay.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  let html = km ? `<span class="es-reading-hint">${HINT}</span>` : "";
  if (km && state.t !== null) {
    const rows = readAt(km, state.data, state.t);
    drawCursor(ctx, km, rows, state.t, state.scale, state.spec.size[1]);
    html = readingHtml(km, rows, state.t);
  }
  if (state.reading !== html) { readout.innerHTML = html; state.reading = html; }
  readout.dataset.t = state.t === null ? "" : String(state.t);  // the time read, exactly
}

function onKey(event, parts, state) {
  const km = state.spec && state.spec.km;
  if (!km) return;
  const times = readingTimes(km, state.data);
  const now = state.t === null ? -1 : times.findIndex((t) => t >= state.t - 1e-9);
  const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
  let i;
  if (event.key in moves) i = now < 0 ? 0 : now + moves[event.key];
  else if (event.key === "Home") i = 0;
  else if (event.key === "End") i = times.length - 1;
  else if (event.key === "Escape") { state.t = null; drawReading(parts, state); return; }
  else return;
  event.preventDefault();
  state.t = times[Math.min(Math.max(i, 0), times.length - 1)];
  drawReading(parts, state);
}

function onHover(event, parts, state) {
  const km = state.spec && state.spec.km;
  if (!km) return;
  const box = parts.canvas.getBoundingClientRect();
  const x = ((event.clientX - box.left) / box.width) * state.spec.size[0];
  const t = fromPixels(km, x);
  state.t = Math.min(Math.max(t, km.xlim[0] < 0 ? 0 : km.xlim[0]), km.xlim[1]);
  if (x < km.box[0] || x > km.box[2]) state.t = null;
  if (!state.hoverQueued) {
    state.hoverQueued = true;
    requestAnimationFrame(() => { state.hoverQueued = false; drawReading(parts, state); });
  }
}

function listen(parts, state) {
  const { canvas } = parts;
  canvas.addEventListener("keydown", (e) => onKey(e, parts, state));
  canvas.addEventListener("pointermove", (e) => onHover(e, parts, state));
  canvas.addEventListener("pointerleave", () => {
    if (document.activeElement === canvas) return;  // the keyboard's reading stays
    state.t = null; drawReading(parts, state);
  });
  canvas.addEventListener("blur", () => { state.t = null; drawReading(parts, state); });
  canvas.addEventListener("focus", () => {
    if (state.t === null && state.spec && state.spec.km) { state.t = 0; drawReading(parts, state); }
  });
}

function sameChildren(a, b) {
  if (a.childNodes.length !== b.childNodes.length) return false;
  for (let i = 0; i < a.childNodes.length; i++) if (!sameShape(a.childNodes[i], b.childNodes[i])) return false;
  return true;
}

function sameShape(a, b) {
  // Same elements with the same attributes, in the same order: only their words may differ.
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType === Node.ELEMENT_NODE) {
    if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) return false;
    for (const { name, value } of a.attributes) if (b.getAttribute(name) !== value) return false;
  } else if (a.nodeType !== Node.TEXT_NODE) {
    return false;
  }
  return sameChildren(a, b);
}

function copyWords(a, b) {
  if (a.nodeType === Node.TEXT_NODE) { if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue; return; }
  for (let i = 0; i < a.childNodes.length; i++) copyWords(a.childNodes[i], b.childNodes[i]);
}

export function showHtml(node, html) {
  // New HTML for a text beside the figure. The table of numbers at risk keeps its shape from
  // one trial to the next: its numbers change in place (less for the browser to lay out than
  // a rebuilt table, while a slider moves); anything else is replaced.
  const template = document.createElement("template");
  template.innerHTML = html;
  if (sameChildren(node, template.content)) copyWords(node, template.content);
  else node.replaceChildren(template.content);
}

function texts(parts, model, shown) {
  for (const [node, key] of [[parts.above, "above"], [parts.below, "below"], [parts.summary, "summary"]]) {
    const value = model.get(key);
    if (shown[key] !== value) { showHtml(node, value); shown[key] = value; }
  }
  // Called for each of these keys a message changes: write only what differs (every write
  // makes the browser restyle).
  const alt = model.get("alt"), width = `${model.get("width")}px`, stale = model.get("stale");
  if (shown.alt !== alt) { parts.canvas.setAttribute("aria-label", alt); parts.img.alt = alt; shown.alt = alt; }
  if (shown.width !== width) { parts.fig.style.maxWidth = width; shown.width = width; }
  if (shown.stale !== stale) { parts.fig.classList.toggle("es-stale", stale); shown.stale = stale; }
}

export default {
  render({ model, el }) {
    const parts = build(el, model.get("caption"));
    // The overlay lies over the canvas: pointer events go to the canvas below it.
    parts.overlay.style.pointerEvents = "none";
    const state = { ctx: parts.canvas.getContext("2d"), t: null, shown: {} };
    const draw = () => {
      // New data is drawn at once, even twice in one frame (a drawing takes 1 to 2 ms here).
      // Waiting for the next frame when one had been drawn in this one held back the final
      // picture after a drag, which comes just after the one before it: release to final
      // picture, 20 drags each way in one page, median 46 ms waiting and 33 ms drawn at once.
      try { drawNow(parts, model, state); } catch (err) {
        console.warn("edu_survival: drawing failed, showing the picture instead", err);
        state.ctx = null; showFallback(parts, model, state.shown);
      }
    };
    const words = () => texts(parts, model, state.shown);
    const png = () => { if (!parts.img.hidden) showFallback(parts, model, state.shown); };
    const events = [["change:version", draw], ["change:png", png]];
    for (const key of ["alt", "above", "below", "summary", "width", "stale"]) events.push([`change:${key}`, words]);
    listen(parts, state);
    const resized = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1].contentRect.width;
      if (width === parts.width) return;
      parts.width = width;
      draw();
    });
    resized.observe(parts.plot);
    for (const [name, f] of events) model.on(name, f);
    words();
    draw();
    return () => {
      for (const [name, f] of events) model.off(name, f);
      resized.disconnect();
      if (state.shown.url) URL.revokeObjectURL(state.shown.url);
    };
  },
};
