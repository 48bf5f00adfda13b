"""Coordinator pages that report: the overview, coverage of a week, a month or a half-year (with
each organisation's share and, for a half-year, its months), and statistics of any period, each
table also as CSV (counts of 1 or 2 chats written "<3"). The cooperation group's report
(coordinator_report.py) is made of these pieces.

Pages write numbers, dates and times in the reader's language (`Translator`, Babel); a CSV file
is the machine format: a decimal point, no grouping, ISO dates, keys as stored beside their
labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.live.blocks import BLOCKED
from chat.live.commands import AskNow
from chat.web.context import clock_of, db_of, live_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.coordinator_base import (
    WEEKDAYS,
    Spreadsheet,
    coordinator,
    half_year_name,
    half_year_of,
    local_midnight,
    monday_of,
    page,
    parse_day,
    parse_half_year,
    spreadsheet_of,
)
from chat.web.pages.coordinator_charts import bar_chart, grouped_bar_chart
from chat.web.pages.gaps import gaps_of, offered, shown
from routing.shift_requests import RequestState
from routing.types import Interval
from routing.wallclock import utc
from storage import coverage, reports, service, shift_requests, survey, topic_links
from storage.coverage import Coverage, OrganisationShare
from storage.database import Session
from storage.reports import LESS_THAN, Figure, Report, Row, suppressed, too_few
from storage.tables import SurveyQuestion


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
    """The period the query names: `half=2026-H1`, `month=2026-11`, else the week of `week`
    (a date in it) or of today."""
    half = parse_half_year(request.query_params.get("half"))
    if half is not None:
        return "half", *half
    month = request.query_params.get("month", "")
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        day = parse_day(request.query_params.get("week")) or today
        first = monday_of(day)
        return "week", first, first + timedelta(days=7)
    return "month", first, coverage.next_month(first)


def _query(kind: str, first: date) -> str:
    """The query string naming the period of `kind` that starts on `first`."""
    return {"week": f"week={first.isoformat()}", "month": f"month={first:%Y-%m}",
            "half": f"half={half_year_name(first)}"}[kind]


def _previous(kind: str, first: date) -> date:
    if kind == "week":
        return first - timedelta(days=7)
    back = (first - timedelta(days=1)).replace(day=1)
    return back if kind == "month" else half_year_of(back)[0]


COVERAGE_TABLES = ("summary", "gaps", "organisations", "months")


def share_chart(t: Translator, chart_id: str, title: str, organisations: Sequence[OrganisationShare]) -> Markup:
    """Each organisation's promised, rostered and actual hours as bars in groups (a promise
    not recorded as 0); the share table beside it holds the same numbers."""
    series = [t("coord.cov.promised_hours"), t("coord.cov.rostered_hours"), t("coord.cov.actual_hours")]
    groups = [(o.name, (o.promised_hours or 0.0, o.rostered_hours, o.actual_hours)) for o in organisations]
    description = t("coord.cov.share_chart_desc", organisations=", ".join(o.name for o in organisations) or "–")
    return grouped_bar_chart(chart_id, title, description, series, groups, lambda hours: t.number(hours, 1))


async def coverage_page(request: Request) -> Response:
    user = await coordinator(request)
    now = clock_of(request).now()
    tz = tz_of(request)
    kind, first, following = _period(request, tz, now.astimezone(tz).date())
    start, end = local_midnight(first, tz), local_midnight(following, tz)
    async with db_of(request).transaction() as session:
        result = await coverage.coverage(session, start=start, end=end, tz=tz, now=now)
        months = await coverage.by_month(session, first=first, following=following, tz=tz, now=now) \
            if kind == "half" else []
    summary = [
        ("open", result.open_hours), ("planned", result.planned_hours),
        ("planned_open", result.planned_open_hours), ("actual", result.actual_hours),
        ("actual_open", result.actual_open_hours),
    ]
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table", "summary")
        table = table if table in COVERAGE_TABLES else "summary"  # the file name is made of known names only
        return _coverage_csv(spreadsheet_of(request), f"coverage-{first.isoformat()}-{table}.csv", result, table,
                             summary, tz, months)
    days, rows = week_grid(result, first, now, tz) if kind == "week" else ([], [])
    t = Translator(request_language(request))
    return page(request, "coordinator/coverage.html", user, {
        "kind": kind, "first": first, "last": following - timedelta(days=1), "result": result,
        "summary": summary, "days": days, "rows": rows, "previous": _query(kind, _previous(kind, first)),
        "next": _query(kind, following), "this_query": _query(kind, first), "months": months,
        "month_query": f"month={first:%Y-%m}", "half_query": _query("half", first),
        "share_chart": share_chart(t, "chart-shares", t("coord.cov.organisations"), result.organisations),
    })


def labels_of(request: Request, outcomes: dict[str, str]) -> dict[str, dict[str, str]]:
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
        "outcome": {**outcomes, BLOCKED: t("coord.outcome.blocked"), "": t("coord.none")},
        "rating": {str(n): str(n) for n in range(1, 6)},
    }


TABLES = ("hour", "weekday", "topic", "language", "organisation", "outcome", "rating")
CSV_TABLES = (*TABLES, "summary", "help")  # help: how often the topics' links were opened


def table_rows(report: Report, table: str) -> list[Row]:
    return {
        "hour": report.by_hour, "weekday": report.by_weekday, "topic": report.by_topic,
        "language": report.by_language, "organisation": report.by_organisation,
        "outcome": report.by_outcome, "rating": report.ratings,
    }[table]


def summary_of(report: Report) -> list[tuple[str, int | Figure]]:
    """(measure, value) of the summary table: counts of chats, and figures computed from them
    (withheld when computed from fewer than three)."""
    return [
        ("chats", report.chats), ("served", report.served), ("abandoned", report.abandoned),
        ("expired", report.expired), ("refused_closed", report.refused_closed),
        ("refused_unstaffed", report.refused_unstaffed), ("offline_messages", report.offline_messages),
        ("wait_p50_s", report.wait_p50_s), ("wait_p90_s", report.wait_p90_s),
        ("duration_p50_s", report.duration_p50_s), ("rating_mean", report.rating_mean),
    ]


def chart_of(report: Report, table: str, labels: dict[str, dict[str, str]], t: Translator, *,
             small_hidden: bool = False) -> dict[str, Any]:
    """A breakdown's chart and the rows of its table. `small_hidden`: for a report that leaves
    the coordinators, a count of 1 or 2 is neither drawn nor written (nor the total)."""
    rows = table_rows(report, table)
    names = labels[table]
    bars = [(names.get(r.key, r.key), r.chats) for r in rows]
    title = t(f"coord.stats.by_{table}")
    total = sum(v for _, v in bars)
    description = t("coord.stats.chart_desc", what=title.lower(), total=suppressed(total) if small_hidden else total,
                    top=max(bars, key=lambda b: b[1])[0] if total else "–")
    return {"table": table, "title": title, "rows": rows, "names": names,
            "svg": bar_chart(f"chart-{table}", title, description, bars, small_hidden=small_hidden)}


@dataclass(frozen=True)
class PeriodStatistics:
    """What the statistics of a period are made of: the anonymous records' figures, the topic
    links opened, the questionnaire's results and the outcomes' labels in the page's language."""

    report: Report
    clicks: dict[str, int]
    survey: list[SurveyResult]
    outcomes: dict[str, str]


