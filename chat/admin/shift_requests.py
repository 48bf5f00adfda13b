"""Advisors' requests to change the roster, and their answers: an offer to cover a gap ahead, a
swap of two advisors' shifts, a shift given to a named advisor or to anyone; the second advisor
agrees or turns it down, a coordinator approves or declines, the one who asked may withdraw. The
lifecycle and who may do what are `routing.shift_requests`'.

Every step is one `Administration.change`: one transaction with its audit entry, so the log
tells the whole story of each request. An approval (or an agreed swap where the service lets
those through at once) changes the roster in that same transaction, through the same
`storage.rostering` calls as the roster's own pages, so the calendar feeds show it at once.

Before a request is agreed or approved the roster rules are checked again against the roster as
it is then (`routing.roster_checks`): the shift must still be on the roster, not begun, and
whose it was; nobody may end up with overlapping shifts or a shift while deactivated. A request
that breaks them is refused with a problem naming why, and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chat.admin.changes import Administration
from chat.admin.errors import Problem, Problems, Refused
from chat.admin.roster import active_advisor
from chat.admin.roster_changes import changes_said
from routing.errors import IllegalTransition
from routing.roster import Shift
from routing.roster_checks import INACTIVE, OVERLAP, shift_warnings
from routing.shift_requests import (
    FINAL_STATES,
    RequestEvent,
    RequestKind,
    RequestState,
    after_agreement,
    first_state,
    may,
    next_state,
)
from routing.wallclock import ONE_DAY, utc
from storage import coverage, gaps, people, roster, rostering, shift_requests
from storage.database import Session
from storage.rostering import ShiftChange
from storage.tables import ShiftRequest, ShiftRow, User

DUTY_ROLES = ("advisor", "coordinator")
# A request after a step, and the roster changes the step made (none unless it changed the roster).
Stepped = tuple[ShiftRequest, tuple[ShiftChange, ...]]


@dataclass(frozen=True)
class Move:
    """One shift of what a request changes: the shift `shift_id` (None: a new one) becomes
    `user_id`'s over [start, end)."""

    shift_id: int | None
    user_id: int
    start: datetime
    end: datetime


def _refused(field: str, code: str, reason: str) -> Refused:
    return Refused([Problem(field, code, reason)])


async def _duty_user(session: Session, username: str) -> User:
    user = await active_advisor(session, username, Problems())
    if user is None or user.id is None or user.role not in DUTY_ROLES:
        raise _refused("request", "not_allowed", f"{username} may not ask for roster changes")
    return user


def _span(start: datetime, end: datetime, admin: Administration) -> str:
    return "-".join(t.astimezone(admin.tz).isoformat(timespec="minutes") for t in (start, end))


# -- asking ------------------------------------------------------------------------------------


async def offer_cover(admin: Administration, *, actor: str, start: datetime | None,
                      end: datetime | None) -> ShiftRequest:
    """An offer to cover [start, end), which must lie within a gap ahead that the actor can
    fill (one they speak a missing language of), and meet none of their own shifts."""
    async with admin.change(actor=actor, action="shift_request_cover") as change:
        session, now = change.session, admin.clock.now()
        user = await _duty_user(session, actor)
        if start is None or end is None or utc(end) <= utc(start):
            raise _refused("gap", "gap_gone", "choose a gap from the list")
        found = [g for g in await gaps.gaps(session, now=now, tz=admin.tz)
                 if utc(g.start) <= utc(start) and utc(end) <= utc(g.end)]
        if not found:
            raise _refused("gap", "gap_gone", "that time is not a gap any more: someone covers it now")
        if not found[0].nobody and not set(found[0].languages) & set(user.languages.split(",")):
            raise _refused("gap", "language", f"the gap needs someone who speaks {', '.join(found[0].languages)}")
        if await roster.shifts_of_user(session, user_id=user.id or 0, start=start, end=end):
            raise _refused("gap", "overlap", "you have a shift at that time already")
        if await shift_requests.undecided_offer(session, requester_id=user.id or 0, start=start, end=end):
            raise _refused("gap", "offered", "you have offered to cover that time already")
        request = await shift_requests.add(session, request=ShiftRequest(
            kind=RequestKind.COVER, status=first_state(RequestKind.COVER), requester_id=user.id or 0,
            start=start, end=end, created_at=now))
        change.detail = f"request {request.id}: {actor} offers to cover {_span(start, end, admin)}"
    return request


