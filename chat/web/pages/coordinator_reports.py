"""Coordinator pages that report: the overview, coverage of a week or month, and statistics of
any period, each table also as CSV (counts of 1 or 2 chats written "<3")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.web.context import clock_of, db_of, live_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.coordinator_base import (
    WEEKDAYS,
    coordinator,
    csv_response,
    local_midnight,
    monday_of,
    page,
    parse_day,
)
from chat.web.pages.coordinator_charts import bar_chart
from routing.types import Interval
from routing.wallclock import utc
from storage import coverage, reports, service
from storage.coverage import Coverage
from storage.reports import Report, Row, suppressed


def _seconds_within(intervals: list[Interval], a: datetime, b: datetime) -> float:
    low, high = utc(a), utc(b)
    return sum(
        max(0.0, (min(utc(i.end), high) - max(utc(i.start), low)).total_seconds())
        for i in intervals if utc(i.start) < high and utc(i.end) > low
    )


@dataclass(frozen=True)
class Cell:
    state: str  # closed, staffed, rostered, unstaffed, unrostered


Grid = list[tuple[int, list[Cell]]]


def week_grid(result: Coverage, monday: date, now: datetime, tz: ZoneInfo) -> tuple[list[date], Grid]:
    """Hour rows × day columns of the week, each cell the worst state within its hour."""
    days = [monday + timedelta(days=n) for n in range(7)]
    open_hours = [i.start.astimezone(tz).hour for i in result.open] + [
        (i.end - timedelta(seconds=1)).astimezone(tz).hour for i in result.open
    ]
    first, last = (min(open_hours), max(open_hours)) if open_hours else (8, 17)
    rows = []
    for hour in range(first, last + 1):
        cells = []
        for day in days:
            a = datetime.combine(day, time(hour), tz)
            b = a + timedelta(hours=1)
            if not _seconds_within(result.open, a, b):
                state = "closed"
            elif _seconds_within(result.unrostered, a, b):
                state = "unrostered"
            elif _seconds_within(result.unstaffed, a, b):
                state = "unstaffed"
            elif utc(a) >= utc(now):
                state = "rostered"
            else:
                state = "staffed"
            cells.append(Cell(state))
        rows.append((hour, cells))
    return days, rows


def _period(request: Request, tz: ZoneInfo, today: date) -> tuple[str, date, date]:
    month = request.query_params.get("month", "")
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        day = parse_day(request.query_params.get("week")) or today
        first = monday_of(day)
        return "week", first, first + timedelta(days=7)
    following = date(year + number // 12, number % 12 + 1, 1)
    return "month", first, following


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value else "0"


async def coverage_page(request: Request) -> Response:
    user = await coordinator(request)
    now = clock_of(request).now()
    tz = tz_of(request)
    kind, first, following = _period(request, tz, now.astimezone(tz).date())
    start, end = local_midnight(first, tz), local_midnight(following, tz)
    async with db_of(request).transaction() as session:
        result = await coverage.coverage(session, start=start, end=end, tz=tz, now=now)
    summary = [
        ("open", result.open_hours), ("planned", result.planned_hours),
        ("planned_open", result.planned_open_hours), ("actual", result.actual_hours),
        ("actual_open", result.actual_open_hours),
    ]
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table", "summary")
        name = f"coverage-{first.isoformat()}-{table}.csv"
        if table == "gaps":
            return csv_response(name, ("kind", "start", "end", "hours"), (
                (k, g.start.isoformat(), g.end.isoformat(), _hours(g.seconds / 3600)) for k, g in result.gaps))
        if table == "organisations":
            return csv_response(
                name, ("organisation", "rostered_hours", "actual_hours", "chats", "share_of_hours", "share_of_chats"),
                ((o.slug, _hours(o.rostered_hours), _hours(o.actual_hours), suppressed(o.chats),
                  f"{o.share_of_hours:.3f}", f"{o.share_of_chats:.3f}") for o in result.organisations))
        return csv_response(name, ("measure", "hours"), ((k, _hours(v)) for k, v in summary))
    days, rows = week_grid(result, first, now, tz) if kind == "week" else ([], [])
    previous = first - timedelta(days=7) if kind == "week" else (first - timedelta(days=1)).replace(day=1)
    query = ("week=" + previous.isoformat(), "week=" + following.isoformat()) if kind == "week" else (
        f"month={previous:%Y-%m}", f"month={following:%Y-%m}")
    return page(request, "coordinator/coverage.html", user, {
        "kind": kind, "first": first, "last": following - timedelta(days=1), "result": result,
        "summary": summary, "days": days, "rows": rows, "hours": _hours, "previous": query[0], "next": query[1],
        "this_query": f"month={first:%Y-%m}" if kind == "month" else f"week={first.isoformat()}",
    })


def _labels(request: Request, outcomes: dict[str, str]) -> dict[str, dict[str, str]]:
    language = request_language(request)
    t = Translator(language)
    topics = {k: getattr(v, f"label_{language}", k) for k, v in live_of(request).config.topics.items()}
    organisations = {o.slug: o.name for o in live_of(request).config.organisations.values()}
    return {
        "hour": {f"{h:02d}": f"{h:02d}" for h in range(24)},
        "weekday": {str(n): t(f"coord.weekday.{name}") for n, name in enumerate(WEEKDAYS)},
        "topic": topics,
        "language": {code: t(f"coord.language.{code}") for code in ("fi", "sv", "en")},
        "organisation": {**organisations, "": t("coord.none")},
        "outcome": {**outcomes, "": t("coord.none")},
        "rating": {str(n): str(n) for n in range(1, 6)},
    }


TABLES = ("hour", "weekday", "topic", "language", "organisation", "outcome", "rating")


def _table_rows(report: Report, table: str) -> list[Row]:
    return {
        "hour": report.by_hour, "weekday": report.by_weekday, "topic": report.by_topic,
        "language": report.by_language, "organisation": report.by_organisation,
        "outcome": report.by_outcome, "rating": report.ratings,
    }[table]


def _summary(report: Report) -> list[tuple[str, int | float | None, bool]]:
    """(measure, value, counts chats) of the summary table."""
    return [
        ("chats", report.chats, True), ("served", report.served, True), ("abandoned", report.abandoned, True),
        ("expired", report.expired, True), ("refused_closed", report.refused_closed, True),
        ("refused_unstaffed", report.refused_unstaffed, True), ("offline_messages", report.offline_messages, True),
        ("wait_p50_s", report.wait_p50_s, False), ("wait_p90_s", report.wait_p90_s, False),
        ("duration_p50_s", report.duration_p50_s, False),
        ("rating_mean", round(report.rating_mean, 2) if report.rating_mean is not None else None, False),
    ]


async def statistics_page(request: Request) -> Response:
    user = await coordinator(request)
    tz = tz_of(request)
    today = clock_of(request).now().astimezone(tz).date()
    first = parse_day(request.query_params.get("from")) or today.replace(day=1)
    last = parse_day(request.query_params.get("to")) or today
    errors = {}
    if last < first:
        errors["to"] = Translator(request_language(request))("coord.error.period")
        last = first
    async with db_of(request).transaction() as session:
        report = await reports.report(session, start=local_midnight(first, tz),
                                      end=local_midnight(last + timedelta(days=1), tz))
        language = request_language(request)
        outcomes = {o.id: getattr(o, f"label_{language}") for o in await service.outcomes(session)}
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table", "summary")
        name = f"statistics-{first.isoformat()}-{last.isoformat()}-{table}.csv"
        if table in TABLES:
            rows = _table_rows(report, table)
            if table == "rating":
                return csv_response(name, ("rating", "chats"), ((r.key, suppressed(r.chats)) for r in rows))
            return csv_response(name, (table, "chats", "served"),
                                ((r.key, suppressed(r.chats), suppressed(r.served)) for r in rows))
        return csv_response(name, ("measure", "value"), (
            (k, suppressed(v) if counts and isinstance(v, int) else ("" if v is None else v))
            for k, v, counts in _summary(report)))
    t = Translator(request_language(request))
    labels = _labels(request, outcomes)
    charts: list[dict[str, Any]] = []
    for table in TABLES:
        rows = _table_rows(report, table)
        names = labels[table]
        bars = [(names.get(r.key, r.key), r.chats) for r in rows]
        title = t(f"coord.stats.by_{table}")
        description = t("coord.stats.chart_desc", what=title.lower(), total=sum(v for _, v in bars),
                        top=max(bars, key=lambda b: b[1])[0] if any(v for _, v in bars) else "–")
        charts.append({"table": table, "title": title, "rows": rows, "names": names,
                       "svg": bar_chart(f"chart-{table}", title, description, bars)})
    query = f"from={first.isoformat()}&to={last.isoformat()}"
    return page(request, "coordinator/statistics.html", user, {
        "report": report, "summary": _summary(report), "charts": charts, "first": first, "last": last,
        "query": query, "errors": errors,
    })


async def overview(request: Request) -> Response:
    user = await coordinator(request)
    now = clock_of(request).now()
    monday = monday_of(now.astimezone(tz_of(request)).date())
    async with db_of(request).transaction() as session:
        week = await coverage.coverage(session, start=local_midnight(monday, tz_of(request)),
                                       end=local_midnight(monday + timedelta(days=7), tz_of(request)),
                                       tz=tz_of(request), now=now)
    return page(request, "coordinator/overview.html", user, {"week": week, "hours": _hours, "monday": monday})


routes = [
    Route("/coordinator", overview, methods=["GET"]),
    Route("/coordinator/coverage", coverage_page, methods=["GET"]),
    Route("/coordinator/statistics", statistics_page, methods=["GET"]),
]
