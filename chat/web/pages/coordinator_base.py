"""What the coordinator pages share: the role check, periods chosen in the query string, CSV
answers, and the administration with its refusals as form errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problem, Refused
from chat.web import i18n
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect, render, signed_in
from storage.tables import User

ROLE = "coordinator"
NAV = (
    ("/coordinator", "coord.nav.overview"),
    ("/coordinator/coverage", "coord.nav.coverage"),
    ("/coordinator/statistics", "coord.nav.statistics"),
    ("/coordinator/report", "coord.nav.report"),
    ("/coordinator/roster", "coord.nav.roster"),
    ("/coordinator/forecast", "coord.nav.forecast"),
    ("/coordinator/requests", "coord.nav.requests"),
    ("/coordinator/hours", "coord.nav.hours"),
    ("/coordinator/people", "coord.nav.people"),
    ("/coordinator/settings", "coord.nav.settings"),
    ("/coordinator/survey", "coord.nav.survey"),
    ("/coordinator/blocks", "coord.nav.blocks"),
    ("/coordinator/statements", "coord.nav.statements"),
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def coordinator(request: Request) -> User:
    """The signed-in coordinator; an advisor gets 403, nobody signed in the sign-in page."""
    return await signed_in(request, ROLE)


def page(request: Request, template: str, user: User, context: dict[str, Any], *, status: int = 200) -> Response:
    return render(
        request, template, {"user": user, "nav": NAV, "here": request.url.path, "weekdays": WEEKDAYS, **context},
        status=status,
    )


# The dates the pages take: a day outside these is no day of this service's (and 9999-12-31 + 1
# day would overflow in every period built from it).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_day(value: object) -> date | None:
    """An ISO date of FIRST_YEAR to LAST_YEAR; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz)


HALF_YEAR = re.compile(r"(\d{4})-H([12])")


def half_year(year: int, half: int) -> tuple[date, date]:
    """The first day of half-year `half` of `year` (1: January to June, 2: July to December)
    and the first day after it."""
    return (date(year, 1, 1), date(year, 7, 1)) if half == 1 else (date(year, 7, 1), date(year + 1, 1, 1))


def half_year_of(day: date) -> tuple[date, date]:
    """The half-year `day` is in, as `half_year` gives it."""
    return half_year(day.year, 1 if day.month < 7 else 2)


def parse_half_year(value: object) -> tuple[date, date] | None:
    """A half-year written "2026-H1" or "2026-H2"; None for anything else."""
    found = HALF_YEAR.fullmatch(value.strip()) if isinstance(value, str) else None
    return half_year(int(found.group(1)), int(found.group(2))) if found and found.group(1) != "0000" else None


def half_year_name(first: date) -> str:
    """How the query string names the half-year starting on `first`: "2026-H2"."""
    return f"{first.year:04d}-H{1 if first.month < 7 else 2}"


FILE_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


@dataclass(frozen=True)
class Spreadsheet:
    """CSV as a spreadsheet in the page's language opens it in columns: Excel in a Finnish or
    Finland-Swedish locale splits on `;` and reads a decimal comma, in an English one on `,` with a
    decimal point; a byte order mark tells it the file is UTF-8 (else ä and å come out broken)."""

    delimiter: str
    decimal: str

    def number(self, value: float, digits: int = 2) -> str:
        """At most `digits` decimals and no grouping ("4,67", "7,5", "20" in Finnish)."""
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
        return text.replace(".", self.decimal)

    def response(self, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
        """A CSV download; its file name goes into a header, so it must be plain ASCII (ValueError)."""
        if not FILE_NAME.fullmatch(filename):
            raise ValueError("a CSV file name is made of known, plain names")
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return Response(
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )


def spreadsheet_of(request: Request) -> Spreadsheet:
    """The CSV dialect of the page's language (Babel's decimal sign for its locale)."""
    decimal = i18n.locale_of(request_language(request)).number_symbols["latn"]["decimal"]
    return Spreadsheet(delimiter=";" if decimal == "," else ",", decimal=decimal)


async def removal(request: Request, remove: Callable[[Administration, str], Awaitable[None]], *,
                  then: str) -> Response:
    """A coordinator's post that removes something: checked, done, and on to `then`. Removed
    meanwhile (NotFound) is what the coordinator wanted, so it is no error."""
    user = await coordinator(request)
    await checked_form(request)
    with suppress(NotFound):
        await remove(admin_of(request), user.username)
    return redirect(then)


def form_text(form: FormData, name: str) -> str:
    """A posted field, trimmed; "" when missing or not text."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def admin_of(request: Request) -> Administration:
    """The administration every coordinator change goes through: one transaction with its audit
    entry, then the live service reloads and routes again."""
    admin: Administration = request.app.state.admin
    return admin


def form_errors(request: Request, refused: Refused, *, prefix: str, keys: Mapping[str, str],
                fields: Mapping[str, str] | None = None,
                values: Callable[[Problem], Mapping[str, object]] | None = None) -> dict[str, str]:
    """A refusal as a form's errors: the field's id (`prefix-field`, or as `fields` maps it) to
    the text of the problem's code in the catalogs (`keys`), in the page's language."""
    t = Translator(request_language(request))
    errors: dict[str, str] = {}
    for problem in refused.problems:
        field = (fields or {}).get(problem.field, f"{prefix}-{problem.field}")
        errors.setdefault(field, t(keys[problem.code], **(values(problem) if values else problem.values)))
    return errors