async def ask_swap(admin: Administration, *, actor: str, shift_id: int, other_shift_id: int | None) -> ShiftRequest:
    """A swap of the actor's shift ahead for another advisor's shift ahead; that advisor agrees next."""
    async with admin.change(actor=actor, action="shift_request_swap") as change:
        session, now = change.session, admin.clock.now()
        user = await _duty_user(session, actor)
        problems = Problems()
        locked = await rostering.shifts_to_change(session, shift_ids=[i for i in (shift_id, other_shift_id) if i])
        own = await _free_shift(session, locked.get(shift_id), now, problems, field="shift")
        theirs = (await _free_shift(session, locked.get(other_shift_id), now, problems, field="other")
                  if other_shift_id else None)
        if other_shift_id is None:
            problems.add("other", "other", "choose another advisor's shift to swap with")
        problems.raise_any()
        assert own is not None and theirs is not None
        if own.user_id != user.id:
            raise _refused("shift", "not_yours", "that shift is not yours")
        if theirs.user_id == user.id:
            raise _refused("other", "other", "choose another advisor's shift to swap with")
        request = await shift_requests.add(session, request=ShiftRequest(
            kind=RequestKind.SWAP, status=first_state(RequestKind.SWAP), requester_id=user.id or 0,
            shift_id=own.id, other_user_id=theirs.user_id, other_shift_id=theirs.id, created_at=now))
        change.detail = (f"request {request.id}: {actor} asks to swap shift {own.id} "
                         f"({_span(own.start, own.end, admin)}) for shift {theirs.id} "
                         f"({_span(theirs.start, theirs.end, admin)}) of user {theirs.user_id}")
    return request


async def give_away(admin: Administration, *, actor: str, shift_id: int, to: str) -> ShiftRequest:
    """The actor's shift ahead to the advisor named `to`, or to anyone ("") who takes it."""
    async with admin.change(actor=actor, action="shift_request_give") as change:
        session, now = change.session, admin.clock.now()
        user = await _duty_user(session, actor)
        problems = Problems()
        locked = await rostering.shifts_to_change(session, shift_ids=[shift_id])
        own = await _free_shift(session, locked.get(shift_id), now, problems, field="shift")
        other = await active_advisor(session, to, problems) if to else None
        problems.raise_any()
        assert own is not None
        if own.user_id != user.id:
            raise _refused("shift", "not_yours", "that shift is not yours")
        if other is not None and (other.id == user.id or other.role not in DUTY_ROLES):
            raise _refused("advisor", "advisor", "give the shift to another advisor")
        request = await shift_requests.add(session, request=ShiftRequest(
            kind=RequestKind.GIVE, status=first_state(RequestKind.GIVE), requester_id=user.id or 0,
            shift_id=own.id, other_user_id=other.id if other else None, created_at=now))
        change.detail = (f"request {request.id}: {actor} gives shift {own.id} ({_span(own.start, own.end, admin)}) "
                         f"to {to or 'anyone'}")
    return request


async def _free_shift(session: Session, shift: ShiftRow | None, now: datetime, problems: Problems, *,
                      field: str) -> ShiftRow | None:
    """The shift (locked: `rostering.shifts_to_change`, so that of two requests asked about it
    at once the second sees the first), on the roster, not begun, and not in another request not
    decided yet; else None and a problem of `field`."""
    if shift is None or shift.cancelled_at is not None:
        problems.add(field, "gone", "that shift is not on the roster")
    elif shift.start <= now:
        problems.add(field, "begun", "that shift has begun")
    elif await shift_requests.undecided_about_shift(session, shift_id=shift.id or 0):
        problems.add(field, "requested", "that shift is in another request already")
    else:
        return shift
    return None


# -- answering ---------------------------------------------------------------------------------


async def withdraw(admin: Administration, *, actor: str, request_id: int) -> ShiftRequest:
    return await _decide(admin, actor=actor, request_id=request_id, event=RequestEvent.WITHDRAW)


