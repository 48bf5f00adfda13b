"""JSON text from outside, decoded with a depth limit that is checked before parsing (the
standard parser recurses once per level, so thousands of `[` raise RecursionError in it)."""

from __future__ import annotations

import json
import re
from typing import Any

# What can change the nesting or end a string; everything else is skipped by the scan.
_SPECIAL = re.compile(r'[\[\]{}"\\]')


class BadJson(ValueError):
    """Not UTF-8, not JSON, or nested deeper than the limit; the message says which."""


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` anywhere in the text (brackets inside
    strings do not count). One linear pass, whatever the text holds."""
    depth = 0
    in_string = False
    escaped = -1  # the position a backslash escapes
    for match in _SPECIAL.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == escaped:
                continue
            if char == "\\":
                escaped = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads(raw: bytes, *, max_depth: int) -> Any:
    """The JSON value of a UTF-8 body, or BadJson."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJson("the body is not UTF-8") from None
    if nested_deeper_than(text, max_depth):
        raise BadJson(f"the JSON nests deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BadJson("the body is not valid JSON") from None