async def period_statistics(session: Session, *, start: datetime, end: datetime, language: str) -> PeriodStatistics:
    answered = await survey.value_counts(session, start=start, end=end)
    asked = await survey.questions(session, with_retired=True)
    return PeriodStatistics(
        report=await reports.report(session, start=start, end=end),
        clicks=await topic_links.clicks_by_topic(session, start=start, end=end),
        survey=survey_results(asked, answered, language),
        outcomes={o.id: getattr(o, f"label_{language}") for o in await service.outcomes(session)},
    )


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
    language = request_language(request)
    async with db_of(request).transaction() as session:
        start, end = local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)
        stats = await period_statistics(session, start=start, end=end, language=language)
    report, clicks = stats.report, stats.clicks
    t = Translator(language)
    labels = labels_of(request, stats.outcomes)
    if request.query_params.get("format") == "csv":
        table = request.query_params.get("table", "summary")
        table = table if table in CSV_TABLES else "summary"  # the file name is made of known names only
        name = f"statistics-{first.isoformat()}-{last.isoformat()}-{table}.csv"
        if table == "help":
            column = t("coord.stats.column.topic")
            return spreadsheet_of(request).response(
                name, (t("coord.stats.id_column", column=column), column, t("coord.stats.help_opened")),
                ((topic, labels["topic"].get(topic, topic), suppressed(n)) for topic, n in sorted(clicks.items())))
        return _statistics_csv(spreadsheet_of(request), name, report, table, t, labels)
    charts = [chart_of(report, table, labels, t) for table in TABLES]
    summary = [(k, (v.shown(t.number) or "–") if isinstance(v, Figure) else t.number(v)) for k, v in summary_of(report)]
    return page(request, "coordinator/statistics.html", user, {
        "report": report, "charts": charts, "summary": summary, "first": first, "last": last,
        "help_clicks": [(labels["topic"].get(k, k), suppressed(v)) for k, v in sorted(clicks.items())],
        "survey": stats.survey,
        "query": f"from={first.isoformat()}&to={last.isoformat()}", "errors": errors,
    })


