"""A deadline for each HTTP request's headers (NEUVO_HEADER_TIMEOUT_S): a client that sends its
headers a byte at a time is cut off, on a fresh connection and on a kept-alive one; a socket
whose upgrade is in keeps going past it."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import urlsplit

from tests.service import Service, running, send, until

HEADERS = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"


async def _trickle(writer: asyncio.StreamWriter, data: bytes) -> None:
    """The slow client: a byte every 50 ms, as long as the server listens."""
    with contextlib.suppress(ConnectionError):
        for byte in data:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.05)


async def _cut_off(service: Service, *, first: bytes = b"") -> tuple[bytes, bool]:
    """What a slow client hears after sending `first` whole: the answer to it, and whether its
    slow request that followed was cut off before its headers were all sent."""
    address = urlsplit(service.base)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    answered = b""
    if first:
        writer.write(first)
        answered = await reader.readuntil(b'"ok"}') if b"healthz" in first else b""
    trickling = asyncio.create_task(_trickle(writer, HEADERS))
    rest = await asyncio.wait_for(reader.read(), 10)  # the server closes: end of stream
    cut = not trickling.done()
    trickling.cancel()
    writer.close()
    return answered + rest, cut


async def test_a_request_whose_headers_come_too_slowly_is_cut_off(tmp_path: Path) -> None:
    async with running(tmp_path, header_timeout_s=0.5) as service:
        heard, cut = await _cut_off(service)
    assert cut and heard == b""  # closed before the headers were all in, nothing answered


async def test_each_request_on_a_kept_alive_connection_has_its_own_deadline(tmp_path: Path) -> None:
    async with running(tmp_path, header_timeout_s=0.5) as service:
        heard, cut = await _cut_off(service, first=b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert heard.startswith(b"HTTP/1.1 200") and cut


async def test_a_socket_once_upgraded_outlives_the_header_deadline(tmp_path: Path) -> None:
    async with running(tmp_path, header_timeout_s=0.5) as service:
        visitor = await service.visitor()  # opened beside the slow client, so at the same time
        _, cut = await _cut_off(service)
        await send(visitor, {"type": "ping"})
        assert cut and (await until(visitor, "pong"))["type"] == "pong"
