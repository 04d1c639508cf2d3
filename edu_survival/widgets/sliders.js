// A slider whose newest value wins (see sliders.py): the browser moves it at once and, while the
// hand moves, keeps at most one value on its way to the kernel (sent, not yet taken up). While
// it travels, moves only replace the value to send next; when the kernel has taken it up, the
// newest goes and waits there while the kernel computes, so the kernel goes from picture to
// picture. The final value (pointer released, key pressed) goes at once, even with a value on
// its way: the kernel drops a value it overtakes, and computes a final value without waiting
// for a newer one. role="slider" with its ARIA values and the description as its accessible
// name; arrow keys, Page Up/Down (5 steps), Home and End, as ipywidgets' sliders.
// Plain ES module: no build step, nothing fetched from the network.

const PAGE = 5;  // steps per Page Up / Page Down
const RESEND_MS = 4000;  // no answer in this long (kernel busy or restarted): send again
// Values on their way to the kernel while the hand moves: one, so the kernel is never handed
// values the hand has already left, and a final value never waits behind them. The kernel
// says it has taken a value up at once, before computing it, so the next value already waits
// there when a picture is done. Unless that reply is slow: a server holding the kernel's
// messages back (Nagle's algorithm, up to 40 ms: see edu_survival_server.py) would leave the
// kernel idle for that long after each picture, so while the reply to the first value of a
// drag or a key press (the kernel is idle then) takes SLOW_REPLY_MS or more, two go. A final
// value may add one.
const IN_FLIGHT = 1, IN_FLIGHT_SLOW = 2, SLOW_REPLY_MS = 20;

function decimals(step) {
  const text = String(step);
  return text.includes("e-") ? Number(text.split("e-")[1]) : (text.split(".")[1] || "").length;
}

export function format(value, spec, integer) {
  // d3-style readout formats used here: ".0%", ".2f", "d"; ipywidgets' defaults otherwise.
  const m = /^\.(\d+)([f%])$/.exec(spec || "");
  if (m && m[2] === "%") return `${(100 * value).toFixed(Number(m[1]))}%`;
  if (m) return value.toFixed(Number(m[1]));
  return integer || spec === "d" ? String(Math.round(value)) : value.toFixed(2);
}

export function snap(value, min, max, step) {
  // The value on the slider's grid of steps from min, within [min, max].
  const v = Math.min(Math.max(value, min), max);
  if (!(step > 0)) return v;
  const k = Math.round((v - min) / step);
  const snapped = Math.min(min + k * step, max);
  return Number(snapped.toFixed(Math.max(decimals(step), decimals(min))));
}

export function makeLink(model, onTaken) {
  // Latest value wins: values on their way to the kernel (their numbers in `sent`) are at
  // most IN_FLIGHT while the hand moves, one more for a final value. The kernel says when it
  // has taken one up ("taken", with its counts of requests and of requests it dropped); until
  // then newer values replace each other here. `reply` is how long the kernel took to say so
  // for the first value of the last drag or key press, sent with nothing else on its way.
  const link = { sent: [], wanted: null, final: false, seq: 0, timer: null, reply: 0,
                 starting: false, alone: null };
  const send = () => {
    const most = (link.reply >= SLOW_REPLY_MS ? IN_FLIGHT_SLOW : IN_FLIGHT) + (link.final ? 1 : 0);
    if (link.wanted === null || link.sent.length >= most) return;
    link.seq += 1;
    if (link.starting && !link.sent.length) link.alone = { seq: link.seq, at: performance.now() };
    link.starting = false;
    link.sent.push(link.seq);
    model.send({ kind: "value", value: link.wanted, seq: link.seq, final: link.final });
    link.wanted = null;
    link.final = false;
    clearTimeout(link.timer);
    link.timer = setTimeout(() => { link.sent = []; send(); }, RESEND_MS);
  };
  link.onMessage = (msg) => {
    if (!msg || msg.kind !== "taken") return;
    if (link.alone && link.alone.seq === msg.seq) {
      link.reply = performance.now() - link.alone.at;
      link.alone = null;
    }
    onTaken(msg);
    link.sent = link.sent.filter((seq) => seq > msg.seq);
    if (!link.sent.length) clearTimeout(link.timer);
    send();
  };
  model.on("msg:custom", link.onMessage);
  link.want = (value, final) => {
    if (value !== null) link.wanted = value;
    link.final = (link.final || final) && link.wanted !== null;
    send();
  };
  return link;
}