SHARE_COLUMNS = ("organisation", "rostered_hours", "actual_hours", "chats", "share_of_hours", "share_of_chats",
                 "promised_hours", "rostered_of_promised", "actual_of_promised")


def _ratio(sheet: Spreadsheet, value: float | None) -> str:
    return "" if value is None else sheet.number(value, 3)


def share_row(sheet: Spreadsheet, o: OrganisationShare) -> tuple[str, ...]:
    """An organisation's share as a CSV row of SHARE_COLUMNS: hours to a tenth, shares of 1 to
    three decimals, chats and their share with the "<3" rule, "" where no promise is recorded."""
    return (o.slug, sheet.number(o.rostered_hours, 1), sheet.number(o.actual_hours, 1), suppressed(o.chats),
            sheet.number(o.share_of_hours, 3), LESS_THAN if too_few(o.chats) else sheet.number(o.share_of_chats, 3),
            "" if o.promised_hours is None else sheet.number(o.promised_hours, 1),
            _ratio(sheet, o.rostered_of_promised), _ratio(sheet, o.actual_of_promised))


def _coverage_csv(sheet: Spreadsheet, name: str, result: Coverage, table: str,
                  summary: list[tuple[str, float]], tz: ZoneInfo,
                  months: Sequence[tuple[date, Coverage]]) -> Response:
    """A table of the coverage page as CSV; times local, as a spreadsheet reads them anywhere."""
    if table == "gaps":
        return sheet.response(name, ("kind", "start", "end", "hours"), (
            (k, f"{g.start.astimezone(tz):%Y-%m-%d %H:%M}", f"{g.end.astimezone(tz):%Y-%m-%d %H:%M}",
             sheet.number(g.seconds / 3600, 1)) for k, g in result.gaps))
    if table == "organisations":
        return sheet.response(name, SHARE_COLUMNS, (share_row(sheet, o) for o in result.organisations))
    if table == "months":
        return sheet.response(name, ("month", *SHARE_COLUMNS), (
            (f"{month:%Y-%m}", *share_row(sheet, o)) for month, monthly in months for o in monthly.organisations))
    return sheet.response(name, ("measure", "hours"), ((k, sheet.number(v, 1)) for k, v in summary))


