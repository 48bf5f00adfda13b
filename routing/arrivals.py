"""Demand, as the staffing forecast models it from past weeks' anonymous statistics.

Arrivals are a Poisson process whose rate is constant within each hour of the week and differs
by (weekday, local hour, topic, language): the count of past chats in that cell divided by the
number of weeks the history covers (the caller's to know: a week before the statistics begin is
no week of zero demand). Visitors refused because nobody was on shift count as arrivals too:
they are the demand of the hours that went unstaffed, which a draft may staff. Handling times
are drawn from those seen (per topic and language when there are enough of them, else from
all). Patience (how long a visitor waits before leaving) is
exponential; its mean is estimated from waits that were cut short (abandoned) and waits that
were not (served, expired), as survival data: total time waited / number of abandonments, the
maximum-likelihood estimate for an exponential with censored observations. No abandonment at
all gives no patience limit (None).
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Fewer handling times than this for one (topic, language) and it draws from all of them.
FEWEST_SAMPLES = 20

Kind = tuple[str, str]  # (topic, language)
Cell = tuple[int, int]  # (weekday 0 = Monday, local hour)


@dataclass(frozen=True, slots=True)
class PastChat:
    """One anonymous statistics record as the forecast reads it: when it arrived (local weekday
    and hour), what it was about, how long it waited and was handled, and whether its visitor
    left while waiting; or, `refused`, a visitor turned away because nobody was on shift."""

    weekday: int
    hour: int
    topic: str
    language: str
    wait_s: float | None
    handled_s: float | None
    abandoned: bool
    refused: bool = False


@dataclass(frozen=True, slots=True)
class Empirical:
    """Handling times drawn from those seen: by (topic, language) where there are enough."""

    by_kind: Mapping[Kind, tuple[float, ...]]
    pooled: tuple[float, ...]

    def draw(self, rng: random.Random, kind: Kind) -> float:
        samples = self.by_kind.get(kind, ())
        return rng.choice(samples if len(samples) >= FEWEST_SAMPLES else self.pooled)


@dataclass(frozen=True, slots=True)
class Exponential:
    """Handling times exponential with this mean, whatever the kind (the known-case tests')."""

    mean_s: float

    def draw(self, rng: random.Random, kind: Kind) -> float:
        return rng.expovariate(1 / self.mean_s)


Handling = Empirical | Exponential


@dataclass(frozen=True, slots=True)
class Demand:
    """Expected arrivals per hour for each cell of the week and kind of chat, handling times, and
    the visitors' mean patience (None: nobody leaves while waiting)."""

    rates: Mapping[Cell, Mapping[Kind, float]]
    handling: Handling
    patience_mean_s: float | None

    def in_cell(self, cell: Cell) -> Mapping[Kind, float]:
        return self.rates.get(cell, {})


def demand_from(history: Sequence[PastChat], weeks: int, *, fallback_handling_s: float = 600.0) -> Demand:
    """The demand of `history`, which covers `weeks` past weeks. Without any handling time seen,
    every chat takes `fallback_handling_s`."""
    if weeks < 1:
        raise ValueError("the forecast needs at least one week of history")
    counts: defaultdict[Cell, Counter[Kind]] = defaultdict(Counter)
    for chat in history:
        counts[(chat.weekday, chat.hour)][(chat.topic, chat.language)] += 1
    rates = {cell: {kind: n / weeks for kind, n in kinds.items()} for cell, kinds in counts.items()}
    return Demand(rates, _handling(history, fallback_handling_s), patience_mean(history))


def _handling(history: Iterable[PastChat], fallback_s: float) -> Handling:
    by_kind: defaultdict[Kind, list[float]] = defaultdict(list)
    for chat in history:
        if chat.handled_s is not None:
            by_kind[(chat.topic, chat.language)].append(float(chat.handled_s))
    pooled = tuple(t for times in by_kind.values() for t in times)
    if not pooled:
        return Exponential(fallback_s)
    return Empirical({kind: tuple(times) for kind, times in by_kind.items()}, pooled)


def patience_mean(history: Iterable[PastChat]) -> float | None:
    """The exponential patience's mean: all time waited over the number who left waiting."""
    waited = 0.0
    left = 0
    for chat in history:
        if chat.wait_s is not None:
            waited += chat.wait_s
        left += chat.abandoned
    return waited / left if left else None


def poisson_times(rng: random.Random, rate_per_s: float, start: float, end: float) -> list[float]:
    """The instants of a Poisson process of `rate_per_s` within [start, end) (seconds)."""
    if rate_per_s <= 0:
        return []
    times = []
    t = start + rng.expovariate(rate_per_s)
    while t < end:
        times.append(t)
        t += rng.expovariate(rate_per_s)
    return times


def nearest_rank(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile by nearest rank (as the statistics page's): the value at rank
    ceil(p/100 · n) of the sorted values; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]