async def decline(admin: Administration, *, actor: str, request_id: int) -> ShiftRequest:
    return await _decide(admin, actor=actor, request_id=request_id, event=RequestEvent.DECLINE)


async def turn_down(admin: Administration, *, actor: str, request_id: int) -> ShiftRequest:
    return await _decide(admin, actor=actor, request_id=request_id, event=RequestEvent.TURN_DOWN)


async def _decide(admin: Administration, *, actor: str, request_id: int, event: RequestEvent) -> ShiftRequest:
    """A step that changes the request alone, not the roster."""
    async with admin.change(actor=actor, action=f"shift_request_{event}") as change:
        user, request = await _stepped(change.session, actor, request_id, event)
        request.decided_at = admin.clock.now()
        request.decided_by_id = user.id if event is RequestEvent.DECLINE else None
        change.detail = f"request {request_id}: {request.status}"
    return request


async def agree(admin: Administration, *, actor: str, request_id: int) -> Stepped:
    """The second advisor agrees (a give-away to anyone: the actor takes it). The roster rules
    are checked for the change as it would be now; a swap goes through at once where the service
    says so (then the roster changes it made come back too)."""
    async with admin.change(actor=actor, action="shift_request_agree") as change:
        session, now = change.session, admin.clock.now()
        user, request = await _stepped(session, actor, request_id, RequestEvent.AGREE)
        request.other_user_id = request.other_user_id or user.id
        request.agreed_at = now
        request.status = after_agreement(RequestKind(request.kind),
                                         immediate_swaps=await shift_requests.immediate_swaps(session))
        moves = await _checked_moves(session, admin, request)
        changes: tuple[ShiftChange, ...] = ()
        if request.status == RequestState.APPROVED:
            changes = await _apply(session, moves, now)
            request.decided_at = now
        change.detail = f"request {request_id}: {request.status} {changes_said(changes, admin)}".rstrip()
    return request, changes


async def approve(admin: Administration, *, actor: str, request_id: int) -> Stepped:
    """A coordinator approves: the roster changes, or the request is refused and nothing does."""
    async with admin.change(actor=actor, action="shift_request_approve") as change:
        session, now = change.session, admin.clock.now()
        user, request = await _stepped(session, actor, request_id, RequestEvent.APPROVE)
        changes = await _apply(session, await _checked_moves(session, admin, request), now)
        request.decided_at, request.decided_by_id = now, user.id
        change.detail = f"request {request_id}: approved {changes_said(changes, admin)}"
    return request, changes


async def _stepped(session: Session, actor: str, request_id: int, event: RequestEvent) -> tuple[User, ShiftRequest]:
    """The actor and the request moved on by `event`, if the actor may send it and the request's
    state allows it; refused otherwise."""
    user = await active_advisor(session, actor, Problems())
    request = await shift_requests.by_id(session, request_id=request_id, for_update=True)
    if user is None or request is None:
        raise _refused("request", "gone", "no such request")
    requester = str(request.requester_id)
    other = str(request.other_user_id) if request.other_user_id is not None else None
    if not may(event, actor=str(user.id), coordinator=user.role == "coordinator", requester=requester, other=other):
        raise _refused("request", "not_allowed", f"you may not {event.value.replace('_', ' ')} this request")
    try:
        request.status = next_state(RequestState(request.status), event)
    except IllegalTransition:
        if request.status in FINAL_STATES:
            raise _refused("request", "decided", f"the request is {request.status} already") from None
        raise _refused("request", "not_agreed", "the other advisor has not agreed yet") from None
    return user, request


# -- what a request changes --------------------------------------------------------------------


async def _checked_moves(session: Session, admin: Administration, request: ShiftRequest) -> list[Move]:
    """The moves the request makes, checked against the roster as it is now, its shifts locked
    until the change ends: of two requests about one shift approved at once, the second reads
    the shift as the first left it, and is refused."""
    moves = await _moves(session, request, admin.clock.now(), lock=True)
    for warnings in await move_warnings(session, admin, moves):
        if OVERLAP in warnings:
            raise _refused("request", "overlap", "someone would have two overlapping shifts")
        if INACTIVE in warnings:
            raise _refused("request", "inactive", "an advisor in the request is deactivated")
    return moves


