"""Settings, read once from flags and NEUVO_* environment variables and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from zoneinfo import ZoneInfo


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Every number of PROTOCOL.md's "Defaults and limits" lives here under its NEUVO_ name."""

    database_url: str = "sqlite:///neuvo.db"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    widget_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    secret_key: str | None = None
    timezone: str = "Europe/Helsinki"
    max_frame_bytes: int = 16384
    ws_compression: bool = False  # per-message deflate: fewer bytes, more CPU and memory a socket
    max_message_chars: int = 2000
    max_body_bytes: int = 65536
    max_upload_bytes: int = 2 * 1024 * 1024
    max_json_depth: int = 32
    visitor_rate: float = 10.0
    advisor_rate: float = 50.0
    chat_rate: float = 10.0
    rate_close_after_s: float = 10.0
    first_frame_s: float = 10.0
    header_timeout_s: float = 10.0
    chats_per_address: int = 10
    waiting_per_address: int = 3
    connections_per_address: int = 200
    max_connections: int = 20000
    offline_per_address: int = 10
    login_failures: int = 10
    visitor_grace_s: float = 120.0
    advisor_grace_s: float = 60.0
    closing_grace_s: float = 900.0
    idle_s: float = 1800.0
    idle_warning_s: float = 120.0
    retention_days: int = 90
    session_hours: float = 12.0
    tick_s: float = 1.0
    lease_s: float = 5.0
    command_timeout_s: float = 10.0
    sqlite_busy_timeout_s: float = 10.0
    # Outgoing e-mail, for answering offline messages from the inbox; unset host: no e-mail.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)  # never in a log line
    smtp_from: str | None = None
    smtp_starttls: bool = True
    demo: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then NEUVO_* variables, then explicit overrides (flags) that are not None."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"NEUVO_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f.type, raw, f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        ZoneInfo(settings.timezone)  # fail at start, not at the first chat
        return settings

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _parse(annotation: object, raw: str, name: str) -> Any:
    kind = str(annotation)
    try:
        if "tuple" in kind:
            return _csv(raw)
        if kind.startswith("bool"):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("float"):
            return float(raw)
    except ValueError:
        raise ValueError(f"NEUVO_{name.upper()}: not a number: {raw!r}") from None
    return raw
