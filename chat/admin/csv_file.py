"""An import file in CSV, read one way by every import (the roster, people).

- The first row is the header: it names the columns; each import says which it takes.
- Cells are separated by commas, or by semicolons when the header has a semicolon and no comma:
  that is what a spreadsheet saves in a Finnish or Swedish locale, whose decimal mark is the
  comma. A UTF-8 byte order mark (Excel's "CSV UTF-8") is dropped.
- Blank lines are skipped; a row with more or fewer cells than the header is bad.
- Dates and times come as people and spreadsheets write them: `2026-12-21` or `21.12.2026`,
  `09:00`, `9:00` or `9.00` (`day_of`, `clock_of` make them ISO dates and `HH:MM`).
- The whole file is checked before anything is imported, and every bad row is reported at once:
  an operator fixes all the rows in one go and never ends up with half an import.

Each bad row is a `Problem` whose `reason` is the English `FILE:LINE: reason` the CLI prints, and
whose `code` and `values` (`file`, `line`, ...) let a page say the same in its own language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date

from chat.admin.errors import Problem, Refused

_FINNISH_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_LOOSE_CLOCK = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")


def day_of(text: str) -> date:
    """An ISO date (2026-12-21) or one as Finnish spreadsheets write it (21.12.2026); ValueError
    otherwise."""
    finnish = _FINNISH_DATE.fullmatch(text)
    if finnish:
        return date(int(finnish[3]), int(finnish[2]), int(finnish[1]))
    return date.fromisoformat(text)


def clock_of(text: str) -> str:
    """"9:00" or "9.00" (a Finnish spreadsheet's time) as "09:00"; anything else as it is, for the
    time rule (routing.wallclock.clock_time) to judge."""
    loose = _LOOSE_CLOCK.fullmatch(text)
    return f"{int(loose[1]):02d}:{loose[2]}" if loose else text


class CsvFileError(Refused):
    """Every bad row of a CSV file, each as `FILE:LINE: reason` in `lines`, in line order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.lines = [problem.reason for problem in problems]


def _problem(name: str, line: int, code: str, reason: str, **values: object) -> Problem:
    # The line number as text: a page fills it in as it is, not as a number of its language.
    return Problem("file", code, f"{name}:{line}: {reason}", {"file": name, "line": str(line), **values})


def _delimiter(text: str) -> str:
    header = text.partition("\n")[0]
    return ";" if ";" in header and "," not in header else ","


class CsvFile:
    """A CSV file being read: its header (cells stripped and lowercased), its rows, and the
    problems found so far, line by line."""

    def __init__(self, name: str, text: str) -> None:
        text = text.removeprefix("\ufeff")
        self.name = name
        self._reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        self.header = [column.strip().lower() for column in next(self._reader, [])]
        self._problems: list[tuple[int, Problem]] = []

    def bad(self, line: int, code: str, reason: str, **values: object) -> None:
        self._problems.append((line, _problem(self.name, line, code, reason, **values)))

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row that has a cell for every column, with its line number, as column: cell.
        A row with a different number of cells is reported as bad instead."""
        width = len(self.header)
        for line, row in enumerate(self._reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                self.bad(line, "columns", f"expected {width} columns, found {len(row)}", expected=width,
                         found=len(row))
                continue
            yield line, dict(zip(self.header, row, strict=True))

    def raise_any(self) -> None:
        """CsvFileError with every problem found, if any, in line order."""
        if self._problems:
            raise CsvFileError([found for _, found in sorted(self._problems, key=lambda item: item[0])])
