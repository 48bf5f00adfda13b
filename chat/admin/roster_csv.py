"""Reading a roster CSV (username,date,start,end) into shifts, or into a report of every bad row.

The whole file is checked before anything is imported: an operator fixes all the rows at once
and never ends up with half a roster. Dates and times are read by `routing.wallclock.span`, the
rule every entry point uses: a time the clock skips on that date makes the row bad.

Each bad row is a `Problem` whose `reason` is the English `FILE:LINE: reason` the CLI prints,
and whose `code` and `values` (`file`, `line`, the bad `value`, ...) let a page say the same in
its own language (the catalogs' `coord.roster.row.<code>`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from chat.admin.errors import Problem, Refused
from routing.errors import BadSpec, SkippedTime
from routing.wallclock import clock_time, span

COLUMNS = ("username", "date", "start", "end")


@dataclass(frozen=True)
class RosterShift:
    username: str
    start: datetime
    end: datetime


class RosterFileError(Refused):
    """Every bad row, each as `FILE:LINE: reason` in `lines`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.lines = [problem.reason for problem in problems]


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
        day = date.fromisoformat(text)
    except ValueError:
        raise BadRow("date", f'bad date "{text}" (use YYYY-MM-DD)', value=text) from None
    start = _clock(fields["start"].strip(), "start")
    end = _clock(fields["end"].strip(), "end")
    assert start is not None
    try:
        begins, ends = span(day, start, end, tz, recurring=False)
    except SkippedTime as skipped:
        raise BadRow(f"skipped_{skipped.bound}", str(skipped), value=f"{skipped.clock:%H:%M}", day=day) from None
    return RosterShift(username=username, start=begins, end=ends)


def _problem(name: str, line: int, code: str, reason: str, **values: object) -> Problem:
    # The line number as text: a page fills it in as it is, not as a number of its language.
    return Problem("file", code, f"{name}:{line}: {reason}", {"file": name, "line": str(line), **values})


def read_roster(name: str, text: str, *, users: set[str], tz: ZoneInfo) -> list[RosterShift]:
    """Every shift of the file, or RosterFileError naming every bad row by line number."""
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    if header != list(COLUMNS):
        columns = ",".join(COLUMNS)
        raise RosterFileError([_problem(name, 1, "header", f"the header must be {columns}", columns=columns)])
    shifts: list[RosterShift] = []
    errors: list[Problem] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            errors.append(_problem(name, line, "columns", f"expected {len(COLUMNS)} columns, found {len(row)}",
                                   expected=len(COLUMNS), found=len(row)))
            continue
        try:
            shifts.append(_row(dict(zip(COLUMNS, row, strict=True)), users, tz))
        except BadRow as bad:
            errors.append(_problem(name, line, bad.code, str(bad), **bad.values))
    if errors:
        raise RosterFileError(errors)
    return shifts
