"""A matplotlib figure as data for the browser: what it draws, recorded instead of rasterised.

:class:`Recorder` is a matplotlib renderer that draws nothing. Given to ``figure.draw`` (or
to one artist's ``draw``), it writes down every path, marker and line of text the figure
would paint, in the figure's pixels, with its colour, width, dashes and clip box. matplotlib
still does all the layout (ticks, legends, text placement, z-order), so the browser's picture
and the PNG come from the same artists, styled once (:mod:`edu_survival.plots.style`): they
cannot disagree on colour, dash, label or order. Coordinates go into one ``float32`` buffer;
the rest is a small JSON list of operations, replayed by ``drawn_view.js``:

* ``{"t": "p", "at": [start, count], ...style}``: a path, ``count`` numbers (x, y pairs in
  figure pixels, y upwards; a NaN pair starts a new piece) from ``start`` in the buffer;
* ``{"t": "m", "shape": [...], "at": [...], ...style}``: one shape (pixels around its place)
  drawn at every place in ``at`` (censoring marks, ticks, a confidence band);
* ``{"t": "x", "s": text, "x", "y", "px", "w", "ha", "a", "font", "f", "fa"}``: a line of text
  with its baseline's left end at (x, y), its size and width in pixels, alignment and angle.

Style keys: ``s``/``sa`` stroke colour and alpha, ``lw`` width, ``d``/``do`` dashes and their
offset, ``cap``, ``join``, ``f``/``fa`` fill; ``c`` the clip rectangle (or None).
"""

from __future__ import annotations

import math
import weakref

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.collections import Collection
from matplotlib.path import Path
from matplotlib.text import Text

_CAPS = {"butt": "butt", "projecting": "square", "round": "round"}
_JOINS = {"miter": "miter", "round": "round", "bevel": "bevel"}
_ALIGN = {"left": "l", "center": "c", "right": "r"}


class _Buffer:
    """float32 numbers appended in order; ``add`` returns [start, count] for the spec."""

    def __init__(self):
        self.parts, self.size = [], 0

    def add(self, values) -> list[int]:
        values = np.asarray(values, dtype=np.float32).ravel()
        start = self.size
        self.parts.append(values)
        self.size += len(values)
        return [start, len(values)]


def _colour(rgba, alpha=None) -> tuple[str, float]:
    """A colour as ("#rrggbb", alpha) for the browser."""
    r, g, b, a = mcolors.to_rgba(rgba)
    if alpha is not None:
        a = alpha
    return mcolors.to_hex((r, g, b)), round(float(a), 4)


def _polylines(path, transform, size=(0, 0)) -> np.ndarray:
    """The path's vertices in figure pixels, pieces separated by a NaN pair (curves flattened).

    A long path is simplified as matplotlib's own renderer simplifies it (points closer than
    ``path.simplify_threshold`` pixels to a straight line between their neighbours go): a
    line, clipped to the figure (``size``) as Agg clips lines, and a filled outline such as a
    confidence band, unclipped. At 5,000 patients this halves what the browser is sent.
    """
    if len(path.vertices) >= 128 and path.codes is not None and not path.should_simplify:
        path = Path(path.vertices, path.codes)  # a band's outline: simplified, not clipped
        path.should_simplify = True
        size = (0, 0)
    elif not path.should_simplify:
        size = (0, 0)
    pieces = path.to_polygons(transform, *size, closed_only=False)
    if len(pieces) == 1:
        return np.asarray(pieces[0], dtype=float)
    out = []
    for piece in pieces:
        out += [piece, [[math.nan, math.nan]]]
    return np.concatenate(out[:-1]) if out else np.zeros((0, 2))


