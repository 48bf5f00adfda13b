"""A real PostgreSQL server for tests, started from Debian's binaries on a free port.

initdb and pg_ctl refuse to run as root, so the cluster belongs to the `postgres` user and lives
in a directory under /tmp that user can enter (PITFALLS.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

BIN = "/usr/lib/postgresql/15/bin"
_databases = count(1)
_clusters: dict[str, tuple[str, str, str]] = {}  # base URL -> (data directory, options, log)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway cluster; yields the base URL (without a database name)."""
    directory = tempfile.mkdtemp(prefix="neuvo-pg-", dir="/tmp")
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = os.path.join(directory, "data")
    port = _free_port()
    subprocess.run(_as_postgres(f"{BIN}/initdb", "-D", data, "-A", "trust", "-U", "postgres"),
                   check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} -c fsync=off"
    subprocess.run(_as_postgres(f"{BIN}/pg_ctl", "-D", data, "-o", options, "-w", "-l", f"{directory}/log", "start"),
                   check=True, capture_output=True)
    base_url = f"postgresql://postgres@127.0.0.1:{port}"
    _clusters[base_url] = (data, options, f"{directory}/log")
    try:
        yield base_url
    finally:
        _clusters.pop(base_url, None)
        subprocess.run(_as_postgres(f"{BIN}/pg_ctl", "-D", data, "-m", "immediate", "stop"), capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


def new_database(base_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    name = f"neuvo_test_{next(_databases)}"
    _psql(base_url, f"CREATE DATABASE {name}")
    return f"{base_url}/{name}"


def copy_database(template_url: str, url: str) -> None:
    """Make the database of `url` a copy of the one of `template_url` (which nobody is connected
    to): PostgreSQL copies its files, faster than migrating and seeding again."""
    base_url, name = url.rsplit("/", 1)
    template = template_url.rsplit("/", 1)[1]
    _psql(base_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE {template}")


def _psql(base_url: str, *commands: str) -> None:
    port = base_url.rsplit(":", 1)[1]
    options = [option for command in commands for option in ("-c", command)]
    subprocess.run([f"{BIN}/psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-q", *options],
                   check=True, capture_output=True)


def stop_server(base_url: str) -> None:
    """The database goes away (as if its machine did): connections drop, nothing answers."""
    data, _, _ = _clusters[base_url]
    subprocess.run(_as_postgres(f"{BIN}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"),
                   check=True, capture_output=True)


def start_server(base_url: str) -> None:
    data, options, log = _clusters[base_url]
    subprocess.run(_as_postgres(f"{BIN}/pg_ctl", "-D", data, "-o", options, "-w", "-l", log, "start"),
                   check=True, capture_output=True)
