"""Every coordinator page and API refuses an advisor (403) and sends nobody signed in to sign in."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from chat.web.pages import coordinator
from tests.chat.coordinator_fixtures import client_of, coordinating

# Paths outside /coordinator that have their own access rule (the calendar feed's token).
NOT_COORDINATOR_ONLY = ("/calendar/",)


def coordinator_endpoints() -> list[tuple[str, str]]:
    endpoints = []
    for route in coordinator.routes:
        assert isinstance(route, Route)
        if route.path.startswith(NOT_COORDINATOR_ONLY):
            continue
        path = re.sub(r"\{[^}:]+(:int)?\}", lambda m: "1" if m.group(1) else "anna", route.path)
        endpoints.extend((method, path) for method in sorted(route.methods or ()) if method != "HEAD")
    return endpoints


async def test_an_advisor_gets_403_on_every_coordinator_page_and_api(tmp_path: Path) -> None:
    endpoints = coordinator_endpoints()
    assert len(endpoints) >= 3
    async with coordinating(tmp_path) as (service, _), client_of(service, "anna") as advisor:
        for method, path in endpoints:
            response = await advisor.request(method, path, data={"csrf": "x"} if method == "POST" else None)
            assert response.status_code == 403, (method, path, response.status_code)
        async with await service.http() as nobody:
            for method, path in endpoints:
                response = await nobody.request(method, path)
                assert response.status_code in (303, 403), (method, path)
                if method == "GET":
                    assert response.headers["location"].startswith("/sign-in"), path
