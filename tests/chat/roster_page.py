"""Reading the roster page's grid back: each shift block by its full name ("Anna, Mon 7 Dec
09:00–13:00"), as a screen reader announces it."""

from __future__ import annotations

import html
import re

BLOCK = re.compile(r'<li class="block block--(\w+)[^"]*" data-shift="(\d+)"(.*?)</li>', re.S)
NAME = re.compile(r'<span class="visually-hidden">([^<]*) </span>([^<]*)<')


def blocks(page: str) -> dict[str, int]:
    """The grid's shift blocks: full name -> shift id."""
    found = {}
    for _, shift_id, body in BLOCK.findall(page):
        name = NAME.search(body)
        assert name is not None, body
        found[html.unescape(f"{name[1]} {name[2]}")] = int(shift_id)
    return found


def states(page: str) -> dict[str, str]:
    """The grid's shift blocks: full name -> ahead, running or over."""
    return {html.unescape(f"{n[1]} {n[2]}"): state for state, _, body in BLOCK.findall(page)
            if (n := NAME.search(body)) is not None}


def warnings(page: str) -> dict[str, list[str]]:
    """The grid's shift blocks with warnings: full name -> the warnings' short texts."""
    found = {}
    for _, _, body in BLOCK.findall(page):
        name = NAME.search(body)
        marks = re.findall(r'<span class="warning-mark">([^<]*)</span>', body)
        if name is not None and marks:
            found[html.unescape(f"{name[1]} {name[2]}")] = [html.unescape(m) for m in marks]
    return found
