"""Reading a roster CSV (username,date,start,end) into shifts, or into a report of every bad row.

The file is read as every import file is (`chat.admin.csv_file`: checked whole first, a comma or
a semicolon between cells, every bad row as `FILE:LINE: reason`); a page says each reason in its
own language by the catalogs' `coord.roster.row.<code>`. Dates and times are read by
`routing.wallclock.span`, the rule every entry point uses: a time the clock skips on that date
makes the row bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from chat.admin.csv_file import CsvFile, clock_of, day_of
from routing.errors import BadSpec, SkippedTime
from routing.wallclock import clock_time, span

COLUMNS = ("username", "date", "start", "end")


@dataclass(frozen=True)
class RosterShift:
    username: str
    start: datetime
    end: datetime


class BadRow(ValueError):
    """What is wrong with one row: `code` names it, `reason` says it in English."""

    def __init__(self, code: str, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.code = code
        self.values = values


def _clock(value: str, column: str) -> time | None:
    """HH:MM; 24:00 as an end (midnight at the end of the day) as None."""
    try:
        return clock_time(value, end=column == "end")
    except BadSpec:
        raise BadRow(column, f'bad {column} time "{value}" (use HH:MM)', value=value) from None


def _row(fields: dict[str, str], users: set[str], tz: ZoneInfo) -> RosterShift:
    username = fields["username"].strip()
    if username not in users:
        raise BadRow("user", f'unknown user "{username}"', value=username)
    text = fields["date"].strip()
    try:
        day = day_of(text)
    except ValueError:
        raise BadRow("date", f'bad date "{text}" (use YYYY-MM-DD or DD.MM.YYYY)', value=text) from None
    start = _clock(clock_of(fields["start"].strip()), "start")
    end = _clock(clock_of(fields["end"].strip()), "end")
    assert start is not None
    try:
        begins, ends = span(day, start, end, tz, recurring=False)
    except SkippedTime as skipped:
        raise BadRow(f"skipped_{skipped.bound}", str(skipped), value=f"{skipped.clock:%H:%M}", day=day) from None
    return RosterShift(username=username, start=begins, end=ends)


def read_roster(name: str, text: str, *, users: set[str], tz: ZoneInfo) -> list[RosterShift]:
    """Every shift of the file, or CsvFileError naming every bad row by line number."""
    file = CsvFile(name, text)
    if file.header != list(COLUMNS):
        columns = ",".join(COLUMNS)
        file.bad(1, "header", f"the header must be {columns}", columns=columns)
        file.raise_any()  # the rows cannot be read by another header
    shifts: list[RosterShift] = []
    for line, fields in file.rows():
        try:
            shifts.append(_row(fields, users, tz))
        except BadRow as bad:
            file.bad(line, bad.code, str(bad), **bad.values)
    file.raise_any()
    return shifts
