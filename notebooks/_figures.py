"""Figure helpers shared by the notebooks: a CJK font for matplotlib, the flow diagram, the
series diagram, and a layout for drawing a network with several components.

Matplotlib's default font has no Chinese glyphs and silently draws boxes (豆腐) instead, so
every notebook calls :func:`use_cjk_font` first; it selects an installed Noto CJK font
(Debian's ``fonts-noto-cjk``) and fails loudly when there is none.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
from matplotlib import font_manager, rcParams
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

#: Noto CJK families in order of preference: Simplified Chinese first, since every label in
#: the figures is Simplified (the 2025 plan's Traditional text is shown converted).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
#: Characters the figures use from both documents; the chosen font must have all of them.
PROBE = "广东数字化发展建设政务和数据管理局廣東數據"


def _installed_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _register_system_cjk_fonts() -> None:
    # Matplotlib caches its font list; a font installed after the cache was built is only
    # seen once it is added explicitly.
    for path in font_manager.findSystemFonts():
        if "CJK" in path and path.lower().endswith((".ttc", ".otf", ".ttf")):
            font_manager.fontManager.addfont(path)


def find_cjk_font() -> str:
    """The family name of an installed Noto CJK font that has the figures' characters.

    Raises:
        RuntimeError: no Noto CJK font is installed (install ``fonts-noto-cjk``).
    """
    if not any(f in _installed_families() for f in CJK_FAMILIES):
        _register_system_cjk_fonts()
    installed = _installed_families()
    for family in CJK_FAMILIES:
        if family not in installed:
            continue
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        font = font_manager.get_font(path)
        if all(font.get_char_index(ord(ch)) for ch in PROBE):
            return family
    raise RuntimeError(
        "No Noto CJK font is installed, so matplotlib would draw Chinese labels as empty "
        "boxes. Install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`) and restart "
        f"the kernel. Looked for: {', '.join(CJK_FAMILIES)}."
    )


def use_cjk_font() -> str:
    """Make matplotlib draw every text with a Noto CJK font; returns the family used."""
    family = find_cjk_font()
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [family, *rcParams["font.sans-serif"]]
    rcParams["axes.unicode_minus"] = False  # keep ASCII hyphen-minus for negative ticks
    return family


def _smoothstep(t: np.ndarray) -> np.ndarray:
    eased: np.ndarray = t * t * (3 - 2 * t)
    return eased


def _stack(
    nodes: Sequence[str], totals: Mapping[str, float], gap: float, height: float
) -> dict[str, float]:
    """Top y of each node's block, blocks stacked downwards and centred in ``height``."""
    used = sum(totals.get(n, 0.0) for n in nodes) + gap * (len(nodes) - 1)
    y = height - (height - used) / 2
    tops = {}
    for n in nodes:
        tops[n] = y
        y -= totals.get(n, 0.0) + gap
    return tops


def draw_flow(
    ax: Axes,
    left: Sequence[tuple[str, str]],
    right: Sequence[tuple[str, str]],
    flows: Mapping[tuple[str, str], float],
    *,
    colours: Mapping[str, str],
    gap: float = 1.2,
    block_width: float = 0.035,
    label_size: float = 9.5,
) -> None:
    """An alluvial diagram: ``left`` blocks on the left, ``right`` on the right, bands between.

    ``left`` and ``right`` are (id, label) pairs from top to bottom; ``flows`` maps
    (left id, right id) to a band's weight, and each block is as tall as the bands leaving
    (or reaching) it. Bands leave a block in the order of the blocks they reach, so they
    cross as little as the orders allow; a band takes its left block's colour.
    """
    left_ids = [n for n, _ in left]
    right_ids = [n for n, _ in right]
    out_total = {n: sum(w for (s, _), w in flows.items() if s == n) for n in left_ids}
    in_total = {n: sum(w for (_, t), w in flows.items() if t == n) for n in right_ids}
    height = max(
        sum(out_total.values()) + gap * (len(left_ids) - 1),
        sum(in_total.values()) + gap * (len(right_ids) - 1),
    )
    left_top = _stack(left_ids, out_total, gap, height)
    right_top = _stack(right_ids, in_total, gap, height)
    x0, x1 = block_width, 1.0 - block_width
    xs = np.linspace(x0, x1, 100)
    ts = _smoothstep((xs - x0) / (x1 - x0))

    # Where the next band leaves each left block and reaches each right block.
    left_cursor = dict(left_top)
    right_cursor = dict(right_top)
    in_order = sorted(flows, key=lambda st: (right_ids.index(st[1]), left_ids.index(st[0])))
    reach: dict[tuple[str, str], float] = {}
    for s, t in in_order:
        reach[(s, t)] = right_cursor[t]
        right_cursor[t] -= flows[(s, t)]
    out_order = sorted(flows, key=lambda st: (left_ids.index(st[0]), right_ids.index(st[1])))
    for s, t in out_order:
        w = flows[(s, t)]
        y_left, y_right = left_cursor[s], reach[(s, t)]
        left_cursor[s] -= w
        top = y_left + (y_right - y_left) * ts
        ax.fill_between(xs, top - w, top, color=colours[s], alpha=0.45, linewidth=0)

    for ids, labels, tops, totals, x, align in (
        (left_ids, dict(left), left_top, out_total, 0.0, "right"),
        (right_ids, dict(right), right_top, in_total, x1, "left"),
    ):
        for n in ids:
            h = totals[n]
            colour = colours.get(n, "0.35")
            ax.add_patch(Rectangle((x, tops[n] - h), block_width, h, color=colour, linewidth=0))
            text_x = x - 0.01 if align == "right" else x + block_width + 0.01
            ax.text(
                text_x,
                tops[n] - h / 2,
                f"{labels[n]}（{h:g}）",
                ha=align,
                va="center",
                fontsize=label_size,
            )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-gap, height + gap)
    ax.axis("off")