def _statistics_csv(sheet: Spreadsheet, name: str, report: Report, table: str, t: Translator,
                    labels: dict[str, dict[str, str]]) -> Response:
    """A table of the statistics page as CSV: headers in the page's language; first the key as
    stored (so exports of different periods and languages can be joined on it), then its label;
    counts and figures of fewer than three chats written "<3", numbers as the language writes them."""
    if table == "summary":
        column = t("coord.measure")
        return sheet.response(name, (t("coord.stats.id_column", column=column), column, t("coord.value")), (
            (k, t(f"coord.stats.{k}"), v.shown(sheet.number) if isinstance(v, Figure) else suppressed(v))
            for k, v in summary_of(report)))
    column = t(f"coord.stats.column.{table}")
    header = [t("coord.stats.id_column", column=column), column, t("coord.chats")]
    names, rows = labels[table], table_rows(report, table)
    if table == "rating":
        return sheet.response(name, header, ((r.key, names.get(r.key, r.key), suppressed(r.chats)) for r in rows))
    return sheet.response(name, [*header, t("coord.stats.served")], (
        (r.key, names.get(r.key, r.key), suppressed(r.chats), suppressed(r.served)) for r in rows))


@dataclass(frozen=True)
class SurveyResult:
    """One question's answers in a period: a count per value (its label), or of free texts."""

    question: str
    kind: str
    rows: list[tuple[str, str]]  # (the value as shown, its count with the small-cell rule)
    texts: int


def survey_results(asked: Sequence[SurveyQuestion], answered: dict[int, dict[int, int]],
                    language: str) -> list[SurveyResult]:
    results = []
    for question in asked:
        counts = answered.get(question.id or 0, {})
        if not counts:
            continue
        if question.kind == "scale":
            labels = {n: str(n) for n in range(1, 6)}
        else:
            labels = {n: option[language] for n, option in enumerate(survey.options_of(question))}
        rows = [(label, suppressed(counts.get(value, 0))) for value, label in labels.items()]
        results.append(SurveyResult(getattr(question, f"text_{language}"), question.kind,
                                    [] if question.kind == "text" else rows, counts.get(-1, 0)))
    return results


async def overview(request: Request) -> Response:
    """This week's coverage in figures, the "now" panel (who is on, the queue, the chats nobody
    on duty can serve and why, and what is left of today unrostered) and the gaps ahead."""
    user = await coordinator(request)
    now, tz = clock_of(request).now(), tz_of(request)
    today = now.astimezone(tz).date()
    monday = monday_of(today)
    async with db_of(request).transaction() as session:
        week = await coverage.coverage(session, start=local_midnight(monday, tz),
                                       end=local_midnight(monday + timedelta(days=7), tz), tz=tz, now=now)
        rest_of_today = await coverage.coverage(session, start=now, end=local_midnight(today + timedelta(days=1), tz),
                                                tz=tz, now=now)
        requests_pending = await shift_requests.count(session, status=RequestState.PENDING)
    labels = labels_of(request, {})
    gaps = shown(await gaps_of(request), Translator(request_language(request), tz=tz))
    return page(request, "coordinator/overview.html", user, {
        "gaps": gaps, "offers": await offered(request, gaps), "requests_pending": requests_pending,
        "week": week, "monday": monday, "live": await live_of(request).run(AskNow()), "as_of": now,
        "gaps_today": [(gap.start.astimezone(tz), gap.end.astimezone(tz)) for gap in rest_of_today.unrostered],
        "topic_names": labels["topic"], "language_names": labels["language"],
    })


routes = [
    Route("/coordinator", overview, methods=["GET"]),
    Route("/coordinator/coverage", coverage_page, methods=["GET"]),
    Route("/coordinator/statistics", statistics_page, methods=["GET"]),
]
