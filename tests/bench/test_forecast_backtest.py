"""`python -m bench.forecast_backtest` runs end to end, on the synthetic history and on a Neuvo
database, and produces every figure. Errors' sizes are not asserted: they are what it measures."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import forecast_synthetic
from storage.database import Database
from storage.tables import ChatStatistic
from tests.service import seed

FIGURES = ("arrivals_actual_mean", "arrivals_mae", "p90_actual_mean_s", "p90_mae_s", "p90_naive_mae_s",
           "within_2min_mae")


def _backtest(tmp_path: Path, *args: str) -> tuple[dict[str, object], str]:
    out = tmp_path / "backtest.json"
    done = subprocess.run([sys.executable, "-m", "bench.forecast_backtest", "--json", str(out), *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(out.read_text())
    return result, done.stdout


def test_the_synthetic_back_test_produces_every_figure(tmp_path: Path) -> None:
    result, printed = _backtest(tmp_path, "--weeks", "2", "--runs", "2")
    assert result["history_weeks"] == 2
    assert result["test_weeks"] == ["2026-08-03", "2026-08-10", "2026-08-17", "2026-08-24", "2026-08-31"]
    for name in FIGURES:
        assert isinstance(result[name], float), name
    assert "| chats per hour |" in printed and "python -m bench.forecast_backtest --json" in printed


def test_the_synthetic_history_is_seeded_and_varies_by_week() -> None:
    monday = date(2026, 6, 1)
    first, again = forecast_synthetic.history(monday, 3, "s"), forecast_synthetic.history(monday, 3, "s")
    assert [w.chats for w in first] == [w.chats for w in again]
    assert len({w.plan.shifts for w in first}) > 1 and all(w.chats for w in first)


async def test_the_back_test_reads_a_database(tmp_path: Path) -> None:
    """Two weeks of history and the month's first week, each with a Tuesday's chats."""
    path = tmp_path / "neuvo.db"
    db = Database(f"sqlite:///{path}")
    await seed(db)
    tz = ZoneInfo("Europe/Helsinki")
    async with db.transaction() as session:
        for week in (-2, -1, 0):
            for minute in range(0, 60, 5):
                at = datetime(2026, 11, 3, 10, minute, tzinfo=tz) + timedelta(weeks=week)
                session.add(ChatStatistic(hour_bucket=at.replace(minute=0), local_hour=10, weekday=1, topic="work",
                                          language="fi", status="ended", wait_s=minute, duration_s=300))
    await db.close()
    result, _ = _backtest(tmp_path, "--database", f"sqlite:///{path}", "--month", "2026-11", "--weeks", "2",
                          "--runs", "2")
    assert result["history_weeks"] == 2 and result["test_weeks"][0] == "2026-11-02"  # type: ignore[index]
    # 12 chats in one hour of the month's first week, none in the other four: 12 / 5 an hour a week.
    assert result["test_weeks"] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
    assert result["arrivals_actual_mean"] == 12 / 5
