"""Forest plots as static SVG, drawn at build time: rows in, one inline `<svg>` string out.

matplotlib draws, through its SVG canvas on a bare `Figure` (no pyplot: no global figure list,
no GUI backend), inside `rc_context` so no setting leaks. The output is made fit to sit inside a
page, which matplotlib's file output is not:
- deterministic: the hash salt of matplotlib's ids is the plot's own id, no date or creator is
  written, so a rebuild gives the same bytes and clean diffs;
- one line, no XML declaration, no global `<style>` (matplotlib's `*{…}` rule would restyle
  every SVG of the page), no `figure_1`-style group ids (two plots on a page would repeat them):
  ids are the plot's id plus matplotlib's salted hashes;
- scalable: a viewBox and `width="100%"`, no height, so it shrinks to a phone's width;
- `currentColor` for every line, marker and text, so the theme's text colour applies in light and
  dark mode and in print; the background is transparent;
- accessible: a first-child `<title>` and `<desc>`, named by `aria-labelledby`; `role="group"`,
  not `img`, because the study labels are links and an `img`'s children are presentational (axe's
  nested-interactive: a link inside `role="img"` is a serious violation);
- linked: each study label is an `<a href>` (SVG 2, with `xlink:href` for older readers) to its
  study page, opening in the same tab.

Card text (labels, titles, reasons) is untrusted. Text stays text: math parsing and TeX are off,
matplotlib escapes `<`, `>`, `&` and quotes, and the characters Markdown, Jinja and the citation
hook read (`[`, `{`, `*`, `$`, …) become character references, as `escape_text` does for pages, so
the SVG can sit inside a Markdown page. An href must be relative or http(s).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import matplotlib as mpl
import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ..core.text import squash
from .pooling import Interval, NotPooled, Pooled

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

INK = "#010203"  # every mark is drawn in this colour, then written as currentColor
WIDTH = 7.5  # inches; at 72 dpi the viewBox is 540 units wide
ROW = 0.27  # inches per study row
HEAD, FOOT = 0.06, 0.62  # inches above the column titles, below the rows (axis, its label)
NOTE = 0.2  # inches per line of note under the axis (why a result is not pooled)
FONT = 8.5
LABEL_CHARS = 38  # a longer label is cut with "…": the study page it links to has it whole
NOTE_CHARS = 120  # a note is wrapped at this width
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: small, selectable, found by the browser's search
    "text.usetex": False,
    "text.parse_math": False,  # "$\\alpha$" in a label is shown, never typeset
    "axes.formatter.use_mathtext": False,
    "axes.formatter.useoffset": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # matplotlib's own font: the same layout everywhere
    "font.size": FONT,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelcolor": INK,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
}
METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}
# Markdown, Jinja and `[@Key]` syntax, as character references (as in cards/escaping.py).
_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "[]{}*_`\\$~^"})
_TAG = re.compile(r"(<[^>]*>)")  # matplotlib escapes ">" in attribute values: a tag ends at ">"
_VALUE = re.compile(r"\"[^\"]*\"|'[^']*'")  # an attribute's quoted value, in a tag
_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]*)"')
_LINK = re.compile(r"<a xlink:href=(\"[^\"]*\"|'[^']*') target=\"_blank\"><text style=\"")
_INK = re.compile(rf"((?:fill|stroke): ){INK}")
_GROUP_ID = re.compile(r'(<g)\s+id="[^"]*"')
_GLOBAL_STYLE = re.compile(r"<defs><style[^<]*</style></defs>")


@dataclass(frozen=True)
class ForestRow:
    """One study: its label (card text), the link to its page (`../studies/<id>/`), an estimate
    with its 95% CI (`None` when neither stated nor computable: a point only) and its relative
    weight in the pooling (0-1), if pooled. Proportions are fractions (shown as percent)."""

    label: str
    href: str
    estimate: float
    low: float | None = None
    high: float | None = None
    weight: float | None = None


@dataclass(frozen=True)
class PairedRow:
    """One diagnostic-accuracy study: sensitivity and specificity (fractions), either unstated."""

    label: str
    href: str
    sensitivity: Interval | None
    specificity: Interval | None


def plot_id(title: str, content: object) -> str:
    """`forest-<slug>-<hash>`: unique per title and data, the same on every build."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "plot"
    digest = hashlib.sha256(repr((title, content)).encode()).hexdigest()[:8]
    return f"forest-{slug}-{digest}"


