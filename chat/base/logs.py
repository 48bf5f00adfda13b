"""Logging for `neuvo serve`: the service's own lines, and uvicorn's without client addresses.

uvicorn's access log is switched off, but it still logs every WebSocket handshake with the
client's address and port on its error logger. Addresses are personal data the service does not
keep: the filter blanks them.
"""

from __future__ import annotations

import logging

FORMAT = "%(levelname)s:     %(name)s: %(message)s"


class NoClientAddress(logging.Filter):
    """Blank the client address uvicorn puts first in its WebSocket handshake lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "WebSocket" in str(record.msg) and isinstance(record.args, tuple) and record.args:
            record.args = ("-", *record.args[1:])
        return True


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    neuvo = logging.getLogger("neuvo")
    neuvo.setLevel(level)
    neuvo.addHandler(handler)
    neuvo.propagate = False
    logging.getLogger("uvicorn.error").addFilter(NoClientAddress())
