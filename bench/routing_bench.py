"""Routing decision benchmark: one `assign` and one `positions` call over a large queue.

Run: .venv/bin/python bench/routing_bench.py [--repeat N]

Builds 10,000 waiting chats (Finnish, Swedish and English; ten topics; about 1% transferred to
an advisor, an organisation or a topic, and 1% excluding the advisor who transferred them) and
1,000 advisors in 20 organisations, then times:

- assign, busy: nearly every advisor is full; 20 advisors have one free slot each;
- assign, free: every advisor is idle, so about 2,000 slots get filled in one decision;
- positions: the queue positions of all 10,000 chats against every advisor on shift.

Prints min / median / p95 in milliseconds for each. The data is seeded, so runs are comparable.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from routing.policy import assign
from routing.queue import positions
from routing.types import (
    AdvisorState,
    Target,
    ToAdvisor,
    ToOrganisation,
    ToTopic,
    WaitingChat,
)

CHATS = 10_000
ADVISORS = 1_000
ORGANISATIONS = [f"org-{n:02}" for n in range(1, 21)]
TOPICS = [f"topic-{n}" for n in range(10)]
START = datetime(2026, 3, 2, 8, tzinfo=UTC)


def build_advisors(rng: random.Random) -> list[AdvisorState]:
    language_mix = [{"fi"}] * 14 + [{"fi", "sv"}] * 3 + [{"fi", "en"}] * 2 + [{"sv", "en"}]
    advisors = []
    for n in range(ADVISORS):
        limited = rng.random() < 0.4
        advisors.append(
            AdvisorState(
                id=f"advisor-{n:04}",
                organisation=rng.choice(ORGANISATIONS),
                languages=frozenset(rng.choice(language_mix)),
                topics=frozenset(rng.sample(TOPICS, rng.randint(3, 6))) if limited else None,
                capacity=rng.randint(2, 4),
                active=0,
                signed_in=rng.random() < 0.95,
                available=rng.random() < 0.9,
                idle_since=START + timedelta(seconds=rng.randrange(3600)),
            )
        )
    return advisors


def build_chats(rng: random.Random, advisors: list[AdvisorState]) -> list[WaitingChat]:
    chats = []
    for n in range(CHATS):
        language = rng.choices(["fi", "sv", "en"], weights=[75, 15, 10])[0]
        chats.append(
            WaitingChat(
                id=f"chat-{n:05}",
                arrived=START + timedelta(seconds=rng.randrange(7200)),
                topic=rng.choice(TOPICS),
                language=language,
                target=transfer_target(rng, advisors),
                excluded=rng.choice(advisors).id if rng.random() < 0.01 else None,
            )
        )
    return chats


def transfer_target(rng: random.Random, advisors: list[AdvisorState]) -> Target | None:
    draw = rng.random()
    if draw < 0.004:
        return ToAdvisor(rng.choice(advisors).id)
    if draw < 0.007:
        return ToOrganisation(rng.choice(ORGANISATIONS))
    if draw < 0.010:
        return ToTopic(rng.choice(TOPICS))
    return None


def busy(advisors: list[AdvisorState], rng: random.Random) -> list[AdvisorState]:
    """Everyone full but 20 advisors with a single free slot."""
    spare = set(rng.sample(range(len(advisors)), 20))
    return [
        dataclasses.replace(a, active=a.capacity - 1 if n in spare else a.capacity)
        for n, a in enumerate(advisors)
    ]


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return sorted(samples)


def report(name: str, samples: list[float], detail: str) -> None:
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(
        f"{name:<14} min {samples[0]:6.1f} ms   median {statistics.median(samples):6.1f} ms"
        f"   p95 {p95:6.1f} ms   ({detail})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per case")
    repeat = parser.parse_args().repeat

    rng = random.Random(20260302)
    advisors = build_advisors(rng)
    chats = build_chats(rng, advisors)
    on_shift = frozenset(a.id for a in advisors if rng.random() < 0.9)
    hours = {org: float(rng.randint(20, 400)) for org in ORGANISATIONS}
    counts = {org: rng.randint(0, 300) for org in ORGANISATIONS}
    full = busy(advisors, rng)
    rostered = [a for a in advisors if a.id in on_shift]

    print(
        f"{len(chats)} waiting chats, {len(advisors)} advisors, {len(ORGANISATIONS)} organisations"
    )
    for name, states in (("assign busy", full), ("assign free", advisors)):

        def decide(states: list[AdvisorState] = states) -> int:
            return len(assign(chats, states, on_shift, counts, hours))

        report(name, timed(decide, repeat), f"{decide()} assignments")
    samples = timed(lambda: positions(chats, rostered), repeat)
    report("positions", samples, f"{len(rostered)} advisors on shift")


if __name__ == "__main__":
    main()