def forest_svg(
    rows: Sequence[ForestRow],
    pooled: Pooled | NotPooled | None,
    *,
    title: str,
    desc: str,
    x_label: str,
    percent: bool,
) -> str:
    """A forest plot: label, CI line and square (area by weight), estimate and CI, weight; the
    pooled estimate as a diamond below the studies, or why it is not pooled, as a note."""
    ident = plot_id(title, (rows, pooled, desc, x_label, percent))
    scale = 100.0 if percent else 1.0
    notes = [_sentence(pooled.reason)] if isinstance(pooled, NotPooled) else []
    extra = 2 if pooled is not None else 0
    with _drawing(ident):
        figure, (axes,) = _figure(len(rows) + extra, notes, [(0.36, 0.35)])
        _frame(axes, len(rows) + extra, x_label)
        at = blended_transform_factory(figure.transFigure, axes.transData)
        axes.text(0.01, -1, "Study", transform=at, weight="bold")
        axes.text(0.73, -1, "Estimate (95% CI)", transform=at, weight="bold")
        weighted = any(row.weight is not None for row in rows)
        if weighted:
            axes.text(0.99, -1, "Weight", transform=at, weight="bold", ha="right")
        heaviest = max((row.weight or 0.0 for row in rows), default=0.0) or 1.0
        _intervals(
            axes,
            [Interval(row.estimate, row.low, row.high, "") for row in rows],
            scale,
            [
                3 + 6 * ((row.weight or heaviest) / heaviest) ** 0.5 if weighted else 5
                for row in rows
            ],
        )
        for y, row in enumerate(rows):
            _label(axes, at, y, row.label, row.href)
            axes.text(0.73, y, _figures(row.estimate, row.low, row.high, percent), transform=at)
            if row.weight is not None:
                axes.text(0.99, y, f"{100 * row.weight:.1f}%", transform=at, ha="right")
        if pooled is not None:
            last = len(rows) + 0.6
            if isinstance(pooled, Pooled):
                label = f"Pooled, {pooled.k} studies (n = {pooled.n})"
                axes.text(0.01, last, label, transform=at, weight="bold")
            _pooled(axes, at, last, pooled, scale, percent, text_x=0.73)
        _limits(axes, rows, pooled, percent)
        return _finish(figure, ident, title, desc)


def paired_forest_svg(
    rows: Sequence[PairedRow],
    sensitivity: Pooled | NotPooled | None,
    specificity: Pooled | NotPooled | None,
    *,
    title: str,
    desc: str,
) -> str:
    """Sensitivity and specificity side by side, one row per study, each axis 0-100%; each
    side's pooled diamond below, or why it is not pooled, as a note. The two are pooled
    separately (no summary ROC curve)."""
    ident = plot_id(title, (rows, sensitivity, specificity, desc))
    sides = {"Sensitivity": sensitivity, "Specificity": specificity}
    notes = [f"{n}: {p.reason}." for n, p in sides.items() if isinstance(p, NotPooled)]
    extra = 2 if sensitivity is not None or specificity is not None else 0
    with _drawing(ident):
        figure, panes = _figure(len(rows) + extra, notes, [(0.27, 0.145), (0.635, 0.145)])
        for (name, pooled), axes in zip(sides.items(), panes, strict=True):
            _frame(axes, len(rows) + extra, "")  # the column title names the side
            axes.set_xlim(0, 100)
            axes.set_xticks([0, 50, 100], ["0%", "50%", "100%"])
            left = axes.get_position().x0
            text_x = axes.get_position().x1 + 0.01
            at = blended_transform_factory(figure.transFigure, axes.transData)
            axes.text(left, -1, name, transform=at, weight="bold")
            side = [row.sensitivity if name == "Sensitivity" else row.specificity for row in rows]
            _intervals(axes, side, 100.0, [5] * len(rows))
            for y, interval in enumerate(side):
                if interval is None:
                    axes.text(text_x, y, "not stated", transform=at, style="italic")
                    continue
                figures = _figures(interval.estimate, interval.low, interval.high, True)
                axes.text(text_x, y, figures, transform=at)
            if pooled is not None:
                _pooled(axes, at, len(rows) + 0.6, pooled, 100.0, True, text_x)
        at = blended_transform_factory(figure.transFigure, panes[0].transData)
        panes[0].text(0.01, -1, "Study", transform=at, weight="bold")
        for y, row in enumerate(rows):
            _label(panes[0], at, y, row.label, row.href, LABEL_CHARS - 8)
        if extra:
            panes[0].text(0.01, len(rows) + 0.6, "Pooled", transform=at, weight="bold")
        return _finish(figure, ident, title, desc)


