"""`python -m bench.forecast_backtest`: predict a past month with the staffing forecast from
the weeks before it, and measure the error against what happened.

Each week of the test month (the weeks whose Monday falls in it) is simulated with its own
roster and the demand of the `--weeks` weeks before the month; predicted and actual figures are
compared per hour of the week (weekday × hour, the month's weeks pooled): chats per hour (per
week), the p90 wait of answered chats (cells with at least MIN_SERVED answered in the month),
and the share answered within two minutes. Beside the forecast's p90 error stands a naive
one's: "as the weeks before", each cell's p90 in the history. Refused visitors count as demand
(those refused as unstaffed: `storage.forecasting.past_chats`) but are left out of the
compared arrivals on both sides: a chat per hour is one the service took.

Without `--database` the history is `bench.forecast_synthetic`'s (seeded); with it, a Neuvo
database's records, roster and opening hours.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import forecast_synthetic
from bench.forecast_synthetic import Week
from routing.arrivals import Cell, PastChat, demand_from, nearest_rank
from routing.forecast import ANSWER_WITHIN_S, Fate, simulate
from storage import forecasting
from storage.database import Database

MIN_SERVED = 10
SYNTHETIC_MONTH = date(2026, 8, 1)


@dataclass(frozen=True)
class Result:
    history_weeks: int
    test_weeks: list[str]  # their Mondays
    runs: int
    seed: str
    cells: int  # hours of the week with chats, predicted or actual
    arrivals_actual_mean: float  # per cell and week
    arrivals_mae: float
    p90_cells: int
    p90_actual_mean_s: float | None
    p90_mae_s: float | None
    p90_bias_s: float | None  # mean of forecast − actual: above 0, the forecast errs long
    p90_naive_mae_s: float | None
    within_2min_mae: float | None
    seconds: float


@dataclass
class _Tally:
    """One cell's chats: how many, their answered waits, and how many were answered in time."""

    chats: int = 0
    waits: list[float] = field(default_factory=list)
    in_time: int = 0

    def add(self, wait_s: float | None, answered: bool) -> None:
        self.chats += 1
        if answered and wait_s is not None:
            self.waits.append(wait_s)
            self.in_time += wait_s <= ANSWER_WITHIN_S


def backtest(history: Sequence[Week], tested: Sequence[Week], *, runs: int, seed: str) -> Result:
    """The forecast of each `tested` week from the `history` weeks, against what they held."""
    started = time.perf_counter()
    demand = demand_from([chat for week in history for chat in week.chats], len(history))
    predicted: defaultdict[Cell, _Tally] = defaultdict(_Tally)
    actual: defaultdict[Cell, _Tally] = defaultdict(_Tally)
    naive: defaultdict[Cell, _Tally] = defaultdict(_Tally)
    for week in tested:
        tz = week.plan.hours.tz
        for run in range(runs):
            for chat in simulate(demand, week.plan, week.start, week.end, seed=seed, run=run):
                if chat.fate is not Fate.REFUSED:
                    local = datetime.fromtimestamp(chat.arrived, tz)
                    predicted[(local.weekday(), local.hour)].add(chat.wait_s, chat.fate is Fate.ANSWERED)
        _tally(actual, week.chats)
    _tally(naive, [chat for week in history for chat in week.chats])
    cells = sorted(predicted.keys() | actual.keys())
    weeks = len(tested)
    arrivals = [(predicted[c].chats / runs / weeks, actual[c].chats / weeks) for c in cells]
    measured = [c for c in cells if len(actual[c].waits) >= MIN_SERVED and predicted[c].waits]
    p90 = [(_p90(predicted[c]), _p90(actual[c]), _p90(naive[c])) for c in measured]
    shares = [(predicted[c].in_time / predicted[c].chats, actual[c].in_time / actual[c].chats)
              for c in cells if predicted[c].chats and actual[c].chats]
    return Result(
        history_weeks=len(history), test_weeks=[week.start.date().isoformat() for week in tested], runs=runs,
        seed=seed, cells=len(cells), arrivals_actual_mean=_mean(a for _, a in arrivals) or 0.0,
        arrivals_mae=_mean(abs(p - a) for p, a in arrivals) or 0.0, p90_cells=len(measured),
        p90_actual_mean_s=_mean(a for _, a, _ in p90), p90_mae_s=_mean(abs(p - a) for p, a, _ in p90),
        p90_bias_s=_mean(p - a for p, a, _ in p90),
        p90_naive_mae_s=_mean(abs(n - a) for _, a, n in p90 if n is not None),
        within_2min_mae=_mean(abs(p - a) for p, a in shares), seconds=time.perf_counter() - started,
    )


def _tally(cells: defaultdict[Cell, _Tally], chats: Iterable[PastChat]) -> None:
    """The chats by cell; refused visitors left out, as the predicted side leaves them."""
    for chat in chats:
        if not chat.refused:
            cells[(chat.weekday, chat.hour)].add(chat.wait_s, chat.handled_s is not None)


