"""What the visitor's commands do: resume, connect and leave, write, type, end, rate (a start
is chat.live.starts).

Each function is run by `LiveService.run`, which holds the lock where the command changes the
queue (see chat.live.service).
"""

from __future__ import annotations

import hmac
import time
from datetime import datetime

from chat.base.digest import token_digest
from chat.base.ratelimit import TokenBucket
from chat.live import lines
from chat.live.commands import (
    AnswerSurvey,
    GiveFeedback,
    ResumeChat,
    VisitorConnected,
    VisitorDisconnected,
    VisitorEnds,
    VisitorLeftQuickly,
    VisitorSays,
    VisitorStillHere,
    VisitorTyping,
)
from chat.live.core import Core
from chat.live.places import place_of
from chat.live.state import LiveChat
from chat.wire.errors import (
    BadField,
    ChatEnded,
    NotEnded,
    RateLimited,
    TooLong,
    Unauthorized,
)
from chat.wire.outgoing import (
    Ack,
    AdvisorCard,
    Ended,
    FeedbackSaved,
    OutFrame,
    Position,
    SurveySaved,
    TypingOut,
    VisitorAssigned,
    VisitorLeft,
    message_out,
)
from routing.lifecycle import FINAL_STATES, ChatEvent
from storage import chats, messages, people, statistics, survey
from storage.database import Session
from storage.tables import Chat, SurveyAnswer


def live_chat(core: Core, chat_id: str) -> LiveChat:
    chat = core.state.chat(chat_id)
    if chat is None:
        raise ChatEnded("this chat has ended")
    return chat


async def resume(core: Core, command: ResumeChat) -> list[OutFrame]:
    """Every visible message after `after`, then the chat's current state."""
    async with core.db.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=command.chat_id)
        if row is None or not hmac.compare_digest(row.token_hash, token_digest(command.token)):
            raise Unauthorized("unknown chat or wrong token")
        replay = await messages.messages_after(session, chat_id=row.id, after=command.after, visitor_view=True)
        advisor = await _advisor_card(session, row)
    frames: list[OutFrame] = [message_out(message, core.tz) for message in replay]
    chat = core.state.chat(row.id)
    if chat is None:
        frames.append(Ended(by=row.ended_by, reason=row.end_reason))
    elif chat.waiting:
        position, wait = place_of(core, chat, core.clock.now())
        frames.append(Position(position=position, estimated_wait_s=wait))
    else:
        frames.append(VisitorAssigned(advisor=advisor))
    return frames


async def _advisor_card(session: Session, row: Chat) -> AdvisorCard | None:
    if row.advisor_id is None:
        return None
    found = await people.user_and_organisation(session, user_id=row.advisor_id)
    return AdvisorCard(name=found[0].name, organisation=found[1].name) if found else None


async def connected(core: Core, command: VisitorConnected) -> None:
    chat = core.state.chat(command.chat_id)
    if chat is not None:
        core.state.visitor_connected(chat)


async def disconnected(core: Core, command: VisitorDisconnected) -> None:
    chat = core.state.chat(command.chat_id)
    if chat is not None:
        core.state.visitor_disconnected(chat, core.clock.now())


def _within_chat_rate(core: Core, chat: LiveChat) -> None:
    """One chat may have any number of sockets (tabs, or a script's many): its visitor's lines
    and typing count together, at NEUVO_CHAT_RATE a second with bursts of 3×."""
    now = time.monotonic()
    rate = core.settings.chat_rate
    if chat.visitor_frames is None:
        chat.visitor_frames = TokenBucket(rate=rate, burst=3 * rate, now=now)
    if not chat.visitor_frames.take(now):
        raise RateLimited("too many messages in this chat; slow down")


async def say(core: Core, command: VisitorSays) -> Ack:
    chat = live_chat(core, command.chat_id)
    _within_chat_rate(core, chat)
    return await lines.write(core, chat, sender="visitor", text=command.text, client_id=command.client_id,
                             user_id=None)


async def typing(core: Core, command: VisitorTyping) -> None:
    chat = live_chat(core, command.chat_id)
    _within_chat_rate(core, chat)
    if chat.advisor is not None:
        await core.to_advisor(chat.advisor, TypingOut(chat=chat.id, sender="visitor"))


async def still_here(core: Core, command: VisitorStillHere) -> None:
    chat = live_chat(core, command.chat_id)
    _within_chat_rate(core, chat)
    await core.still_here(chat)


async def left_quickly(core: Core, command: VisitorLeftQuickly) -> None:
    """The quick exit: the chat is not ended at once (the advisor reads that the visitor left,
    and may still write a line they will never see); it ends after the visitor grace."""
    chat = live_chat(core, command.chat_id)
    core.state.left_quickly(chat)
    if chat.advisor is not None:
        await core.to_advisor(chat.advisor, VisitorLeft(chat=chat.id))


async def end(core: Core, command: VisitorEnds) -> None:
    chat = live_chat(core, command.chat_id)
    # A visitor who gives up while still waiting is counted as abandoned in the queue.
    event = ChatEvent.ABANDON if chat.waiting else ChatEvent.END
    await core.end(chat, event=event, by="visitor", reason=None)


async def answer_survey(core: Core, command: AnswerSurvey) -> SurveySaved:
    """Keep the answers once a chat; a repeat (a resend after a cut) is answered the same and
    stores nothing."""
    if core.state.chat(command.chat_id) is not None:
        raise NotEnded("the questionnaire is answered once the chat has ended")
    now = core.clock.now()
    answers = [_survey_answer(core, command.chat_id, answer, now) for answer in command.answers]
    async with core.db.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=command.chat_id)
        if row is None or row.status not in FINAL_STATES:
            raise NotEnded("the questionnaire is answered once the chat has ended")
        if not row.survey_answered:
            await survey.save_answers(session, chat=row, answers=answers)
    return SurveySaved()


def _survey_answer(core: Core, chat_id: str, answer: tuple[int, int | None, str | None], now: datetime) -> SurveyAnswer:
    question_id, value, text = answer
    question = next((q for q in core.config.survey if q.id == question_id), None)
    if question is None:
        raise BadField(f"no question {question_id} is asked")
    hour = now.replace(minute=0, second=0, microsecond=0)
    if question.kind == "text":
        if text is None:
            raise BadField(f"question {question_id} takes a text")
        if len(text) > core.settings.max_message_chars:
            raise TooLong(f"an answer is at most {core.settings.max_message_chars} characters")
        return SurveyAnswer(question_id=question_id, hour_bucket=hour, text=text, chat_id=chat_id)
    highest = 5 if question.kind == "scale" else len(survey.options_of(question)) - 1
    lowest = 1 if question.kind == "scale" else 0
    if value is None or not lowest <= value <= highest:
        raise BadField(f"question {question_id} takes a number from {lowest} to {highest}")
    return SurveyAnswer(question_id=question_id, hour_bucket=hour, value=value)


async def feedback(core: Core, command: GiveFeedback) -> FeedbackSaved:
    if core.state.chat(command.chat_id) is not None:
        raise NotEnded("feedback is taken once the chat has ended")
    now = core.clock.now()
    async with core.db.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=command.chat_id)
        if row is None or row.status not in FINAL_STATES:
            raise NotEnded("feedback is taken once the chat has ended")
        comment = command.comment[: core.settings.max_message_chars] if command.comment else None
        await statistics.save_feedback(session, chat=row, rating=command.rating, comment=comment, now=now)
    return FeedbackSaved()
