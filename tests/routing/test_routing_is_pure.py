"""The routing core stands alone: standard library only, no I/O, no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
import sysconfig
from pathlib import Path

import routing

ROUTING_DIR = str(Path(routing.__file__).parent)
SOURCES = sorted(Path(ROUTING_DIR).glob("*.py"))
ALLOWED_IMPORTS = {
    "__future__",
    "bisect",
    "collections",
    "collections.abc",
    "dataclasses",
    "datetime",
    "enum",
    "heapq",
    "itertools",
    "math",
    "operator",
    "random",  # the forecast's seeded generators only: see test_randomness_is_always_seeded
    "re",
    "types",
    "typing",
    "zoneinfo",
}
CLOCK_READS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}


def test_importing_the_core_loads_nothing_but_the_standard_library() -> None:
    probe = (
        "import sys; before = set(sys.modules); "
        "import routing.policy, routing.hours, routing.roster, routing.queue, "
        "routing.fairshare, routing.estimate, routing.lifecycle, routing.forecast, routing.staffing; "
        "new = sorted(set(sys.modules) - before); "
        "print('\\n'.join(f'{n} {getattr(sys.modules[n], \"__file__\", None)}' for n in new))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = dict(line.split(" ", 1) for line in output.splitlines())
    outside = {n: f for n, f in loaded.items() if f != "None" and not _ours_or_stdlib(f)}
    assert "routing.policy" in loaded
    assert outside == {}


def _ours_or_stdlib(path: str) -> bool:
    # In a virtualenv "platstdlib" is the venv's lib folder, site-packages included: use stdlib.
    in_stdlib = path.startswith(sysconfig.get_paths()["stdlib"]) and "site-packages" not in path
    return in_stdlib or path.startswith(ROUTING_DIR)


def test_modules_import_only_an_allowed_standard_library_set() -> None:
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name in ALLOWED_IMPORTS or name.startswith("routing"), (source.name, name)


def test_no_module_reads_the_clock() -> None:
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_READS, (source.name, node.lineno)


def test_randomness_is_always_seeded() -> None:
    """The forecast draws from `random.Random(seed)` instances it is given or makes with a seed;
    never from the module's shared, unseeded generator (`random.random()`, `random.choice`)."""
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "random":
                assert node.attr == "Random", (source.name, node.lineno, node.attr)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Random":
                assert node.args, (source.name, node.lineno, "a Random without a seed")
