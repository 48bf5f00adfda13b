"""The soak (bench/soak.py) for a few seconds inside the suite, under storage faults: visitors
and advisors chatting, reconnecting and ending against a real `neuvo serve`, while another process
locks the database (and, where a tmpfs mounts, the disk fills up)."""

from __future__ import annotations

from pathlib import Path

from bench.soak import Plan, soak


async def test_a_short_soak_under_storage_faults_loses_nothing(tmp_path: Path) -> None:
    report = await soak(Plan(seconds=15, visitors=8, advisors=3, faults=True, seed=14, folder=tmp_path))
    # Seqs gap-free, every acked line stored once, nothing stored unsent, no answer awaited in
    # vain, no socket closed by the server but 1013, no traceback in the server's log.
    assert report.problems == [], report.summary()
    assert report.ledger.faults, report.summary()
    assert report.ledger.refused["unavailable"] > 0, report.summary()  # some requests met a fault
    assert len(report.ledger.acked) > 50, report.summary()