class Recorder(RendererBase):
    """A renderer that records what a figure draws (see the module docstring).

    ``capture(draw)`` records what ``draw(renderer)`` paints. Text is measured by the figure's
    own Agg renderer, so matplotlib lays it out exactly as in the PNG.
    """

    def __init__(self, figure):
        super().__init__()
        self.figure = figure
        self._sizes = {}
        self.begin()

    def begin(self) -> None:
        self.ops, self.buffer = [], _Buffer()
        self.min_text_px = math.inf

    # -- what matplotlib asks of a renderer
    def get_canvas_width_height(self):
        return self.figure.bbox.width, self.figure.bbox.height

    def points_to_pixels(self, points):
        return points * self.figure.dpi / 72

    def flipy(self):
        return False

    def new_gc(self):
        return GraphicsContextBase()

    def get_text_width_height_descent(self, s, prop, ismath):
        key = (s, hash(prop), ismath, self.figure.dpi)
        if key not in self._sizes:  # measuring is slow (FreeType lays the string out)
            if len(self._sizes) > 4096:
                self._sizes.clear()
            agg = self.figure.canvas.get_renderer()  # the same font metrics as the PNG
            self._sizes[key] = agg.get_text_width_height_descent(s, prop, ismath)
        return self._sizes[key]

    def option_image_nocomposite(self):
        return True

    # -- recording
    @staticmethod
    def _clip(gc):
        """The gc's clip rectangle [x0, y0, x1, y1] in figure pixels, or None."""
        box = gc.get_clip_rectangle()
        return None if box is None else [round(float(v), 2) for v in box.extents]

    def _stroke(self, gc) -> dict:
        """The gc's line style for a stroke, or {} when it draws no line."""
        width = gc.get_linewidth()
        rgb = gc.get_rgb()
        if not width or rgb is None or (len(rgb) == 4 and rgb[3] == 0):
            return {}
        colour, alpha = _colour(rgb, gc.get_alpha() if gc.get_forced_alpha() else None)
        style = {"s": colour, "sa": alpha, "lw": round(self.points_to_pixels(width), 3),
                 "cap": _CAPS.get(gc.get_capstyle(), "butt"),
                 "join": _JOINS.get(gc.get_joinstyle(), "miter")}
        offset, dashes = gc.get_dashes()
        if dashes is not None and len(dashes):
            style["d"] = [round(self.points_to_pixels(d), 3) for d in dashes]
            style["do"] = round(self.points_to_pixels(offset or 0), 3)
        return style

    def _fill(self, gc, rgb_face) -> dict:
        if rgb_face is None:
            return {}
        rgba = mcolors.to_rgba(rgb_face)
        alpha = gc.get_alpha() if gc.get_forced_alpha() else rgba[3]
        if len(rgb_face) == 3 and not gc.get_forced_alpha():
            alpha = 1.0
        colour, alpha = _colour(rgba, alpha)
        return {"f": colour, "fa": alpha} if alpha > 0 else {}

    def _push(self, op: dict, xy: np.ndarray) -> None:
        """Add ``op`` drawing ``xy``. An opaque stroke in the style of the last operation joins
        it (its numbers are the last in the buffer): a collection of 200 segments is one path."""
        last = self.ops[-1] if self.ops else None
        if (last is not None and "f" not in op and op.get("sa") == 1
                and {k: v for k, v in last.items() if k != "at"} == op):
            last["at"][1] += self.buffer.add(np.concatenate([[[math.nan, math.nan]], xy]))[1]
            return
        op["at"] = self.buffer.add(xy)
        self.ops.append(op)

    def draw_path(self, gc, path, transform, rgbFace=None):
        style = {**self._stroke(gc), **self._fill(gc, rgbFace)}
        if not style:
            return
        xy = _polylines(path, transform, self.get_canvas_width_height())
        if len(xy):
            self._push({"t": "p", **style, "c": self._clip(gc)}, xy)

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        style = {**self._stroke(gc), **self._fill(gc, rgbFace)}
        at = trans.transform(path.vertices) if len(path.vertices) else np.zeros((0, 2))
        at = at[np.isfinite(at).all(axis=1)]
        if not style or not len(at):
            return
        # A collection of one path (a confidence band) comes here too, drawn at one place.
        self.ops.append({"t": "m", **style, "c": self._clip(gc),
                         "shape": self.buffer.add(_polylines(marker_path, marker_trans)),
                         "at": self.buffer.add(at)})

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if not s.strip():
            return
        if ismath:
            s = s.replace("$", "")
        size = self.points_to_pixels(prop.get_size_in_points())
        width = self.get_text_width_height_descent(s, prop, False)[0]
        colour, alpha = _colour(gc.get_rgb(), gc.get_alpha() if gc.get_forced_alpha() else None)
        weight = prop.get_weight()
        bold = weight in ("bold", "heavy", "extra bold", "black") or (
            isinstance(weight, (int, float)) and weight >= 600)
        align = _ALIGN.get(mtext.get_horizontalalignment(), "l") if mtext is not None else "l"
        self.min_text_px = min(self.min_text_px, size)
        self.ops.append({
            "t": "x", "s": s, "x": round(float(x), 2), "y": round(float(y), 2),
            "px": round(size, 2), "w": round(float(width), 2), "ha": align,
            "a": round(float(angle), 2), "f": colour, "fa": alpha, "c": self._clip(gc),
            "font": ("italic " if prop.get_style() == "italic" else "") + ("bold" if bold else ""),
        })

    def capture(self, draw) -> tuple[list, np.ndarray, float]:
        """What ``draw(self)`` records, on its own: (ops, numbers, smallest text), with the
        ops' offsets counted from the start of its numbers (see :func:`_join`)."""
        saved = self.ops, self.buffer, self.min_text_px
        self.begin()
        try:
            draw(self)
            numbers = np.concatenate(self.buffer.parts) if self.buffer.parts else np.zeros(0, np.float32)
            return self.ops, numbers, self.min_text_px
        finally:
            self.ops, self.buffer, self.min_text_px = saved


