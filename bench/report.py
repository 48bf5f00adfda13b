"""The results as Markdown tables (each Neuvo figure beside the relay's and their ratio), the
chart, and the generated section of docs/benchmarks.md, rewritten between its markers so the
prose around it stays."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bench import chart as svg_chart

BEGIN, END = "<!-- bench:begin (written by python -m bench --update-docs) -->", "<!-- bench:end -->"
DOC_CHART = "benchmarks-latency.svg"
BUSY_LOAD = 0.5  # a 1-minute load average above this before the run: other work shared the cores

# (label, figure keys, kind); several keys make one cell "a / b / c".
Row = tuple[str, tuple[str, ...], str]
COUNTS = ("lost", "duplicated", "unacked", "acked_twice", "out_of_order")
ACTIVE: list[Row] = [
    ("visitor → advisor delivery", ("to_advisor",), "spread"),
    ("advisor → visitor delivery", ("to_visitor",), "spread"),
    ("visitor send → ack", ("ack_visitor",), "spread"),
    ("advisor send → ack", ("ack_advisor",), "spread"),
    ("lines delivered per second (timed)", ("delivered_per_s",), "rate"),
    ("server CPU, % of one core (all its processes)", ("server_cpu_pct",), "pct"),
    ("PostgreSQL + Redis CPU, % of one core", ("database_cpu_pct",), "pct"),
    ("client processes' CPU, % of one core", ("client_cpu_pct",), "pct"),
    ("RSS per socket, sockets open", ("rss_per_socket_open_kib",), "kib"),
    ("RSS per socket, chats active", ("rss_per_socket_kib",), "kib"),
    ("lines sent (timed)", ("sent", "timed"), "count"),
    ("lost / duplicated / unacked / acked twice / out of order", COUNTS, "count"),
    ("visitors resumed: planned / after the server closed them; lines replayed / sent again",
     ("reconnects", "recovered", "replayed", "resent"), "count"),
    ("typing frames sent / received", ("typing_sent", "typing_received"), "count"),
    ("error frames and closed sockets / server log errors", ("errors", "server_errors"), "count"),
]
WAITING: list[Row] = [
    ("visitors queued / not queued", ("queued", "not_queued"), "count"),
    ("first start → last queued", ("all_queued_s",), "seconds"),
    ("start → queued", ("start_to_queued",), "spread"),
    ("RSS per waiting socket", ("rss_per_socket_kib",), "kib"),
    ("server CPU while queueing, seconds", ("server_cpu_s",), "seconds"),
    ("error frames and closed sockets / server log errors", ("errors", "server_errors"), "count"),
]
BURST: list[Row] = [
    ("start → queued", ("start_to_queued",), "spread"),
    ("first start → last queued", ("all_queued_s",), "seconds"),
    ("start → assigned, visitors who found room", ("start_to_assigned_with_room",), "spread"),
    ("positions exact", ("positions_exact",), "bool"),
    ("positions checked / wrong / rises", ("positions_checked", "position_errors", "position_rises"), "count"),
    ("advisor free (`ended`) → next `assigned`", ("ended_to_assigned",), "spread"),
    ("advisor `close` sent → next `assigned`", ("close_to_assigned",), "spread"),
    ("not queued / error frames and closed sockets / server log errors",
     ("not_queued", "errors", "server_errors"), "count"),
]
AT_ONCE: list[Row] = [
    ("start → queued", ("start_to_queued",), "spread"),
    ("start → assigned", ("start_to_assigned",), "spread"),
    ("first start → last assigned", ("all_assigned_s",), "seconds"),
    ("assignments per second", ("assigned_per_s",), "rate"),
    ("not assigned / error frames and closed sockets / server log errors",
     ("not_assigned", "errors", "server_errors"), "count"),
]


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value >= 1 else f"{value:.2g}"


def _cell(figures: dict[str, Any] | None, keys: tuple[str, ...], kind: str) -> str:
    if figures is None:
        return "—"
    values = [figures.get(k) for k in keys]
    if all(v is None for v in values):
        return "—"
    if kind == "spread":
        s = figures[keys[0]]
        return f"{_number(s['p50'])} / {_number(s['p90'])} / {_number(s['p99'])} / {_number(s['max'])} ms"
    if kind == "count":
        return " / ".join("—" if v is None else f"{v:,}" for v in values)
    if kind == "bool":
        return "yes" if values[0] else "**no**"
    unit = {"seconds": " s", "kib": " KiB", "pct": "%", "rate": "/s"}[kind]
    return f"{_number(figures[keys[0]])}{unit}"


def _ratio(relay: dict[str, Any] | None, neuvo: dict[str, Any] | None, keys: tuple[str, ...], kind: str) -> str:
    if relay is None or neuvo is None or kind in ("count", "bool"):
        return ""
    base, value = relay.get(keys[0]), neuvo.get(keys[0])
    if base is None or value is None:
        return ""
    if kind == "spread":
        return " / ".join(_times(value[p], base[p]) for p in ("p50", "p90", "p99", "max"))
    return _times(value, base)


def _times(value: float, base: float) -> str:
    if base <= 0:
        return "—"
    ratio = value / base
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.1f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def table(rows: list[Row], relay: dict[str, Any] | None, neuvo: dict[str, Any], name: str = "Neuvo") -> str:
    lines = [f"| figure | bare relay | {name} | {name} ÷ relay |", "| --- | --- | --- | --- |"]
    for label, keys, kind in rows:
        if all(neuvo.get(k) is None for k in keys) and (relay is None or all(relay.get(k) is None for k in keys)):
            continue  # a figure this run does not have (the database's CPU on SQLite)
        lines.append(f"| {label} | {_cell(relay, keys, kind)} | {_cell(neuvo, keys, kind)} | "
                     f"{_ratio(relay, neuvo, keys, kind)} |")
    return "\n".join(lines)


def _header(results: dict[str, Any], chart: str | None) -> list[str]:
    machine, load = results["machine"], results["load_before"]
    busy = (f" **The 1-minute load average was {load[0]:.2f} before the run: other processes were using the "
            "cores, so the figures are pessimistic by an unknown factor.**") if load[0] > BUSY_LOAD else ""
    plan = results["plan"]
    lines = [
        f"Command: `{results['command']}` ({results['started']} to {results['finished']} UTC, code at "
        f"{results.get('commit', 'unknown')}).",
        "",
        f"Machine: `nproc` {machine['nproc']}, {machine['cpu']}, {machine['memory_kib'] / 1024**2:.0f} GiB, "
        f"Python {machine['python']}, Linux {machine['kernel']}. Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{x:.2f}' for x in load)}; after: {', '.join(f'{x:.2f}' for x in results['load_after'])}."
        + busy,
        "",
        f"Service: {results['service']}" + (" (scenario d: PostgreSQL + Redis)" if "cluster" in results["scenarios"]
                                            else "") + f"; {plan['clients']} client processes. Latencies are "
        "p50 / p90 / p99 / max over every sample; ratios are Neuvo's figure divided by the relay's.",
    ]
    if chart:
        lines += ["", f"![Visitor → advisor delivery latency against active chats]({chart})"]
    return lines


def _section(heading: str, run: dict[str, Any], rows: list[Row], relay: dict[str, Any] | None = None,
             name: str = "Neuvo") -> list[str]:
    if "failed" in run:
        return ["", heading, "", f"**This run failed** (the server logs were kept): {run['failed']}"]
    return ["", heading, "", table(rows, relay or run.get("relay"), run["neuvo"], name)]


def markdown(results: dict[str, Any], chart: str | None = None) -> str:
    plan, scenarios = results["plan"], results["scenarios"]
    out = _header(results, chart)
    if "waiting" in scenarios:
        out += _section(f"### (a) {plan['waiting']:,} waiting visitors, {plan['waiting_at_once']} opening at a time",
                        scenarios["waiting"], WAITING)
    active = scenarios.get("active", [])
    for run in active if isinstance(active, list) else [{"chats": max(plan["chats"]), **active}]:
        out += _section(f"### (b) {run['chats']:,} active chats, each party writing every 2 s ({plan['seconds']:g} s "
                        f"timed after {plan['warmup']:g} s, {plan['capacity']} chats per advisor)", run, ACTIVE)
    if "burst" in scenarios:
        burst = scenarios["burst"]
        out += _section(f"### (c) Burst: {plan['burst']:,} visitors within {plan['burst_s']:g} s, "
                        f"{plan['burst_advisors']} advisors of capacity {plan['burst_capacity']}",
                        burst.get("burst", burst), BURST)
        out += _section(f"### (c) {plan['at_once']:,} chats starting at once, room for all",
                        burst.get("at_once", burst), AT_ONCE)
    clusters = scenarios.get("cluster", [])
    clusters = clusters if isinstance(clusters, list) else [{"processes": "?", "chats": max(plan["chats"]), **clusters}]
    relay = next((run.get("relay") for run in clusters if run.get("relay")), None)
    for run in clusters:
        processes = f"{run['processes']} process" + ("" if run["processes"] == 1 else "es")
        out += _section(f"### (d) {run['chats']:,} active chats on PostgreSQL + Redis, {processes}",
                        run, ACTIVE, relay, name=f"Neuvo ×{run['processes']}")
    return "\n".join(out) + "\n"


def chart(results: dict[str, Any]) -> str:
    return svg_chart.svg(results)


def update_docs(results: dict[str, Any], docs: Path) -> None:
    """Rewrite the generated section of docs/benchmarks.md (added after the title the first time)
    and the chart beside it."""
    path = docs / "benchmarks.md"
    text = path.read_text()
    section = f"{BEGIN}\n{markdown(results, chart=DOC_CHART)}{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, text, count=1, flags=re.S)
    else:
        title, _, rest = text.partition("\n")
        text = f"{title}\n\n{section}\n{rest}"
    path.write_text(text)
    (docs / DOC_CHART).write_text(chart(results))
