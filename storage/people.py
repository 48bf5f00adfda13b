"""Organisations, users and their browser sessions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import Organisation, SessionRow, User


async def add_organisation(session: AsyncSession, *, slug: str, name: str) -> Organisation:
    organisation = Organisation(slug=slug, name=name)
    session.add(organisation)
    await session.flush()
    return organisation


async def organisation_by_slug(session: AsyncSession, *, slug: str) -> Organisation | None:
    result = await session.execute(select(Organisation).where(Organisation.slug == slug))
    return result.scalar_one_or_none()


async def organisations(session: AsyncSession) -> Sequence[Organisation]:
    result = await session.execute(select(Organisation).order_by(Organisation.slug))
    return result.scalars().all()


async def add_user(session: AsyncSession, *, user: User) -> User:
    session.add(user)
    await session.flush()
    return user


async def add_users(session: AsyncSession, *, users: Sequence[User]) -> None:
    """Add many new users in one statement (an import); their ids are not read back. (Added one
    by one, SQLite would take an INSERT per user to learn each id.)"""
    if users:
        await session.execute(insert(User), [user.model_dump(exclude={"id"}) for user in users])


async def update_users(session: AsyncSession, *, users: Sequence[User]) -> None:
    """Store many changed users in one flush (an import)."""
    session.add_all(users)
    await session.flush()


async def user_by_username(session: AsyncSession, *, username: str) -> User | None:
    result = await session.execute(select(User).where(User.username == username))
    return result.scalar_one_or_none()


async def users_to_change(session: AsyncSession, *, usernames: Collection[str]) -> dict[str, User]:
    """The users by username, read afresh and locked for the rest of the transaction where the
    database can (PostgreSQL; SQLite writes one transaction at a time anyway), so that of two
    transactions changing them the second waits and reads what the first made of them. Locked in
    id order, so two that lock the same users never each wait for the other; FOR NO KEY UPDATE,
    the lock an update of theirs takes anyway, so rows that refer to them are not held up."""
    result = await session.execute(
        select(User).where(col(User.username).in_(usernames)).order_by(col(User.id))
        .with_for_update(key_share=True).execution_options(populate_existing=True)
    )
    return {user.username: user for user in result.scalars().all()}


async def user_by_id(session: AsyncSession, *, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def active_users(session: AsyncSession) -> Sequence[User]:
    result = await session.execute(select(User).where(User.active).order_by(User.username))
    return result.scalars().all()


async def add_session(
    session: AsyncSession, *, token_hash: str, user_id: int, now: datetime, expires_at: datetime
) -> None:
    session.add(SessionRow(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at))


async def session_user(session: AsyncSession, *, token_hash: str, now: datetime) -> User | None:
    """The active user a live session belongs to, or None."""
    result = await session.execute(
        select(User)
        .join(SessionRow, SessionRow.user_id == User.id)  # type: ignore[arg-type]
        .where(SessionRow.token_hash == token_hash, SessionRow.expires_at > now, User.active)
    )
    return result.scalar_one_or_none()


async def session_expiry(session: AsyncSession, *, token_hash: str) -> datetime | None:
    row = await session.get(SessionRow, token_hash)
    return row.expires_at if row is not None else None


async def delete_session(session: AsyncSession, *, token_hash: str) -> None:
    await session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))  # type: ignore[arg-type]


async def user_and_organisation(session: AsyncSession, *, user_id: int) -> tuple[User, Organisation] | None:
    result = await session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.organisation_id)  # type: ignore[arg-type]
        .where(User.id == user_id)
    )
    row = result.first()
    return (row[0], row[1]) if row else None


async def all_users(session: AsyncSession) -> Sequence[User]:
    """Every user, deactivated ones included (their shifts and duty log are history)."""
    result = await session.execute(select(User).order_by(User.username))
    return result.scalars().all()


async def organisation_by_id(session: AsyncSession, *, organisation_id: int) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def rename_organisation(session: AsyncSession, *, organisation: Organisation, name: str) -> None:
    organisation.name = name
    session.add(organisation)
    await session.flush()


async def set_promise(session: AsyncSession, *, organisation: Organisation, hours: float | None) -> None:
    organisation.promised_hours = hours
    session.add(organisation)
    await session.flush()


async def update_user(session: AsyncSession, *, user: User) -> None:
    session.add(user)
    await session.flush()


async def delete_sessions_of(session: AsyncSession, *, user_id: int) -> None:
    """End every browser session of a user (a new password, a deactivated account)."""
    await session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))  # type: ignore[arg-type]