def _shifted(ops: list, base: int) -> list:
    """``ops`` with their buffer offsets moved on by ``base`` numbers (new dicts)."""
    if not base:
        return ops
    out = []
    for op in ops:
        op = dict(op)
        for key in ("at", "shape"):
            if key in op:
                op[key] = [op[key][0] + base, op[key][1]]
        out.append(op)
    return out


def _frame_key(ax, part) -> tuple:
    """What an axes' frame (spines, ticks, grid, tick and axis labels) looks like depends on:
    its place, its limits, its ticks and labels."""
    key = (type(part).__name__, tuple(ax.bbox.bounds), part.get_visible(), part.get_zorder())
    if hasattr(part, "get_majorticklocs"):
        label = part.label
        key += (tuple(part.get_view_interval()), tuple(part.get_majorticklocs()),
                tuple(part.get_minorticklocs()), id(part.major.formatter),
                label.get_text(), tuple(label.get_position()), label.get_visible())
    return key


def _text_key(text: Text) -> tuple:
    """Everything that decides how a line of text is drawn (measuring it again costs more)."""
    box = text.get_bbox_patch()
    clip = text.get_clip_box() if text.get_clip_on() else None
    return (text.get_text(), tuple(text.get_transform().transform(text.get_unitless_position())),
            text.get_rotation(), text.get_horizontalalignment(), text.get_verticalalignment(),
            text._multialignment, text.get_linespacing(), mcolors.to_rgba(text.get_color()),
            text.get_alpha(), hash(text.get_fontproperties()), text.figure.dpi,
            None if clip is None else tuple(clip.extents),
            None if box is None else (tuple(box.get_facecolor()), tuple(box.get_edgecolor()),
                                      box.get_linewidth(), str(box.get_boxstyle())))


def _background_key(patch) -> tuple:
    """A figure's or an axes' background: where its outline is (its few vertices in pixels:
    quicker than its window extent) and its colours."""
    corners = patch.get_transform().transform(patch.get_path().vertices)
    return (corners.round(3).tobytes(), tuple(patch.get_facecolor()),
            tuple(patch.get_edgecolor()), patch.get_linewidth(), patch.get_visible())