async def _moves(session: Session, request: ShiftRequest, now: datetime, *, lock: bool) -> list[Move]:
    """The moves the request makes; with `lock` its shifts are locked (`rostering.shifts_to_change`)."""
    if request.kind == RequestKind.COVER:
        assert request.start is not None and request.end is not None
        if request.start <= now:
            raise _refused("request", "begun", "the time offered has begun")
        return [Move(None, request.requester_id, request.start, request.end)]
    ids = [i for i in (request.shift_id, request.other_shift_id) if i]
    shifts = (await rostering.shifts_to_change(session, shift_ids=ids) if lock
              else await shift_requests.shifts(session, ids=ids))
    own = _still(shifts.get(request.shift_id or 0), request.requester_id, now)
    if request.other_user_id is None:
        raise _refused("request", "not_agreed", "nobody has taken the shift yet")
    moves = [Move(own.id, request.other_user_id, own.start, own.end)]
    if request.kind == RequestKind.SWAP:
        theirs = _still(shifts.get(request.other_shift_id or 0), request.other_user_id, now)
        moves.append(Move(theirs.id, request.requester_id, theirs.start, theirs.end))
    return moves


def _still(shift: ShiftRow | None, user_id: int, now: datetime) -> ShiftRow:
    """The shift as the request found it: on the roster, not begun, still the same person's."""
    if shift is None or shift.cancelled_at is not None or shift.user_id != user_id:
        raise _refused("request", "changed", "the roster has changed since: the shift is not as it was")
    if shift.start <= now:
        raise _refused("request", "begun", "the shift has begun")
    return shift


async def check(admin: Administration, *, request_id: int) -> tuple[str, ...]:
    """What approving the request now would meet, changing nothing: the codes of the roster's
    warnings of the shifts it moves (`routing.roster_checks`), or of why it would be refused."""
    async with admin.db.transaction() as session:
        request = await shift_requests.by_id(session, request_id=request_id)
        if request is None:
            return ("gone",)
        try:
            moves = await _moves(session, request, admin.clock.now(), lock=False)
        except Refused as refused:
            return tuple(problem.code for problem in refused.problems)
        return tuple(dict.fromkeys(code for codes in await move_warnings(session, admin, moves) for code in codes))


async def move_warnings(session: Session, admin: Administration, moves: list[Move]) -> list[tuple[str, ...]]:
    """What the roster's checks would warn of each moved shift, among the shifts its new
    advisor has around it (the shifts moved away from them left out)."""
    low, high = min(m.start for m in moves) - ONE_DAY, max(m.end for m in moves) + ONE_DAY
    moved = {m.shift_id for m in moves}
    users = {u.id: u for u in [await people.user_by_id(session, user_id=m.user_id) for m in moves] if u}
    around = [Shift(str(row.user_id), row.start, row.end) for user_id in users
              for row in await roster.shifts_of_user(session, user_id=user_id or 0, start=low, end=high)
              if row.id not in moved]
    shifts = [Shift(str(m.user_id), m.start, m.end) for m in moves] + around
    hours = await coverage.opening_hours(session, start=low, end=high, tz=admin.tz)
    inactive = {str(user_id) for user_id, user in users.items() if not user.active}
    return list(shift_warnings(shifts, hours, inactive=inactive)[:len(moves)])


async def _apply(session: Session, moves: list[Move], now: datetime) -> tuple[ShiftChange, ...]:
    changes: list[ShiftChange] = []
    for move in moves:
        if move.shift_id is None:
            added = await rostering.add_shift(session, user_id=move.user_id, start=move.start, end=move.end)
            changes.extend([added] if added else [])
            continue
        placed = await rostering.place_shift(session, shift_id=move.shift_id, user_id=move.user_id,
                                             start=move.start, end=move.end, now=now)
        if placed is None:
            raise _refused("request", "changed", "the roster has changed since: the shift is taken")
        changes.extend(placed)
    return tuple(changes)


async def set_immediate_swaps(admin: Administration, *, actor: str, on: bool) -> None:
    """Whether a swap both advisors agreed goes through without a coordinator's approval."""
    async with admin.change(actor=actor, action="swaps_immediate", detail="on" if on else "off") as change:
        await shift_requests.set_immediate_swaps(change.session, on=on)
