"""The database schema as SQLModel tables.

Times are stored as timezone-aware UTC datetimes. Lists of short ids (an advisor's languages
and topics) are stored comma-separated: they are read whole and never queried inside.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


def _utc_column(*, nullable: bool = False, index: bool = False) -> sa.Column[datetime]:
    return sa.Column(UtcDateTime(), nullable=nullable, index=index)


class Organisation(SQLModel, table=True):
    """A participating organisation. `promised_hours` is the advisors' hours a month it promised
    the shared service (None: no promise recorded); a period's promise is prorated from it."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    promised_hours: float | None = None


def _calendar_secret() -> str:
    return secrets.token_hex(16)


class User(SQLModel, table=True):
    """An advisor or a coordinator. `topics` None means every topic. `calendar_secret` is part
    of the calendar feed's token: a new one revokes that user's feed address alone ("" for users
    made before it existed: their feed keeps the address it had until renewed)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=16)
    password_hash: str
    languages: str = Field(default="fi", max_length=200)
    topics: str | None = Field(default=None, max_length=1000)
    capacity: int = 3
    active: bool = True
    calendar_secret: str = Field(default_factory=_calendar_secret, max_length=64)
    # Set by someone else (a coordinator): it opens no session until its holder chose their own.
    password_one_time: bool = False


class CoordinatorTerm(SQLModel, table=True):
    """That a person held the coordinator's term for their organisation from `since` up to, not
    including, `until` (None: it goes on). `since` None: from before terms were recorded (the
    first hand-over records its outgoing coordinator's term so). `handed_over_by`: whoever handed
    the term over to this person. The role itself is `User.role`; a term says who coordinates."""

    __tablename__ = "coordinator_term"
    # One running term per person, whatever two hand-overs at once might try.
    __table_args__ = (sa.Index("uq_coordinator_term_running", "user_id", unique=True,
                               sqlite_where=sa.text("until IS NULL"), postgresql_where=sa.text("until IS NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    since: date | None = None
    until: date | None = None
    handed_over_by: int | None = Field(default=None, foreign_key="user.id")


class LabelledChoice(SQLModel):
    """A choice a coordinator maintains, with its label in each of the service's languages."""

    id: str = Field(primary_key=True, max_length=64)
    label_fi: str
    label_sv: str
    label_en: str
    position: int = 0


class Topic(LabelledChoice, table=True):
    pass


class Outcome(LabelledChoice, table=True):
    pass


class Setting(SQLModel, table=True):
    """Service-wide values kept in the database: languages, the generated secret key."""

    key: str = Field(primary_key=True, max_length=64)
    value: str


class WeeklyOpeningRow(SQLModel, table=True):
    """Open every week on `weekday` (0 = Monday) from `start` to `end`, local "HH:MM", on the
    dates from `since` up to, not including, `until` (None: no limit). A change of the hours
    ends the rows in force and adds new ones, so a past week keeps the hours it had."""

    __tablename__ = "weekly_opening"
    id: int | None = Field(default=None, primary_key=True)
    weekday: int
    start: str = Field(max_length=5)
    end: str = Field(max_length=5)
    since: date | None = None
    until: date | None = None


class OpeningException(SQLModel, table=True):
    """Hours that replace the weekly ones on one date; no start/end means closed all day."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    start: str | None = Field(default=None, max_length=5)
    end: str | None = Field(default=None, max_length=5)


class ShiftRow(SQLModel, table=True):
    """A concrete shift. `template_id` and `template_day` name the weekly template and the date it
    was made from (None for an extra or imported shift): applying the templates again skips that
    date, whatever became of the shift since. A cancelled shift is kept, with `cancelled_at`: it
    is off the roster from then on, and the coverage of its past still shows it planned."""

    __tablename__ = "shift"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "start", "end"),
        sa.UniqueConstraint("template_id", "template_day", name="uq_shift_template_day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    start: datetime = Field(sa_column=_utc_column(index=True))
    end: datetime = Field(sa_column=_utc_column())
    template_id: int | None = Field(default=None, foreign_key="shift_template.id", ondelete="SET NULL")
    template_day: date | None = None
    cancelled_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class Chat(SQLModel, table=True):
    """One conversation. `advisor_id` is the current holder; `target_*` and `excluded_user_id`
    narrow who may take it next after a transfer."""

    id: str = Field(primary_key=True, max_length=32)
    token_hash: str = Field(max_length=64)
    status: str = Field(max_length=16, index=True)
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)
    arrived_at: datetime = Field(sa_column=_utc_column(index=True))
    assigned_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    ended_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True, index=True))
    last_activity_at: datetime = Field(sa_column=_utc_column())
    advisor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    target_kind: str | None = Field(default=None, max_length=16)
    target_value: str | None = Field(default=None, max_length=64)
    excluded_user_id: int | None = Field(default=None, foreign_key="user.id")
    last_seq: int = 0
    ended_by: str | None = Field(default=None, max_length=16)
    end_reason: str | None = Field(default=None, max_length=32)
    outcome: str | None = Field(default=None, max_length=64)
    serving_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    statistic_id: int | None = Field(default=None)
    survey_answered: bool = False


class ChatHandler(SQLModel, table=True):
    """Every advisor who has held a chat: what an advisor may read later."""

    __tablename__ = "chat_handler"
    chat_id: str = Field(foreign_key="chat.id", primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user.id", primary_key=True)


class Message(SQLModel, table=True):
    """A line of a chat. `sender` is visitor, advisor, system or note (internal, advisors only)."""

    __table_args__ = (
        sa.UniqueConstraint("chat_id", "seq"),
        sa.UniqueConstraint("chat_id", "author", "client_id", name="uq_message_author_client_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(foreign_key="chat.id", max_length=32)
    seq: int
    sender: str = Field(max_length=16)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    text: str
    client_id: str | None = Field(default=None, max_length=128)
    # Whose client id it is (storage.messages.author_of): the visitor's and each advisor's ids
    # are apart, so equal ids of two senders are two lines.
    author: str = Field(default="", max_length=24)
    created_at: datetime = Field(sa_column=_utc_column())


class Feedback(SQLModel, table=True):
    chat_id: str = Field(foreign_key="chat.id", primary_key=True, max_length=32)
    rating: int
    comment: str | None = None
    created_at: datetime = Field(sa_column=_utc_column())


class OfflineMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)
    text: str
    contact: str | None = None
    created_at: datetime = Field(sa_column=_utc_column(index=True))
    claimed_by: int | None = Field(default=None, foreign_key="user.id")
    answered_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    answered_how: str | None = Field(default=None, max_length=32)


class ChatStatistic(SQLModel, table=True):
    """The anonymous record of one chat, written when it ends. No text, token or address, and no
    link back to the chat: it outlives transcript purges and is safe to export."""

    __tablename__ = "chat_statistic"
    id: int | None = Field(default=None, primary_key=True)
    hour_bucket: datetime = Field(sa_column=_utc_column(index=True))
    local_hour: int
    weekday: int
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)
    status: str = Field(max_length=16)
    outcome: str | None = Field(default=None, max_length=64)
    ended_by: str | None = Field(default=None, max_length=16)
    end_reason: str | None = Field(default=None, max_length=32)
    wait_s: int | None = None
    duration_s: int | None = None
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    message_count: int = 0
    rating: int | None = None


class TopicLink(SQLModel, table=True):
    """A page that may help a visitor with a topic, in one language: shown while they wait, when
    the chat is closed and beside the offline form."""

    __tablename__ = "topic_link"
    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=64, index=True)
    language: str = Field(max_length=8)
    title: str = Field(max_length=200)
    url: str = Field(max_length=2000)


class HelpClick(SQLModel, table=True):
    """That a visitor followed a topic link: the topic, language and hour only, no identifier."""

    __tablename__ = "help_click"
    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)
    hour_bucket: datetime = Field(sa_column=_utc_column(index=True))


class SurveyQuestion(SQLModel, table=True):
    """A question of the post-chat questionnaire coordinators design: `kind` scale (1 to 5),
    choice (one of `options`, a JSON list of {"fi", "sv", "en"}) or text. A retired question
    asks no more, and its answers stay in the statistics."""

    __tablename__ = "survey_question"
    id: int | None = Field(default=None, primary_key=True)
    position: int = 0
    kind: str = Field(max_length=8)
    text_fi: str = Field(max_length=300)
    text_sv: str = Field(max_length=300)
    text_en: str = Field(max_length=300)
    options: str = "[]"
    retired: bool = False


class SurveyAnswer(SQLModel, table=True):
    """One answer to a question. A number (scale, or the choice's index) is anonymous: no chat,
    the hour only. A free text is kept with its chat, so only those who may read the transcript
    read it, and it is purged with the transcript."""

    __tablename__ = "survey_answer"
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="survey_question.id", index=True)
    hour_bucket: datetime = Field(sa_column=_utc_column(index=True))
    value: int | None = None
    text: str | None = None
    chat_id: str | None = Field(default=None, foreign_key="chat.id", max_length=32, index=True)


class RefusedAttempt(SQLModel, table=True):
    """A visitor who tried to start a chat while the service was closed or unstaffed."""

    __tablename__ = "refused_attempt"
    id: int | None = Field(default=None, primary_key=True)
    hour_bucket: datetime = Field(sa_column=_utc_column(index=True))
    reason: str = Field(max_length=16)
    topic: str = Field(max_length=64)
    language: str = Field(max_length=8)


class DutyPeriod(SQLModel, table=True):
    """A span during which an advisor was signed in (`kind` signed_in) or available."""

    __tablename__ = "duty_period"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=16)
    started_at: datetime = Field(sa_column=_utc_column(index=True))
    ended_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class SessionRow(SQLModel, table=True):
    """A signed-in browser session; the cookie holds the token, this row its SHA-256."""

    __tablename__ = "session"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_utc_column(index=True))
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    detail: str = ""


class CannedAnswer(SQLModel, table=True):
    """An answer from the service handbook, in one language, maintained by coordinators."""

    __tablename__ = "canned_answer"
    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, index=True)
    title: str = Field(max_length=200)
    text: str
    position: int = 0


class ShiftTemplateRow(SQLModel, table=True):
    """One line of an advisor's weekly shift template: every week on `weekday` (0 = Monday) from
    `start` to `end`, local "HH:MM"; an end not after the start is on the next day, "24:00" is
    midnight. Applying the template to a week writes concrete shifts; the template itself routes
    nothing."""

    __tablename__ = "shift_template"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    weekday: int
    start: str = Field(max_length=5)
    end: str = Field(max_length=5)


class ShiftRequest(SQLModel, table=True):
    """An advisor's request to change the roster (`routing.shift_requests`): `kind` cover (a new
    shift over [start, end) for the requester), swap (the requester's `shift_id` for the other
    advisor's `other_shift_id`) or give (the requester's `shift_id` to `other_user_id`; None: to
    anyone, until someone takes it). `status` is the lifecycle's state; `agreed_at` when the other
    advisor agreed, `decided_*` who decided it and when (decided_by_id None on a decided request:
    an agreed swap that went through at once, or the advisors' own withdrawal or refusal)."""

    __tablename__ = "shift_request"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    status: str = Field(max_length=16, index=True)
    requester_id: int = Field(foreign_key="user.id", index=True)
    # A shift taken away again (the undo of the change that made it) leaves the request without it.
    shift_id: int | None = Field(default=None, foreign_key="shift.id", ondelete="SET NULL")
    start: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    end: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    other_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    other_shift_id: int | None = Field(default=None, foreign_key="shift.id", ondelete="SET NULL")
    created_at: datetime = Field(sa_column=_utc_column())
    agreed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
