"""Issue 14.5: every page Neuvo serves answers with its security headers. A Content-Security-Policy
without inline script (and without inline style), framing refused everywhere but the widget's
frame document, which only the widget origins and the server itself may frame; nosniff, the
referrer policy, HSTS when the public address is https, and a Secure pre-session cookie under TLS."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from starlette.routing import Route

from chat.app import create_app
from tests.chat.coordinator_fixtures import client_of, coordinating
from tests.service import WIDGET_ORIGIN, Service, running

FRAME = "/widget/frame.html"
TEMPLATES = Path(__file__).resolve().parents[2] / "chat" / "web" / "templates"


def get_pages(service: Service) -> list[str]:
    """Every GET route of the app without path parameters, plus the files a browser loads."""
    routes = create_app(service.settings).routes
    paths = [route.path for route in routes
             if isinstance(route, Route) and "GET" in (route.methods or ()) and "{" not in route.path]
    return [*paths, FRAME, "/widget/launcher.js", "/widget/i18n/en.json", "/static/console.js", "/nowhere"]


def policy(response: httpx.Response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    return {name: value for name, value in directives}


async def test_every_page_and_the_frame_answer_with_the_security_headers(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, coordinator):
        paths = get_pages(service)
        assert {"/", "/sign-in", "/console", "/coordinator", "/widget.js"} <= set(paths), paths
        async with client_of(service, "anna") as advisor:
            for path in paths:
                client = advisor if path.startswith("/console") else coordinator
                response = await client.get(path, headers={"accept": "text/html"})
                assert response.status_code < 500, path
                csp = policy(response)
                assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'", (path, csp)
                assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'", (path, csp)
                assert "unsafe-inline" not in response.headers["content-security-policy"], path
                assert response.headers["x-content-type-options"] == "nosniff", path
                assert response.headers["referrer-policy"] == "same-origin", path
                assert "strict-transport-security" not in response.headers, path  # plain http here
                if path == FRAME:
                    assert csp["frame-ancestors"].split() == ["'self'", WIDGET_ORIGIN], csp
                    assert "x-frame-options" not in response.headers
                else:
                    assert csp["frame-ancestors"] == "'none'", (path, csp)
                    assert response.headers["x-frame-options"] == "DENY", path


async def test_the_frame_may_be_framed_by_the_origins_a_coordinator_added_too(tmp_path: Path) -> None:
    async with coordinating(tmp_path, widget_origins=(WIDGET_ORIGIN, "https://b.example")) as (_, client):
        response = await client.get(FRAME)
    assert policy(response)["frame-ancestors"].split() == ["'self'", "https://b.example", WIDGET_ORIGIN]


async def test_over_tls_hsts_is_sent_and_the_pre_session_cookie_is_secure(tmp_path: Path) -> None:
    async with running(tmp_path, public_url="https://chat.example") as service, await service.http() as client:
        response = await client.get("/sign-in")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    presession = [value for name, value in response.headers.multi_items()
                  if name == "set-cookie" and value.startswith("neuvo_presession=")]
    assert presession and "secure" in presession[0].lower(), presession
    assert "wss://chat.example" in policy(response)["connect-src"].split()


def test_no_template_has_inline_script_style_or_handlers() -> None:
    """CSP would refuse them; a data block (<script type="application/json">) is allowed."""
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text("utf-8")
        scripts = re.findall(r"<script\b([^>]*)>", text)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), template
        assert "<style" not in text and not re.search(r"\sstyle=|\son[a-z]+=", text), template

