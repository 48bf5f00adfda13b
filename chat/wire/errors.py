"""Errors that reach a client, each with its wire code.

ProtocolError                    an error frame; the socket stays open
 ├── BadFrame        bad_frame
 ├── UnknownType     unknown_type
 ├── BadField        bad_field
 ├── UnknownTopic    unknown_topic
 ├── UnknownLanguage unknown_language
 ├── TooLong         too_long
 ├── NotStarted      not_started
 ├── NotYours        not_yours
 ├── ChatEnded       chat_ended
 ├── RateLimited     rate_limited
 ├── Unavailable     unavailable
 ├── Unauthorized    unauthorized (then close 4401)
 ├── CannotServe     cannot_serve
 ├── NotEnded        not_ended (Neuvo's own)
 └── AlreadyStarted  already_started (Neuvo's own)

`storage_failure` is the one mapping from a storage failure to its wire error.
"""

from __future__ import annotations

import logging

from chat.wire.outgoing import ErrorOut

log = logging.getLogger("neuvo.storage")


class ProtocolError(Exception):
    code = "error"
    close_code: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def frame(self) -> ErrorOut:
        return ErrorOut(code=self.code, message=self.message)


class BadFrame(ProtocolError):
    code = "bad_frame"


class UnknownType(ProtocolError):
    code = "unknown_type"


class BadField(ProtocolError):
    code = "bad_field"


class UnknownTopic(ProtocolError):
    code = "unknown_topic"


class UnknownLanguage(ProtocolError):
    code = "unknown_language"


class TooLong(ProtocolError):
    code = "too_long"


class NotStarted(ProtocolError):
    code = "not_started"


class NotYours(ProtocolError):
    code = "not_yours"


class ChatEnded(ProtocolError):
    code = "chat_ended"


class RateLimited(ProtocolError):
    code = "rate_limited"


class Unavailable(ProtocolError):
    code = "unavailable"


class Unauthorized(ProtocolError):
    code = "unauthorized"
    close_code = 4401


class CannotServe(ProtocolError):
    """A transfer to an advisor, organisation or topic whom nobody signed in and on shift can
    serve (the chat's language, its topic; capacity aside): the chat stays with the sender."""

    code = "cannot_serve"


class NotEnded(ProtocolError):
    """Neuvo's own code: feedback before the chat has ended."""

    code = "not_ended"


class AlreadyStarted(ProtocolError):
    """Neuvo's own code: `start` or `resume` on a socket that already carries a live chat."""

    code = "already_started"


def storage_failure(error: BaseException) -> Unavailable:
    """What a client is told when storage failed under its request: nothing was stored, retry.
    The log names the failure's type only, never what was being written."""
    log.error("storage failed: %s", type(error).__name__)
    return Unavailable("storage cannot take the write now; nothing was saved, please retry")
