"""The sign-in page and signing out, for advisors and coordinators (who are asked first while they
hold chats); and choosing one's own password in place of a one-time one that someone else set (it
opens no session by itself)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import people as admin_people
from chat.admin.errors import Refused
from chat.admin.people import MIN_PASSWORD
from chat.base.ratelimit import CountingUnavailable
from chat.web import auth
from chat.web.context import admin_of, db_of, is_secure, sessions_of, settings_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.known_browsers import remember_browser, sign_in_attempt
from chat.web.pages.common import checked_form, redirect, render
from chat.web.pages.labels import chat_labels
from chat.web.signout import end_session
from storage import chats

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
            signed_in = await sessions.attempt(sign_in_attempt(request, username, password))
        except auth.Throttled:
            errors["username"] = t("sign_in.error.throttled")
            status = 429
        except CountingUnavailable:
            errors["username"] = t("sign_in.error.unavailable")
            status = 503
        except auth.PasswordChangeRequired:
            return render(request, "sign_in_choose.html", {"next": next_path, "errors": {}, "username": username})
        else:
            if signed_in is not None:
                user, token = signed_in
                response = redirect(next_path or HOME_OF_ROLE.get(user.role, "/console"))
                sessions.set_cookie(response, token, secure=is_secure(request))
                remember_browser(response, request, user.username)
                return response
            errors["username"] = t("sign_in.error.wrong")
    context = {"next": next_path, "errors": errors, "username": username}
    response = render(request, "sign_in.html", context, status=status)
    if status == 429:
        response.headers["retry-after"] = str(auth.THROTTLE_WINDOW_S)
    return response


# The text for each code of chat.admin.people.choose_password's problems.
CHOOSE_KEYS = {"password": "sign_in.error.password_short", "password_same": "sign_in.error.password_same",
               "password_again": "sign_in.error.password_again"}


async def choose_password(request: Request) -> Response:
    """The holder of a one-time password (or any user who knows their password) chooses their
    own, and is signed in with it."""
    form = await checked_form(request)
    t = Translator(request_language(request))
    username, current = str(form.get("username", "")).strip(), str(form.get("current", ""))
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    next_path = _safe_next(form.get("next"))
    sessions = sessions_of(request)
    errors: dict[str, str] = {}
    status = 400
    user = None
    try:
        user = await sessions.verify(sign_in_attempt(request, username, current))
    except auth.Throttled:
        errors["current"], status = t("sign_in.error.throttled"), 429
    except CountingUnavailable:
        errors["current"], status = t("sign_in.error.unavailable"), 503
    if user is None and not errors:
        errors["current"] = t("sign_in.error.current_wrong")
    if user is not None:
        try:
            user = await admin_people.choose_password(admin_of(request), username=user.username, current=current,
                                                      password=password, again=again)
        except Refused as refused:
            for problem in refused.problems:
                errors.setdefault(problem.field, t(CHOOSE_KEYS[problem.code], count=MIN_PASSWORD))
        else:
            response = redirect(next_path or HOME_OF_ROLE.get(user.role, "/console"))
            sessions.set_cookie(response, await sessions.open_session(user), secure=is_secure(request))
            remember_browser(response, request, user.username)
            return response
    context = {"next": next_path, "errors": errors, "username": username}
    return render(request, "sign_in_choose.html", context, status=status)


async def _unfinished(request: Request) -> Response | None:
    """The page that asks first when the user signs out holding chats (it works without
    JavaScript): the chats, what becomes of them, and "sign out anyway"."""
    user = await sessions_of(request).user_of(request.cookies)
    if user is None:
        return None
    async with db_of(request).transaction() as session:
        holding = await chats.chats_in_progress_of(session, user_id=user.id or 0)
    if not holding:
        return None
    tz = tz_of(request)
    return render(request, "sign_out_confirm.html", {
        "user": user, "chats": [(chat, chat.arrived_at.astimezone(tz)) for chat in holding],
        "labels": await chat_labels(request), "grace_s": round(settings_of(request).advisor_grace_s),
    })


async def sign_out(request: Request) -> Response:
    form = await checked_form(request)
    if form.get("anyway") != "yes" and (ask := await _unfinished(request)) is not None:
        return ask
    token = request.cookies.get(auth.COOKIE)
    if token:
        await end_session(request, token)
    response = redirect("/sign-in")
    response.delete_cookie(auth.COOKIE)
    return response


routes = [
    Route("/sign-in", sign_in_page, methods=["GET"]),
    Route("/sign-in", sign_in, methods=["POST"]),
    Route("/sign-in/password", choose_password, methods=["POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
