"""The gaps ahead (`routing.gaps`) as the pages say them: "Tue 1 Dec 14:00–16:00 has nobody on
shift", "… has nobody who speaks Swedish or English", in the page's language, each with an id a
form or a link can name it by, and who has offered to cover it (for the coordinators' lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from starlette.requests import Request

from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator
from routing.gaps import Gap
from routing.shift_requests import RequestKind
from storage import gaps, people, shift_requests


@dataclass(frozen=True)
class ShownGap:
    gap: Gap
    when: str  # "Tue 1 Dec 14:00–16:00"
    text: str  # "Tue 1 Dec 14:00–16:00 has nobody on shift"

    @property
    def id(self) -> str:
        return f"gap-{self.gap.start:%Y%m%dT%H%M}"

    @property
    def clock(self) -> tuple[str, str]:
        """Its start and end as the shift forms take them ("14:00", "24:00" for midnight)."""
        start, end = self.gap.start, self.gap.end
        return f"{start:%H:%M}", "24:00" if end.date() > start.date() else f"{end:%H:%M}"

    @property
    def week(self) -> date:
        """The Monday of its week, for a link to the roster."""
        return self.gap.day - timedelta(days=self.gap.day.weekday())


async def gaps_of(request: Request) -> list[Gap]:
    """The gaps in the next 14 days, in the service's time zone."""
    async with db_of(request).transaction() as session:
        return await gaps.gaps(session, now=clock_of(request).now(), tz=tz_of(request))


async def offered(request: Request, found: list[ShownGap]) -> dict[str, list[str]]:
    """The names of those whose offer to cover meets each gap (by its id), not decided yet."""
    async with db_of(request).transaction() as session:
        rows = await shift_requests.requests(session, statuses=shift_requests.UNDECIDED)
        names = {user.id: user.name for user in await people.all_users(session)}
    offers = [r for r in rows if r.kind == RequestKind.COVER and r.start and r.end]
    return {shown.id: [names.get(r.requester_id, "") for r in offers
                       if r.start and r.end and r.start < shown.gap.end and r.end > shown.gap.start]
            for shown in found}


def shown(found: list[Gap], t: Translator) -> list[ShownGap]:
    return [_shown(gap, t) for gap in found]


def _shown(gap: Gap, t: Translator) -> ShownGap:
    when = t.weekday_time_span(gap.start, gap.end)
    if gap.nobody:
        return ShownGap(gap, when, t("gaps.nobody", when=when))
    languages = t.either([t(f"coord.language.{code}") for code in gap.languages])
    return ShownGap(gap, when, t("gaps.language", when=when, languages=languages))
