"""Incoming frames: JSON text decoded into typed values, or a ProtocolError naming what is wrong.

Only shape is checked here (types, required fields, lengths of ids). What a frame means for a chat
(is the topic known, is the chat theirs) is the live service's business.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from chat.wire.errors import BadField, BadFrame, UnknownType

MAX_ID_CHARS = 128


@dataclass(frozen=True)
class Start:
    topic: str
    language: str


@dataclass(frozen=True)
class Resume:
    chat: str
    token: str
    after: int


@dataclass(frozen=True)
class Say:
    """A message or an internal note; `chat` is empty on the visitor socket."""

    id: str
    text: str
    chat: str = ""
    note: bool = False


@dataclass(frozen=True)
class Typing:
    chat: str = ""


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class QuickExit:
    """The visitor left by the quick exit (the widget has already forgotten the chat)."""


@dataclass(frozen=True)
class StillHere:
    """The answer to an idle warning; `chat` is empty on the visitor socket."""

    chat: str = ""


@dataclass(frozen=True)
class Ping:
    """A liveness probe (browsers do not surface WebSocket pings); answered with `pong`."""


@dataclass(frozen=True)
class Feedback:
    rating: int
    comment: str | None


@dataclass(frozen=True)
class SurveyAnswer:
    """One answer of the post-chat questionnaire: a number (scale 1–5, or a choice's index) or a text."""

    question: int
    value: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Survey:
    answers: tuple[SurveyAnswer, ...]


@dataclass(frozen=True)
class Status:
    status: str


@dataclass(frozen=True)
class Transfer:
    chat: str
    kind: str
    value: str
    note: str | None


@dataclass(frozen=True)
class Close:
    chat: str
    outcome: str


@dataclass(frozen=True)
class Block:
    """End the chat as blocked, for `duration` ("1h", "24h" or "7d")."""

    chat: str
    duration: str


Frame = (Start | Resume | Say | Typing | End | QuickExit | StillHere | Feedback | Survey | Status | Transfer | Close
         | Block | Ping)
Parser = Callable[[Mapping[str, Any]], Frame]


def is_storable(value: str) -> bool:
    """Whether a database can hold (or look up) the text: JSON admits lone surrogates ("\\ud800")
    and NUL, which neither SQLite's driver nor PostgreSQL will take."""
    return "\x00" not in value and not any("\ud800" <= char <= "\udfff" for char in value)


def storable(value: str, name: str) -> str:
    """The text, when a database can hold it (`is_storable`); BadField otherwise."""
    if not is_storable(value):
        raise BadField(f"field {name!r} holds characters that are not text")
    return value


def _str(frame: Mapping[str, Any], name: str, *, max_chars: int = MAX_ID_CHARS) -> str:
    value = frame.get(name)
    if not isinstance(value, str) or not value:
        raise BadField(f"field {name!r} must be a non-empty string")
    if len(value) > max_chars:
        raise BadField(f"field {name!r} is too long")
    return storable(value, name)


def _text(frame: Mapping[str, Any], name: str) -> str:
    # Length against the message limit is the live service's check (too_long), not a shape error.
    value = frame.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadField(f"field {name!r} must be a non-empty string")
    return storable(value, name)


def _optional_text(frame: Mapping[str, Any], name: str) -> str | None:
    value = frame.get(name)
    if value is not None and not isinstance(value, str):
        raise BadField(f"field {name!r} must be a string or null")
    return storable(value, name) if value else None


def _int(frame: Mapping[str, Any], name: str, *, low: int, high: int) -> int:
    value = frame.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadField(f"field {name!r} must be an integer from {low} to {high}")
    return value


def _start(f: Mapping[str, Any]) -> Start:
    return Start(topic=_str(f, "topic"), language=_str(f, "language"))


def _resume(f: Mapping[str, Any]) -> Resume:
    after = f.get("after", 0)
    return Resume(chat=_str(f, "chat"), token=_str(f, "token"),
                  after=_int({"after": after}, "after", low=0, high=2**31))


def _visitor_say(f: Mapping[str, Any]) -> Say:
    return Say(id=_str(f, "id"), text=_text(f, "text"))


def _feedback(f: Mapping[str, Any]) -> Feedback:
    return Feedback(rating=_int(f, "rating", low=1, high=5), comment=_optional_text(f, "comment"))


MAX_SURVEY_ANSWERS = 5


def _survey(f: Mapping[str, Any]) -> Survey:
    answers = f.get("answers")
    if not isinstance(answers, list) or len(answers) > MAX_SURVEY_ANSWERS:
        raise BadField(f"field 'answers' must be a list of at most {MAX_SURVEY_ANSWERS} answers")
    return Survey(tuple(_survey_answer(a) for a in answers))


def _survey_answer(answer: object) -> SurveyAnswer:
    if not isinstance(answer, dict):
        raise BadField("each answer must be an object with 'question' and 'value' or 'text'")
    question = _int(answer, "question", low=1, high=2**31 - 1)
    if "text" in answer:
        return SurveyAnswer(question, text=_text(answer, "text"))
    return SurveyAnswer(question, value=_int(answer, "value", low=0, high=5))


def _advisor_say(f: Mapping[str, Any]) -> Say:
    return Say(chat=_str(f, "chat"), id=_str(f, "id"), text=_text(f, "text"))


def _note(f: Mapping[str, Any]) -> Say:
    return Say(chat=_str(f, "chat"), id=_str(f, "id"), text=_text(f, "text"), note=True)


def _status(f: Mapping[str, Any]) -> Status:
    status = f.get("status")
    if status not in ("available", "away"):
        raise BadField("field 'status' must be \"available\" or \"away\"")
    return Status(status=str(status))


def _transfer(f: Mapping[str, Any]) -> Transfer:
    to = f.get("to")
    if not isinstance(to, dict) or len(to) != 1:
        raise BadField("field 'to' must be one of {advisor}, {organisation} or {topic}")
    kind = next(iter(to))
    if kind not in ("advisor", "organisation", "topic"):
        raise BadField("field 'to' must be one of {advisor}, {organisation} or {topic}")
    return Transfer(chat=_str(f, "chat"), kind=kind, value=_str(to, kind), note=_optional_text(f, "note"))


def _close(f: Mapping[str, Any]) -> Close:
    return Close(chat=_str(f, "chat"), outcome=_str(f, "outcome"))


VISITOR_FRAMES: Mapping[str, Parser] = {
    "start": _start,
    "resume": _resume,
    "message": _visitor_say,
    "typing": lambda f: Typing(),
    "end": lambda f: End(),
    "still_here": lambda f: StillHere(),
    "quick_exit": lambda f: QuickExit(),
    "feedback": _feedback,
    "survey": _survey,
    "ping": lambda f: Ping(),
}

ADVISOR_FRAMES: Mapping[str, Parser] = {
    "status": _status,
    "message": _advisor_say,
    "note": _note,
    "typing": lambda f: Typing(chat=_str(f, "chat")),
    "transfer": _transfer,
    "close": _close,
    "block": lambda f: Block(chat=_str(f, "chat"), duration=_str(f, "duration")),
    "still_here": lambda f: StillHere(chat=_str(f, "chat")),
    "ping": lambda f: Ping(),
}


def decode(raw: str, parsers: Mapping[str, Parser]) -> Frame:
    try:
        # orjson: a fifth of the standard parser's time. What it refuses is read again by the
        # standard parser, which says why, and admits what JSON admits (a lone surrogate is then
        # refused as a bad field, as docs/protocol.md says).
        frame = orjson.loads(raw)
    except orjson.JSONDecodeError:
        frame = _standard_json(raw)
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise BadFrame("frame must be a JSON object with a string field 'type'")
    parser = parsers.get(frame["type"])
    if parser is None:
        raise UnknownType(f"unknown frame type {frame['type'][:40]!r}")
    return parser(frame)


def _standard_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise BadFrame("frame is not JSON") from None
    except RecursionError:
        # Thousands of nested brackets fit in a frame; the parser gives up, and so do we.
        raise BadFrame("frame nests too deep") from None
