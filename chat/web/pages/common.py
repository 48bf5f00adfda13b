"""What every page shares: templates, the signed-in user and their role, CSRF tokens, texts.

Pages work before JavaScript: every action is a form posted with a CSRF token that is an HMAC
of the session, so it needs no storage and dies with the session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from chat.web import auth, i18n
from chat.web.api import problem
from chat.web.context import is_secure, sessions_of, tz_of
from storage.reports import LESS_THAN, too_few
from storage.tables import User

TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
        autoescape=select_autoescape(default=True),
    )
)


def clock_span(start: datetime, end: datetime) -> str:
    """A shift's local times as people write them: "09:00–16:00"; an end at the next midnight is
    24:00 (a whole day is 00:00–24:00), and an end on a later day says how many days on
    ("20:00–02:00 (+1)")."""
    days = (end.date() - start.date()).days
    end_text = end.strftime("%H:%M")
    if end.time() == time(0) and days >= 1:
        end_text, days = "24:00", days - 1
    return f"{start:%H:%M}–{end_text}" + (f" (+{days})" if days else "")


TEMPLATES.env.filters["clock_span"] = lambda span: clock_span(*span)
TEMPLATES.env.filters["time_span"] = pass_context(lambda context, span: context["t"].time_span(*span))
TEMPLATES.env.filters["weekday_time_span"] = pass_context(lambda context, span: context["t"].weekday_time_span(*span))


def _formatting(name: str) -> Any:
    """A template filter that formats with the page's `Translator` method `name` (Babel, in the
    page's language and the service's time zone): `{{ day|date }}`, `{{ share|percent }}`."""
    @pass_context
    def formatted(context: Context, value: Any, *args: Any) -> str:
        text: str = getattr(context["t"], name)(value, *args)
        return text
    return formatted


# A count of chats with the "<3" rule: 1 or 2 written "<3" (storage.reports), others as numbers.
TEMPLATES.env.filters["counted"] = pass_context(
    lambda context, count: LESS_THAN if too_few(count) else context["t"].number(count))
TEMPLATES.env.tests["too_few"] = too_few

for _name in ("number", "percent", "date", "day_month", "datetime", "time", "day_month_time", "weekday_date",
              "weekday", "month", "date_range"):
    TEMPLATES.env.filters[_name] = _formatting(_name)


def language_href(request: Request, language: str) -> str:
    """The page itself in another language: its query (week, period) kept, `lang` replaced."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", language)]
    return "?" + urlencode(query)


class SignInRequired(Exception):
    """A page needs a signed-in user; the app answers with a redirect to the sign-in page."""


async def signed_in(request: Request, *roles: str) -> User:
    """The signed-in user, who must have one of the roles (403 otherwise)."""
    user = await sessions_of(request).user_of(request.cookies)
    if user is None:
        raise SignInRequired
    if roles and user.role not in roles:
        raise HTTPException(403, "your role does not allow this page")
    return user


PRESESSION = "neuvo_presession"


def _csrf_subject(request: Request) -> str:
    """The session token, or before sign-in a random pre-session cookie (so that the sign-in
    form itself cannot be posted from another site)."""
    subject = request.cookies.get(auth.COOKIE) or request.cookies.get(PRESESSION)
    if subject is None:
        subject = getattr(request.state, "presession", None) or secrets.token_urlsafe(24)
        request.state.presession = subject
    return subject


def csrf_token(request: Request) -> str:
    key: str = request.app.state.secret_key
    return hmac.new(key.encode(), f"csrf:{_csrf_subject(request)}".encode(), hashlib.sha256).hexdigest()


async def checked_form(request: Request) -> FormData:
    """The posted form, after its CSRF token is checked (403 when wrong or missing)."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "the form expired or did not come from this site; reload the page")
    return form


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> Response:
    language = i18n.request_language(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"t": i18n.Translator(language, tz=tz_of(request)), "lang": language, "csrf": csrf_token(request),
         "language_href": lambda code: language_href(request, code), **context},
        status_code=status,
    )
    presession = getattr(request.state, "presession", None)
    if presession is not None:
        response.set_cookie(PRESESSION, presession, httponly=True, samesite="lax", secure=is_secure(request))
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, language, max_age=365 * 24 * 3600, samesite="lax")
    return response


def redirect(url: str) -> Response:
    # 303: the browser follows with GET, so a reload does not post the form again.
    return RedirectResponse(url, status_code=303)


async def sign_in_redirect(request: Request, exc: Exception) -> Response:
    """A page sends the browser to sign in; the console's JSON (/api/...) answers 401, which its
    script can read, where a redirect would hand it the sign-in page as if it were the data."""
    if request.url.path.startswith("/api/"):
        return problem(401, "sign_in_required", "sign in first; the session has ended or there is none")
    return redirect(f"/sign-in?next={request.url.path}")
