"""Shift requests as the console and the coordinator's page say them: what is asked ("Anna asks
to swap Wed 25 Nov 09:00–12:00 for Bertil's Thu 26 Nov 12:00–16:00"), where it stands ("Waiting
for Bertil's answer") and, for a coordinator, what the roster's checks would warn of it, all in
the page's language; and which answers the reader may give (`routing.shift_requests.may`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request

from chat.admin import shift_requests as requests_admin
from chat.web.context import admin_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from routing.roster_checks import CLOSED, HOLIDAY, INACTIVE, OUTSIDE, OVERLAP
from routing.shift_requests import TRANSITIONS, RequestEvent, RequestKind, RequestState, may
from storage import people, shift_requests
from storage.tables import ShiftRequest, ShiftRow, User

ROSTER_WARNINGS = (OVERLAP, HOLIDAY, CLOSED, OUTSIDE, INACTIVE)
# The answers a page offers, in the order it shows their buttons.
ANSWERS = (RequestEvent.AGREE, RequestEvent.TURN_DOWN, RequestEvent.APPROVE, RequestEvent.DECLINE,
           RequestEvent.WITHDRAW)


@dataclass(frozen=True)
class RequestView:
    request: ShiftRequest
    text: str
    status: str
    answers: tuple[str, ...]  # the events the reader may send, RequestEvent values
    warnings: tuple[str, ...] = ()  # what approving would be warned of, as texts

    @property
    def id(self) -> str:
        return f"request-{self.request.id}"


async def views(request: Request, rows: Sequence[ShiftRequest], reader: User, *,
                with_warnings: bool = False) -> list[RequestView]:
    """The requests as `reader` reads them; `with_warnings`: each pending one with what approving
    it now would meet (chat.admin.shift_requests.check)."""
    t = Translator(request_language(request), tz=tz_of(request))
    ids = {i for row in rows for i in (row.shift_id, row.other_shift_id) if i is not None}
    async with db_of(request).transaction() as session:
        users = {u.id or 0: u for u in await people.all_users(session)}
        shifts = await shift_requests.shifts(session, ids=ids)
    warned = {row.id: await requests_admin.check(admin_of(request), request_id=row.id or 0) for row in rows
              if with_warnings and row.status == RequestState.PENDING}
    return [_view(row, reader, users, shifts, t, warned.get(row.id, ())) for row in rows]


def _view(row: ShiftRequest, reader: User, users: dict[int, User], shifts: dict[int, ShiftRow], t: Translator,
          warned: tuple[str, ...]) -> RequestView:
    name = users[row.requester_id].name
    other = users[row.other_user_id].name if row.other_user_id in users else ""
    when = _when(t, shifts.get(row.shift_id or 0)) if row.kind != RequestKind.COVER else (
        t.weekday_time_span(row.start, row.end) if row.start and row.end else "")
    if row.kind == RequestKind.SWAP:
        theirs = _when(t, shifts.get(row.other_shift_id or 0))
        text = t("requests.swap", name=name, when=when, other=other, other_when=theirs)
    elif row.kind == RequestKind.GIVE:
        text = t("requests.give_to" if other else "requests.give_anyone", name=name, when=when, other=other)
    else:
        text = t("requests.cover", name=name, when=when)
    warnings = tuple(t(f"coord.roster.warning.{code}" if code in ROSTER_WARNINGS else f"requests.error.{code}")
                     for code in warned)
    return RequestView(row, text, _status(row, users, other, t), _answers(row, reader), warnings)


def _when(t: Translator, shift: ShiftRow | None) -> str:
    return t.weekday_time_span(shift.start, shift.end) if shift else t("requests.shift_gone")


def _status(row: ShiftRequest, users: dict[int, User], other: str, t: Translator) -> str:
    if row.status == RequestState.OPEN:
        return t("requests.status.open", other=other) if other else t("requests.status.open_anyone")
    if row.status == RequestState.APPROVED and row.decided_by_id is None:
        return t("requests.status.at_once")
    decider = users[row.decided_by_id].name if row.decided_by_id in users else ""
    return t(f"requests.status.{row.status}", other=other, who=decider)


def _answers(row: ShiftRequest, reader: User) -> tuple[str, ...]:
    """The events the request's state allows that the reader may send."""
    other = str(row.other_user_id) if row.other_user_id is not None else None
    return tuple(event.value for event in ANSWERS
                 if (RequestState(row.status), event) in TRANSITIONS
                 and may(event, actor=str(reader.id), coordinator=reader.role == "coordinator",
                         requester=str(row.requester_id), other=other))
