"""Server-rendered SVG bar charts. Each carries a <title> and <desc>, and the page puts the same
numbers in a table beside it, so the figure is never the only way to read them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from storage.reports import LESS_THAN, too_few

WIDTH = 640
BAR_AREA = 170
TOP = 16
LABEL_SPACE = 44
LEGEND = 20


def _opening(chart_id: str, title: str, description: str, height: float) -> list[str]:
    """The chart's <svg> with its title and description, which name it to assistive technology."""
    return [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, int]], *,
              small_hidden: bool = False) -> Markup:
    """Vertical bars, one per (label, value), labelled under the axis and with their value above.
    `small_hidden`: a count of 1 or 2 chats gets no bar, and "<3" above (storage.reports' rule)."""
    count = max(len(bars), 1)
    step = (WIDTH - 40) / count
    width = max(step * 0.7, 2)
    peak = max((value for _, value in bars if not (small_hidden and too_few(value))), default=0) or 1
    height = TOP + BAR_AREA + LABEL_SPACE
    parts = [
        *_opening(chart_id, title, description, height),
        f'<line x1="20" y1="{TOP + BAR_AREA}" x2="{WIDTH - 20}" y2="{TOP + BAR_AREA}" class="chart__axis"/>',
    ]
    small = count > 12
    for index, (label, count) in enumerate(bars):
        hidden = small_hidden and too_few(count)
        value = 0 if hidden else count
        x = 20 + index * step + (step - width) / 2
        bar = BAR_AREA * value / peak
        y = TOP + BAR_AREA - bar
        centre = x + width / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar:.1f}" class="chart__bar"/>')
        if value or hidden:
            parts.append(f'<text x="{centre:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                         f'class="chart__value">{escape(LESS_THAN if hidden else str(value))}</text>')
        if not small or index % 3 == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + BAR_AREA + 18}" text-anchor="middle" '
                f'class="chart__label">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_bar_chart(chart_id: str, title: str, description: str, series: Sequence[str],
                      groups: Sequence[tuple[str, Sequence[float]]], written: Callable[[float], str]) -> Markup:
    """Vertical bars in groups: per (label, values) one bar per series, in the order of `series`,
    which the legend above names (each series its own fill and outline, so not colour alone);
    each bar's value but 0 is written above it by `written`."""
    count = max(len(groups), 1)
    step = (WIDTH - 40) / count
    width = max(step * 0.8 / max(len(series), 1), 2)
    peak = max((value for _, values in groups for value in values), default=0) or 1
    top = TOP + LEGEND
    height = top + BAR_AREA + LABEL_SPACE
    parts = _opening(chart_id, title, description, height)
    for index, name in enumerate(series):
        key = 20 + index * 180
        parts.append(f'<rect x="{key}" y="{TOP - 10}" width="14" height="14" class="chart__bar chart__bar--{index}"/>'
                     f'<text x="{key + 20}" y="{TOP + 2}" class="chart__label">{escape(name)}</text>')
    parts.append(f'<line x1="20" y1="{top + BAR_AREA}" x2="{WIDTH - 20}" y2="{top + BAR_AREA}" class="chart__axis"/>')
    for index, (label, values) in enumerate(groups):
        left = 20 + index * step + step * 0.1
        for n, value in enumerate(values):
            x = left + n * width
            bar = BAR_AREA * value / peak
            y = top + BAR_AREA - bar
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width * 0.9:.1f}" height="{bar:.1f}" '
                         f'class="chart__bar chart__bar--{n}"/>')
            if value:  # a bar of nothing needs no label over it (the table has the zeros)
                parts.append(f'<text x="{x + width * 0.45:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                             f'class="chart__value">{escape(written(value))}</text>')
        parts.append(f'<text x="{left + width * len(values) / 2:.1f}" y="{top + BAR_AREA + 18}" '
                     f'text-anchor="middle" class="chart__label">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
