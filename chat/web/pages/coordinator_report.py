"""The cooperation group's report: a half-year, or any period, on one page that prints to A4
from the browser (the print stylesheet in coordinator.css) and downloads as one CSV file.

It is made of what the coverage and statistics pages compute, not a copy of it: coverage
planned vs actual by month (`storage.coverage`), the gaps by weekday, each organisation's share
(`share_chart`, the share table), the chats by topic, language, hour and outcome (`chart_of`),
the questionnaire's results and the wait times by month (`storage.reports`), and the
coordinator terms of the period with its hand-overs (`storage.coordination`). It leaves the
coordinators, so every count of one or two chats is written "<3" on the page, in its charts and
in its CSV, and nothing computed from so few is shown (`storage.reports`' rule)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.coordinator_base import (
    WEEKDAYS,
    Spreadsheet,
    coordinator,
    half_year,
    half_year_of,
    local_midnight,
    page,
    parse_day,
    parse_half_year,
    spreadsheet_of,
)
from chat.web.pages.coordinator_charts import grouped_bar_chart
from chat.web.pages.coordinator_reports import (
    SHARE_COLUMNS,
    PeriodStatistics,
    chart_of,
    labels_of,
    period_statistics,
    share_chart,
    share_row,
    summary_of,
    table_rows,
)
from routing.types import Interval
from storage import coordination, coverage, reports
from storage.coordination import Term
from storage.coverage import Coverage
from storage.reports import Figure, Report, suppressed

STATISTICS = ("topic", "language", "hour", "outcome", "rating")  # rating: the visitors' 1 to 5


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def following(self) -> date:
        return self.last + timedelta(days=1)

    @property
    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


MAX_REPORT_DAYS = 2 * 365 + 1  # two years, a leap day included


def _period(request: Request, today: date, t: Translator) -> tuple[Period, dict[str, str]]:
    """`half=2026-H1`, or `from` and `to` (dates, both included); by default the half-year of
    today. An end before the start, or more than two years after it, is an error shown beside the
    field."""
    half = parse_half_year(request.query_params.get("half"))
    if half is not None:
        return Period(half[0], half[1] - timedelta(days=1)), {}
    this_half = half_year_of(today)
    first = parse_day(request.query_params.get("from")) or this_half[0]
    last = parse_day(request.query_params.get("to")) or this_half[1] - timedelta(days=1)
    if last < first:
        return Period(first, first), {"to": t("coord.error.period")}
    if (last - first).days >= MAX_REPORT_DAYS:  # each month of it is a coverage and a statistics run
        return Period(first, first), {"to": t("coord.error.period_long", count=MAX_REPORT_DAYS // 365)}
    return Period(first, last), {}


def _presets(today: date, t: Translator) -> list[tuple[str, str]]:
    """(query, name) of this half-year and the three before it, newest first."""
    year, half = today.year, 1 if today.month < 7 else 2
    presets = []
    for _ in range(4):
        first, following = half_year(year, half)
        presets.append((f"from={first.isoformat()}&to={(following - timedelta(days=1)).isoformat()}",
                        t(f"coord.report.half.{half}", year=str(year))))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return presets


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class CoverageRow:
    """Open hours, and how many of them were planned (someone rostered) and actually staffed."""

    key: str  # "2026-07", or "all" for the whole period
    label: str
    open: float
    planned: float
    actual: float

    @property
    def planned_share(self) -> float | None:
        return _share(self.planned, self.open)

    @property
    def actual_share(self) -> float | None:
        return _share(self.actual, self.open)


def _coverage_row(key: str, label: str, result: Coverage) -> CoverageRow:
    return CoverageRow(key, label, result.open_hours, result.planned_open_hours, result.actual_open_hours)


def _gap_hours(gaps: Sequence[Interval]) -> list[float]:
    """Hours of the gaps on each weekday (0 = Monday), by their local start: an opening, and so a
    gap in it, lies within one day."""
    hours = [0.0] * 7
    for gap in gaps:
        hours[gap.start.weekday()] += gap.seconds / 3600
    return hours


@dataclass(frozen=True)
class WaitRow:
    key: str
    label: str
    report: Report


@dataclass(frozen=True)
class Content:
    """Everything the report shows, computed once for the page and the CSV alike."""

    period: Period
    result: Coverage
    coverage: list[CoverageRow]
    months: list[tuple[date, Coverage]]
    unrostered: list[float]  # by weekday
    unstaffed: list[float]
    stats: PeriodStatistics
    waits: list[WaitRow]
    labels: dict[str, dict[str, str]]
    terms: list[Term]  # the coordinator terms running at some time in the period

    @property
    def handovers(self) -> list[Term]:
        """The terms handed over to someone within the period, the earliest first."""
        return sorted((term for term in self.terms if term.handed_over_by is not None and term.since is not None
                       and self.period.first <= term.since < self.period.following),
                      key=lambda term: term.since or date.min)


async def _content(request: Request, period: Period, t: Translator) -> Content:
    tz, now = tz_of(request), clock_of(request).now()
    start, end = local_midnight(period.first, tz), local_midnight(period.following, tz)
    async with db_of(request).transaction() as session:
        result = await coverage.coverage(session, start=start, end=end, tz=tz, now=now)
        months = await coverage.by_month(session, first=period.first, following=period.following, tz=tz, now=now)
        stats = await period_statistics(session, start=start, end=end, language=t.language)
        waits = [WaitRow(f"{month:%Y-%m}", t.month(month), await reports.report(
            session, start=local_midnight(month, tz), end=local_midnight(min(coverage.next_month(month),
                                                                             period.following), tz)))
                 for month, _ in months]
        terms = [term for term in await coordination.terms(session) if term.overlaps(period.first, period.following)]
    return Content(
        period=period, result=result,
        coverage=[*(_coverage_row(f"{month:%Y-%m}", t.month(month), monthly) for month, monthly in months),
                  _coverage_row("all", t("coord.report.total"), result)],
        months=months, unrostered=_gap_hours(result.unrostered), unstaffed=_gap_hours(result.unstaffed),
        stats=stats, waits=[*waits, WaitRow("all", t("coord.report.total"), stats.report)],
        labels=labels_of(request, stats.outcomes), terms=terms,
    )


def _charts(content: Content, t: Translator) -> dict[str, Markup]:
    def hours(value: float) -> str:
        return t.number(value, 1)

    weekdays = [t(f"coord.weekday.{name}") for name in WEEKDAYS]
    return {
        "coverage": grouped_bar_chart(
            "chart-coverage", t("coord.report.coverage"), t("coord.report.coverage_desc"),
            [t("coord.report.open"), t("coord.report.planned"), t("coord.report.actual")],
            [(row.label, (row.open, row.planned, row.actual)) for row in content.coverage[:-1]], hours),
        "gaps": grouped_bar_chart(
            "chart-gaps", t("coord.report.gaps"), t("coord.report.gaps_desc"),
            [t("coord.report.unrostered"), t("coord.report.unstaffed")],
            list(zip(weekdays, zip(content.unrostered, content.unstaffed, strict=True), strict=True)), hours),
        "shares": share_chart(t, "chart-shares", t("coord.cov.organisations"), content.result.organisations),
    }


async def report_page(request: Request) -> Response:
    user = await coordinator(request)
    tz = tz_of(request)
    now = clock_of(request).now()
    today = now.astimezone(tz).date()
    t = Translator(request_language(request), tz=tz)
    period, errors = _period(request, today, t)
    content = await _content(request, period, t)
    if request.query_params.get("format") == "csv":
        name = f"report-{period.first.isoformat()}-{period.last.isoformat()}.csv"
        sheet = spreadsheet_of(request)
        header = [t("coord.report.csv.section"), t("coord.report.csv.key"), t("coord.report.csv.label"),
                  t("coord.report.csv.measure"), t("coord.value")]
        return sheet.response(name, header, _csv_rows(content, sheet, t))
    summary = [(k, (v.shown(t.number) or "–") if isinstance(v, Figure) else suppressed(v))
               for k, v in summary_of(content.stats.report)]
    context: dict[str, Any] = {
        "period": period, "content": content, "errors": errors, "presets": _presets(today, t), "as_of": now,
        "charts": _charts(content, t), "summary": summary,
        "gaps": [(t(f"coord.weekday.{name}"), content.unrostered[n], content.unstaffed[n])
                 for n, name in enumerate(WEEKDAYS)],
        "statistics": [chart_of(content.stats.report, table, content.labels, t, small_hidden=True)
                       for table in STATISTICS],
    }
    return page(request, "coordinator/report.html", user, context)


def _csv_rows(content: Content, sheet: Spreadsheet, t: Translator) -> Iterator[tuple[str, ...]]:
    """The whole report as rows of (section, key, label, measure, value): one file a spreadsheet
    can filter and pivot, keys as stored so that reports of different periods and languages join."""
    for row in content.coverage:
        for measure, hours in (("open_hours", row.open), ("planned_open_hours", row.planned),
                               ("actual_open_hours", row.actual)):
            yield "coverage", row.key, row.label, measure, sheet.number(hours, 1)
        for measure, share in (("planned_share", row.planned_share), ("actual_share", row.actual_share)):
            yield "coverage", row.key, row.label, measure, "" if share is None else sheet.number(share, 3)
    for n, name in enumerate(WEEKDAYS):
        label = t(f"coord.weekday.{name}")
        yield "gaps", str(n), label, "unrostered_hours", sheet.number(content.unrostered[n], 1)
        yield "gaps", str(n), label, "unstaffed_hours", sheet.number(content.unstaffed[n], 1)
    yield from _share_rows("organisations", "", content.result, sheet)
    for month, monthly in content.months:
        yield from _share_rows("organisations_by_month", f"{month:%Y-%m}/", monthly, sheet)
    for key, value in summary_of(content.stats.report):
        shown = value.shown(sheet.number) if isinstance(value, Figure) else suppressed(value)
        yield "chats", key, t(f"coord.stats.{key}"), "value", shown
    for wait in content.waits:
        for measure, figure in (("wait_p50_s", wait.report.wait_p50_s), ("wait_p90_s", wait.report.wait_p90_s)):
            yield "waits", wait.key, wait.label, measure, figure.shown(sheet.number)
        yield "waits", wait.key, wait.label, "served", suppressed(wait.report.served)
    for table in STATISTICS:
        names = content.labels[table]
        for line in table_rows(content.stats.report, table):
            yield table, line.key, names.get(line.key, line.key), "chats", suppressed(line.chats)
            if table != "rating":  # a rating's row counts ratings given, not chats served
                yield table, line.key, names.get(line.key, line.key), "served", suppressed(line.served)
    for number, result in enumerate(content.stats.survey, start=1):
        for answer, count in result.rows:
            yield "survey", str(number), result.question, answer, count
        if result.kind == "text":
            yield "survey", str(number), result.question, "texts", suppressed(result.texts)
    for term in content.terms:
        for measure, text in (("organisation", term.organisation), ("since", _day(term.since)),
                              ("until", _day(term.until)), ("handed_over_by", term.handed_over_by or "")):
            yield "coordinator_terms", term.username, term.name, measure, text


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _share_rows(section: str, prefix: str, result: Coverage, sheet: Spreadsheet) -> Iterator[tuple[str, ...]]:
    for organisation in result.organisations:
        values = share_row(sheet, organisation)
        for measure, value in zip(SHARE_COLUMNS[1:], values[1:], strict=True):
            yield section, prefix + organisation.slug, organisation.name, measure, value


routes = [Route("/coordinator/report", report_page, methods=["GET"])]