#: The series diagram's colours: an item carried on, one the next document drops, one new.
SERIES_COLOURS = {"carried": "#3b6ea5", "dropped": "#9a9a9a", "new": "#d9822b"}


def draw_series(
    ax: Axes,
    columns: Sequence[tuple[str, Sequence[str]]],
    links: Sequence[tuple[str, str, float]],
    *,
    dropped: set[str],
    new: set[str],
    highlight: Sequence[str] = (),
) -> None:
    """A series of documents side by side: each a column of its items (top to bottom, in the
    document's order), each accepted link a curve from an item to the next document's.

    ``columns`` are (label, item ids) in the series' order; ``links`` (source, target, score),
    drawn thicker the higher the score; items in ``dropped`` (nothing in the next document
    carries them on) are grey, items in ``new`` (they carry nothing of the one before on)
    orange. The links between the items of ``highlight`` are drawn on top, in black.
    """
    where: dict[str, tuple[float, float]] = {}
    for x, (_, items) in enumerate(columns):
        for k, item in enumerate(items):
            where[item] = (float(x), 1.0 - (k + 0.5) / max(len(items), 1))
    ts = _smoothstep(np.linspace(0.0, 1.0, 60))
    on_path = set(itertools.pairwise(highlight))
    for source, target, score in sorted(links, key=lambda lk: (lk[:2] in on_path, lk[2])):
        (x0, y0), (x1, y1) = where[source], where[target]
        xs = np.linspace(x0, x1, 60)
        marked = (source, target) in on_path
        ax.plot(
            xs,
            y0 + (y1 - y0) * ts,
            color="black" if marked else SERIES_COLOURS["carried"],
            alpha=0.9 if marked else 0.25 + 0.5 * score,
            linewidth=2.4 if marked else 0.6 + 2.0 * score,
            zorder=3 if marked else 1,
        )
    for item, (x, y) in where.items():
        status = "dropped" if item in dropped else "new" if item in new else "carried"
        ax.scatter([x], [y], s=18, color=SERIES_COLOURS[status], zorder=2, linewidths=0)
    for x, (label, items) in enumerate(columns):
        ax.text(x, 1.02, f"{label}\n（{len(items)}项）", ha="center", va="bottom", fontsize=11)
    ax.set_xlim(-0.3, len(columns) - 0.7)
    ax.set_ylim(-0.02, 1.1)
    ax.axis("off")


def component_layout(network: nx.Graph, *, margin: float = 0.35) -> dict[str, np.ndarray]:
    """Positions for a network drawing: the largest component laid out by Kamada–Kawai, the
    smaller components (and isolated nodes) in a column to its right.

    A force-directed layout of a disconnected network pushes the small components to the
    corners and squeezes the large one into the middle; this keeps the large one readable.
    Kamada–Kawai has no randomness, so the drawing is the same on every run.
    """
    components = sorted(nx.connected_components(network), key=lambda c: (-len(c), min(c)))
    if not components:
        return {}
    main = network.subgraph(components[0])
    positions: dict[str, np.ndarray] = {
        node: np.asarray(xy) for node, xy in nx.kamada_kawai_layout(main, weight=None).items()
    }
    x = max(xy[0] for xy in positions.values()) + margin
    y = max(xy[1] for xy in positions.values())
    for component in components[1:]:
        for node in sorted(component):
            positions[node] = np.array([x, y])
            y -= margin / 2
        y -= margin / 4
    return positions
