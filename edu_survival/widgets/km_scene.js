// A Kaplan–Meier plot drawn from data (edu_survival.widgets.km_scene): the kernel sends the
// curves' arrays (time and survival, float32) and a small spec (where the axes are, their
// ranges and ticks, the legend's words, the style's colours, dashes and widths); this maps
// the arrays to pixels and draws them on a canvas. Positions are figure pixels, y upwards.
// Plain ES module text, sent after drawn_view.js in one module (no import, nothing fetched).

const SCENE_FONT = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, Arial, sans-serif';

function sceneArray(data, at) {
  return at ? data.subarray(at[0], at[0] + at[1]) : null;
}

function dataToPixels(frame) {
  // (time, survival) -> figure pixels on the plot's axes.
  const [x0, y0, x1, y1] = frame.box, [t0, t1] = frame.xlim, [s0, s1] = frame.ylim;
  const ax = (x1 - x0) / (t1 - t0), ay = (y1 - y0) / (s1 - s0);
  return [(t) => x0 + (t - t0) * ax, (s) => y0 + (s - s0) * ay];
}

function tracePairs(ctx, xy, fx, fy) {
  // Pairs (x, y) in data units; a NaN pair lifts the pen.
  let pen = false;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (Number.isNaN(x) || Number.isNaN(y)) { pen = false; continue; }
    if (pen) ctx.lineTo(fx(x), fy(y)); else { ctx.moveTo(fx(x), fy(y)); pen = true; }
  }
}

function strokeWith(ctx, colour, alpha, width, dash) {
  ctx.strokeStyle = rgba(colour, alpha);
  ctx.lineWidth = width;
  ctx.setLineDash(dash || []);
  ctx.lineDashOffset = 0;
  ctx.lineCap = "butt";
  ctx.lineJoin = "round";
  ctx.stroke();
}

