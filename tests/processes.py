"""Real `neuvo serve` processes for tests: started with the environment given, on a free loopback
port, and reached with real HTTP and WebSocket clients; killed with SIGKILL like a crash."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.service import receive


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "chat", "serve", "--port", str(self.port)],
                env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            )

    async def ready(self) -> None:
        async with httpx.AsyncClient(base_url=self.base) as client:
            for _ in range(600):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                assert self.process.poll() is None, self.log.read_text()
                await asyncio.sleep(0.05)  # a process coming up announces it to nobody
        raise AssertionError(f"server did not become healthy:\n{self.log.read_text()}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    async def visitor(self) -> ClientConnection:
        return await connect(f"ws://127.0.0.1:{self.port}/ws/visitor", origin=self.base)  # type: ignore[arg-type]

    async def advisor(self, username: str, password: str) -> tuple[ClientConnection, dict[str, Any]]:
        async with httpx.AsyncClient(base_url=self.base) as client:
            response = await client.post("/api/session", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        cookie = f"neuvo_session={response.cookies['neuvo_session']}"
        ws = await connect(f"ws://127.0.0.1:{self.port}/ws/advisor", origin=self.base,  # type: ignore[arg-type]
                           additional_headers={"Cookie": cookie})
        return ws, await receive(ws)
