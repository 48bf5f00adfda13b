"""Connections per client address: an address may hold at most NEUVO_CONNECTIONS_PER_ADDRESS
requests in progress and sockets open at once in this process; past that an HTTP request gets
429 with Retry-After and a socket handshake is closed before it is accepted. Pure ASGI, so it
covers WebSocket scopes too (BaseHTTPMiddleware would not). Counted in memory only; an address
is forgotten as soon as it holds nothing.

A client that sends its request headers slowly is the front proxy's to cut off (nginx
`client_header_timeout`); the process caps its connections in total with uvicorn's
`limit_concurrency` (NEUVO_MAX_CONNECTIONS), answering 503 beyond it.
"""

from __future__ import annotations

import json
from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

RETRY_AFTER_S = b"5"


class ConnectionsPerAddress:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.held: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        if self.held[address] >= self.limit:
            await _refuse(scope, receive, send)
            return
        self.held[address] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.held[address] -= 1
            if self.held[address] <= 0:
                del self.held[address]


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1013})  # before accept: the handshake fails
        return
    body = json.dumps({"code": "too_many_connections",
                       "message": "too many connections from this address; try again in a moment"}).encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", RETRY_AFTER_S)]})
    await send({"type": "http.response.body", "body": body})
