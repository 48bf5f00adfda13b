"""The post-chat questionnaire: its questions, and the visitors' answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, literal_column
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import Chat, SurveyAnswer, SurveyQuestion


def options_of(question: SurveyQuestion) -> list[dict[str, str]]:
    """A choice question's options, each with its text in every language."""
    loaded: list[dict[str, str]] = json.loads(question.options)
    return loaded


async def questions(session: AsyncSession, *, with_retired: bool = False) -> Sequence[SurveyQuestion]:
    query = select(SurveyQuestion).order_by(col(SurveyQuestion.position), col(SurveyQuestion.id))
    if not with_retired:
        query = query.where(col(SurveyQuestion.retired).is_(False))
    return (await session.execute(query)).scalars().all()


async def add_question(session: AsyncSession, *, question: SurveyQuestion) -> None:
    session.add(question)
    await session.flush()


async def question(session: AsyncSession, *, question_id: int) -> SurveyQuestion | None:
    return await session.get(SurveyQuestion, question_id)


async def save_answers(session: AsyncSession, *, chat: Chat, answers: Sequence[SurveyAnswer]) -> None:
    """The chat's visitor answered (once): numbers without the chat, free texts with it."""
    chat.survey_answered = True
    session.add(chat)
    session.add_all(answers)


async def text_answers(session: AsyncSession, *, chat_id: str) -> Sequence[tuple[SurveyQuestion, SurveyAnswer]]:
    result = await session.execute(
        select(SurveyQuestion, SurveyAnswer).join(SurveyAnswer, col(SurveyAnswer.question_id) == SurveyQuestion.id)
        .where(col(SurveyAnswer.chat_id) == chat_id).order_by(col(SurveyQuestion.position), col(SurveyQuestion.id))
    )
    return [(q, a) for q, a in result.all()]


async def value_counts(session: AsyncSession, *, start: datetime, end: datetime) -> dict[int, dict[int, int]]:
    """Per question, how many answers gave each value in [start, end) (free texts: value -1)."""
    # -1 written into the SQL, not bound: PostgreSQL takes two bound -1s for two expressions and
    # refuses to group by one while selecting the other.
    value = func.coalesce(col(SurveyAnswer.value), literal_column("-1"))
    result = await session.execute(
        select(col(SurveyAnswer.question_id), value, func.count())
        .where(col(SurveyAnswer.hour_bucket) >= start, col(SurveyAnswer.hour_bucket) < end)
        .group_by(col(SurveyAnswer.question_id), value)
    )
    counts: dict[int, dict[int, int]] = {}
    for question_id, answered, count in result.all():
        counts.setdefault(int(question_id), {})[int(answered)] = int(count)
    return counts