@contextmanager
def _drawing(ident: str) -> Iterator[None]:
    """matplotlib's default style and ours, for this plot only; the ids' hash salt is the plot's
    id, so two plots on one page never share an id, and a rebuild repeats them."""
    with matplotlib.style.context("default"), mpl.rc_context(RC):
        mpl.rcParams["svg.hashsalt"] = ident  # restored with the rest when the context ends
        yield


def _figure(
    rows: int, notes: Sequence[str], panes: Sequence[tuple[float, float]]
) -> tuple[Figure, list[Axes]]:
    """A figure of `rows` rows over its notes, with one axes per (left, width) in `panes`."""
    notes = [line for note in notes for line in textwrap.wrap(squash(note), NOTE_CHARS)]
    below = FOOT + NOTE * len(notes)
    height = HEAD + below + ROW * (rows + 1)
    figure = Figure(figsize=(WIDTH, height), dpi=72)
    figure.patch.set_visible(False)  # transparent: the page's background shows
    axes = [figure.add_axes((x, below / height, w, ROW * (rows + 1) / height)) for x, w in panes]
    for i, note in enumerate(notes):
        y = (NOTE * (len(notes) - i) - 0.05) / height
        figure.text(0.01, y, note, size=FONT - 1, style="italic", va="top")
    return figure, axes


