"""A size limit on every request body, enforced while the body is read and before anything
parses it, as pure ASGI middleware (WebSocket scopes pass untouched: uvicorn's `ws_max_size`
limits their frames).

The body is read here, up to the limit, and handed on whole; one over the limit is answered 413
`too_large` at once (a declared Content-Length over it without reading a byte), so a client can
make the server hold at most the limit, never the body it sends. The roster's CSV upload has its
own, larger limit (NEUVO_MAX_UPLOAD_BYTES); everything else has NEUVO_MAX_BODY_BYTES."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chat.base.settings import Settings

UPLOAD_PATHS = ("/coordinator/roster/import",)


class BodyLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limit = settings.max_body_bytes
        self.upload_limit = settings.max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in UPLOAD_PATHS else self.limit
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away mid-body: nobody to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here as one message, then whatever the server says next (a disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"code": "too_large", "message": f"the request body is over its limit of {limit} bytes"})
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body.encode()})
