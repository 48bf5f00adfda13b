"""Server-rendered SVG bar charts. Each carries a <title> and <desc>, and the page puts the same
numbers in a table beside it, so the figure is never the only way to read them."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
BAR_AREA = 170
TOP = 16
LABEL_SPACE = 44


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, int]]) -> Markup:
    """Vertical bars, one per (label, value), labelled under the axis and with their value above."""
    count = max(len(bars), 1)
    step = (WIDTH - 40) / count
    width = max(step * 0.7, 2)
    peak = max((value for _, value in bars), default=0) or 1
    height = TOP + BAR_AREA + LABEL_SPACE
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<line x1="20" y1="{TOP + BAR_AREA}" x2="{WIDTH - 20}" y2="{TOP + BAR_AREA}" class="chart__axis"/>',
    ]
    small = count > 12
    for index, (label, value) in enumerate(bars):
        x = 20 + index * step + (step - width) / 2
        bar = BAR_AREA * value / peak
        y = TOP + BAR_AREA - bar
        centre = x + width / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar:.1f}" class="chart__bar"/>')
        if value:
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="chart__value">{value}</text>'
            )
        if not small or index % 3 == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + BAR_AREA + 18}" text-anchor="middle" '
                f'class="chart__label">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
