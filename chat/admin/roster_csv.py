"""Reading a roster CSV (username,date,start,end) into shifts, or into a report of every bad row.

The whole file is checked before anything is imported: an operator fixes all the rows at once
and never ends up with half a roster. Dates and times are read by `routing.wallclock.span`, the
rule every entry point uses: a time the clock skips on that date makes the row bad.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from chat.admin.errors import Problem, Refused
from routing.errors import BadSpec
from routing.wallclock import clock_time, span

COLUMNS = ("username", "date", "start", "end")


@dataclass(frozen=True)
class RosterShift:
    username: str
    start: datetime
    end: datetime


class RosterFileError(Refused):
    """Every bad row, each as `FILE:LINE: reason` in `lines`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__([Problem("file", "rows", line) for line in lines])
        self.lines = lines


def _clock(value: str, column: str) -> time | None:
    """HH:MM; 24:00 as an end (midnight at the end of the day) as None."""
    try:
        return clock_time(value, end=column == "end")
    except BadSpec:
        raise ValueError(f'bad {column} time "{value}" (use HH:MM)') from None


def _row(fields: dict[str, str], users: set[str], tz: ZoneInfo) -> RosterShift:
    username = fields["username"].strip()
    if username not in users:
        raise ValueError(f'unknown user "{username}"')
    try:
        day = date.fromisoformat(fields["date"].strip())
    except ValueError:
        raise ValueError(f'bad date "{fields["date"].strip()}" (use YYYY-MM-DD)') from None
    start = _clock(fields["start"].strip(), "start")
    end = _clock(fields["end"].strip(), "end")
    assert start is not None
    # A time the clock skips that day raises SkippedTime, a ValueError naming it.
    begins, ends = span(day, start, end, tz, recurring=False)
    return RosterShift(username=username, start=begins, end=ends)


def read_roster(name: str, text: str, *, users: set[str], tz: ZoneInfo) -> list[RosterShift]:
    """Every shift of the file, or RosterFileError naming every bad row by line number."""
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    if header != list(COLUMNS):
        raise RosterFileError([f"{name}:1: the header must be {','.join(COLUMNS)}"])
    shifts: list[RosterShift] = []
    errors: list[str] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            errors.append(f"{name}:{line}: expected {len(COLUMNS)} columns, found {len(row)}")
            continue
        try:
            shifts.append(_row(dict(zip(COLUMNS, row, strict=True)), users, tz))
        except ValueError as error:
            errors.append(f"{name}:{line}: {error}")
    if errors:
        raise RosterFileError(errors)
    return shifts
