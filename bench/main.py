"""`python -m bench`: the options, the order of the runs and the files they leave."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import procfs, report, steps
from bench.harness import Harness
from bench.plan import SCENARIOS, Plan
from bench.pool import Pool
from bench.progress import Progress
from bench.scenarios.all import SCENARIOS as MODULES
from bench.targets import Backend

RUNS: dict[str, Callable[[Harness], Awaitable[Any]]] = {name: module.run for name, module in MODULES.items()}
ROOT = Path(__file__).resolve().parent.parent


def _numbers(kind: type) -> Callable[[str], tuple[Any, ...]]:
    return lambda text: tuple(kind(part) for part in text.split(",") if part)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__ and __doc__.splitlines()[0])
    p.add_argument("--scenarios", type=lambda t: tuple(t.split(",")), default=SCENARIOS,
                   help=f"which to run, comma-separated (default all: {','.join(SCENARIOS)})")
    p.add_argument("--scale", type=float, default=1.0, help="every count and time × this (0.01: a smoke run)")
    p.add_argument("--out", type=Path, default=Path("bench-results"), help="folder for results.json/.md, latency.svg")
    p.add_argument("--update-docs", action="store_true",
                   help="also rewrite the generated section of docs/benchmarks.md and its chart")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, server logs)")
    p.add_argument("--from-json", type=Path, help="run nothing: write the outputs again from an earlier results.json")
    service = p.add_argument_group("the Neuvo service (default: one process on SQLite in a temporary folder)")
    service.add_argument("--database", help="a PostgreSQL server, postgresql://user:password@host:port without a "
                         "database name: each run creates a database of its own there")
    service.add_argument("--redis", help="redis://host:port/db, a database of its own: each run empties it")
    service.add_argument("--processes", type=int, default=1, help="`neuvo serve` processes (needs --redis)")
    sizes = p.add_argument_group("sizes (default: issue 15's, times --scale)")
    sizes.add_argument("--waiting", type=int, help="(a) waiting visitors (10000)")
    sizes.add_argument("--waiting-at-once", type=int, help="(a) of them opening at once (200)")
    sizes.add_argument("--chats", type=_numbers(int), help="(b) active chats, one run each (250,500,1000)")
    sizes.add_argument("--capacity", type=int, help="(b) chats per advisor (10)")
    sizes.add_argument("--seconds", type=float, help="(b) timed window (30)")
    sizes.add_argument("--warmup", type=float, help="(b) untimed writing first (5)")
    sizes.add_argument("--reconnects", type=float, help="(b) share of visitors that resume once (0.05)")
    sizes.add_argument("--burst", type=int, help="(c) visitors arriving (2000)")
    sizes.add_argument("--burst-s", type=float, help="(c) ... within this many seconds (10)")
    sizes.add_argument("--burst-advisors", type=int, help="(c) advisors (50)")
    sizes.add_argument("--burst-capacity", type=int, help="(c) their capacity (3)")
    sizes.add_argument("--frees", type=int, help="(c) chats each advisor closes while the queue waits (5)")
    sizes.add_argument("--at-once", type=int, help="(c) chats starting at one moment, room for all (1000)")
    sizes.add_argument("--cluster-processes", type=_numbers(int), help="(d) process counts (1,2)")
    sizes.add_argument("--clients", type=int, help="client processes (2)")
    sizes.add_argument("--limit-s", type=float, help="longest wait for the server within a step (180)")
    return p


def _commit() -> str:
    """The code measured: HEAD, marked when the working tree differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


async def run(args: argparse.Namespace, command: str) -> dict[str, Any]:
    plan = Plan.scaled(args.scale).with_options(vars(args))
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario {', '.join(sorted(unknown))}; known: {', '.join(SCENARIOS)}")
    if args.processes > 1 and not (args.database and args.redis):
        raise SystemExit("several processes need --database (PostgreSQL) and --redis")
    backend = Backend(database=args.database, redis=args.redis, processes=args.processes)
    results: dict[str, Any] = {
        "command": command, "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": procfs.loadavg(), "machine": procfs.machine(), "plan": plan.as_json(),
        "service": backend.label, "commit": _commit(), "scenarios": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="neuvo-bench-", dir="/tmp"))
    progress = Progress()
    pool = Pool(plan.clients, preload=[module.__name__ for module in MODULES.values()])
    harness = Harness(plan, pool, progress, workdir, backend, database_pids=[])
    try:
        progress.show(f"starting {plan.clients} client processes")
        await pool.each(steps.ready)
        for name in args.scenarios:
            results["scenarios"][name] = await harness.attempt(name, RUNS[name](harness))
            progress.say(f"{name}: done")
    finally:
        pool.close()
        if args.keep or harness.failures:
            progress.say(f"databases and server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["load_after"] = procfs.loadavg()
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return results


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    results = json.loads(args.from_json.read_text()) if args.from_json else asyncio.run(run(args, command.strip()))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "results.md").write_text(report.markdown(results, chart="latency.svg"))
    (args.out / "latency.svg").write_text(report.chart(results))
    if args.update_docs:
        report.update_docs(results, ROOT / "docs")
    print(f"wrote {args.out}/results.json, results.md and latency.svg"
          + ("; docs/benchmarks.md updated" if args.update_docs else ""))
