"""A running service with a coordinator, and an HTTP client signed in as them (or as an advisor)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from chat.live.commands import Reconfigure
from storage import people
from storage.tables import User
from tests.service import PASSWORD_HASH, Service, running

COORDINATOR = "cora"


async def add_coordinator(service: Service) -> None:
    async with service.db.transaction() as session:
        kotka = await people.organisation_by_slug(session, slug="kotka")
        assert kotka is not None and kotka.id is not None
        await people.add_user(session, user=User(
            username=COORDINATOR, name="Cora Coordinator", organisation_id=kotka.id, role="coordinator",
            password_hash=PASSWORD_HASH, languages="fi,sv,en",
        ))
    await service.live.run(Reconfigure())


@asynccontextmanager
async def client_of(service: Service, username: str) -> AsyncIterator[httpx.AsyncClient]:
    cookie = await service.session_cookie(username)
    name, value = cookie.split("=", 1)
    async with httpx.AsyncClient(base_url=service.base, cookies={name: value}, params={"lang": "en"}) as client:
        yield client


@asynccontextmanager
async def coordinating(tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    async with running(tmp_path, **overrides) as service:
        await add_coordinator(service)
        async with client_of(service, COORDINATOR) as client:
            yield service, client


async def csrf_of(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def set_password_as_coordinator(client: httpx.AsyncClient, username: str, password: str) -> None:
    csrf = await csrf_of(client, f"/coordinator/people/users/{username}")
    done = await client.post(f"/coordinator/people/users/{username}/password",
                             data={"csrf": csrf, "password": password})
    assert done.status_code == 303


async def choose_own(service: Service, username: str, one_time: str, chosen: str) -> httpx.Response:
    """The holder's way in: sign in with the one-time password, then choose their own."""
    async with httpx.AsyncClient(base_url=service.base, params={"lang": "en"}) as browser:
        csrf = await csrf_of(browser, "/sign-in")
        page = await browser.post("/sign-in", data={"csrf": csrf, "username": username, "password": one_time})
        assert page.status_code == 200 and 'action="/sign-in/password"' in page.text, page.status_code
        assert "neuvo_session" not in browser.cookies
        return await browser.post("/sign-in/password", data={
            "csrf": csrf, "username": username, "current": one_time, "password": chosen, "again": chosen})


def rows_of(text: str) -> list[list[str]]:
    """A CSV download's rows: it starts with a byte order mark, and Finnish and Swedish pages'
    files are split by `;` (the decimal sign being a comma), English ones by `,`."""
    assert text.startswith("\ufeff"), "a BOM, so that a spreadsheet reads UTF-8"
    body = text.removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(body), delimiter=";" if ";" in body.split("\r\n")[0] else ","))
