"""Where an open socket's memory goes: N visitor sockets opened to the bare relay (uvicorn with
the options `neuvo serve` uses, Starlette, websockets) or to Neuvo itself (`--target neuvo`, on a
new SQLite file), served in this process, from a client process of their own, and the Python
allocations they added, grouped by the library whose code made them (tracemalloc), beside the
RSS growth. The sockets are open, not started: what the stack and the socket's own state hold.

The bare relay holds a socket and nothing else, so what it shows is the floor under Neuvo's
figure: docs/benchmarks.md, "Reading this run".

Run: python -m bench.socket_memory [--sockets 500] [--target relay|neuvo]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import uvicorn

from bench.procfs import rss_kib
from bench.relay import create_app as create_relay
from chat.app import create_app as create_neuvo
from chat.base.settings import Settings
from chat.ops.serving import uvicorn_options
from tests.processes import free_port

# A client process that opens N sockets, says "open", and holds them until its stdin closes.
_CLIENT = """
import asyncio, sys, websockets
async def main(url, n, origin):
    sockets = [await websockets.connect(url, compression=None, origin=origin) for _ in range(n)]
    print("open", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
"""
LIBRARIES = ("uvicorn", "websockets", "starlette", "h11", "asyncio", "bench", "chat", "storage")
TARGETS = ("relay", "neuvo")


def _library(filename: str) -> str:
    """The library a source file belongs to (the first of LIBRARIES in its path), else "other"."""
    parts = filename.replace(os.sep, "/").split("/")
    return next((name for name in LIBRARIES if name in parts), "other")


async def _opened(port: int, sockets: int) -> asyncio.subprocess.Process:
    client = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CLIENT, f"ws://127.0.0.1:{port}/ws/visitor", str(sockets), f"http://127.0.0.1:{port}",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert client.stdout is not None
    assert await client.stdout.readline() == b"open\n"
    await asyncio.sleep(0.5)  # the last handshakes' tasks settle (a reading, not a synchronisation)
    return client


async def _closed(client: asyncio.subprocess.Process) -> None:
    assert client.stdin is not None
    client.stdin.close()
    await client.wait()


def _app(target: str, folder: Path) -> tuple[Any, Settings]:
    """The app to hold the sockets, and the settings it is served with."""
    if target == "relay":
        return create_relay(3), Settings()
    # One client process opens every socket: no per-address limit.
    settings = Settings.from_env({}, database_url=f"sqlite:///{folder / 'neuvo.db'}", connections_per_address=0)
    return create_neuvo(settings), settings


async def measure(sockets: int, target: str = "relay") -> dict[str, Any]:
    """The RSS growth per socket (tracemalloc off), then the Python allocations per socket by
    library (tracemalloc on, a second set of sockets)."""
    with tempfile.TemporaryDirectory() as folder:
        return await _measure(sockets, *_app(target, Path(folder)))


async def _measure(sockets: int, app: Any, settings: Settings) -> dict[str, Any]:
    port = free_port()
    options = {**uvicorn_options(settings), "limit_concurrency": None}
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    config.load()
    server = uvicorn.Server(config)
    server.lifespan = config.lifespan_class(config)
    await server.startup()  # listening from here on; what `serve` does, less its main loop
    await _closed(await _opened(port, 50))  # first use: imports, caches, the allocator's arenas

    gc.collect()
    before = rss_kib(os.getpid())
    client = await _opened(port, sockets)
    rss_per_socket = (rss_kib(os.getpid()) - before) / sockets
    await _closed(client)

    gc.collect()
    tracemalloc.start(1)
    start = tracemalloc.take_snapshot()
    client = await _opened(port, sockets)
    gc.collect()
    grown = tracemalloc.take_snapshot().compare_to(start, "filename")
    tracemalloc.stop()
    await _closed(client)
    await server.shutdown()

    by_library: Counter[str] = Counter()
    for stat in grown:
        by_library[_library(stat.traceback[0].filename)] += stat.size_diff
    return {
        "sockets": sockets,
        "rss_kib_per_socket": round(rss_per_socket, 1),
        "python_kib_per_socket": round(sum(by_library.values()) / sockets / 1024, 1),
        "by_library_kib": {name: round(size / sockets / 1024, 2) for name, size in by_library.most_common()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Per-socket memory of the bare relay's stack, or of Neuvo.")
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--target", choices=TARGETS, default="relay")
    args = parser.parse_args()
    found = asyncio.run(measure(args.sockets, args.target))
    held_by = "the bare relay" if args.target == "relay" else "Neuvo"
    print(f"{found['sockets']} sockets open to {held_by}: RSS {found['rss_kib_per_socket']} KiB a socket; "
          f"Python allocations {found['python_kib_per_socket']} KiB a socket:")
    for name, kib in found["by_library_kib"].items():
        print(f"  {name:<11} {kib:6.2f} KiB")


if __name__ == "__main__":
    main()
