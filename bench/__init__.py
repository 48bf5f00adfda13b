"""The load benchmark: `python -m bench` starts the service and a bare relay, drives both from
separate client processes speaking PROTOCOL.md, and writes the figures (JSON, Markdown, an SVG
chart), each beside the relay's as its baseline.

    __main__   the command: options, the order of the runs, the output files
    plan       how big each scenario is (scaled, or set one by one)
    targets    what is measured: Neuvo (SQLite, or PostgreSQL + Redis on several processes)
               and the bare relay, each started fresh for every run
    seed       organisations, advisors, hours and roster written straight through storage
    relay      the bare relay: uvicorn + Starlette WebSockets, lines paired and relayed
    pool       the parent's side of the client processes; worker: their side
    parties    a visitor and an advisor as clients of the wire protocol
    book       what a client process sent, received and was acked, for latency and loss
    scenarios  waiting, active, burst (and at once); cluster is active on several processes
    report     JSON, Markdown and the generated section of docs/benchmarks.md; chart: the SVG
    stats, procfs, progress   percentiles, /proc readings, the progress line

bench/routing_bench.py times the pure routing core on its own and stays a separate script;
bench/socket_memory.py (`python -m bench.socket_memory`) attributes an open socket's memory on
the bare relay to the libraries of the stack.
"""
