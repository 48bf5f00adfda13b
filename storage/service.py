"""Service-wide configuration kept in the database: topics, languages, close outcomes, opening
hours and single settings such as the generated secret key."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Integer, String, cast, delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import CannedAnswer, OpeningException, Outcome, Setting, Topic, WeeklyOpeningRow

DEFAULT_TOPICS = (
    Topic(id="education", label_fi="Opiskelu", label_sv="Studier", label_en="Education", position=1),
    Topic(id="work", label_fi="Työ", label_sv="Arbete", label_en="Work", position=2),
    Topic(id="wellbeing", label_fi="Hyvinvointi", label_sv="Välmående", label_en="Wellbeing", position=3),
)
DEFAULT_OUTCOMES = (
    Outcome(id="answered", label_fi="Vastattu", label_sv="Besvarad", label_en="Answered", position=1),
    Outcome(id="referred", label_fi="Ohjattu eteenpäin", label_sv="Hänvisad", label_en="Referred", position=2),
    Outcome(id="no_reply", label_fi="Ei vastausta", label_sv="Inget svar", label_en="No reply", position=3),
)
DEFAULT_LANGUAGES = ("fi", "sv", "en")
LANGUAGES_KEY = "languages"
# Origins (scheme://host[:port]) of the sites that may embed the widget, besides NEUVO_WIDGET_ORIGINS.
WIDGET_ORIGINS_KEY = "widget_origins"
# Where the widget's quick exit sends the visitor (chat.admin.settings.set_exit_url); "" or unset: the widget's default.
EXIT_URL_KEY = "exit_url"
# A counter that every administrative change raises in its own transaction, so that a process that
# did not make the change (the CLI made it, or another server) notices it on its next look.
CONFIG_VERSION_KEY = "config_version"


async def seed_defaults(session: AsyncSession) -> None:
    """Give a new service its default topics, outcomes and languages (once)."""
    if (await session.execute(select(Topic).limit(1))).first() is None:
        session.add_all(Topic.model_validate(topic) for topic in DEFAULT_TOPICS)
    if (await session.execute(select(Outcome).limit(1))).first() is None:
        session.add_all(Outcome.model_validate(outcome) for outcome in DEFAULT_OUTCOMES)
    if await get_setting(session, key=LANGUAGES_KEY) is None:
        await set_setting(session, key=LANGUAGES_KEY, value=json.dumps(list(DEFAULT_LANGUAGES)))
    if await get_setting(session, key=CONFIG_VERSION_KEY) is None:
        await set_setting(session, key=CONFIG_VERSION_KEY, value="0")


async def topics(session: AsyncSession) -> Sequence[Topic]:
    result = await session.execute(select(Topic).order_by(Topic.position, Topic.id))  # type: ignore[arg-type]
    return result.scalars().all()


async def outcomes(session: AsyncSession) -> Sequence[Outcome]:
    result = await session.execute(select(Outcome).order_by(Outcome.position, Outcome.id))  # type: ignore[arg-type]
    return result.scalars().all()


async def languages(session: AsyncSession) -> list[str]:
    value = await get_setting(session, key=LANGUAGES_KEY)
    return list(json.loads(value)) if value else list(DEFAULT_LANGUAGES)


async def get_setting(session: AsyncSession, *, key: str) -> str | None:
    row = await session.get(Setting, key)
    return row.value if row else None


async def set_setting(session: AsyncSession, *, key: str, value: str) -> None:
    row = await session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


async def config_version(session: AsyncSession) -> int:
    """The configuration version: raised by every administrative change (see
    `bump_config_version`); a server that last loaded its configuration at a lower one reloads."""
    # Read from the database, not the session's identity map: `bump_config_version` updates in SQL.
    value = (await session.execute(select(Setting.value).where(Setting.key == CONFIG_VERSION_KEY))).scalar()
    return int(value) if value else 0


async def bump_config_version(session: AsyncSession) -> int:
    """Raise the configuration version by one, in the caller's transaction, and return the new
    one. One UPDATE that adds in SQL, so two concurrent changes never both write the same number."""
    await session.execute(
        update(Setting)
        .where(Setting.key == CONFIG_VERSION_KEY)  # type: ignore[arg-type]
        .values(value=cast(cast(Setting.value, Integer) + 1, String))
        .execution_options(synchronize_session=False)
    )
    version = await config_version(session)
    if version == 0:  # a database that prepare() has not seeded
        session.add(Setting(key=CONFIG_VERSION_KEY, value="1"))
        await session.flush()
        version = 1
    return version


async def weekly_opening(session: AsyncSession) -> Sequence[WeeklyOpeningRow]:
    """The weekly hours in force now (and on: a change applies from the day it is made)."""
    result = await session.execute(
        select(WeeklyOpeningRow)
        .where(col(WeeklyOpeningRow.until).is_(None))
        .order_by(col(WeeklyOpeningRow.weekday), col(WeeklyOpeningRow.start))
    )
    return result.scalars().all()


async def weekly_opening_between(session: AsyncSession, *, first: date, last: date) -> Sequence[WeeklyOpeningRow]:
    """The weekly hours in force on any of the dates first..last, with the dates each held."""
    result = await session.execute(
        select(WeeklyOpeningRow)
        .where(
            (col(WeeklyOpeningRow.since).is_(None)) | (col(WeeklyOpeningRow.since) <= last),
            (col(WeeklyOpeningRow.until).is_(None)) | (col(WeeklyOpeningRow.until) > first),
        )
        .order_by(col(WeeklyOpeningRow.weekday), col(WeeklyOpeningRow.start))
    )
    return result.scalars().all()


async def replace_weekly_opening(
    session: AsyncSession, *, rows: Sequence[WeeklyOpeningRow], since: date | None = None
) -> None:
    """The weekly hours from the date `since` on: the hours in force end there, earlier dates
    keep them. `since` None replaces the whole history (a new service's first hours)."""
    if since is None:
        await session.execute(delete(WeeklyOpeningRow))
    else:
        for row in await weekly_opening(session):
            await _end(session, row, since)
    for row in rows:
        row.since = since
    session.add_all(rows)
    await session.flush()


async def _end(session: AsyncSession, row: WeeklyOpeningRow, day: date) -> None:
    """A row in force no more from `day`: ended there, or gone if it had not begun before."""
    if row.since is not None and row.since >= day:
        await session.delete(row)
    else:
        row.until = day
async def opening_exceptions(session: AsyncSession) -> Sequence[OpeningException]:
    result = await session.execute(select(OpeningException).order_by(OpeningException.day))  # type: ignore[arg-type]
    return result.scalars().all()


async def set_opening_exception(session: AsyncSession, *, day: date, start: str | None, end: str | None) -> None:
    """The hours of one date (None, None: closed all day), replacing any earlier exception."""
    await session.execute(delete(OpeningException).where(OpeningException.day == day))  # type: ignore[arg-type]
    session.add(OpeningException(day=day, start=start, end=end))


async def delete_opening_exceptions(session: AsyncSession, *, first: date, last: date) -> int:
    """Delete the exceptions of the dates first..last; how many there were."""
    rows = (await session.execute(select(OpeningException).where(
        col(OpeningException.day) >= first, col(OpeningException.day) <= last))).scalars().all()
    for row in rows:
        await session.delete(row)
    return len(rows)


async def save_topic(session: AsyncSession, *, topic: Topic) -> None:
    """Add a topic or replace the labels and position of the one with its id."""
    await session.merge(topic)


async def save_outcome(session: AsyncSession, *, outcome: Outcome) -> None:
    await session.merge(outcome)


async def json_list_setting(session: AsyncSession, *, key: str) -> list[str]:
    value = await get_setting(session, key=key)
    return [str(item) for item in json.loads(value)] if value else []


async def set_json_list_setting(session: AsyncSession, *, key: str, values: Sequence[str]) -> None:
    await set_setting(session, key=key, value=json.dumps(list(values)))


async def add_canned_answer(session: AsyncSession, *, language: str, title: str, text: str, position: int) -> None:
    """A new answer for the service handbook (read by `storage.handbook`)."""
    session.add(CannedAnswer(language=language, title=title, text=text, position=position))


async def delete_canned_answer(session: AsyncSession, *, answer_id: int) -> None:
    await session.execute(delete(CannedAnswer).where(CannedAnswer.id == answer_id))  # type: ignore[arg-type]


async def canned_answer(session: AsyncSession, *, answer_id: int) -> CannedAnswer | None:
    return await session.get(CannedAnswer, answer_id)


async def update_canned_answer(session: AsyncSession, *, answer_id: int, title: str, text: str) -> bool:
    """Replace an answer's title and text; False when there is no such answer."""
    row = await session.get(CannedAnswer, answer_id)
    if row is None:
        return False
    row.title, row.text = title, text
    return True