def _p90(tally: _Tally) -> float:
    value = nearest_rank(tally.waits, 90)
    return 0.0 if value is None else value


def _mean(values: Iterable[float]) -> float | None:
    listed = list(values)
    return sum(listed) / len(listed) if listed else None


def split(weeks: Sequence[Week], month: date, history_weeks: int) -> tuple[list[Week], list[Week]]:
    """The weeks whose Monday falls in `month` (its year and month), and the `history_weeks`
    weeks before the first of them."""
    tested = [w for w in weeks if (w.start.year, w.start.month) == (month.year, month.month)]
    if not tested:
        raise SystemExit(f"no week starts in {month:%Y-%m}")
    before = [w for w in weeks if w.start < tested[0].start][-history_weeks:]
    if not before:
        raise SystemExit(f"no history before {month:%Y-%m}")
    return before, tested


def mondays_of(month: date) -> list[date]:
    """The Mondays of the month of `month`."""
    first = month.replace(day=1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    return [monday + timedelta(weeks=n) for n in range(5) if (monday + timedelta(weeks=n)).month == first.month]


async def database_weeks(url: str, *, mondays: Sequence[date], history_weeks: int, tz: ZoneInfo,
                         closing_grace_s: float) -> list[Week]:
    """The test weeks (from `mondays`) and the history weeks before them of a Neuvo database,
    read through `storage.forecasting`."""
    starts = [mondays[0] + timedelta(weeks=n) for n in range(-history_weeks, len(mondays))]
    db = Database(url)
    weeks = []
    try:
        for day in starts:
            start = datetime.combine(day, datetime.min.time(), tz)
            end = start + timedelta(days=7)
            async with db.transaction() as session:
                plan = await forecasting.draft(session, start=start, end=end, tz=tz, closing_grace_s=closing_grace_s)
                chats = await forecasting.past_chats(session, start=start, end=end, tz=tz)
            weeks.append(Week(start, plan, tuple(chats)))
    finally:
        await db.close()
    return weeks


def markdown(result: Result, command: str) -> str:
    """The back-test as the section docs/benchmarks.md keeps."""
    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f} s"

    share = "–" if result.within_2min_mae is None else f"{100 * result.within_2min_mae:.1f} points"
    return "\n".join([
        f"`{command}` on {platform.node() or 'this machine'} ({platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {result.seconds:.1f} s:",
        "",
        f"History {result.history_weeks} weeks; predicted weeks {', '.join(result.test_weeks)}; "
        f"{result.runs} runs a week, seed `{result.seed}`; {result.cells} hours of the week with chats.",
        "",
        "| figure (per hour of the week) | actual mean | forecast's error (MAE) "
        "| naive \"as the weeks before\" (MAE) |",
        "| --- | --- | --- | --- |",
        f"| chats per hour | {result.arrivals_actual_mean:.2f} | {result.arrivals_mae:.2f} | – |",
        f"| p90 wait of answered chats ({result.p90_cells} hours with ≥ {MIN_SERVED} answered) | "
        f"{seconds(result.p90_actual_mean_s)} | {seconds(result.p90_mae_s)} (bias {seconds(result.p90_bias_s)}) "
        f"| {seconds(result.p90_naive_mae_s)} |",
        f"| share answered within 2 min | – | {share} | – |",
    ])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.forecast_backtest",
                                description=__doc__ and __doc__.splitlines()[0])
    p.add_argument("--database", help="a Neuvo database URL (default: the seeded synthetic history)")
    p.add_argument("--month", help="the month to predict, YYYY-MM (default: 2026-08 of the synthetic history, "
                   "or with --database the month before this one)")
    p.add_argument("--weeks", type=int, default=8, help="weeks of history before the month (8)")
    p.add_argument("--runs", type=int, default=10, help="simulated runs of each week (10)")
    p.add_argument("--seed", default="backtest", help="the seed of the runs and of the synthetic history")
    p.add_argument("--tz", default="Europe/Helsinki", help="the service's time zone, with --database")
    p.add_argument("--closing-grace", type=float, default=900.0, help="seconds, with --database (900)")
    p.add_argument("--json", type=Path, help="also write the result as JSON here")
    return p


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    default = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1) if args.database else SYNTHETIC_MONTH
    month = date.fromisoformat(args.month + "-01") if args.month else default
    mondays = mondays_of(month)
    if args.database:
        weeks = asyncio.run(database_weeks(args.database, mondays=mondays, history_weeks=args.weeks,
                                           tz=ZoneInfo(args.tz), closing_grace_s=args.closing_grace))
    else:
        weeks = forecast_synthetic.history(mondays[0] - timedelta(weeks=args.weeks), args.weeks + len(mondays),
                                           args.seed)
    history, tested = split(weeks, month, args.weeks)
    result = backtest(history, tested, runs=args.runs, seed=args.seed)
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2) + "\n")
    command = " ".join(["python -m bench.forecast_backtest", *(argv if argv is not None else sys.argv[1:])])
    print(markdown(result, command))


if __name__ == "__main__":
    main()
