"""Reading a roster CSV (username,date,start,end) into shifts, or into a report of every bad row.

The whole file is checked before anything is imported: an operator fixes all the rows at once
and never ends up with half a roster.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

COLUMNS = ("username", "date", "start", "end")


@dataclass(frozen=True)
class RosterShift:
    username: str
    start: datetime
    end: datetime


class RosterFileError(Exception):
    """Every bad row, each as `FILE:LINE: reason`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _local(day: date, clock: time, tz: ZoneInfo) -> datetime | None:
    """The instant the wall clock shows `clock` on `day`, or None when it skips that time."""
    local = datetime.combine(day, clock, tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz)
    return local if back.replace(tzinfo=None) == local.replace(tzinfo=None) else None


def _clock(value: str, column: str) -> time | None:
    """HH:MM; 24:00 as None (midnight at the end of the day)."""
    if value == "24:00" and column == "end":
        return None
    try:
        if len(value) != 5:
            raise ValueError
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f'bad {column} time "{value}" (use HH:MM)') from None


def _row(fields: dict[str, str], users: set[str], tz: ZoneInfo) -> RosterShift:
    username = fields["username"].strip()
    if username not in users:
        raise ValueError(f'unknown user "{username}"')
    try:
        day = date.fromisoformat(fields["date"].strip())
    except ValueError:
        raise ValueError(f'bad date "{fields["date"].strip()}" (use YYYY-MM-DD)') from None
    start_clock = _clock(fields["start"].strip(), "start")
    end_clock = _clock(fields["end"].strip(), "end")
    assert start_clock is not None
    start = _local(day, start_clock, tz)
    if start is None:
        raise ValueError(f'start time "{fields["start"].strip()}" does not exist on {day} (clocks change)')
    # An end not after the start is on the next day; 24:00 is the next day's midnight.
    end_day = day if end_clock is not None and end_clock > start_clock else day + timedelta(days=1)
    end = _local(end_day, end_clock or time(0), tz)
    if end is None:
        raise ValueError(f'end time "{fields["end"].strip()}" does not exist on {end_day} (clocks change)')
    return RosterShift(username=username, start=start.astimezone(UTC), end=end.astimezone(UTC))


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