def _frame(axes: Axes, rows: int, x_label: str) -> None:
    """Rows top down (the header row at -1); only the bottom axis line; no y ticks."""
    axes.patch.set_visible(False)
    axes.set_ylim(rows - 0.5, -1.5)
    axes.set_yticks([])
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel(_short(x_label, NOTE_CHARS // 2))
    axes.tick_params(axis="x", labelsize=FONT - 0.5)


def _label(axes: Axes, at: Any, y: float, label: str, href: str, limit: int = LABEL_CHARS) -> None:
    axes.text(0.01, y, _short(label, limit), transform=at, url=_checked(href))


def _intervals(
    axes: Axes, intervals: Sequence[Interval | None], scale: float, sizes: Sequence[float]
) -> None:
    """Each row's CI line and its square (side `sizes` in points), row `y` at y: one line
    collection and one scatter for all rows (a `plot` per row cost 2 ms each)."""
    shown = [(y, i, size) for y, (i, size) in enumerate(zip(intervals, sizes, strict=True)) if i]
    spans = [(y, i.low, i.high) for y, i, _ in shown if i.low is not None and i.high is not None]
    if spans:
        ys, lows, highs = zip(*spans, strict=True)
        axes.hlines(ys, [lo * scale for lo in lows], [hi * scale for hi in highs], color=INK, lw=1)
    if shown:
        axes.scatter(
            [i.estimate * scale for _, i, _ in shown],
            [y for y, _, _ in shown],
            s=[size**2 for _, _, size in shown],
            marker="s",
            color=INK,
            linewidths=0,
        )


def _pooled(
    axes: Axes,
    at: Any,
    y: float,
    pooled: Pooled | NotPooled,
    scale: float,
    percent: bool,
    text_x: float,
) -> None:
    """The diamond spans the pooled CI, a dotted line at the estimate runs up through the
    studies, heterogeneity goes under the figures. Not pooled: said in the figures column."""
    if isinstance(pooled, NotPooled):
        axes.text(text_x, y, "not pooled (see note)", transform=at, style="italic")
        return
    mid, low, high = (v * scale for v in (pooled.estimate, pooled.low, pooled.high))
    axes.fill([low, mid, high, mid], [y, y - 0.4, y, y + 0.4], color=INK, lw=0)
    axes.axvline(mid, color=INK, lw=0.7, ls=":", alpha=0.6)
    figures = _figures(pooled.estimate, pooled.low, pooled.high, percent)
    axes.text(text_x, y, figures, transform=at, weight="bold")
    heterogeneity = f"k {pooled.k}, I² {pooled.i2:.0f}%, τ² {pooled.tau2:.2g}"
    axes.text(text_x, y + 0.9, heterogeneity, transform=at, size=FONT - 1)


def _limits(
    axes: Axes, rows: Sequence[ForestRow], pooled: Pooled | NotPooled | None, percent: bool
) -> None:
    if percent:
        axes.set_xlim(0, 100)
        axes.set_xticks(range(0, 101, 25), [f"{t}%" for t in range(0, 101, 25)])
        return
    values = [v for row in rows for v in (row.estimate, row.low, row.high) if v is not None]
    if isinstance(pooled, Pooled):
        values += [pooled.low, pooled.high]
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
        axes.set_xlim(low - pad, high + pad)


def _figures(estimate: float, low: float | None, high: float | None, percent: bool) -> str:
    """`22.0% (12.2–36.4)`; other figures with decimals by the estimate's size (2 under 10, 1
    under 100, else none), its CI alike."""
    size = abs(estimate)
    places = 1 if percent or 10 <= size < 100 else 0 if size >= 100 else 2

    def shown(value: float) -> str:
        return f"{100 * value if percent else value:.{places}f}"

    unit = "%" if percent else ""
    if low is None or high is None:
        return f"{shown(estimate)}{unit} (CI not stated)"
    return f"{shown(estimate)}{unit} ({shown(low)}–{shown(high)})"


def _sentence(reason: str) -> str:
    """A reason as a note: `Case reports only: not pooled.`"""
    return reason[:1].upper() + reason[1:] + "."


def _short(text: str, limit: int) -> str:
    flat = squash(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _checked(href: str) -> str:
    """A study page's address: relative or http(s). A `javascript:` href is a code bug."""
    if urlsplit(href).scheme not in ("", "http", "https") or any(c <= " " for c in href):
        raise ValueError(f"not a page address: {href!r}")
    return href


def _finish(figure: Figure, ident: str, title: str, desc: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=METADATA)
    return _inline(buffer.getvalue(), ident, title, desc)


def _inline(svg: str, ident: str, title: str, desc: str) -> str:
    """matplotlib's SVG file as an element for a page (see the module's docstring)."""
    svg = re.sub(r">\s+<", "><", svg[svg.index("<svg") :].strip())
    svg = re.sub(r"\s*\n\s*", " ", svg)  # in path data: card text holds no line break
    svg = _GLOBAL_STYLE.sub("", svg)
    svg = _GROUP_ID.sub(r"\1", svg)
    svg = _LINK.sub(r'<a href=\1 xlink:href=\1><text style="text-decoration: underline; ', svg)
    view_box = _VIEWBOX.search(svg)
    if view_box is None or "<a xlink:href" in svg:
        raise AssertionError("matplotlib's SVG output has changed shape")
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' version="1.1" id="{ident}" class="forest-plot" viewBox="{view_box.group(1)}"'
        f' width="100%" role="group" aria-labelledby="{ident}-title {ident}-desc"'
        ' stroke-linejoin="round" stroke-linecap="butt">'
        f'<title id="{ident}-title">{html.escape(squash(title))}</title>'
        f'<desc id="{ident}-desc">{html.escape(squash(desc))}</desc>'
    )
    svg = _ROOT.sub(lambda _: root, svg, count=1)
    return "".join(_tag(part) if part.startswith("<") else _inert(part) for part in _TAG.split(svg))


def _tag(tag: str) -> str:
    """A tag's colours as currentColor, its attribute values (an href) inert. Card text is never
    in a tag but in an href, which holds no space, so `fill: #010203` is matplotlib's."""
    return _VALUE.sub(lambda value: _inert(_INK.sub(r"\1currentColor", value.group())), tag)


def _inert(text: str) -> str:
    """`_INERT`'s characters as references: XML and HTML read the same text, while Markdown,
    Jinja and citations see none of their syntax."""
    return text.translate(_INERT)
