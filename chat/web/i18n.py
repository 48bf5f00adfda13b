"""Server-side texts in Finnish, Swedish and English, from JSON catalogs beside this module, and
the numbers, dates and times put into them, formatted by Babel from the CLDR data.

The language is the one the person chose (`?lang=`, remembered in a cookie), else the first
supported one their browser asks for, else Finnish.

A text with a count has one catalog key per plural form the languages use (`key.one`,
`key.other`); `t(key, count=n)` picks the form by the language's CLDR plural rule. Each language
is formatted as it is written in Finland: Finnish and Finland Swedish (`fi_FI`, `sv_FI`), and
British English (`en_GB`: day before month, a 24-hour clock, a decimal point).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_skeleton,
    format_time,
    get_day_names,
    get_time_format,
)
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from starlette.requests import Request

LANGUAGES = ("fi", "sv", "en")
DEFAULT = "fi"
COOKIE = "neuvo_lang"
CATALOGS = Path(__file__).with_name("i18n")
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@cache
def catalog(language: str) -> Mapping[str, str]:
    data: dict[str, str] = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    return data


@cache
def locale_of(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, LOCALES[DEFAULT]))


class Translator:
    """The texts of one language, and its ways of writing numbers, dates and times. Datetimes
    are shown in `tz` (the service's time zone) when it is given, else in their own."""

    def __init__(self, language: str, *, tz: dt.tzinfo | None = None) -> None:
        self.language = language
        self.locale = locale_of(language)
        self.tz = tz
        self._texts = catalog(language)

    def __call__(self, key: str, **values: object) -> str:
        """The text of `key` with `values` filled in, numbers and dates among them written the
        language's way. A `count` picks the plural form (`key.one`, `key.other`) if the key
        has forms."""
        count = values.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            key = self._plural(key, count)
        text = self._texts.get(key) or catalog(DEFAULT).get(key) or key
        return text.format(**{name: self._value(value) for name, value in values.items()}) if values else text

    def _plural(self, key: str, count: int) -> str:
        form = f"{key}.{self.locale.plural_form(count)}"
        other = f"{key}.other"
        return form if form in self._texts else other if other in self._texts else key

    def _value(self, value: object) -> object:
        if isinstance(value, bool | str):
            return value
        if isinstance(value, int | float):
            return self.number(value)
        if isinstance(value, dt.datetime):
            return self.datetime(value)
        if isinstance(value, dt.date):
            return self.date(value)
        return value

    def number(self, value: float, digits: int = 2) -> str:
        """A number with at most `digits` decimals: "7,5" in Finnish and Swedish, "7.5" in English."""
        return format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0", locale=self.locale)

    def percent(self, share: float) -> str:
        """A share of 1 as a whole percentage: "25 %" in Finnish and Swedish, "25%" in English."""
        return format_percent(share, locale=self.locale)

    def either(self, items: list[str]) -> str:
        """Items as one of them: "ruotsi tai englanti", "svenska eller engelska", "Swedish or English"."""
        return format_list(items, style="or", locale=self.locale)

    def date(self, day: dt.date) -> str:
        """"24.11.2026", "24 nov. 2026", "24 Nov 2026"."""
        return format_date(day, "medium", locale=self.locale)

    def day_month(self, day: dt.date) -> str:
        """A date within the year shown: "24.11.", "24 nov.", "24 Nov"."""
        return format_skeleton("MMMd", day, locale=self.locale)

    def datetime(self, moment: dt.datetime) -> str:
        """"24.11.2026 9.05", "24.11.2026 09.05", "24/11/2026, 09:05"."""
        return format_datetime(moment, "short", tzinfo=self.tz, locale=self.locale)

    def time(self, moment: dt.datetime) -> str:
        """"9.05", "09.05", "09:05"."""
        return format_time(moment, "short", tzinfo=self.tz, locale=self.locale)

    def weekday_date(self, day: dt.date) -> str:
        """A date within the year shown, with its weekday: "ti 1.12.", "tis 1 dec.", "Tue 1 Dec"."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    def weekday(self, number: int, width: Literal["abbreviated", "wide"] = "wide") -> str:
        """The name of weekday `number` (0 = Monday) on its own: "maanantai", "måndag", "Monday";
        `width` "abbreviated": "ma", "mån", "Mon"."""
        name: str = get_day_names(width, context="stand-alone", locale=self.locale)[number]
        return name

    def month(self, day: dt.date) -> str:
        """The month of `day` and its year: "joulukuu 2026", "december 2026", "December 2026"."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    def date_range(self, first: dt.date, last: dt.date) -> str:
        """Dates from `first` to `last` as one range: "ke 23.12.2026 – pe 1.1.2027"; one date alone."""
        if first == last:
            return format_skeleton("yMMMEd", first, locale=self.locale)
        return format_interval(first, last, "yMMMEd", locale=self.locale)

    def time_span(self, start: dt.datetime, end: dt.datetime) -> str:
        """From `start` to `end` in the service's time zone: "9.00–13.00", "09:00–13:00". An end at
        midnight is the day's 24.00 (the hour written 1–24), and an end on a later day says how
        many days on ("22.00–2.00 (+1)")."""
        start, end = (t.astimezone(self.tz) if self.tz else t for t in (start, end))
        pattern = get_time_format("short", locale=self.locale).pattern
        end_text = format_time(end, pattern.replace("H", "k"), locale=self.locale)
        days = ((end - dt.timedelta(minutes=1)).date() - start.date()).days if end > start else 0
        return f"{format_time(start, pattern, locale=self.locale)}–{end_text}" + (f" (+{days})" if days else "")

    def weekday_time_span(self, start: dt.datetime, end: dt.datetime) -> str:
        """A span within the year with its weekday: "ti 1.12. 14.00–16.00", "Tue 1 Dec 14:00–16:00"."""
        local = start.astimezone(self.tz) if self.tz else start
        return f"{self.weekday_date(local.date())} {self.time_span(start, end)}"

    def day_month_time(self, moment: dt.datetime) -> str:
        """A moment within the year shown, date and time joined the language's way."""
        local = moment.astimezone(self.tz) if self.tz else moment
        joined: str = self.locale.datetime_formats["short"]
        return joined.replace("{1}", self.day_month(local.date())).replace("{0}", self.time(local))


def request_language(request: Request) -> str:
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return str(candidate)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
