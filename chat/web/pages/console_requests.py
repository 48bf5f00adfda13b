"""The advisor's side of the roster in the duty console: their shifts of the next two weeks, the
gaps ahead with an offer to cover each they could fill, and shift requests — a page per shift to
give it away (to a colleague or to anyone) or to ask to swap it for a colleague's, and the
requests the advisor made or that are asked of them, with the answers they may give.

The changes are chat.admin.shift_requests'. A post answers with the console again, saying what
was done (`?done=`), or why nothing was (`?error=`: a button's post has nothing typed to keep);
the shift page's forms show their errors on the page again, each linked to its field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import shift_requests as requests_admin
from chat.admin.errors import Refused
from chat.admin.shift_requests import DUTY_ROLES
from chat.web.context import admin_of, clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect, render, signed_in
from chat.web.pages.coordinator_base import form_errors, form_text
from chat.web.pages.gaps import ShownGap, gaps_of, shown
from chat.web.pages.request_views import views
from routing.gaps import HORIZON
from routing.shift_requests import RequestEvent, RequestKind
from storage import people, roster, rostering, shift_requests
from storage.tables import ShiftRequest, ShiftRow, User

CONSOLE = "/console"
DONE = ("cover", "swap", "give", "agree", "turn_down", "withdraw", "at_once")
ERRORS = ("gap_gone", "language", "overlap", "offered", "gone", "begun", "requested", "not_yours", "other",
          "advisor", "not_allowed", "decided", "changed", "inactive", "not_agreed")
KEYS = {code: f"requests.error.{code}" for code in ERRORS}
# The answers an advisor gives on the console; a coordinator's are on the coordinator's page.
ADVISOR_ANSWERS = {event.value: event for event in (RequestEvent.AGREE, RequestEvent.TURN_DOWN,
                                                    RequestEvent.WITHDRAW)}


async def roster_context(request: Request, user: User) -> dict[str, Any]:
    """What the duty view shows of the roster: shifts, gaps, requests, and a step's outcome."""
    now, tz = clock_of(request).now(), tz_of(request)
    t = Translator(request_language(request), tz=tz)
    async with db_of(request).transaction() as session:
        shifts = await roster.shifts_of_user(session, user_id=user.id or 0, start=now, end=now + HORIZON)
        rows = await shift_requests.requests(session, statuses=shift_requests.UNDECIDED,
                                             decided_since=now - HORIZON, user_id=user.id or 0)
    query = request.query_params
    done, error = query.get("done"), query.get("error")
    return {
        "shifts": [(shift.id, shift.start.astimezone(tz), shift.end.astimezone(tz), shift.start > now)
                   for shift in shifts],
        "gaps": [(gap, _offer(gap, user, rows)) for gap in shown(await gaps_of(request), t)],
        "requests": await views(request, rows, user),
        "advisor_answers": ADVISOR_ANSWERS,
        "done": t(f"requests.done.{done}") if done in DONE else None,
        "errors": {"requests-title": t(KEYS[error])} if error in KEYS else {},
        "focus": "error-summary" if error in KEYS else None,
    }


def _offer(gap: ShownGap, user: User, rows: Sequence[ShiftRequest]) -> str:
    """"offer" when the user could cover the gap, "offered" when they have, else ""."""
    mine = [r for r in rows if r.kind == RequestKind.COVER and r.requester_id == user.id
            and r.status in shift_requests.UNDECIDED and r.start and r.end
            and r.start < gap.gap.end and r.end > gap.gap.start]
    if mine:
        return "offered"
    return "offer" if gap.gap.nobody or set(gap.gap.languages) & set(user.languages.split(",")) else ""


def _done(what: str) -> Response:
    return redirect(f"{CONSOLE}?done={what}#requests-title")


def _refused(refused: Refused) -> Response:
    code = refused.problems[0].code if refused.problems else ""
    return redirect(f"{CONSOLE}?error={code if code in KEYS else 'not_allowed'}#error-summary")


