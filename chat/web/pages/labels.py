"""What people read for the ids stored on chats and offline messages: topics, languages and
outcomes in the page's language. An id no longer configured is shown as it is."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from chat.web.context import db_of, live_of
from chat.web.i18n import Translator, request_language
from storage import service


def label_in(row: Any, language: str) -> str:
    """A configured row's label (`label_fi`, `label_sv`, `label_en`) in `language`."""
    return str(getattr(row, f"label_{language}"))


async def chat_labels(request: Request) -> dict[str, dict[str, str]]:
    """{"topics": {id: label}, "languages": {code: name}, "outcomes": {id: label}}."""
    language = request_language(request)
    t = Translator(language)
    async with db_of(request).transaction() as session:
        outcomes = await service.outcomes(session)
    config = live_of(request).config
    return {
        "topics": {topic.id: label_in(topic, language) for topic in config.topics.values()},
        "languages": {code: t(f"coord.language.{code}") for code in config.languages},
        "outcomes": {outcome.id: label_in(outcome, language) for outcome in outcomes},
    }
