"""The sign-in page and signing out, for advisors and coordinators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.base.ratelimit import CountingUnavailable
from chat.web import auth
from chat.web.api import address_of, is_secure
from chat.web.context import sessions_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect, render
from chat.web.signout import end_session

HOME_OF_ROLE = {"advisor": "/console", "coordinator": "/coordinator"}


def _safe_next(value: object) -> str | None:
    """Only a path on this site: never an open redirect."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value
    return None


async def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html", {"next": _safe_next(request.query_params.get("next")), "errors": {}})


async def sign_in(request: Request) -> Response:
    form = await checked_form(request)
    t = Translator(request_language(request))
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    next_path = _safe_next(form.get("next"))
    errors: dict[str, str] = {}
    status = 400
    if not username:
        errors["username"] = t("sign_in.error.username_missing")
    if not password:
        errors["password"] = t("sign_in.error.password_missing")
    if not errors:
        sessions = sessions_of(request)
        try:
            signed_in = await sessions.attempt(username=username, password=password, address=address_of(request))
        except auth.Throttled:
            errors["username"] = t("sign_in.error.throttled")
            status = 429
        except CountingUnavailable:
            errors["username"] = t("sign_in.error.unavailable")
            status = 503
        else:
            if signed_in is not None:
                user, token = signed_in
                response = redirect(next_path or HOME_OF_ROLE.get(user.role, "/console"))
                sessions.set_cookie(response, token, secure=is_secure(request))
                return response
            errors["username"] = t("sign_in.error.wrong")
    context = {"next": next_path, "errors": errors, "username": username}
    return render(request, "sign_in.html", context, status=status)


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    token = request.cookies.get(auth.COOKIE)
    if token:
        await end_session(request, token)
    response = redirect("/sign-in")
    response.delete_cookie(auth.COOKIE)
    return response


routes = [
    Route("/sign-in", sign_in_page, methods=["GET"]),
    Route("/sign-in", sign_in, methods=["POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
