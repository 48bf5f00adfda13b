"""The roster as the calendar page draws it: people × days, each shift a block in the cell of
its advisor and its start date, with what routing's checks warn of (`routing.roster_checks`)
and whether an advisor's request to hand it on waits for an answer.

A block knows whether it is still ahead (it may be moved, cancelled, selected), running (it may
be cancelled from now) or over (history, read only), and its full name for a screen reader:
"Anna, ti 1.12. 9.00–13.00", the person and the date that a sighted reader takes from the row
and the column."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chat.web.i18n import Translator
from routing.hours import OpeningHours
from routing.roster import Shift
from routing.roster_checks import day_kind, shift_warnings
from storage.tables import ShiftRow, User

AHEAD, RUNNING, OVER = "ahead", "running", "over"


@dataclass(frozen=True)
class Block:
    id: int
    advisor: User
    start: datetime  # in the service's time zone
    end: datetime
    span: str  # "9.00–13.00", in the page's language
    name: str  # "Anna, ti 1.12. 9.00–13.00"
    state: str
    warnings: tuple[str, ...]
    requested: bool = False  # an advisor's request to hand it on waits for an answer

    @property
    def ahead(self) -> bool:
        return self.state == AHEAD

    @property
    def week(self) -> date:
        """The Monday of its week."""
        return self.start.date() - timedelta(days=self.start.weekday())

    @property
    def clock(self) -> tuple[str, str]:
        """Its start and end as the forms take them ("09:00", "24:00" for a midnight end)."""
        end = "24:00" if self.end.time().hour == self.end.time().minute == 0 else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}", end


@dataclass(frozen=True)
class Day:
    day: date
    label: str  # "ti 1.12."
    kind: str  # routing.roster_checks.day_kind
    past: bool

    @property
    def id(self) -> str:
        return f"d-{self.day.isoformat()}"


@dataclass(frozen=True)
class Row:
    advisor: User
    cells: tuple[tuple[Block, ...], ...]  # one per day, by start

    @property
    def id(self) -> str:
        return f"p-{self.advisor.id}"


@dataclass(frozen=True)
class Grid:
    days: tuple[Day, ...]
    rows: tuple[Row, ...]

    @property
    def blocks(self) -> list[Block]:
        return [block for row in self.rows for cell in row.cells for block in cell]

    @property
    def warned(self) -> list[Block]:
        """The blocks with a warning, by start."""
        return sorted((b for b in self.blocks if b.warnings), key=_by_start)

    def on(self, day: date) -> list[Block]:
        """Every block of the date, by start (the month's overview lists them so)."""
        cell = (day - self.days[0].day).days
        return sorted((block for row in self.rows for block in row.cells[cell]), key=_by_start)


def _by_start(block: Block) -> tuple[datetime, str]:
    return block.start, block.advisor.name


def build(*, first: date, days: int, everyone: Sequence[User], shifts: Iterable[tuple[ShiftRow, User]],
          hours: OpeningHours, now: datetime, t: Translator, tz: ZoneInfo, requested: Collection[int] = ()) -> Grid:
    """The grid of `days` dates from `first`: a row for every active person, and for a
    deactivated one with shifts in those dates; the shifts `requested` (by id) are marked."""
    dates = [first + timedelta(days=n) for n in range(days)]
    today = now.astimezone(tz).date()
    shown = [(row, user) for row, user in shifts if first <= row.start.astimezone(tz).date() <= dates[-1]]
    warnings = shift_warnings([Shift(user.username, row.start, row.end) for row, user in shown], hours,
                              inactive={user.username for user in everyone if not user.active})
    blocks = [_block(row, user, codes, now=now, t=t, tz=tz, requested=row.id in requested)
              for (row, user), codes in zip(shown, warnings, strict=True)]
    rostered = {block.advisor.id for block in blocks}
    people = [user for user in everyone if user.active or user.id in rostered]
    rows = tuple(
        Row(user, tuple(tuple(b for b in blocks if b.advisor.id == user.id and b.start.date() == day) for day in dates))
        for user in sorted(people, key=lambda u: (not u.active, u.name.casefold()))
    )
    return Grid(
        days=tuple(Day(day, t.weekday_date(day), day_kind(hours, day), day < today) for day in dates), rows=rows)


def _block(row: ShiftRow, user: User, warnings: tuple[str, ...], *, now: datetime, t: Translator,
           tz: ZoneInfo, requested: bool) -> Block:
    start, end = row.start.astimezone(tz), row.end.astimezone(tz)
    span = t.time_span(start, end)
    state = AHEAD if row.start > now else RUNNING if row.end > now else OVER
    return Block(id=row.id or 0, advisor=user, start=start, end=end, span=span,
                 name=f"{user.name}, {t.weekday_date(start.date())} {span}", state=state, warnings=warnings,
                 requested=requested)