function sceneText(ctx, text, x, y, height, { px, ha = "left", va = "alphabetic", colour = "#000000",
  italic = false, rotate = 0 }) {
  // One line of text anchored at (x, y) (figure pixels, y upwards). The font is set only when
  // it changes: parsing it again for each of the plot's twenty lines was most of their cost.
  const k = ctx.sceneScale;
  if (rotate) {
    const a = (-rotate * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
    ctx.setTransform(k * c, k * s, -k * s, k * c, k * x, k * (height - y));
  } else {
    ctx.setTransform(k, 0, 0, k, k * x, k * (height - y));
  }
  const font = `${italic ? "italic " : ""}${px}px ${SCENE_FONT}`;
  if (ctx.sceneFont !== font) { ctx.font = font; ctx.sceneFont = font; }
  ctx.textAlign = ha === "center" ? "center" : ha === "right" ? "right" : "left";
  ctx.textBaseline = va;
  ctx.fillStyle = rgba(colour, 1);
  ctx.fillText(text, 0, 0);
  ctx.setTransform(k, 0, 0, -k, 0, height * k);  // drawScene's: y upwards
}

function drawFrame(ctx, scene, height) {
  // Grid, spines, ticks and their labels, axis labels.
  const f = scene.frame, look = scene.look, [x0, y0, x1, y1] = f.box;
  const [fx, fy] = dataToPixels(f);
  if (f.grid) {
    ctx.beginPath();
    for (const [v] of f.yticks) { ctx.moveTo(x0, fy(v)); ctx.lineTo(x1, fy(v)); }
    strokeWith(ctx, f.grid.colour, 1, f.grid.width, []);
  }
  ctx.beginPath();
  ctx.moveTo(x0, y1); ctx.lineTo(x0, y0); ctx.lineTo(x1, y0);
  strokeWith(ctx, "#000000", 1, f.spine, []);
  ctx.beginPath();
  for (const [v] of f.xticks) { ctx.moveTo(fx(v), y0); ctx.lineTo(fx(v), y0 - f.tick.size); }
  for (const [v] of f.yticks) { ctx.moveTo(x0, fy(v)); ctx.lineTo(x0 - f.tick.size, fy(v)); }
  strokeWith(ctx, "#000000", 1, f.tick.width, []);
  const out = f.tick.size + f.tick.pad, small = { px: look.small };
  for (const [v, label] of f.xticks) sceneText(ctx, label, fx(v), y0 - out, height, { ...small, ha: "center", va: "top" });
  for (const [v, label] of f.yticks) sceneText(ctx, label, x0 - out, fy(v), height, { ...small, ha: "right", va: "middle" });
  const [xText, xx, xy] = f.xlabel, [yText, yx, yy] = f.ylabel;
  sceneText(ctx, xText, xx, xy, height, { px: look.font, ha: "center", va: "top" });
  sceneText(ctx, yText, yx, yy, height, { px: look.font, ha: "center", va: "bottom", rotate: 90 });
}

function traceSteps(ctx, time, survival, from, to, fx, fy) {
  // The right-continuous step function through points from..to: along, then down.
  ctx.moveTo(fx(time[from]), fy(survival[from]));
  for (let i = from + 1; i <= to; i++) {
    ctx.lineTo(fx(time[i]), fy(survival[i - 1]));
    ctx.lineTo(fx(time[i]), fy(survival[i]));
  }
}

function traceBand(ctx, time, lower, upper, to, fx, fy) {
  // The band between lower and upper up to index `to`, as a step-post fill.
  traceSteps(ctx, time, upper, 0, to, fx, fy);
  ctx.lineTo(fx(time[to]), fy(lower[to]));
  for (let i = to; i > 0; i--) {
    ctx.lineTo(fx(time[i]), fy(lower[i - 1]));
    ctx.lineTo(fx(time[i - 1]), fy(lower[i - 1]));
  }
  ctx.closePath();
}

function drawArms(ctx, scene, data) {
  // Layer by layer, each layer's arms in the style's order (matplotlib's z-order).
  const f = scene.frame, look = scene.look, [fx, fy] = dataToPixels(f);
  const [x0, y0, x1, y1] = f.box;
  const arms = scene.arms.map((arm) => ({
    arm, a: look.arms[arm.pos], time: sceneArray(data, arm.time), s: sceneArray(data, arm.survival),
    lower: sceneArray(data, arm.lower), upper: sceneArray(data, arm.upper),
  })).filter((c) => c.time && c.time.length);
  ctx.save();
  ctx.beginPath(); ctx.rect(x0, y0, x1 - x0, y1 - y0); ctx.clip();
  for (const c of arms) {
    if (!c.lower) continue;
    ctx.beginPath(); traceBand(ctx, c.time, c.lower, c.upper, c.arm.cut, fx, fy);
    ctx.fillStyle = rgba(c.a.colour, look.ci_alpha); ctx.fill();
  }
  for (const c of arms) {
    const xy = sceneArray(data, c.arm.median);
    if (!xy || !xy.length) continue;
    ctx.beginPath(); tracePairs(ctx, xy, fx, fy);
    strokeWith(ctx, c.a.colour, 1, look.median.width, look.median.dash);
  }
  for (const c of arms) {
    ctx.beginPath(); traceSteps(ctx, c.time, c.s, 0, c.arm.cut, fx, fy);
    strokeWith(ctx, c.a.colour, 1, c.a.width, c.a.dash);
  }
  for (const c of arms) {
    if (!c.arm.tail || c.arm.cut >= c.time.length - 1) continue;
    ctx.beginPath(); traceSteps(ctx, c.time, c.s, c.arm.cut, c.time.length - 1, fx, fy);
    strokeWith(ctx, c.a.colour, look.tail_alpha, c.a.width, c.a.dash);
  }
  const marks = (key, alpha) => {
    // censoring marks: "|", centred on each point
    const half = look.censor.size / 2;
    for (const c of arms) {
      const xy = sceneArray(data, c.arm[key]);
      if (!xy || !xy.length) continue;
      ctx.beginPath();
      for (let i = 0; i + 1 < xy.length; i += 2) {
        const x = fx(xy[i]), y = fy(xy[i + 1]);
        ctx.moveTo(x, y - half); ctx.lineTo(x, y + half);
      }
      strokeWith(ctx, c.a.colour, alpha, look.censor.width, []);
    }
  };
  marks("marks", 1);
  marks("tail_marks", look.tail_alpha);
  ctx.restore();
}

function drawLegend(ctx, scene, height) {
  // Each row: its words on a white box, then a sample of the arm's line; the key and caption.
  const look = scene.look, pad = 0.15 * look.small;
  for (const row of scene.legend) {
    const a = look.arms[row.pos], [sx0, sy0, sx1, sy1] = row.sample;
    ctx.save();
    ctx.setTransform(ctx.sceneScale, 0, 0, ctx.sceneScale, 0, 0);
    ctx.font = `${look.small}px ${SCENE_FONT}`;
    const w = ctx.measureText(row.label).width, h = 1.2 * look.small;
    const left = row.ha === "right" ? row.x - w : row.x;
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(left - pad, height - row.y - h / 2 - pad, w + 2 * pad, h + 2 * pad);
    ctx.restore();
    sceneText(ctx, row.label, row.x, row.y, height, { px: look.small, ha: row.ha, va: "middle" });
    ctx.beginPath(); ctx.moveTo(sx0, sy0); ctx.lineTo(sx1, sy1);
    strokeWith(ctx, a.colour, 1, a.width, a.dash);
  }
  const key = scene.key, step = key.spacing * 1.2 * look.small;
  key.lines.forEach((line, i) => sceneText(ctx, line, key.x, key.y + (key.lines.length - 1 - i) * step,
    height, { px: look.small, ha: "right", va: "bottom", colour: look.grey }));
  if (scene.title.text) {
    scene.title.text.split("\n").forEach((line, i, all) => sceneText(ctx, line, scene.title.x,
      scene.title.y + (all.length - 1 - i) * 1.2 * look.font, height, { px: look.font }));
  }
  if (scene.caption.text) {
    sceneText(ctx, scene.caption.text, scene.caption.x, scene.caption.y, height,
      { px: look.small, colour: look.grey, italic: true });
  }
}

function layer(width, height, scale, figureHeight, paint) {
  // A transparent canvas of the plot's size with what `paint` draws on it, in figure pixels.
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext("2d");
  ctx.sceneScale = scale;
  ctx.setTransform(scale, 0, 0, -scale, 0, figureHeight * scale);
  paint(ctx);
  return canvas;
}

function layers(ctx, scene, figureWidth, height, scale) {
  // What lies under the curves (white figure, frame) and over them (legend, key, title,
  // caption) changes only when the axes or the words do: drawn once, then copied. Its twenty
  // lines of text were most of a picture's drawing (about 1.5 ms of 2.5).
  const { width, height: h } = ctx.canvas;
  const key = JSON.stringify([width, h, scale, height, scene.frame, scene.look, scene.legend,
    scene.key, scene.title, scene.caption]);
  if (!ctx.sceneLayers || ctx.sceneLayers.key !== key) {
    ctx.sceneLayers = {
      key,
      under: layer(width, h, scale, height, (c) => {
        c.fillStyle = "#ffffff";
        c.fillRect(0, 0, figureWidth, height);
        drawFrame(c, scene, height);
      }),
      over: layer(width, h, scale, height, (c) => drawLegend(c, scene, height)),
    };
  }
  return ctx.sceneLayers;
}

export function drawScene(ctx, spec, data, scale) {
  // The whole plot: white figure, frame, curves, legend.
  const scene = spec.scene, height = spec.size[1];
  const { under, over } = layers(ctx, scene, spec.size[0], height, scale);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(under, 0, 0);
  ctx.sceneScale = scale;
  ctx.setTransform(scale, 0, 0, -scale, 0, height * scale);
  drawArms(ctx, scene, data);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(over, 0, 0);
  ctx.setTransform(scale, 0, 0, -scale, 0, height * scale);
}