function build(el, model) {
  const part = (tag, cls) => Object.assign(document.createElement(tag), { className: cls });
  const row = part("div", "es-slider"), label = part("label", "es-slider-label");
  const track = part("div", "es-slider-track"), fill = part("div", "es-slider-fill");
  const handle = part("div", "es-slider-handle"), readout = part("span", "es-slider-readout");
  label.id = `es-slider-${Math.random().toString(36).slice(2)}`;
  handle.setAttribute("role", "slider");
  handle.setAttribute("aria-labelledby", label.id);
  handle.setAttribute("aria-orientation", "horizontal");
  readout.setAttribute("aria-hidden", "true");  // the slider's aria-valuetext says it
  label.addEventListener("click", () => handle.focus());
  track.append(fill, handle);
  row.append(label, track, readout);
  el.append(row);
  return { row, label, track, fill, handle, readout, shown: {} };
}

function setIfChanged(shown, key, value, apply) {
  // Touch the page only where something changed: while the hand moves only the value does,
  // and every write (a CSS variable above all) makes the browser restyle.
  if (shown[key] !== value) { shown[key] = value; apply(value); }
}

function show(parts, model) {
  const { handle, fill, readout, label, row, shown } = parts;
  const min = model.get("min"), max = model.get("max"), value = model.get("value");
  const share = max > min ? (Math.min(Math.max(value, min), max) - min) / (max - min) : 0;
  const text = format(value, model.get("readout_format"), model.get("integer"));
  setIfChanged(shown, "share", share, (v) => { handle.style.left = fill.style.width = `${100 * v}%`; });
  setIfChanged(shown, "name", model.get("description"), (v) => { label.textContent = label.title = v; });
  setIfChanged(shown, "width", model.get("description_width") || "15em",
    (v) => row.style.setProperty("--es-label-width", v));
  setIfChanged(shown, "text", text, (v) => {
    readout.textContent = v;
    handle.setAttribute("aria-valuetext", v);
  });
  setIfChanged(shown, "min", min, (v) => handle.setAttribute("aria-valuemin", String(v)));
  setIfChanged(shown, "max", max, (v) => handle.setAttribute("aria-valuemax", String(v)));
  setIfChanged(shown, "value", value, (v) => handle.setAttribute("aria-valuenow", String(v)));
  setIfChanged(shown, "disabled", model.get("disabled"), (v) => {
    handle.tabIndex = v ? -1 : 0;
    handle.setAttribute("aria-disabled", String(v));
    row.classList.toggle("es-disabled", v);
  });
}

function keyTarget(key, value, min, max, step) {
  const by = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -PAGE, PageUp: PAGE };
  if (key in by) return value + by[key] * step;
  if (key === "Home") return min;
  if (key === "End") return max;
  return null;
}

function listen(parts, model, link) {
  const { handle, track } = parts;
  const bounds = () => [model.get("min"), model.get("max"), model.get("step")];
  const move = (value, final) => {
    const [min, max, step] = bounds();
    const v = snap(value, min, max, step), moved = v !== model.get("value");
    if (moved) model.set("value", v);  // this view and its twins, at once
    const live = model.get("continuous_update");
    if ((live && moved) || (final && !live)) link.want(v, final);
    else if (final) link.want(null, true);  // a value still waiting here goes now
  };
  handle.addEventListener("keydown", (e) => {
    if (model.get("disabled")) return;
    const [min, max, step] = bounds();
    const target = keyTarget(e.key, model.get("value"), min, max, step);
    if (target === null) return;
    e.preventDefault();
    link.starting = true;
    move(target, true);
  });
  // The track's place, read once per drag: reading it at every move would make the browser
  // lay out the page again after each new picture (a few ms a move on a dashboard).
  let box = null;
  const fromPointer = (e) => {
    const [min, max] = bounds();
    return min + ((e.clientX - box.left) / Math.max(box.width, 1)) * (max - min);
  };
  track.addEventListener("pointerdown", (e) => {
    if (model.get("disabled") || e.button > 0) return;
    e.preventDefault();
    box = track.getBoundingClientRect();
    handle.focus();
    parts.row.classList.add("es-dragging");
    link.starting = true;
    const onMove = (ev) => move(fromPointer(ev), false);
    const onUp = (ev) => {
      window.removeEventListener("pointermove", onMove, true);
      window.removeEventListener("pointerup", onUp, true);
      parts.row.classList.remove("es-dragging");
      move(fromPointer(ev), true);
    };
    window.addEventListener("pointermove", onMove, true);
    window.addEventListener("pointerup", onUp, true);
    move(fromPointer(e), false);
  });
}

export default {
  render({ model, el }) {
    const parts = build(el, model);
    const link = makeLink(model, (msg) => {
      // What the kernel did with this slider's values (for the benchmark and tests).
      if (msg.requests === undefined) return;
      Object.assign(parts.handle.dataset, { kernelRequests: msg.requests, kernelDropped: msg.dropped,
                                            replyMs: link.reply.toFixed(1) });
    });
    const update = () => show(parts, model);
    listen(parts, model, link);
    model.on("change", update);
    update();
    return () => {
      model.off("change", update);
      model.off("msg:custom", link.onMessage);
      clearTimeout(link.timer);
    };
  },
};
