"""Coordinator terms: who coordinates the shared service for which organisation, and since when.

A hand-over ends the outgoing coordinator's term on its date and starts the incoming one's from
it. Terms are history: they are never deleted, and a deactivated or renamed person keeps theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from storage.tables import CoordinatorTerm, Organisation, User


@dataclass(frozen=True, slots=True)
class Term:
    """A term with the names it is shown by."""

    username: str
    name: str
    organisation: str
    since: date | None
    until: date | None
    handed_over_by: str | None  # the predecessor's name

    def overlaps(self, first: date, following: date) -> bool:
        """Whether the term was running on some date of [first, following)."""
        return (self.since is None or self.since < following) and (self.until is None or self.until > first)


async def open_term_of(session: AsyncSession, *, user_id: int) -> CoordinatorTerm | None:
    result = await session.execute(
        select(CoordinatorTerm).where(CoordinatorTerm.user_id == user_id, col(CoordinatorTerm.until).is_(None)))
    return result.scalars().first()


async def add_term(session: AsyncSession, *, term: CoordinatorTerm) -> None:
    session.add(term)
    await session.flush()


async def end_term(session: AsyncSession, *, term: CoordinatorTerm, until: date) -> None:
    term.until = until
    session.add(term)
    await session.flush()


async def terms(session: AsyncSession, *, user_id: int | None = None,
                organisation_id: int | None = None) -> list[Term]:
    """Every term (or one person's, or one organisation's), the latest first: a running term
    before ended ones."""
    predecessor = aliased(User)
    query = (
        select(CoordinatorTerm, User, Organisation, predecessor)
        .join(User, col(User.id) == CoordinatorTerm.user_id)
        .join(Organisation, col(Organisation.id) == CoordinatorTerm.organisation_id)
        .outerjoin(predecessor, col(predecessor.id) == CoordinatorTerm.handed_over_by)
    )
    if user_id is not None:
        query = query.where(CoordinatorTerm.user_id == user_id)
    if organisation_id is not None:
        query = query.where(CoordinatorTerm.organisation_id == organisation_id)
    rows = (await session.execute(query)).all()
    found = [Term(username=user.username, name=user.name, organisation=organisation.name, since=term.since,
                  until=term.until, handed_over_by=before.name if before is not None else None)
             for term, user, organisation, before in rows]
    return sorted(found, key=lambda t: (t.until or date.max, t.since or date.min), reverse=True)
