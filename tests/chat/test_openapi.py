"""The OpenAPI description at /api/openapi.json (chat/web/openapi.py): valid OpenAPI 3.1, one
operation for every JSON route the app has and none it lacks, with the limits and choices the
validators use. Below those, the answers schemathesis found wrong against it
(tests/chat/test_openapi_schemathesis.py), each pinned by a plain test."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from chat.app import create_app
from chat.base.settings import Settings
from chat.web import api, auth, openapi
from tests.chat.test_access_table import endpoints
from tests.service import PASSWORD, Service, running

# JSON outside /api that the description covers too: what operators and probes call.
ALSO_DESCRIBED = ("/healthz", "/metrics")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


async def _described(service: Service) -> dict[str, Any]:
    async with await service.http() as client:
        response = await client.get(openapi.PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document: dict[str, Any] = response.json()
    return document


def _operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items()
            for method in item if method in HTTP_METHODS}


async def test_the_served_description_is_valid_openapi_3_1(service: Service) -> None:
    document = await _described(service)
    assert document["openapi"].startswith("3.1.")
    validate(document)


async def test_every_json_route_is_described_and_nothing_else(service: Service) -> None:
    """A new /api route without its operation in chat/web/openapi.py fails here."""
    routes = {(method, re.sub(r":\w+}", "}", path)) for method, path in endpoints(create_app(Settings()).routes)
              if path.startswith("/api/") or path in ALSO_DESCRIBED}
    described = _operations(await _described(service))
    assert sorted(routes - described) == [], "routes the description lacks"
    assert sorted(described - routes) == [], "operations the app does not have"


async def test_the_description_takes_its_limits_and_choices_from_the_running_service(tmp_path: Path) -> None:
    async with running(tmp_path, max_message_chars=300) as service, await service.http() as client:
        message = (await _described(service))["components"]["schemas"]["OfflineMessage"]["properties"]
        state = (await client.get("/api/service")).json()
        assert message["topic"]["enum"] == sorted(topic["id"] for topic in state["topics"])
        assert message["language"]["enum"] == state["languages"]
        assert message["text"]["maxLength"] == state["max_length"] == 300
        assert message["contact"]["maxLength"] == api.MAX_CONTACT_CHARS


@pytest.mark.parametrize("field", ["text", "contact"])
async def test_a_described_length_is_the_longest_the_server_takes(service: Service, field: str) -> None:
    longest = (await _described(service))["components"]["schemas"]["OfflineMessage"]["properties"][field]["maxLength"]
    async with await service.http() as client:
        for length, status in ((longest, 201), (longest + 1, 422)):
            body = {"topic": "work", "language": "fi", "text": "hei", field: "x" * length}
            assert (await client.post("/api/offline-messages", json=body)).status_code == status, length


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("GET", "/api/session", {"DELETE", "POST"}),
    ("OPTIONS", "/api/session", {"DELETE", "POST"}),
    ("TRACE", "/api/service", {"GET", "HEAD"}),
    ("GET", "/api/offline-messages", {"POST"}),
])
async def test_a_method_a_route_does_not_take_is_405_naming_the_ones_it_does(
    service: Service, method: str, path: str, allow: set[str]
) -> None:
    """The app's error handler kept Starlette's status but dropped its Allow header, and the two
    /api/session routes each named only their own method."""
    async with await service.http() as client:
        response = await client.request(method, path)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allow
    assert response.json()["code"] == "http_error"


async def test_the_console_json_without_a_session_is_401_not_a_redirect_to_a_page(service: Service) -> None:
    """The console's script reads these with fetch: a redirect handed it the sign-in page."""
    async with await service.http() as client:
        for path in ("/api/console/colleagues", "/api/console/handbook"):
            response = await client.get(path)
            assert response.status_code == 401, path
            assert response.json()["code"] == "sign_in_required"
        assert (await client.get("/console")).status_code == 303  # a page still sends the browser to sign in


@pytest.mark.parametrize("username", ["anna\x00", "\x00", "an\x00na"])
async def test_a_username_no_database_can_look_up_is_wrong_credentials_not_a_500(
    service: Service, username: str
) -> None:
    """PostgreSQL refuses a NUL in a query's text; the suite's PostgreSQL pass caught it."""
    async with await service.http() as client:
        response = await client.post("/api/session", json={"username": username, "password": PASSWORD})
        assert response.status_code == 401
        assert response.json()["code"] == "bad_credentials"
        page = await client.get("/sign-in")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf": csrf.group(1), "username": username, "password": PASSWORD}
        assert (await client.post("/sign-in", data=form)).status_code < 500
        assert (await client.post("/api/session", json={"username": "anna", "password": PASSWORD})).cookies[auth.COOKIE]
