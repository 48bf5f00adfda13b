"""The service's configuration as the live service sees it: loaded from the database into routing values,
and reloaded now and then so that changes made by the CLI or the coordinator pages take effect."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.hours import DateException, OpeningHours, WeeklyOpening
from routing.roster import Roster, Shift
from storage import people, retention, roster, service, survey, topic_links
from storage.database import Session
from storage.tables import Organisation, SurveyQuestion, Topic, TopicLink, User


def clock_time(value: str) -> time | None:
    """"HH:MM" as a time; "24:00" (end of day) as None."""
    return None if value == "24:00" else time.fromisoformat(value)


def week_start(t: datetime, tz: ZoneInfo) -> datetime:
    """Monday 00:00 local of the week holding t."""
    local = t.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tz)


@dataclass(frozen=True)
class ServiceConfig:
    topics: dict[str, Topic]
    languages: list[str]
    outcomes: frozenset[str]
    hours: OpeningHours
    roster: Roster
    users: dict[str, User]
    organisations: dict[int, Organisation]
    rostered_hours: dict[str, float]
    # What a coordinator set on the settings page; the server's NEUVO_* settings add to or stand
    # in for these (see `chat.middleware.widget_origins` and `/api/service`).
    widget_origins: frozenset[str] = frozenset()
    retention_days: int | None = None
    # Where the widget's quick exit goes (an https address); None: the widget's own default.
    exit_url: str | None = None
    # Pages that may help with a topic: topic -> language -> links (chat.admin.topic_links).
    topic_links: dict[str, dict[str, list[TopicLink]]] = field(default_factory=dict)
    # The post-chat questionnaire's questions being asked (chat.admin.survey).
    survey: tuple[SurveyQuestion, ...] = ()
    # The administration's configuration version this was loaded at (storage.service).
    version: int = 0

    def organisation_of(self, user: User) -> Organisation:
        return self.organisations[user.organisation_id]


async def load_config(session: Session, *, now: datetime, tz: ZoneInfo) -> ServiceConfig:
    weekly = tuple(
        WeeklyOpening(weekday=row.weekday, start=clock_time(row.start) or time(0), end=clock_time(row.end))
        for row in await service.weekly_opening(session)
    )
    exceptions = tuple(
        DateException(day=row.day, intervals=_exception_hours(row.start, row.end))
        for row in await service.opening_exceptions(session)
    )
    # Shifts a week either side of now: enough to answer "on shift" and "shift ends", and this
    # week's rostered hours for the fair share.
    monday = week_start(now, tz)
    rows = await roster.shifts_between(session, start=monday - timedelta(days=7), end=monday + timedelta(days=14))
    shifts = tuple(Shift(advisor=username, start=start, end=end) for username, start, end in rows)
    users = {user.username: user for user in await people.active_users(session)}
    organisations = {org.id: org for org in await people.organisations(session) if org.id is not None}
    week = Roster(shifts).hours_by_advisor(monday, monday + timedelta(days=7))
    rostered: dict[str, float] = {}
    for username, hours in week.items():
        if username in users:
            slug = organisations[users[username].organisation_id].slug
            rostered[slug] = rostered.get(slug, 0.0) + hours
    return ServiceConfig(
        topics={topic.id: topic for topic in await service.topics(session)},
        languages=await service.languages(session),
        outcomes=frozenset(outcome.id for outcome in await service.outcomes(session)),
        hours=OpeningHours(weekly=weekly, exceptions=exceptions, tz=tz),
        roster=Roster(shifts),
        users=users,
        organisations=organisations,
        rostered_hours=rostered,
        widget_origins=frozenset(await service.json_list_setting(session, key=service.WIDGET_ORIGINS_KEY)),
        retention_days=await retention.retention_days(session, default=0) or None,
        exit_url=await service.get_setting(session, key=service.EXIT_URL_KEY) or None,
        topic_links=_by_topic(await topic_links.topic_links(session)),
        survey=tuple(await survey.questions(session)),
        version=await service.config_version(session),
    )


def _by_topic(links: Sequence[TopicLink]) -> dict[str, dict[str, list[TopicLink]]]:
    found: dict[str, dict[str, list[TopicLink]]] = {}
    for link in links:
        found.setdefault(link.topic, {}).setdefault(link.language, []).append(link)
    return found


def _exception_hours(start: str | None, end: str | None) -> tuple[tuple[time, time | None], ...]:
    if start is None or end is None:
        return ()
    return ((clock_time(start) or time(0), clock_time(end)),)
