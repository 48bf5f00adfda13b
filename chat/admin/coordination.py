"""The coordinator's hand-over: the outgoing coordinator names the incoming one and the date, in
one audited change. The incoming gets the coordinator role and a term from that date; the
outgoing's term ends on it, and they keep the coordinator role only if they choose to (by
default they are an advisor from then on: the role lets one change everything, and a rotation
that left every past coordinator with it would spread it wider each time).

Nothing of either is lost: a role is one column of the account, so their shifts, duty log,
chats, claims of offline messages and audit trail stay as they were. The date is today or an
earlier day (recording a hand-over made on paper); a hand-over on a later day is made on that
day, since a role given ahead would need something to run when nobody is there to see it."""

from __future__ import annotations

from datetime import date

from chat.admin.changes import Administration
from chat.admin.errors import Problems
from storage import coordination, people
from storage.tables import CoordinatorTerm, User

COORDINATOR, ADVISOR = "coordinator", "advisor"


async def hand_over(admin: Administration, *, actor: str, incoming: str, on: date | None,
                    keep_role: bool) -> User:
    """`actor` hands the coordinator's term over to `incoming` on the date `on` (None: not a date)."""
    async with admin.change(actor=actor, action="coordinator_handover") as change:
        session, problems = change.session, Problems()
        # Both locked until the change ends: of two hand-overs at once by one coordinator (or to
        # one person) the second reads what the first made of them, and is refused. Their rows,
        # not the outgoing's term: before the first hand-over there is no term to lock.
        wanted = incoming.strip().lower()
        locked = await people.users_to_change(session, usernames=[actor, wanted])
        outgoing, successor = locked.get(actor), locked.get(wanted)
        if outgoing is None or outgoing.role != COORDINATOR:
            problems.add("incoming", "not_coordinator", "only a coordinator hands the coordinator's term over")
        if successor is None or not successor.active:
            problems.add("incoming", "incoming", "choose an active person to hand over to")
        elif outgoing is not None and successor.id == outgoing.id:
            problems.add("incoming", "incoming_self", "choose someone else than yourself")
        elif await coordination.open_term_of(session, user_id=successor.id or 0) is not None:
            problems.add("incoming", "incoming_has_term", f"{successor.name} already holds a term",
                         name=successor.name)
        term = await coordination.open_term_of(session, user_id=outgoing.id or 0) if outgoing else None
        today = admin.today()
        if on is None or on > today or (term is not None and term.since is not None and on < term.since):
            problems.add("date", "handover_date", "the hand-over's date is today or an earlier day of your term",
                         today=today)
        problems.raise_any()
        assert outgoing is not None and successor is not None and on is not None  # refused above otherwise
        if term is not None:
            await coordination.end_term(session, term=term, until=on)
        elif not await coordination.terms(session, user_id=outgoing.id):
            # The first hand-over since terms are recorded: the outgoing's term up to it. One who
            # kept the role after an earlier hand-over holds no term now, and has one recorded.
            await coordination.add_term(session, term=CoordinatorTerm(
                user_id=outgoing.id or 0, organisation_id=outgoing.organisation_id, until=on))
        await coordination.add_term(session, term=CoordinatorTerm(
            user_id=successor.id or 0, organisation_id=successor.organisation_id, since=on,
            handed_over_by=outgoing.id))
        successor.role = COORDINATOR
        await people.update_user(session, user=successor)
        if not keep_role:
            outgoing.role = ADVISOR
            await people.update_user(session, user=outgoing)
        change.detail = (f"{outgoing.username} to {successor.username} from {on.isoformat()}; "
                         f"{outgoing.username} {'keeps the coordinator role' if keep_role else 'is an advisor'}")
        return successor
