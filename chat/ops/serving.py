"""How uvicorn serves the app: the same options for `neuvo serve` and for the tests' servers."""

from __future__ import annotations

from typing import Any

from chat.base.settings import Settings
from chat.ops.header_deadline import header_deadline_protocol
from chat.ops.socket_protocol import LeanWebSocketProtocol


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config's options from the settings (besides the app, host and port)."""
    trusted = ",".join(settings.trusted_proxies)
    return {
        "http": header_deadline_protocol(settings.header_timeout_s),
        "ws": LeanWebSocketProtocol,
        "ws_max_size": settings.max_frame_bytes,
        "ws_per_message_deflate": settings.ws_compression,
        "access_log": False,  # it would log visitors' addresses
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "server_header": False,
        "limit_concurrency": settings.max_connections or None,
    }
