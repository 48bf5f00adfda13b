"""The SVG chart: delivery latency (visitor → advisor, p50 and p99, log scale) against the
number of active chats, for Neuvo and for the bare relay, with the PostgreSQL runs as points.
Hand-written SVG: a title and a description make it readable without seeing it, and
the report's tables carry the same numbers."""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 900, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 300, 50, 60
COLOURS = {"neuvo": "#1d5fa8", "relay": "#7a7a7a"}
CLUSTER_COLOURS = ("#c2410c", "#15803d", "#7e22ce", "#b45309")


def _series(results: dict[str, Any]) -> list[tuple[str, str, str, list[tuple[float, float]]]]:
    """(label, colour, dash, points) for every line and point set."""
    active = [run for run in results["scenarios"].get("active", []) if "neuvo" in run and "relay" in run]
    lines = []
    for kind, name in (("neuvo", results.get("service", "Neuvo")), ("relay", "bare relay")):
        for p, dash in (("p50", ""), ("p99", "6 4")):
            points = [(run["chats"], run[kind]["to_advisor"][p]) for run in active if run[kind]["to_advisor"]]
            lines.append((f"{name} {p}", COLOURS[kind], dash, points))
    for n, run in enumerate(r for r in results["scenarios"].get("cluster", []) if "neuvo" in r):
        figure = run["neuvo"]["to_advisor"]
        if figure:
            label = f"Neuvo, PostgreSQL + Redis, ×{run['processes']}"
            colour = CLUSTER_COLOURS[n % len(CLUSTER_COLOURS)]
            lines.append((f"{label} p50", colour, "point", [(run["chats"], figure["p50"])]))
            lines.append((f"{label} p99", colour, "point-open", [(run["chats"], figure["p99"])]))
    return [line for line in lines if line[3]]


def svg(results: dict[str, Any]) -> str:
    series = _series(results)
    xs = [x for *_, points in series for x, _ in points] or [1.0]
    ys = [y for *_, points in series for _, y in points if y > 0] or [1.0]
    x_max = max(xs) * 1.05
    low, high = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    high = max(high, low + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(x: float) -> float:
        return LEFT + plot_w * x / x_max

    def y_at(y: float) -> float:
        return TOP + plot_h * (1 - (math.log10(max(y, 10.0**low)) - low) / (high - low))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="title desc" '
           'font-family="sans-serif" font-size="12">',
           '<title id="title">Delivery latency against load, visitor to advisor</title>',
           f'<desc id="desc">{escape(_describe(series))}</desc>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold">Visitor → advisor delivery, '
           'durable write included (ms, log scale)</text>']
    for decade in range(low, high + 1):
        y = y_at(10.0**decade)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{_ms(10.0**decade)}</text>')
    for x in sorted(set(xs)):
        out.append(f'<line x1="{x_at(x):.1f}" x2="{x_at(x):.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#eee"/>')
        out.append(f'<text x="{x_at(x):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{x:,.0f}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 18}" text-anchor="middle">active chats '
               '(each party writing every 2 s)</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#444"/>')
    for n, (label, colour, dash, points) in enumerate(series):
        out += _draw(points, colour, dash, x_at, y_at)
        legend_y = TOP + 10 + 20 * n
        out.append(_legend_mark(LEFT + plot_w + 14, legend_y, colour, dash))
        out.append(f'<text x="{LEFT + plot_w + 44}" y="{legend_y + 4}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend_mark(x: float, y: float, colour: str, dash: str) -> str:
    if dash.startswith("point"):
        fill = "white" if dash == "point-open" else colour
        return f'<circle cx="{x + 12}" cy="{y}" r="5" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
    return (f'<line x1="{x}" x2="{x + 24}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>')


def _draw(points: list[tuple[float, float]], colour: str, dash: str, x_at: Any, y_at: Any) -> list[str]:
    if dash.startswith("point"):
        fill = "white" if dash == "point-open" else colour
        return [f'<circle cx="{x_at(x):.1f}" cy="{y_at(y):.1f}" r="5" fill="{fill}" stroke="{colour}" '
                'stroke-width="2"/>' for x, y in points]
    path = " ".join(f"{x_at(x):.1f},{y_at(y):.1f}" for x, y in points)
    return [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>',
            *(f'<circle cx="{x_at(x):.1f}" cy="{y_at(y):.1f}" r="3" fill="{colour}"/>' for x, y in points)]


def _describe(series: list[tuple[str, str, str, list[tuple[float, float]]]]) -> str:
    return "; ".join(f"{label}: " + ", ".join(f"{x:,.0f} chats {_ms(y)}" for x, y in points)
                     for label, _, _, points in series)


def _ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g} s"
    return f"{value:g} ms" if value >= 1 else f"{value:.2g} ms"