def _instant(text: str) -> datetime | None:
    """An ISO instant with its offset, as the gap list's forms send it; None otherwise."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


async def offer_cover(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    try:
        await requests_admin.offer_cover(admin_of(request), actor=user.username,
                                         start=_instant(form_text(form, "start")), end=_instant(form_text(form, "end")))
    except Refused as refused:
        return _refused(refused)
    return _done("cover")


async def answer(request: Request) -> Response:
    """The advisor agrees to, turns down or withdraws a request."""
    user = await signed_in(request, *DUTY_ROLES)
    await checked_form(request)
    event = ADVISOR_ANSWERS.get(request.path_params["event"])
    if event is None:
        raise HTTPException(404, "no such answer")
    request_id: int = request.path_params["request_id"]
    admin = admin_of(request)
    try:
        if event is RequestEvent.AGREE:
            stepped, _ = await requests_admin.agree(admin, actor=user.username, request_id=request_id)
            return _done("at_once" if stepped.decided_at else "agree")
        steps: Mapping[RequestEvent, Callable[..., Awaitable[ShiftRequest]]] = {
            RequestEvent.TURN_DOWN: requests_admin.turn_down, RequestEvent.WITHDRAW: requests_admin.withdraw}
        await steps[event](admin, actor=user.username, request_id=request_id)
    except Refused as refused:
        return _refused(refused)
    return _done(event.value)


# -- a shift of the advisor's: give it away, or swap it ------------------------------------------


async def _own_shift(request: Request, user: User) -> ShiftRow:
    async with db_of(request).transaction() as session:
        shift = await rostering.shift_by_id(session, shift_id=request.path_params["shift_id"])
    if shift is None or shift.cancelled_at is not None or shift.user_id != user.id:
        raise HTTPException(404, "no such shift of yours on the roster")
    return shift


async def shift_page(request: Request, *, errors: Mapping[str, str] | None = None,
                     values: Mapping[str, str] | None = None, status: int = 200) -> Response:
    """One of the advisor's shifts: give it away, or ask to swap it for a colleague's."""
    user = await signed_in(request, *DUTY_ROLES)
    shift = await _own_shift(request, user)
    now, tz = clock_of(request).now(), tz_of(request)
    t = Translator(request_language(request), tz=tz)
    async with db_of(request).transaction() as session:
        others = await rostering.shifts_with_users(session, start=now, end=now + HORIZON)
    return render(request, "console_shift.html", {
        "user": user, "shift": shift, "when": t.weekday_time_span(shift.start, shift.end),
        "ahead": shift.start > now,
        "colleagues": sorted(((u.username, u.name) for u in await _colleagues(request, user)), key=lambda c: c[1]),
        # Colleagues' shifts not begun, to swap this one for.
        "swaps": [(str(row.id), f"{u.name}, {t.weekday_time_span(row.start, row.end)}") for row, u in others
                  if u.active and u.id != user.id and row.start > now],
        "errors": errors or {}, "values": values or {}, "focus": "error-summary" if errors else None,
    }, status=status)


async def _colleagues(request: Request, user: User) -> list[User]:
    async with db_of(request).transaction() as session:
        return [u for u in await people.active_users(session)
                if u.id != user.id and u.role in DUTY_ROLES]


async def give_away(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    to = form_text(form, "to")
    try:
        await requests_admin.give_away(admin_of(request), actor=user.username,
                                       shift_id=request.path_params["shift_id"], to=to)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="give", keys=KEYS,
                             fields={"shift": "give-to", "advisor": "give-to"})
        return await shift_page(request, errors=errors, values={"to": to}, status=400)
    return _done("give")


async def ask_swap(request: Request) -> Response:
    user = await signed_in(request, *DUTY_ROLES)
    form = await checked_form(request)
    other = form_text(form, "other")
    try:
        await requests_admin.ask_swap(admin_of(request), actor=user.username, shift_id=request.path_params["shift_id"],
                                      other_shift_id=int(other) if other.isdigit() else None)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="swap", keys=KEYS, fields={"shift": "swap-other"})
        return await shift_page(request, errors=errors, values={"other": other}, status=400)
    return _done("swap")


routes = [
    Route(f"{CONSOLE}/requests/cover", offer_cover, methods=["POST"]),
    Route(f"{CONSOLE}/requests/{{request_id:int}}/{{event}}", answer, methods=["POST"]),
    Route(f"{CONSOLE}/shifts/{{shift_id:int}}", shift_page, methods=["GET"]),
    Route(f"{CONSOLE}/shifts/{{shift_id:int}}/give", give_away, methods=["POST"]),
    Route(f"{CONSOLE}/shifts/{{shift_id:int}}/swap", ask_swap, methods=["POST"]),
]
