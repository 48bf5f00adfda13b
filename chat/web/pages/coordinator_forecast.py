"""The staffing forecast page: a draft week's roster simulated against the last weeks' demand
(`routing.forecast`), as a week grid coloured by the predicted p90 wait with the advisors on
shift in each hour, the same as a table, and the smallest fix of each bad run of hours
(`routing.staffing`).

It only reads: the form is a GET. The simulation is CPU work, so it runs in a worker thread,
one forecast at a time per process (`chat.base.threads.OneAtATime`: a second one waits on the
event loop, holding no thread), and its size is bounded (history weeks, runs, fixes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from babel.lists import format_list
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.web.context import clock_of, db_of, forecasts_of, settings_of, tz_of
from chat.web.i18n import LANGUAGES, Translator, request_language
from chat.web.pages.coordinator_base import (
    Spreadsheet,
    coordinator,
    local_midnight,
    monday_of,
    page,
    parse_day,
    spreadsheet_of,
)
from routing.arrivals import PastChat, demand_from
from routing.forecast import HourForecast, Plan, forecast
from routing.roster import Roster
from routing.staffing import MOST_SHIFTS, Fix, Target, bad_runs, fixes
from routing.wallclock import utc
from storage import forecasting
from storage.reports import LESS_THAN, suppressed, too_few

RUNS = 10
MOST_FIXES = 12  # bad runs looked into; the rest are only counted
WEEKS = range(1, 27)  # history weeks a coordinator may choose
DEFAULT_WEEKS = 8
TARGET_MINUTES = range(1, 61)
DEFAULT_TARGET_MINUTES = 2


@dataclass(frozen=True)
class Cell:
    """One hour of the grid: its forecast, how it reads (`level`), and who is on shift."""

    hour: HourForecast
    level: str  # closed, quiet (open, no chats expected), ok, near (over half the target), bad
    expected: str  # chats expected, "<3" when the history's hour held only one or two
    p50: str  # the waits as the page writes them, "" when quiet
    p90: str
    staff: int
    languages: str  # of those on shift: "fi sv"


@dataclass(frozen=True)
class Outcome:
    hours: list[HourForecast]
    fixes: list[Fix]
    unexamined: int  # bad runs beyond MOST_FIXES
    capacity: int  # of the extra advisors the fixes try


def _choice(value: str | None, allowed: range, default: int) -> tuple[int, bool]:
    """The number chosen if it is one of `allowed`, else the default; and whether it was wrong."""
    if value is None or value == "":
        return default, False
    try:
        number = int(value)
    except ValueError:
        return default, True
    return (number, False) if number in allowed else (default, True)


def weeks_held(first: date | None, history_end: date, asked: int) -> int:
    """The weeks of history the demand is the average of: the `asked` weeks before the Monday
    `history_end`, or fewer when the statistics begin later (`first`, the first record's local
    date; None: no record), counted from the week of the first record. Dividing by the weeks
    asked would make a service three weeks old look a third as busy over eight: the weeks
    before it began hold no chats because there was no service, not because nobody came."""
    if first is None:
        return asked
    return max(1, min(asked, (history_end - monday_of(first)).days // 7))


def _simulated(history: Sequence[PastChat], weeks: int, plan: Plan, start: datetime, end: datetime,
               target: Target, seed: str) -> Outcome:
    demand = demand_from(history, weeks)
    hours = forecast(demand, plan, start, end, runs=RUNS, seed=seed)
    capacities = sorted(staff.capacity for staff in plan.staff.values()) or [3]
    capacity = capacities[len(capacities) // 2]  # the draft's median advisor
    bad = bad_runs(hours, target)
    shown = fixes(demand, plan, bad[:MOST_FIXES], target=target, capacity=capacity, runs=RUNS, seed=seed)
    return Outcome(hours, shown, len(bad) - len(shown), capacity)


@dataclass(frozen=True)
class Form:
    """What the coordinator chose, each wrong value replaced by its default and named in `errors`."""

    monday: date
    weeks: int
    minutes: int
    errors: dict[str, str]


def _form(request: Request, t: Translator, today: date) -> Form:
    query = request.query_params
    errors: dict[str, str] = {}
    chosen = parse_day(query.get("week"))
    if query.get("week") and chosen is None:
        errors["week"] = t("coord.error.date")
    weeks, wrong_weeks = _choice(query.get("weeks"), WEEKS, DEFAULT_WEEKS)
    if wrong_weeks:
        errors["weeks"] = t("coord.forecast.error.weeks", low=WEEKS.start, high=WEEKS.stop - 1)
    minutes, wrong_target = _choice(query.get("target"), TARGET_MINUTES, DEFAULT_TARGET_MINUTES)
    if wrong_target:
        errors["target"] = t("coord.forecast.error.target", low=TARGET_MINUTES.start, high=TARGET_MINUTES.stop - 1)
    return Form(monday_of(chosen or today + timedelta(days=7)), weeks, minutes, errors)


async def forecast_page(request: Request) -> Response:
    """The page, or with `format=csv` its hour-by-hour table as CSV."""
    user = await coordinator(request)
    tz = tz_of(request)
    t = Translator(request_language(request), tz=tz)
    today = clock_of(request).now().astimezone(tz).date()
    form = _form(request, t, today)
    monday = form.monday
    # History ends where the draft week or this week starts, whichever is first: only whole past weeks.
    history_end = min(monday, monday_of(today))
    start, end = local_midnight(monday, tz), local_midnight(monday + timedelta(days=7), tz)
    async with db_of(request).transaction() as session:
        first = await forecasting.first_record(session)
        first_day = None if first is None else first.astimezone(tz).date()
        weeks = weeks_held(first_day, history_end, form.weeks)
        history_start = history_end - timedelta(weeks=weeks)
        history = await forecasting.past_chats(session, start=local_midnight(history_start, tz),
                                               end=local_midnight(history_end, tz), tz=tz)
        plan = await forecasting.draft(session, start=start, end=end, tz=tz,
                                       closing_grace_s=settings_of(request).closing_grace_s)
    target = Target(p90_wait_s=form.minutes * 60.0)
    outcome = None
    if history and not form.errors:
        outcome = await forecasts_of(request).run(partial(_simulated, history, weeks, plan, start, end, target,
                                                          f"forecast/{monday.isoformat()}"))
    context: dict[str, Any] = {
        "monday": monday, "sunday": monday + timedelta(days=6), "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7), "weeks": form.weeks, "minutes": form.minutes, "errors": form.errors,
        "weeks_held": weeks, "first_day": first_day,
        "runs": RUNS, "history_first": history_start, "history_last": history_end - timedelta(days=1),
        "basis": suppressed(sum(not chat.refused for chat in history)),
        "refused": suppressed(sum(chat.refused for chat in history)), "outcome": outcome,
        "query": f"weeks={form.weeks}&target={form.minutes}",
    }
    if outcome is not None:
        seen = Counter((chat.weekday, chat.hour) for chat in history)
        days, rows = _grid(outcome.hours, plan, target, seen, t)
        busy = sorted((cell for _, row in rows for cell in row if cell is not None and cell.hour.arrivals),
                      key=lambda cell: cell.hour.start)
        if request.query_params.get("format") == "csv":
            return _csv(spreadsheet_of(request), f"forecast-{monday.isoformat()}.csv", busy, seen)
        context |= {"days": days, "rows": rows, "busy": busy,
                    "fix_texts": [fix_text(fix, t) for fix in outcome.fixes]}
    return page(request, "coordinator/forecast.html", user, context)


def _csv(sheet: Spreadsheet, name: str, busy: Sequence[Cell], seen: Counter[tuple[int, int]]) -> Response:
    """The hours with chats expected, as CSV: local date and hour, the forecast's figures (waits
    in whole seconds, shares of 1), expected chats drawn from one or two past ones as "<3"."""
    def share(value: float | None) -> str:
        return "" if value is None else sheet.number(value, 3)

    def seconds(value: float | None) -> str:
        return "" if value is None else str(round(value))

    return sheet.response(name, (
        "date", "hour", "expected_chats", "on_shift", "languages", "wait_p50_s", "wait_p90_s",
        "answered_within_2min", "left_queue", "lost", "level"), (
        (cell.hour.start.date().isoformat(), f"{cell.hour.start.hour:02d}",
         LESS_THAN if too_few(seen[(cell.hour.start.weekday(), cell.hour.start.hour)])
         else sheet.number(cell.hour.arrivals, 2),
         cell.staff, cell.languages, seconds(cell.hour.wait_p50_s), seconds(cell.hour.wait_p90_s),
         share(cell.hour.answered_in_time), share(cell.hour.abandoned), share(cell.hour.lost), cell.level)
        for cell in busy))


def _grid(hours: list[HourForecast], plan: Plan, target: Target, seen: Counter[tuple[int, int]],
          t: Translator) -> tuple[list[date], list[tuple[int, list[Cell | None]]]]:
    """Hour rows × day columns, from the first hour with chats expected or someone on shift to
    the last; rows in local wall-clock hours, so the hour a spring night skips is an empty
    cell, and of the autumn night's two 03:00 hours the grid shows the second. `seen` counts
    the history's chats by (weekday, hour): an expectation drawn from one or two of them is
    written "<3", as the statistics write such counts."""
    roster = Roster(plan.shifts)
    cells: dict[tuple[date, int], Cell] = {}
    for hour in hours:
        middle = utc(hour.start) + timedelta(minutes=30)  # in UTC: the autumn's second 03:00 hour is its own
        on = sorted(roster.on_shift(middle).intersection(plan.staff))
        languages = sorted({code for name in on for code in plan.staff[name].languages})
        level = _level(hour, target) if hour.arrivals or plan.hours.is_open(middle) else "closed"
        expected = LESS_THAN if too_few(seen[(hour.start.weekday(), hour.start.hour)]) else t.number(hour.arrivals, 1)
        cells[(hour.start.date(), hour.start.hour)] = Cell(
            hour, level, expected, _wait_text(hour.wait_p50_s, hour, t), _wait_text(hour.wait_p90_s, hour, t),
            len(on), " ".join(languages))
    days = sorted({day for day, _ in cells})
    used = [h for (_, h), cell in cells.items() if cell.level != "closed" or cell.staff]
    first, last = (min(used), max(used)) if used else (8, 17)
    return days, [(h, [cells.get((day, h)) for day in days]) for h in range(first, last + 1)]


def _level(hour: HourForecast, target: Target) -> str:
    if not hour.arrivals:
        return "quiet"
    if hour.bad(target.p90_wait_s, target.lost):
        return "bad"
    return "near" if (hour.wait_p90_s or 0) > target.p90_wait_s / 2 else "ok"


def _wait_text(seconds: float | None, hour: HourForecast, t: Translator) -> str:
    """A wait as a coordinator reads it: whole seconds under 90 s, else whole minutes."""
    if seconds is None:
        return t("coord.forecast.nobody_answers") if hour.arrivals else ""
    if seconds < 90:
        return t("coord.forecast.seconds", count=round(seconds))
    return t("coord.now.minutes", count=round(seconds / 60))


def fix_text(fix: Fix, t: Translator) -> str:
    """"One more Swedish-speaking shift on Tuesday 14.00–16.00", in the page's language; shifts of
    the same languages counted together, different ones listed ("... and one more English-speaking
    shift ...")."""
    when = f"{t.weekday(fix.start.weekday())} {t.time_span(fix.start, fix.end)}"
    if not fix.fixed:
        return _sentence(t("coord.forecast.unfixed", when=when, count=MOST_SHIFTS))
    counted = Counter(fix.shifts)
    parts = [t("coord.forecast.add", count=n, speaker=_speaker(languages, n, t))
             for languages, n in sorted(counted.items(), key=lambda item: [_rank(c) for c in _in_order(item[0])])]
    return _sentence(t("coord.forecast.fix", what=format_list(parts, locale=t.locale), when=when))


def _sentence(text: str) -> str:
    # Weekdays are lowercase in Finnish and Swedish, and so is "one more" in the middle of a list.
    return text[:1].upper() + text[1:]


def _speaker(languages: frozenset[str], count: int, t: Translator) -> str:
    """"Swedish-speaking", or for several "Swedish- and English-speaking" (the last one's
    adjective, the others' stems), in the form the count takes."""
    ordered = _in_order(languages)
    last = _named("coord.forecast.speaker", ordered[-1], t, count)
    return format_list([*(_named("coord.forecast.stem", code, t) for code in ordered[:-1]), last], locale=t.locale)


def _named(key: str, code: str, t: Translator, count: int = 1) -> str:
    """The catalogs' word for the language `code`; a language they do not name, by its code."""
    return t(f"{key}.{code}", count=count) if code in LANGUAGES else code


def _in_order(languages: frozenset[str]) -> list[str]:
    """The service's languages in the order the pages list them, any other after them."""
    return sorted(languages, key=_rank)


def _rank(code: str) -> tuple[int, str]:
    return (LANGUAGES.index(code) if code in LANGUAGES else len(LANGUAGES), code)


routes = [Route("/coordinator/forecast", forecast_page, methods=["GET"])]
