"""A deadline for each HTTP request's headers, which uvicorn does not have.

A client that opens a connection and sends its request line and headers a byte at a time (a
"slowloris") would otherwise hold the connection as long as it likes: uvicorn's keep-alive
timer restarts on every byte. This protocol gives every request, the first on a connection and
each after a keep-alive response, NEUVO_HEADER_TIMEOUT_S from the moment the connection could
send it until its headers are complete; then the connection is closed. Once a request's headers
are in (a WebSocket upgrade too), the deadline is off: bodies have their own limit
(chat.web.bodylimit) and sockets their own deadlines.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class _HeaderDeadline(H11Protocol):
    header_timeout_s: float = 10.0
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this connection gets a deadline of its own

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def header_deadline_protocol(header_timeout_s: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with this deadline for request headers (uvicorn's `http=`)."""
    return type("HeaderDeadline", (_HeaderDeadline,), {"header_timeout_s": header_timeout_s})