def _one_fill(collection):
    """``draw(renderer)`` recording a collection of one filled outline (a confidence band) as
    ``Collection.draw`` records it, or None where it is not that simple. matplotlib measures
    the outline's extents (slowly: most of the band's time) to choose between two ways of
    drawing it; its vertices in pixels tell the same for an outline of straight lines."""
    from matplotlib import transforms

    c = collection
    paths = c.get_paths()
    if (type(c).__name__ not in ("PolyCollection", "FillBetweenPolyCollection")
            or len(paths) != 1 or not len(c.get_offsets()) or len(c.get_transforms()) > 1
            or len(c.get_facecolor()) != 1 or len(c.get_edgecolor()) != 1
            or len(c._linewidths) != 1 or any(ls[1] is not None for ls in c._linestyles)
            or len(c._antialiaseds) != 1 or len(c._urls) != 1 or c.get_hatch() is not None
            or c.get_path_effects() or c.get_sketch_params() is not None
            or c.get_rasterized() or c.get_array() is not None
            or (paths[0].codes is not None and (paths[0].codes > Path.LINETO).sum() > 1)):
        return None
    transform, offset_trf, offsets, paths = c._prepare_points()
    trans = c.get_transforms()
    combined = transforms.Affine2D(trans[0]) + transform if len(trans) else transform
    corners = combined.transform(paths[0].vertices)
    corners = corners[np.isfinite(corners).all(axis=1)]
    fig = c.get_figure(root=True)
    if not len(corners) or np.ptp(corners[:, 0]) >= fig.bbox.width or np.ptp(corners[:, 1]) >= fig.bbox.height:
        return None

    def draw(renderer):
        gc = renderer.new_gc()
        c._set_gc_clip(gc)
        gc.set_snap(c.get_snap())
        if c._joinstyle:
            gc.set_joinstyle(c._joinstyle)
        if c._capstyle:
            gc.set_capstyle(c._capstyle)
        gc.set_foreground(tuple(c.get_edgecolor()[0]), isRGBA=True)
        gc.set_linewidth(c._linewidths[0])
        gc.set_dashes(*c._linestyles[0])
        gc.set_antialiased(c._antialiaseds[0])
        renderer.draw_markers(gc, paths[0], combined.frozen(), Path(offsets), offset_trf,
                              tuple(c.get_facecolor()[0]))

    return draw


class FigureRecording:
    """Records a figure again and again, reusing what did not change.

    Each axes' spines and axis (ticks, grid, tick labels, axis label) are recorded again
    only when their place, limits, ticks or labels change, and a text only when what it says
    or how it looks changes: most of a figure's text, which matplotlib is slowest to lay out.
    All other artists (curves, bands, marks, legends) are recorded on every call, so whatever
    a widget changed on them is drawn. ``record()`` gives (spec, numbers).
    """

    def __init__(self, figure):
        self.figure = figure
        self.recorder = Recorder(figure)
        self._kept = weakref.WeakKeyDictionary()  # artist -> (key, ops, numbers, smallest text)

    def _part(self, artist, key) -> tuple[list, np.ndarray, float]:
        """What ``artist`` draws; kept under ``key`` (None: recorded every time)."""
        if key is None:
            fast = _one_fill(artist) if isinstance(artist, Collection) else None
            return self.recorder.capture(fast or artist.draw)
        kept = self._kept.get(artist)
        if kept is None or kept[0] != key:
            kept = (key, *self.recorder.capture(artist.draw))
            self._kept[artist] = kept
        return kept[1:]

    def _parts(self):
        """(artist, key or None) in the order matplotlib draws them (Figure.draw, Axes.draw)."""
        fig = self.figure
        yield fig.patch, _background_key(fig.patch)
        for artist in sorted((a for a in fig.get_children() if a is not fig.patch
                              and a.get_visible() and not a.get_animated()),
                             key=lambda a: a.get_zorder()):
            if artist in fig.axes:
                yield from self._axes_parts(artist)
            else:
                yield artist, _text_key(artist) if type(artist) is Text else None

    def _axes_parts(self, ax):
        ax._unstale_viewLim()
        ax._update_title_position(self.recorder)
        frame = {id(a) for a in (*ax.spines.values(), *ax._axis_map.values())}
        children = [a for a in ax.get_children() if a is not ax.patch and a.get_visible()
                    and not a.get_animated() and (ax.axison or id(a) not in frame)]
        if ax.axison and ax.get_frame_on():
            yield ax.patch, _background_key(ax.patch)
        for artist in sorted(children, key=lambda a: a.get_zorder()):
            if id(artist) in frame:
                yield artist, _frame_key(ax, artist)
            else:
                yield artist, _text_key(artist) if type(artist) is Text else None

    def record(self) -> tuple[dict, np.ndarray]:
        """(spec, float32 numbers) of what the figure draws now."""
        ops, numbers, smallest, size = [], [], math.inf, 0
        for artist, key in self._parts():
            part_ops, part_numbers, part_smallest = self._part(artist, key)
            ops += _shifted(part_ops, size)
            numbers.append(part_numbers)
            size += len(part_numbers)
            smallest = min(smallest, part_smallest)
        w, h = self.recorder.get_canvas_width_height()
        spec = {"size": [round(float(w), 2), round(float(h), 2)], "ops": ops,
                "minText": round(smallest, 2) if math.isfinite(smallest) else 0}
        data = np.concatenate(numbers).astype(np.float32) if numbers else np.zeros(0, np.float32)
        return spec, data
