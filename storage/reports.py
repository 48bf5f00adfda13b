"""Anonymous usage statistics for a period, for coordinators and the cooperation group.

Only the anonymous records are read: `chat_statistic` (one per ended chat), `refused_attempt`
and the number of offline messages. Never a transcript, a token or an address.

A chat is *served* when an advisor took it (it has a duration); *abandoned in queue* when it
ended unserved because the visitor left; *expired* when the service closed while it waited.
Wait times are those of served chats. Percentiles use the nearest-rank method: the p-th
percentile of n sorted values is the value at rank ceil(p/100 · n).

The "<3" rule, kept here alone (`too_few`): nothing computed from one or two chats is shown as
it is, so nobody can be picked out of a small cell. A count of 1 or 2 is written "<3" in exports
(`suppressed`); a figure computed from 1 or 2 chats (a mean of two ratings, the median wait of two
served chats) is withheld everywhere: `Figure` never holds its value, so no page or export can
show it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from storage.tables import ChatStatistic, OfflineMessage, Organisation, RefusedAttempt

FEWEST = 3
LESS_THAN = f"<{FEWEST}"
N = TypeVar("N", int, float)


def too_few(count: int) -> bool:
    """The "<3" rule: 1 or 2 chats are too few to show a count of, or anything computed from."""
    return 0 < count < FEWEST


def suppressed(count: int) -> str:
    """A count for export: 1 or 2 is written "<3"; 0 and 3 or more as they are."""
    return LESS_THAN if too_few(count) else str(count)


@dataclass(frozen=True, slots=True)
class Figure:
    """A measure computed from `basis` chats (a percentile, a mean). `value` is None when there
    was nothing to compute it from, and when it would come from too few chats (`withheld`)."""

    value: float | None
    basis: int

    @property
    def withheld(self) -> bool:
        return too_few(self.basis)

    def shown(self, written: Callable[[float], str] = str) -> str:
        """"<3" when withheld, "" when there is no value, else the value as `written` writes it."""
        return LESS_THAN if self.withheld else "" if self.value is None else written(self.value)


def figure(values: Sequence[N], compute: Callable[[Sequence[N]], float | None]) -> Figure:
    """`compute(values)`, unless there are too few values to show it."""
    return Figure(None if too_few(len(values)) or not values else compute(values), len(values))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a breakdown: chats that arrived with this key, and how many were served."""

    key: str
    chats: int
    served: int


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    chats: int
    served: int
    abandoned: int
    expired: int
    refused_closed: int
    refused_unstaffed: int
    offline_messages: int
    wait_p50_s: Figure
    wait_p90_s: Figure
    duration_p50_s: Figure
    by_hour: list[Row]
    by_weekday: list[Row]
    by_topic: list[Row]
    by_language: list[Row]
    by_organisation: list[Row]
    by_outcome: list[Row]
    ratings: list[Row]  # key "1".."5"; chats = ratings given
    rating_mean: Figure


def percentile(values: Sequence[int], p: float) -> int | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def is_served(record: ChatStatistic) -> bool:
    return record.duration_s is not None


def _rows(
    records: Sequence[ChatStatistic], key: Callable[[ChatStatistic], str], keys: Sequence[str] | None = None
) -> list[Row]:
    chats: Counter[str] = Counter(key(r) for r in records)
    served: Counter[str] = Counter(key(r) for r in records if is_served(r))
    order = list(keys) if keys is not None else sorted(chats)
    return [Row(k, chats[k], served[k]) for k in order]


async def report(session: AsyncSession, *, start: datetime, end: datetime) -> Report:
    """Statistics of the chats that arrived in [start, end) (by their hour), and of refused
    attempts and offline messages in it."""
    result = await session.execute(
        select(ChatStatistic).where(col(ChatStatistic.hour_bucket) >= start, col(ChatStatistic.hour_bucket) < end)
    )
    records = result.scalars().all()
    refused = dict(
        (
            await session.execute(
                select(col(RefusedAttempt.reason), func.count())
                .where(col(RefusedAttempt.hour_bucket) >= start, col(RefusedAttempt.hour_bucket) < end)
                .group_by(col(RefusedAttempt.reason))
            )
        ).all()
    )
    offline = (
        await session.execute(
            select(func.count()).where(col(OfflineMessage.created_at) >= start, col(OfflineMessage.created_at) < end)
        )
    ).scalar_one()
    slugs = {org.id: org.slug for org in (await session.execute(select(Organisation))).scalars().all()}
    served = [r for r in records if is_served(r)]
    unserved = [r for r in records if not is_served(r)]
    ratings = [r.rating for r in records if r.rating is not None]
    waits = [r.wait_s for r in served if r.wait_s is not None]
    durations = [r.duration_s for r in served if r.duration_s is not None]
    return Report(
        start=start,
        end=end,
        chats=len(records),
        served=len(served),
        abandoned=sum(1 for r in unserved if r.status != "expired"),
        expired=sum(1 for r in unserved if r.status == "expired"),
        refused_closed=int(refused.get("closed", 0)),
        refused_unstaffed=int(refused.get("unstaffed", 0)),
        offline_messages=int(offline),
        wait_p50_s=figure(waits, lambda values: percentile(values, 50)),
        wait_p90_s=figure(waits, lambda values: percentile(values, 90)),
        duration_p50_s=figure(durations, lambda values: percentile(values, 50)),
        by_hour=_rows(records, lambda r: f"{r.local_hour:02d}", [f"{h:02d}" for h in range(24)]),
        by_weekday=_rows(records, lambda r: str(r.weekday), [str(d) for d in range(7)]),
        by_topic=_rows(records, lambda r: r.topic),
        by_language=_rows(records, lambda r: r.language),
        by_organisation=_rows(
            served, lambda r: slugs.get(r.organisation_id, "") if r.organisation_id is not None else ""
        ),
        by_outcome=_rows(served, lambda r: r.outcome or ""),
        ratings=[Row(str(n), sum(1 for x in ratings if x == n), 0) for n in range(1, 6)],
        rating_mean=figure(ratings, lambda values: sum(values) / len(values)),
    )
