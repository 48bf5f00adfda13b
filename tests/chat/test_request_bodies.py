"""Every HTTP request body is limited while it is read, before anything parses it (413), and
JSON of any shape or depth gets a clear 4xx, never a 500 (issue 14, rows 3 and 10)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.service import FRAME_TIMEOUT, Service, running

JSON_POSTS = ("/api/offline-messages", "/api/session")


@pytest.mark.parametrize("path", JSON_POSTS)
async def test_a_json_body_over_the_limit_is_413_before_it_is_parsed(service: Service, path: str) -> None:
    body = b'{"text": "' + b"x" * (service.settings.max_body_bytes + 1) + b'"}'
    async with await service.http() as client:
        response = await client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and isinstance(response.json()["message"], str)


@pytest.mark.parametrize("path", JSON_POSTS)
async def test_a_chunked_body_without_a_length_is_answered_413_before_it_ends(service: Service, path: str) -> None:
    """Chunks past the limit, and the body never finished: the server answers all the same, so
    it held no more than the limit."""
    port = int(service.base.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n".encode())
    chunk = b"x" * 16384
    for _ in range(service.settings.max_body_bytes // len(chunk) + 2):
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(4096), FRAME_TIMEOUT)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:100]
    assert b'"code": "too_large"' in answer


async def test_the_body_limit_is_a_setting(tmp_path: Path) -> None:
    async with running(tmp_path, max_body_bytes=100) as service, await service.http() as client:
        body = {"topic": "work", "language": "fi", "text": "x" * 200}
        assert (await client.post("/api/offline-messages", json=body)).status_code == 413
        body["text"] = "hei"
        assert (await client.post("/api/offline-messages", json=body)).status_code == 201


async def test_a_page_form_over_the_limit_is_413(service: Service) -> None:
    async with await service.http() as client:
        response = await client.post("/sign-in", data={"username": "anna", "password": "x" * 70_000})
    assert response.status_code == 413


@pytest.mark.parametrize("path", JSON_POSTS)
@pytest.mark.parametrize("depth", [40, 8000, 60_000])
async def test_deeply_nested_json_is_bad_json_without_a_traceback(
    service: Service, path: str, depth: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = "[" * depth + "]" * depth
    async with await service.http() as client:
        response = await client.post(path, content=body.encode(), headers={"content-type": "application/json"})
        assert response.status_code in (413, 422), response.text
        if len(body) <= service.settings.max_body_bytes:
            assert response.status_code == 422 and response.json()["code"] == "bad_json"
        assert (await client.get("/healthz")).status_code == 200
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]


async def test_nesting_inside_strings_does_not_count_as_depth(service: Service) -> None:
    text = '"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["'
    async with await service.http() as client:
        response = await client.post("/api/offline-messages", content=(
            '{"topic": "work", "language": "fi", "text": ' + text + "}").encode(),
            headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text


async def test_a_body_that_is_not_utf8_is_bad_json(service: Service) -> None:
    async with await service.http() as client:
        response = await client.post("/api/session", content=b'{"username": "\xff\xfe"}',
                                     headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "bad_json"


async def test_the_roster_upload_has_its_own_larger_limit(service: Service) -> None:
    files = {"file": ("roster.csv", b"username,date,start,end\r\n" + b"anna,2026-11-25,09:00,12:00\r\n" * 4000)}
    async with await service.http() as client:
        response = await client.post("/coordinator/roster/import", files=files, data={"csrf": "x"})
        assert response.status_code != 413  # 100 KiB: over the JSON limit, under the upload's
        files["file"] = ("roster.csv", b"x" * (service.settings.max_upload_bytes + 1))
        response = await client.post("/coordinator/roster/import", files=files, data={"csrf": "x"})
        assert response.status_code == 413
