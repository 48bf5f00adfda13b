"""`python -m bench` at a hundredth of its size: every scenario against the relay and Neuvo,
every figure produced, nothing lost. No figure's value is asserted: times on shared cores say
nothing about the code."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from bench import report
from bench.scenarios import active, burst, waiting

SMOKE = ["--scale", "0.01", "--chats", "4"]
ZERO = ("lost", "duplicated", "unacked", "acked_twice", "out_of_order", "not_queued", "not_assigned", "errors",
        "server_errors", "position_errors", "position_rises")


def _bench(tmp_path: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench", *SMOKE, "--out", str(tmp_path), *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, Any] = json.loads((tmp_path / "results.json").read_text())
    return results


def _complete(figures: dict[str, Any], names: tuple[str, ...], *, relay: bool = False) -> None:
    relay_lacks = {"positions_exact", "positions_checked", "position_errors", "position_rises", "database_cpu_pct"}
    for name in names:
        if not (relay and name in relay_lacks) and name != "database_cpu_pct":
            assert figures[name] is not None, name
    for name in ZERO:
        if figures.get(name) is not None:
            assert figures[name] == 0, (name, figures.get("error_kinds"))


@pytest.mark.timeout(600)
def test_every_scenario_produces_every_figure_and_loses_nothing(tmp_path: Path) -> None:
    results = _bench(tmp_path, "--scenarios", "waiting,active,burst")
    scenarios = results["scenarios"]
    for kind in ("relay", "neuvo"):
        _complete(scenarios["waiting"][kind], waiting.FIGURES, relay=kind == "relay")
        [run] = scenarios["active"]
        _complete(run[kind], active.FIGURES, relay=kind == "relay")
        assert run[kind]["sent"] > 0 and run[kind]["reconnects"] == 1
        _complete(scenarios["burst"]["burst"][kind], burst.FIGURES, relay=kind == "relay")
        _complete(scenarios["burst"]["at_once"][kind], burst.AT_ONCE_FIGURES, relay=kind == "relay")
    assert scenarios["burst"]["burst"]["neuvo"]["positions_exact"] is True
    markdown = (tmp_path / "results.md").read_text()
    assert markdown.count("| figure | bare relay | Neuvo |") == 4  # waiting, active, burst, at once
    chart = ElementTree.parse(tmp_path / "latency.svg").getroot()
    assert chart.find("{http://www.w3.org/2000/svg}title") is not None
    assert len(chart.findall("{http://www.w3.org/2000/svg}polyline")) == 4  # p50 and p99 of Neuvo and relay


@pytest.mark.timeout(600)
def test_active_chats_on_two_processes_with_postgresql_and_redis(tmp_path: Path) -> None:
    results = _bench(tmp_path, "--scenarios", "cluster", "--cluster-processes", "2")
    [run] = results["scenarios"]["cluster"]
    assert run["processes"] == 2
    _complete(run["neuvo"], active.FIGURES)
    assert run["neuvo"]["database_cpu_pct"] is not None


def _results(scenarios: dict[str, Any]) -> dict[str, Any]:
    return {"command": "python -m bench", "started": "s", "finished": "f", "load_before": [0.1, 0.2, 0.3],
            "load_after": [0.1, 0.2, 0.3], "machine": {"nproc": 2, "cpu": "cpu", "memory_kib": 1024**2,
                                                       "python": "3", "kernel": "k"},
            "plan": {"clients": 2, "chats": [4], "seconds": 3, "warmup": 0.5, "capacity": 10}, "service": "Neuvo",
            "scenarios": scenarios}


def test_a_failed_run_is_reported_beside_the_runs_that_worked() -> None:
    results = _results({"active": [{"chats": 4, "failed": "server fell over"}]})
    text = report.markdown(results)
    assert "### (b) 4 active chats" in text
    assert "**This run failed** (the server logs were kept): server fell over" in text
    assert "<polyline" not in report.chart(results)


def test_update_docs_rewrites_only_the_generated_section(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "benchmarks.md").write_text("# Benchmarks\n\nProse before.\n\n## Older runs\n\nProse after.\n")
    results = _results({})
    report.update_docs(results, docs)
    report.update_docs({**results, "command": "python -m bench --again"}, docs)
    text = (docs / "benchmarks.md").read_text()
    assert text.startswith("# Benchmarks\n\n" + report.BEGIN)
    assert text.count(report.BEGIN) == 1 and "--again" in text and "`python -m bench`" not in text
    assert text.endswith("Prose before.\n\n## Older runs\n\nProse after.\n")
    assert (docs / report.DOC_CHART).exists()
